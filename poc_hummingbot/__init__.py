"""The Hummingbot side of the comparison: a signal provider (file or MQTT) and a real Hummingbot strategy."""

import shared_signals  # noqa: F401 - first: it selects pyarrow's allocator before pyarrow loads (arrow_memory)
