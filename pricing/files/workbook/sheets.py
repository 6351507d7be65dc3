"""Writing the computed sheets: Costs, Projection, Capacity, Summary and Modes.

Every figure is a live formula (see ``formulas.py``) whose cached value is the pricing core's
own figure, so viewers that never recalculate show the same numbers as the app.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext
from operator import attrgetter

from pricing.costing.engine import RequestCost, blend, line_rates, price_sets
from pricing.costing.held import breakdowns, combo_sums, provider_sums, row_keys
from pricing.plan.models import DeploymentMode, Plan
from pricing.plan.money import SUM_CONTEXT, ZERO, exact_sum
from pricing.costing.projection import BREAKDOWNS, IDLE_KEY, Projection
from pricing.files.workbook import layout as L
from pricing.files.workbook.cells import col_letter, serial
from pricing.files.workbook.row_compiler import EscapedTexts, SharedRow
from pricing.files.workbook.formulas import COSTS_FIXED, MONTH0_COL, SLOT_FIELDS, Formulas
from pricing.files.workbook.inputs import InputLayout
from pricing.files.workbook.month_rows import month_cells, month_index_row
from pricing.files.workbook.package import Package, SheetSpec
from pricing.files.workbook.styles import Style
from pricing.yielding import mapped

Tick = Callable[[float], None]


def _f(value) -> float:
    return float(value)  # float ok: Excel stores doubles


#: The Costs sheet's columns of a price-version slot the workload's model does not have.
_EMPTY_SLOT = (1e300, 0, 0, 0, 0, 0, 0, 0, 0, "", "")
_NO_TEMPLATE = object()


#: Whether rows of one shape (``shape_of``) share the values that do not depend on their name, requests
#: or costs; off, every row is worked out on its own (the reference the tests compare against).
SHARE_SHAPES = True


#: The workload's fields a row's shape is made of (with its rate, start and whether it can be priced).
_SHAPE_FIELDS = attrgetter("model", "mode", "capacity", "input_tokens", "output_tokens", "cached_share",
                           "cache_write_share", "cache_write_1h_share", "reasoning_tokens", "off_peak_share")


def _row_total(row) -> Decimal:
    """A row's costs over the horizon, summed in the caller's (exact) context."""
    return sum(row.costs, ZERO)


def shape_of(row) -> tuple:
    """A key of what the Costs and Modes sheets show of a row besides its name, requests and costs.

    Those are functions of the row's rate, start (its first month and the rate version then),
    whether it can be priced, and the workload's model, mode, capacity and token figures: a
    request's cost is the pricer's function of the rate, version, mode and token figures (the
    very key of its own cache, ``RowPricer.price``).  Growth, requests and discount are not in it.
    A user of a key keeps the row's rate with it and checks that it is the row's very rate."""
    return (id(row.rate), row.start, row.priceable, _SHAPE_FIELDS(row.workload))


class Computed:
    """Writes the computed sheets of one plan and its projection."""

    def __init__(self, pkg: Package, plan: Plan, projection: Projection, lay: InputLayout, tick: Tick,
                 extra_groups: dict[str, set[str]] | None = None):
        self.pkg = pkg
        self.plan = plan
        self.p = projection
        self.lay = lay
        self.tick = tick
        self.months = projection.horizon
        self.slots = max((len(r.versions) for r in plan.rates), default=1) or 1
        self.f = Formulas(lay, self.months)
        self.costs_headers = self.f.costs_columns(self.slots)
        self.month_cols = [col_letter(MONTH0_COL + m) for m in range(self.months)]
        self.total_col = col_letter(MONTH0_COL + self.months)
        self.capacities = [*plan.endpoints, *plan.clusters]
        first_rows, row = {}, 1
        for rate in plan.rates:
            first_rows[rate.id] = row
            row += len(rate.versions)
        self.first_rows = first_rows
        self.listed = {rate.id: rate for rate in plan.rates}
        self.capacity_index = {}
        for i, e in enumerate(plan.endpoints, 1):
            self.capacity_index[(DeploymentMode.DEDICATED, e.id)] = i
        for i, c in enumerate(plan.clusters, len(plan.endpoints) + 1):
            self.capacity_index[(DeploymentMode.GPU_CLUSTER, c.id)] = i
        self.n_rows = len(plan.workloads)
        self._slot_cache: dict[tuple, list] = {}
        self._costs_shapes: dict[int, tuple] = {}
        #: The escaped texts of formula cells, shared by the sheets (a workload's name is escaped once).
        self.escaped = EscapedTexts()
        self._shape_keys: list[int] | None = None
        self.total_row = self.n_rows + len(self.capacities) + 3
        # Summary sections: (breakdown, header row, [(label, monthly values)]); groups numbered from 1.
        self.sections = []
        r = 6
        # Every Projection.breakdown and the usage per provider, from one pass over the rows (pricing.costing.held).
        # These passes over every row give way a slice at a time (``mapped``), as the sheets' rows do:
        # a window saving on a worker paints meanwhile.
        #: Each row's keys in the breakdowns (``row_keys``), for the sums and the Projection sheet.
        self.row_keys = mapped(row_keys, projection.rows)
        combos = combo_sums(projection, self.row_keys)
        self.breakdowns = breakdowns(projection, combos)
        self.provider_sums = provider_sums(combos)
        #: Each row's total over the horizon (exact), for the Costs and Projection sheets.
        with localcontext(SUM_CONTEXT):  # exact_sum of each row, in one context
            self.row_totals = mapped(_row_total, projection.rows)
        self._totals: dict[int, tuple[RequestCost, Decimal]] = {}
        for by in BREAKDOWNS:
            found = dict(self.breakdowns[by])
            for label in sorted((extra_groups or {}).get(by, set()) - set(found)):  # a scenario's model or mode
                found[label] = [ZERO] * self.months
            groups = sorted(found.items(), key=lambda kv: (-exact_sum(kv[1]), kv[0]))
            self.sections.append((by, r, groups))
            r += len(groups) + 2
        self.summary_end = r
        self.group_no = {by: {label: g for g, (label, _v) in enumerate(groups, 1)} for by, _r, groups in self.sections}
        self.group_cols = {by: MONTH0_COL + self.months + 1 + k for k, by in enumerate(BREAKDOWNS)}

    # ------------------------------------------------------------------ Costs
    def shape_key(self, i: int) -> int:
        """The number of row ``i``'s shape (``shape_of``; rows of one shape, one number), worked out
        once for the Costs and Modes sheets: looking a shape up compares its Decimals, a number not."""
        if self._shape_keys is None:
            numbers: dict[tuple, int] = {}
            self._shape_keys = [numbers.setdefault(key, len(numbers)) for key in mapped(shape_of, self.p.rows)]
        return self._shape_keys[i]

    def total(self, cost: RequestCost) -> Decimal:
        """``cost.total``, added up once per request cost (rows of one shape share theirs)."""
        found = self._totals.get(id(cost))
        if found is None or found[0] is not cost:
            found = self._totals[id(cost)] = (cost, cost.total)
        return found[1]

    def _slot_rates(self, w, version) -> list:
        """A version's columns of the Costs sheet that depend on the prompt size and off-peak share only:
        its date, the prompt tier and the effective rates (list prices; the terms are the Billing sheet's)."""
        key = (id(version), w.input_tokens, w.off_peak_share if version.windows else None)
        found = self._slot_cache.get(key)
        if found is not None:
            return found
        tier = version.tier_for(w.input_tokens)
        source = tier or version
        tier_no = version.tiers.index(tier) + 1 if tier else 0
        cached = source.cached_input_mtok if source.cached_input_mtok is not None else source.input_mtok
        write = source.cache_write_mtok if source.cache_write_mtok is not None else source.input_mtok
        write_1h = source.cache_write_1h_mtok if source.cache_write_1h_mtok is not None else write
        reasoning = source.reasoning_mtok if source.reasoning_mtok is not None else source.output_mtok
        inp, out = source.input_mtok, source.output_mtok
        fee = (version.request_fee_kcount or ZERO) / 1000
        if version.windows:  # its standard price, the off-peak share at the off-peak one (engine)
            standard, cheap = price_sets(version)
            blended = line_rates(standard, tier if standard is version else None)
            if cheap is not None:
                blended = blend(blended, line_rates(cheap, tier if cheap is version else None), w.off_peak_share)
            inp, out = blended["input"], blended["output"]
            cached, write, write_1h = blended["cached"], blended["write"], blended["write_1h"]
            reasoning, fee = blended["reasoning"], blended["fee"]
        eff = version.effective_from
        found = self._slot_cache[key] = [serial(eff) if eff else 0, tier_no, inp, cached, out, write, write_1h,
                                         reasoning, fee]
        return found

    def _costs_xml(self, fast: SharedRow, i: int, r: int) -> str:
        """Row ``i`` of the Costs sheet as sheet row ``r``: the app's own figures (Decimals, digit for digit).

        Rows of one shape (``shape_of``) differ only in their name and their costs: the rest of
        their values and its text are worked out for the first of them (``_costs_row``) and shared."""
        row = self.p.rows[i]
        key = self.shape_key(i) if SHARE_SHAPES else None
        found = self._costs_shapes.get(key) if key is not None else None
        if found is None or found[0] is not row.rate:
            values = self._costs_row(i)
            if key is not None:  # its text is made for the shape's next row: most shapes have one row
                self._costs_shapes[key] = (row.rate, values[1:-2], {})
            return fast.xml(r, values)
        own = [row.workload.name, row.costs[0] if self.months else 0, self.row_totals[i]]
        kinds = (own[0].__class__, own[1].__class__, own[2].__class__)
        template = found[2].get(kinds, _NO_TEMPLATE)
        if template is _NO_TEMPLATE:
            values = [own[0], *found[1], own[1], own[2]]
            template = found[2][kinds] = fast.template(values, (0, len(values) - 2, len(values) - 1))
        if template is None:
            return fast.xml(r, [own[0], *found[1], own[1], own[2]])
        return fast.filled(r, template, own)

    def _costs_row(self, i: int) -> list:
        """Row ``i`` of the Costs sheet, worked out on its own."""
        p, plan = self.p, self.plan
        row = p.rows[i]
        w = row.workload
        # The slots hold the list prices of the Rates sheet; the terms are the Billing sheet's factors.
        rate = self.listed.get(row.rate.id) if row.rate is not None else None
        known_costs = row.request_costs if rate is row.rate else {}
        per_token = row.priceable and rate is not None and w.mode.per_token
        cap_no = 0 if w.mode.per_token else self.capacity_index.get((w.mode, w.capacity or ""), 0)
        discount = plan.batch_discount_for(rate) if rate and w.mode is DeploymentMode.BATCH else ZERO
        keep = (1 - discount) if (rate is None or rate.batch_discounts_cached_input) else Decimal(1)
        values = [w.name, rate.id if rate else w.model, w.mode.label, self.first_rows[rate.id] if rate else 0,
                  len(rate.versions) if rate else 0, row.start, cap_no, row.priceable, discount, keep]
        for v in range(self.slots):
            if rate is None or v >= len(rate.versions):
                values += _EMPTY_SLOT
                continue
            version = rate.versions[v]
            values += self._slot_rates(w, version)
            if per_token:
                known = known_costs.get(version.effective_from) or p.price(w, rate, version)
                values += (self.total(known), known.output + known.reasoning)
            else:
                values += ("", "")
        shown = p.request_cost(i, p.first_month(i)) if per_token else None
        values += [self.total(shown) if shown else "", row.costs[0] if self.months else 0, self.row_totals[i]]
        return values

    def write_costs(self) -> None:
        headers = self.costs_headers
        n = self.n_rows
        last = max(n + 1, 2)
        styles = [Style.TEXT, Style.TEXT, Style.TEXT, Style.HELPER, Style.HELPER, Style.HELPER, Style.HELPER,
                  Style.BOOL, Style.PERCENT, Style.HELPER]
        styles += [Style.HELPER, Style.HELPER, Style.RATE, Style.RATE, Style.RATE, Style.RATE, Style.RATE, Style.RATE,
                   Style.UNIT_COST, Style.UNIT_COST, Style.UNIT_COST] * self.slots
        styles += [Style.UNIT_COST, Style.MONEY, Style.MONEY]
        widths = [30, 36, 11] + [8] * (len(COSTS_FIXED) - 3) + [10] * len(SLOT_FIELDS) * self.slots + [14, 14, 16]
        spec = SheetSpec(L.COSTS, dimension=f"A1:{col_letter(len(headers))}{last}", frozen_rows=1, frozen_cols=1,
                         widths=widths, tab_color="FF70AD47")
        masters = self.f.costs_row(2)
        masters += [f"{L.PROJECTION}!G3", f"{L.PROJECTION}!{self.total_col}3"] if self.months else ["0", "0"]
        letters = [col_letter(j) for j in range(1, len(headers) + 1)]
        with self.pkg.sheet(spec) as s:
            row = s.row(1)
            for j, h in enumerate(headers, 1):
                row.text(j, h, Style.HEADER)
            s.write(row)
            fast = SharedRow([(j, style, j - 1) for j, style in enumerate(styles, 1)], escaped=self.escaped)
            for i in range(n):
                r = i + 2
                if i % 2000 == 0:
                    self.tick(0.2 * i / max(n, 1))
                if r > 2:
                    s.write(self._costs_xml(fast, i, r))
                    continue
                values = self._costs_row(i)
                row = s.row(r)
                for j, (value, style) in enumerate(zip(values, styles), 1):
                    row.formula(j, masters[j - 1], value, style, (j - 1, f"{letters[j - 1]}2:{letters[j - 1]}{n + 1}"))
                s.write(row)

    # ------------------------------------------------------------------ Projection
    def _group_formula(self, by: str) -> str:
        """Projection row 3: the number of the Summary group its key belongs to (EXACT: case and all, no wildcards)."""
        for name, r0, groups in self.sections:
            if name == by and groups:
                labels = f"{L.SUMMARY}!$A${r0 + 1}:$A${r0 + len(groups)}"
                key = "BCDEF"[BREAKDOWNS.index(by)]
                return f"SUMPRODUCT(EXACT({labels},${key}3)*(ROW({labels})-{r0}))"
        return "0"

    def write_projection(self) -> None:
        p, n, months = self.p, self.n_rows, self.months
        mc, tc = self.month_cols, self.total_col
        end = self.total_row
        group_cols = [self.group_cols[by] for by in BREAKDOWNS]
        spec = SheetSpec(L.PROJECTION, dimension=f"A1:{col_letter(group_cols[-1])}{end}", frozen_rows=2,
                         frozen_cols=1, widths=[30, 18, 18, 12, 30, 11] + [13] * months + [16] + [9] * 5,
                         tab_color="FF70AD47")
        cap_rows = len(self.capacities)
        last_line = n + 2 + cap_rows
        group_masters = [self._group_formula(by) for by in BREAKDOWNS]

        def group_cells(row, values: list[int], master: bool) -> None:
            for k, (col, value) in enumerate(zip(group_cols, values)):
                ref = f"{col_letter(col)}3:{col_letter(col)}{last_line}" if master else None
                row.formula(col, group_masters[k] if master else "", value, Style.HELPER, (11 + k, ref))

        group_no = [self.group_no[by] for by in BREAKDOWNS]
        groups_of: dict[tuple, list[int]] = {}
        with self.pkg.sheet(spec) as s:
            row = s.row(1)
            for j, h in enumerate(("Workload", "Tenant", "Feature", "Environment", "Model", "Mode"), 1):
                row.text(j, h, Style.HEADER)
            month_cells(row, MONTH0_COL, p.months[:months], self.f.month_day("G$2"), f"G1:{mc[-1]}1" if months else None)
            row.text(MONTH0_COL + months, "Total", Style.HEADER)
            for by, col in zip(BREAKDOWNS, group_cols):
                row.text(col, f"{by.capitalize()} #", Style.HEADER)
            s.write(row)
            month_index_row(s, MONTH0_COL, months)
            w = lambda field: f"{L.WORKLOADS}!${col_letter(L.position(L.WORKLOAD_COLUMNS, field))}2"  # noqa: E731
            keys = [f'""&{w("name")}'] + [f'IF({w(k)}="","(none)",""&{w(k)})' for k in ("tenant", "feature", "environment")]
            keys += [f'""&{L.COSTS}!$B2', f'""&{L.COSTS}!$C2']
            cell_master = self.f.projection_cell(3)
            block = f"G3:{mc[-1]}{n + 2}" if months else None
            fast = SharedRow([(j, Style.TEXT, j) for j in range(1, 7)]
                             + [(MONTH0_COL + m, Style.MONEY, 7) for m in range(months)]
                             + [(MONTH0_COL + months, Style.TOTAL, 8)]
                             + [(col, Style.HELPER, 11 + k) for k, col in enumerate(group_cols)], escaped=self.escaped)
            for i in range(n):
                r = i + 3
                rowdata = p.rows[i]
                keys_of_row = self.row_keys[i]
                labels = [rowdata.workload.name, *keys_of_row]
                figures = [*rowdata.costs, self.row_totals[i]]  # the app's Decimals, digit for digit
                groups = groups_of.get(keys_of_row)
                if groups is None:  # the Summary group numbers of a combination of keys, once
                    groups = [numbers.get(label, 0) for numbers, label in zip(group_no, keys_of_row)]
                    groups_of[keys_of_row] = groups
                if i:
                    s.write(fast.xml(r, labels + figures + groups))
                else:
                    row = s.row(r)
                    for j, (label, key) in enumerate(zip(labels, keys), 1):
                        row.formula(j, key, label, Style.TEXT, (j, f"{col_letter(j)}3:{col_letter(j)}{n + 2}"))
                    for m in range(months):
                        row.formula(MONTH0_COL + m, cell_master if m == 0 else "", figures[m], Style.MONEY,
                                    (7, block if m == 0 else None))
                    row.formula(MONTH0_COL + months, f"SUM(G3:{mc[-1]}3)", figures[-1], Style.TOTAL,
                                (8, f"{tc}3:{tc}{n + 2}"))
                    group_cells(row, groups, master=True)
                    s.write(row)
                if i % 2000 == 0:
                    self.tick(0.2 + 0.6 * i / max(n, 1))
            idle_first = n + 3
            for c, item in enumerate(self.capacities):
                r = idle_first + c
                row = s.row(r)
                mode = DeploymentMode.DEDICATED if c < len(self.plan.endpoints) else DeploymentMode.GPU_CLUSTER
                row.text(1, f"{item.id} (idle)", Style.TEXT)
                for j in range(2, 6):
                    row.text(j, IDLE_KEY, Style.TEXT)
                row.text(6, mode.label, Style.TEXT)
                line = p.idle.get(item.id, [ZERO] * months)
                for m in range(months):
                    formula = (f"ROUND(IF({L.CAPACITY}!G{3 + c}<=0,{L.CAPACITY}!G{3 + cap_rows + c},0),2)"
                               if (c == 0 and m == 0) else "")
                    ref = f"G{idle_first}:{mc[-1]}{idle_first + cap_rows - 1}" if (c == 0 and m == 0) else None
                    row.formula(MONTH0_COL + m, formula, line[m], Style.MONEY, (9, ref))
                row.formula(MONTH0_COL + months, f"SUM(G{r}:{mc[-1]}{r})", exact_sum(line), Style.TOTAL)
                keys = [IDLE_KEY] * 4 + [mode.label]
                group_cells(row, [numbers.get(k, 0) for numbers, k in zip(group_no, keys)], master=r == 3)
                s.write(row)
            row = s.row(end)
            row.text(1, "Total", Style.TOTAL_LABEL)
            for m in range(months):
                formula = f"SUM(G3:G{end - 1})" if m == 0 else ""
                row.formula(MONTH0_COL + m, formula, p.month_totals[m], Style.TOTAL,
                            (10, f"G{end}:{mc[-1]}{end}" if m == 0 else None))
            row.formula(MONTH0_COL + months, f"SUM(G{end}:{mc[-1]}{end})", p.total, Style.TOTAL)
            s.write(row)
