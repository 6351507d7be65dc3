"""The Budgets, Actuals and Variance sheets.

* Budgets - the budget lines (an input table), then per line the plan's spend under it each month
  (``SUMPRODUCT`` over the Projection lines whose tenant / feature / environment / model matches,
  case-insensitively; a model also by its short id), the running spend in its period (a month, or
  the fiscal year so far), the month it is first exceeded and by how much.
* Actuals - the actual spend loaded (an input table of values with their source), then the tenant,
  feature, environment, model and mode of each line's workload (``INDEX/MATCH`` on the Projection
  sheet; ``(unmatched)`` when it has none).
* Variance - per month: plan (the Projection total), actual (``SUMIFS`` over Actuals), whether the
  month is closed, variance, variance %, and the re-forecast (closed months at actuals; open months
  at plan, or at ``ROUND(plan × ratio, 2)`` when B2 says ``ratio``, the ratio being actual ÷ plan over
  the last B3 closed months); then per tenant / feature / environment / model / mode for each closed
  month.  Every figure is a live formula with the core's figure (``pricing.actuals.Variance``) cached.
"""

from __future__ import annotations

from pricing.actuals.variance import Variance
from pricing.budgets import check_budgets
from pricing.budgets.scopes import planned_series
from pricing.costing.projection import BREAKDOWNS
from pricing.files.workbook import layout as L
from pricing.files.workbook.cells import col_letter
from pricing.files.workbook.formulas import MONTH0_COL
from pricing.files.workbook.inputs import InputLayout, _put
from pricing.files.workbook.package import SheetSpec, Validation, header_width, table_xml
from pricing.files.workbook.sheets import Computed
from pricing.files.workbook.styles import Style
from pricing.plan.money import ZERO, exact_sum

SUMMARY_FIRST = 3  # Summary: months from column C
KEY_HEADERS = ("Tenant key", "Feature key", "Environment key", "Model key", "Mode key")


def _f(value) -> float:
    return float(value)  # float ok: Excel stores doubles


def _proj_col(m: int) -> str:
    return col_letter(MONTH0_COL + m)


def write_actuals(comp: Computed, lay: InputLayout) -> None:
    plan = comp.plan
    columns = list(L.ACTUAL_COLUMNS)
    n = len(plan.actuals)
    last = max(n + 1, 2)
    width = len(columns) + len(KEY_HEADERS)
    spec = SheetSpec(L.ACTUALS, dimension=f"A1:{col_letter(width)}{last}", frozen_rows=1, frozen_cols=1,
                     widths=[c.width for c in columns] + [16] * len(KEY_HEADERS), tab_color="FFED7D31",
                     tables=[table_xml("tblActuals", f"A1:{col_letter(len(columns))}{last}",
                                       [c.header for c in columns])])
    rows_end = max(comp.n_rows + 2, 3)
    names = f"{L.PROJECTION}!$A$3:$A${rows_end}"
    with comp.pkg.sheet(spec) as s:
        row = s.row(1)
        for i, c in enumerate(columns, 1):
            row.text(i, c.header, Style.HEADER)
        for k, h in enumerate(KEY_HEADERS):
            row.text(len(columns) + 1 + k, h, Style.HEADER)
        s.write(row)
        index = {}
        for i, r in enumerate(comp.p.rows):
            index.setdefault(r.workload.name, i)
        for r, line in enumerate(plan.actuals, start=2):
            row = s.row(r)
            for i, col in enumerate(columns, start=1):
                _put(row, i, col, getattr(line, col.field), L.ACTUALS, lay.exact)
            i = index.get(line.workload) if line.workload is not None else None
            for k, by in enumerate(BREAKDOWNS):
                source = col_letter(2 + k)  # Projection: B tenant … F mode
                formula = (f'IF($D{r}="","(unmatched)",IFERROR(INDEX({L.PROJECTION}!${source}$3:${source}${rows_end},'
                           f'MATCH($D{r},{names},0)),"(unmatched)"))')
                cached = comp.p.key_of(comp.p.rows[i], by) if i is not None else "(unmatched)"
                row.formula(len(columns) + 1 + k, formula, cached, Style.TEXT)
            s.write(row)


