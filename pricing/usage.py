"""Measured token usage from logs: per model and tag, volumes and token statistics.

What is read (DuckDB streams the file: constant memory, a memory limit set; exact sums and exact
quantiles, ``quantile_cont``: linear interpolation):

- JSON Lines of API responses or log entries, with a fixed schema: OpenAI-compatible
  ``usage.prompt_tokens`` / ``completion_tokens`` / ``prompt_tokens_details.cached_tokens``,
  Responses-API ``usage.input_tokens`` / ``input_tokens_details.cached_tokens``, Anthropic-style
  ``usage.input_tokens`` / ``cache_read_input_tokens`` / ``cache_creation_input_tokens`` /
  ``output_tokens``; a ``created`` epoch, ``created_at`` or ISO ``timestamp``; tags at the top level
  or under ``metadata``; a ``response`` object wrapping them works too.
- CSV, Parquet (struct columns flattened: ``usage.prompt_tokens``) and JSON Lines whose records
  carry the counts at the top level: columns are found by name among the candidates below, names
  normalised for matching only (case, spaces, hyphens, dots, camelCase: ``Prompt Tokens``,
  ``prompt-tokens``, ``usage.promptTokens`` all match ``prompt_tokens``; ``Timestamp (UTC)``
  matches ``timestamp_utc``).  The note shown before import names the columns read.
- Pages of OpenAI's organization usage API (``{"object": "page", "data": [{"start_time",
  "end_time", "results": [...]}]}``), one page per file (pretty-printed or not) or one per line.

Aggregated rows.  A log with a request-count column (``num_model_requests``, ``requests``,
``request_count``, ``num_requests``, ``api_requests``, ``calls``, ...; see REQUEST_COUNT_COLUMNS)
has one row per bucket: requests = the sum of the counts, token totals = the sums of the token
columns (already totals, never multiplied), means = totals / requests.  Per-request p50 / p95 cannot
be had from totals and are None.  Rows whose count is missing are skipped.  Without such a column
each row is one request.

Conventions, kept apart and reported:
- OpenAI-compatible prompt tokens already *include* cached tokens: the prompt is prompt_tokens, the
  cached share is cached / prompt (cached is never added on top).  Reasoning tokens are part of the
  completion tokens and are not added again.  ``input_tokens`` follow this rule when the cached
  column is named the OpenAI way (``input_tokens_details.cached_tokens``, ``input_cached_tokens``,
  ``cached_input_tokens``, ``cached_tokens``) or an explicit uncached column stands beside them:
  OpenAI's usage export and Responses API.
- Anthropic-style ``input_tokens`` *exclude* cache reads and writes: the prompt is
  input + cache_read + cache_creation, the cached share is cache_read / prompt.  Chosen when the
  cache columns are named the Anthropic way (``cache_read_input_tokens``, ``cache_read_tokens``,
  ``cache_creation_*``) or the input column says it is uncached (``uncached_input_tokens``).
- ``input_tokens`` with no cache column at all: the prompt is the same either way (read as OpenAI).
Rows with more cached than prompt tokens under the OpenAI rule are counted and pointed out.

Days covered (requests per day = a group's requests / the days the whole log covers; a month is
projected as 30.4375 days, 365.25 / 12):
- per-request logs: calendar days from the first to the last request (UTC, inclusive);
- bucketed logs with an end column: first start to last end, rounded up to whole days; an end at
  midnight is exclusive (one daily bucket is 1 day, thirty are 30), a date-only end inclusive;
  empty buckets of usage-API pages count too; ``last`` is the last instant covered;
- bucketed logs without an end column: calendar days from the first to the last bucket start
  (right for daily buckets, short by one bucket for weekly or monthly ones).

Not read: billing exports with one row per meter or SKU (``gpt-4o input tokens`` as a row with a
quantity), logs with only ``total_tokens``, pretty-printed JSON arrays of records.  Aggregated
reports without a request-count column are read one row per request; when the input column says it
is uncached (Anthropic's usage report) a note says so.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
    #: p50 / p95 per request; None for bucketed logs (totals per bucket say nothing of single requests).
    input_p50: Decimal | None
    input_p95: Decimal | None
    output_mean: Decimal
    output_p50: Decimal | None
    output_p95: Decimal | None
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
    #: Requests the records stand for: the records themselves, or the sum of a request-count column.
    requests: int = 0
    #: The column counting requests per row (a bucketed export), or None (each row one request).
    request_count_column: str | None = None
    #: Tabular logs: which column was read for what (model, prompt, output, cached, requests, time, ...).
    columns: dict[str, str] = field(default_factory=dict)
    #: Warnings about the file shown with the convention (e.g. cached above prompt tokens).
    notes: list[str] = field(default_factory=list)

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
        text = notes[self.convention].format(**{k: f"{v:,}" for k, v in self.convention_counts.items()})
        if self.request_count_column:
            text += (f". Each row totals a bucket of requests: {self.requests:,} requests counted from column "
                     f"{self.request_count_column!r} in {self.records:,} rows; means are token totals / requests, "
                     "p50/p95 cannot be measured from totals")
        if self.columns:
            text += ". Columns read: " + ", ".join(f"{k} = {v!r}" for k, v in self.columns.items())
        return "; ".join([text] + self.notes)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path), "by": self.by, "records": self.records, "skipped": self.skipped,
            "convention": self.convention, "convention_note": self.convention_note,
            "convention_counts": self.convention_counts,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "days_covered": self.days_covered, "month_basis": self.month_basis,
            "requests": self.requests, "request_count_column": self.request_count_column,
            "columns": self.columns, "notes": self.notes,
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
        source = _normalized_view(con, path, by)
        stats = _aggregate(con, path, by, source)
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


def _norm(name: str) -> str:
    """A column name as matched: ``Prompt Tokens``, ``prompt-tokens``, ``promptTokens`` → ``prompt_tokens``."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name))
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


