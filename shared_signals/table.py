"""A validated, time-sorted signal set for one instrument, with cheap per-row access for the hot path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from shared_signals.schema import Signal, SignalSide


@dataclass
class SignalTable:
    """Signals of one instrument; ``frame`` is indexed by a strictly increasing UTC DatetimeIndex."""

    symbol: str
    frame: pd.DataFrame
    source: Path | None = None
    ts_ns: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.ts_ns = self.frame.index.as_unit("ns").asi8.copy()
        self._columns = {c: self.frame[c].to_numpy() for c in self.frame.columns}

    def __len__(self) -> int:
        return len(self.frame)

    def signal_id(self, i: int) -> str:
        return f"{self.symbol}:{int(self.ts_ns[i])}"

    def signal(self, i: int) -> Signal:
        """Row ``i`` as a new :class:`Signal` (not kept: a replay builds each row once, in time order)."""
        c = self._columns
        return Signal(
            signal_id=self.signal_id(i),
            ts_ns=int(self.ts_ns[i]),
            q10=float(c["q10"][i]),
            q50=float(c["q50"][i]),
            q90=float(c["q90"][i]),
            prob_up=float(c["prob_up"][i]),
            side=SignalSide(int(c["side"][i])),
            vol_risk=float(c["vol_risk"][i]),
            tier_confidence=float(c["tier_confidence"][i]),
            fg_index=float(c["fg_index"][i]),
            vol_scaled=float(c["vol_scaled"][i]),
            signal_rel=float(c["signal_rel"][i]),
            regime_volatility=str(c["regime_volatility"][i]),
            vol_decile=int(c["vol_decile"][i]),
        )
