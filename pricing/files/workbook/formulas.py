"""The live formulas of the computed sheets, as Excel 2010 text (INDEX/MATCH, SUMPRODUCT, IF).

They restate the engine's rules (pricing/costing/engine.py, pricing/costing/projection.py) cell by cell:

* a workload's rate is found by full id (``provider/model``) or by a bare model id that one
  provider alone lists; a model's versions are consecutive Rates rows in date order;
* a month is priced at the version in force on its first day: the number of versions whose
  start (blank = since always) is on or before that day picks the slot, at least the first;
* a prompt tier is a cliff: the highest tier whose threshold the prompt crosses (strictly,
  or inclusively when its "inclusive" cell is TRUE) supplies every rate of the request;
* cached input is billed at the cached rate, or the input rate when none is published;
* Batch takes the model's discount (else the plan's) off input and output, and off cached
  input unless the model keeps cache hits at full price;
* requests grow by (1 + growth) ^ (month - start), nothing before the start month;
* a Dedicated or GPU-cluster workload carries its capacity's monthly spend in proportion to
  its tokens; a month the capacity serves nothing is idle cost on its own line;
* under contract terms a request's output and reasoning tokens take the Billing sheet's output-side
  factor and the rest of it (input, cache hits and writes, the request fee) the input-side factor,
  of the version in force (``pricing.terms.pricer``); each version slot's output part has its column;
* every workload-month (and idle line) is ROUND(x, 2), as the app rounds it, and every
  total is the SUM of those cents, so LibreOffice's recalculation equals the app's figures.

Every formula is written once per column (or block) as an Excel shared formula whose master
sits in the first row; the other cells refer to it.  References are row-relative, so the
master of row 2 (Costs) or row 3 (Projection) stands for every row.
"""

from __future__ import annotations

from pricing.files.workbook import layout as L
from pricing.files.workbook.billing import factor_at, factor_ref
from pricing.files.workbook.cells import col_letter
from pricing.files.workbook.inputs import InputLayout

W = L.WORKLOADS
COSTS_FIXED = ("Workload", "Model", "Mode", "Rate row", "Versions", "Start month #", "Capacity #", "Priced",
               "Batch discount", "Cached rate kept")
SLOT_FIELDS = ("from", "tier", "input $/1M", "cached $/1M", "output $/1M", "write $/1M", "write 1 h $/1M",
               "reasoning $/1M", "fee / request", "cost per request", "output part")
MONTH0_COL = 7  # Projection, Capacity: months from column G; Summary: from column C


def wcol(field: str) -> str:
    return col_letter(L.position(L.WORKLOAD_COLUMNS, field))


