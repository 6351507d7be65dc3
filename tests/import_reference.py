"""The importer's straightforward reading, as it was before its fast paths (commit 663d201):
the row loop that builds a dict of values per row and reads each field from it, the column
reader that converts cell by cell with the values remembered, and the plan assembly that merges
and validates row by row.  Tests import a file both ways and compare the plans and reports.

Kept verbatim apart from its imports; nothing in the application uses it.
"""

# ruff: noqa
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import is_

from pydantic import ValidationError

from pricing.plan.findings import Severity
from pricing.plan.money import ZERO
from pricing.plan.models import DeploymentMode, Workload
from pricing.importer.headers import COUNT_FIELDS, FRACTION_FIELDS, PRICE_FIELDS, REQUESTS_IN_MONTH, normalize
from pricing.importer.report import ImportReport
from pricing.files.safety import MAX_ROWS, ImportRefused, check_cancel
from pricing.importer.guesses import TableGuess
from pricing.importer.monthly_requests import fit_summary, month_columns_used, month_span, read_months, report_fit
from pricing.importer.series import SeriesFit, fit_series
from pricing.importer.extracted import Extracted, WorkloadRow
from pricing.importer.converters import ABSENT, BAD, INT_FIELDS, converter_for, stale_rows, convert_cells, _convert_part, _PROBE
from pricing.importer.units import cell_text, is_blank
from pricing.importer import tables as _tables
from pricing.importer import assembly as _assembly
from pricing.importer.assembly import _currency_terms, _from_catalog, _rate_from_workload, _rates_from_rows
from pricing.costing.rates import RateBook
from pricing.plan.models import Assumptions, ModelRate, Plan

from pricing.importer.tables import DAYS_PER_MONTH, _KEY, _REQUIRED, _TOTAL, _rows, table_fields

_BAD = BAD
_NONE: dict = {}
_validate = Workload.__pydantic_validator__.validate_python


# ---------------------------------------------------------------- the column reader
def convert_column(rows: list, lo: int, hi: int, i: int, name: str, convert, stale: set[int],
                   row_offset: int) -> tuple[list, dict[int, str]]:
    """Column ``i`` of ``rows[lo:hi]`` as ``name``'s values (ABSENT, a value, or BAD), and the
    finding of each row index whose cell is BAD.  Each distinct text or number is converted once
    (its type is part of the key, as in :func:`remembered`), what a refused cell says with it:
    :func:`convert_cells`, in one lookup a cell when the column has no stale formula."""
    if stale:
        return convert_cells(rows, lo, hi, i, name, convert, stale, row_offset)
    got: list = []
    problems: dict[int, str] = {}
    # One table per type remembered (1, 1.0 and TRUE stay apart): a cell's value alone keys it there.
    blank = (ABSENT, None)
    memo: dict[type, dict] = {str: {"": blank}, int: {}, float: {}, type(None): {None: blank}}
    _convert_part(rows[lo:min(hi, lo + _PROBE)], i, convert, memo, got, problems, lo)
    if len(memo[str]) + len(memo[int]) + len(memo[float]) > 0.9 * len(got):
        # A column of names or request counts: nearly every value is new, so remembering them
        # costs a table entry each and saves nothing (blanks are still told apart).
        memo = {type(None): {None: blank}}
    _convert_part(rows[lo + _PROBE:hi], i, convert, memo, got, problems, lo)
    return got, problems



