"""Reading a usage log of any shape into one DuckDB view, for :mod:`pricing.usage.stats` to aggregate.

``normalized_view(con, path, by)`` looks at the file (JSON Lines of API responses, flat JSON Lines,
usage-API pages, CSV, Parquet; gzipped or not), finds its columns among the candidate names below
(normalised for matching only), picks the cache convention they imply, and creates the view
``u(model, ts, ts_end, prompt, output, cached, cache_write, reasoning, conv, n, tag_*)`` (``n`` the
requests a row stands for) plus what it found
(:class:`LogSource`).  What is read, and the conventions, are described in :mod:`pricing.usage.stats`.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pricing.usage import encoding, json_lines
from pricing.usage.sql import _epoch, _sql_str, quote

class UsageLogError(Exception):
    """A log that cannot be read at all; the message names the file and the reason."""


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
class LogSource:
    """What the normalised view reads, for the stats and the note shown before import."""
    columns: dict[str, str] = field(default_factory=dict)
    request_count: str | None = None
    notes: list[str] = field(default_factory=list)
    #: Bounds of every bucket in usage-API pages (empty buckets too), when the file has them.
    span: tuple[datetime | None, datetime | None] = (None, None)
    #: The results file of a Batch API job (lines carrying a custom_id): its requests ran on Batch.
    batch: bool = False
    #: JSON records that are not UTF-8 text (skipped by the reader with the malformed ones).
    not_utf8: int = 0
    #: JSON lines read without their wrappers' types (none in the first lines): the view marks a record
    #: that has one (``reread``), and such a file is read again with them (``json_lines.read_in_full``).
    wrappers_unread: bool = False
    #: JSON lines read with the chat-completion counts and ``created`` alone (all the first lines have
    #: them; never without ``wrappers_unread``): ``reread`` also marks a record with a model that lacks one.
    narrow: bool = False
    #: JSON lines read without ignore_errors (a malformed line stops the reading, which then reads the file
    #: again with them skipped: ``json_lines.fetch_all``), and not yet checked for UTF-8 (``utf8_unchecked``:
    #: a record that is not UTF-8 is read as one without counts, so only a log with such records is checked).
    strict: bool = False
    utf8_unchecked: bool = False

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


def normalized_view(con, path: Path, by: list[str], *, quick: bool = False) -> LogSource:
    """A view u(model, ts, ts_end, n, prompt, output, cached, cache_write, reasoning, conv, tag_*) over the log.

    ``n`` is the requests a row stands for (1 unless the log has a request-count column), ``ts_end``
    the end of a bucket (bucketed logs with an end column only).  ``quick``: JSON lines may be read
    without their wrappers' types and narrowly (``LogSource.wrappers_unread``, ``narrow``), for a caller that
    counts ``reread``.
    """
    kind = _kind(path)
    source = LogSource()
    if kind == "json":
        shape = _json_shape(path)
        if shape == "lines":
            return json_lines.view(con, path, by, source, quick)
        if shape == "pages":
            _pages_view(con, path, source)
        else:
            con.execute(f"CREATE VIEW raw AS SELECT * FROM read_json({_sql_str(str(path))}, "
                        f"format='newline_delimited', ignore_errors=true, maximum_object_size=16777216)")
    else:
        reader = "read_parquet" if kind == "parquet" else "read_csv"
        options = "" if kind == "parquet" else ", header=true, auto_detect=true, sample_size=20480" + encoding.csv_option(path, source)
        con.execute(f"CREATE VIEW raw AS SELECT * FROM {reader}({_sql_str(str(path))}{options})")
    _tabular_view(con, path, by, source)
    return source


def _pages_view(con, path: Path, source: LogSource) -> None:
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
    for name, dtype in zip(rel.columns, rel.dtypes):
        _add_field(out, [str(name)], dtype, 0)
    return out


def _add_field(out: dict[str, _Field], path: list[str], dtype, depth: int) -> None:
    """The column at ``path`` into ``out``, a struct's fields each in turn (a function of its own:
    a nested one calling itself is a reference cycle, which kept every read's fields until a
    full collection)."""
    kind = dtype.id
    if kind == "struct" and depth < 4:
        for name, child in dtype.children:
            _add_field(out, path + [str(name)], child, depth + 1)
        return
    key = "_".join(part for part in (_norm(p) for p in path) if part)
    if key:
        out.setdefault(key, _Field(".".join(quote(p) for p in path), ".".join(path), kind))


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


def _tabular_view(con, path: Path, by: list[str], source: LogSource) -> None:
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
        tags.append(f"coalesce(CAST({found.sql} AS VARCHAR), '') AS {quote('tag_' + tag)}" if found
                    else f"'' AS {quote('tag_' + tag)}")
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
