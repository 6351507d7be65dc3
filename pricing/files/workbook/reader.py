"""load_plan: a plan workbook back into a Plan, with findings for the cells it could not use.

Input sheets are read by header, so columns may be moved.  A bad cell (text where a number
belongs, a negative token count, an unknown mode) is a Finding naming the sheet and cell;
a row that cannot become a record is left out with an error finding.  Only a file that is not
a plan workbook at all raises PlanFileError.  Values are read with python-calamine (formula
cells give their cached values; the reader only needs the input cells).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from itertools import compress, count, repeat
from operator import is_, is_not
from pathlib import Path

from pydantic import ValidationError

from pricing.plan.findings import Finding, Severity
from pricing.plan.terms import Commitment, Credit, Discount, FxRate, Reservation, Terms
from pricing.plan.models import (
    Assumptions, DedicatedEndpoint, DeploymentMode, GpuCluster, ModelRate, Plan, PromptTier, RateVersion, Workload,
)
from pricing.files.errors import PlanFileError
from pricing.gc_pause import gc_paused
from pricing.plan.checked_workloads import REQUIRED, can_make, failing, made_valid, made_valid_rows
from pricing.plan.tracking import ActualLine, BudgetLine
from pricing.files.workbook import layout as L
from pricing.files.workbook.windows import parse_windows
from pricing.files.workbook.sheetdata import Sheet, check_plan_sheets, read_input_sheets
from pricing.files.workbook.values import UNUSABLE, Cells

_TIER_HEADER = re.compile(r"^tier (\d+) (.+)$", re.I)


def load_plan(path) -> tuple[Plan, list[Finding]]:
    """Open a plan workbook; returns the plan and the findings about its cells.

    This reads in the calling process with no safety checks: files from elsewhere go through
    ``pricing.files.planfile.open_plan``, which checks the package and reads in a bounded child.
    """
    path = Path(path)
    try:
        return _load_plan(path)
    except PlanFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's XmlError, ZipError...: a part cut short or malformed
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise PlanFileError(f"{path}: the workbook cannot be read ({type(exc).__name__}: {first})") from None


def _load_plan(path: Path) -> tuple[Plan, list[Finding]]:
    names, sheets = read_input_sheets(path)
    return plan_from_sheets(path, names, sheets)


def plan_from_sheets(path: Path, names: list[str], sheets: dict[str, Sheet]) -> tuple[Plan, list[Finding]]:
    """The plan in a workbook's input sheets (read here, or sent by the bounded reader process)."""
    # Hundreds of thousands of records and no reference cycles (pricing.gc_pause); settled, the plan
    # waits in the oldest generation (the first pass after the load would otherwise walk all of it,
    # and whatever else the process holds: a tenth of the load of 100,000 workloads beside a plan).
    with gc_paused(settle=True):
        return _plan_from_sheets(path, names, sheets)


def _plan_from_sheets(path: Path, names: list[str], sheets: dict[str, Sheet]) -> tuple[Plan, list[Finding]]:
    check_plan_sheets(path, names)
    cells = Cells(sheets, str(path))
    name, assumptions, rates_currency = _assumptions(cells)
    rates = _rates(cells)
    workloads = _records(cells, L.WORKLOADS, L.WORKLOAD_COLUMNS, _workload, plain=True)
    endpoints = _records(cells, L.ENDPOINTS, L.ENDPOINT_COLUMNS, DedicatedEndpoint) if L.ENDPOINTS in names else []
    clusters = _records(cells, L.CLUSTERS, L.CLUSTER_COLUMNS, GpuCluster) if L.CLUSTERS in names else []
    seen: set[str] = set()
    kept_endpoints, kept_clusters = [], []
    for items, kept, sheet in ((endpoints, kept_endpoints, L.ENDPOINTS), (clusters, kept_clusters, L.CLUSTERS)):
        for item, r in items:
            if item.id in seen:
                cells.finding(sheet, f"A{r}", "id", f"{item.id!r} is already the id of another endpoint or cluster; "
                              "this row is left out")
                continue
            seen.add(item.id)
            kept.append(item)
    scenarios = ()
    if L.SCENARIOS in names:
        from pricing.files.workbook.scenario_sheets import read_scenarios

        scenarios = read_scenarios(cells, _header_map, _read_row)
    terms = _terms(cells, names, rates_currency)
    budgets = _records(cells, L.BUDGETS, L.BUDGET_COLUMNS, BudgetLine) if L.BUDGETS in names else []
    actuals = _records(cells, L.ACTUALS, L.ACTUAL_COLUMNS, ActualLine) if L.ACTUALS in names else []
    plan = Plan(name=name, assumptions=assumptions, rates=tuple(rates), workloads=tuple(w for w, _ in workloads),
                endpoints=tuple(kept_endpoints), clusters=tuple(kept_clusters), scenarios=scenarios, terms=terms,
                budgets=tuple(b for b, _ in budgets), actuals=tuple(a for a, _ in actuals))
    return plan, cells.findings


