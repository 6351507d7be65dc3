"""Reading files of actual spend into monthly groups (per model, dimensions and currency).

One aggregate query per file runs in DuckDB over the file in place (``aggregate_sql``): the
month, model, matching dimensions and currency, and the sums of cost, requests and tokens; only
its small result reaches Python, as exact Decimals.  Usage logs without a cost column are read by
``pricing.usage`` and priced at the plan's rates (``priced_usage``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from pricing.actuals.rules import MatchRules
from pricing.actuals.sources import DIMENSIONS, ActualsSourceError, SpendSource, detect
from pricing.actuals.tokens import price_tokens
from pricing.costing.rates import RateBook
from pricing.plan.findings import Finding, Severity
from pricing.plan.models import Plan
from pricing.plan.money import D


@dataclass
class SpendGroup:
    """A month of spend from one file for one model and set of dimensions, in one currency."""

    source: str
    file: str
    month: date
    model: str
    dimensions: dict[str, str]
    currency: str
    #: None when the app could not price a usage log's tokens (a finding says why).
    cost: Decimal | None
    requests: Decimal
    input_tokens: Decimal
    cached_tokens: Decimal
    output_tokens: Decimal
    rows: int
    #: True when the cost was billed (read from the file), False when the app priced tokens.
    billed: bool = True

    def value(self, key: str) -> str:
        return self.model if key == "model" else self.dimensions.get(key, "")

    @property
    def label(self) -> str:
        tags = ", ".join(f"{k}={v}" for k, v in self.dimensions.items() if v)
        return f"{self.model or '(no model)'}{f' [{tags}]' if tags else ''}"


@dataclass
class SpendRead:
    groups: list[SpendGroup] = field(default_factory=list)
    sources: list[SpendSource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: The query each file was aggregated with, by file.
    queries: dict[str, str] = field(default_factory=dict)
    #: The rules used for each file, and whether they were recalled from an earlier load.
    rules: dict[str, MatchRules] = field(default_factory=dict)


def dimension_exprs(source: SpendSource, rules: MatchRules) -> dict[str, str]:
    """SQL for each dimension: the rules' choice, else the source's default."""
    out = {}
    for dim in DIMENSIONS:
        spec = rules.dimensions.get(dim) or (source.dimensions.get(dim) or ("", ""))[0]
        hit = source.dimension_sql(spec) if spec else None
        out[dim] = f"coalesce({hit[0]}, '')" if hit else "''"
    return out


def aggregate_sql(source: SpendSource, rules: MatchRules, guarded: bool = False) -> str:
    """The one query that turns a file into monthly groups (over the view ``raw``)."""
    e = source.exprs
    dims = dimension_exprs(source, rules)  # registers the JSON paths the dimensions read
    dim_cols = "".join(f",\n       {sql} AS {dim}" for dim, sql in dims.items())
    return (f"SELECT CAST(date_trunc('month', {e['ts']}) AS DATE) AS month,\n"
            f"       coalesce({e['model']}, '') AS model{dim_cols},\n"
            f"       {e['currency']} AS currency,\n"
            f"       sum({e['cost']}) AS cost, sum({e['requests']}) AS requests,\n"
            f"       sum({e['input_tokens']}) AS input_tokens, sum({e['cached_tokens']}) AS cached_tokens,\n"
            f"       sum({e['output_tokens']}) AS output_tokens, count(*) AS rows,\n"
            f"       count(*) FILTER (WHERE {e['cost']} IS NULL) AS no_amount\n"
            f"FROM (SELECT *{source.json_lets(guarded)} FROM raw) AS raw\nGROUP BY ALL\nORDER BY ALL")


def connect():
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    con.execute("SET TimeZone = 'UTC'")
    return con


def read_spend(paths, plan: Plan, *, rules: MatchRules | None = None, cost_basis: str = "effective",
               rules_dir: Path | str | None = None, remember: bool = True) -> SpendRead:
    """Read every file (or hive-partitioned folder) in ``paths`` into monthly groups."""
    out = SpendRead()
    for raw_path in paths:
        path = Path(raw_path)
        con = connect()
        try:
            try:
                source = detect(con, path, cost_basis=cost_basis)
            except ActualsSourceError:
                raise
            except Exception as exc:  # DuckDB's own errors: name the file, keep one line
                raise ActualsSourceError(f"{path}: cannot read: {str(exc).splitlines()[0]}") from None
            if source is None:
                out.groups += priced_usage(path, plan, out.findings)
                continue
            used = rules
            if used is None:
                used = MatchRules.recall(source.signature, rules_dir) or MatchRules()
            elif remember:
                used.remember(source.signature, rules_dir)
            out.sources.append(source)
            out.rules[str(path)] = used
            sql = aggregate_sql(source, used)
            out.queries[str(path)] = sql
            try:
                try:
                    result = con.execute(sql).fetchall()
                except Exception as exc:
                    if "json" not in str(exc).lower():
                        raise
                    sql = aggregate_sql(source, used, guarded=True)  # some tags are not JSON: read them as none
                    out.queries[str(path)] = sql
                    result = con.execute(sql).fetchall()
            except Exception as exc:
                raise ActualsSourceError(f"{path}: cannot read as {source.kind}: {str(exc).splitlines()[0]}") from None
            _collect(out, source, result)
        finally:
            con.close()
    return out


def _collect(out: SpendRead, source: SpendSource, result) -> None:
    undated = 0
    missing = 0
    for month, model, *rest in result:
        dims = dict(zip(DIMENSIONS, rest[: len(DIMENSIONS)]))
        currency, cost, requests, inp, cached, outp, rows, no_amount = rest[len(DIMENSIONS):]
        missing += no_amount
        if month is None:
            undated += rows
            continue
        if cost is None:
            continue
        out.groups.append(SpendGroup(source.kind, source.path.name, month, model, dims, currency, D(cost),
                                     D(requests or 0), D(inp or 0), D(cached or 0), D(outp or 0), rows))
    if undated:
        out.findings.append(Finding(f"{undated:,} row(s) without a readable date were left out", Severity.WARNING,
                                    file=str(source.path)))
    if missing:
        out.findings.append(Finding(f"{missing:,} row(s) without an amount (days without spend) read as nothing",
                                    Severity.INFO, file=str(source.path)))


def priced_usage(path: Path, plan: Plan, findings: list[Finding]) -> list[SpendGroup]:
    """A usage log (tokens, no cost), aggregated per month, model and tag, priced at the plan's rates."""
    from pricing.usage.sources import UsageLogError, normalized_view

    con = connect()
    try:
        try:
            normalized_view(con, path, list(DIMENSIONS))
            rows = con.execute(
                "SELECT CAST(date_trunc('month', ts) AS DATE), model, "
                + ", ".join(f'coalesce("tag_{d}", \'\')' for d in DIMENSIONS)
                + ", sum(n), sum(prompt), sum(cached), sum(output), sum(cache_write), count(*) "
                  "FROM u WHERE model IS NOT NULL AND prompt IS NOT NULL GROUP BY ALL ORDER BY ALL").fetchall()
        except UsageLogError as exc:
            raise ActualsSourceError(str(exc)) from None
        except Exception as exc:
            raise ActualsSourceError(f"{path}: cannot read: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    book = RateBook.of(plan.rates)
    out = []
    for month, model, *rest in rows:
        dims = dict(zip(DIMENSIONS, rest[: len(DIMENSIONS)]))
        n, prompt, cached, output, write, count = (D(v or 0) for v in rest[len(DIMENSIONS):])
        if month is None:
            findings.append(Finding(f"{int(count):,} request(s) without a date were left out", Severity.WARNING,
                                    file=str(path)))
            continue
        cost, problem = price_tokens(book, model, month, prompt, cached, output, write)
        if problem:
            findings.append(Finding(f"{month:%Y-%m} {model}: {problem}; its spend is not counted", Severity.ERROR,
                                    file=str(path)))
        out.append(SpendGroup("usage", path.name, month, model, dims, "USD", cost, n, prompt, cached, output,
                              int(count), billed=False))
    return out
