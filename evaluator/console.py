"""The CLI's rich consoles: results to stdout, errors and progress to stderr."""

from rich.console import Console

out = Console()
err = Console(stderr=True)
