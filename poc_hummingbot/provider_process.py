"""The Hummingbot signal provider as its own OS process, as live mode starts it:

``python -m poc_hummingbot.provider_process SPEC_FILE --speed X --start NS --end NS --anchor-wall-ns NS --parent-pid PID``

It reads the run's spec (signals, instrument, run id, signal-core configuration, transport and the
MQTT settings) and takes from its command line only the timeline the strategy process computed, so
both show the same market time. SIGTERM stops it cleanly (files and journal closed, exit 0), and so
does the loss of its platform process.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence

from poc_hummingbot.config import HummingbotConfig
from poc_hummingbot.provider import PlatformGone, ProviderSettings, run_live_provider
from shared_signals.contract.process import EXIT_OK, EXIT_USER_ERROR
from shared_signals.contract.spec import RunSpec, platform_config, read_spec
from shared_signals.errors import InputError


class ProviderStopped(Exception):
    """SIGTERM: stop publishing, close the files and the journal, exit 0."""


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise ProviderStopped


def settings_from_spec(
    spec: RunSpec, speed: float, start_ns: int, end_ns: int, anchor_wall_ns: int, parent_pid: int | None
) -> ProviderSettings:
    """The provider's settings for a live run of ``spec`` on the given timeline."""
    config = platform_config(spec, HummingbotConfig)
    return ProviderSettings(
        signals=spec.signals, platform_dir=spec.platform_dir, run_id=spec.run_id, instrument=spec.instrument,
        speed=speed, start_ns=start_ns, end_ns=end_ns, anchor_wall_ns=anchor_wall_ns, parent_pid=parent_pid,
        core=spec.core, transport=config.transport, mqtt=config.mqtt, signal_delay_ns=spec.signal_delay_ns,
    )


def serve(settings: ProviderSettings) -> str:
    """Publishes until the schedule ends, SIGTERM, or the platform process is gone; says which."""
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        published = run_live_provider(settings)
    except ProviderStopped:
        return "provider stopped"
    except PlatformGone as gone:
        return str(gone)
    return f"provider: published {published} signals into {settings.platform_dir}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m poc_hummingbot.provider_process", description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", help="the run spec (spec.json of the Hummingbot run)")
    parser.add_argument("--speed", type=float, required=True, help="market seconds per wall second")
    parser.add_argument("--start", type=int, required=True, help="market time (ns) shown at the anchor")
    parser.add_argument("--end", type=int, required=True, help="last market time (ns) to publish for")
    parser.add_argument("--anchor-wall-ns", type=int, required=True, help="wall time (ns) at which --start is shown")
    parser.add_argument("--parent-pid", type=int, default=None, help="stop publishing when this process exits")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = settings_from_spec(read_spec(args.spec), args.speed, args.start, args.end, args.anchor_wall_ns, args.parent_pid)
        print(serve(settings))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
