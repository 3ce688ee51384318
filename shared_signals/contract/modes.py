"""The two ways a platform runs: a replay on its own simulated clock, or live paper trading on the wall
clock."""

from typing import Literal, get_args

Mode = Literal["replay", "live"]
REPLAY: Mode = "replay"
LIVE: Mode = "live"
MODES: tuple[str, ...] = get_args(Mode)
