"""The errors of reading files: a plan file that cannot be opened, a file refused whole."""

from __future__ import annotations

from pathlib import Path


class PlanFileError(Exception):
    """A plan file that cannot be opened; the message names the file and the reason."""


class ImportRefused(Exception):
    """A file refused whole; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")