# Column candidates for tabular logs, as normalised names, best first.  Each is also looked for
# under a usage_ / response_usage_ / response_ prefix (a flattened ``usage.prompt_tokens``).
MODEL_COLUMNS = ("model", "model_name", "model_id", "model_slug", "deployment", "deployment_name", "engine",
                 "model_group")
#: Prompt tokens that include cached tokens (OpenAI convention).
PROMPT_COLUMNS = ("prompt_tokens", "prompt_token_count", "input_tokens_total", "total_input_tokens",
                  "tokens_prompt", "num_prompt_tokens")
#: ``input_tokens``: OpenAI usage export and Responses API include cached tokens, Anthropic excludes them;
#: which one is decided by the cache columns next to it (see :func:`_tabular_view`).
INPUT_COLUMNS = ("input_tokens", "input_token_count", "num_input_tokens", "tokens_input")
#: Input tokens that exclude cache reads and writes whoever wrote them.
UNCACHED_COLUMNS = ("uncached_input_tokens", "input_uncached_tokens", "input_tokens_uncached",
                    "input_tokens_no_cache", "non_cached_input_tokens", "input_no_cache_tokens")
OUTPUT_COLUMNS = ("completion_tokens", "output_tokens", "completion_token_count", "output_token_count",
                  "candidates_token_count", "tokens_completion", "num_completion_tokens", "num_output_tokens")
#: Cached tokens named the OpenAI way: a share of prompt / input tokens.
CACHED_COLUMNS = ("prompt_tokens_details_cached_tokens", "input_tokens_details_cached_tokens", "cached_tokens",
                  "input_cached_tokens", "cached_input_tokens", "cached_prompt_tokens", "prompt_cached_tokens",
                  "prompt_tokens_cached", "input_tokens_cached", "cached_content_token_count", "tokens_cached")
#: Cache reads named the Anthropic way: on top of input_tokens.
CACHE_READ_COLUMNS = ("cache_read_input_tokens", "cache_read_tokens", "input_cache_read_tokens",
                      "input_tokens_cache_read", "cache_read")
#: Cache writes: one total column, or failing that the parts summed (per retention period).
CACHE_WRITE_COLUMNS = ("cache_creation_input_tokens", "cache_creation_tokens", "cache_write_input_tokens",
                       "cache_write_tokens", "input_cache_creation_tokens", "input_tokens_cache_write")
