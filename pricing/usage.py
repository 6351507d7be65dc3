"""Measured token usage from logs: per model and tag, volumes and token statistics.

Reads JSON Lines of OpenAI-compatible API responses or log entries (``model``,
``usage.prompt_tokens``, ``usage.completion_tokens``,
``usage.prompt_tokens_details.cached_tokens``, a ``created`` epoch, ``created_at`` or ISO
``timestamp``, tags at the top level or under ``metadata``; a ``response`` object wrapping them
works too), Responses-API usage (``input_tokens``, ``input_tokens_details.cached_tokens``,
``output_tokens_details.reasoning_tokens``), Anthropic-style usage (``input_tokens``, ``cache_read_input_tokens``,
``cache_creation_input_tokens``, ``output_tokens``), and CSV or Parquet exports with
those columns.  DuckDB streams the file (constant memory, a memory limit set) and
computes exact sums and exact quantiles (``quantile_cont``: linear interpolation).

Conventions, kept apart and reported:
- OpenAI-compatible ``prompt_tokens`` already *includes* ``cached_tokens``: the prompt is
  prompt_tokens, the cached share is cached / prompt (cached is never added on top).
  Reasoning tokens are part of ``completion_tokens`` and are not added again.  The Responses
  API's ``input_tokens`` follow the same rule; its ``*_tokens_details`` objects tell it apart.
- Anthropic-style ``input_tokens`` *excludes* cache reads and writes: the prompt is
  input + cache_read + cache_creation, the cached share is cache_read / prompt.

Requests per day divide a group's requests by the calendar days the whole log covers
(first to last day, UTC, inclusive); a month is projected as 30.4375 days (365.25 / 12).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pricing.models import DeploymentMode, Workload
from pricing.rates import RateBook

DAYS_PER_MONTH = Decimal("30.4375")
MONTH_BASIS = "requests per day × 30.4375 (365.25 / 12, an average month)"
_USAGE = ("STRUCT(prompt_tokens BIGINT, completion_tokens BIGINT, total_tokens BIGINT, "
          "prompt_tokens_details STRUCT(cached_tokens BIGINT), "
          "completion_tokens_details STRUCT(reasoning_tokens BIGINT), "
          "input_tokens BIGINT, output_tokens BIGINT, cache_read_input_tokens BIGINT, "
          "cache_creation_input_tokens BIGINT, "
          "input_tokens_details STRUCT(cached_tokens BIGINT), "
          "output_tokens_details STRUCT(reasoning_tokens BIGINT))")
_KNOWN = {"model", "created", "created_at", "timestamp", "usage", "metadata", "response"}


class UsageLogError(Exception):
    """A log that cannot be read at all; the message names the file and the reason."""


class UsageCancelled(Exception):
    """The user stopped reading a log (its ``cancel`` callable answered True)."""


#: Seconds between looks at the cancel callable while DuckDB reads a log.
CANCEL_POLL = 0.1


@dataclass
class UsageGroup:
    model: str
    tags: dict[str, str]
    requests: int
    first_seen: datetime | None
    last_seen: datetime | None
    requests_per_day: Decimal
    requests_per_month: Decimal
    input_mean: Decimal
    input_p50: Decimal
    input_p95: Decimal
    output_mean: Decimal
    output_p50: Decimal
    output_p95: Decimal
    #: Cached prompt tokens / all prompt tokens (token-weighted).
    cached_share: Decimal
    input_tokens: int
    output_tokens: int
    cached_tokens: int
    cache_write_tokens: int
    reasoning_tokens: int

    @property
    def label(self) -> str:
        tags = ", ".join(f"{k}={v}" for k, v in self.tags.items())
        return f"{self.model} [{tags}]" if tags else self.model

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in self.__dict__.items():
            if isinstance(value, Decimal):
                out[key] = format(value, "f")
            elif isinstance(value, datetime):
                out[key] = value.isoformat()
            else:
                out[key] = value
        return out


@dataclass
class UsageStats:
    path: Path
    by: list[str]
    records: int
    #: Records without a model or token counts (malformed lines included).
    skipped: int
    #: 'openai', 'anthropic' or 'mixed' (and how many records each).
    convention: str
    convention_counts: dict[str, int]
    first: datetime | None
    last: datetime | None
    days_covered: int
    groups: list[UsageGroup] = field(default_factory=list)
    month_basis: str = MONTH_BASIS

    @property
    def convention_note(self) -> str:
        notes = {
            "openai": "OpenAI-compatible usage: prompt (input) tokens already include cached tokens "
                      "(cached share = cached / prompt); reasoning tokens are inside the completion tokens",
            "anthropic": "Anthropic-style usage: input_tokens exclude cache reads and writes "
                         "(prompt = input + cache_read + cache_creation; cached share = cache_read / prompt)",
            "mixed": "both conventions occur: OpenAI-compatible records ({openai}) and Anthropic-style records "
                     "({anthropic}), each counted by its own rule",
            "none": "no usage records found",
        }
        return notes[self.convention].format(**{k: f"{v:,}" for k, v in self.convention_counts.items()})

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path), "by": self.by, "records": self.records, "skipped": self.skipped,
            "convention": self.convention, "convention_note": self.convention_note,
            "convention_counts": self.convention_counts,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "days_covered": self.days_covered, "month_basis": self.month_basis,
            "groups": [g.as_dict() for g in self.groups],
        }


def read_usage(path: Path | str, by: list[str] | tuple[str, ...] = (), *, memory_limit: str = "1GB",
               threads: int | None = None, cancel=None) -> UsageStats:
    """Aggregate a usage log per model and per tag in ``by`` (e.g. ['feature']).

    ``cancel`` is a callable polled from a watcher thread while DuckDB runs; when it answers
    True the running query is interrupted and :class:`UsageCancelled` raised.
    """
    import duckdb

    path = Path(path)
    if not path.is_file():
        raise UsageLogError(f"{path}: no such file")
    by = [b.strip() for b in by if b.strip()]
    for tag in by:
        if not tag.replace("_", "").replace("-", "").isalnum():
            raise UsageLogError(f"{path}: cannot group by {tag!r} (use a plain tag name such as feature)")
    con = duckdb.connect(config={"memory_limit": memory_limit})
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    done = threading.Event()
    watcher = None
    if cancel is not None:
        def watch() -> None:
            while not done.wait(CANCEL_POLL):
                if cancel():
                    con.interrupt()
                    return

        watcher = threading.Thread(target=watch, name="usage-cancel", daemon=True)
        watcher.start()
    try:
        _normalized_view(con, path, by)
        stats = _aggregate(con, path, by)
    except duckdb.InterruptException:
        raise UsageCancelled(f"{path.name}: reading the usage log was cancelled") from None
    except duckdb.Error as exc:
        if cancel is not None and cancel():
            raise UsageCancelled(f"{path.name}: reading the usage log was cancelled") from None
        raise UsageLogError(f"{path}: cannot read the log ({str(exc).splitlines()[0][:300]})") from None
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
        con.close()
    if cancel is not None and cancel():
        raise UsageCancelled(f"{path.name}: reading the usage log was cancelled")
    return stats


def _kind(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".gz", ".zst"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    return "json"


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _normalized_view(con, path: Path, by: list[str]) -> None:
    """A view u(model, ts, prompt, output, cached, cache_write, reasoning, conv, tag_*) over the log."""
    kind = _kind(path)
    if kind == "json":
        columns = {"model": "VARCHAR", "created": "DOUBLE", "created_at": "VARCHAR", "timestamp": "VARCHAR",
                   "usage": _USAGE, "metadata": "JSON",
                   "response": f"STRUCT(model VARCHAR, created DOUBLE, created_at VARCHAR, usage {_USAGE})"}
        for tag in by:
            columns.setdefault(tag, "VARCHAR")
        spec = "{" + ", ".join(f"{_sql_str(k)}: {_sql_str(v)}" for k, v in columns.items()) + "}"
        con.execute(f"CREATE VIEW raw AS SELECT * FROM read_json({_sql_str(str(path))}, format='newline_delimited', "
                    f"columns={spec}, ignore_errors=true, maximum_object_size=16777216)")
        tag_sql = ", ".join(
            f"coalesce(CAST({_q(t)} AS VARCHAR), json_extract_string(metadata, {_sql_str('$.' + t)}), '') AS {_q('tag_' + t)}"
            if t not in _KNOWN else f"coalesce(json_extract_string(metadata, {_sql_str('$.' + t)}), '') AS {_q('tag_' + t)}"
            for t in by)
        # OpenAI's Responses API names its counts input_tokens / output_tokens like Anthropic, but its
        # input_tokens include cached tokens: its *_tokens_details objects tell it apart.
        responses = ("(us.prompt_tokens IS NULL AND us.input_tokens IS NOT NULL "
                     "AND (us.input_tokens_details IS NOT NULL OR us.output_tokens_details IS NOT NULL) "
                     "AND us.cache_read_input_tokens IS NULL AND us.cache_creation_input_tokens IS NULL)")
        con.execute(f"""
            CREATE VIEW u AS
            WITH r AS (
                SELECT coalesce(model, response.model) AS model,
                       coalesce(usage, response.usage) AS us,
                       coalesce(created, response.created) AS created_s,
                       coalesce(timestamp, created_at, response.created_at) AS ts_text, metadata{', ' + ', '.join(_q(t) for t in by if t not in _KNOWN) if [t for t in by if t not in _KNOWN] else ''}
                FROM raw),
            c AS (SELECT *, CASE WHEN us.prompt_tokens IS NOT NULL OR {responses} THEN 'openai'
                                 WHEN us.input_tokens IS NOT NULL THEN 'anthropic' END AS conv FROM r)
            SELECT model,
                   coalesce(CASE WHEN created_s > 1e11 THEN to_timestamp(created_s / 1000)
                                 WHEN created_s IS NOT NULL THEN to_timestamp(created_s) END,
                            try_cast(ts_text AS TIMESTAMPTZ),
                            CASE WHEN try_cast(ts_text AS DOUBLE) >= 1e8 THEN try(to_timestamp(try_cast(ts_text AS DOUBLE))) END) AS ts,
                   conv,
                   CASE WHEN conv = 'openai' THEN coalesce(us.prompt_tokens, us.input_tokens)
                        ELSE us.input_tokens + coalesce(us.cache_read_input_tokens, 0)
                             + coalesce(us.cache_creation_input_tokens, 0) END AS prompt,
                   coalesce(us.completion_tokens, us.output_tokens) AS output,
                   CASE WHEN conv = 'openai' THEN coalesce(us.prompt_tokens_details.cached_tokens,
                                                           us.input_tokens_details.cached_tokens, 0)
                        ELSE coalesce(us.cache_read_input_tokens, 0) END AS cached,
                   CASE WHEN conv = 'openai' THEN 0
                        ELSE coalesce(us.cache_creation_input_tokens, 0) END AS cache_write,
                   coalesce(us.completion_tokens_details.reasoning_tokens,
                            us.output_tokens_details.reasoning_tokens, 0) AS reasoning
                   {', ' + tag_sql if tag_sql else ''}
            FROM c""")
        return
    reader = "read_parquet" if kind == "parquet" else "read_csv"
    options = "" if kind == "parquet" else ", header=true, auto_detect=true, sample_size=20480"
    con.execute(f"CREATE VIEW raw AS SELECT * FROM {reader}({_sql_str(str(path))}{options})")
    names = {str(row[0]).lower(): str(row[0]) for row in con.execute("DESCRIBE raw").fetchall()}

    def col(*candidates: str) -> str | None:
        for candidate in candidates:
            for variant in (candidate, "usage." + candidate, "usage_" + candidate):
                if variant in names:
                    return _q(names[variant])
        return None

    model = col("model", "model_name", "model_id")
    prompt = col("prompt_tokens", "input_tokens_total")
    input_only = col("input_tokens")
    output = col("completion_tokens", "output_tokens")
    cached = col("prompt_tokens_details.cached_tokens", "cached_tokens", "cache_read_input_tokens")
    cache_read = col("cache_read_input_tokens")
    cache_write = col("cache_creation_input_tokens")
    reasoning = col("completion_tokens_details.reasoning_tokens", "reasoning_tokens")
    created = col("created")
    stamp = col("timestamp", "time", "date", "datetime", "created_at")
    if model is None or output is None or (prompt is None and input_only is None):
        raise UsageLogError(f"{path}: needs columns model, prompt_tokens (or input_tokens) and completion_tokens "
                            f"(or output_tokens); it has {', '.join(names.values())}")
    anthropic = prompt is None and (cache_read is not None or cache_write is not None)
    if anthropic:
        prompt_sql = f"{input_only} + coalesce({cache_read or 0}, 0) + coalesce({cache_write or 0}, 0)"
        cached_sql, write_sql, conv = f"coalesce({cache_read or 0}, 0)", f"coalesce({cache_write or 0}, 0)", "'anthropic'"
    else:
        prompt_sql = prompt or input_only
        cached_sql, write_sql, conv = f"coalesce({cached or 0}, 0)", "0", "'openai'"
    ts_parts = []
    if created:
        ts_parts.append(f"CASE WHEN try_cast({created} AS DOUBLE) > 1e11 THEN to_timestamp(try_cast({created} AS DOUBLE) / 1000) "
                        f"ELSE to_timestamp(try_cast({created} AS DOUBLE)) END")
    if stamp:
        ts_parts.append(f"try_cast(CAST({stamp} AS VARCHAR) AS TIMESTAMPTZ)")
    ts_sql = f"coalesce({', '.join(ts_parts)})" if ts_parts else "CAST(NULL AS TIMESTAMPTZ)"
    tags = []
    for tag in by:
        found = col(tag, "metadata." + tag, "metadata_" + tag)
        tags.append(f"coalesce(CAST({found} AS VARCHAR), '') AS {_q('tag_' + tag)}" if found else f"'' AS {_q('tag_' + tag)}")
    con.execute(f"""
        CREATE VIEW u AS SELECT CAST({model} AS VARCHAR) AS model, {ts_sql} AS ts,
               CASE WHEN {prompt_sql} IS NOT NULL THEN {conv} END AS conv,
               try_cast({prompt_sql} AS BIGINT) AS prompt, try_cast({output} AS BIGINT) AS output,
               try_cast({cached_sql} AS BIGINT) AS cached, try_cast({write_sql} AS BIGINT) AS cache_write,
               coalesce(try_cast({reasoning or 0} AS BIGINT), 0) AS reasoning
               {', ' + ', '.join(tags) if tags else ''}
        FROM raw""")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _aggregate(con, path: Path, by: list[str]) -> UsageStats:
    """One pass over the log: per group sums, exact quantiles and counts; invalid records apart."""
    valid = "model IS NOT NULL AND prompt IS NOT NULL AND output IS NOT NULL"
    tag_cols = [_q("tag_" + t) for t in by]
    keys = ", ".join(["model"] + tag_cols)
    nulled = ", ".join(f"CASE WHEN ok THEN {k} END AS {k}" for k in ["model"] + tag_cols)
    rows = con.execute(f"""
        WITH v AS (SELECT ({valid}) AS ok, * FROM u),
             k AS (SELECT ok, {nulled}, ts, conv, prompt, output, cached, cache_write, reasoning FROM v)
        SELECT ok, {keys}, count(*) AS n, min(ts), max(ts),
               CAST(sum(prompt) AS HUGEINT), quantile_cont(prompt, 0.5), quantile_cont(prompt, 0.95),
               CAST(sum(output) AS HUGEINT), quantile_cont(output, 0.5), quantile_cont(output, 0.95),
               CAST(sum(cached) AS HUGEINT), CAST(sum(cache_write) AS HUGEINT), CAST(sum(reasoning) AS HUGEINT),
               count(*) FILTER (WHERE conv = 'openai'), count(*) FILTER (WHERE conv = 'anthropic')
        FROM k GROUP BY ok, {keys} ORDER BY n DESC, {keys}""").fetchall()
    width = 1 + len(by)
    good = [r for r in rows if r[0]]
    skipped = sum(r[1 + width] for r in rows if not r[0])
    records = sum(r[1 + width] for r in good)
    n_openai = sum(r[-2] for r in good)
    n_anthropic = sum(r[-1] for r in good)
    firsts = [r[2 + width] for r in good if r[2 + width] is not None]
    lasts = [r[3 + width] for r in good if r[3 + width] is not None]
    first, last = (min(firsts) if firsts else None), (max(lasts) if lasts else None)
    days = (last.date() - first.date()).days + 1 if first and last else 1
    convention = "none" if not records else "mixed" if n_openai and n_anthropic else \
        "anthropic" if n_anthropic else "openai"
    groups = []
    for row in good:
        row = row[1:]
        n = row[width]
        (first_seen, last_seen, sum_in, p50_in, p95_in, sum_out, p50_out, p95_out,
         sum_cached, sum_write, sum_reasoning) = row[width + 1:width + 12]
        per_day = Decimal(n) / Decimal(days)
        groups.append(UsageGroup(
            model=row[0], tags={t: row[1 + i] for i, t in enumerate(by)}, requests=n,
            first_seen=first_seen, last_seen=last_seen,
            requests_per_day=per_day, requests_per_month=per_day * DAYS_PER_MONTH,
            input_mean=Decimal(int(sum_in)) / n, input_p50=_dec(p50_in), input_p95=_dec(p95_in),
            output_mean=Decimal(int(sum_out)) / n, output_p50=_dec(p50_out), output_p95=_dec(p95_out),
            cached_share=Decimal(int(sum_cached)) / Decimal(int(sum_in)) if sum_in else Decimal(0),
            input_tokens=int(sum_in), output_tokens=int(sum_out), cached_tokens=int(sum_cached),
            cache_write_tokens=int(sum_write), reasoning_tokens=int(sum_reasoning),
        ))
    return UsageStats(path, list(by), records, skipped, convention,
                      {"openai": n_openai, "anthropic": n_anthropic}, first, last, days, groups)


def _dec(value: float | None) -> Decimal:
    return Decimal(0) if value is None else Decimal(repr(float(value)))  # float ok: DuckDB means and quantiles


def usage_to_workloads(stats: UsageStats, *, catalog: RateBook | None = None,
                       mode: DeploymentMode = DeploymentMode.SERVERLESS,
                       groups: list[UsageGroup] | None = None) -> list[Workload]:
    """One workload per group: mean tokens (whole tokens), cached share, projected requests per month.

    Tags named tenant, feature or environment fill those fields; the model is matched against
    ``catalog`` (when given) so the workload prices at once.
    """
    out = []
    for group in groups if groups is not None else stats.groups:
        model = group.model
        if catalog is not None:
            rate = catalog.get(model)
            if rate is not None:
                model = rate.id
        out.append(Workload(
            name=group.label,
            model=model,
            mode=mode,
            input_tokens=group.input_mean.quantize(Decimal(1), ROUND_HALF_UP),
            output_tokens=group.output_mean.quantize(Decimal(1), ROUND_HALF_UP),
            cached_share=group.cached_share.quantize(Decimal("0.0001"), ROUND_HALF_UP),
            requests_per_month=group.requests_per_month.quantize(Decimal(1), ROUND_HALF_UP),
            tenant=group.tags.get("tenant", ""), feature=group.tags.get("feature", ""),
            environment=group.tags.get("environment", "") or group.tags.get("env", ""),
            notes=f"measured in {stats.path.name}: {group.requests:,} requests over {stats.days_covered} day(s)",
        ))
    return out


def dumps(stats: UsageStats) -> str:
    return json.dumps(stats.as_dict(), indent=2, ensure_ascii=False)
