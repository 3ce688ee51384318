"""The one signal core: load, validate, align, decide, risk-gate. No platform imports here."""

from shared_signals.arrow_memory import select_arrow_pool

select_arrow_pool()  # before anything below loads pyarrow (through pandas)

from shared_signals.asof import SignalSchedule
from shared_signals.config import (
    DecisionParams,
    LoaderParams,
    ProbabilityParams,
    RegimeParams,
    RiskLimits,
    SideParams,
    SignalCoreConfig,
    SizingParams,
)
from shared_signals.decision import Action, Decision, MarketState, decide
from shared_signals.errors import InputError
from shared_signals.instruments import Instrument, parse_instrument
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches, load_quotes
from shared_signals.reference import ReferenceTrade, reference_replay
from shared_signals.risk import RiskGate, RiskVerdict
from shared_signals.runner import SignalRunner, Step
from shared_signals.schema import Signal
from shared_signals.table import SignalTable

__all__ = [
    "Action",
    "Decision",
    "DecisionParams",
    "InputError",
    "Instrument",
    "LoaderParams",
    "MarketState",
    "ProbabilityParams",
    "ReferenceTrade",
    "RegimeParams",
    "RiskGate",
    "RiskLimits",
    "RiskVerdict",
    "SideParams",
    "Signal",
    "SignalCoreConfig",
    "SignalRunner",
    "SignalSchedule",
    "SignalTable",
    "SizingParams",
    "Step",
    "decide",
    "iter_quote_batches",
    "load_quotes",
    "load_signals",
    "parse_instrument",
    "reference_replay",
]