def _terms(cells: Cells, names: list[str], rates_currency: str) -> Terms:
    """The contract terms from the Terms, Commitments, Credits, Reservations and FX sheets."""
    builds = {"discounts": Discount, "commitments": Commitment, "credits": Credit, "reservations": Reservation,
              "fx": FxRate}
    values: dict[str, object] = {}
    for sheet, _table, columns, name in L.TERMS_TABLES:
        if sheet in names:
            values[name] = tuple(item for item, _r in _records(cells, sheet, columns, builds[name]))
    try:
        return Terms(rates_currency=rates_currency, **values)
    except (ValidationError, ValueError) as exc:
        cells.finding(L.FX, "A1", "fx", f"{exc}; the FX table is left out")
        values.pop("fx", None)
        try:
            return Terms(rates_currency=rates_currency, **values)
        except (ValidationError, ValueError):
            cells.finding(L.ASSUMPTIONS, _assumption_ref("rates_currency"), "rates_currency",
                          f"{rates_currency!r} is not an ISO 4217 code; USD is used")
            return Terms(**values)


def _assumptions(cells: Cells) -> tuple[str, Assumptions, str]:
    rows = cells.rows(L.ASSUMPTIONS)
    by_label = {}
    for r, row in rows[1:]:
        if row and isinstance(row[0], str):
            by_label[row[0].strip().casefold()] = (r, row[1] if len(row) > 1 else "")
    values: dict[str, object] = {}
    name = "Untitled plan"
    for label, field, kind in L.ASSUMPTION_ROWS:
        found = by_label.get(label.casefold())
        if found is None:
            continue
        r, raw = found
        value = cells.convert(L.ASSUMPTIONS, f"B{r}", raw, kind, field)
        if field == "name":
            name = "" if value is None or value is UNUSABLE else value
            continue
        if value is None or value is UNUSABLE:
            continue
        if field == "name":
            name = value
        else:
            values[field] = value
    rates_currency = str(values.pop("rates_currency", "USD"))
    if "first_month" not in values:
        cells.finding(L.ASSUMPTIONS, _assumption_ref("first_month"), "first_month", "the plan has no first month; the current month is used")
        values["first_month"] = date.today().replace(day=1)
    try:
        return name, Assumptions(**values), rates_currency
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            cells.finding(L.ASSUMPTIONS, _assumption_ref(field), field, f"{err['msg']}; the default is used")
            values.pop(field, None)
        return name, Assumptions(**{k: v for k, v in values.items()}), rates_currency


def _assumption_ref(field: str) -> str | None:
    for i, (_label, name, _kind) in enumerate(L.ASSUMPTION_ROWS):
        if name == field:
            return f"B{i + 2}"
    return None


def _header_map(cells: Cells, sheet: str, columns, rows) -> dict[str, int] | None:
    if not rows:
        cells.finding(sheet, "A1", None, "the sheet is empty: no header row")
        return None
    header = {str(h).strip().casefold(): j for j, h in enumerate(rows[0][1]) if isinstance(h, str)}
    found = {}
    for col in columns:
        j = header.get(col.header.casefold())
        if j is not None:
            found[col.field] = j
        elif col.required:
            cells.finding(sheet, "1:1", col.field, f"no column headed {col.header!r}; the sheet's rows are left out")
            return None
    return found


