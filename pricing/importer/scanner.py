"""Guessing where the tables are and what their columns mean, or applying a given mapping.

The result (``pricing.importer.guesses``) is what the import wizard shows: per table its
sheet, header row, kind, each column's field and unit with the reason, and a preview of the
first data rows.  Runs of month columns are read in ``pricing.importer.month_columns``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from pricing.importer.headers import (
    BARE, COUNT_FIELDS, FRACTION_FIELDS, KIND_FIELDS, PRICE_FIELDS, REQUESTS_IN_MONTH, find_header_rows,
    month_of_header, normalize,
)
from pricing.importer.guesses import ColumnGuess, ImportScan, TableGuess
from pricing.importer.layout import layout_signature, layout_signature_of
from pricing.importer.mapping import ImportMapping
from pricing.importer.month_columns import month_columns
from pricing.importer.sources import SheetData, SourceData, column_index
from pricing.importer.units import (
    PERCENT, UNIT_NAMES, cell_text, count_unit_in, guess_price_unit, is_blank, price_unit_in, to_month, to_number,
)
from pricing.plan.months import label

PREVIEW_ROWS = 20
SAMPLE_ROWS = 500

__all__ = ["ColumnGuess", "ImportScan", "TableGuess", "guess_tables", "layout_signature", "layout_signature_of",
           "tables_from_mapping"]


# --------------------------------------------------------------------------- guessing
def _before_titles(rows: list[list[object]], header_row: int, next_header_row: int) -> int:
    """Where a table ends when another one follows on the sheet: before the blank rows and the
    title rows ("Workloads", a single text cell) just above the next table's header."""
    end = next_header_row
    while end - 1 > header_row:
        filled = [v for v in rows[end - 1] if not is_blank(v)]
        if len(filled) > 1 or (filled and not isinstance(filled[0], str)):
            break
        end -= 1
    return end


def guess_tables(source: SourceData) -> list[TableGuess]:
    tables: list[TableGuess] = []
    from pricing.importer.recognise import computed_sheets

    skipped = set(computed_sheets(source))
    for sheet in source.sheets:
        if sheet.name in skipped:
            continue
        headers = find_header_rows(sheet.rows, sheet.name)
        for n, header in enumerate(headers):
            end = _before_titles(sheet.rows, header.row, headers[n + 1].row) if n + 1 < len(headers) else len(sheet.rows)
            columns = []
            for col, value in enumerate(sheet.rows[header.row]):
                if is_blank(value):
                    continue
                found = header.fields.get(col)
                columns.append(ColumnGuess(col + sheet.col_offset, sheet.letter(col), cell_text(value),
                                           found[0] if found else None, None,
                                           found[1] if found else "header not recognised: column ignored"))
            tables.append(_finish(sheet, header.row, end, header.kind, columns, detect_months=True))
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
        months: dict[int, date] = {}
        for where, month_text in spec.months.items():
            if spec.kind != "workloads":
                problems.append(f"months are only read in a workloads table (sheet {spec.sheet!r})")
                break
            col = _locate(where, header_cells, sheet)
            if col is None:
                problems.append(f"month column {where!r} not found in sheet {spec.sheet!r} row {spec.header_row}")
                continue
            try:
                months[col] = to_month(month_text)
            except ValueError as exc:
                problems.append(f"month column {where!r} of sheet {spec.sheet!r}: {exc}")
                continue
            wanted[col] = REQUESTS_IN_MONTH
        for col, fieldname in list(wanted.items()):
            if fieldname == REQUESTS_IN_MONTH and col not in months:  # columns = {requests_in_month = "E"}
                found = month_of_header(header_cells[col] if col < len(header_cells) else None)
                if found is None:
                    problems.append(f"column {sheet.letter(col)} of sheet {spec.sheet!r} is mapped to requests_in_month, "
                                    "but its header names no month (list it under months with its month)")
                    del wanted[col]
                else:
                    months[col] = found[0]
        seen: dict[date, int] = {}
        for col, month in sorted(months.items()):
            if month in seen:
                problems.append(f"columns {sheet.letter(seen[month])} and {sheet.letter(col)} of sheet {spec.sheet!r} "
                                f"both hold {label(month)}; only {sheet.letter(seen[month])} is read")
                wanted.pop(col, None)
            else:
                seen[month] = col
        columns = []
        for col in sorted(set(range(len(header_cells))) | set(wanted)):
            value = header_cells[col] if col < len(header_cells) else ""
            if is_blank(value) and col not in wanted:
                continue
            fieldname = wanted.get(col)
            reason = "given by the mapping" if fieldname else "not in the mapping: column ignored"
            month = months.get(col) if fieldname == REQUESTS_IN_MONTH else None
            if month is not None:
                reason = f"given by the mapping: requests in {label(month)}"
            columns.append(ColumnGuess(col + sheet.col_offset, sheet.letter(col), cell_text(value), fieldname,
                                       spec.units.get(fieldname) if fieldname else None, reason, month))
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
            given_units: dict[str, str] | None = None, detect_months: bool = False) -> TableGuess:
    notes = [cell_text(v) for r in sheet.rows[max(0, row - 10):row] for v in r if isinstance(v, str) and v.strip()]
    data_rows = [r for r in sheet.rows[row + 1:min(end, row + 1 + SAMPLE_ROWS)] if any(not is_blank(v) for v in r)]
    if not given_units:
        from pricing.importer.recognise import rate_card_kind

        kind = rate_card_kind(kind, columns, data_rows, sheet.col_offset)
    month_notes = month_columns(sheet, row, columns, data_rows) if detect_months and kind == "workloads" else []
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
    return TableGuess(sheet.name, row + sheet.row_offset + 1, kind, columns, preview, notes, sheet, row, end,
                      month_notes)


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
