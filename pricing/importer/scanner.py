"""Guessing where the tables are and what their columns mean, or applying a given mapping.

The result is what the import wizard shows: per table its sheet, header row, kind, each
column's field and unit with the reason, and a preview of the first data rows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from pricing.importer.headers import (
    BARE, COUNT_FIELDS, FRACTION_FIELDS, KIND_FIELDS, PRICE_FIELDS, REQUESTS_IN_MONTH, field_for, field_in_kind,
    find_header_rows, measure_of, month_name_of_header, month_of_header, normalize,
)
from pricing.importer.mapping import ImportMapping, TableMapping
from pricing.importer.sources import SheetData, SourceData, column_index
from pricing.importer.units import (
    PERCENT, UNIT_NAMES, cell_text, count_unit_in, guess_price_unit, is_blank, price_unit_in, to_month, to_number,
)
from pricing.plan.months import find_year, label

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
    for sheet in source.sheets:
        headers = find_header_rows(sheet.rows)
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
    month_notes = _month_columns(sheet, row, columns, data_rows) if detect_months and kind == "workloads" else []
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


# --------------------------------------------------------------------------- month columns
_REQUESTS_FIELDS = ("requests_per_month", "requests_per_day")
_MONEY_SIGN = re.compile(r"[$€£¥]")


def _month_columns(sheet: SheetData, row: int, columns: list[ColumnGuess], data_rows) -> list[str]:
    """Read a run of month columns ('Jan-26 | Feb-26 | ...') as the requests of each month.

    A run is 2+ columns whose headers each name a different calendar month with the same
    words around it ('Jan-26', 'Feb-26'; 'Requests Jan 2026', 'Requests Feb 2026').  It is
    read as requests (field ``requests_in_month``) unless the header words, a note above the
    table or its cells say the figures are cost, tokens or another count, or the table has
    a requests column of its own.  Returns a decision per run not read, saying why.
    """
    header = sheet.rows[row]
    runs: dict[str, list[tuple[ColumnGuess, date]]] = {}
    bare: dict[str, list[tuple[ColumnGuess, int]]] = {}  # month names without a year: 'Jan', 'Feb'
    dated: set[int] = set()
    for column in columns:
        col = column.index - sheet.col_offset
        value = header[col] if col < len(header) else None
        found = month_of_header(value)
        if found is not None:
            runs.setdefault(found[1], []).append((column, found[0]))
            if isinstance(value, date):
                dated.add(column.index)
            continue
        named = month_name_of_header(value)
        if named is not None:
            bare.setdefault(named[1], []).append((column, named[0]))
    notes: list[str] = []
    year_why: dict[int, str] = {}
    freed: set[str] = set()
    for words, run in bare.items():
        if len({n for _, n in run}) < 2:
            continue
        resolved, refusal = _years_of(sheet, row, run)
        first, last = run[0][0], run[-1][0]
        if resolved is None:
            for column, _ in run:
                if column.field:
                    freed.add(column.field)
                column.field = None
                column.reason = (f"header {column.header!r} is a month without a year, and {refusal}: "
                                 "column ignored")
            notes.append(f"sheet {sheet.name!r}: month columns {first.letter}:{last.letter} ({first.header.strip()}…"
                         f"{last.header.strip()}) have no year ({refusal}); write the year above them or in the "
                         f"header ({first.header.strip()}-26): not read")
            continue
        for (column, _), (month, why) in zip(run, resolved):
            year_why[column.index] = why
        runs.setdefault(words, []).extend((column, month) for (column, _), (month, _) in zip(run, resolved))
        runs[words].sort(key=lambda cm: cm[0].index)
        notes.append(f"sheet {sheet.name!r}: the month headers {first.letter}:{last.letter} "
                     f"({label(resolved[0][0])} – {label(resolved[-1][0])}) name no year: {resolved[0][1]}")
    runs = {words: run for words, run in runs.items()
            if len(run) >= 2 and len({m for _, m in run}) == len(run)}
    if not runs:
        _rehome(columns, freed)
        return notes
    for run in runs.values():
        for column, month in run:
            column.month = month
            if column.field:  # 'Requests Jan-26' read as the requests column: it is a month now
                freed.add(column.field)
                column.field = None
    _rehome(columns, freed)
    others = [c for c in columns if c.month is None and c.field in _REQUESTS_FIELDS]
    note = _notes_measure(sheet, row)
    why = {words: _why_not_requests(words, run, note, others, data_rows, sheet.col_offset)
           for words, run in runs.items()}
    readable = [words for words in runs if why[words] is None]
    chosen = max(readable, key=lambda w: (measure_of(w) == "requests", len(runs[w])), default=None)
    for words, run in runs.items():
        if words == chosen:
            for column, month in run:
                column.field = REQUESTS_IN_MONTH
                column.reason = f"{_header_words(column, dated)} is a month: requests in {label(month)}"
                if column.index in year_why:
                    column.reason += f" ({year_why[column.index]})"
            continue
        reason = why[words] or f"the month columns {_span(runs[chosen])} are read as requests"  # type: ignore[index]
        for column, _ in run:
            column.field = None
            column.reason = f"{_header_words(column, dated)} is a month, but {reason}: not read as requests; column ignored"
        notes.append(f"sheet {sheet.name!r}: month columns {_span(run)} are not read as requests: {reason}")
    return notes


def _year_cell(value: object) -> tuple[int, str] | None:
    """The year a cell above month columns gives: 2026, '2026', 'FY26', 'FY2026 / 2026'."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (int(value), "") if value == int(value) and 1900 <= value <= 2199 else None
    if isinstance(value, str) and len(value.strip()) <= 40:
        return find_year(value)
    return None


