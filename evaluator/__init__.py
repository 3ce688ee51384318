"""Journals in, report out: the supervisor, the metrics, the scores and the CLI."""