CACHE_WRITE_PARTS = (("cache_creation_ephemeral_5m_input_tokens", "cache_creation_ephemeral_1h_input_tokens"),
                     # OpenAI's usage export: 30-minute and 12-hour cache writes, both inside input_tokens.
                     ("input_cache_write_tokens", "input_cache_write_12h_tokens"),
                     ("input_tokens_cache_write_5m", "input_tokens_cache_write_1h"))
REASONING_COLUMNS = ("completion_tokens_details_reasoning_tokens", "output_tokens_details_reasoning_tokens",
                     "reasoning_tokens", "tokens_reasoning")
#: A requests count per row: the row totals a bucket of requests.
REQUEST_COUNT_COLUMNS = ("num_model_requests", "num_requests", "n_requests", "number_of_requests",
                         "request_count", "requests_count", "requests", "total_requests", "api_requests",
                         "num_api_requests", "api_calls", "call_count", "calls_count", "num_calls", "n_calls", "calls")
TIME_COLUMNS = ("created", "created_at", "timestamp", "timestamp_utc", "time", "time_utc", "datetime", "date",
                "date_utc", "start_time", "starttime", "start_time_utc", "start_time_iso", "starting_at",
                "start", "start_date", "period_start", "bucket_start", "bucket_start_time", "time_bucket",
                "request_time", "request_timestamp", "ts", "usage_date", "usage_date_utc", "usage_start_time",
                "day", "event_time", "logged_at", "created_time")
#: Bucketed logs: the bucket's start first; when a row was written (created_at, ...) only failing that.
BUCKET_TIME_COLUMNS = ("start_time", "starttime", "start_time_utc", "start_time_iso", "starting_at", "start",
                       "start_date", "period_start", "bucket_start", "bucket_start_time", "time_bucket",
                       "usage_start_time", "date", "date_utc", "usage_date", "usage_date_utc", "day", "timestamp",
                       "timestamp_utc", "time", "time_utc", "datetime", "created", "created_at")
END_COLUMNS = ("end_time", "endtime", "end_time_utc", "end_time_iso", "ending_at", "end", "end_date",
               "period_end", "bucket_end", "bucket_end_time", "usage_end_time")
_PREFIXES = ("", "usage_", "response_usage_", "response_")
_NUMERIC = {"tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint", "usmallint", "uinteger", "ubigint",
            "uhugeint", "float", "double", "decimal"}
#: The page objects of OpenAI's organization usage API: buckets of results.
_PAGE_RESULT = ("STRUCT(model VARCHAR, input_tokens BIGINT, output_tokens BIGINT, input_cached_tokens BIGINT, "
                "input_uncached_tokens BIGINT, input_cache_write_tokens BIGINT, input_cache_write_12h_tokens BIGINT, "
                "input_audio_tokens BIGINT, output_audio_tokens BIGINT, num_model_requests BIGINT, "
                "project_id VARCHAR, user_id VARCHAR, api_key_id VARCHAR, batch VARCHAR, service_tier VARCHAR, "
                "api_source VARCHAR)")
_PAGE = f"STRUCT(start_time DOUBLE, end_time DOUBLE, results {_PAGE_RESULT}[])[]"


@dataclass
class _Field:
    sql: str    # the expression reading it ("usage"."prompt_tokens")
    label: str  # the name the user sees (usage.prompt_tokens)
    type: str   # DuckDB type id (bigint, varchar, date, struct, ...)


@dataclass
class _Source:
    """What the normalised view reads, for the stats and the note shown before import."""
    columns: dict[str, str] = field(default_factory=dict)
    request_count: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Bounds of every bucket in usage-API pages (empty buckets too), when the file has them.
    span: tuple[datetime | None, datetime | None] = (None, None)

    @property
    def weighted(self) -> bool:
        return self.request_count is not None


