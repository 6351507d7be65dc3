"""Problems found in a plan or a file, as values that name their place.

A bad cell is a finding, not an exception: readers return ``plan, findings`` and the
engine returns findings next to its figures, so one bad row never hides the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"      # the figure cannot be trusted (or is left out)
    WARNING = "warning"  # priced as given, but look at it
    INFO = "info"        # a decision was made for you (a unit assumed, a row skipped)


@dataclass(frozen=True, slots=True)
class Finding:
    message: str
    severity: Severity = Severity.ERROR
    field: str | None = None
    workload: str | None = None
    #: Index of the workload in the plan (engine findings).
    row: int | None = None
    file: str | None = None
    sheet: str | None = None
    #: A1 reference of the cell, e.g. "C7".
    cell: str | None = None

    @property
    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        if self.workload is not None:
            parts.append(f"workload {self.workload!r}")
        if self.field:
            parts.append(self.field)
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place
        return f"{self.severity}: {place}: {self.message}" if place else f"{self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None} | {
            "severity": str(self.severity)
        }


def severity_counts(findings) -> tuple[int, int]:
    """(errors, warnings) among ``findings``."""
    errors = warnings = 0
    for f in findings:
        if f.severity is Severity.ERROR:
            errors += 1
        elif f.severity is Severity.WARNING:
            warnings += 1
    return errors, warnings
