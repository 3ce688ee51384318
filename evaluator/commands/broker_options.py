"""``--broker HOST:PORT`` and its credentials: an existing MQTT broker for the run's MQTT columns.

Without it a run uses the project's broker (``scripts/mqtt/broker.sh``) when that one runs, else it
starts a Mosquitto of its own (``evaluator.harness.run_broker``). The credentials never come from a
flag value, which ``ps`` and shell histories show: a JSON file only its owner can read, or the
environment, which is cleared once read so no platform or provider process inherits the password.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
from pathlib import Path

from shared_signals.errors import InputError
from shared_signals.transport.mqtt.connection import BrokerAddress

USERNAME_ENV = "Q50_MQTT_USERNAME"
PASSWORD_ENV = "Q50_MQTT_PASSWORD"
PRIVATE_BITS = stat.S_IRWXG | stat.S_IRWXO
MAX_PORT = 65_535


def add_broker_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", default=None, metavar="HOST:PORT",
                        help="MQTT columns: use this running broker (default: the project's of scripts/mqtt/broker.sh "
                        "when it runs, else a Mosquitto started for the run and stopped after it); credentials from "
                        f"--broker-credentials or ${USERNAME_ENV} and ${PASSWORD_ENV}")
    parser.add_argument("--broker-credentials", type=Path, default=None, metavar="FILE",
                        help='--broker: a JSON file {"username": ..., "password": ...} readable by its owner only (chmod 600)')


def _endpoint(text: str) -> tuple[str, int]:
    host, colon, port = text.rpartition(":")
    if not colon or not host or not port.isdigit() or not 1 <= int(port) <= MAX_PORT:
        raise InputError(f"--broker '{text}': expected HOST:PORT, e.g. 127.0.0.1:1883")
    return host, int(port)


def _from_file(path: Path) -> tuple[str, str]:
    try:
        mode = path.stat().st_mode
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a broker credentials file: {type(exc).__name__}", path) from None
    if mode & PRIVATE_BITS:
        raise InputError(f"broker credentials readable by others (mode {stat.S_IMODE(mode):o}): chmod 600 it", path)
    if not isinstance(record, dict) or not all(isinstance(record.get(k), str) and record[k] for k in ("username", "password")):
        raise InputError('broker credentials: expected {"username": "...", "password": "..."}', path)
    return record["username"], record["password"]


def _from_environment(username: str, password: str) -> tuple[str, str]:
    if not username or not password:
        raise InputError(f"--broker needs credentials: --broker-credentials FILE, or both ${USERNAME_ENV} and ${PASSWORD_ENV}")
    return username, password


def given_broker(args: argparse.Namespace) -> BrokerAddress | None:
    """The broker ``--broker`` names with its credentials, or None without the flag. The credential
    variables leave this process's environment here, whichever source is used."""
    environment = os.environ.pop(USERNAME_ENV, ""), os.environ.pop(PASSWORD_ENV, "")
    if args.broker is None:
        if args.broker_credentials is not None:
            raise InputError("--broker-credentials is for --broker HOST:PORT")
        return None
    host, port = _endpoint(args.broker)
    file = args.broker_credentials
    username, password = _from_file(file) if file is not None else _from_environment(*environment)
    return BrokerAddress(host, port, username, password)
