"""The journal's vocabularies: each event kind, and the short code that states its fact.

A record's ``kind`` says what happened; its ``code`` says which case of it (which skip, which
refusal, which notice, which error), from the enum :data:`CODES` names for that kind. Programs read
the code; the ``reason`` beside it is for people and may change wording at any time.
"""

from __future__ import annotations

from enum import StrEnum

from shared_signals.decision import Action
from shared_signals.risk import RiskRule


class EventKind(StrEnum):
    SIGNAL_PUBLISHED = "signal_published"
    """A provider handed a signal to its transport (code: :class:`Delivery`)."""
    MESSAGE_RECEIVED = "message_received"
    """An MQTT message reached the strategy process (``wall_ns`` = arrival), valid or not, before any tick."""
    SIGNAL_RECEIVED = "signal_received"
    """The first quote or tick at which the signal is in force."""
    SIGNAL_SKIPPED = "signal_skipped"
    """A signal refused before it could be traded (code: :class:`SkipKind`)."""
    DECISION = "decision"
    """What the shared decision answered (code: :class:`~shared_signals.decision.Action`)."""
    ORDER_SUBMITTED = "order_submitted"
    ORDER_ACCEPTED = "order_accepted"
    """The venue took the order (Nautilus' ``OrderAccepted``; Hummingbot's ``OrderCreated`` event):
    submitted → accepted is the platform's path to its venue, accepted → filled the venue's own."""
    ORDER_REJECTED = "order_rejected"
    """An order refused by the shared risk gate, the platform or its venue (code: :data:`REFUSAL_KINDS`)."""
    ORDER_FILLED = "order_filled"
    ERROR = "error"
    """Something went wrong, or the run was told to stop (code: :class:`ErrorKind`)."""
    HEARTBEAT = "heartbeat"
    TRANSPORT = "transport"
    """The transport's connection changed or a held message was resent (code: :class:`NoticeKind`)."""


class Component(StrEnum):
    """Which process of a platform wrote a record: Hummingbot's provider runs apart from its strategy."""

    STRATEGY = "strategy"
    PROVIDER = "provider"


class SkipKind(StrEnum):
    INVALID = "invalid"
    """Unreadable, half-written, wrong schema or bad numbers."""
    DUPLICATE = "duplicate"
    """A signal_id already received."""
    OUT_OF_ORDER = "out_of_order"
    """Not newer than the signal in force."""
    STALE = "stale"
    """Older than the tolerance when it arrived."""
    EXPIRED = "expired"
    """The signal in force outlived the tolerance with no newer one."""


class VenueRefusal(StrEnum):
    """Refusals after the shared risk gate approved: the platform's own checks or its venue."""

    PLATFORM_DENIED = "platform_denied"
    """The platform's own pre-trade checks (Nautilus' RiskEngine)."""
    VENUE_REJECTED = "venue_rejected"
    VENUE_FAILED = "venue_failed"
    VENUE_CANCELLED = "venue_cancelled"
    LIMIT_TIMEOUT = "limit_timeout"
    """A limit order rested unfilled past its timeout and was cancelled (it may be tried again)."""
    ROUNDS_TO_ZERO = "rounds_to_zero"
    """The venue's quantization rounds the order to nothing."""


REFUSAL_KINDS: tuple[type[StrEnum], ...] = (RiskRule, VenueRefusal)
"""An ``order_rejected`` code is the risk gate's rule or the venue's refusal."""


class NoticeKind(StrEnum):
    CONNECTION_LOST = "connection_lost"
    RECONNECTED = "reconnected"
    RESENT = "resent"
    """A message held while the broker was away was sent again."""
    OUTBOX_FULL = "outbox_full"
    """The oldest held message was dropped to make room."""


class Delivery(StrEnum):
    """What the transport did with a published signal."""

    WRITTEN = "written"
    """The signal file was replaced atomically."""
    ACKNOWLEDGED = "acknowledged"
    """The broker acknowledged it (QoS 1 or 2)."""
    SENT = "sent"
    """Sent with no acknowledgement asked (QoS 0)."""
    HELD = "held"
    """The broker was away: kept for resending (QoS 1)."""
    DROPPED = "dropped"
    """The broker was away: lost (QoS 0)."""


UNDELIVERED = frozenset({Delivery.HELD, Delivery.DROPPED})
"""Published while the broker was unreachable."""


class ErrorKind(StrEnum):
    INTERRUPTED = "interrupted"
    """Told to stop (Ctrl-C, the supervisor, a dead harness): the user's doing, not the platform's error."""
    BAD_INPUT = "bad_input"
    """A bad row met mid-file: the run stopped."""
    RUN_FAILED = "run_failed"
    """The platform's engine or feed failed: the run stopped."""
    NODE_STOPPED = "node_stopped"
    """The platform stopped on its own before the end."""
    HANDLER_FAILED = "handler_failed"
    """One quote, tick or fill handler raised; the run went on."""
    PROVIDER_EXITED = "provider_exited"
    """The signal provider's process exited with an error: no new signals."""
    PLATFORM_GONE = "platform_gone"
    """The provider saw its platform process gone and stopped publishing."""
    DELIVERY_LATE = "delivery_late"
    """A replay over MQTT waited in vain for a message to come back."""


class ExitCause(StrEnum):
    """Why an order that reduces or closes a position was sent: the ``code`` of its ``order_submitted``
    and ``order_filled`` records (an order that opens or adds carries none)."""

    SIGNAL = "signal"
    """A signal flipped the side or asked to close (the shared decision)."""
    STOP_LOSS = "stop_loss"
    TAKE_PROFIT = "take_profit"
    TIME_LIMIT = "time_limit"
    TRAILING_STOP = "trailing_stop"
    """The barriers of ``SignalCoreConfig.exits``."""
    KILL_SWITCH = "kill_switch"
    """The risk gate's daily-loss or drawdown switch flattened the position."""
    END_OF_RUN = "end_of_run"
    """The run ended with a position open: closed at stop."""


USER_STOPS = frozenset({ErrorKind.INTERRUPTED})
"""Error codes that are the user's stop, not a platform error."""

CODES: dict[EventKind, tuple[type[StrEnum], ...]] = {
    EventKind.SIGNAL_PUBLISHED: (Delivery,),
    EventKind.SIGNAL_SKIPPED: (SkipKind,),
    EventKind.DECISION: (Action,),
    EventKind.ORDER_SUBMITTED: (ExitCause,),
    EventKind.ORDER_FILLED: (ExitCause,),
    EventKind.ORDER_REJECTED: REFUSAL_KINDS,
    EventKind.ERROR: (ErrorKind,),
    EventKind.TRANSPORT: (NoticeKind,),
}
"""The vocabulary of each kind's ``code``; kinds not listed carry none."""

INTERRUPTED_REASON = "interrupted (SIGINT/SIGTERM): run stopped"
"""The words journaled with an ``interrupted`` error, for people."""
