"""Runs of month columns ('Jan-26 | Feb-26 | ...') in a workloads table: read as the requests
of each month, or not, and why."""

from __future__ import annotations

import re
from datetime import date

from pricing.importer.guesses import ColumnGuess
from pricing.importer.layout import year_cell
from pricing.importer.headers import (
    REQUESTS_IN_MONTH, field_for, field_in_kind, measure_of, month_name_of_header, month_of_header,
)
from pricing.importer.sources import SheetData
from pricing.importer.units import is_blank, price_unit_in
from pricing.plan.months import find_year, label


# --------------------------------------------------------------------------- month columns
_REQUESTS_FIELDS = ("requests_per_month", "requests_per_day")
_MONEY_SIGN = re.compile(r"[$€£¥]")


def month_columns(sheet: SheetData, row: int, columns: list[ColumnGuess], data_rows) -> list[str]:
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
                   if (y := year_cell(cells[col])) is not None}
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
