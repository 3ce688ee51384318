"""``poc-eval broker start|stop|restart|status``: the project's Mosquitto broker for ``--transport mqtt``
(``scripts/mqtt/broker.sh`` runs this)."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluator.console import out
from shared_signals.transport.mqtt.connection import BROKER_DIR_ENV, default_broker_dir

EXIT_NOT_RUNNING = 3
"""``status`` of a stopped broker, as init scripts do."""


def register(sub: argparse._SubParsersAction) -> None:
    from shared_signals.transport.broker import DEFAULT_PORT

    parser = sub.add_parser(
        "broker",
        help="start, stop, restart or check the project's Mosquitto broker (127.0.0.1, password required)",
        description="Runs mosquitto on 127.0.0.1 from scripts/mqtt/mosquitto.conf with a password generated at start "
        f"into the broker folder (--dir, default ${BROKER_DIR_ENV} or $TMPDIR/q50-poc-mqtt). 'restart' keeps the "
        "credentials and the saved sessions; 'stop' deletes both.",
    )
    parser.add_argument("action", choices=("start", "stop", "restart", "status"), help="what to do")
    parser.add_argument("--dir", type=Path, default=None, help="broker folder: config, password files, pid, log, database")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from shared_signals.transport.broker import MosquittoBroker

    broker = MosquittoBroker(args.dir or default_broker_dir(), args.port)
    if args.action == "start":
        broker.start()
    elif args.action == "restart":
        broker.restart()
    elif args.action == "stop":
        was_running = broker.stop()
        out.print("mosquitto stopped" if was_running else "mosquitto was not running")
        return 0
    status = broker.status()
    out.print(status.describe(), highlight=False, soft_wrap=True)
    return 0 if status.running else EXIT_NOT_RUNNING
