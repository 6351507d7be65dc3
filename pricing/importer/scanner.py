"""Guessing where the tables are and what their columns mean, or applying a given mapping.

The result is what the import wizard shows: per table its sheet, header row, kind, each
column's field and unit with the reason, and a preview of the first data rows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pricing.importer.headers import (
    BARE, COUNT_FIELDS, FRACTION_FIELDS, KIND_FIELDS, PRICE_FIELDS, field_for, find_header_rows,
    normalize,
)
from pricing.importer.mapping import ImportMapping, TableMapping
from pricing.importer.sources import SheetData, SourceData, column_index
from pricing.importer.units import (
    PERCENT, UNIT_NAMES, cell_text, count_unit_in, guess_price_unit, is_blank, price_unit_in, to_number,
)

PREVIEW_ROWS = 20
SAMPLE_ROWS = 500


@dataclass
class ColumnGuess:
    index: int            # 0-based column in the sheet (A = 0)
    letter: str
    header: str
    field: str | None
    unit: str | None
    reason: str


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

    def column_of(self, name: str) -> ColumnGuess | None:
        return next((c for c in self.columns if c.field == name), None)

    def to_mapping(self) -> TableMapping:
        return TableMapping(
            sheet=self.sheet, header_row=self.header_row, kind=self.kind,  # type: ignore[arg-type]
            columns={c.field: c.letter for c in self.columns if c.field},
            units={c.field: c.unit for c in self.columns if c.field and c.unit},
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


# --------------------------------------------------------------------------- guessing
def guess_tables(source: SourceData) -> list[TableGuess]:
    tables: list[TableGuess] = []
    for sheet in source.sheets:
        headers = find_header_rows(sheet.rows)
        for n, header in enumerate(headers):
            end = headers[n + 1].row if n + 1 < len(headers) else len(sheet.rows)
            columns = []
            for col, value in enumerate(sheet.rows[header.row]):
                if is_blank(value):
                    continue
                found = header.fields.get(col)
                columns.append(ColumnGuess(col + sheet.col_offset, sheet.letter(col), cell_text(value),
                                           found[0] if found else None, None,
                                           found[1] if found else "header not recognised: column ignored"))
            tables.append(_finish(sheet, header.row, end, header.kind, columns))
    return tables


def tables_from_mapping(source: SourceData, mapping: ImportMapping) -> tuple[list[TableGuess], list[str]]:
    """Apply an explicit mapping; returns the tables and problems with the mapping itself."""
    problems: list[str] = []
    tables: list[TableGuess] = []
    by_name = {s.name.lower(): s for s in source.sheets}
    for spec in mapping.tables:
        sheet = by_name.get(spec.sheet.lower())
        if sheet is None and len(source.sheets) == 1 and source.kind == "text":
            sheet = source.sheets[0]
        if sheet is None:
            problems.append(f"mapping names sheet {spec.sheet!r}, which the file does not have")
            continue
        index = spec.header_row - 1 - sheet.row_offset
        if not 0 <= index < len(sheet.rows):
            problems.append(f"mapping puts the header of sheet {spec.sheet!r} on row {spec.header_row}, "
                            "which is outside the sheet")
            continue
        header_cells = sheet.rows[index]
        wanted: dict[int, str] = {}
        for fieldname, where in spec.columns.items():
            if fieldname not in KIND_FIELDS[spec.kind]:
                problems.append(f"{fieldname!r} is not a field of a {spec.kind} table (sheet {spec.sheet!r})")
                continue
            col = _locate(where, header_cells, sheet)
            if col is None:
                problems.append(f"column {where!r} for {fieldname} not found in sheet {spec.sheet!r} row {spec.header_row}")
                continue
            wanted[col] = fieldname
        columns = []
        for col in sorted(set(range(len(header_cells))) | set(wanted)):
            value = header_cells[col] if col < len(header_cells) else ""
            if is_blank(value) and col not in wanted:
                continue
            fieldname = wanted.get(col)
            columns.append(ColumnGuess(col + sheet.col_offset, sheet.letter(col), cell_text(value), fieldname,
                                       spec.units.get(fieldname) if fieldname else None,
                                       "given by the mapping" if fieldname else "not in the mapping: column ignored"))
        end = len(sheet.rows)
        for other in mapping.tables:
            if other is not spec and other.sheet.lower() == spec.sheet.lower() and other.header_row > spec.header_row:
                end = min(end, other.header_row - 1 - sheet.row_offset)
        if spec.last_row is not None:
            end = min(end, spec.last_row - sheet.row_offset)
        tables.append(_finish(sheet, index, end, spec.kind, columns, given_units=spec.units))
    return tables, problems


def _locate(where: str, header_cells: list[object], sheet: SheetData) -> int | None:
    text = where.strip()
    for col, value in enumerate(header_cells):
        if normalize(cell_text(value)) == normalize(text) and text:
            return col
    if re.fullmatch(r"[A-Za-z]{1,3}", text):
        col = column_index(text) - sheet.col_offset
        return col if col >= 0 else None
    return None


def _finish(sheet: SheetData, row: int, end: int, kind: str, columns: list[ColumnGuess],
            given_units: dict[str, str] | None = None) -> TableGuess:
    notes = [cell_text(v) for r in sheet.rows[max(0, row - 10):row] for v in r if isinstance(v, str) and v.strip()]
    data_rows = [r for r in sheet.rows[row + 1:min(end, row + 1 + SAMPLE_ROWS)] if any(not is_blank(v) for v in r)]
    _settle_bare_columns(kind, columns, data_rows, sheet.col_offset)
    note_text = " ".join(notes)
    for column in columns:
        if not column.field:
            continue
        if given_units and column.field in given_units:
            column.unit = given_units[column.field]
            continue
        column.unit, why = _unit_for(column, note_text, data_rows, sheet.col_offset)
        if why:
            column.reason = f"{column.reason}; {why}"
    width = max((c.index - sheet.col_offset + 1 for c in columns), default=0)
    preview = [[cell_text(r[i]) if i < len(r) else "" for i in range(width)] for r in data_rows[:PREVIEW_ROWS]]
    return TableGuess(sheet.name, row + sheet.row_offset + 1, kind, columns, preview, notes, sheet, row, end)


def _values(data_rows: list[list[object]], col: int) -> list[Decimal]:
    out = []
    for r in data_rows:
        if col < len(r) and not is_blank(r[col]):
            try:
                out.append(to_number(r[col]))
            except ValueError:
                pass
    return out


def _settle_bare_columns(kind: str, columns: list[ColumnGuess], data_rows, col_offset: int) -> None:
    """A bare 'Input'/'Output' in a workloads table: token counts or prices, by their size."""
    if kind != "workloads":
        return
    taken = {c.field for c in columns}
    for column in columns:
        if column.field in ("input_tokens", "output_tokens") and normalize(column.header) in BARE:
            values = sorted(_values(data_rows, column.index - col_offset))
            if values and values[len(values) // 2] < 20:
                price = "input_mtok" if column.field == "input_tokens" else "output_mtok"
                if price not in taken:
                    column.field = price
                    column.reason += f"; its values are small (median {values[len(values) // 2]}): read as {price}"


def _unit_for(column: ColumnGuess, notes: str, data_rows, col_offset: int) -> tuple[str | None, str]:
    name = column.field
    if name in PRICE_FIELDS:
        unit = price_unit_in(column.header)
        if unit:
            return unit, f"prices {UNIT_NAMES[unit]} (from the header)"
        unit = price_unit_in(notes)
        if unit:
            return unit, f"prices {UNIT_NAMES[unit]} (from the note above the table)"
        unit = guess_price_unit(_values(data_rows, column.index - col_offset))
        return unit, f"no unit written: assumed {UNIT_NAMES[unit]} from the size of the prices"
    if name in COUNT_FIELDS:
        unit = count_unit_in(column.header)
        if unit:
            return unit, f"values {UNIT_NAMES[unit]} (from the header)"
        return "count", ""
    if name in FRACTION_FIELDS:
        return PERCENT, ""
    return None, ""


# --------------------------------------------------------------------------- layout signature
def layout_signature(source: SourceData) -> str:
    """A digest of sheet names and header texts: files of one layout share it."""
    parts = []
    for sheet in source.sheets:
        parts.append("#" + sheet.name.lower() if source.kind != "text" else "#")
        headers = find_header_rows(sheet.rows)
        rows = [h.row for h in headers]
        if not rows:
            rows = [i for i, r in enumerate(sheet.rows[:30])
                    if sum(1 for v in r if isinstance(v, str) and v.strip() and field_for(v)[0]) >= 2][:1]
        for row in rows:
            parts.append("|".join(normalize(cell_text(v)) for v in sheet.rows[row]))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def layout_signature_of(path: Path) -> str:
    from pricing.importer.sources import read_source

    return layout_signature(read_source(path))