def actual_key_col(by: str) -> str:
    return col_letter(len(L.ACTUAL_COLUMNS) + 1 + BREAKDOWNS.index(by))


def write_variance(comp: Computed, method: str = "plan") -> None:
    p, months = comp.p, comp.months
    variance = Variance(p, method)
    cells = variance.month_cells()
    forecast = variance.reforecast()
    closed = set(variance.closed)
    first, end = 7, 7 + months - 1
    total_row = end + 1
    sections = []
    r = total_row + 3
    for by in BREAKDOWNS:
        groups = variance.breakdown(by, comp.breakdowns[by])
        rows = [(key, m) for key in groups for m in variance.closed]
        sections.append((by, r, groups, rows))
        r += len(rows) + 2
    title = f"{comp.plan.name}: plan against actual ({comp.plan.assumptions.currency})"
    spec = SheetSpec(L.VARIANCE, dimension=f"A1:I{max(r, total_row)}", frozen_rows=6, frozen_cols=1,
                     widths=[max(34, header_width(title)), 14, 14, 9, 14, 11, 14, 9, 9], tab_color="FFED7D31",
                     validations=[Validation("B2", '"plan,ratio"')])
    ratio = variance.ratio
    act = f"{L.ACTUALS}!$G:$G"
    act_month = f"{L.ACTUALS}!$C:$C"
    with comp.pkg.sheet(spec) as s:
        row = s.row(1)
        row.text(1, title, Style.TITLE)
        s.write(row)
        row = s.row(2)
        row.text(1, "Open months re-forecast at (plan or ratio)", Style.TEXT)
        row.text(2, method, Style.TEXT)
        s.write(row)
        row = s.row(3)
        row.text(1, "Ratio over the last closed months", Style.TEXT)
        row.number(2, variance.window, Style.COUNT)
        s.write(row)
        row = s.row(4)
        row.text(1, "Recent actual ÷ plan", Style.TEXT)
        row.formula(2, f"IFERROR(SUMPRODUCT(($I${first}:$I${end})*($C${first}:$C${end}))/"
                       f"SUMPRODUCT(($I${first}:$I${end})*($B${first}:$B${end})),\"\")",
                    _f(ratio) if ratio is not None else "", Style.NUMBER)
        s.write(row)
        row = s.row(6)
        for j, h in enumerate(("Month", "Plan", "Actual", "Closed", "Variance", "Variance %", "Re-forecast",
                               "Closed #", "In ratio"), 1):
            row.text(j, h, Style.HEADER)
        s.write(row)
        recent = set(variance.closed[-variance.window:])
        count = 0
        for m in range(months):
            r = first + m
            cell = cells[m]
            is_closed = m in closed
            count += is_closed
            row = s.row(r)
            row.formula(1, f"{L.PROJECTION}!{_proj_col(m)}$1", p.months[m], Style.MONTH)
            row.formula(2, f"{L.PROJECTION}!{_proj_col(m)}${comp.total_row}", _f(cell.plan), Style.MONEY)
            row.formula(3, f"SUMIFS({act},{act_month},A{r})", _f(cell.actual or ZERO), Style.MONEY)
            row.formula(4, f"COUNTIF({act_month},A{r})>0", is_closed, Style.BOOL)
            row.formula(5, f'IF(D{r},C{r}-B{r},"")', _f(cell.variance) if is_closed else "", Style.MONEY)
            pct = cell.variance_pct
            row.formula(6, f'IF(AND(D{r},B{r}<>0),E{r}/B{r},"")', _f(pct) if pct is not None else "", Style.PERCENT)
            row.formula(7, f'IF(D{r},C{r},IF(AND($B$2="ratio",$B$4<>""),ROUND(B{r}*$B$4,2),B{r}))',
                        _f(forecast[m]), Style.MONEY)
            row.formula(8, f"IF(D{r},COUNTIF($D${first}:D{r},TRUE()),0)", count if is_closed else 0, Style.HELPER)
            row.formula(9, f"AND(D{r},H{r}>MAX($H${first}:$H${end})-$B$3)", m in recent, Style.HELPER)
            s.write(row)
        row = s.row(total_row)
        row.text(1, "Total (re-forecast: the horizon's landing)", Style.TOTAL_LABEL)
        row.formula(2, f"SUM(B{first}:B{end})", _f(p.total), Style.TOTAL)
        row.formula(3, f"SUM(C{first}:C{end})", _f(exact_sum(a or ZERO for a in variance.actual)), Style.TOTAL)
        row.formula(7, f"SUM(G{first}:G{end})", _f(exact_sum(forecast)), Style.TOTAL)
        s.write(row)
        summary_rows = {by: {label: r0 + 1 + g for g, (label, _v) in enumerate(groups)}
                        for by, r0, groups in comp.sections}
        for by, r0, groups, rows in sections:
            row = s.row(r0)
            for j, h in enumerate((f"By {by}", "Month", "Plan", "Actual", "Variance", "Variance %"), 1):
                row.text(j, h, Style.HEADER)
            s.write(row)
            key_col = actual_key_col(by)
            for k, (key, m) in enumerate(rows):
                r = r0 + 1 + k
                cell = groups[key][m]
                row = s.row(r)
                row.text(1, key, Style.TEXT)
                row.day(2, p.months[m], Style.MONTH)
                srow = summary_rows[by].get(key)
                if srow is not None:
                    row.formula(3, f"{L.SUMMARY}!{col_letter(SUMMARY_FIRST + m)}{srow}", _f(cell.plan), Style.MONEY)
                else:
                    row.number(3, 0, Style.MONEY)
                row.formula(4, f"SUMIFS({act},{L.ACTUALS}!${key_col}:${key_col},A{r},{act_month},B{r})",
                            _f(cell.actual), Style.MONEY)
                row.formula(5, f"D{r}-C{r}", _f(cell.variance), Style.MONEY)
                pct = cell.variance_pct
                row.formula(6, f'IF(C{r}<>0,E{r}/C{r},"")', _f(pct) if pct is not None else "", Style.PERCENT)
                s.write(row)


