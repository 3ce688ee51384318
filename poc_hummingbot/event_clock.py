"""Replay time for Hummingbot's ``Clock``: one clock step per moment at which something can happen.

Hummingbot's BACKTEST ``Clock`` ticks every ``tick_size`` whether or not anything changed, so its cost
follows simulated seconds: a year of 15-minute quotes is 31 million one-second ticks for 35,000
quotes. :class:`EventClock` is the first iterator on that same ``Clock`` (which still drives the
provider, the quote feeder, the paper exchange and the strategy, in that order, step by step). Each
clock step is shown the market time of the next tick of the grid (``first quote + k * tick``) at
which something can happen: a quote changes the book, a signal becomes due, the signal in force
expires, an order is due to fill or a limit order to be cancelled, a UTC day begins (the risk gate's
daily loss). Ticks where none of these can happen are the ticks a fixed clock would spend repeating
the last one, so they are skipped: same decisions, same fills, same prices.

The paper exchange fills a market order on the next clock step (its delay is 0 in clock steps): the
step after an order is placed is therefore its fill time, one tick later or the venue model's delay
rounded up to ticks, and nothing is stepped in between. With a fill delay of one tick (the default)
that is exactly what a fixed clock does; with a longer delay, a quote or signal that comes while an
order waits for its fill is taken at the fill's tick (the order is in flight, so nothing is decided
on it anyway).
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

    ``every_tick`` steps every tick of the grid, as Hummingbot's clock alone would: the reference
    against which skipping idle ticks is checked, and the choice of a user who wants it.
    """

    def __init__(self, first_ns: int, tick_ns: int, end_ns: int, every_tick: bool = False) -> None:
        super().__init__()
        self.first_ns = first_ns
        self.tick_ns = tick_ns
        self.end_ns = end_ns
        self.last_ns = self.grid_ceil(end_ns)
        """The last tick: the first one at or after the end of the data (or of ``--duration``)."""
        self.clock_start_s = float(first_ns // NANOS_PER_SECOND - 1)
        """A whole number of seconds, so step ``k`` is at exactly ``clock_start_s + k`` (no float drift)."""
        self.every_tick = every_tick
        self.steps = 0
        self.finished = False
        self._wake_ups: tuple[WakeUp, ...] = (next_utc_day,)
        self._fill_due: Callable[[], int | None] = _nothing_due
        self._now_ns = first_ns
        self._recent: list[tuple[int, int]] = [(-1, first_ns)] * REMEMBERED_STEPS
        """(step, market time) of the recent steps, each in its slot."""

    def wake_on(self, *wake_ups: WakeUp) -> None:
        """Adds sources of moments at which something can happen."""
        self._wake_ups += wake_ups

    def hold_for(self, fill_due: Callable[[], int | None]) -> None:
        """While ``fill_due()`` gives a time (an order waits for its fill), the next step is that time."""
        self._fill_due = fill_due

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
        if self.steps == 0:
            t_ns = self.first_ns
        else:
            now = self._now_ns
            if self.every_tick:
                t_ns = now
            else:
                t_ns = self._fill_due()
                if t_ns is None:
                    for wake_up in self._wake_ups:
                        moment = wake_up(now)
                        if moment is not None and (t_ns is None or moment < t_ns):
                            t_ns = moment
                    if t_ns is None:
                        self.finished = True
                        raise StopIteration
            t_ns = self.grid_ceil(t_ns)
            if t_ns <= now:
                t_ns = now + self.tick_ns
        if t_ns > self.last_ns:
            self.finished = True
            raise StopIteration
        self._now_ns = t_ns
        self._recent[step & (REMEMBERED_STEPS - 1)] = (step, t_ns)
        self.steps += 1

    def market_ns(self, timestamp: float) -> int:
        """The market time of a recent clock step (the current one, or one whose events arrive late)."""
        step = int(timestamp - self.clock_start_s)
        remembered, t_ns = self._recent[step & (REMEMBERED_STEPS - 1)]
        if remembered != step:
            raise ValueError(f"clock step {step} is not one of the last {REMEMBERED_STEPS} steps")
        return t_ns


def _nothing_due() -> None:
    return None
