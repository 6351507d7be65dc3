"""The Modes sheet: each per-token workload's cost on Serverless and on Batch in its first month
with traffic, and the saving (live formulas; cached values are the app's own figures)."""

from __future__ import annotations

from pricing.capacity.mode_costs import ModeCosts
from pricing.files.workbook import layout as L
from pricing.files.workbook.cells import col_letter
from pricing.files.workbook.row_compiler import SharedRow
from pricing.files.workbook.package import SheetSpec
from pricing.files.workbook.sheets import Computed
from pricing.files.workbook.styles import Style
from pricing.plan.models import DeploymentMode
from pricing.plan.money import cents_of

HEADERS = ["Workload", "Model", "Mode", "Month #", "Month", "Requests that month", "Batch discount",
           "Serverless $/request", "Batch $/request", "Serverless cost that month", "Batch cost that month",
           "Batch saving"]
STYLES = [Style.TEXT, Style.TEXT, Style.TEXT, Style.HELPER, Style.MONTH, Style.COUNT, Style.PERCENT,
          Style.UNIT_COST, Style.UNIT_COST, Style.MONEY, Style.MONEY, Style.MONEY]

#: Whether rows of one shape (``sheets.shape_of``) share what does not depend on their requests;
#: off, every row is worked out on its own (the reference the tests compare against).
SHARE_SHAPES = True


class ModesValues:
    """The values of the Modes sheet's rows."""

    def __init__(self, comp: Computed):
        self.comp = comp
        self.p = comp.p
        self.mode_costs = ModeCosts(comp.p)  # Projection.price per mode, shared between rows of one rate and size
        #: Per shape: (its rate, the row's head after the name, the per-request figures or None).
        self._shapes: dict[int, tuple] = {}

    def _shared(self, i: int) -> tuple[list, list | None]:
        """What row ``i`` has in common with every row of its shape: model, mode, first month and its
        date; the Batch discount and the Serverless and Batch cost of one request (None when not priced
        per token)."""
        p, comp = self.p, self.comp
        row = p.rows[i]
        w, rate = row.workload, row.rate
        m0 = p.first_month(i)
        head = [rate.id if rate else w.model, w.mode.label, m0, p.months[m0] if comp.months else None]
        if not (row.priceable and rate is not None and w.mode.per_token):
            return head, None
        costs = self.mode_costs
        serverless = comp.total(costs.request_cost(i, m0, DeploymentMode.SERVERLESS))
        batch = comp.total(costs.request_cost(i, m0, DeploymentMode.BATCH))
        return head, [comp.plan.batch_discount_for(rate), serverless, batch]

    def values(self, i: int) -> list:
        """Row ``i`` of the Modes sheet."""
        p = self.p
        row = p.rows[i]
        key = self.comp.shape_key(i) if SHARE_SHAPES else None
        found = self._shapes.get(key) if key is not None else None
        if found is None or found[0] is not row.rate:
            head, per_request = self._shared(i)
            if key is not None:
                self._shapes[key] = (row.rate, head, per_request)
        else:
            _rc, head, per_request = found
        if per_request is None:
            return [row.workload.name, *head, "", "", "", "", "", "", ""]
        discount, serverless, batch = per_request
        requests = p.requests(i, head[2])
        s_month, b_month = cents_of(requests, (serverless, batch))  # round_cents of each product
        return [row.workload.name, *head, requests, discount, serverless, batch, s_month, b_month, s_month - b_month]


def write_modes(comp: Computed) -> None:
    n = comp.n_rows
    spec = SheetSpec(L.MODES, dimension=f"A1:L{max(n + 1, 2)}", frozen_rows=1, frozen_cols=1,
                     widths=[30, 36, 11, 8, 10, 14, 10, 14, 14, 16, 16, 14], tab_color="FF70AD47")
    masters = comp.f.modes_row(2)
    fast = SharedRow([(j, style, j - 1) for j, style in enumerate(STYLES, 1)], escaped=comp.escaped)
    values_of = ModesValues(comp).values
    with comp.pkg.sheet(spec) as s:
        row = s.row(1)
        for j, h in enumerate(HEADERS, 1):
            row.text(j, h, Style.HEADER)
        s.write(row)
        for i in range(n):
            r = i + 2
            values = values_of(i)
            if r > 2:
                s.write(fast.xml(r, values))
            else:
                row = s.row(r)
                for j, (value, style) in enumerate(zip(values, STYLES), 1):
                    row.formula(j, masters[j - 1], value, style, (j - 1, f"{col_letter(j)}2:{col_letter(j)}{n + 1}"))
                s.write(row)
            if i % 2000 == 0:
                comp.tick(0.85 + 0.1 * i / max(n, 1))