def _years_of(sheet: SheetData, row: int, run: list[tuple[ColumnGuess, int]]):
    """The calendar months of a run of month names without a year ('Oct', 'Nov', 'Dec', 'Jan'),
    each with where its year was read; or (None, why not).

    The year is read, in this order, from a year cell above the run in its columns (within 3
    rows: a year row, a merged cell), else from the titles and notes above the table (within
    10 rows: 'LLM volume forecast 2026', 'Budget FY26').  A month earlier than the one before
    it starts the next year.  No year, or notes naming different years: not guessed.
    """
    numbers = [n for _, n in run]
    offset = [0]
    for before, after in zip(numbers, numbers[1:]):
        offset.append(offset[-1] + (after < before))
    cols = [c.index - sheet.col_offset for c, _ in run]
    for r in range(row - 1, max(-1, row - 4), -1):
        cells = sheet.rows[r]
        anchors = {col: y for col in range(min(cols), min(max(cols) + 1, len(cells)))
                   if (y := _year_cell(cells[col])) is not None}
        if not anchors:
            continue
        out = []
        for i, col in enumerate(cols):
            left = [a for a in anchors if a <= col]
            at = max(left) if left else min(anchors)
            j = next(k for k, c in enumerate(cols) if c >= at)
            year, how = anchors[at]
            why = f"year from cell {sheet.ref(r, at)}" + (f", {how}" if how else "")
            if offset[i] != offset[j]:
                why += ", the months cross a year end"
            out.append((date(year + offset[i] - offset[j], numbers[i], 1), why))
        return out, None
    found: dict[int, tuple[str, str, str]] = {}
    for r in range(max(0, row - 10), row):
        cells = sheet.rows[r]
        if len([v for v in cells if not is_blank(v)]) > 2:
            continue  # a row of a table above, not a title or note
        for col, value in enumerate(cells):
            if isinstance(value, str) and value.strip() and len(value) <= 200:
                y = find_year(value)
                if y is not None:
                    found.setdefault(y[0], (sheet.ref(r, col), value.strip(), y[1]))
    if len(found) > 1:
        named = ", ".join(f"{year} in cell {ref}" for year, (ref, _, _) in sorted(found.items()))
        return None, f"the notes above the table name different years ({named})"
    if not found:
        return None, "no year is written above the table"
    [(year, (ref, text, how))] = found.items()
    why = f"year from {text!r} in cell {ref}"
    if how:
        why += f", {how} (a fiscal year starting in January)"
    out = []
    for i in range(len(run)):
        out.append((date(year + offset[i], numbers[i], 1),
                    why + (", the months cross a year end" if offset[i] else "")))
    return out, None


