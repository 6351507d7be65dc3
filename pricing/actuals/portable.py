"""The aggregation the app runs, as standard SQL for a warehouse's own engine.

A platform team's raw logs live in a warehouse table; ``tokenbudget actuals --print-sql`` prints
the query that aggregates them per month, model, matching dimension and currency (requests,
tokens by kind, billed cost) using only ANSI constructs Spark, Trino, BigQuery and Snowflake all
run: ``EXTRACT(YEAR FROM …)``, ``CAST``, ``COALESCE``, ``SUM``, ``COUNT(*)``, ``GROUP BY`` on
the expressions.  Its result (a few thousand rows) saved as CSV is a source the app loads (kind
``warehouse``).  A dimension read from a JSON tags column uses ``JSON_EXTRACT_SCALAR`` (Trino,
BigQuery); a comment names the Spark and Snowflake spellings.
"""

from __future__ import annotations

import re

from pricing.actuals.rules import MatchRules
from pricing.actuals.sources import DIMENSIONS, SpendSource


def _ident(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def portable_sql(source: SpendSource, rules: MatchRules, table: str = "usage_logs") -> str:
    cols = source.columns
    notes = [f"-- Aggregate {source.kind} rows of {table} per month, model and tag; save the result as CSV",
             "-- and load it with: tokenbudget actuals PLAN result.csv"]

    def col(key: str, default: str = "NULL") -> str:
        label = cols.get(key)
        if not label or " " in label or "(" in label:
            return default
        return _ident(label.split(".")[0]) if "." not in label else _ident(label.replace(".", "_"))

    ts = col("time", "event_time")
    if source.kind in ("openai-costs",) or (source.fields.get("start_time") and source.fields["start_time"].type
                                            in ("double", "bigint", "integer")):
        notes.append(f"-- {ts} holds Unix seconds here: wrap it in your engine's from-epoch function first")
    dims = []
    for dim in DIMENSIONS:
        spec = rules.dimensions.get(dim) or (source.dimensions.get(dim) or ("", ""))[0]
        if spec.startswith("tag:"):
            tags = source.tag_column.label if source.tag_column else "tags"
            key = spec[4:]
            dims.append((dim, f"JSON_EXTRACT_SCALAR({_ident(tags)}, '$.{key}')"))
            notes.append(f"-- {dim}: the {key!r} key of {tags} (Spark: get_json_object; Snowflake: "
                         f"JSON_EXTRACT_PATH_TEXT({tags}, '{key}'))")
        elif spec:
            hit = source.dimension_sql(spec)
            dims.append((dim, _ident(hit[1]) if hit else "NULL"))
        else:
            dims.append((dim, "CAST(NULL AS VARCHAR(1))"))
    model = col("model", "model")
    cost = col("cost", "cost")
    if source.kind == "openai-costs":
        model = "line_item"
    if source.kind == "focus":
        tags = source.tag_column.label if source.tag_column else "Tags"
        model = f"JSON_EXTRACT_SCALAR({_ident(tags)}, '$.model')"
        notes.append(f"-- model: the 'model' key of {tags} (or of SkuPriceDetails, where your bills put it)")
    requests = "COUNT(*)" if cols.get("requests") == "one a row" else (
        f"SUM({_ident(cols['requests_column'])})" if "requests_column" in cols else "0")
    tokens = {k: (f"SUM(COALESCE({_ident(cols[f'{k}_tokens'])}, 0))" if f"{k}_tokens" in cols else "0")
              for k in ("input", "cached", "output")}
    currency = col("currency", "'USD'")
    keys = [f"EXTRACT(YEAR FROM {ts})", f"EXTRACT(MONTH FROM {ts})", model] + [e for _, e in dims] + [currency]
    select = [f"CAST(EXTRACT(YEAR FROM {ts}) AS INTEGER) AS year",
              f"CAST(EXTRACT(MONTH FROM {ts}) AS INTEGER) AS month",
              f"{model} AS model"] + [f"{e} AS {d}" for d, e in dims] + [
              f"{currency} AS currency", f"{requests} AS requests",
              f"{tokens['input']} AS input_tokens", f"{tokens['cached']} AS cached_tokens",
              f"{tokens['output']} AS output_tokens", f"SUM({cost}) AS cost"]
    body = ("SELECT " + ",\n       ".join(select) + f"\nFROM {_ident(table)}\nGROUP BY "
            + ",\n         ".join(k for k in keys if not _constant(k)) + ";")
    return "\n".join(notes) + "\n" + body + "\n"


def _constant(expr: str) -> bool:
    return expr.startswith(("CAST(NULL", "NULL", "'")) or expr == "0"
