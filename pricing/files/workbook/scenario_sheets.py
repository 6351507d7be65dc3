"""Scenarios in the plan workbook: the Scenarios input table, the active-scenario cell, and the sheets that follow it.

* **Scenarios** (input): an Excel table, one change per row (Scenario | Applies to | Name | Change | Value);
  a row without a change declares a scenario with none.  Column H lists Base and the scenarios for
  the dropdown of the active-scenario cell.  Read back on open like every input sheet.
* **Assumptions** gains "Active scenario" (a dropdown) and "Active scenario #" (its position, 1 = Base).
* **Active workloads** (computed): the Workloads table as the active scenario sees it.  A cell no
  scenario changes repeats the Workloads cell; a cell some scenario changes is
  ``CHOOSE(active #, Workloads cell, scenario 1's formula, …)``, where a scenario's formula restates
  its changes on the Workloads cell (``Workloads!$G2*1.5``, ``EDATE(…, 3)``, a model's id…).
  The computed sheets read the workloads from here, so choosing a scenario recalculates them all.
  Which rows a change reaches is settled when the app writes the workbook (a change scoped to a
  tenant follows the rows that had that tenant then); after editing the Scenarios sheet, open the
  workbook in the app and save it to bring those rows up to date.
* **Scenario totals** (computed): each scenario's total by month, fiscal year and over the horizon as
  the app computed them, beside the active scenario's live totals.
"""

from __future__ import annotations

from pydantic import ValidationError

from pricing.plan.models import Plan
from pricing.plan.scenario_records import BASE, ChangeKind, Scenario, ScenarioChange
from pricing.scenarios.apply import Applied
from pricing.scenarios.totals import ScenarioTotals
from pricing.files.workbook import layout as L
from pricing.files.workbook.cells import col_letter, serial
from pricing.files.workbook.package import Package, SheetSpec, Validation, table_xml
from pricing.files.workbook.styles import Style

ACTIVE_REF = f"'{L.ACTIVE}'"
_NUMERIC = ("input_tokens", "output_tokens", "cached_share", "requests_per_month", "monthly_growth", "discount")


def names_range(plan: Plan) -> str:
    c = col_letter(L.SCENARIO_NAMES_COL)
    return f"{L.SCENARIOS}!${c}$2:${c}${len(plan.scenarios) + 2}"


def write_scenarios(pkg: Package, plan: Plan) -> None:
    columns = list(L.SCENARIO_COLUMNS)
    rows: list[list[str]] = []
    for scenario in plan.scenarios:
        if not scenario.changes:
            rows.append([scenario.name, "", "", "", ""])
        for ch in scenario.changes:
            rows.append([scenario.name, ch.applies_to.value, ch.name, ch.change.value, ch.value])
    last = f"{col_letter(len(columns))}{max(len(rows) + 1, 2)}"
    names_col = col_letter(L.SCENARIO_NAMES_COL)
    spec = SheetSpec(
        name=L.SCENARIOS, dimension=f"A1:{names_col}{max(len(rows), len(plan.scenarios) + 1) + 1}", frozen_rows=1,
        widths=[c.width for c in columns] + [4, 24],
        tables=[table_xml("tblScenarios", f"A1:{last}", [c.header for c in columns])],
        validations=[
            Validation(f"B2:B{len(rows) + 500}", '"all,tenant,feature,environment,model,workload"',
                       "all, tenant, feature, environment, model or workload"),
            Validation(f"D2:D{len(rows) + 500}", '"' + ",".join(k.value for k in ChangeKind) + '"',
                       "What the change does; Value holds the factor, rate, months, model or mode"),
        ],
    )
    names = [BASE] + [s.name for s in plan.scenarios]
    with pkg.sheet(spec) as s:
        for r in range(1, max(len(rows), len(names)) + 2):
            row = s.row(r)
            if r == 1:
                for j, c in enumerate(columns, 1):
                    row.text(j, c.header, Style.HEADER)
                row.text(L.SCENARIO_NAMES_COL, "Scenarios (dropdown list)", Style.HEADER)
            else:
                if r - 2 < len(rows):
                    for j, value in enumerate(rows[r - 2], 1):
                        row.text(j, value, Style.TEXT)
                if r - 2 < len(names):
                    row.text(L.SCENARIO_NAMES_COL, names[r - 2], Style.HELPER)
            s.write(row)


