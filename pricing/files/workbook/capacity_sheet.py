"""The Capacity sheet: tokens each dedicated endpoint and GPU cluster serves a month, and its spend."""

from __future__ import annotations

from pricing.costing import capacity as cap
from pricing.files.workbook import layout as L
from pricing.files.workbook.billing import reserved_spend
from pricing.files.workbook.formulas import MONTH0_COL
from pricing.files.workbook.month_rows import month_cells, month_index_row
from pricing.files.workbook.package import SheetSpec
from pricing.files.workbook.sheets import Computed
from pricing.files.workbook.styles import Style
from pricing.plan.money import exact_sum


def write_capacity(comp: Computed) -> None:
    """The Capacity sheet: each endpoint's and cluster's tokens served and spend a month."""
    p, months, mc = comp.p, comp.months, comp.month_cols
    caps = comp.capacities
    n = len(caps)
    spec = SheetSpec(L.CAPACITY, dimension=f"A1:{mc[-1] if months else 'G'}{2 * n + 2}", frozen_rows=2,
                     frozen_cols=1, widths=[18, 12, 14, 6, 4, 4] + [15] * months, tab_color="FF70AD47")
    served = []
    spend = []
    for item in caps:
        members = [i for i, r in enumerate(p.rows) if r.capacity_id == item.id]
        hours = comp.plan.hours_per_month(item)
        line = [exact_sum(p.tokens(i, m) for i in members) for m in range(months)]
        served.append(line)
        spend.append([cap.monthly_spend(p.terms.capacity_in(item, p.months[m]), hours, t) for m, t in enumerate(line)])
    with comp.pkg.sheet(spec) as s:
        row = s.row(1)
        for j, h in enumerate(("Capacity", "Kind", "Line", "#"), 1):
            row.text(j, h, Style.HEADER)
        month_cells(row, MONTH0_COL, p.months[:months], f"{L.PROJECTION}!G$1", f"G1:{mc[-1]}1" if months else None)
        s.write(row)
        month_index_row(s, MONTH0_COL, months)
        for c, item in enumerate(caps):
            r = 3 + c
            row = s.row(r)
            row.text(1, item.id, Style.TEXT)
            row.text(2, "Dedicated" if c < len(comp.plan.endpoints) else "GPU cluster", Style.TEXT)
            row.text(3, "Tokens served", Style.TEXT)
            row.number(4, c + 1, Style.HELPER)
            for m in range(months):
                master = c == 0 and m == 0
                row.formula(MONTH0_COL + m, comp.f.served_tokens(3) if master else "", served[c][m], Style.COUNT,
                            (1, f"G3:{mc[-1]}{2 + n}" if master else None))
            s.write(row)
        for c, item in enumerate(caps):
            r = 3 + n + c
            row = s.row(r)
            row.text(1, item.id, Style.TEXT)
            is_endpoint = c < len(comp.plan.endpoints)
            row.text(2, "Dedicated" if is_endpoint else "GPU cluster", Style.TEXT)
            row.text(3, "Spend", Style.TEXT)
            input_row = (c if is_endpoint else c - len(comp.plan.endpoints)) + 2
            formula = (comp.f.endpoint_spend(input_row, f"G{3 + c}") if is_endpoint
                       else comp.f.cluster_spend(input_row))
            # The month's FX factor; in a reservation's term its GPU-hours at the committed rate.
            formula = reserved_spend(item.id, is_endpoint, input_row, f"G{3 + c}", formula, comp.lay)
            for m in range(months):
                row.formula(MONTH0_COL + m, formula if m == 0 else "", spend[c][m], Style.MONEY,
                            (2 + c, f"G{r}:{mc[-1]}{r}" if m == 0 else None))
            s.write(row)
