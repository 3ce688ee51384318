"""The one error type a user mistake becomes: it renders as a single line naming what and where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """Bad user input: a file, a column, a row. The CLI prints ``str(err)`` and exits non-zero."""

    what: str
    file: str | Path | None = None
    column: str | None = None
    row: int | None = None
    """1-based data row in file order (the header is not counted)."""
    at: str | None = None
    """The row's timestamp or index value, when known."""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}" + (f" ({self.at})" if self.at else ""))
        prefix = ", ".join(where)
        return f"{prefix}: {self.what}" if prefix else self.what
