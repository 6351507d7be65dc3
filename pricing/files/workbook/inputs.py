"""Writing the input sheets: Assumptions, Rates, Workloads, Endpoints, Clusters.

Each is an Excel table with a frozen header row, number formats and list validations.
Every number is written as a number; a Decimal a double cannot hold exactly is also kept
as text on the hidden TokenBudget sheet, so the reader restores it digit for digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from pricing.costing.engine import line_rates, price_sets
from pricing.plan.models import Plan
from pricing.files.workbook import layout as L
from pricing.files.workbook.windows import format_windows
from pricing.files.workbook.cells import col_letter, exactly_representable, ref, serial
from pricing.files.workbook.row_compiler import SharedRow
from pricing.files.workbook.package import Package, SheetSpec, Validation, table_xml
from pricing.files.workbook.styles import Style


@dataclass
class InputLayout:
    """Positions the computed sheets' formulas need."""

    n_rate_rows: int = 0
    tiers: int = 0
    rate_cols: dict[str, str] = field(default_factory=dict)  # field or helper -> column letter
    n_workloads: int = 0
    n_endpoints: int = 0
    n_clusters: int = 0
    #: The sheet the computed formulas read workloads from: Workloads, or Active workloads with scenarios.
    workload_sheet: str = L.WORKLOADS
    #: Rows of each terms table (Terms field -> count).
    n_terms: dict[str, int] = field(default_factory=dict)
    #: Whether some rate version has time windows (the Rates sheet then lists its price sets).
    windows: bool = False
    #: (sheet, cell, exact text) of Decimals a double cannot hold.
    exact: list[tuple[str, str, str]] = field(default_factory=list)

    def rate_range(self, name: str) -> str:
        c = self.rate_cols[name]
        return f"{L.RATES}!${c}$2:${c}${max(self.n_rate_rows + 1, 2)}"


_NOT_NUMBERS = ("text", "mode", "modes", "date", "month", "bool")


def _put(row, col: int, column: L.Column, value, sheet: str, exact: list) -> None:
    kind = column.kind
    style = column.style
    if value is None:
        row.number(col, None, style)
    elif kind in ("text", "mode"):
        row.text(col, str(value), style)
    elif kind == "modes":
        row.text(col, ", ".join(m.label for m in value), style)
    elif kind in ("date", "month"):
        row.day(col, value, style)
    elif kind == "bool":
        row.boolean(col, bool(value), style)
    else:
        if isinstance(value, Decimal) and not exactly_representable(value):
            exact.append((sheet, ref(col, row.r), str(value)))
        row.number(col, value, style)


def _header(stream, columns: list[L.Column]) -> None:
    row = stream.row(1)
    for i, c in enumerate(columns, start=1):
        row.text(i, c.header, Style.HEADER)
    stream.write(row)


def _table_spec(name: str, table: str, columns: list[L.Column], n_rows: int, frozen_cols: int = 1) -> SheetSpec:
    last = f"{col_letter(len(columns))}{max(n_rows + 1, 2)}"
    return SheetSpec(
        name=name, dimension=f"A1:{last}", frozen_rows=1, frozen_cols=frozen_cols,
        widths=[c.width for c in columns], tables=[table_xml(table, f"A1:{last}", [c.header for c in columns])],
    )


def write_assumptions(pkg: Package, plan: Plan, out: InputLayout) -> None:
    columns = [L.Column("Setting", "setting", "text", 30), L.Column("Value", "value", "text", 22),
               L.Column("Notes", "notes", "text", 60)]
    extra = 2 if plan.scenarios else 0  # the active scenario and its number
    spec = _table_spec(L.ASSUMPTIONS, "tblAssumptions", columns, len(L.ASSUMPTION_ROWS) + extra, frozen_cols=0)
    a = plan.assumptions
    if plan.scenarios:
        from pricing.files.workbook.scenario_sheets import names_range

        spec.validations = [Validation(L.active_scenario_cell().split("!")[1].replace("$", ""), names_range(plan),
                                       "Base or one of the Scenarios sheet's scenarios")]
    with pkg.sheet(spec) as s:
        _header(s, columns)
        for i, (label, name, kind) in enumerate(L.ASSUMPTION_ROWS, start=2):
            row = s.row(i)
            row.text(1, label, Style.TEXT)
            value = (plan.name if name == "name" else plan.terms.rates_currency if name == "rates_currency"
                     else getattr(a, name))
            _put(row, 2, L.Column(label, name, kind), value, L.ASSUMPTIONS, out.exact)
            row.text(3, L.ASSUMPTION_NOTES.get(name, ""), Style.TEXT)
            s.write(row)
        if plan.scenarios:
            from pricing.files.workbook.scenario_sheets import active_scenario_rows

            active_scenario_rows(plan, s, len(L.ASSUMPTION_ROWS) + 2)