def _read_row(cells: Cells, sheet: str, columns, where: dict[str, int], r: int, row: list) -> dict[str, object]:
    values = {}
    for col in columns:
        j = where.get(col.field)
        if j is None or j >= len(row):
            continue
        value = cells.convert(sheet, cells.ref(j, r), row[j], col.kind, col.field)
        if value is not None:
            values[col.field] = value
    return values


def _records(cells: Cells, sheet: str, columns, build, plain: bool = False) -> list[tuple[object, int]]:
    """The records of a table sheet, converted column by column, then built row by row; the
    findings come in the order of the rows (a row's cells, then the row).

    With ``plain`` (the Workloads sheet), each distinct value of each column is checked once, and
    a row all of whose values passed is made without validating it (``pricing.plan.checked_workloads``)."""
    table = cells.sheets[sheet]
    where = _header_map(cells, sheet, columns, [(1, table.header)] if table.n_rows else [])
    if where is None:
        return []
    body = table.body()
    converted = []
    cell_findings: dict[int, list[Finding]] = {}
    for col in columns:
        j = where.get(col.field)
        if j is None or j >= len(body):
            continue
        values, found, held = cells.convert_column(sheet, j, body[j], col.kind, col.field)
        converted.append((col.field, values, held))
        for r, items in found.items():
            cell_findings.setdefault(r, []).extend(items)
    blank = table.blank_body_rows()
    out = []
    # None, an empty cell, is left out: the field takes its default.  A column empty all the way
    # down is left out at once, and the rows with an empty cell in the others are found column by
    # column, by identity (``None in row`` asks each Decimal of each row whether it equals None).
    converted = [(field, column, held) for field, column, held in converted if not _all_none(column)]
    gaps = {field: list(compress(count(), map(is_, column, repeat(None)))) for field, column, _held in converted}
    holes: set[int] = set().union(*gaps.values())
    fields = tuple(field for field, _column, _held in converted)
    checked: set[int] = set()  # the rows holding a value that did not pass its column's check
    for field, column, held in converted if plain else ():
        failed = failing(field, held)
        if failed is None:
            plain = False
        elif failed:
            checked.update(compress(count(), map(failed.__contains__, map(id, column))))
    whole = plain and can_make(fields)  # a row with no empty cell names each field
    held_columns = [column for _field, column, _held in converted]
    made: list | None = None
    if whole and held_columns:
        # The rows with no value that failed, no finding and every required field are made a table
        # at a time, an empty cell leaving its field out (no finding comes of them); the loop takes
        # the others, in row order, in their places.
        unnamed = set().union(*(gaps[field] for field in fields if field in REQUIRED))
        others = sorted(unnamed | checked | blank | {r - 2 for r in cell_findings})
        made = made_valid_rows(fields, held_columns, gaps)
        for i in others:
            made[i] = None
        rows: Iterable = ((i, tuple(column[i] for column in held_columns)) for i in others)
    else:
        rows = enumerate(zip(*held_columns) if held_columns else [()] * (table.n_rows - 1))
    for i, row in rows:
        if i in blank:
            continue
        r = i + 2
        if r in cell_findings:  # an unusable cell always comes with a finding
            cells.findings.extend(cell_findings[r])
            if UNUSABLE in row:
                cells.finding(sheet, f"A{r}", None, f"row {r} is left out of the plan until the cells above are fixed")
                continue
        try:
            if i in holes:  # an empty cell (None) is left out: the field takes its default
                values = {f: v for f, v in zip(fields, row) if v is not None}
                record = made_valid(values, values.values()) if whole and i not in checked and \
                    REQUIRED <= values.keys() else build(**values)
            else:
                record = build(**dict(zip(fields, row)))
        except (ValidationError, ValueError) as exc:
            cells.row_error(sheet, r, exc, columns, where)
            continue
        if made is None:
            out.append((record, r))
        else:
            made[i] = record
    if made is not None:  # every row kept, in row order, with its Excel row number
        out = list(compress(zip(made, count(2)), map(is_not, made, repeat(None))))
    return out


