"""What an actual-spend file is, and the DuckDB view that reads it: one SQL expression per field.

`Each field (``ts, model, cost, currency, requests, input_tokens, cached_tokens, output_tokens``
and the matching dimensions) is an SQL expression over the view ``raw`` (DuckDB reads the file in place: CSV as text so amounts stay exact,
Parquet files or a hive-partitioned folder of them with projection and aggregation pushed down,
API pages unnested).  The kinds told apart, by their columns:

- ``focus``: FinOps FOCUS 1.0–1.2 (``BilledCost``/``EffectiveCost``, ``ChargePeriodStart``,
  ``BillingCurrency``, ``Tags`` JSON or map; the model from ``Tags`` or ``SkuPriceDetails``;
  tokens from ``ConsumedQuantity`` when ``ConsumedUnit`` says tokens).  EffectiveCost by default
  (commitments spread over their term); BilledCost on request.
- ``openai-costs``: OpenAI's organization costs export (``start_time``/``amount_value``/
  ``amount_currency``/``line_item``/``project_id``; blank rows read as nothing) and its API pages
  (``organization.costs.result`` with ``amount.value``); the model is the part of ``line_item``
  before the comma.
- ``anthropic-costs``: the Admin API cost report pages (``amount`` a decimal string in *cents*)
  and the Console's cost CSV (``cost_usd`` in dollars).
- ``openrouter``: activity exports (``usage`` in credits = dollars, ``requests``, ``prompt_tokens``)
  and generation exports (``cost_total`` or ``total_cost``, ``tokens_prompt``, ``tokens_completion``).
- ``litellm``: LiteLLM spend logs (``spend``, ``startTime``, ``prompt_tokens``, ``metadata`` JSON,
  ``team_id``, ``end_user``).
- ``together`` / ``cost-export``: a per-day-and-model cost export (``date``, ``model``, tokens,
  ``cost``/``cost_usd``), named ``together`` when the file name says so.
- ``warehouse``: the result of the query ``tokenbudget actuals --print-sql`` prints (``year``,
  ``month``, …, ``cost``).
- ``usage``: a usage log with tokens and no cost (``pricing.usage`` reads it); the caller prices it
  at the plan's rates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pricing.usage.sources import _Field, _fields, _norm, _num_sql, _sql_str, _time_sql

#: The dimensions a line of spend is matched to workloads by.
DIMENSIONS = ("tenant", "feature", "environment", "workload", "resource")
#: Where each dimension is looked for by default: columns first, then keys of the tags column.
DIMENSION_CANDIDATES = {
    "tenant": ("tenant", "customer"),
    "feature": ("feature", "use_case"),
    "environment": ("environment", "env", "stage", "deployment_environment"),
    "workload": ("workload", "workload_name"),
    "resource": ("resource_id", "project_id", "project_name", "workspace_id", "workspace", "api_key_name",
                 "api_key_id", "endpoint_id", "team_id"),
}
TAG_COLUMNS = ("tags", "metadata", "labels", "resource_tags", "request_tags")
COST_KINDS = ("focus", "openai-costs", "anthropic-costs", "openrouter", "litellm", "together", "cost-export",
              "warehouse")


class ActualsSourceError(Exception):
    """A file that cannot be read as actual spend; the message names the file and the reason."""


@dataclass
class SpendSource:
    """A file (or hive-partitioned folder) of actual spend, and how its columns are read."""

    path: Path
    kind: str
    #: Column read for each field (model, cost, time, currency, tokens …), as the user sees it.
    columns: dict[str, str] = field(default_factory=dict)
    #: Dimension -> SQL read for it by default (a column or a key of the tags column), and its label.
    dimensions: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Every column of the file by normalised name (for matching rules that name a column).
    fields: dict[str, _Field] = field(default_factory=dict)
    tag_column: _Field | None = None
    #: Columns in file order, for the layout signature.
    header: tuple[str, ...] = ()
    #: SQL over ``raw`` for each field: ts, model, cost, currency, requests, input/cached/output_tokens.
    exprs: dict[str, str] = field(default_factory=dict)
    #: JSON text columns read: column SQL -> the paths taken from it.  Each column is parsed once per row,
    #: all its paths at a time (``json_extract_string(col, [paths])`` as ``_json<n>``), see ``json_lets``.
    json_paths: dict[str, list[str]] = field(default_factory=dict)

    def json_value(self, column: _Field, key: str) -> str:
        """SQL for the value at ``key`` of a JSON text column (NULL when the text is not JSON)."""
        paths = self.json_paths.setdefault(column.sql, [])
        path = "$." + json.dumps(key)
        if path not in paths:
            paths.append(path)
        n = list(self.json_paths).index(column.sql)
        return f"_json{n}[{paths.index(path) + 1}]"

    def json_lets(self, guarded: bool = False) -> str:
        """The columns ``json_value`` refers to, to add to a SELECT over ``raw``.  Unguarded, a text that is
        not JSON stops the query (the reader then runs it ``guarded``: such text reads as NULL, at the
        cost of parsing each value twice)."""
        def one(col: str, paths: list[str]) -> str:
            extract = f"json_extract_string({col}, [{', '.join(_sql_str(p) for p in paths)}])"
            return f"CASE WHEN json_valid({col}) THEN {extract} END" if guarded else extract

        return "".join(f", {one(col, paths)} AS _json{n}" for n, (col, paths) in enumerate(self.json_paths.items()))

    @property
    def signature(self) -> str:
        return self.kind + ":" + ",".join(sorted(_norm(h) for h in self.header))[:400]

    def dimension_sql(self, spec: str) -> tuple[str, str] | None:
        """SQL reading ``spec``: a column name, or ``tag:key`` for a key of the tags column."""
        if spec.startswith("tag:"):
            if self.tag_column is None:
                return None
            key = spec[4:]
            return self.tag_sql(key), f"{self.tag_column.label}.{key}"
        hit = self.fields.get(_norm(spec))
        if hit is None:
            return None
        return f"CAST({hit.sql} AS VARCHAR)", hit.label


    def tag_sql(self, key: str) -> str:
        tags = self.tag_column
        if tags.type == "map":
            return f"CAST({tags.sql}[{_sql_str(key)}] AS VARCHAR)"
        if tags.type == "struct":
            return f"CAST(struct_extract({tags.sql}, {_sql_str(key)}) AS VARCHAR)"
        return self.json_value(tags, key)


def _is_dir_of_parquet(path: Path) -> bool:
    return path.is_dir() and any(path.rglob("*.parquet"))


def open_raw(con, path: Path) -> str:
    """Create the view ``raw`` over the file; returns 'csv', 'parquet', 'pages-openai', 'pages-anthropic'
    or 'json'."""
    name = path.name.lower()
    if _is_dir_of_parquet(path):
        glob = str(path / "**" / "*.parquet")
        con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT * FROM read_parquet({_sql_str(glob)}, "
                    f"hive_partitioning=true, union_by_name=true)")
        return "parquet"
    if not path.is_file():
        raise ActualsSourceError(f"{path}: no such file or folder")
    stem = name[:-3] if name.endswith(".gz") else name
    if stem.endswith(".parquet"):
        con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT * FROM read_parquet({_sql_str(str(path))})")
        return "parquet"
    if stem.endswith((".csv", ".tsv", ".txt")):
        con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT * FROM read_csv({_sql_str(str(path))}, header=true, "
                    f"all_varchar=true, nullstr=['', 'NULL', 'null'], sample_size=-1)")
        return "csv"
    head = _head(path)
    if re.search(r'"organization\.costs\.result"', head) or (
            re.search(r'"object"\s*:\s*"page"', head) and re.search(r'"amount"\s*:\s*\{', head)):
        con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT b.start_time AS start_time, b.end_time AS end_time, "
                    f"r.amount.value AS amount_value, r.amount.currency AS amount_currency, r.line_item AS line_item, "
                    f"r.project_id AS project_id FROM (SELECT b, unnest(b.results) AS r FROM (SELECT unnest(data) AS b "
                    f"FROM read_json({_sql_str(str(path))}, format='auto', columns={{'data': "
                    f"'STRUCT(start_time DOUBLE, end_time DOUBLE, results STRUCT(amount STRUCT(value VARCHAR, "
                    f"currency VARCHAR), line_item VARCHAR, project_id VARCHAR)[])[]'}}, "
                    f"maximum_object_size=268435456)))")
        return "pages-openai"
    if re.search(r'"starting_at"', head) and re.search(r'"amount"\s*:\s*"', head):
        con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT b.starting_at AS starting_at, b.ending_at AS ending_at, "
                    f"r.amount AS amount_cents, r.currency AS currency, r.model AS model, r.workspace_id AS workspace_id, "
                    f"r.cost_type AS cost_type, r.token_type AS token_type, r.description AS description, "
                    f"r.service_tier AS service_tier FROM (SELECT b, unnest(b.results) AS r FROM (SELECT unnest(data) AS b "
                    f"FROM read_json({_sql_str(str(path))}, format='auto', columns={{'data': "
                    f"'STRUCT(starting_at VARCHAR, ending_at VARCHAR, results STRUCT(amount VARCHAR, currency VARCHAR, "
                    f"model VARCHAR, workspace_id VARCHAR, cost_type VARCHAR, token_type VARCHAR, description VARCHAR, "
                    f"service_tier VARCHAR)[])[]'}}, maximum_object_size=268435456)))")
        return "pages-anthropic"
    con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT * FROM read_json({_sql_str(str(path))}, "
                f"format='auto', ignore_errors=true, maximum_object_size=16777216)")
    return "json"


def _head(path: Path) -> str:
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            return handle.read(1 << 16).decode("utf-8", "replace")
    except OSError as exc:
        raise ActualsSourceError(f"{path}: cannot read: {exc}") from None


def detect(con, path: Path, *, cost_basis: str = "effective") -> SpendSource | None:
    """Open ``path`` as ``raw`` and tell its kind; None when it has no cost column (a usage log)."""
    shape = open_raw(con, path)
    fields = _fields(con)
    header = tuple(con.sql("SELECT * FROM raw LIMIT 0").columns)
    source = SpendSource(path, "", fields=fields, header=header)

    def find(*names: str) -> _Field | None:
        for name in names:
            hit = fields.get(name)
            if hit is not None and hit.type not in ("list",):
                return hit
        return None

    source.tag_column = find(*TAG_COLUMNS)
    if source.tag_column is not None and source.tag_column.type == "list":
        source.tag_column = None
    cost_sql = ""
    model = find("model", "model_name", "model_permaslug", "model_group", "model_id")
    tokens = {"input": find("prompt_tokens", "tokens_prompt", "input_tokens", "num_prompt_tokens"),
              "cached": find("input_cached_tokens", "cached_tokens", "native_tokens_cached", "tokens_cached",
                             "cache_read_input_tokens", "cached_input_tokens"),
              "output": find("completion_tokens", "tokens_completion", "output_tokens")}
    requests = find("num_model_requests", "requests", "request_count", "num_requests")
    time = find("start_time", "starting_at", "date", "usage_date_utc", "usage_date", "start_time_utc", "starttime",
                "created_at", "timestamp", "day")
    currency = find("billing_currency", "amount_currency", "currency")
    per_request = False
    if requests is not None:
        source.columns["requests_column"] = requests.label
    if find("billed_cost", "effective_cost") is not None and find("charge_period_start") is not None:
        source.kind = "focus"
        chosen = find("effective_cost" if cost_basis == "effective" else "billed_cost") or find("billed_cost")
        cost_sql, source.columns["cost"] = _money(chosen), chosen.label
        time = find("charge_period_start")
        details = find("sku_price_details")
        parts = []
        if source.tag_column is not None:
            parts.append(source.tag_sql("model"))
        if details is not None:
            parts += [source.json_value(details, k) for k in ("model", "Model", "ModelName", "x_ModelName", "x_Model")]
        for alt in (find("resource_name"), find("sku_id"), find("service_name")):
            if alt is not None:
                parts.append(f"CAST({alt.sql} AS VARCHAR)")
        model_sql = f"coalesce({', '.join(parts)})" if parts else "NULL"
        source.columns["model"] = "Tags.model / SkuPriceDetails.model / ResourceName"
        qty, unit = find("consumed_quantity"), find("consumed_unit")
        if qty is not None and unit is not None:
            kind = (f"lower(coalesce({source.json_value(details, 'token_type')}, "
                    f"{source.json_value(details, 'TokenType')}, {source.json_value(details, 'x_TokenType')}, ''))"
                    if details is not None else "''")
            is_tok = f"lower(CAST({unit.sql} AS VARCHAR)) LIKE '%token%'"
            q = f"coalesce(try_cast({qty.sql} AS DECIMAL(38, 6)), 0)"
            tok = {
                "input": f"CASE WHEN {is_tok} AND {kind} LIKE '%input%' AND {kind} NOT LIKE '%cache%' THEN {q} ELSE 0 END",
                "cached": f"CASE WHEN {is_tok} AND {kind} LIKE '%cache%' THEN {q} ELSE 0 END",
                "output": f"CASE WHEN {is_tok} AND {kind} LIKE '%output%' THEN {q} ELSE 0 END"}
            source.columns["tokens"] = f"{qty.label} ({unit.label} tokens, kind from SkuPriceDetails)"
        else:
            tok = {k: "0" for k in ("input", "cached", "output")}
        _create(con, source, time, model_sql, cost_sql, currency, "0", tok, fixed_currency=None)
        return source
    amount = find("amount_value")
    if amount is not None:
        source.kind = "openai-costs"
        line_item = find("line_item")
        model_sql = (f"nullif(trim(split_part(CAST({line_item.sql} AS VARCHAR), ',', 1)), '')"
                     if line_item is not None else "NULL")
        source.columns |= {"cost": amount.label, "model": "line_item (before the comma)"}
        _create(con, source, time, model_sql, _money(amount), currency, "0", {}, fixed_currency=None)
        return source
    cents = find("amount_cents")
    if cents is not None or (find("cost_usd") is not None and (find("workspace") or find("token_type"))):
        source.kind = "anthropic-costs"
        if cents is not None:
            cost_sql = f"{_money(cents)} / 100"
            source.columns["cost"] = "amount (cents)"
        else:
            cost_sql = _money(find("cost_usd"))
            source.columns["cost"] = "cost_usd"
        _create(con, source, time, _col(model), cost_sql, currency, "0", {}, fixed_currency="USD")
        return source
    or_cost = find("cost_total", "total_cost")
    if find("model_permaslug") is not None or find("generation_id") is not None or or_cost is not None:
        source.kind = "openrouter"
        chosen = or_cost or find("usage", "cost", "cost_usd")
        if chosen is None:
            return None
        per_request = requests is None
        source.columns["cost"] = chosen.label
        _create(con, source, time, _col(model), _money(chosen), currency,
                "1" if per_request else _num_sql(requests), tokens, fixed_currency="USD")
        return source
    spend = find("spend")
    if spend is not None:
        source.kind = "litellm"
        time = find("start_time", "starttime", "created_at", "date") or time
        source.columns["cost"] = spend.label
        _create(con, source, time, _col(model), _money(spend), currency,
                _num_sql(requests) if requests is not None else "1", tokens, fixed_currency="USD")
        return source
    year, month = find("year"), find("month")
    generic = find("cost", "cost_usd", "total_cost_usd", "amount", "billed_cost_usd")
    if generic is not None and year is not None and month is not None:
        source.kind = "warehouse"
        time_sql = (f"make_timestamptz(CAST({year.sql} AS INTEGER), CAST({month.sql} AS INTEGER), 1, 0, 0, 0)")
        source.columns |= {"cost": generic.label, "time": f"{year.label}, {month.label}"}
        _create(con, source, None, _col(model), _money(generic), currency,
                _num_sql(requests) if requests is not None else "0", tokens, fixed_currency=None, time_sql=time_sql)
        return source
    if generic is not None:
        source.kind = "together" if "together" in path.name.lower() else "cost-export"
        source.columns["cost"] = generic.label
        _create(con, source, time, _col(model), _money(generic), currency,
                _num_sql(requests) if requests is not None else "0", tokens, fixed_currency=None)
        return source
    del shape
    return None


def _money(f: _Field) -> str:
    """An amount as an exact DECIMAL: text ('0.0123', '$1,234.50') or a number."""
    if f.type in ("varchar", "json"):
        text = f"replace(replace(trim(CAST({f.sql} AS VARCHAR)), ',', ''), '$', '')"
        return f"try_cast({text} AS DECIMAL(38, 12))"
    return f"try_cast({f.sql} AS DECIMAL(38, 12))"


def _col(f: _Field | None) -> str:
    return f"CAST({f.sql} AS VARCHAR)" if f is not None else "NULL"


def _create(con, source: SpendSource, time: _Field | None, model_sql: str, cost_sql: str,
            currency: _Field | None, requests_sql: str, tokens: dict, *, fixed_currency: str | None,
            time_sql: str | None = None) -> None:
    if time_sql is None:
        if time is None:
            raise ActualsSourceError(f"{source.path}: no date or time column (looked for start_time, date, "
                                     f"ChargePeriodStart, created_at …); it has {', '.join(source.header)}")
        time_sql = f"CAST({time.sql} AS TIMESTAMP)" if time.type.startswith("timestamp") else _time_sql(time)
        source.columns["time"] = time.label
    if currency is not None:
        currency_sql = f"upper(coalesce(nullif(trim(CAST({currency.sql} AS VARCHAR)), ''), 'USD'))"
        source.columns["currency"] = currency.label
    else:
        currency_sql = f"'{fixed_currency or 'USD'}'"
    token_sql = {}
    for kind in ("input", "cached", "output"):
        value = tokens.get(kind)
        if isinstance(value, str):
            token_sql[kind] = value
        elif value is not None:
            token_sql[kind] = f"coalesce({_num_sql(value)}, 0)"
            source.columns[f"{kind}_tokens"] = value.label
        else:
            token_sql[kind] = "0"
    for dim in DIMENSIONS:
        for candidate in DIMENSION_CANDIDATES[dim]:
            hit = source.dimension_sql(candidate)
            if hit is not None:
                source.dimensions[dim] = (candidate, hit[1])
                break
        else:
            if source.tag_column is not None:
                source.dimensions[dim] = (f"tag:{dim}", f"{source.tag_column.label}.{dim}")
    source.columns.setdefault("requests", "one a row" if requests_sql == "1" else
                              ("none" if requests_sql == "0" else "request count column"))
    source.exprs = {"ts": time_sql, "model": model_sql, "cost": cost_sql, "currency": currency_sql,
                    "requests": requests_sql, "input_tokens": token_sql["input"],
                    "cached_tokens": token_sql["cached"], "output_tokens": token_sql["output"]}
