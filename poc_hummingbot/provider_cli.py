"""The Hummingbot signal provider run by hand against any folder a Hummingbot strategy watches
(``poc-eval provider ...`` hands its arguments here; a live Hummingbot run starts its own:
``poc_hummingbot.provider_process``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from collections.abc import Sequence

from poc_hummingbot.provider import ProviderSettings
from poc_hummingbot.provider_process import serve
from shared_signals.config import LoaderParams, SignalCoreConfig
from shared_signals.contract.run_info import new_run_id
from shared_signals.durations import duration_arg
from shared_signals.instruments import DEFAULT_INSTRUMENT
from shared_signals.transport.kinds import FILE, TRANSPORTS
from shared_signals.transport.mqtt.config import MqttConfig


def market_time_arg(text: str) -> int:
    """Nanoseconds since the epoch, or any time pandas reads (naive = UTC)."""
    raw = str(text).strip()
    if raw.lstrip("-").isdigit():
        return int(raw)
    try:
        stamp = pd.Timestamp(raw)
    except (ValueError, TypeError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise argparse.ArgumentTypeError(f"not a time: '{text}' (e.g. 2025-01-06T00:30:00Z or nanoseconds since 1970)")
    return int((stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")).value)


def positive_speed_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"speed must be a positive number, got '{text}'")
    return value


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Publishes each signal at its time as SIGNALS/latest_signal.json (atomic: temp file, fsync, "
        "rename) and appends it to signal_history.jsonl; journals signal_published to OUT/provider/events.jsonl.",
    )
    parser.add_argument("--signals", type=Path, required=True, help="signal file (.pkl, .parquet, .csv)")
    parser.add_argument("--out", type=Path, required=True,
                        help="the Hummingbot run folder (RUN_DIR/hummingbot): "
                        "files go to OUT/signals, the journal to OUT/provider")
    parser.add_argument("--instrument", default=DEFAULT_INSTRUMENT, help="instrument, any spelling: BTCUSDT, BTCUSDT.BINANCE, BTC-USDT")
    parser.add_argument("--run-id", default=None, help="identifier written into every journal record (default: UTC time)")
    parser.add_argument("--tolerance", type=duration_arg, default=LoaderParams().tolerance_ns,
                        help="how long a signal stays in force, e.g. 5m; "
                        "older signals are not published at the start (default 5m)")
    parser.add_argument("--speed", type=positive_speed_arg, default=1.0,
                        help="market seconds per wall second: 1 = real time, 20 = twenty times faster (default 1)")
    parser.add_argument("--start", type=market_time_arg, default=None,
                        help="market time shown at the anchor, ISO or ns since 1970 (default: the first signal's time)")
    parser.add_argument("--end", type=market_time_arg, default=None,
                        help="last market time to publish for (default: through the last signal)")
    parser.add_argument("--anchor-wall-ns", type=int, default=None,
                        help="wall time (ns since 1970) at which --start is shown (default: now)")
    parser.add_argument("--parent-pid", type=int, default=None,
                        help="stop publishing when this process exits")
    parser.add_argument("--transport", choices=TRANSPORTS, default=FILE,
                        help="file: OUT/signals/latest_signal.json (default); mqtt: the broker's AI-livestream topic instead")
    parser.add_argument("--broker-dir", type=Path, default=None,
                        help="mqtt: the broker folder holding client.json (default $Q50_MQTT_DIR or $TMPDIR/q50-poc-mqtt)")
    parser.add_argument("--mqtt-qos", type=int, choices=(0, 1, 2), default=1, help="mqtt: quality of service (default 1)")
    parser.add_argument("--mqtt-retain", action="store_true", help="mqtt: publish retained messages (default off)")
    return parser


def main(argv: Sequence[str], prog: str = "poc-eval provider") -> str:
    """Publishes as the arguments say; returns what happened, in one line. Bad arguments exit 2 (argparse)."""
    args = build_parser(prog).parse_args(list(argv))
    settings = ProviderSettings(
        signals=args.signals,
        platform_dir=args.out,
        run_id=args.run_id or new_run_id(),
        instrument=args.instrument,
        speed=args.speed,
        start_ns=args.start,
        end_ns=args.end,
        anchor_wall_ns=args.anchor_wall_ns,
        parent_pid=args.parent_pid,
        core=SignalCoreConfig(loader=LoaderParams(tolerance_ns=args.tolerance)),
        transport=args.transport,
        mqtt=MqttConfig(qos=args.mqtt_qos, retain=args.mqtt_retain, broker_dir=args.broker_dir),
    )
    return serve(settings)