def _all_none(column: list) -> bool:
    """Whether every value of ``column`` is None (by identity, so no value is asked to compare)."""
    return not column or column[0] is None and column.count(None) == len(column)


def _check_version_rows(cells: Cells, versions: list[tuple[RateVersion, int]]) -> None:
    """The computed sheets find a model's versions as consecutive rows in date order; say so when they are not."""
    rows = [r for _v, r in versions]
    starts = [v.effective_from or date.min for v, _r in versions]
    if rows == list(range(rows[0], rows[0] + len(rows))) and starts == sorted(starts):
        return
    cells.finding(
        L.RATES, f"A{rows[0]}", "effective_from",
        "this model's price versions are not on consecutive rows in date order, so the workbook's formulas may "
        "pick the wrong price until the plan is saved again (saving puts them in order); the plan itself is read "
        "correctly", Severity.WARNING,
    )


def _workload(**values) -> Workload:
    mode = values.get("mode")
    if isinstance(mode, str):
        values["mode"] = DeploymentMode.parse(mode)
    for field in ("name", "model"):
        values.setdefault(field, "")
    return Workload(**values)


def _rates(cells: Cells) -> list[ModelRate]:
    sheet = L.RATES
    rows = cells.rows(sheet)
    where = _header_map(cells, sheet, L.RATE_COLUMNS, rows)
    if where is None:
        return []
    tiers: dict[int, dict[str, int]] = {}
    labels = {label.casefold(): name for label, name, _kind in L.TIER_FIELDS}
    kinds = {name: kind for _label, name, kind in L.TIER_FIELDS}
    for j, h in enumerate(rows[0][1]):
        m = _TIER_HEADER.match(str(h).strip()) if isinstance(h, str) else None
        if m and m.group(2).casefold() in labels:
            tiers.setdefault(int(m.group(1)), {})[labels[m.group(2).casefold()]] = j
    groups: dict[str, tuple[dict, list]] = {}
    for r, row in rows[1:]:
        if all(v in ("", None) for v in row):
            continue
        values = _read_row(cells, sheet, L.RATE_COLUMNS, where, r, row)
        if UNUSABLE in values.values():
            cells.finding(sheet, f"A{r}", None, f"row {r} is left out of the plan until the cells above are fixed")
            continue
        tier_list = []
        for t in sorted(tiers):
            cols = tiers[t]
            tv = {}
            for name, j in cols.items():
                if j < len(row):
                    v = cells.convert(sheet, cells.ref(j, r), row[j], kinds[name], f"tier {t} {name}")
                    if v is not None and v is not UNUSABLE:
                        tv[name] = v
            if "above_input_tokens" not in tv:
                continue
            try:
                tier_list.append(PromptTier(**tv))
            except ValidationError as exc:
                cells.row_error(sheet, r, exc, L.RATE_COLUMNS, where)
        version_fields = ("effective_from", "input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok",
                          "cache_write_1h_mtok", "reasoning_mtok", "request_fee_kcount", "windows")
        try:
            if values.get("windows"):
                values["windows"] = parse_windows(values["windows"])
            version = RateVersion(**{k: values[k] for k in version_fields if k in values and values[k] is not None},
                                  tiers=tuple(tier_list))
        except ValidationError as exc:
            cells.row_error(sheet, r, exc, L.RATE_COLUMNS, where)
            continue
        except ValueError as exc:  # a time-window cell it cannot read
            cells.finding(sheet, f"{L.col_of(L.RATE_COLUMNS, 'windows')}{r}", "windows", str(exc))
            continue
        key = f"{values.get('provider', '')}/{values.get('model_id', '')}".casefold()
        if key not in groups:
            groups[key] = ({k: v for k, v in values.items() if k not in version_fields}, [], r)
        groups[key][1].append((version, r))
    rates = []
    for model_values, versions, r in groups.values():
        _check_version_rows(cells, versions)
        try:
            rates.append(ModelRate(**model_values, versions=tuple(v for v, _ in versions)))
        except ValidationError as exc:
            cells.row_error(sheet, r, exc, L.RATE_COLUMNS, where)
    return rates

