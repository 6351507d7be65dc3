"""Turning the data rows of a mapped table into workloads, rates, endpoints and clusters.

Rows that are not data are skipped and the report says which and why: blank rows,
section titles (a row with no model and no figures), repeated headers, and subtotal or
total rows.  Every other row is kept; a cell that cannot be read becomes 0 (or is left
out when the field is optional) and a finding names its sheet, cell, field and reason.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import and_, is_, truth

from pydantic import ValidationError

from pricing.importer.headers import (
    COUNT_FIELDS, FRACTION_FIELDS, PRICE_FIELDS, REQUESTS_IN_MONTH, normalize,
)
from pricing.importer.report import ImportReport
from pricing.files.safety import MAX_ROWS, ImportRefused, check_cancel
from pricing.importer.guesses import TableGuess
from pricing.importer.monthly_requests import fit_summary, month_columns_used, month_span, read_months
from pricing.importer.series import SeriesFit
from pricing.importer.extracted import Extracted, RateRow, WorkloadRow  # noqa: F401 - read from here
from pricing.importer.converters import (
    ABSENT, BAD, CELLS_A_PASS, INT_FIELDS, TEXTS, Columns, convert_column, converter_for, in_slices, stale_rows,
)
from pricing.importer.units import cell_text, is_blank
from pricing.letting_go import let_go
from pricing.plan.models import DedicatedEndpoint, DeploymentMode, GpuCluster
from pricing.importer.workload_rows import (  # noqa: F401 - DAYS_PER_MONTH and table_fields read from here
    DAYS_PER_MONTH, number_of, table_fields, workload_columns, workload_rows,
)

#: A total or subtotal row, in English, German, French, Italian, Spanish, Portuguese, Dutch and the Nordic languages.
_TOTAL = re.compile(r"(?i)^\s*(?:sub[\s-]?totals?|totals?|grand\s+total|sum|overall|"
                    r"(?:zwischen|end|gesamt)?summen?|gesamt\w*|insgesamt|"
                    r"sous[\s-]?totale?s?|total(?:e|es|i|aux|t|en)|somme|"
                    r"subtotale?s?|suma|soma|summa|totaal)\b")
_KEY = {"workloads": "model", "rates": "model", "endpoints": "model", "clusters": "gpu_type"}
_REQUIRED = {
    "workloads": ("model", "requests_per_month", "input_tokens", "output_tokens"),
    "rates": ("model", "input_mtok", "output_mtok"),
    "endpoints": ("model",),
    "clusters": ("gpu_count", "gpu_hour_rate"),
}


def extract(table: TableGuess, file: str, report: ImportReport, out: Extracted, cancel=None) -> None:
    """Read the data rows of ``table`` into ``out``; ``cancel`` (a callable) is polled every few thousand rows."""
    sheet = table.data
    assert sheet is not None
    if sheet.rows_not_read:  # a budget is imported whole or not at all: a partial total is a wrong total
        raise ImportRefused(file, f"sheet {table.sheet!r} has {len(sheet.rows) + sheet.rows_not_read:,} rows, more "
                                  f"than the {MAX_ROWS:,} rows an import takes; refused whole, nothing was imported "
                                  "(split the sheet, or import a summary of it)")
    for note in table.month_notes:
        report.decide(note)
    by_month = table.month_columns() if table.kind == "workloads" else []
    mapped = [(c.index - sheet.col_offset, c.field, c.unit) for c in table.columns
              if c.field and c.field != REQUESTS_IN_MONTH]
    fields = {f for _, f, _ in mapped}
    if by_month:
        by_month, mapped = month_columns_used(table, by_month, mapped, fields, report)
        fields = {f for _, f, _ in mapped}
    monthly_tokens = {"input_tokens_per_month", "output_tokens_per_month"} & fields
    if monthly_tokens:
        report.decide(f"sheet {table.sheet!r}: token totals per month ÷ requests per month = tokens per request"
                      + ("" if {"requests_per_month", "requests_per_day"} & fields else
                         "; no requests column, so each workload is one request a month carrying all its tokens"))
    for name in _REQUIRED[table.kind]:
        if name in ("input_tokens", "output_tokens") and f"{name}_per_month" in fields:
            continue
        if name == "requests_per_month" and (monthly_tokens or by_month):
            continue
        if name not in fields and not (name == "requests_per_month" and "requests_per_day" in fields):
            report.find(f"no column for {name} in the {table.kind} table (header row {table.header_row}); "
                        f"{'0 is used' if name != 'model' else 'rows have no model'}",
                        file=file, sheet=table.sheet, field=name)
    if "requests_per_day" in fields and "requests_per_month" not in fields:
        report.decide(f"sheet {table.sheet!r}: requests per day × {DAYS_PER_MONTH} days (an average month) "
                      "= requests per month")
    used = {i for i, _, _ in mapped}
    for c in table.columns:
        if c.field and c.field != REQUESTS_IN_MONTH and c.index - sheet.col_offset in used:
            unit = f", {c.unit}" if c.unit else ""
            report.decide(f"sheet {table.sheet!r} column {c.letter} ({c.header!r}) → {table.kind}.{c.field}{unit}: {c.reason}")
    if by_month:
        first, last = by_month[0], by_month[-1]
        unit = f", {first.unit}" if first.unit else ""
        report.decide(f"sheet {table.sheet!r} columns {first.letter}:{last.letter} ({first.header!r} … {last.header!r}) "
                      f"→ {table.kind}.{REQUESTS_IN_MONTH}{unit}: each header is a calendar month "
                      f"({month_span(by_month)}) and its cells are that month's requests")
        out.month_columns_from.append(min(c.month for c in by_month))  # type: ignore[type-var]
    key = _KEY[table.kind]
    key_col = next((i for i, f, _ in mapped if f == key), None)
    header_key = normalize(cell_text(sheet.rows[table.first_index][key_col])) if key_col is not None and \
        key_col < len(sheet.rows[table.first_index]) else None
    uncached = set(sheet.uncached)
    skipped: dict[str, list[int]] = {}
    numeric = [(i, f, u) for i, f, u in mapped if f in PRICE_FIELDS | COUNT_FIELDS | FRACTION_FIELDS | INT_FIELDS
               or f in ("gpu_hour_rate", "monthly_commitment", "hours_per_month", "storage_monthly",
                        "networking_monthly", "throughput_tokens_per_s", "throughput_tokens_per_s_per_gpu")]
    months = [(c.index - sheet.col_offset, c.month, converter_for(REQUESTS_IN_MONTH, c.unit), c.letter) for c in by_month]
    numeric += [(i, REQUESTS_IN_MONTH, None) for i, _, _, _ in months]
    lo, hi = table.first_index + 1, min(table.end_index, len(sheet.rows))
    part = sheet.rows[lo:hi]
    taken = Columns(part)  # each column of the rows taken once, for its conversion and the row checks
    columns = []  # each column converted whole (each distinct value once), its findings kept by row
    for i, f, u in mapped:
        letter = sheet.letter(i)
        got, problems = convert_column(sheet.rows, lo, hi, i, f, converter_for(f, u), stale_rows(uncached, letter),
                                       sheet.row_offset, taken)
        columns.append((f, got, problems, letter))
    with_problems = {r for _f, _got, problems, _letter in columns for r in problems}
    names = [f for f, _got, _p, _l in columns]
    workloads = table.kind == "workloads"
    if workloads:  # the row's values by position, each field's column read whole first
        converted, at = workload_columns(columns, lo, hi)
        build_row = workload_rows(table, file, report, out, key_col, sheet, at)
    else:
        # The rows with a blank cell (its field left unset), found column by column; every other row's
        # values are its converted cells as they are (a field mapped twice: each row sorted out alone).
        gaps = set(range(lo, hi)) if len(set(names)) < len(names) else {
            r for _f, got, _p, _l in columns for r in compress(range(lo, hi), map(is_, got, repeat(ABSENT)))}
        converted = zip(*[got for _f, got, _p, _l in columns]) if columns else repeat((), hi - lo)
        build = _BUILDERS[table.kind](table, file, report, out, key_col, sheet)
    normalized: dict[str, str] = {}
    fits: list[SeriesFit] = []
    rows, row_offset, kept, dropped = sheet.rows, sheet.row_offset, 0, 0
    totals: dict[str, bool] = {}  # a text cell -> whether it names a total row, each text matched once
    ordinary = _ordinary_rows(part, key_col, header_key, normalized, totals, taken)
    for r, cells, row_values, plain in zip(range(lo, hi), part, converted, ordinary):
        if cancel is not None and r % 5000 == 0:
            check_cancel(cancel, file)
        row_no = r + row_offset + 1
        # A row told plain data column by column passes every check of _skip_reason: not run again.
        if not plain and _skip_reason(cells, key_col, header_key, normalized, totals, numeric, skipped, row_no):
            continue
        if r in with_problems:  # the row's unreadable cells, in column order
            for name, _got, problems, letter in columns:
                if r in problems:
                    report.find(problems[r], file=file, sheet=table.sheet, cell=f"{letter}{row_no}", field=name)
        if workloads:
            fit = build_row(row_no, row_values,
                            read_months(months, cells, row_no, table, file, report, uncached) if months else None)
            kept += 1
            if fit is not None:
                fits.append(fit)
            continue
        values: dict[str, object] = {name: value for name, value in zip(names, row_values) if value is not ABSENT} \
            if r in gaps else dict(zip(names, row_values))
        if months:
            values["_series"] = read_months(months, cells, row_no, table, file, report, uncached)
        values["_row"] = row_no
        if build(values):
            kept += 1
        else:
            dropped += 1
    report.rows_imported += kept
    report.rows_skipped += dropped
    for reason, rows in skipped.items():
        if reason != "blank":
            report.rows_skipped += len(rows)
        report.decide(f"sheet {table.sheet!r}: skipped {len(rows)} {reason} row(s): {_rows(rows)}")
    if by_month:
        report.decide(fit_summary(table, by_month, fits))
    # The columns taken and converted (a list of 100,000 each, in a large table) go on a thread of their
    # own, a slice at a time: dropped as this returns, they went in one C-level cascade that held the lock.
    let_go(taken, columns, part)


def _is_total(text: str, totals: dict[str, bool]) -> bool:
    """Whether a filled text names a total or subtotal row (each distinct text matched once)."""
    found = totals.get(text)
    if found is None:
        found = totals[text] = _TOTAL.match(text) is not None
    return found


def _skip_reason(cells: list, key_col: int | None, header_key: str | None, normalized: dict, totals: dict,
                 numeric: list, skipped: dict[str, list[int]], row_no: int) -> bool:
    """Whether the row is not data (noted in ``skipped`` under why): blank, a total or subtotal,
    a repeated header, or a section title or note."""
    filled = 0  # the row's first three filled cells tell a blank row (none) and a total row (-1)
    for v in cells:
        if isinstance(v, str):
            if not v or v.isspace():
                continue
            if _is_total(v, totals):
                filled = -1
                break
        elif v is None or v == "":
            continue
        filled += 1
        if filled == 3:
            break
    if not filled:
        skipped.setdefault("blank", []).append(row_no)
        return True
    if filled < 0:
        skipped.setdefault("total or subtotal", []).append(row_no)
        return True
    key_value = cells[key_col] if key_col is not None and key_col < len(cells) else None
    if header_key and isinstance(key_value, str) and _normalized(key_value, normalized) == header_key:
        skipped.setdefault("repeated header", []).append(row_no)
        return True
    if (key_value is None or (isinstance(key_value, str) and not key_value.strip())) and \
            not any(i < len(cells) and not is_blank(cells[i]) for i, _, _ in numeric):
        skipped.setdefault("section title or note", []).append(row_no)
        return True
    return False


def _normalized(text: str, normalized: dict[str, str]) -> str:
    return normalized.get(text) or normalized.setdefault(text, normalize(text))


def _ordinary_rows(part: list, key_col: int | None, header_key: str | None, normalized: dict,
                   totals: dict, columns: Columns | None = None) -> list[bool] | repeat:
    """For each row of ``part``, True when it is data for certain, told column by column: its
    first three cells are filled and none names a total (so it is neither blank nor a total row),
    and its key cell is filled and not the header's.  A row not told so (False) goes through
    :func:`_skip_reason`, which may still keep it.  ``columns``: the columns of ``part`` already
    taken (:class:`~pricing.importer.converters.Columns`)."""
    if key_col is None or not part:
        return repeat(False)
    if columns is None:
        columns = Columns(part)
    # A row too short to be told so (a blank row, a total) has None in a tested column (Columns
    # gives None past a row's end), which no test tells filled: it is told alone.

    def filled(v: object) -> bool:  # a filled cell that names no total
        if isinstance(v, str):
            return bool(v) and not v.isspace() and not _is_total(v, totals)
        return v is not None and not v == ""

    def key(v: object) -> bool:  # a filled key that is not the header's
        if v is None or (isinstance(v, str) and not v.strip()):
            return False
        return not (header_key and isinstance(v, str) and _normalized(v, normalized) == header_key)

    flags = None
    try:
        for i, test in ((0, filled), (1, filled), (2, filled), (key_col, key)):
            col = columns[i]
            # Each distinct value tested once (the tests give equal values the same answer), or, in a
            # column of nearly all new values, each cell.
            distinct = columns.distinct(i)
            kinds = columns.kinds(i)
            if test is filled and kinds <= TEXTS:  # texts: each step over them all at once
                texts = distinct if kinds <= {str} else [v or "" for v in distinct]  # None: not filled
                answers = _texts_filled(texts)
            else:
                answers = map(test, distinct)
            got = list(answers) if distinct is col else in_slices(dict(zip(distinct, answers)).__getitem__, col)
            flags = got if flags is None else in_slices(and_, flags, got)
    except TypeError:  # a cell that cannot be a key (none the readers make): each row told alone
        return repeat(False)
    return flags  # type: ignore[return-value]


def _texts_filled(texts: list[str]) -> list[bool]:
    """Each text filled (not blank) and naming no total, a slice at a time: one C-level pass over a
    100,000-row column held the interpreter lock 60-100 ms, and a window imports on a worker thread
    (between slices the GUI thread can take the lock)."""
    answers: list[bool] = []
    for start in range(0, len(texts), CELLS_A_PASS):
        part = texts[start:start + CELLS_A_PASS]
        answers += map(and_, map(truth, map(str.strip, part)), map(is_, map(_TOTAL.match, part), repeat(None)))
    return answers


_BAD = BAD


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:12])
    return shown + (f" … and {len(rows) - 12} more" if len(rows) > 12 else "")


def _number(values: dict, name: str, place: dict, report: ImportReport, required: bool) -> Decimal | None:
    return number_of(values.get(name), name, place, report, required)


def _text(values: dict, name: str) -> str:
    return _as_text(values.get(name))


def _as_text(value) -> str:
    """A text field's value: "" for a blank or unreadable cell."""
    return "" if value is None or value is _BAD else str(value)