def write_budgets(comp: Computed, lay: InputLayout) -> None:
    p, plan, months = comp.p, comp.plan, comp.months
    columns = list(L.BUDGET_COLUMNS)
    n = len(plan.budgets)
    last = max(n + 1, 2)
    spend0 = len(columns) + 3          # first month of the plan's spend under the line
    run0 = spend0 + months             # first month of the running spend in its period
    width = run0 + months - 1
    spend_cols = [col_letter(spend0 + m) for m in range(months)]
    run_cols = [col_letter(run0 + m) for m in range(months)]
    spec = SheetSpec(L.BUDGETS, dimension=f"A1:{col_letter(width)}{last}", frozen_rows=1, frozen_cols=1,
                     widths=[c.width for c in columns] + [13, 14] + [13] * (2 * months), tab_color="FFED7D31",
                     tables=[table_xml("tblBudgets", f"A1:{col_letter(len(columns))}{last}",
                                       [c.header for c in columns])],
                     validations=[Validation(f"B2:B{n + 200}", '"plan,tenant,feature,environment,model"'),
                                  Validation(f"D2:D{n + 200}", '"month,fiscal_year"')])
    statuses = check_budgets(p)
    fs = L.assumption_cell("fiscal_year_start")
    currency = L.assumption_cell("currency")
    lines_end = max(comp.n_rows + len(comp.capacities) + 2, 3)

    def rng(col: str) -> str:
        return f"{L.PROJECTION}!${col}$3:${col}${lines_end}"

    with comp.pkg.sheet(spec) as s:
        row = s.row(1)
        for i, c in enumerate(columns, 1):
            row.text(i, c.header, Style.HEADER)
        row.text(len(columns) + 1, "First exceeded", Style.HEADER)
        row.text(len(columns) + 2, "Over by", Style.HEADER)
        for m in range(months):
            row.formula(spend0 + m, f"{L.PROJECTION}!{_proj_col(m)}$1", p.months[m], Style.MONTH)
            row.formula(run0 + m, f"{L.PROJECTION}!{_proj_col(m)}$1", p.months[m], Style.MONTH)
        s.write(row)
        for r, (line, status) in enumerate(zip(plan.budgets, statuses), start=2):
            row = s.row(r)
            for i, col in enumerate(columns, start=1):
                _put(row, i, col, getattr(line, col.field), L.BUDGETS, lay.exact)
            series = planned_series(p, line) or [ZERO] * months
            value = f"LOWER(TRIM($C{r}))"
            running, acc = [], ZERO
            for m in range(months):
                if m and (line.period == "month" or p.months[m].month == plan.assumptions.fiscal_year_start):
                    acc = ZERO
                acc = exact_sum([acc, series[m]])
                running.append(acc)
            period = status.first_exceeded
            crossed = p.months[period.crossed] if period is not None else ""
            over = _f(period.over) if period is not None else ""
            if status.findings and status.findings[0].severity == "error":
                crossed, over = "", ""
            run_range = f"${run_cols[0]}{r}:${run_cols[-1]}{r}" if months else "A1"
            head_range = f"${run_cols[0]}$1:${run_cols[-1]}$1" if months else "A1"
            spend_range = f"${spend_cols[0]}{r}:${spend_cols[-1]}{r}" if months else "A1"
            spend_head = f"${spend_cols[0]}$1:${spend_cols[-1]}$1" if months else "A1"
            first_exceeded = (f'IF(UPPER(TRIM($F{r}))<>UPPER(TRIM({currency})),"",IFERROR(INDEX({head_range},'
                              f'MATCH(1,INDEX(({run_range}>$E{r})*1,0),0)),""))')
            fy = f"(YEAR({spend_head})-(MONTH({spend_head})<{fs}))"
            over_by = (f'IF(G{r}="","",IF($D{r}="month",INDEX({spend_range},MATCH(G{r},{head_range},0))-$E{r},'
                       f'SUMPRODUCT(({fy}=(YEAR(G{r})-(MONTH(G{r})<{fs})))*{spend_range})-$E{r}))')
            row.formula(len(columns) + 1, first_exceeded, crossed, Style.MONTH)
            row.formula(len(columns) + 2, over_by, over, Style.MONEY)
            for m in range(months):
                pc = _proj_col(m)
                match = (f'(($B{r}="tenant")*(LOWER(TRIM({rng("B")}))={value})'
                         f'+($B{r}="feature")*(LOWER(TRIM({rng("C")}))={value})'
                         f'+($B{r}="environment")*(LOWER(TRIM({rng("D")}))={value})'
                         f'+($B{r}="model")*((LOWER(TRIM({rng("E")}))={value})'
                         f'+(RIGHT(LOWER(TRIM({rng("E")})),LEN({value})+1)="/"&{value})>0))')
                spend = (f'IF($B{r}="plan",{L.PROJECTION}!{pc}${comp.total_row},'
                         f'SUMPRODUCT({match}*{rng(pc)}))')
                row.formula(spend0 + m, spend, _f(series[m]), Style.MONEY)
                keep = "" if m == 0 else (f'+IF(AND($D{r}="fiscal_year",MONTH({run_cols[m]}$1)<>{fs}),'
                                          f'{run_cols[m - 1]}{r},0)')
                row.formula(run0 + m, f"{spend_cols[m]}{r}{keep}", _f(running[m]), Style.MONEY)
            s.write(row)