def active_scenario_rows(plan: Plan, s, first_row: int) -> None:
    """Write the two active-scenario rows of Assumptions from ``first_row`` (the dropdown is the sheet's validation)."""
    row = s.row(first_row)
    row.text(1, L.ACTIVE_SCENARIO, Style.TEXT)
    row.text(2, BASE, Style.TEXT)
    row.text(3, "Choose a scenario: every computed sheet recalculates to it", Style.TEXT)
    s.write(row)
    row = s.row(first_row + 1)
    row.text(1, L.ACTIVE_SCENARIO_NO, Style.TEXT)
    row.formula(2, f"IFERROR(MATCH($B${first_row},{names_range(plan)},0),1)", 1, Style.HELPER)
    row.text(3, "1 = Base; the Active workloads sheet picks its column with this", Style.TEXT)
    s.write(row)


class ScenarioBook:
    """What the writer needs of a plan's scenarios: each applied, its totals, and the rate sheet they need."""

    def __init__(self, plan: Plan, months: int):
        from pricing.costing.catalog import load_catalog
        from pricing.scenarios.apply import applied_all
        from pricing.scenarios.totals import totals_of

        self.applied = applied_all(plan, load_catalog())
        known = {r.id.lower() for r in plan.rates}
        added = []
        for result in self.applied[1:]:
            for rate in result.plan.rates:
                if rate.id.lower() not in known:  # a scenario's catalog model joins the Rates sheet
                    known.add(rate.id.lower())
                    added.append(rate)
        self.sheet_plan = plan.model_copy(update={"rates": plan.rates + tuple(added)}) if added else plan
        self.totals = [totals_of(result, months) for result in self.applied]

    def groups(self) -> dict[str, set[str]]:
        """Every model and mode some scenario's projection shows, for the Summary's sections."""
        out: dict[str, set[str]] = {"model": set(), "mode": set()}
        for totals in self.totals[1:]:
            for by in out:
                out[by] |= set(totals.projection.breakdown(by))
        return out


# ---------------------------------------------------------------- Active workloads
def _number(value) -> str:
    text = format(value, "f")
    return f"({text})" if text.startswith("-") else text


def _text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def scenario_cells(plan: Plan, applied: list[Applied]) -> dict[tuple[int, str], list[str | None]]:
    """{(workload index, field): [formula per scenario, or None where it leaves the cell alone]}."""
    first = L.assumption_cell("first_month")
    cells: dict[tuple[int, str], list[str | None]] = {}
    n = len(applied)
    for k, result in enumerate(applied):
        exprs: dict[tuple[int, str], str] = {}

        def cur(i: int, field: str) -> str:
            return exprs.get((i, field)) or f"{L.WORKLOADS}!${col_letter(L.position(L.WORKLOAD_COLUMNS, field))}{i + 2}"

        for change, rows, fixed in result.edits:
            kind = change.change
            for i in rows:
                if kind is ChangeKind.MODEL:
                    exprs[(i, "model")] = _text(fixed["model"])
                elif kind is ChangeKind.MODE:
                    exprs[(i, "mode")] = _text(fixed["mode"].label)
                    exprs[(i, "capacity")] = _text(fixed.get("capacity") or "")
                else:
                    v = _number(change.number)
                    if kind is ChangeKind.REQUESTS:
                        exprs[(i, "requests_per_month")] = f"{cur(i, 'requests_per_month')}*{v}"
                    elif kind is ChangeKind.TOKENS:
                        for f in ("input_tokens", "output_tokens"):
                            exprs[(i, f)] = f"{cur(i, f)}*{v}"
                    elif kind is ChangeKind.GROWTH:
                        exprs[(i, "monthly_growth")] = v
                    elif kind is ChangeKind.GROWTH_SHIFT:
                        exprs[(i, "monthly_growth")] = f"({cur(i, 'monthly_growth')}+{v})"
                    elif kind is ChangeKind.START_SHIFT:
                        c = cur(i, "start_month")
                        exprs[(i, "start_month")] = f"EDATE(IF(ISNUMBER({c}),{c},{first}),{int(change.number)})"
                    elif kind is ChangeKind.DISCOUNT:
                        exprs[(i, "discount")] = f"(1-(1-{cur(i, 'discount')})*(1-{v}))"
        for key, expr in exprs.items():
            cells.setdefault(key, [None] * n)[k] = expr
    return cells


