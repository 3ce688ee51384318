"""Journals in, report out: the supervisor, the metrics, the scores and the CLI."""

import shared_signals  # noqa: F401 - first: it selects pyarrow's allocator before pyarrow loads (arrow_memory)