def rate_columns(tiers: int, windows: bool = False) -> list[L.Column]:
    helpers = [L.Column(L.RATE_KEY, "key", "text", 40), L.Column(L.RATE_FROM, "from", "int", 10),
               L.Column(L.RATE_VERSION_NO, "version_no", "int", 8), L.Column(L.RATE_VERSIONS, "versions", "int", 8)]
    return list(L.RATE_COLUMNS) + L.tier_columns(tiers) + helpers + (L.price_set_columns() if windows else [])


def _price_set_values(version) -> dict[str, Decimal]:
    """The standard and off-peak rates the engine bills a version with time windows at (none without)."""
    if not version.windows:
        return {}
    standard, cheap = price_sets(version)
    out: dict[str, Decimal] = {"off_peak.has": Decimal(1)} if cheap is not None else {}
    for (name, _label), prices in zip(L.PRICE_SETS, (standard, cheap)):
        # The version's own rates under prompt tiers depend on the prompt: the Costs sheet picks them.
        if prices is not None and not (prices is version and version.tiers):
            out.update({f"{name}.{k}": v for k, v in line_rates(prices).items()})
    return out


def _own_rate_formulas(c: dict[str, str], r: int) -> dict[str, str]:
    """Rates-row formulas of a version's own rates, fallbacks applied (engine.line_rates): where the
    version itself is its standard or off-peak price, an edit of its rates reaches the Costs sheet."""
    def either(field: str, other: str) -> str:
        return f"IF(ISNUMBER({c[field]}{r}),{c[field]}{r},{other})"

    inp, out = f"{c['input_mtok']}{r}", f"{c['output_mtok']}{r}"
    write = either("cache_write_mtok", inp)
    return {"input": inp, "cached": either("cached_input_mtok", inp), "write": write,
            "write_1h": either("cache_write_1h_mtok", write), "output": out,
            "reasoning": either("reasoning_mtok", out), "fee": either("request_fee_kcount", "0") + "/1000"}


def write_rates(pkg: Package, plan: Plan, out: InputLayout) -> None:
    tiers = max((len(v.tiers) for r in plan.rates for v in r.versions), default=0)
    out.windows = any(v.windows for r in plan.rates for v in r.versions)
    columns = rate_columns(tiers, out.windows)
    out.tiers = tiers
    out.rate_cols = {c.field: col_letter(i) for i, c in enumerate(columns, start=1)}
    out.n_rate_rows = sum(len(r.versions) for r in plan.rates)
    spec = _table_spec(L.RATES, "tblRates", columns, out.n_rate_rows, frozen_cols=2)
    c = out.rate_cols
    key_range = out.rate_range("key")
    n_inputs = len(L.RATE_COLUMNS) + len(L.TIER_FIELDS) * tiers
    with pkg.sheet(spec) as s:
        _header(s, columns)
        r = 1
        for rate in plan.rates:
            for number, version in enumerate(rate.versions, start=1):
                r += 1
                row = s.row(r)
                values = {
                    "provider": rate.provider, "model_id": rate.model_id, "display_name": rate.display_name,
                    "context_length": rate.context_length, "modes": rate.modes,
                    "effective_from": version.effective_from, "input_mtok": version.input_mtok,
                    "cached_input_mtok": version.cached_input_mtok, "cache_write_mtok": version.cache_write_mtok,
                    "output_mtok": version.output_mtok, "batch_discount": rate.batch_discount,
                    "cache_write_1h_mtok": version.cache_write_1h_mtok, "reasoning_mtok": version.reasoning_mtok,
                    "request_fee_kcount": version.request_fee_kcount, "windows": format_windows(version.windows),
                    "batch_discounts_cached_input": rate.batch_discounts_cached_input, "source": rate.source,
                }
                for t, tier in enumerate(version.tiers, start=1):
                    for _label, name, _kind in L.TIER_FIELDS:
                        values[f"tier{t}.{name}"] = getattr(tier, name)
                for i, col in enumerate(columns[:n_inputs], start=1):
                    _put(row, i, col, values.get(col.field), L.RATES, out.exact)
                i = n_inputs
                row.formula(i + 1, f'{c["provider"]}{r}&"/"&{c["model_id"]}{r}', rate.id, Style.HELPER)
                eff = version.effective_from
                row.formula(i + 2, f'IF(ISNUMBER({c["effective_from"]}{r}),{c["effective_from"]}{r},0)',
                            serial(eff) if eff else 0, Style.HELPER)
                row.formula(i + 3, f'IF(AND({c["provider"]}{r}={c["provider"]}{r - 1},{c["model_id"]}{r}='
                            f'{c["model_id"]}{r - 1}),{c["version_no"]}{r - 1}+1,1)', number, Style.HELPER)
                row.formula(i + 4, f'SUMPRODUCT(--({key_range}={c["key"]}{r}))', len(rate.versions), Style.HELPER)
                sets = _price_set_values(version)
                own = _own_rate_formulas(c, r)
                standard, cheap = price_sets(version) if version.windows else (None, None)
                for j, col in enumerate(columns[n_inputs + 4:], start=n_inputs + 5):
                    name, key = col.field.split(".")
                    value = sets.get(col.field)
                    if value is not None and (standard, cheap)[name == "off_peak"] is version and key in own:
                        row.formula(j, own[key], value, col.style)
                    else:  # derived from the windows text (the reader reads that text back)
                        row.number(j, value, col.style)
                s.write(row)