def _modes(text: str) -> tuple[DeploymentMode, ...]:
    modes = []
    for part in re.split(r"[,;/+]|\band\b", text):
        try:
            mode = DeploymentMode.parse(part)
        except ValueError:
            continue
        if mode not in modes:
            modes.append(mode)
    return tuple(modes) or (DeploymentMode.SERVERLESS,)


def _place(table: TableGuess, file: str, values: dict, col: int | None, sheet) -> dict:
    row = values["_row"]
    cell = f"{sheet.letter(col)}{row}" if col is not None else f"A{row}"
    return dict(file=file, sheet=table.sheet, cell=cell)


def _each_row(builder):
    """A builder taking the row's values and the table's context, as a factory of per-row functions."""
    def rows(table, file, report, out: Extracted, key_col, sheet):
        return lambda values: builder(values, table, file, report, out, key_col, sheet)
    return rows


def _rate(values, table, file, report, out: Extracted, key_col, sheet) -> bool:
    place = _place(table, file, values, key_col, sheet)
    model = _text(values, "model")
    if not model:
        report.find("the rate row has no model: it cannot be used", **place, field="model")
        return False
    unreadable = [name for name in ("input_mtok", "output_mtok") if values.get(name) is _BAD]
    if unreadable:  # a price the file does not give is never taken as 0
        report.find(f"the {' and '.join(n.replace('_mtok', '') for n in unreadable)} price cannot be read: "
                    f"the rate of {model} is left out (its workloads are priced from the catalog, or flagged)",
                    **place, field=unreadable[0])
        return False
    context = values.get("context_length")
    out.rates.append(RateRow(
        provider=_text(values, "provider"), model=model, display_name=_text(values, "display_name"),
        context_length=context if isinstance(context, int) and context > 0 else None,
        modes=_modes(_text(values, "mode")) if _text(values, "mode") else (DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
        effective_from=values.get("effective_from") if isinstance(values.get("effective_from"), date) else None,
        input_mtok=_number(values, "input_mtok", place, report, True),
        output_mtok=_number(values, "output_mtok", place, report, True),
        cached_input_mtok=_number(values, "cached_input_mtok", place, report, False),
        cache_write_mtok=_number(values, "cache_write_mtok", place, report, False),
        batch_discount=_number(values, "batch_discount", place, report, False),
        place=place,
    ))
    return True


def _capacity(kind: str):
    def build(values, table, file, report, out: Extracted, key_col, sheet) -> bool:
        place = _place(table, file, values, key_col, sheet)
        data = {k: v for k, v in values.items() if not k.startswith("_") and v is not _BAD and v is not None}
        data.pop("provider", None)
        if kind == "endpoints" and "throughput_tokens_per_s_per_gpu" in data:
            # A sheet that quotes throughput per GPU: a replica serves that times its GPUs.
            per_gpu = data.pop("throughput_tokens_per_s_per_gpu")
            if isinstance(per_gpu, Decimal) and "throughput_tokens_per_s" not in data:
                data["throughput_tokens_per_s"] = per_gpu * int(data.get("gpus_per_replica") or 1)
        if kind == "clusters":
            model = data.pop("model", None)
            if model and not data.get("notes"):
                data["notes"] = f"serves {model}"
        base = data.get("id") or data.get("name") or data.get("model") or data.get("gpu_type") or "capacity"
        data["id"] = _unique_id(str(base), out)
        try:
            item = DedicatedEndpoint(**data) if kind == "endpoints" else GpuCluster(**data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "row"
            report.find(f"this {kind[:-1]} cannot be imported: {where}: {first['msg']}", **place)
            return False
        (out.endpoints if kind == "endpoints" else out.clusters).append(item)
        return True
    return build


def _unique_id(base: str, out: Extracted) -> str:
    taken = {e.id for e in out.endpoints} | {c.id for c in out.clusters}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


_BUILDERS = {"rates": _each_row(_rate), "endpoints": _each_row(_capacity("endpoints")),
             "clusters": _each_row(_capacity("clusters"))}