def _passthrough(field: str, r: int) -> str:
    ref = f"{L.WORKLOADS}!${col_letter(L.position(L.WORKLOAD_COLUMNS, field))}{r}"
    return ref if field in _NUMERIC else f'IF(ISBLANK({ref}),"",{ref})'


def _cached(plan: Plan, i: int, field: str):
    value = getattr(plan.workloads[i], field)
    if field == "mode":
        return value.label
    if field == "start_month":
        return serial(value) if value else ""
    if field in _NUMERIC:
        return value
    return value or ""


def write_active_workloads(pkg: Package, plan: Plan, applied: list[Applied]) -> None:
    """The Active workloads sheet (``applied``: the scenarios in the plan's order, base excluded)."""
    columns = list(L.WORKLOAD_COLUMNS)
    n = len(plan.workloads)
    last = max(n + 1, 2)
    touched = scenario_cells(plan, applied)
    index = L.active_scenario_cell(number=True)
    spec = SheetSpec(L.ACTIVE, dimension=f"A1:{col_letter(len(columns))}{last}", frozen_rows=1, frozen_cols=1,
                     widths=[c.width for c in columns], tab_color="FF70AD47")
    masters: dict[int, int] = {}
    for j, col in enumerate(columns, 1):
        free = [i for i in range(n) if (i, col.field) not in touched]
        if free:
            masters[j] = free[0]
    with pkg.sheet(spec) as s:
        row = s.row(1)
        for j, c in enumerate(columns, 1):
            row.text(j, c.header, Style.HEADER)
        s.write(row)
        for i in range(n):
            r = i + 2
            row = s.row(r)
            for j, col in enumerate(columns, 1):
                cached = _cached(plan, i, col.field)
                own = touched.get((i, col.field))
                if own is not None:
                    base = _passthrough(col.field, r)
                    options = ",".join(e or base for e in own)
                    row.formula(j, f"CHOOSE({index},{base},{options})", cached, col.style)
                elif masters.get(j) == i:
                    row.formula(j, _passthrough(col.field, r), cached, col.style, (j, f"{col_letter(j)}{r}:{col_letter(j)}{last}"))
                else:
                    row.formula(j, "", cached, col.style, (j, None))
            s.write(row)


