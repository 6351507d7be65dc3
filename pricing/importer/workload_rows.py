"""A workloads table's rows turned into WorkloadRows: each field read from the row's converted
cells by position (see :func:`workload_columns`), what is the same for every row worked out
once per table, and each finding made where the row-by-row reading made it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from collections import deque
from itertools import compress, count, repeat

from pricing.importer.converters import ABSENT, BAD, CELLS_A_PASS
from pricing.importer.extracted import Extracted, WorkloadRow
from pricing.importer.guesses import TableGuess
from pricing.importer.monthly_requests import report_fit
from pricing.importer.report import ImportReport
from pricing.importer.series import SeriesFit, fit_series
from pricing.plan.checked_workloads import failing
from pricing.plan.findings import Severity
from pricing.plan.models import DeploymentMode
from pricing.plan.money import ZERO

#: Days in an average month (365.25 / 12), for volumes given per day.
DAYS_PER_MONTH = Decimal("30.4375")
_BAD = BAD
_NONE: dict = {}  # read only: a table without month totals, prices or stated figures


def table_fields(table: TableGuess) -> set[str]:
    return {c.field for c in table.columns if c.field}


def number_of(value: object, name: str, place: dict, report: ImportReport, required: bool) -> Decimal | None:
    """A numeric field's value (None: the cell is empty), its finding made when it is required."""
    if value is _BAD:  # already reported
        return ZERO if required else None
    if value is None or value is ABSENT:
        if required:
            report.find(f"{name} is empty; 0 is used", **place, field=name)
            return ZERO
        return None
    return value  # type: ignore[return-value]


#: The workload fields read as text: a blank or unreadable cell is "".
_TEXT_FIELDS = frozenset({"model", "feature", "tenant", "environment", "name", "mode", "notes", "capacity", "provider"})
#: Fields whose blank or unreadable cell is simply not set (the default is used).
_SHARE_FIELDS = frozenset({"cached_share", "monthly_growth"})


def workload_columns(columns: list, lo: int, hi: int) -> tuple:
    """The converted columns of a workloads table as one tuple a row (zipped lazily), and where
    each field sits in it: a text field as its text ("" when blank or unreadable), a share as its
    value or None, any other field as converted (ABSENT when blank).  A field with no column sits
    at one of two slots after the columns that always hold "" and ABSENT; a field mapped twice
    takes, on each row, the last of its columns whose cell is not blank."""
    merged: dict[str, list] = {}
    for name, got, _problems, _letter in columns:
        before = merged.get(name)
        merged[name] = got if before is None else [b if g is ABSENT else g for b, g in zip(before, got)]
    cols = []
    held = _held(merged, hi - lo)
    for name, got in merged.items():
        if name in _TEXT_FIELDS:
            got = [v if v.__class__ is str else "" if v is None or v is ABSENT or v is _BAD else str(v) for v in got]
        elif name in _SHARE_FIELDS:
            got = [None if v is ABSENT or v is _BAD else v for v in got]
        cols.append(got)
    cols.append(held)
    blank_text, absent = len(cols), len(cols) + 1
    at = {name: i for i, name in enumerate(merged)}
    at[_HELD] = len(merged)
    for name in _TEXT_FIELDS:
        at.setdefault(name, blank_text)
    cols += [repeat("", hi - lo), repeat(ABSENT, hi - lo)]
    return zip(*cols), _Slots(at, absent)


#: The fields whose value a row takes from its column as it is (when the row's other fields come
#: from text, a parsed mode or constants, which a Workload always holds as they are).
_HELD_FIELDS = ("input_tokens", "output_tokens", "requests_per_month", "cached_share", "monthly_growth",
                "start_month")
#: The slot of a row's flag: each of its columns' values is one a Workload holds as it is.
_HELD = "_held"
#: The fields of every workload dict a row makes (the literal in :func:`workload_rows`): the fields
#: a record made from it without validation was given.
GIVEN = frozenset({"name", "model", "mode", "input_tokens", "output_tokens", "cached_share", "requests_per_month",
                   "tenant", "feature", "environment", "start_month", "monthly_growth", "notes", "capacity"})


def _held(merged: dict[str, list], rows: int) -> list[bool]:
    """Per row, whether each of its values of :data:`_HELD_FIELDS` is one a Workload holds as it is
    (``pricing.plan.checked_workloads.failing``), each distinct value of a column checked once."""
    held = [True] * rows
    for name in _HELD_FIELDS:
        got = merged.get(name)
        if got is None:
            continue
        ids: dict[int, object] = {}  # each distinct object once, a C-level pass a slice of cells at a time
        for start in range(0, rows, CELLS_A_PASS):
            part = got[start:start + CELLS_A_PASS]
            ids.update(zip(map(id, part), part))
        ids.pop(id(ABSENT), None)  # a blank or unreadable cell: the row's reading works out its value
        ids.pop(id(_BAD), None)
        failed = failing(name, list(ids.values()))
        for start in range(0, rows, CELLS_A_PASS) if failed else ():
            part = got[start:start + CELLS_A_PASS]
            deque(map(held.__setitem__, compress(count(start), map(failed.__contains__, map(id, part))),
                      repeat(False)), maxlen=0)
    return held


class _Slots(dict):
    """Field -> its slot in a row's values; a field with no column: the slot that is always ABSENT."""

    def __init__(self, at: dict[str, int], absent: int) -> None:
        super().__init__(at)
        self.absent = absent

    def __missing__(self, name: str) -> int:
        return self.absent


