"""The Billing sheet: the contract terms as live formulas over the Projection.

Rows, months from column G as on the Projection sheet:

* **FX factor** — the plan's currency per unit of the rate sheet's, looked up on the FX sheet
  (a rate holds from its month until the next; months before the first take the first);
* **Input-side and output-side factor** per Rates row (a model's version) — from its list prices to
  what the month bills, as ``TermsPricer.factors``: under **contract rates** per 1M (the term in force
  for the model, its Terms row in a third block of rows; the later of several) the contract input rate
  ÷ the row's list input rate and the contract output rate ÷ its list output rate (one rate given sets
  both; in the plan's currency, no FX); else ``(1 − the largest percentage in force) × FX`` on both
  sides.  Which discounts name which model is matched when the workbook is written (the block at the
  bottom); their rates, percentages and months are read live from the Terms sheet.  The per-token
  costs (Costs, Projection, Modes) take the output-side factor on output and reasoning tokens and the
  input-side factor on the rest (input, cache hits and writes, request fees); the Capacity sheet's
  spend takes the FX factor;
* **Usage**, each commitment's **true-up** (``MAX(0, committed − usage)`` in the month, or over the
  year in its closing month) and each credit's **drawdown**, then **Billed cost** and
  **Effective cost** (FOCUS BilledCost / EffectiveCost) per month, as ``pricing.terms.ledger`` computes them.

A reservation's committed GPU-hour rate replaces the capacity's own in its term (Capacity sheet) and an
upfront one is a purchase line here.
"""

from __future__ import annotations

from pricing.files.workbook import layout as L
from pricing.files.workbook.cells import col_letter
from pricing.files.workbook.month_rows import month_cells, month_index_row
from pricing.files.workbook.package import SheetSpec
from pricing.files.workbook.styles import Style
from pricing.plan.money import ZERO
from pricing.terms import build_ledger, matches, usage_by_provider

MONTH0 = 7


FIRST_FACTOR_ROW = 4


def factor_ref(rate_row: str, n_rates: int, output: bool = False) -> str:
    """The input-side (or output-side) factor of Rates row number ``rate_row`` (1-based) in the column's month."""
    top = FIRST_FACTOR_ROW + (n_rates if output else 0)
    return f"INDEX({L.BILLING}!G${top}:G$65536,{rate_row})"


def factor_at(rate_row: str, month_index: str, n_rates: int, months: int, output: bool = False) -> str:
    """The input-side (or output-side) factor of Rates row ``rate_row`` in month number ``month_index`` (0-based)."""
    top = FIRST_FACTOR_ROW + (n_rates if output else 0)
    last = col_letter(MONTH0 + max(months, 1) - 1)
    return f"INDEX({L.BILLING}!$G${top}:${last}$65536,{rate_row},{month_index}+1)"


def _reservation_terms(capacity_id: str, n: int) -> tuple[str, str]:
    """(reserved GPU-hour rate, 1 when reserved) in the column's month, from the Reservations sheet."""
    col = lambda f: f"{L.RESERVATIONS}!${col_letter(L.position(L.RESERVATION_COLUMNS, f))}$2:${col_letter(L.position(L.RESERVATION_COLUMNS, f))}${n + 1}"  # noqa: E731
    first = L.assumption_cell("first_month")
    start = f"((YEAR({col('starts')})-YEAR({first}))*12+MONTH({col('starts')})-MONTH({first}))"
    active = f'({col("capacity")}="{capacity_id}")*({start}<=G$2)*(G$2<{start}+12*{col("years")})'
    return f"SUMPRODUCT({active}*{col('gpu_hour_rate')})", f"SUMPRODUCT({active})"


