#!/usr/bin/env bash
# The project's Mosquitto broker for `--transport mqtt`: start | stop | restart | status [--port N] [--dir D].
# Listens on 127.0.0.1 only, from scripts/mqtt/mosquitto.conf, with a password generated at start into
# the broker folder (default $Q50_MQTT_DIR or $TMPDIR/q50-poc-mqtt; pid file, log and database there too).
# Optional: a run with an MQTT column uses this broker while it runs, else starts a Mosquitto of its own.
# A thin wrapper over `poc-eval broker`, so the tests' fixture and this script share one implementation.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
exec "$ROOT/.venv/bin/python" -m evaluator.cli broker "$@"
