"""The comparison report: charts, metrics.json and report.md, rebuilt from a run folder alone."""