def _rehome(columns: list[ColumnGuess], freed: set[str]) -> None:
    """Give a field a month column had taken ('Requests Jan-26' first, 'Monthly requests' later)
    to the first other column whose header names it."""
    taken = {c.field for c in columns if c.field}
    for column in columns:
        if column.month is not None or column.field or not freed - taken:
            continue
        name, why = field_for(column.header)
        name = field_in_kind(name, "workloads", column.header) if name else None
        if name in freed - taken:
            column.field, column.reason = name, why
            taken.add(name)


def _header_words(column: ColumnGuess, dated: set[int]) -> str:
    return f"header {column.header} (a date cell)" if column.index in dated else f"header {column.header!r}"


def _span(run: list[tuple[ColumnGuess, date]]) -> str:
    months = sorted(m for _, m in run)
    return f"{run[0][0].letter}:{run[-1][0].letter} ({label(months[0])} – {label(months[-1])})"


def _why_not_requests(words: str, run, note: tuple[str, str] | None, others: list[ColumnGuess], data_rows,
                      col_offset: int) -> str | None:
    """Why a run of month columns does not hold request counts (None: it does, as far as the file says)."""
    example = run[0][0].header
    measure = measure_of(words)
    if measure in ("cost", "tokens"):
        return f"the header ({example!r}) says they hold {measure}"
    if measure == "other":
        return f"the header ({example!r}) counts something other than requests"
    if words and measure is None:
        name, because = field_for(words)
        if because and name not in _REQUESTS_FIELDS:
            return f"the header ({example!r}) is not a request count ({because.split(' reads as ')[-1]})"
    for r in data_rows:
        for column, _ in run:
            col = column.index - col_offset
            cell = r[col] if col < len(r) else None
            if isinstance(cell, str) and _MONEY_SIGN.search(cell):
                return f"their cells are money ({cell.strip()!r} in column {column.letter})"
    if measure is None and note is not None:
        return f"the note above the table ({note[1]!r}) says the figures are {note[0]}"
    if others:
        return (f"the table has a requests column of its own (column {others[0].letter}, {others[0].header!r})")
    return None


def _notes_measure(sheet: SheetData, row: int) -> tuple[str, str] | None:
    """('cost' or 'tokens', the note) when a note above the table says its figures are money or
    tokens; None when the notes say nothing of it or say they are requests.

    Notes are the lines of one or two text cells in the 10 rows above the header (titles,
    unit lines).  A line naming a price unit ('prices per 1K tokens') is about the prices,
    not the figures, and "budget" is what the whole file is, so neither counts.
    """
    found = None
    for cells in sheet.rows[max(0, row - 10):row]:
        texts = [v.strip() for v in cells if isinstance(v, str) and v.strip()]
        if not texts or len([v for v in cells if not is_blank(v)]) > 2:
            continue
        for text in texts:
            if price_unit_in(text):
                continue
            measure = measure_of(re.sub(r"(?i)\bbudgets?\b", " ", text))
            if measure == "requests":
                return None
            if measure in ("cost", "tokens") and found is None:
                found = (measure, text)
    return found


# --------------------------------------------------------------------------- layout signature
def _years_above(sheet: SheetData, row: int) -> list[str]:
    """For a header with month names but no years ('Jan | Feb'): the years written above it,
    so a mapping remembered for the 2026 file (its months stored as 2026-01...) is not replayed
    on next year's file of the same layout.  Nothing for any other header."""
    names = [month_name_of_header(v) for v in sheet.rows[row]]
    if len({n[0] for n in names if n is not None}) < 2:
        return []
    years = set()
    for r in range(max(0, row - 10), row):
        for value in sheet.rows[r]:
            found = _year_cell(value) if r >= row - 3 else (
                find_year(value) if isinstance(value, str) and len(value) <= 200 else None)
            if found is not None:
                years.add(found[0])
    return ["years " + ",".join(str(y) for y in sorted(years))]



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
            parts.extend(_years_above(sheet, row))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def layout_signature_of(path: Path) -> str:
    from pricing.importer.sources import read_source

    return layout_signature(read_source(path))
