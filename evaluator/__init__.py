"""Journals in, report out: the supervisor, the metrics, the scores and the CLI."""

from shared_signals.arrow_memory import select_arrow_pool

select_arrow_pool()