def _json_shape(path: Path) -> str:
    """'lines' (one API response or log entry per line), 'flat' (token counts at the top level of each
    line) or 'pages' (OpenAI usage-API pages), from the first records."""
    name = path.name.lower()
    if name.endswith(".zst"):
        return "lines"
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            head = handle.read(1 << 16).decode("utf-8", "replace")
    except OSError:
        return "lines"
    for line in head.splitlines()[:50]:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, list) and record and isinstance(record[0], dict):
            record = record[0]
        if not isinstance(record, dict):
            continue
        if record.get("object") == "page" or (record.get("object") == "bucket" and "results" in record):
            return "pages"
        keys = {_norm(k) for k in record}
        if keys & {"usage", "response"}:
            return "lines"
        tokens = set(PROMPT_COLUMNS + INPUT_COLUMNS + UNCACHED_COLUMNS + OUTPUT_COLUMNS)
        return "flat" if keys & tokens else "lines"
    # No whole record in the first lines: a pretty-printed document.
    if re.search(r'"object"\s*:\s*"(page|bucket)"|"organization\.usage\.', head):
        return "pages"
    return "lines"


def _normalized_view(con, path: Path, by: list[str]) -> _Source:
    """A view u(model, ts, ts_end, n, prompt, output, cached, cache_write, reasoning, conv, tag_*) over the log.

    ``n`` is the requests a row stands for (1 unless the log has a request-count column), ``ts_end``
    the end of a bucket (bucketed logs with an end column only).
    """
    kind = _kind(path)
    source = _Source()
    if kind == "json":
        shape = _json_shape(path)
        if shape == "lines":
            _json_lines_view(con, path, by)
            return source
        if shape == "pages":
            _pages_view(con, path, source)
        else:
            con.execute(f"CREATE VIEW raw AS SELECT * FROM read_json({_sql_str(str(path))}, "
                        f"format='newline_delimited', ignore_errors=true, maximum_object_size=16777216)")
    else:
        reader = "read_parquet" if kind == "parquet" else "read_csv"
        options = "" if kind == "parquet" else ", header=true, auto_detect=true, sample_size=20480"
        con.execute(f"CREATE VIEW raw AS SELECT * FROM {reader}({_sql_str(str(path))}{options})")
    _tabular_view(con, path, by, source)
    return source


def _json_lines_view(con, path: Path, by: list[str]) -> None:
    """API responses or log entries, one per line, read with a fixed schema (each line one request)."""
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
               coalesce({_epoch('created_s')}, try_cast(ts_text AS TIMESTAMPTZ),
                        {_epoch('try_cast(ts_text AS DOUBLE)')}) AS ts,
               CAST(NULL AS TIMESTAMPTZ) AS ts_end, 1 AS n, conv,
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


def _pages_view(con, path: Path, source: _Source) -> None:
    """OpenAI organization usage-API pages as flat rows: one per bucket result."""
    spec = "{'data': " + _sql_str(_PAGE) + "}"
    con.execute(f"CREATE VIEW pages AS SELECT unnest(data) AS b FROM read_json({_sql_str(str(path))}, "
                f"format='auto', columns={spec}, maximum_object_size=268435456)")
    con.execute("CREATE VIEW raw AS SELECT start_time, end_time, r.* FROM "
                "(SELECT b.start_time AS start_time, b.end_time AS end_time, unnest(b.results) AS r FROM pages)")
    # Buckets without results are days (hours) of no use: they still belong to the span covered.
    first, last = con.execute(f"SELECT min({_epoch('b.start_time')}), max({_epoch('b.end_time')}) "
                              f"FROM pages").fetchone()
    source.span = (first, last)


def _fields(con) -> dict[str, _Field]:
    """Every column of ``raw`` by normalised name (struct fields flattened: usage.prompt_tokens → usage_prompt_tokens).
    When two names normalise alike, the first one wins."""
    rel = con.sql("SELECT * FROM raw")
    out: dict[str, _Field] = {}

    def add(path: list[str], dtype, depth: int) -> None:
        kind = dtype.id
        if kind == "struct" and depth < 4:
            for name, child in dtype.children:
                add(path + [str(name)], child, depth + 1)
            return
        key = "_".join(part for part in (_norm(p) for p in path) if part)
        if key:
            out.setdefault(key, _Field(".".join(_q(p) for p in path), ".".join(path), kind))

    for name, dtype in zip(rel.columns, rel.dtypes):
        add([str(name)], dtype, 0)
    return out


