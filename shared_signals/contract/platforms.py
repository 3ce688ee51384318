"""The platform registry: every platform the harness can run, registered once.

Each entry names, as data, what the harness needs to run and describe a platform without knowing
its code: the module a process runs (``python -m MODULE SPEC_FILE``), the function that runs it in
this process, the check of what it cannot run, the package measured for the complexity figures, the
platform SDK and the class its strategy inherits, the chart colour, and whether its signals come
through a provider process.
A third platform is one more entry here and one more package beside the other two.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlatformEntry:
    name: str
    """The name in run specs, journals, run folders and reports."""
    module: str
    """``python -m <module> SPEC_FILE`` runs the platform in its own process."""
    runner: str
    """``module:function`` taking a :class:`~shared_signals.contract.spec.RunSpec` and returning a ``RunResult``."""
    preflight: str
    """``module:function`` taking a ``RunSpec`` and raising ``InputError`` on what this platform cannot
    run (an instrument its venue cannot build, a setting only it reads). The harness calls it in its own
    process before any platform starts, so it must not import the platform SDK."""
    package: str
    """The POC package (a folder of this project) measured for integration complexity."""
    sdk: str
    """The platform's own distribution, for versions and install times."""
    strategy_base: str
    """``module:Class`` the POC's strategy inherits: its attributes count as platform touch-points."""
    colour: str
    provider_fed: bool = False
    """Signals reach the strategy from a separate provider (its journal holds ``signal_published``)."""


NAUTILUS = PlatformEntry(
    name="nautilus",
    module="poc_nautilus",
    runner="poc_nautilus.app:run",
    preflight="poc_nautilus.offline:preflight",
    package="poc_nautilus",
    sdk="nautilus_trader",
    strategy_base="nautilus_trader.trading.strategy:Strategy",
    colour="#1f77b4",
)
HUMMINGBOT = PlatformEntry(
    name="hummingbot",
    module="poc_hummingbot",
    runner="poc_hummingbot.app:run",
    preflight="poc_hummingbot.config:preflight",
    package="poc_hummingbot",
    sdk="hummingbot",
    strategy_base="hummingbot.strategy.strategy_py_base:StrategyPyBase",
    colour="#ff7f0e",
    provider_fed=True,
)
REGISTRY: dict[str, PlatformEntry] = {entry.name: entry for entry in (NAUTILUS, HUMMINGBOT)}
PLATFORM_NAMES: tuple[str, ...] = tuple(REGISTRY)
