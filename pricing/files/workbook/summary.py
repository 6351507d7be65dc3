"""The Summary sheet: monthly cost by tenant, feature, environment, model and mode, with charts,
and after the months each fiscal year's total (a SUM of its month columns, as the app's Summary tab).

Each Projection line (workloads and idle-capacity lines) carries, per breakdown, the number of
the Summary group its key belongs to, found with EXACT (case-sensitive, no wildcards, so a tenant
called ``a*`` or ``>5`` is matched as itself, as the engine does).  A section is then one array
formula, ``MMULT(group indicator matrix, monthly costs)``: one pass in native code where a SUMIF
per cell rescans every line (LibreOffice spent ~20 s on the SUMIFs of a 10,000-workload plan).
"""

from __future__ import annotations

from pricing.plan.money import exact_sum, excel_money_format
from pricing.files.workbook import layout as L
from pricing.files.workbook.cells import col_letter, serial
from pricing.files.workbook.charts import drawing, stacked_chart
from pricing.files.workbook.package import SheetSpec
from pricing.files.workbook.sheets import Computed
from pricing.files.workbook.styles import Style

CHARTS = (("model", "Monthly cost by model"), ("tenant", "Monthly cost by tenant"))
FIRST = 3  # column C holds the first month


def write_summary(comp: Computed) -> None:
    p, months = comp.p, comp.months
    mcols = [col_letter(FIRST + m) for m in range(months)]
    last_col = mcols[-1] if months else "C"
    years = p.fiscal_years()
    fy_cols = [col_letter(FIRST + months + k) for k in range(len(years))]
    end_col = fy_cols[-1] if fy_cols else last_col

    def fiscal_cells(row, r: int, values, style) -> None:
        for k, year in enumerate(years):
            span = f"{mcols[year.first]}{r}:{mcols[year.first + year.count - 1]}{r}"
            row.formula(FIRST + months + k, f"SUM({span})", exact_sum(values[year.first:year.first + year.count]), style)

    def fiscal_headers(row) -> None:
        for k, year in enumerate(years):
            row.text(FIRST + months + k, year.label, Style.HEADER)
    last_proj = max(comp.total_row - 1, 3)
    # Row plan: title, blank, header (3), all workloads (4), then the sections (Computed.sections).
    layout = comp.sections
    r = comp.summary_end
    chart_row = r + 1
    categories = [float(serial(m)) for m in p.months]  # float ok: Excel stores doubles
    charts = []
    for by, title in CHARTS:
        for name, r0, groups in layout:
            if name == by:
                series = [(f"{L.SUMMARY}!$A${r0 + 1 + g}", label, f"{L.SUMMARY}!$C${r0 + 1 + g}:${last_col}${r0 + 1 + g}",
                           [float(v) for v in values]) for g, (label, values) in enumerate(groups)]  # float ok: Excel stores doubles
                a = comp.plan.assumptions
                charts.append(stacked_chart(title, f"{L.SUMMARY}!$C$3:${last_col}$3", categories, series,
                                            excel_money_format(a.currency, a.locale, 0)))
    anchors = [(0, chart_row + 22 * i, 14, chart_row + 22 * i + 20) for i in range(len(charts))]
    spec = SheetSpec(L.SUMMARY, dimension=f"A1:{end_col}{r}", frozen_rows=3, frozen_cols=2,
                     widths=[34, 16] + [13] * months + [15] * len(years), drawing=drawing(anchors), charts=charts,
                     tab_color="FF4472C4",
                     print_one_page=True, print_extra_rows=(anchors[-1][3] + 1 - r) if anchors else 0)
    with comp.pkg.sheet(spec) as s:
        row = s.row(1)
        row.text(1, f"{comp.plan.name}: monthly cost ({comp.plan.assumptions.currency})", Style.TITLE)
        s.write(row)
        row = s.row(3)
        row.text(1, "Group", Style.HEADER)
        row.text(2, "Total", Style.HEADER)
        for m in range(months):
            row.formula(FIRST + m, f"{L.PROJECTION}!G$1" if m == 0 else "", p.months[m], Style.MONTH,
                        (0, f"C3:{last_col}3" if m == 0 else None))
        fiscal_headers(row)
        s.write(row)
        row = s.row(4)
        row.text(1, "All workloads", Style.TOTAL_LABEL)
        row.formula(2, f"SUM(C4:{last_col}4)", p.total, Style.TOTAL)
        for m in range(months):
            row.formula(FIRST + m, f"{L.PROJECTION}!G{comp.total_row}" if m == 0 else "", p.month_totals[m],
                        Style.TOTAL, (1, f"C4:{last_col}4" if m == 0 else None))
        fiscal_cells(row, 4, p.month_totals, Style.TOTAL)
        s.write(row)
        si = 2
        for by, r0, groups in layout:
            row = s.row(r0)
            row.text(1, f"By {by}", Style.HEADER)
            row.text(2, "Total", Style.HEADER)
            for m in range(months):
                row.formula(FIRST + m, "C$3" if m == 0 else "", p.months[m], Style.MONTH,
                            (si, f"C{r0}:{last_col}{r0}" if m == 0 else None))
            fiscal_headers(row)
            s.write(row)
            g_col = col_letter(comp.group_cols[by])
            first, last = r0 + 1, r0 + len(groups)
            # One array formula per section: indicator matrix (group = line's group number) x monthly costs.
            master = (f"MMULT(--(ROW($A${first}:$A${last})-{r0}=TRANSPOSE({L.PROJECTION}!${g_col}$3:${g_col}${last_proj})),"
                      f"{L.PROJECTION}!$G$3:${comp.month_cols[-1] if months else 'G'}${last_proj})")
            for g, (label, values) in enumerate(groups):
                rr = first + g
                row = s.row(rr)
                row.text(1, label, Style.TEXT)
                row.formula(2, f"SUM(C{first}:{last_col}{first})" if g == 0 else "", exact_sum(values), Style.TOTAL,
                            (si + 1, f"B{first}:B{last}" if g == 0 else None))
                for m in range(months):
                    if g == 0 and m == 0:
                        row.array_formula(FIRST, master, f"C{first}:{last_col}{last}", values[0], Style.MONEY)
                    else:
                        row.number(FIRST + m, values[m], Style.MONEY)
                fiscal_cells(row, rr, values, Style.MONEY)
                s.write(row)
            si += 3