def _gpus(is_endpoint: bool, input_row: int) -> tuple[str, str]:
    """(GPU count, hours a month) of an Endpoints or Clusters row, as cell references."""
    if is_endpoint:
        c = lambda f: f"{L.ENDPOINTS}!${col_letter(L.position(L.ENDPOINT_COLUMNS, f))}${input_row}"  # noqa: E731
        gpus = f"{c('gpus_per_replica')}*{c('replicas')}"
    else:
        c = lambda f: f"{L.CLUSTERS}!${col_letter(L.position(L.CLUSTER_COLUMNS, f))}${input_row}"  # noqa: E731
        gpus = c("gpu_count")
    hours = f"IF(ISNUMBER({c('hours_per_month')}),{c('hours_per_month')},{L.assumption_cell('hours_per_month')})"
    return gpus, hours


def reserved_spend(capacity_id: str, is_endpoint: bool, input_row: int, served: str, formula: str, lay) -> str:
    """A capacity's monthly spend: its list spend × the FX factor, or in a reservation's term its GPU-hours
    at the committed rate (in the plan's currency) plus what else it bills, converted."""
    fx = f"{L.BILLING}!G$3"
    n = lay.n_terms.get("reservations", 0)
    if not n:
        return f"({formula})*{fx}"
    rate, reserved = _reservation_terms(capacity_id, n)
    gpus, hours = _gpus(is_endpoint, input_row)
    if is_endpoint:
        c = lambda f: f"{L.ENDPOINTS}!${col_letter(L.position(L.ENDPOINT_COLUMNS, f))}${input_row}"  # noqa: E731
        rest = (f"IF(AND(ISNUMBER({c('overage_mtok')}),ISNUMBER({c('included_tokens')})),"
                f"MAX(0,{served}-{c('included_tokens')})/1000000*{c('overage_mtok')},0)")
    else:
        c = lambda f: f"{L.CLUSTERS}!${col_letter(L.position(L.CLUSTER_COLUMNS, f))}${input_row}"  # noqa: E731
        rest = f"({c('storage_monthly')}+{c('networking_monthly')})"
    return f"IF({reserved}>0,{gpus}*{hours}*{rate}+{rest}*{fx},({formula})*{fx})"