def _epoch(value: str) -> str:
    """Epoch seconds (or milli-, micro-, nanoseconds, told apart by size) as TIMESTAMPTZ.  Numbers below
    1e8 (before 1973: a latency, a day of the month) and absurd ones are NULL, not dates."""
    return (f"CASE WHEN {value} > 1e17 THEN try(to_timestamp({value} / 1e9)) "
            f"WHEN {value} > 1e14 THEN try(to_timestamp({value} / 1e6)) "
            f"WHEN {value} > 1e11 THEN try(to_timestamp({value} / 1e3)) "
            f"WHEN {value} >= 1e8 THEN try(to_timestamp({value})) END")


def _num_sql(f: _Field) -> str:
    """A token or request count as BIGINT; text such as ``1,234`` or ``12.0`` read too, anything else NULL."""
    if f.type in _NUMERIC:
        return f"try_cast({f.sql} AS BIGINT)"
    return f"try_cast(round(try_cast(replace(trim(CAST({f.sql} AS VARCHAR)), ',', '') AS DECIMAL(38, 6))) AS BIGINT)"


def _time_sql(f: _Field, *, end: bool = False) -> str:
    """A time column as TIMESTAMPTZ: epoch numbers, dates, timestamps or text.  A date-only *end*
    is inclusive, so it is taken as the end of that day."""
    if f.type in _NUMERIC:  # an epoch, or a date written as the number 20260131
        value = f"CAST({f.sql} AS DOUBLE)"
        day = (f"CASE WHEN {value} BETWEEN 19700101 AND 29991231 THEN CAST(try_strptime(CAST(CAST({value} AS BIGINT) "
               f"AS VARCHAR), '%Y%m%d') AS TIMESTAMPTZ){' + INTERVAL 1 DAY' if end else ''} END")
        return f"coalesce({day}, {_epoch(value)})"
    if f.type == "date":
        return f"CAST({f.sql} AS TIMESTAMPTZ)" + (" + INTERVAL 1 DAY" if end else "")
    if f.type.startswith("timestamp"):
        return f"CAST({f.sql} AS TIMESTAMPTZ)"
    text = f"trim(CAST({f.sql} AS VARCHAR))"
    parsed = f"coalesce(try_cast({text} AS TIMESTAMPTZ), {_epoch(f'try_cast({text} AS DOUBLE)')})"
    if end:
        return (f"CASE WHEN length({text}) <= 10 AND try_cast({text} AS DATE) IS NOT NULL "
                f"THEN CAST(try_cast({text} AS DATE) AS TIMESTAMPTZ) + INTERVAL 1 DAY ELSE {parsed} END")
    return parsed


