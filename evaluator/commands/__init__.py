"""Sub-commands of ``poc-eval``; each module has ``register(subparsers)`` setting ``handler``."""

from evaluator.commands import (
    broker,
    calibrate,
    compare_transports,
    complexity,
    demo_data,
    provider,
    report,
    run,
    run_both,
    scale,
    soak,
    sweep,
    validate,
)

COMMANDS = (demo_data, validate, run, run_both, compare_transports, soak, scale, sweep, calibrate, report, complexity, provider,
            broker)