def write_billing(comp) -> None:
    p, plan, months = comp.p, comp.plan, comp.months
    pricer = p.terms
    mc = [col_letter(MONTH0 + m) for m in range(months)]
    last = mc[-1] if months else "G"
    first = L.assumption_cell("first_month")
    terms = plan.terms
    rate_rows = [(rate, v) for rate in plan.rates for v in range(len(rate.versions))]
    n_rates = len(rate_rows)
    nd = len(terms.discounts)
    by_provider = usage_by_provider(p, comp.provider_sums)
    ledger = build_ledger(plan, p, by_provider)
    # Row numbers.
    fx_row = 3
    usage_row = FIRST_FACTOR_ROW + 3 * n_rates + 1
    r = usage_row + 1
    blocks = []  # (kind, index, rows dict)
    for i, _c in enumerate(terms.commitments):
        blocks.append(("commitment", i, {"usage": r, "billed": r + 1, "effective": r + 2}))
        r += 3
    for i, _c in enumerate(terms.credits):
        blocks.append(("credit", i, {"usage": r, "drawn": r + 1, "billed": r + 2, "effective": r + 3}))
        r += 4
    upfront = [line for line in ledger.lines if line.category == "Purchase"]
    purchase_rows = list(range(r, r + len(upfront)))
    r += len(upfront)
    billed_row, effective_row = r + 1, r + 2
    match_top = effective_row + 3
    end = match_top + max(nd, 1)
    spec = SheetSpec(L.BILLING, dimension=f"A1:{col_letter(max(MONTH0 + months - 1, MONTH0 + n_rates))}{end}",
                     frozen_rows=2, frozen_cols=1, widths=[44, 14, 4, 4, 4, 4] + [13] * max(months, n_rates),
                     tab_color="FFFFC000")
    cur, src = plan.assumptions.currency, terms.rates_currency
    proj_last = comp.total_row - 1

    with comp.pkg.sheet(spec) as s:
        row = s.row(1)
        row.text(1, "Line", Style.HEADER)
        row.text(2, "Provider", Style.HEADER)
        month_cells(row, MONTH0, p.months[:months], f"{L.PROJECTION}!G$1", f"G1:{last}1" if months else None)
        s.write(row)
        month_index_row(s, MONTH0, months)

        # FX factor.
        n_fx = len(terms.fx)
        if pricer.convert and n_fx:
            look = f"IFERROR(LOOKUP(G$1,{L.FX}!$A$2:$A${n_fx + 1},{L.FX}!$B$2:$B${n_fx + 1}),{L.FX}!$B$2)"
            fx_formula = look if src == "USD" else f"1/{look}"
        else:
            fx_formula = "1"
        row = s.row(fx_row)
        row.text(1, f"FX factor ({cur} per {src})", Style.TEXT)
        for m in range(months):
            row.formula(MONTH0 + m, fx_formula if m == 0 else "", pricer.fx_factor(p.months[m]), Style.NUMBER,
                        (1, f"G{fx_row}:{last}{fx_row}" if m == 0 else None))
        s.write(row)

        _write_factors(comp, s, rate_rows, match_top)

        def line(r: int, label: str, provider: str, formula: str, values, style=Style.MONEY, slot=0) -> None:
            row = s.row(r)
            row.text(1, label, Style.TEXT)
            row.text(2, provider, Style.TEXT)
            for m in range(months):
                row.formula(MONTH0 + m, formula if m == 0 else "", values[m], style,
                            (slot, f"G{r}:{last}{r}" if m == 0 else None))
            s.write(row)

        slot = 2 + 3 * n_rates
        line(usage_row, "Usage (Projection total)", "", f"{L.PROJECTION}!G{comp.total_row}", p.month_totals,
             slot=slot)
        slot += 1
        start_index = lambda cell: f"((YEAR({cell})-YEAR({first}))*12+MONTH({cell})-MONTH({first}))"  # noqa: E731

        def usage_formula(provider_cell: str) -> str:
            return (f'IF({provider_cell}="",G${usage_row},SUMPRODUCT((LEFT({L.PROJECTION}!$E$3:$E${proj_last},'
                    f'LEN({provider_cell})+1)={provider_cell}&"/")*{L.PROJECTION}!G$3:G${proj_last}))')

        lines = iter(ledger.lines)
        for kind, i, rows in blocks:
            ledger_line = next(lines)
            if kind == "commitment":
                c = terms.commitments[i]
                x = lambda f: f"{L.COMMITMENTS}!${col_letter(L.position(L.COMMITMENT_COLUMNS, f))}${i + 2}"  # noqa: E731
                usage = by_provider.get(c.provider.strip().lower(), [ZERO] * months) if c.provider.strip() else p.month_totals
                line(rows["usage"], f"Usage under commitment {i + 1}", c.provider, usage_formula(x("provider")), usage,
                     slot=slot)
                st, per, k, u = start_index(x("starts")), x("periods"), "G$2", f"G${rows['usage']}"
                in_term = f'OR({per}="",{k}<{st}+{per})'
                monthly = f"IF(AND({k}>={st},{in_term}),MAX(0,{x('amount')}-{u}),0)"
                year_sum = f"SUMPRODUCT(($G$2:${last}$2>{k}-12)*($G$2:${last}$2<={k})*$G${rows['usage']}:${last}${rows['usage']})"
                closes = f'AND({k}>={st}+11,{k}>=11,MOD({k}-{st},12)=11,OR({per}="",({k}-{st}+1)/12<={per}))'
                yearly = f"IF({closes},MAX(0,{x('amount')}-{year_sum}),0)"
                line(rows["billed"], f"True-up, commitment {i + 1} (billed)", c.provider,
                     f'IF(LOWER({x("period")})="year",{yearly},{monthly})', ledger_line.billed, slot=slot + 1)
                closing = f"({st}+12*INT(({k}-{st})/12)+11)"
                spread = (f"IF(AND({k}>={st},{closing}<{months}),INDEX($G${rows['billed']}:${last}${rows['billed']},"
                          f"{closing}+1)/12,0)")
                line(rows["effective"], f"True-up, commitment {i + 1} (effective)", c.provider,
                     f'IF(LOWER({x("period")})="year",{spread},G${rows["billed"]})', ledger_line.effective,
                     slot=slot + 2)
                slot += 3
            else:
                c = terms.credits[i]
                x = lambda f: f"{L.CREDITS}!${col_letter(L.position(L.CREDIT_COLUMNS, f))}${i + 2}"  # noqa: E731
                usage = by_provider.get(c.provider.strip().lower(), [ZERO] * months) if c.provider.strip() else p.month_totals
                line(rows["usage"], f"Usage drawing credits {i + 1}", c.provider, usage_formula(x("provider")), usage,
                     slot=slot)
                st, k = start_index(x("starts")), "G$2"
                drawn = [-b for b in ledger_line.billed]
                if c.prepaid and c.starts in p.months:
                    drawn[p.months.index(c.starts)] += c.amount
                line(rows["drawn"], f"Credits {i + 1} drawn", c.provider,
                     f"IF({k}>={st},MIN({x('amount')}-SUM($F${rows['drawn']}:F{rows['drawn']}),G${rows['usage']}),0)",
                     drawn, slot=slot + 1)
                line(rows["billed"], f"Credits {i + 1} (billed)", c.provider,
                     f"-G{rows['drawn']}+IF(AND({x('prepaid')},{k}={st}),{x('amount')},0)", ledger_line.billed,
                     slot=slot + 2)
                line(rows["effective"], f"Credits {i + 1} (effective)", c.provider,
                     f"IF({x('prepaid')},0,-G{rows['drawn']})", ledger_line.effective, slot=slot + 3)
                slot += 4
        caps = {c.id: (i, True) for i, c in enumerate(plan.endpoints)} | {
            c.id: (i, False) for i, c in enumerate(plan.clusters)}
        bought = [(i, res) for i, res in enumerate(terms.reservations) if res.upfront and res.capacity in caps]
        for r_, purchase, (i, res) in zip(purchase_rows, upfront, bought):
            x = lambda f: f"{L.RESERVATIONS}!${col_letter(L.position(L.RESERVATION_COLUMNS, f))}${i + 2}"  # noqa: E731
            index, is_endpoint = caps[res.capacity]
            gpus, hours = _gpus(is_endpoint, index + 2)
            monthly, st, term = f"({gpus}*{hours}*{x('gpu_hour_rate')})", start_index(x("starts")), f"12*{x('years')}"
            formula = (f"IF({x('upfront')},IF(G$2={st},{monthly}*{term},0)"
                       f"-IF(AND(G$2>={st},G$2<{st}+{term}),{monthly},0),0)")
            line(r_, purchase.label + " (billed)", "", formula, purchase.billed, slot=slot)
            slot += 1
        billed_parts = [rows["billed"] for _k, _i, rows in blocks] + purchase_rows
        effective_parts = [rows["effective"] for _k, _i, rows in blocks]
        line(billed_row, "Billed cost (FOCUS BilledCost)", "",
             "+".join([f"G{usage_row}"] + [f"G{x}" for x in billed_parts]), ledger.billed, Style.TOTAL, slot=slot)
        line(effective_row, "Effective cost (FOCUS EffectiveCost)", "",
             "+".join([f"G{usage_row}"] + [f"G{x}" for x in effective_parts]), ledger.effective, Style.TOTAL,
             slot=slot + 1)

        # Which discount (row) names which Rates row (column): 1 or 0, matched by the app.
        row = s.row(match_top - 1)
        row.text(1, "Discount (Terms row) applies to Rates row →", Style.HEADER)
        for j, (rate, _v) in enumerate(rate_rows):
            row.number(MONTH0 + j, j + 1, Style.HELPER)
        s.write(row)
        for t, term in enumerate(terms.discounts):
            row = s.row(match_top + t)
            row.text(1, f"Terms row {t + 2}: {term.label}", Style.TEXT)
            for j, (rate, _v) in enumerate(rate_rows):
                row.number(MONTH0 + j, 1 if matches(term, rate) else 0, Style.HELPER)
            s.write(row)


