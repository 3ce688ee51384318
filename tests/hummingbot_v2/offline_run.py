"""Runs one ``hummingbot-v2`` column live with its own Mosquitto, for a test that runs it in a network
namespace with only loopback up (``unshare -n``): ``python offline_run.py SPEC_JSON BROKER_DIR``.
The broker is started and stopped here, inside the namespace, by the project's own code."""

import os
import sys
from pathlib import Path

from shared_signals.contract.process import run_and_record
from shared_signals.contract.spec import read_spec
from shared_signals.transport.broker import MosquittoBroker, free_port
from shared_signals.transport.mqtt.connection import BROKER_DIR_ENV


def main(spec_file: str, broker_dir: str) -> None:
    broker = MosquittoBroker(Path(broker_dir), free_port())
    os.environ[BROKER_DIR_ENV] = str(broker.folder)
    broker.start()
    try:
        from poc_hummingbot_v2.app import run

        result = run_and_record(run, read_spec(Path(spec_file)))
        print(f"{result.orders} orders, {result.fills} fills")
    finally:
        broker.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
