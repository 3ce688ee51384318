"""Sub-commands of ``poc-eval``; each module has ``register(subparsers)`` setting ``handler``."""

from evaluator.commands import broker, complexity, demo_data, provider, report, run, run_both, soak, validate

COMMANDS = (demo_data, validate, run, run_both, soak, report, complexity, provider, broker)