def write_workloads(pkg: Package, plan: Plan, out: InputLayout) -> None:
    columns = list(L.WORKLOAD_COLUMNS)
    n = out.n_workloads = len(plan.workloads)
    spec = _table_spec(L.WORKLOADS, "tblWorkloads", columns, n)
    last = max(n + 1, 2)
    model_col = col_letter(L.position(columns, "model"))
    mode_col = col_letter(L.position(columns, "mode"))
    spec.validations = [
        Validation(f"{model_col}2:{model_col}{last + 1000}", out.rate_range("key"), "A model from the Rates sheet"),
        Validation(f"{mode_col}2:{mode_col}{last + 1000}", '"' + ",".join(L.MODE_LABELS) + '"',
                   "Serverless, Batch, Dedicated or GPU cluster"),
    ]
    fields = attrgetter(*(c.field for c in columns))
    mode_at = L.position(columns, "mode") - 1
    numbers = [j for j, c in enumerate(columns) if c.kind not in _NOT_NUMBERS]
    # Each row joined from its compiled markup (row_compiler.SharedRow): text through the shared strings, a zero
    # share written as 0 so formulas see a number, a Decimal a double cannot hold kept exactly.
    fast = SharedRow([(j, c.style, None) for j, c in enumerate(columns, start=1)], pkg.strings)
    exact = out.exact
    representable: dict[Decimal, bool] = {}
    with pkg.sheet(spec) as s:
        _header(s, columns)
        for r, w in enumerate(plan.workloads, start=2):
            values = list(fields(w))
            values[mode_at] = values[mode_at].label
            for j in numbers:
                value = values[j]
                if value.__class__ is Decimal:
                    ok = representable.get(value)
                    if ok is None:
                        ok = representable[value] = exactly_representable(value)
                    if not ok:
                        exact.append((L.WORKLOADS, ref(j + 1, r), str(value)))
            s.write(fast.xml(r, values))


def write_endpoints(pkg: Package, plan: Plan, out: InputLayout) -> None:
    columns = list(L.ENDPOINT_COLUMNS)
    out.n_endpoints = len(plan.endpoints)
    spec = _table_spec(L.ENDPOINTS, "tblEndpoints", columns, out.n_endpoints)
    model_col = col_letter(L.position(columns, "model"))
    spec.validations = [Validation(f"{model_col}2:{model_col}{out.n_endpoints + 200}", out.rate_range("key"))]
    _write_records(pkg, spec, columns, plan.endpoints, L.ENDPOINTS, out)


def write_clusters(pkg: Package, plan: Plan, out: InputLayout) -> None:
    columns = list(L.CLUSTER_COLUMNS)
    out.n_clusters = len(plan.clusters)
    spec = _table_spec(L.CLUSTERS, "tblClusters", columns, out.n_clusters)
    _write_records(pkg, spec, columns, plan.clusters, L.CLUSTERS, out)


def write_terms(pkg: Package, plan: Plan, out: InputLayout) -> None:
    """The Terms (discounts), Commitments, Credits, Reservations and FX sheets."""
    for sheet, table, columns, name in L.TERMS_TABLES:
        records = getattr(plan.terms, name)
        out.n_terms[name] = len(records)
        spec = _table_spec(sheet, table, list(columns), len(records), frozen_cols=0)
        spec.tab_color = "FFFFC000"
        _write_records(pkg, spec, list(columns), records, sheet, out)


def _write_records(pkg, spec, columns, records, sheet: str, out: InputLayout) -> None:
    with pkg.sheet(spec) as s:
        _header(s, columns)
        for r, item in enumerate(records, start=2):
            row = s.row(r)
            for i, col in enumerate(columns, start=1):
                _put(row, i, col, getattr(item, col.field), sheet, out.exact)
            s.write(row)


def write_meta(pkg: Package, months: int, out: InputLayout) -> None:
    spec = SheetSpec(name=L.META, hidden=True, dimension=f"A1:C{len(out.exact) + 3}")
    with pkg.sheet(spec) as s:
        row = s.row(1)
        row.text(1, "format")
        row.text(2, L.FORMAT_MARK)
        s.write(row)
        row = s.row(2)
        row.text(1, "projection months")
        row.number(2, months)
        s.write(row)
        row = s.row(3)
        for i, h in enumerate(("exact value of sheet", "cell", "decimal"), start=1):
            row.text(i, h)
        s.write(row)
        for r, (sheet, cell, text) in enumerate(out.exact, start=4):
            row = s.row(r)
            row.text(1, sheet)
            row.text(2, cell)
            row.text(3, text)
            s.write(row)
