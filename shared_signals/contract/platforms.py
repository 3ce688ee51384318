"""The platform registry: every platform the harness can run, registered once, with what the harness
must know about it as data.

The harness, the analysis and the report read these capabilities and never a platform's name: the
settings type and the command-line flags that change it, the modes it runs, whether a provider
process feeds it (and over which transport setting), how its clock quantises time, the faults it
offers a place for, how the report labels and colours it, and what its complexity figures measure.
A platform is its package plus one entry here (and its row in ``evaluator/future_potential.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared_signals.contract.modes import LIVE, REPLAY, Mode

ActsOn = Literal["quotes", "ticks"]
FaultPoint = Literal["provider", "signal_file", "broker"]
"""Where a fault can strike beside the platform's own process: its provider process, the signal file
between provider and strategy, the MQTT broker between them."""


@dataclass(frozen=True, slots=True)
class SettingKey:
    """One of a platform's settings a user changes by name: as ``KEY=VALUE`` in a variant, and with
    ``flag`` on the command line for every column of the platform."""

    key: str
    """The name in a variant: ``hb-fast=hummingbot,tick=100ms``."""
    field: str
    """Its field in the platform's settings type, dotted for a nested one (``mqtt.qos``)."""
    flag: str | None = None
    help: str = ""
    duration: bool = False
    """Given as a duration (``100ms``, ``2s``, ``1h``) and held in seconds."""
    alternatives: tuple[str, ...] = ()
    """Other values a user could reasonably choose: ``run-both --sensitivity`` reruns the comparison
    with each one that differs from the column's own value."""
    replay_changes_only: ActsOn | None = None
    """In a replay the setting can change only a platform that acts on these (None: any platform)."""
    limits_quote_age: bool = False
    """The setting is a limit on a quote's age at a decision: it can refuse only where the quote file
    has a gap at least that long (or the clock's tick is), since a quote is never older than the gap
    before the next one."""


@dataclass(frozen=True, slots=True)
class Clock:
    """How a platform's own clock rounds the time at which it acts on a signal: what ``calibrate`` expects
    an injected delivery delay to become.

    Fills are not rounded: in replay every platform fills a market order decided at ``d`` at the quote in
    force at ``d + fill delay``, stamped then, whatever its clock (the matched venues' fill rule, which
    ``calibrate`` checks exactly). Live, a platform that acts on ticks fills on the first tick at least
    the fill delay later, never on the tick that placed the order.
    """

    acts_on: ActsOn
    """``quotes``: it acts when a quote arrives (a delay rounds up to the quote grid); ``ticks``: on its
    clock's ticks (a delay rounds up to whole ticks)."""
    tick_field: str | None = None
    """``ticks``: the settings field holding the tick, in seconds."""


@dataclass(frozen=True, slots=True)
class Provider:
    """A separate process that publishes the signals the platform's strategy reads."""

    module: str
    """The provider's module as it appears on its command line (``python -m MODULE``): how a fault finds it."""
    signal_file: str
    """The file transport's file, relative to the column's folder."""
    transport_field: str
    """The settings field naming the transport (``file`` or ``mqtt``): ``mqtt`` needs the broker."""
    cli: str
    """``module:function(argv, prog) -> str`` running the provider by hand (``poc-eval provider``)."""
    broker_field: str = "mqtt.broker_dir"
    """The settings field naming the folder of the broker's ``client.json`` (the platform's
    ``MqttConfig.broker_dir``): the harness sets it to the run's broker in every MQTT column's spec."""


@dataclass(frozen=True, slots=True)
class PlatformEntry:
    name: str
    """The name in run specs, journals, variants and the rubric."""
    label: str
    """How the report names the platform in prose."""
    colour: str
    """Its colour in every chart."""
    module: str
    """``python -m <module> SPEC_FILE`` runs the platform in its own process."""
    runner: str
    """``module:function`` taking a :class:`~shared_signals.contract.spec.RunSpec` and returning a ``RunResult``."""
    preflight: str
    """``module:function`` taking a ``RunSpec`` and raising ``InputError`` on what this platform cannot
    run (an instrument its venue cannot build, a setting out of its range). The harness calls it in its
    own process before any platform starts, so it must not import the platform SDK."""
    modes: tuple[Mode, ...]
    package: str
    """The POC package (a folder of this project) measured for integration complexity."""
    sdk: str
    """The platform's own distribution, for versions and install times."""
    strategy_base: str
    """``module:Class`` the POC's strategy inherits: its attributes count as platform touch-points."""
    setup_steps: tuple[str, ...]
    """Steps a user takes to run this POC offline, from this project's integration work."""
    settings: str | None = None
    """``module:Class`` of the platform's own settings type (a frozen dataclass stating each range), whose
    module imports no platform SDK; None when the platform has none of its own."""
    settings_flag: str | None = None
    """The command-line option naming a JSON file of those settings."""
    keys: tuple[SettingKey, ...] = ()
    clock: Clock = Clock("quotes")
    provider: Provider | None = None
    fault_points: tuple[FaultPoint, ...] = ()
    modes_why: str = ""
    """Why the platform runs in no other mode than ``modes``: the line a request for another gets."""
    closes_by: str = ""
    """How its positions close by the exits' barriers, for the report's words on a run with exits on."""
    resting_exits: tuple[str, ...] = ()
    """The barriers (``ExitCause`` values) it closes by orders resting at its venue: the venue triggers
    and fills one on the same quote, so such a close is decided where it fills, not where it was placed."""

    def key(self, name: str) -> SettingKey | None:
        return next((k for k in self.keys if k.key == name), None)


