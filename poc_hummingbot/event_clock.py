"""Replay time for Hummingbot's ``Clock``: one clock step per moment at which something can happen.

Hummingbot's BACKTEST ``Clock`` ticks every ``tick_size`` whether or not anything changed, so its cost
follows simulated seconds: a year of 15-minute quotes is 31 million one-second ticks for 35,000
quotes. :class:`EventClock` is the first iterator on that same ``Clock`` (which still drives the
provider, the quote feeder, the paper exchange and the strategy, in that order, step by step). Each
clock step is shown the market time of the next tick of the grid (``first quote + k * tick``) at
which something can happen: a quote changes the book, a signal becomes due, the signal in force
expires, a limit order may fill or is due to be cancelled, a UTC day begins (the risk gate's daily
loss); or a market order's fill time (below). Ticks where none of these can happen are the ticks a
fixed clock would spend repeating the last one, so they are skipped: same decisions, same fills, same
prices.

The fill rule is the matched venues' one: a market order decided at market time ``d`` fills at the
quote in force at ``d + fill delay``, stamped then. The paper exchange executes a queued market order
on the first clock step at least its ``TRADE_EXECUTION_DELAY`` after the one that created it; in
replay that delay is 0 clock steps, so it executes on the next step, and while it holds a queued order
the event clock shows that next step at exactly the order's market time plus the venue's fill delay:
on the grid when the delay is a whole number of ticks (and the order was placed on it), at that exact
time off the grid otherwise (never rounded to a tick, so the quote in force is the one at the fill
time), and at the deciding step's own market time when the delay is 0 (the exchange ticks before the
strategy, so a fill needs a step of its own). Nothing is stepped in between: a quote or signal that
comes while the order waits is taken at the fill's step (the order is in flight, so nothing is decided
on it anyway). An order due after the end of the data is not filled, as on the other platforms.
"""

from __future__ import annotations

from collections.abc import Callable

from hummingbot.core.py_time_iterator import PyTimeIterator

from shared_signals.config import NANOS_PER_DAY, NANOS_PER_SECOND

WakeUp = Callable[[int], int | None]
"""Given the market time of the step just done, the next market time at which a source can change
anything (or None: not by time alone)."""
CLOCK_STEP_S = 1.0
"""The ``Clock``'s own tick: it counts steps; :meth:`EventClock.market_ns` turns a step into market time."""
REMEMBERED_STEPS = 64
"""Steps whose market time is kept for events that arrive after their step (the exchange posts some
as tasks); a power of two, so a step's slot is ``step & (REMEMBERED_STEPS - 1)``."""


def next_utc_day(now_ns: int) -> int:
    """The start of the next UTC day: the risk gate's daily loss starts from the equity seen then."""
    return now_ns - now_ns % NANOS_PER_DAY + NANOS_PER_DAY


class EventClock(PyTimeIterator):
    """Decides, at each step of Hummingbot's clock, the market time that step shows.

    ``every_tick`` steps every tick of the grid, as Hummingbot's clock alone would (but for the fill
    steps, which keep the fill rule): the reference against which skipping idle ticks is checked, and
    the choice of a user who wants it. ``fill_delay_ns``: the venue's market-order fill delay.
    """

    def __init__(self, first_ns: int, tick_ns: int, end_ns: int, fill_delay_ns: int = 0, every_tick: bool = False) -> None:
        super().__init__()
        self.first_ns = first_ns
        self.tick_ns = tick_ns
        self.end_ns = end_ns
        self.last_ns = self.grid_ceil(end_ns)
        """The last tick: the first one at or after the end of the data (or of ``--duration``)."""
        self.fill_delay_ns = fill_delay_ns
        self.clock_start_s = float(first_ns // NANOS_PER_SECOND - 1)
        """A whole number of seconds, so step ``k`` is at exactly ``clock_start_s + k`` (no float drift)."""
        self.every_tick = every_tick
        self.steps = 0
        self.fill_steps = 0
        """Of ``steps``, those beside the grid's ticks: a market order's fill off the grid, or a second
        step at the same market time (a fill with no delay)."""
        self.finished = False
        self._wake_ups: tuple[WakeUp, ...] = (next_utc_day,)
        self._queued: Callable[[], float | None] = _nothing_queued
        self._now_ns = first_ns
        self._recent: list[tuple[int, int]] = [(-1, first_ns)] * REMEMBERED_STEPS
        """(step, market time) of the recent steps, each in its slot."""

    def wake_on(self, *wake_ups: WakeUp) -> None:
        """Adds sources of moments at which something can happen."""
        self._wake_ups += wake_ups

    def hold_for(self, queued: Callable[[], float | None]) -> None:
        """``queued()``: the clock time of the step that created the earliest market order the paper
        exchange holds, waiting for execution (None: none). While there is one, the next step is its fill time."""
        self._queued = queued

    def grid_ceil(self, t_ns: int) -> int:
        """The first tick of the grid at or after ``t_ns``."""
        first, tick = self.first_ns, self.tick_ns
        return first - ((first - t_ns) // tick) * tick

    @property
    def now_ns(self) -> int:
        """The market time of the current step."""
        return self._now_ns

    @property
    def ticks(self) -> int:
        """Ticks of the grid spanned so far: what a clock stepping every tick would have stepped."""
        return (self._now_ns - self.first_ns) // self.tick_ns + 1 if self.steps else 0

    def tick(self, timestamp: float) -> None:
        step = int(timestamp - self.clock_start_s)
        t_ns, limit_ns = (self.first_ns, self.last_ns) if self.steps == 0 else self._next_step()
        if t_ns is None or t_ns > limit_ns:
            self.finished = True
            raise StopIteration
        if self.steps and (t_ns == self._now_ns or (t_ns - self.first_ns) % self.tick_ns):
            self.fill_steps += 1
        self._now_ns = t_ns
        self._recent[step & (REMEMBERED_STEPS - 1)] = (step, t_ns)
        self.steps += 1

    def _next_step(self) -> tuple[int | None, int]:
        """The next step's market time (None: nothing left to happen) and the latest it may be: a fill's
        is its exact fill time, up to the end of the data; any other is a tick of the grid after now."""
        queued_s = self._queued()
        if queued_s is not None:
            return self.market_ns(queued_s) + self.fill_delay_ns, self.end_ns
        now = self._now_ns
        after_now = self.grid_ceil(now + 1)
        if self.every_tick:
            return after_now, self.last_ns
        moments = [m for m in (wake_up(now) for wake_up in self._wake_ups) if m is not None]
        if not moments:
            return None, self.last_ns
        return max(self.grid_ceil(min(moments)), after_now), self.last_ns

    def resume(self) -> None:
        """Steps again after :attr:`finished`: the run's close at the end is queued, and its fill is
        due (up to the end of the data, as any fill)."""
        self.finished = False

    def market_ns(self, timestamp: float) -> int:
        """The market time of a recent clock step (the current one, or one whose events arrive late)."""
        step = int(timestamp - self.clock_start_s)
        remembered, t_ns = self._recent[step & (REMEMBERED_STEPS - 1)]
        if remembered != step:
            raise ValueError(f"clock step {step} is not one of the last {REMEMBERED_STEPS} steps")
        return t_ns


def _nothing_queued() -> None:
    return None