# ---------------------------------------------------------------- the row loop
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
    columns = []  # each column converted whole (each distinct value once), its findings kept by row
    for i, f, u in mapped:
        letter = sheet.letter(i)
        got, problems = convert_column(sheet.rows, lo, hi, i, f, converter_for(f, u), stale_rows(uncached, letter),
                                       sheet.row_offset)
        columns.append((f, got, problems, letter))
    with_problems = {r for _f, _got, problems, _letter in columns for r in problems}
    names = [f for f, _got, _p, _l in columns]
    # The rows with a blank cell (its field left unset), found column by column; every other row's
    # values are its converted cells as they are (a field mapped twice: each row sorted out alone).
    gaps = set(range(lo, hi)) if len(set(names)) < len(names) else {
        r for _f, got, _p, _l in columns for r in compress(range(lo, hi), map(is_, got, repeat(ABSENT)))}
    converted = zip(*[got for _f, got, _p, _l in columns]) if columns else repeat((), hi - lo)
    normalized: dict[str, str] = {}
    fits: list[SeriesFit] = []
    build = _BUILDERS[table.kind](table, file, report, out, key_col, sheet)
    rows, row_offset, kept, dropped = sheet.rows, sheet.row_offset, 0, 0
    total = _TOTAL.match
    for r, cells, row_values in zip(range(lo, hi), rows[lo:hi], converted):
        if cancel is not None and r % 5000 == 0:
            check_cancel(cancel, file)
        row_no = r + row_offset + 1
        filled = 0  # the row's first three filled cells tell a blank row (none) and a total row (-1)
        for v in cells:
            if v is None or v == "" or (isinstance(v, str) and v.isspace()):
                continue
            if isinstance(v, str) and total(v):
                filled = -1
                break
            filled += 1
            if filled == 3:
                break
        if not filled:
            skipped.setdefault("blank", []).append(row_no)
            continue
        if filled < 0:
            skipped.setdefault("total or subtotal", []).append(row_no)
            continue
        key_value = cells[key_col] if key_col is not None and key_col < len(cells) else None
        if header_key and isinstance(key_value, str) and (normalized.get(key_value) or normalized.setdefault(
                key_value, normalize(key_value))) == header_key:
            skipped.setdefault("repeated header", []).append(row_no)
            continue
        if is_blank(key_value) and not any(i < len(cells) and not is_blank(cells[i]) for i, _, _ in numeric):
            skipped.setdefault("section title or note", []).append(row_no)
            continue
        values: dict[str, object] = {name: value for name, value in zip(names, row_values) if value is not ABSENT} \
            if r in gaps else dict(zip(names, row_values))
        if r in with_problems:  # the row's unreadable cells, in column order
            for name, _got, problems, letter in columns:
                if r in problems:
                    report.find(problems[r], file=file, sheet=table.sheet, cell=f"{letter}{row_no}", field=name)
        if months:
            values["_series"] = read_months(months, cells, row_no, table, file, report, uncached)
        values["_row"] = row_no
        if build(values):
            kept += 1
        else:
            dropped += 1
        if months and isinstance(values.get("_fit"), SeriesFit):
            fits.append(values["_fit"])  # type: ignore[arg-type]
    report.rows_imported += kept
    report.rows_skipped += dropped
    for reason, rows in skipped.items():
        if reason != "blank":
            report.rows_skipped += len(rows)
        report.decide(f"sheet {table.sheet!r}: skipped {len(rows)} {reason} row(s): {_rows(rows)}")
    if by_month:
        report.decide(fit_summary(table, by_month, fits))



def _number(values: dict, name: str, place: dict, report: ImportReport, required: bool) -> Decimal | None:
    value = values.get(name)
    if value is _BAD:  # already reported
        return ZERO if required else None
    if value is None:
        if required:
            report.find(f"{name} is empty; 0 is used", **place, field=name)
            return ZERO
        return None
    return value  # type: ignore[return-value]


def _text(values: dict, name: str) -> str:
    return _as_text(values.get(name))


def _as_text(value) -> str:
    """A text field's value: "" for a blank or unreadable cell."""
    return "" if value is None or value is _BAD else str(value)



