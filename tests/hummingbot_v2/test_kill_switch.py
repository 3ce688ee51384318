"""V2's close by the kill switch, without a live run: the real controller (its ``__init__`` wants a
running application's market data provider, so its state is set by hand) decides on a paper account
whose long position lost 3% of the strategy's capital, past a 2% drawdown limit. It stops the
executor that holds the position, and the ledger journals the executor's close with the switch's
cause and no signal, as every platform does."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from hummingbot.core.data_type.common import TradeType
from hummingbot.strategy_v2.models.executor_actions import StopExecutorAction
from hummingbot.strategy_v2.models.executors import CloseType

from poc_hummingbot_v2.controller import AiLivestreamController, ControllerCore, controller_config
from poc_hummingbot_v2.ledger import OrderLedger
from shared_signals.config import ExitParams, RiskLimits, SignalCoreConfig
from shared_signals.contract.journal import JournalWriter, read_journal
from shared_signals.contract.steps import StepJournal
from shared_signals.decision import OrderSide
from shared_signals.runner import SignalRunner

PAIR = "BTC-USDT"
S = 1_000_000_000
HELD = 0.5
"""BTC bought at 60,000 from a paper account of 100,000 USDT and 1 BTC."""


class Account:
    """The paper exchange as the controller reads it: a touch around ``mid`` and the balances of the long."""

    def __init__(self) -> None:
        self.mid = 60_000.0

    def get_price(self, pair: str, is_buy: bool) -> Decimal:
        return Decimal(repr(self.mid + (5.0 if is_buy else -5.0)))

    def get_balance(self, asset: str) -> Decimal:
        return Decimal(repr(1.0 + HELD if asset == "BTC" else 100_000.0 - HELD * 60_000.0))


class Executor:
    """A trading PositionExecutor as the orchestrator reports it, and as the ledger looks up its orders."""

    def __init__(self) -> None:
        self.id = "BTCUSDT:0-1"
        self.config = SimpleNamespace(id=self.id, side=TradeType.BUY)
        self.is_done, self.is_trading, self.close_type = False, True, None
        self.order_ids = ["buy-1"]

    def get_custom_info(self) -> dict:
        return {"order_ids": self.order_ids}


def controller(tmp_path, account: Account, executor: Executor) -> tuple[AiLivestreamController, StepJournal]:
    steps = StepJournal(JournalWriter(tmp_path, "test", "hummingbot-v2", "BTCUSDT"))
    core = SignalCoreConfig(risk=RiskLimits(max_drawdown_fraction=0.02))
    c = AiLivestreamController.__new__(AiLivestreamController)
    c.config = controller_config(PAIR, "paper", ExitParams(), 1.0)
    c.executors_info = [executor]
    c._awaiting, c._spent, c._seen_done, c._count = None, set(), set(), 0
    c.processed_data = {"signal": 0, "features": None, "actions": []}
    ledger = OrderLedger(steps, lambda: [executor])
    ledger.opened_by[executor.id] = "BTCUSDT:0"
    clock = iter(range(1, 100))
    c.attach(ControllerCore(
        runner=SignalRunner(core, (100_000.0, 1.0), own_barriers=False), journal=steps,
        intake=SimpleNamespace(take=lambda t_ns: None), ledger=ledger, connector=account,
        market_ns=lambda wall_s: next(clock) * S, quote_ns=lambda: None, book_ns=lambda: 0,
        starting_base=1.0, base="BTC", quote="USDT",
    ))
    return c, steps


def test_the_kill_switch_stops_the_executor_and_its_close_is_journaled_with_the_switch_s_cause(tmp_path):
    account, executor = Account(), Executor()
    c, steps = controller(tmp_path, account, executor)
    assert c._decide() == []  # at the entry price: the strategy's equity is its capital, the peak
    account.mid = 54_000.0  # 0.5 BTC down 6,000: 3% of the 100,000 capital
    (stop,) = c._decide()
    assert isinstance(stop, StopExecutorAction) and stop.executor_id == executor.id and not stop.keep_position
    assert c.core.ledger.stopped_by[executor.id] == ("kill_switch", None)
    assert c._decide() == []  # the stop is in flight: no second close
    executor.close_type, executor.order_ids = CloseType.EARLY_STOP, ["buy-1", "sell-1"]
    c.core.ledger.placed("sell-1", OrderSide.SELL, HELD, 53_995.0, 3 * S)
    c.core.ledger.flush()
    steps.writer.close()
    events = read_journal(tmp_path).events
    decision = events[events["kind"] == "decision"].iloc[-1]
    assert (decision["code"], decision["side"], decision["qty"], decision["signal_id"]) == ("CLOSE", "SELL", HELD, None)
    submitted = events[events["kind"] == "order_submitted"].iloc[-1]
    assert (submitted["code"], submitted["side"], submitted["qty"], submitted["signal_id"]) == ("kill_switch", "SELL", HELD, None)
