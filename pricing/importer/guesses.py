"""What a scan found: each table's sheet, header row and kind, each column's field and unit
with the reason, and a preview of the first data rows (what the import wizard shows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pricing.importer.headers import REQUESTS_IN_MONTH
from pricing.importer.mapping import ImportMapping, TableMapping
from pricing.importer.sources import SheetData, SourceData


@dataclass
class ColumnGuess:
    index: int            # 0-based column in the sheet (A = 0)
    letter: str
    header: str
    field: str | None
    unit: str | None
    reason: str
    #: The calendar month the header names, for a column of a run of month columns (used as
    #: ``requests_in_month`` or not).
    month: date | None = None


@dataclass
class TableGuess:
    sheet: str
    header_row: int       # 1-based row number in the sheet
    kind: str
    columns: list[ColumnGuess]
    preview_rows: list[list[str]]
    #: Text found above the table (titles, unit notes).
    notes: list[str] = field(default_factory=list)
    data: SheetData | None = field(default=None, repr=False)
    #: Indexes into data.rows: header row, and one past the last row of the table.
    first_index: int = 0
    end_index: int = 0
    #: What was decided about month columns that are not read as requests, and why.
    month_notes: list[str] = field(default_factory=list)

    def column_of(self, name: str) -> ColumnGuess | None:
        return next((c for c in self.columns if c.field == name), None)

    def month_columns(self) -> list[ColumnGuess]:
        """The columns read as the requests of one month each, in column order."""
        return [c for c in self.columns if c.field == REQUESTS_IN_MONTH and c.month is not None]

    def to_mapping(self) -> TableMapping:
        return TableMapping(
            sheet=self.sheet, header_row=self.header_row, kind=self.kind,  # type: ignore[arg-type]
            columns={c.field: c.letter for c in self.columns if c.field and c.field != REQUESTS_IN_MONTH},
            units={c.field: c.unit for c in self.columns if c.field and c.unit},
            months={c.letter: f"{c.month:%Y-%m}" for c in self.month_columns()},
        )


@dataclass
class ImportScan:
    path: Path
    tables: list[TableGuess]
    #: Layout signature under which a mapping is remembered.
    signature: str = ""
    notes: list[str] = field(default_factory=list)
    #: The cells read, so an import of what was scanned need not read the file again.
    source: SourceData | None = field(default=None, repr=False, compare=False)

    def to_mapping(self) -> ImportMapping:
        return ImportMapping(tables=[t.to_mapping() for t in self.tables])