def _workload_rows(table, file, report, out: Extracted, key_col, sheet):
    """The function turning a row's values into a WorkloadRow (False: the row is not one):
    what is the same for every row of the table worked out once, then each row in one pass."""
    fields = table_fields(table)
    sheet_name = table.sheet
    letter = sheet.letter(key_col) if key_col is not None else "A"
    monthly_keys = [k for k in ("input_tokens", "output_tokens") if f"{k}_per_month" in fields]
    no_requests_column = "requests_per_month" not in fields
    price_keys = [k for k in ("input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok") if k in fields]
    stated_letters = {k: next((c.letter for c in table.columns if c.field == k), None)
                      for k in ("stated_request_cost", "stated_monthly_cost") if k in fields}
    modes: dict[str, DeploymentMode | str] = {}  # a mode's text -> its mode, or why it is none
    append = out.workloads.append
    serverless = DeploymentMode.SERVERLESS
    text = _as_text

    def build(values: dict) -> bool:
        get = values.get
        row_no = values["_row"]
        place = {"file": file, "sheet": sheet_name, "cell": f"{letter}{row_no}"}
        model = text(get("model"))
        if not model:
            report.find("the row has no model; it is kept and cannot be priced", **place, field="model")
        feature, tenant, environment = text(get("feature")), text(get("tenant")), text(get("environment"))
        name = text(get("name")) or " · ".join([model or f"row {row_no}"] + [p for p in (feature, tenant, environment)
                                                                             if p])
        monthly = {k: get(f"{k}_per_month") for k in monthly_keys if f"{k}_per_month" in values and k not in values} \
            if monthly_keys else _NONE
        series = get("_series")
        fit = values["_fit"] = fit_series(series) if isinstance(series, list) else None
        if fit is not None:
            requests = fit.requests
        else:
            requests = get("requests_per_month")
            if requests is _BAD:
                requests = None
        if requests is None:
            per_day = _number(values, "requests_per_day", place, report, False)
            if per_day is not None:
                requests = per_day * DAYS_PER_MONTH
            elif monthly and no_requests_column:
                requests = Decimal(1)
            else:
                requests = _number(values, "requests_per_month", place, report, True)
        tokens = []
        for key in ("input_tokens", "output_tokens"):
            if key in monthly:
                total = monthly[key]
                tokens.append(ZERO if total is _BAD or not requests else total / requests)
            else:
                value = get(key)
                tokens.append(value if value is not None and value is not _BAD else
                              _number(values, key, place, report, True))
        mode_text = text(get("mode"))
        if not mode_text:
            mode = serverless
        else:
            mode = modes.get(mode_text)  # type: ignore[assignment]
            if mode is None:
                try:
                    mode = modes[mode_text] = DeploymentMode.parse(mode_text)
                except ValueError as exc:
                    mode = modes[mode_text] = f"{exc}; Serverless is used"  # type: ignore[assignment]
            if mode.__class__ is str:
                report.find(mode, severity=Severity.WARNING, **place, field="mode")  # type: ignore[arg-type]
                mode = serverless
        cached_share = get("cached_share")
        growth = get("monthly_growth")
        start = get("start_month")
        workload = {  # a literal: made at its size at once (dict(...) grows it twice, 100,000 times)
            "name": name, "model": model or "(no model)", "mode": mode,
            "input_tokens": tokens[0],
            "output_tokens": tokens[1],
            "cached_share": (None if cached_share is _BAD else cached_share) or ZERO,
            "requests_per_month": requests,
            "tenant": tenant, "feature": feature, "environment": environment,
            "start_month": start if isinstance(start, date) else None,
            "monthly_growth": (None if growth is _BAD else growth) or ZERO,
            "notes": text(get("notes")), "capacity": text(get("capacity")) or None,
        }
        if fit is not None:
            workload.update(start_month=fit.start, monthly_growth=fit.growth)
            report_fit(fit, series, name, place, report)  # type: ignore[arg-type]
        prices = {k: values[k] for k in price_keys if isinstance(get(k), Decimal)} if price_keys else {}
        stated = {k: (values[k], f"{column}{row_no}") for k, column in stated_letters.items()
                  if isinstance(get(k), Decimal)} if stated_letters else {}
        append(WorkloadRow(workload, text(get("provider")), place, prices, stated))
        return True
    return build



_BUILDERS = {"workloads": _workload_rows, "rates": _tables._BUILDERS["rates"],
             "endpoints": _tables._BUILDERS["endpoints"], "clusters": _tables._BUILDERS["clusters"]}


