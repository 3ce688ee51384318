"""The Hummingbot side of the comparison: a signal provider (file or MQTT) and a real Hummingbot strategy."""

from shared_signals.arrow_memory import select_arrow_pool

select_arrow_pool()