def _write_factors(comp, s, rate_rows, match_top: int) -> None:
    """Per Rates row: the input-side factors, the output-side factors, the contract term in force (Terms row)."""
    p, months, lay = comp.p, comp.months, comp.lay
    pricer, terms = p.terms, comp.plan.terms
    n, nd = len(rate_rows), len(terms.discounts)
    last = col_letter(MONTH0 + months - 1) if months else "G"
    dcol = lambda f: col_letter(L.position(L.DISCOUNT_COLUMNS, f))  # noqa: E731
    d_rng = lambda f: f"{L.TERMS}!${dcol(f)}$2:${dcol(f)}${nd + 1}"  # noqa: E731
    index = {id(term): t for t, term in enumerate(terms.discounts)}
    for j, (rate, v) in enumerate(rate_rows):
        in_row, out_row, term_row = FIRST_FACTOR_ROW + j, FIRST_FACTOR_ROW + n + j, FIRST_FACTOR_ROW + 2 * n + j
        mcol = col_letter(MONTH0 + j)
        matched = f"${mcol}${match_top}:${mcol}${match_top + max(nd, 1) - 1}"
        in_force = (f"({d_rng('starts')}<=G$1)*((({d_rng('ends')}=\"\")+({d_rng('ends')}>=G$1))>0)"
                    if nd else "0")
        listed = lambda f, j=j: f"{L.RATES}!${lay.rate_cols[f]}${j + 2}"  # noqa: E731
        term = f"G{term_row}"
        contract = lambda f: f"INDEX({L.TERMS}!${dcol(f)}$1:${dcol(f)}${nd + 1},{term})"  # noqa: E731
        own_in = f"AND(ISNUMBER({contract('input_mtok')}),{listed('input_mtok')}>0)"
        own_out = f"AND(ISNUMBER({contract('output_mtok')}),{listed('output_mtok')}>0)"
        r_in, r_out = (f"{contract('input_mtok')}/{listed('input_mtok')}",
                       f"{contract('output_mtok')}/{listed('output_mtok')}")
        if nd:
            percent = f"(1-SUMPRODUCT(MAX({matched}*{in_force}*{d_rng('percent_off')})))*G$3"
            term_formula = (f"SUMPRODUCT(MAX({matched}*{in_force}*((ISNUMBER({d_rng('input_mtok')})"
                            f"+ISNUMBER({d_rng('output_mtok')}))>0)*ROW({d_rng('input_mtok')})))")
            in_formula = f"IF({term}=0,{percent},IF({own_in},{r_in},IF({own_out},{r_out},G$3)))"
            out_formula = f"IF({term}=0,G{in_row},IF({own_out},{r_out},IF({own_in},{r_in},G$3)))"
        else:
            term_formula, in_formula, out_formula = "0", "G$3", f"G{in_row}"
        version = rate.versions[v]
        name = f"{rate.id}" + (f" (version {v + 1})" if v else "")
        factors = [pricer.factors(rate, version, month) for month in p.months]
        chosen = [pricer.term_for(rate, month) for month in p.months]
        term_rows = [index[id(t)] + 2 if t is not None and t.percent_off is None else 0 for t in chosen]
        for r, label, formula, values, slot in (
                (in_row, f"Input-side factor: {name}", in_formula, [f[0] for f in factors], 2 + j),
                (out_row, f"Output-side factor: {name}", out_formula, [f[1] for f in factors], 2 + n + j),
                (term_row, f"Contract rates in force (Terms row): {name}", term_formula, term_rows, 2 + 2 * n + j)):
            row = s.row(r)
            row.text(1, label, Style.TEXT)
            row.text(2, rate.provider, Style.TEXT)
            style = Style.HELPER if r == term_row else Style.NUMBER
            for m in range(months):
                row.formula(MONTH0 + m, formula if m == 0 else "", values[m], style,
                            (slot, f"G{r}:{last}{r}" if m == 0 else None))
            s.write(row)