# ---------------------------------------------------------------- the plan assembly
def _workload(data: dict, row, report: ImportReport) -> Workload:
    """The row's workload; a figure the plan cannot hold (beyond its bounds, e.g. requests worked
    out from a month series) is reported on the row and left at 0, so the row is kept and flagged.

    Each row is validated: pydantic validates a workload in about the time a copy of a valid one
    made in Python takes (pricing.plan.checked_workloads), so that copy saves nothing here, and
    a budget's request counts are mostly distinct, which it cannot skip."""
    try:
        return _validate(data)  # Workload(**data), without the keyword arguments
    except ValidationError as exc:
        fixed = dict(data)
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            if field not in fixed:
                raise
            message = str(err["msg"]).removeprefix("Value error, ")
            report.find(f"{message}; 0 is used", workload=data.get("name"), **row.place, field=field)
            fixed[field] = ZERO
        return Workload(**fixed)


def build_plan(extracted: Extracted, report: ImportReport, catalog: RateBook | None, name: str,
               currency: str = "USD", today: date | None = None, provider: str | None = None) -> Plan:
    rates = _rates_from_rows(extracted.rates, report)
    for row in extracted.workloads:
        if row.prices:
            _rate_from_workload(row, rates, report)
    local = RateBook.of(rates.values())
    by_name = {r.display_name.lower(): r for r in rates.values() if r.display_name}
    chosen: dict[str, ModelRate] = dict(rates)
    workloads = []
    catalog_used: dict[str, list[int]] = {}
    unknown: dict[str, list[int]] = {}
    local_index = {key: r for r in rates.values() for key in (r.id.lower(), r.model_id.lower())}
    local_index.update(by_name)
    looked_up: dict[tuple[str, str], tuple[ModelRate | None, str | None]] = {}

    def resolve(provider_given: str, model: str) -> tuple[ModelRate | None, str | None, str | None]:
        """The rate of a row's model, what the report says of a catalog rate used, and why there is none."""
        reference = f"{provider_given}/{model}" if provider_given and "/" not in model else model
        rate = local_index.get(reference.lower()) or local_index.get(model.lower())
        if rate is None and len(rates) and local.get(reference) is not None:
            rate = local.get(reference)
        if rate is None and catalog is not None and model != "(no model)":
            key = (reference, model)
            if key not in looked_up:
                looked_up[key] = _from_catalog(catalog, reference, model, provider_given or provider)
            rate, problem = looked_up[key]
            if rate is not None:
                chosen.setdefault(rate.id.lower(), rate)
                return rate, f"{model!r} → {rate.id}", None
            if problem:
                return None, None, f"{problem}; the workload is kept and cannot be priced until you pick a model"
        return rate, None, None

    # A row's rate depends only on its provider and model: each pair is resolved once.
    resolved: dict[tuple[str, str], tuple[dict | None, str | None, str | None]] = {}
    for row in extracted.workloads:
        data = row.workload
        model = data["model"]
        got = resolved.get((row.provider, model))
        if got is None:
            rate, used, problem = resolve(row.provider, model)
            got = resolved[(row.provider, model)] = ({"model": rate.id} if rate is not None else None, used, problem)
        renamed, used, problem = got
        if used is not None:
            catalog_used.setdefault(used, []).append(row.place.get("cell"))
        elif problem is not None:
            unknown.setdefault(model, []).append(row.place.get("cell"))
            report.find(problem, severity=Severity.ERROR, workload=data["name"], **row.place, field="model")
        workloads.append(_workload(data | renamed if renamed is not None else data, row, report))
    for text, cells in catalog_used.items():
        report.decide(f"model {text}: not on a rate sheet in the file, priced from the bundled catalog "
                      f"({len(cells)} workload(s))")
    starts = [w.start_month for w in workloads if w.start_month]
    today = today or date.today()
    columns = extracted.month_columns_from
    if columns and (not starts or min(columns) <= min(starts)):
        first, why = min(columns), "the earliest month column in the file"
    elif starts:
        first, why = min(starts), "the earliest start month in the file"
    else:
        first, why = today.replace(day=1), "this month: no start month in the file"
    report.decide(f"first month {first:%Y-%m} ({why}); horizon 36 months")
    terms = _currency_terms(currency, bool(rates), catalog_used, report)
    return Plan(
        name=name,
        terms=terms,
        assumptions=Assumptions(first_month=first, horizon_months=36, currency=currency),
        rates=tuple(chosen.values()),
        workloads=tuple(workloads),
        endpoints=tuple(extracted.endpoints),
        clusters=tuple(extracted.clusters),
    )