class Formulas:
    def __init__(self, lay: InputLayout, months: int):
        self.lay = lay
        self.months = months
        self.slots = 1
        self.first = L.assumption_cell("first_month")
        self.n_cap = lay.n_endpoints + lay.n_clusters

    # ------------------------------------------------------------ Costs columns
    def costs_columns(self, slots: int) -> list[str]:
        self.slots = slots
        cols = list(COSTS_FIXED)
        for v in range(1, slots + 1):
            cols += [f"v{v} {name}" for name in SLOT_FIELDS]
        return cols + ["Cost per request", "First month cost", "Total"]

    def c(self, name: str) -> str:
        """Costs column letter of a fixed column."""
        return col_letter(COSTS_FIXED.index(name) + 1)

    def slot(self, v: int, name: str) -> str:
        return col_letter(len(COSTS_FIXED) + len(SLOT_FIELDS) * (v - 1) + SLOT_FIELDS.index(name) + 1)

    def w(self, field: str, r: int) -> str:
        return f"{self.lay.workload_sheet}!${wcol(field)}{r}"

    def rr(self, name: str, offset: int = 0, r: int = 2) -> str:
        """The Rates cell of column ``name`` in the workload's rate row (+ version offset)."""
        at = f"${self.c('Rate row')}{r}" + (f"+{offset}" if offset else "")
        return f"INDEX({self.lay.rate_range(name)},{at})"

    def costs_row(self, r: int = 2) -> list[str]:
        """Formulas of Costs row ``r`` (fixed columns, version slots, summary columns)."""
        lay = self.lay
        c = self.c
        w = lambda f: self.w(f, r)  # noqa: E731
        model = w("model")
        mode = f"${c('Mode')}{r}"
        rate_row = f"${c('Rate row')}{r}"
        out = [
            f'""&{w("name")}',
            f'IF({rate_row}>0,INDEX({lay.rate_range("key")},{rate_row}),""&{model})',
            f'""&{w("mode")}',
            f"IFERROR(MATCH({model},{lay.rate_range('key')},0),IF(SUMPRODUCT(({lay.rate_range('model_id')}={model})"
            f"*({lay.rate_range('version_no')}=1))=1,MATCH({model},{lay.rate_range('model_id')},0),0))",
            f"IF({rate_row}>0,INDEX({lay.rate_range('versions')},{rate_row}),0)",
            f"IF(ISNUMBER({w('start_month')}),(YEAR({w('start_month')})-YEAR({self.first}))*12+MONTH({w('start_month')})"
            f"-MONTH({self.first}),0)",
            self._capacity_row(r),
            f"AND({rate_row}>0,{w('input_tokens')}>=0,{w('output_tokens')}>=0,{w('requests_per_month')}>=0,"
            f"{w('cached_share')}>=0,{w('cached_share')}<=1,{w('monthly_growth')}>-1,"
            f"{w('cache_write_share')}>=0,{w('cached_share')}+{w('cache_write_share')}<=1,"
            f"{w('cache_write_1h_share')}>=0,{w('cache_write_1h_share')}<=1,{w('reasoning_tokens')}>=0,"
            f"{w('off_peak_share')}>=0,{w('off_peak_share')}<=1,"
            f'OR({mode}="Serverless",{mode}="Batch",${c("Capacity #")}{r}>0))',
            f'IF(AND({mode}="Batch",{rate_row}>0),IF(ISNUMBER({self.rr("batch_discount", r=r)}),'
            f'{self.rr("batch_discount", r=r)},{L.assumption_cell("batch_discount")}),0)',
            f"IF(IF({rate_row}>0,{self.rr('batch_discounts_cached_input', r=r)},TRUE),1-${c('Batch discount')}{r},1)",
        ]
        for v in range(1, self.slots + 1):
            out += self._slot(v, r)
        out.append(self._display_cost(r))
        return out

    def _capacity_row(self, r: int) -> str:
        lay = self.lay
        mode = f"${self.c('Mode')}{r}"
        cap = self.w("capacity", r)
        dedicated = (f"IFERROR(MATCH({cap},{L.ENDPOINTS}!$A$2:$A${lay.n_endpoints + 1},0),0)"
                     if lay.n_endpoints else "0")
        cluster = (f"IFERROR({lay.n_endpoints}+MATCH({cap},{L.CLUSTERS}!$A$2:$A${lay.n_clusters + 1},0),0)"
                   if lay.n_clusters else "0")
        return (f'IF({cap}="",0,IF({mode}="Dedicated",{dedicated},IF({mode}="GPU cluster",{cluster},0)))')

    def _slot(self, v: int, r: int) -> list[str]:
        c = self.c
        valid = f"AND(${c('Rate row')}{r}>0,${c('Versions')}{r}>={v})"
        off = v - 1
        rr = lambda name: self.rr(name, off, r)  # noqa: E731
        tokens_in = self.w("input_tokens", r)
        tier = "0"
        for t in range(1, self.lay.tiers + 1):
            thr = rr(f"tier{t}.above_input_tokens")
            crosses = f"IF(ISNUMBER({thr}),IF({rr(f'tier{t}.inclusive')},{tokens_in}>={thr},{tokens_in}>{thr}),FALSE)"
            tier = f"IF({crosses},{t},{tier})"
        tier_cell = f"${self.slot(v, 'tier')}{r}"

        def pick(base: str, tier_of) -> str:
            if not self.lay.tiers:
                return base
            options = [base] + [tier_of(t) for t in range(1, self.lay.tiers + 1)]
            return f"CHOOSE({tier_cell}+1,{','.join(options)})"

        def cached(prefix: str) -> str:
            ca, inp = rr(f"{prefix}cached_input_mtok"), rr(f"{prefix}input_mtok")
            return f"IF(ISNUMBER({ca}),{ca},{inp})"

        def fallback(prefix: str, field: str, other: str) -> str:
            own = rr(f"{prefix}{field}")
            return f"IF(ISNUMBER({own}),{own},{other})"

        s = lambda name: f"${self.slot(v, name)}{r}"  # noqa: E731
        d = f"${c('Batch discount')}{r}"
        fee = rr("request_fee_kcount")
        kept = f"${c('Cached rate kept')}{r}"
        share = self.w("off_peak_share", r)
        if self.lay.windows:
            # The version's own rates, each fallback spelt out (the slot cells below are blended).
            def inp(p: str) -> str:
                return rr(f"{p}input_mtok")

            def write(p: str) -> str:
                return fallback(p, "cache_write_mtok", inp(p))

            falls = {"write": write, "write_1h": lambda p: fallback(p, "cache_write_1h_mtok", write(p)),
                     "reasoning": lambda p: fallback(p, "reasoning_mtok", rr(f"{p}output_mtok"))}
        else:
            # A cache write falls back to the input rate, a 1-hour write to the 5-minute one, reasoning to output.
            falls = {"write": lambda p: fallback(p, "cache_write_mtok", s("input $/1M")),
                     "write_1h": lambda p: fallback(p, "cache_write_1h_mtok", s("write $/1M")),
                     "reasoning": lambda p: fallback(p, "reasoning_mtok", s("output $/1M"))}

        def windowed(key: str, own: str) -> str:
            """A version with time windows is billed at its standard price, its off-peak share at the
            off-peak price (the Rates sheet's price-set columns; a blank is the version's own rate ``own``)."""
            if not self.lay.windows:
                return own
            std, low, has = rr(f"standard.{key}"), rr(f"off_peak.{key}"), rr("off_peak.has")
            standard = f"IF(ISNUMBER({std}),{std},{own})"
            return (f"IF({has}=1,{standard}*(1-{share})+IF(ISNUMBER({low}),{low},{own})*{share},{standard})")

        def own(key: str) -> str:
            return pick(falls[key](""), lambda t: falls[key](f"tier{t}."))

        return [
            f"IF({valid},{rr('from')},1E+300)",
            f"IF({valid},{tier},0)",
            f"IF({valid},{windowed('input', pick(rr('input_mtok'), lambda t: rr(f'tier{t}.input_mtok')))},0)",
            f"IF({valid},{windowed('cached', pick(cached(''), lambda t: cached(f'tier{t}.')))},0)",
            f"IF({valid},{windowed('output', pick(rr('output_mtok'), lambda t: rr(f'tier{t}.output_mtok')))},0)",
            f"IF({valid},{windowed('write', own('write'))},0)",
            f"IF({valid},{windowed('write_1h', own('write_1h'))},0)",
            f"IF({valid},{windowed('reasoning', own('reasoning'))},0)",
            (f"IF({valid},{windowed('fee', f'IF(ISNUMBER({fee}),{fee}/1000,0)')},0)" if self.lay.windows
             else f"IF(AND({valid},ISNUMBER({fee})),{fee}/1000,0)"),
            f"IF(AND(${c('Priced')}{r},${c('Capacity #')}{r}=0,${c('Versions')}{r}>={v}),"
            f"{self.request_cost(r, d, kept, s)},\"\")",
            f"IF(AND(${c('Priced')}{r},${c('Capacity #')}{r}=0,${c('Versions')}{r}>={v}),"
            f"{self.output_cost(r, d, s)},\"\")",
        ]

    def request_cost(self, r: int, discount: str, cached_keep: str, s) -> str:
        """One request at a slot's rates (``s(name)`` is the slot cell), ``discount`` off all but cache hits
        (which keep ``cached_keep``) and the request fee: the engine's price_request, cell by cell."""
        tin, cs = self.w("input_tokens", r), self.w("cached_share", r)
        ws, w1 = self.w("cache_write_share", r), self.w("cache_write_1h_share", r)
        tout, rt = self.w("output_tokens", r), self.w("reasoning_tokens", r)
        keep = f"(1-{discount})"
        return (f"(({tin}-{tin}*{cs}-{tin}*{ws})*({s('input $/1M')}*{keep})+{tin}*{cs}*({s('cached $/1M')}*{cached_keep})"
                f"+({tin}*{ws}-{tin}*{ws}*{w1})*({s('write $/1M')}*{keep})+{tin}*{ws}*{w1}*({s('write 1 h $/1M')}*{keep})"
                f"+{tout}*({s('output $/1M')}*{keep})+{rt}*({s('reasoning $/1M')}*{keep}))/1000000+{s('fee / request')}")

    def output_cost(self, r: int, discount: str, s) -> str:
        """The output and reasoning tokens' part of ``request_cost`` (the output-side factor scales it)."""
        tout, rt = self.w("output_tokens", r), self.w("reasoning_tokens", r)
        keep = f"(1-{discount})"
        return f"({tout}*({s('output $/1M')}*{keep})+{rt}*({s('reasoning $/1M')}*{keep}))/1000000"

    def under_terms(self, cost: str, output: str, rate_row: str, month: str | None) -> str:
        """``cost`` of a request billed under the terms: its output part × the output-side factor, the rest ×
        the input-side factor, of Rates row ``rate_row`` in the column's month (or month number ``month``)."""
        n = self.lay.n_rate_rows
        if month is None:
            f_in, f_out = factor_ref(rate_row, n), factor_ref(rate_row, n, output=True)
        else:
            f_in, f_out = (factor_at(rate_row, month, n, self.months),
                           factor_at(rate_row, month, n, self.months, output=True))
        return f"(({cost})*{f_in}+({output})*({f_out}-{f_in}))"

    def version_pick(self, r: int, day: str, costs: str = "", exprs: list[str] | None = None) -> str:
        """The slot in force on ``day``: CHOOSE(MAX(1, versions started by then), slot values)."""
        exprs = exprs or [f"{costs}${self.slot(v, 'cost per request')}{r}" for v in range(1, self.slots + 1)]
        if self.slots == 1:
            return exprs[0]
        started = "+".join(f"({costs}${self.slot(v, 'from')}{r}<={day})" for v in range(1, self.slots + 1))
        return f"CHOOSE(MAX(1,{started}),{','.join(exprs)})"

    def display_month(self, r: int, costs: str = "") -> str:
        """Month index a workload's headline cost per request is quoted for: its first month with
        traffic held within the horizon (``pricing.costing.rows.first_month_with_traffic``)."""
        start = f"{costs}${self.c('Start month #')}{r}"
        return f"MIN(MAX({start},0),{self.months - 1})"

    def month_day(self, index: str) -> str:
        return f"DATE(YEAR({self.first}),MONTH({self.first})+{index},1)"

    def _display_cost(self, r: int) -> str:
        first_rc = f"${self.slot(1, 'cost per request')}{r}"
        shown = self.display_month(r)
        rate_row = f"${self.c('Rate row')}{r}"
        exprs = [self.under_terms(f"${self.slot(v, 'cost per request')}{r}", f"${self.slot(v, 'output part')}{r}",
                                  f"{rate_row}+{v - 1}", shown) for v in range(1, self.slots + 1)]
        return f'IF(ISNUMBER({first_rc}),{self.version_pick(r, self.month_day(shown), exprs=exprs)},"")'

    # ------------------------------------------------------------ Projection
    def requests(self, r: int, month_index: str) -> str:
        start = f"{L.COSTS}!${self.c('Start month #')}{r}"
        return f"{self.w('requests_per_month', r)}*(1+{self.w('monthly_growth', r)})^({month_index}-{start})"

    def projection_cell(self, p: int) -> str:
        """Month cell of Projection row ``p`` (workload row p - 1), month in column G."""
        r = p - 1
        k, day = "G$2", "G$1"
        costs = f"{L.COSTS}!"
        keep = f"(1-{self.w('discount', r)})"
        # × the version's input- and output-side factors in the month (Billing sheet: the contract terms, live).
        rate_row = f"{costs}${self.c('Rate row')}{r}"
        exprs = [self.under_terms(f"{costs}${self.slot(v, 'cost per request')}{r}",
                                  f"{costs}${self.slot(v, 'output part')}{r}", f"{rate_row}+{v - 1}", None)
                 for v in range(1, self.slots + 1)]
        per_token = f"{self.requests(r, k)}*{self.version_pick(r, day, costs, exprs)}*{keep}"
        running = f"AND({costs}${self.c('Priced')}{r},{k}>={costs}${self.c('Start month #')}{r})"
        if not self.n_cap:
            return f"ROUND(IF({running},{per_token},0),2)"
        cap = f"{costs}${self.c('Capacity #')}{r}"
        served = f"INDEX({L.CAPACITY}!G$3:G${self.n_cap + 2},{cap})"
        spend = f"INDEX({L.CAPACITY}!G${self.n_cap + 3}:G${2 * self.n_cap + 2},{cap})"
        tokens = f"({self.requests(r, k)}*({self.w('input_tokens', r)}+{self.w('output_tokens', r)}))"
        capacity = f"IF({served}>0,{spend}*{tokens}/{served}*{keep},0)"
        return f"ROUND(IF({running},IF({cap}=0,{per_token},{capacity}),0),2)"

    def served_tokens(self, r: int) -> str:
        """Capacity row ``r``: tokens its workloads ask for in the column's month (index in row 2)."""
        n = max(self.lay.n_workloads + 1, 2)
        rng = lambda sheet, col: f"{sheet}!${col}$2:${col}${n}"  # noqa: E731
        cap, priced, start = (rng(L.COSTS, self.c(x)) for x in ("Capacity #", "Priced", "Start month #"))
        wl = lambda f: rng(self.lay.workload_sheet, wcol(f))  # noqa: E731
        k = "G$2"
        since = f"({k}-{start})"
        return (f"SUMPRODUCT(({cap}=$D{r})*{priced}*({k}>={start})*{wl('requests_per_month')}"
                f"*(1+{wl('monthly_growth')}*{priced})^(({since}+ABS{since})/2)"
                f"*({wl('input_tokens')}+{wl('output_tokens')}))")

    def endpoint_spend(self, e_row: int, served: str) -> str:
        col = lambda f: f"{L.ENDPOINTS}!${col_letter(L.position(L.ENDPOINT_COLUMNS, f))}${e_row}"  # noqa: E731
        hours = f"IF(ISNUMBER({col('hours_per_month')}),{col('hours_per_month')},{L.assumption_cell('hours_per_month')})"
        base = (f"IF(ISNUMBER({col('monthly_commitment')}),{col('monthly_commitment')},"
                f"{col('gpus_per_replica')}*{col('replicas')}*{hours}*{col('gpu_hour_rate')})")
        over = (f"IF(AND(ISNUMBER({col('overage_mtok')}),ISNUMBER({col('included_tokens')})),"
                f"MAX(0,{served}-{col('included_tokens')})/1000000*{col('overage_mtok')},0)")
        return f"{base}+{over}"

    def cluster_spend(self, c_row: int) -> str:
        col = lambda f: f"{L.CLUSTERS}!${col_letter(L.position(L.CLUSTER_COLUMNS, f))}${c_row}"  # noqa: E731
        hours = f"IF(ISNUMBER({col('hours_per_month')}),{col('hours_per_month')},{L.assumption_cell('hours_per_month')})"
        return (f"{col('gpu_count')}*{hours}*{col('gpu_hour_rate')}+{col('storage_monthly')}"
                f"+{col('networking_monthly')}")

    # ------------------------------------------------------------ Modes
    def modes_row(self, r: int) -> list[str]:
        """Modes sheet row ``r``: month #, month, requests, discount, per-request and monthly costs."""
        costs = f"{L.COSTS}!"
        c = lambda name: f"{costs}${self.c(name)}{r}"  # noqa: E731
        per_token = f"AND({c('Priced')},{c('Capacity #')}=0)"

        def cost(discount: str, cached_keep: str) -> str:
            exprs = []
            for v in range(1, self.slots + 1):
                s = lambda name, v=v: f"{costs}${self.slot(v, name)}{r}"  # noqa: E731
                # × the version's input- and output-side factors in that month (Billing sheet).
                exprs.append(self.under_terms(self.request_cost(r, discount, cached_keep, s),
                                              self.output_cost(r, discount, s), f"{c('Rate row')}+{v - 1}", f"$D{r}"))
            return self.version_pick(r, f'$E{r}', costs, exprs)

        rate_row = c("Rate row")
        discount = (f'IF(ISNUMBER(INDEX({self.lay.rate_range("batch_discount")},{rate_row})),'
                    f'INDEX({self.lay.rate_range("batch_discount")},{rate_row}),{L.assumption_cell("batch_discount")})')
        keep = f"IF(INDEX({self.lay.rate_range('batch_discounts_cached_input')},{rate_row}),1-$G{r},1)"
        return [
            f'""&{self.w("name", r)}',
            f'""&{c("Model")}',
            f'""&{c("Mode")}',
            self.display_month(r, costs),
            self.month_day(f"$D{r}"),
            f'IF({per_token},IF($D{r}>={c("Start month #")},{self.requests(r, f"$D{r}")},0),"")',
            f'IF({per_token},{discount},"")',
            f'IF({per_token},{cost("0", "1")},"")',
            f'IF({per_token},{cost(f"$G{r}", keep)},"")',
            f'IF({per_token},ROUND($F{r}*$H{r},2),"")',
            f'IF({per_token},ROUND($F{r}*$I{r},2),"")',
            f'IF({per_token},$J{r}-$K{r},"")',
        ]