# ---------------------------------------------------------------- Scenario totals
def write_scenario_totals(pkg: Package, plan: Plan, results: list[ScenarioTotals], total_row: int) -> None:
    base = results[0]
    months = base.months
    years = list(base.fiscal_years)
    headers = ["Scenario", "Horizon", "vs Base"] + years + [m.isoformat()[:7] for m in months]
    width = len(headers)
    spec = SheetSpec(L.SCENARIO_TOTALS, dimension=f"A1:{col_letter(width)}{len(results) + 4}", frozen_rows=1,
                     frozen_cols=1, widths=[28, 16, 14] + [15] * len(years) + [13] * len(months), tab_color="FF4472C4")
    with pkg.sheet(spec) as s:
        row = s.row(1)
        for j, h in enumerate(headers, 1):
            row.text(j, h, Style.HEADER)
        s.write(row)
        for r, result in enumerate(results, start=2):
            row = s.row(r)
            row.text(1, result.name, Style.TEXT)
            row.number(2, result.total, Style.TOTAL)
            row.number(3, result.difference(base), Style.MONEY)
            for j, year in enumerate(years, 4):
                row.number(j, result.fiscal_years.get(year, 0), Style.MONEY)
            for j, value in enumerate(result.month_totals, 4 + len(years)):
                row.number(j, value, Style.MONEY)
            s.write(row)
        r = len(results) + 3
        row = s.row(r)
        row.formula(1, f'"Active: "&{L.active_scenario_cell()}', f"Active: {BASE}", Style.TOTAL_LABEL)
        row.formula(2, f"{L.PROJECTION}!{col_letter(7 + len(months))}{total_row}", base.total, Style.TOTAL)
        row.formula(3, f"B{r}-B2", 0, Style.MONEY)
        for j, year in enumerate(years, 4):
            cols = [col_letter(4 + len(years) + m) for m, month in enumerate(months)
                    if year == _year_of(base, month)]
            row.formula(j, "+".join(f"{c}{r}" for c in cols) or "0", base.fiscal_years[year], Style.MONEY)
        for m in range(len(months)):
            row.formula(4 + len(years) + m, f"{L.PROJECTION}!{col_letter(7 + m)}{total_row}", base.month_totals[m],
                        Style.MONEY)
        s.write(row)
        row = s.row(r + 1)
        row.text(1, "The rows above are the app's figures when saved; this row follows the active scenario live.",
                 Style.TEXT)
        s.write(row)


def _year_of(totals: ScenarioTotals, month) -> str:
    from pricing.scenarios.totals import fiscal_year

    return fiscal_year(month, _fy_start(totals))


def _fy_start(totals: ScenarioTotals) -> int:
    return totals.projection.plan.assumptions.fiscal_year_start if totals.projection else 1


# ---------------------------------------------------------------- reading
def read_scenarios(cells, header_map, read_row) -> tuple[Scenario, ...]:
    """The Scenarios sheet's rows as scenarios (bad rows are findings naming their cell)."""
    rows = cells.rows(L.SCENARIOS)
    where = header_map(cells, L.SCENARIOS, L.SCENARIO_COLUMNS, rows)
    if where is None:
        return ()
    order: list[str] = []
    changes: dict[str, list[ScenarioChange]] = {}
    for r, row in rows[1:]:
        values = read_row(cells, L.SCENARIOS, L.SCENARIO_COLUMNS, where, r, row)
        name = str(values.get("scenario") or "").strip()
        if not name:
            if any(values.get(k) for k in ("change", "value", "name")):
                cells.finding(L.SCENARIOS, f"A{r}", "scenario", f"row {r} names no scenario; it is left out")
            continue
        if name.lower() not in changes:
            order.append(name)
            changes[name.lower()] = []
        if not values.get("change") and not values.get("value"):
            continue
        try:
            changes[name.lower()].append(ScenarioChange(
                applies_to=values.get("applies_to") or "all", name=values.get("name") or "",
                change=values.get("change") or "", value=values.get("value") or ""))
        except (ValidationError, ValueError) as exc:
            message = (exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)).removeprefix("Value error, ")
            column = next((c for words, c in (("unknown change", "D"), ("must name", "C"), ("unknown scope", "B"))
                           if words in message), "E")
            cells.finding(L.SCENARIOS, f"{column}{r}", "change", f"{message}; row {r} is left out")
    out = []
    for name in order:
        try:
            out.append(Scenario(name=name, changes=tuple(changes[name.lower()])))
        except ValidationError as exc:
            cells.finding(L.SCENARIOS, "A2", "scenario", f"{exc.errors()[0]['msg']}; scenario {name!r} is left out")
    return tuple(out)
