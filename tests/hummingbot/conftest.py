"""Fixtures of the Hummingbot tests: hand-made inputs with known trades, and a harness that drives the
real strategy on a BACKTEST clock while the test itself writes the signal file."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hummingbot.core.clock import Clock
from hummingbot.core.clock_mode import ClockMode

from shared_signals.contract.journal import read_journal
from shared_signals.contract.spec import RunSpec, platform_config
from poc_hummingbot.config import LATEST_SIGNAL, SIGNALS_DIR, HummingbotConfig
from poc_hummingbot.inputs import load_inputs
from poc_hummingbot.payload import build_payload, encode
from poc_hummingbot.event_clock import CLOCK_STEP_S
from poc_hummingbot.provider import DueSignals
from poc_hummingbot.replay import REPLAY_EXECUTION_DELAY_STEPS, replay_clock, wire
from poc_hummingbot.session import build_session, settle_connector_tasks
from shared_signals.config import SignalCoreConfig, plain_settings
from shared_signals.schema import Signal

START = pd.Timestamp("2025-01-06", tz="UTC")
QUOTE_SECONDS = 40
SIGNAL_ROWS = {  # second: (q10, q50, q90, side, prob_up) -> BUY at 2 s, SELL at 12 s, CLOSE at 24 s
    2: (-0.01, 0.01, 0.03, 1, 0.7),
    12: (-0.03, -0.01, 0.01, 0, 0.3),
    24: (-0.01, 0.0, 0.01, -1, 0.5),
}


def at(seconds: float) -> int:
    return (START + pd.Timedelta(seconds=seconds)).value


def kinds(events: pd.DataFrame, kind: str) -> pd.DataFrame:
    return events[events["kind"] == kind]


@pytest.fixture(scope="session")
def handmade(tmp_path_factory) -> tuple[Path, Path]:
    """40 one-second quotes on a rising line and three signals whose trades are known."""
    folder = tmp_path_factory.mktemp("handmade")
    bid = [50_000.0 + 10 * s for s in range(QUOTE_SECONDS)]
    quotes = pd.DataFrame({
        "timestamp": [START + pd.Timedelta(seconds=s) for s in range(QUOTE_SECONDS)],
        "bid_price": bid, "ask_price": [b + 1 for b in bid], "bid_size": 0.5, "ask_size": 0.5,
    })
    signals = pd.DataFrame(
        [dict(datetime=START + pd.Timedelta(seconds=s), q10=a, q50=b, q90=c, side=d, prob_up=e, vol_risk=0.0,
              tier_confidence=5.0, fg_index=50.0, vol_scaled=0.5, regime_volatility="medium")
         for s, (a, b, c, d, e) in SIGNAL_ROWS.items()]
    )
    quotes.to_parquet(folder / "quotes.parquet", index=False)
    signals.to_parquet(folder / "signals.parquet", index=False)
    return folder / "quotes.parquet", folder / "signals.parquet"


def with_config(spec: RunSpec, config: HummingbotConfig) -> RunSpec:
    """``spec`` with Hummingbot's settings set to ``config``, as the CLI sets them (plain values)."""
    return replace(spec, settings=plain_settings(config))


def replay_options(run_dir: Path, quotes: Path, signals: Path, **changes) -> RunSpec:
    return replace(
        RunSpec(platform="hummingbot", mode="replay", quotes=quotes, signals=signals, run_dir=run_dir, run_id="test"),
        **changes,
    )


class Harness:
    """The real session (paper exchange, feeder, strategy) on a BACKTEST clock, without the provider:
    the test writes ``latest_signal.json`` itself, then steps the clock."""

    def __init__(self, options: RunSpec, config: HummingbotConfig | None = None) -> None:
        """``config`` defaults to the settings ``options`` carries, as the platform process reads them."""
        config = platform_config(options, HummingbotConfig) if config is None else config
        self.options = options
        inputs = load_inputs(options)
        self.table = inputs.signals
        self.event_clock = replay_clock(options, config, inputs)
        (options.platform_dir / SIGNALS_DIR).mkdir(parents=True, exist_ok=True)
        self.path = options.platform_dir / SIGNALS_DIR / LATEST_SIGNAL
        self.session = build_session(options, config, inputs, self.event_clock.market_ns, REPLAY_EXECUTION_DELAY_STEPS)
        wire(self.event_clock, self.session, DueSignals(self.table, []))  # the test itself writes the signals
        self.clock = Clock(ClockMode.BACKTEST, CLOCK_STEP_S, self.event_clock.clock_start_s)
        for iterator in (self.event_clock, *self.session.iterators):
            self.clock.add_iterator(iterator)

    def write(self, data: bytes) -> None:
        """A plain (non-atomic) write, as a careless outside writer would do."""
        self.path.write_bytes(data)

    def payload(self, signal: Signal, published_at_ns: int = 1) -> bytes:
        return encode(build_payload(signal, self.table.symbol, published_at_ns, SignalCoreConfig()))

    def run_until(self, seconds: float) -> None:
        """Steps the clock until it shows market second ``seconds`` of the fixture (or the data ends)."""
        while not self.event_clock.finished and (self.event_clock.steps == 0 or self.event_clock.now_ns < at(seconds)):
            self.clock.backtest_til(self.clock.current_timestamp + CLOCK_STEP_S)

    def events(self) -> pd.DataFrame:
        return read_journal(self.options.platform_dir).events

    def kinds(self, kind: str) -> pd.DataFrame:
        return kinds(self.events(), kind)


def buy_signal(harness: Harness, second: float = 2.0, **changes) -> Signal:
    signal = harness.table.signal(0)  # the fixture's BUY at 2 s
    return replace(signal, signal_id=f"BTCUSDT:{at(second)}", ts_ns=at(second), **changes)


def edited(change):
    """A valid BUY payload with ``change(record)`` applied."""

    def make(harness: Harness) -> bytes:
        record = json.loads(harness.payload(buy_signal(harness)))
        change(record)
        return json.dumps(record).encode()

    return make


@pytest.fixture
def event_loop_for_connector():
    """The paper exchange posts order events as asyncio tasks: give them a loop, then cancel them."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(settle_connector_tasks())
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def make_harness(tmp_path, handmade, event_loop_for_connector):
    """``make_harness(**RunSpec changes)``; journals are closed at teardown."""
    made: list[Harness] = []

    def make(**changes) -> Harness:
        quotes, signals = handmade
        made.append(Harness(replay_options(tmp_path, quotes, signals, **changes)))
        return made[-1]

    yield make
    for each in made:
        each.session.journal.close()


@pytest.fixture
def harness(make_harness) -> Harness:
    return make_harness()