VENUE_KEYS: tuple[SettingKey, ...] = (
    SettingKey("fee_bps", "fee_bps", help="matched venues: the fee on every fill, in bps"),
    SettingKey("fill_delay", "fill_delay_s", duration=True, help="market time from a market order to its fill",
               alternatives=("0s", "2s")),
    SettingKey("venue_model", "model", help="matched or native", alternatives=("matched", "native")),
)
"""What a variant may change on its own venue, whatever its platform (fields of ``VenueSpec``)."""
GATE_KEYS: tuple[SettingKey, ...] = (
    SettingKey("max_quote_age", "max_quote_age_s", duration=True, alternatives=("1h",), replay_changes_only="ticks",
               limits_quote_age=True,
               help="the risk gate's quote-age limit: no order against an older quote"),
)
"""What a variant may change on its own risk gate, whatever its platform (fields of ``RiskLimits``). The
quote-age limit cannot refuse a platform that decides on quote arrivals in a replay: every quote it
decides on is new."""
SHARED_KEYS: tuple[SettingKey, ...] = VENUE_KEYS + GATE_KEYS
"""The keys every platform takes."""


NAUTILUS = PlatformEntry(
    name="nautilus",
    label="NautilusTrader",
    closes_by=("its own orders: on the entry fill a take-profit LIMIT, a STOP_MARKET stop loss and a TRAILING_STOP_MARKET "
               "rest at its venue one-updates-other (a triggered one fills on the quote that triggers it, with no fill delay; "
               "the LIMIT at its own price; one already in the market on arrival is rejected: a crossed stop is replaced by "
               "a market close, a trailing stop past its activation is sent again armed), and a timer closes at the time "
               "limit by market order"),
    resting_exits=("stop_loss", "take_profit", "trailing_stop"),
    colour="#1f77b4",
    module="poc_nautilus",
    runner="poc_nautilus.app:run",
    preflight="poc_nautilus.offline:preflight",
    modes=(REPLAY, LIVE),
    package="poc_nautilus",
    sdk="nautilus_trader",
    strategy_base="nautilus_trader.trading.strategy:Strategy",
    setup_steps=(
        "pip install nautilus_trader (binary wheel)",
        "build the BTCUSDT instrument locally (TestInstrumentProvider)",
        "replay: BacktestEngine with a BINANCE venue, balances and quote ticks",
        "live: write a LiveMarketDataClient and its factory to replay quotes on the wall clock",
        "live: configure the Sandbox execution client and add the instrument to the cache",
    ),
)
HUMMINGBOT = PlatformEntry(
    name="hummingbot",
    label="Hummingbot (a StrategyPyBase strategy)",
    closes_by=("the shared runner's barrier decisions in its strategy: a market order on the first tick a barrier is "
               "crossed, filled as its other market orders are"),
    colour="#ff7f0e",
    module="poc_hummingbot",
    runner="poc_hummingbot.app:run",
    preflight="poc_hummingbot.config:preflight",
    modes=(REPLAY, LIVE),
    package="poc_hummingbot",
    sdk="hummingbot",
    strategy_base="hummingbot.strategy.strategy_py_base:StrategyPyBase",
    setup_steps=(
        "pip install hummingbot (source only: compiles Cython with gcc/g++, about 5 minutes)",
        "set up MockPaperExchange: quantization, balances, order book",
        "feed the order book from quotes on every tick",
        "decide the market-order fill delay (TRADE_EXECUTION_DELAY)",
        "run the Clock inside an asyncio loop (BACKTEST or REALTIME)",
        "run the signal provider as its own process and share the signal file",
    ),
    settings="poc_hummingbot.config:HummingbotConfig",
    settings_flag="--hummingbot-config",
    keys=(
        SettingKey("tick", "tick_size_s", "--tick-size", duration=True, alternatives=("1s", "100ms"),
                   help="Hummingbot's clock tick, e.g. 1s, 100ms (Hummingbot's own default 1 s, its minimum 100 ms): the "
                   "strategy acts on ticks; in replay the clock steps only on ticks where something can happen, and "
                   "fills come at exactly the venue's fill delay; live, one tick after the order at the earliest"),
        SettingKey("transport", "transport", "--transport",
                   help="Hummingbot's signal link: file (latest_signal.json, the default) or mqtt (a Mosquitto broker: --broker's, "
                   "the project's of scripts/mqtt/broker.sh when it runs, else one started for the run; Hummingbot's "
                   "AI-livestream format, QoS 1, not retained)"),
        SettingKey("order_type", "order_type", "--order-type",
                   help="Hummingbot's order type: market (the default) or limit (at the touch plus --limit-offset, "
                   "cancelled after --limit-timeout)"),
        SettingKey("limit_offset", "limit_offset", "--limit-offset",
                   help="Hummingbot limit orders: fraction above the ask / below the bid (default 0.001, seed 000's 0.1%%)"),
        SettingKey("limit_timeout", "limit_timeout_s", "--limit-timeout", duration=True,
                   help="Hummingbot limit orders: market time before an unfilled one is cancelled (default 60s)"),
        SettingKey("replay_clock", "replay_clock", help="events (the default) or every_tick"),
        SettingKey("mqtt_qos", "mqtt.qos", help="MQTT quality of service: 0, 1 (the default) or 2"),
        SettingKey("close_on_stop", "close_on_stop",
                   help="true (the default): the run's end closes the open position by a market order (end_of_run), as "
                   "Nautilus does; false: it stays open, marked at the last mid"),
    ),
    clock=Clock("ticks", tick_field="tick_size_s"),
    provider=Provider(module="poc_hummingbot.provider_process", signal_file="signals/latest_signal.json",
                      transport_field="transport", cli="poc_hummingbot.provider_cli:main"),
    fault_points=("provider", "signal_file", "broker"),
)
HUMMINGBOT_V2 = PlatformEntry(
    name="hummingbot-v2",
    label=("Hummingbot V2 (a directional controller under StrategyV2Base, trading through PositionExecutors; live "
           "paper, spot, REALTIME clock; a configuration upstream does not support)"),
    closes_by=("its PositionExecutors' own triple barrier: checked on the executor's 1 s loop, on its PnL net of the fee it "
               "paid, and closed by a market order"),
    colour="#2ca02c",
    module="poc_hummingbot_v2",
    runner="poc_hummingbot_v2.app:run",
    preflight="poc_hummingbot_v2.config:preflight",
    modes=(LIVE,),
    modes_why="its controller and PositionExecutors loop on 1 s wall-clock sleeps and read time.time(), so "
    "Hummingbot's BACKTEST clock cannot drive them (upstream offers a candle simulator instead, not the real executors)",
    package="poc_hummingbot_v2",
    sdk="hummingbot",
    strategy_base="hummingbot.strategy.strategy_v2_base:StrategyV2Base",
    setup_steps=(
        "pip install hummingbot (source only: compiles Cython with gcc/g++, about 5 minutes)",
        "set up MockPaperExchange: quantization, balances, order book fed from quotes on every tick",
        "give the paper exchange the trading rules and order tracker PositionExecutor reads (upstream issue 7434)",
        "stand in for HummingbotApplication in StrategyV2Base.start() (no conf files, no gateway polling)",
        "start MarketsRecorder on sqlite and turn off the market data provider's 60 s rate task",
        "write an AI-livestream controller (not in the wheel) subscribing over MQTT to the provider",
        "decide the market-order fill delay (TRADE_EXECUTION_DELAY) and run the REALTIME Clock in asyncio",
    ),
    settings="poc_hummingbot_v2.config:HummingbotV2Config",
    settings_flag="--hummingbot-v2-config",
    keys=(
        SettingKey("tick", "tick_size_s", "--v2-tick-size", duration=True,
                   help="Hummingbot V2's clock tick (wall time, default 1s): quotes reach the book and the paper "
                   "exchange fills on ticks; the controller and executors loop on their own 1 s"),
        SettingKey("mqtt_qos", "mqtt.qos", help="MQTT quality of service: 0, 1 (the default) or 2"),
    ),
    clock=Clock("ticks", tick_field="tick_size_s"),
    provider=Provider(module="poc_hummingbot.provider_process", signal_file="signals/latest_signal.json",
                      transport_field="transport", cli="poc_hummingbot.provider_cli:main"),
    fault_points=("provider", "broker"),
)
REGISTRY: dict[str, PlatformEntry] = {entry.name: entry for entry in (NAUTILUS, HUMMINGBOT, HUMMINGBOT_V2)}
PLATFORM_NAMES: tuple[str, ...] = tuple(REGISTRY)
DEFAULT_PLATFORMS: tuple[str, ...] = (NAUTILUS.name, HUMMINGBOT.name)
"""The columns of a run when ``--platforms`` is not given: the two that run in every mode (name
``hummingbot-v2`` to add the live-only V2 column)."""