def _tabular_view(con, path: Path, by: list[str], source: _Source) -> None:
    """The view u over ``raw`` (CSV, Parquet, flat JSON Lines, usage-API pages): columns found by name."""
    fields = _fields(con)

    def find(*candidates: str) -> _Field | None:
        for candidate in candidates:
            for prefix in _PREFIXES:
                hit = fields.get(prefix + candidate)
                if hit is not None and hit.type not in ("list", "map"):
                    return hit
        return None

    model = find(*MODEL_COLUMNS)
    prompt = find(*PROMPT_COLUMNS)
    input_any = find(*INPUT_COLUMNS)
    uncached = find(*UNCACHED_COLUMNS)
    output = find(*OUTPUT_COLUMNS)
    cached = find(*CACHED_COLUMNS)
    cache_read = find(*CACHE_READ_COLUMNS)
    write = find(*CACHE_WRITE_COLUMNS)
    write_parts: list[_Field] = []
    if write is None:
        for parts in CACHE_WRITE_PARTS:
            write_parts = [f for f in (find(p) for p in parts) if f is not None]
            if write_parts:
                break
    reasoning = find(*REASONING_COLUMNS)
    count = find(*REQUEST_COUNT_COLUMNS)
    times = [f for f in (find(c) for c in (BUCKET_TIME_COLUMNS if count else TIME_COLUMNS)) if f is not None]
    times = list({f.sql: f for f in times}.values())[:3]
    end_col = find(*END_COLUMNS)
    if model is None or output is None or (prompt is None and input_any is None and uncached is None):
        raise UsageLogError(f"{path}: needs columns model, prompt_tokens (or input_tokens) and completion_tokens "
                            f"(or output_tokens); it has {', '.join(f.label for f in fields.values())}")

    def num(f: _Field | None) -> str:
        return f"coalesce({_num_sql(f)}, 0)" if f is not None else "0"

    writes = write_parts or ([write] if write is not None else [])
    write_sql = " + ".join(num(f) for f in writes) if writes else "0"
    anthropic_write = any("creation" in _norm(f.label) for f in writes)
    # Which convention: prompt_tokens include cached tokens (OpenAI); input_tokens do when the cached
    # column is named the OpenAI way or an explicit uncached column stands beside them (OpenAI usage
    # export); they exclude cache reads and writes when those are named the Anthropic way.
    if prompt is not None:
        conv, prompt_sql, cached_col = "openai", _num_sql(prompt), cached or cache_read
    elif input_any is not None and (uncached is not None or (cached is not None and cache_read is None)):
        conv, prompt_sql, cached_col = "openai", _num_sql(input_any), cached or cache_read
    elif input_any is not None and (cache_read is not None or anthropic_write):
        conv, cached_col = "anthropic", cache_read
        prompt_sql = f"{_num_sql(input_any)} + {num(cache_read)} + {write_sql}"
    elif input_any is not None:
        conv, prompt_sql, cached_col = "openai", _num_sql(input_any), None
    else:
        conv, cached_col = "anthropic", cache_read or cached
        prompt_sql = f"{_num_sql(uncached)} + {num(cached_col)} + {write_sql}"
    used = {"model": model, "prompt": prompt or input_any or uncached, "output": output, "cached": cached_col,
            "reasoning": reasoning, "requests": count, "time": times[0] if times else None, "end": end_col}
    source.columns = {k: f.label for k, f in used.items() if f is not None}
    if writes:
        source.columns["cache_write"] = " + ".join(f.label for f in writes)
    if prompt is None and input_any is None and count is None:
        source.notes.append(f"column {uncached.label!r} looks like an aggregated report, but there is no "
                            "request-count column: each row is counted as one request")
    if count is not None:
        source.request_count = count.label
        n_sql = _num_sql(count)
        ts_end = _time_sql(end_col, end=True) if end_col is not None else "CAST(NULL AS TIMESTAMPTZ)"
    else:
        n_sql, ts_end = "1", "CAST(NULL AS TIMESTAMPTZ)"
        source.columns.pop("end", None)
    parts = [_time_sql(f) for f in times]
    ts_sql = f"coalesce({', '.join(parts)})" if parts else "CAST(NULL AS TIMESTAMPTZ)"
    tags = []
    for tag in by:
        found = find(_norm(tag), "metadata_" + _norm(tag))
        tags.append(f"coalesce(CAST({found.sql} AS VARCHAR), '') AS {_q('tag_' + tag)}" if found
                    else f"'' AS {_q('tag_' + tag)}")
    con.execute(f"""
        CREATE VIEW u AS
        WITH r AS (SELECT CAST({model.sql} AS VARCHAR) AS model, {ts_sql} AS ts, {ts_end} AS ts_end,
                          {n_sql} AS n, try_cast({prompt_sql} AS BIGINT) AS prompt,
                          {_num_sql(output)} AS output, try_cast({num(cached_col)} AS BIGINT) AS cached,
                          try_cast({write_sql} AS BIGINT) AS cache_write,
                          {num(reasoning)} AS reasoning
                          {', ' + ', '.join(tags) if tags else ''}
                   FROM raw)
        SELECT *, CASE WHEN prompt IS NOT NULL THEN '{conv}' END AS conv FROM r""")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _aggregate(con, path: Path, by: list[str], source: _Source) -> UsageStats:
    """One pass over the log: per group sums, exact quantiles and counts; invalid records apart.

    Each row stands for ``n`` requests: 1 in a per-request log, the request count in a bucketed
    export, whose token columns are already totals (so they are summed, never multiplied).
    """
    valid = "model IS NOT NULL AND prompt IS NOT NULL AND output IS NOT NULL AND n IS NOT NULL AND n >= 0"
    tag_cols = [_q("tag_" + t) for t in by]
    keys = ", ".join(["model"] + tag_cols)
    nulled = ", ".join(f"CASE WHEN ok THEN {k} END AS {k}" for k in ["model"] + tag_cols)
    if source.weighted:  # per-request quantiles cannot be had from bucket totals
        quantiles_in = quantiles_out = "NULL, NULL"
        requests_sql, end_sql = "CAST(sum(n) AS HUGEINT)", "max(ts_end)"
    else:  # one request a row: nothing to sum, no bucket ends
        quantiles_in = "quantile_cont(prompt, 0.5), quantile_cont(prompt, 0.95)"
        quantiles_out = "quantile_cont(output, 0.5), quantile_cont(output, 0.95)"
        requests_sql, end_sql = "count(*)", "NULL"
    # Only a convention read from column names can be wrong; JSON records say theirs by structure.
    over_cached_sql = "count(*) FILTER (WHERE conv = 'openai' AND cached > prompt)" if source.columns else "0"
    rows = con.execute(f"""
        WITH v AS (SELECT ({valid}) AS ok, * FROM u),
             k AS (SELECT ok, {nulled}, ts, ts_end, n, conv, prompt, output, cached, cache_write, reasoning FROM v)
        SELECT ok, {keys}, count(*) AS records, {requests_sql} AS requests,
               min(ts), max(ts), {end_sql},
               CAST(sum(prompt) AS HUGEINT), {quantiles_in},
               CAST(sum(output) AS HUGEINT), {quantiles_out},
               CAST(sum(cached) AS HUGEINT), CAST(sum(cache_write) AS HUGEINT), CAST(sum(reasoning) AS HUGEINT),
               {over_cached_sql},
               count(*) FILTER (WHERE conv = 'openai'), count(*) FILTER (WHERE conv = 'anthropic')
        FROM k GROUP BY ok, {keys} ORDER BY requests DESC, {keys}""").fetchall()
    width = 1 + len(by)
    good = [r[1:] for r in rows if r[0]]
    skipped = sum(r[1 + width] for r in rows if not r[0])
    records = sum(r[width] for r in good)
    requests = sum(int(r[width + 1]) for r in good)
    n_openai = sum(r[-2] for r in good)
    n_anthropic = sum(r[-1] for r in good)
    over_cached = sum(r[-3] for r in good)
    firsts = [r[width + 2] for r in good if r[width + 2] is not None]
    last_starts = [r[width + 3] for r in good if r[width + 3] is not None]
    last_ends = [r[width + 4] for r in good if r[width + 4] is not None]
    span_first, span_last = source.span
    firsts += [span_first] if span_first is not None else []
    last_ends += [span_last] if span_last is not None else []
    first = min(firsts) if firsts else None
    last = max(last_starts) if last_starts else None
    if source.weighted and last_ends and first is not None:
        # Buckets cover first start to last end; an end at midnight is exclusive, so one daily
        # bucket is 1 day and thirty of them 30 (a second's slack for 23:59:59 ends).
        end = max(last_ends + last_starts)
        days = max(1, math.ceil(((end - first).total_seconds() - 1) / 86_400))
        last = end - timedelta(microseconds=1) if end > first else end  # the last instant covered
    else:
        days = (last.date() - first.date()).days + 1 if first and last else 1
    convention = "none" if not records else "mixed" if n_openai and n_anthropic else \
        "anthropic" if n_anthropic else "openai"
    notes = list(source.notes)
    if over_cached:
        notes.append(f"{over_cached:,} row(s) have more cached tokens than prompt tokens: the input column may "
                     "exclude cached tokens (Anthropic-style); check the file")
    groups = []
    for row in good:
        n = int(row[width + 1])
        if n <= 0:
            continue  # buckets of no requests: nothing to average
        (first_seen, last_seen, _bucket_end, sum_in, p50_in, p95_in, sum_out, p50_out, p95_out,
         sum_cached, sum_write, sum_reasoning) = row[width + 2:width + 14]
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
                      {"openai": n_openai, "anthropic": n_anthropic}, first, last, days, groups,
                      requests=requests, request_count_column=source.request_count,
                      columns=dict(source.columns), notes=notes)


def _dec(value: float | None) -> Decimal | None:
    """A DuckDB quantile as Decimal (float ok: DuckDB quantiles); None when it was not measured."""
    return None if value is None else Decimal(repr(float(value)))


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