def workload_rows(table, file, report, out: Extracted, key_col, sheet, at: _Slots):
    """The function turning a row's values (a tuple, each field at its slot ``at[field]``) and its
    month series into a WorkloadRow, returning the series' fit (None without one): what is the
    same for every row of the table worked out once, then each row in one pass."""
    fields = table_fields(table)
    sheet_name = table.sheet
    letter = sheet.letter(key_col) if key_col is not None else "A"
    monthly_keys = [(k, at[f"{k}_per_month"], at[k]) for k in ("input_tokens", "output_tokens")
                    if f"{k}_per_month" in fields]
    no_requests_column = "requests_per_month" not in fields
    price_keys = [(k, at[k]) for k in ("input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok")
                  if k in fields]
    stated_keys = [(k, at[k], next((c.letter for c in table.columns if c.field == k), None))
                   for k in ("stated_request_cost", "stated_monthly_cost") if k in fields]
    modes: dict[str, DeploymentMode | str] = {}  # a mode's text -> its mode, or why it is none
    append = out.workloads.append
    serverless = DeploymentMode.SERVERLESS
    i_model, i_feature, i_tenant, i_environment, i_name = at["model"], at["feature"], at["tenant"], \
        at["environment"], at["name"]
    i_requests, i_per_day, i_input, i_output = at["requests_per_month"], at["requests_per_day"], at["input_tokens"], \
        at["output_tokens"]
    i_mode, i_cached, i_growth, i_start = at["mode"], at["cached_share"], at["monthly_growth"], at["start_month"]
    i_notes, i_capacity, i_provider = at["notes"], at["capacity"], at["provider"]
    # A share with no column is 0 (the ABSENT slot is not a value to test).
    cached_absent, growth_absent = i_cached == at.absent, i_growth == at.absent
    bad, absent, zero = _BAD, ABSENT, ZERO
    i_held, given = at[_HELD], set(GIVEN)  # one set of the fields given, shared by the records made from it

    def build(row_no: int, vals: tuple, series: list | None) -> SeriesFit | None:
        place = {"file": file, "sheet": sheet_name, "cell": f"{letter}{row_no}"}
        model = vals[i_model]
        if not model:
            report.find("the row has no model; it is kept and cannot be priced", **place, field="model")
        feature, tenant, environment = vals[i_feature], vals[i_tenant], vals[i_environment]
        name = vals[i_name] or " · ".join([model or f"row {row_no}"] + [p for p in (feature, tenant, environment)
                                                                        if p])
        monthly = {k: vals[i] for k, i, i_k in monthly_keys if vals[i] is not absent and vals[i_k] is absent} \
            if monthly_keys else _NONE
        held = vals[i_held]  # False once a value is worked out here rather than taken from its column
        fit = fit_series(series) if series is not None else None
        if fit is not None:
            requests = fit.requests
            held = False
        else:
            requests = vals[i_requests]
            if requests is bad or requests is absent:
                requests = None
        if requests is None:
            held = False
            per_day = number_of(vals[i_per_day], "requests_per_day", place, report, False)
            if per_day is not None:
                requests = per_day * DAYS_PER_MONTH
            elif monthly and no_requests_column:
                requests = Decimal(1)
            else:
                requests = number_of(vals[i_requests], "requests_per_month", place, report, True)
        if monthly:
            held = False
            tokens = []
            for key, i in (("input_tokens", i_input), ("output_tokens", i_output)):
                if key in monthly:
                    total = monthly[key]
                    tokens.append(ZERO if total is bad or not requests else total / requests)
                else:
                    value = vals[i]
                    tokens.append(value if value is not None and value is not bad and value is not absent else
                                  number_of(value, key, place, report, True))
            input_tokens, output_tokens = tokens
        else:
            input_tokens = vals[i_input]
            if input_tokens is None or input_tokens is bad or input_tokens is absent:
                input_tokens = number_of(input_tokens, "input_tokens", place, report, True)
                held = False
            output_tokens = vals[i_output]
            if output_tokens is None or output_tokens is bad or output_tokens is absent:
                output_tokens = number_of(output_tokens, "output_tokens", place, report, True)
                held = False
        mode_text = vals[i_mode]
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
        start = vals[i_start]
        workload = {  # a literal: made at its size at once (dict(...) grows it twice, 100,000 times)
            "name": name, "model": model or "(no model)", "mode": mode,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cached_share": zero if cached_absent else vals[i_cached] or zero,
            "requests_per_month": requests,
            "tenant": tenant, "feature": feature, "environment": environment,
            "start_month": start if isinstance(start, date) else None,
            "monthly_growth": zero if growth_absent else vals[i_growth] or zero,
            "notes": vals[i_notes], "capacity": vals[i_capacity] or None,
        }
        if fit is not None:
            workload.update(start_month=fit.start, monthly_growth=fit.growth)
            report_fit(fit, series, name, place, report)  # type: ignore[arg-type]
        # Most rows hold neither (a stated cost is often an uncalculated formula): one shared, read-only
        # empty dict, not two new ones a row.
        prices = stated = _NONE
        for k, i in price_keys:
            if isinstance(vals[i], Decimal):
                if prices is _NONE:
                    prices = {}
                prices[k] = vals[i]
        for k, i, column in stated_keys:
            if isinstance(vals[i], Decimal):
                if stated is _NONE:
                    stated = {}
                stated[k] = (vals[i], f"{column}{row_no}")
        append(WorkloadRow(workload, vals[i_provider], place, prices, stated, given if held else None))
        return fit
    return build
