"""Usage logs as JSON Lines of API responses or log entries: the views :mod:`pricing.usage.stats` aggregates.

Each line is read with a fixed schema.  A record may carry its response in a wrapper: ``response``
(a logged response, or ``response.body`` in an OpenAI Batch API output line) or ``result``
(``result.message`` in an Anthropic Message Batches result).  Reading the wrappers' record types
costs a log that has none about a quarter of its reading time, so a file whose first lines have
none is read with the wrappers as JSON text, ``reread`` marking a record that has one; the
statistics then count such records, and if there are any the file is read again with the types
(:func:`read_in_full`): the figures are those of the typed reading either way.  Only a caller
that counts ``reread`` asks for this (``normalized_view(quick=True)``: the usage statistics);
the others (the actuals' usage-log pricing) read the types.

Likewise, reading every convention's counts and times (Anthropic's, the Responses API's,
``created_at`` and ``timestamp``) costs a log of plain chat completions a tenth of its reading time.
When every record among the first lines carries the chat-completion counts (``prompt_tokens``,
``completion_tokens``, the cached and the reasoning tokens) and a ``created`` epoch, the file is
read with those alone (``LogSource.narrow``), and ``reread`` also marks a record with a model that
lacks one of them.  A record that has them all gets the same figures from either reading (every
other field is read only in their absence, and a value the full reading cannot convert is read as
missing, not the record), so a log without marked records has the full reading's figures; one with
any is read again in full.

The usage statistics also read the lines strictly first (DuckDB's ``ignore_errors`` costs the
reader a fifth of its time on a log without a bad line): a malformed line stops that reading and
the file is read again skipping such lines (:func:`fetch_all`), which gives what a reading with
``ignore_errors`` gives (a log the strict reading finishes has no line it would skip).  Such a
caller checks the file for bytes that are not UTF-8 only when records without counts were found
(:func:`check_utf8`): the reader reads a line that is not UTF-8 as one without counts, so a log
that has none has no such line, and the ASCII pass over the whole file (a third of the reading
time of a 3 GB log) is spared.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import TYPE_CHECKING

from pricing.usage import encoding
from pricing.usage.sql import _epoch, _sql_str, quote

if TYPE_CHECKING:
    from pricing.usage.sources import LogSource

USAGE = ("STRUCT(prompt_tokens BIGINT, completion_tokens BIGINT, total_tokens BIGINT, "
          "prompt_tokens_details STRUCT(cached_tokens BIGINT), "
          "completion_tokens_details STRUCT(reasoning_tokens BIGINT), "
          "input_tokens BIGINT, output_tokens BIGINT, cache_read_input_tokens BIGINT, "
          "cache_creation_input_tokens BIGINT, "
          "input_tokens_details STRUCT(cached_tokens BIGINT), "
          "output_tokens_details STRUCT(reasoning_tokens BIGINT))")
#: The chat-completion counts alone (the narrow reading).
CHAT_USAGE = ("STRUCT(prompt_tokens BIGINT, completion_tokens BIGINT, prompt_tokens_details STRUCT(cached_tokens BIGINT), "
              "completion_tokens_details STRUCT(reasoning_tokens BIGINT))")
KNOWN = {"model", "created", "created_at", "timestamp", "usage", "metadata", "response", "result"}
#: The wrappers a record may hold its response in, and their record types.
WRAPPERS = {"response": f"STRUCT(model VARCHAR, created DOUBLE, created_at VARCHAR, usage {USAGE}, "
                        f"body STRUCT(model VARCHAR, created DOUBLE, usage {USAGE}))",
            "result": f"STRUCT(type VARCHAR, message STRUCT(model VARCHAR, usage {USAGE}))"}
#: Lines of the file's head looked at for wrappers and a Batch API results file.
_HEAD_BYTES = 1 << 16


def view(con, path: Path, by: list[str], source: LogSource, quick: bool = False) -> LogSource:
    """The views over a JSON-lines log, with what ``source`` learns of it (encoding, Batch API results);
    ``quick``: without the wrappers' types when the first lines have none, and with the chat-completion
    counts alone when they all have those (the caller counts ``reread``)."""
    head = _head(path) if quick else None  # read once for both looks
    source.wrappers_unread = quick and not _wrapped_head(path, head)
    source.narrow = source.wrappers_unread and _chat_head(path, head)
    source.strict = source.utf8_unchecked = quick
    _create_views(con, path, by, typed=not source.wrappers_unread, strict=source.strict, narrow=source.narrow)
    if not quick:
        encoding.count_not_utf8(path, source)
    if batch_results(path):
        source.batch = True
        source.notes.append("a Batch API results file (a custom_id on each line): its requests ran on Batch, "
                            "so the workloads are added on Batch")
    return source


def read_in_full(con, path: Path, by: list[str], source: LogSource) -> None:
    """Read the log again with the wrappers' types and every convention's fields: a record beyond its
    first lines has a wrapper, or lacks a chat-completion count the narrow reading reads alone."""
    _recreate_views(con, path, by, typed=True, strict=source.strict)
    source.wrappers_unread = source.narrow = False


def fetch_all(con, sql: str, path: Path, by: list[str], source: LogSource) -> list[tuple]:
    """The rows of ``sql`` over the views; when a strict reading meets a line it cannot read, the
    views skip such lines (``ignore_errors``, as the reading that is not strict) and ``sql`` runs again."""
    import duckdb

    try:
        return con.execute(sql).fetchall()
    except duckdb.InterruptException:
        raise
    except duckdb.Error:
        if not source.strict:
            raise
    source.strict = False
    _recreate_views(con, path, by, typed=not source.wrappers_unread, strict=False, narrow=source.narrow)
    return con.execute(sql).fetchall()


def _recreate_views(con, path: Path, by: list[str], *, typed: bool, strict: bool, narrow: bool = False) -> None:
    """The views over the log made again, read as ``typed``, ``strict`` and ``narrow`` say."""
    con.execute("DROP VIEW u")
    con.execute("DROP VIEW raw")
    _create_views(con, path, by, typed=typed, strict=strict, narrow=narrow)


def check_utf8(path: Path, source: LogSource) -> None:
    """Count the records that are not UTF-8 (as :func:`view` does when not ``quick``), the note first."""
    later = list(source.notes)
    source.notes.clear()
    encoding.count_not_utf8(path, source)
    source.notes.extend(later)
    source.utf8_unchecked = False


def _head(path: Path) -> list[dict] | None:
    """The records among the first lines of the file (gzipped or not); None when it cannot be read so."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    records = []
    for line in head.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def _wrapped_head(path: Path, records: list[dict] | None = None) -> bool:
    """Whether a record among the first lines has a wrapper (or the head cannot be read: assume so);
    ``records``: the head already read (``_head``)."""
    records = _head(path) if records is None else records
    return records is None or any(key in record for record in records for key in WRAPPERS)


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _chat_head(path: Path, records: list[dict] | None = None) -> bool:
    """Whether the records among the first lines all carry the chat-completion counts and a ``created``
    epoch (then the rest likely do too, and the narrow reading is not read again); ``records``: the
    head already read (``_head``)."""
    records = _head(path) if records is None else records
    if not records:
        return False
    for record in records:
        usage, created = record.get("usage"), record.get("created")
        if not isinstance(usage, dict) or not isinstance(created, (int, float)) or isinstance(created, bool) \
                or not created >= 1e8:
            return False
        prompt_details, completion_details = usage.get("prompt_tokens_details"), usage.get("completion_tokens_details")
        if not (_count(usage.get("prompt_tokens")) and _count(usage.get("completion_tokens"))
                and isinstance(prompt_details, dict) and _count(prompt_details.get("cached_tokens"))
                and isinstance(completion_details, dict) and _count(completion_details.get("reasoning_tokens"))):
            return False
    return True


def batch_results(path: Path) -> bool:
    """An OpenAI Batch output or Anthropic Message Batches results file: each record has a custom_id
    and the response under response.body or result.message."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            head = handle.read(1 << 16).decode("utf-8", "replace")
    except OSError:
        return False
    for line in head.splitlines()[:20]:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            return "custom_id" in record and (isinstance(record.get("result"), dict)
                                              or isinstance((record.get("response") or {}).get("body"), dict))
    return False


def _create_views(con, path: Path, by: list[str], typed: bool, strict: bool = False, narrow: bool = False) -> None:
    """The views raw and u over the lines, read with a fixed schema (each line one request); ``typed``:
    with the wrappers' record types, else with the wrappers as JSON text and ``reread`` marking them;
    ``strict``: a line that cannot be read is an error, else it is read as a record of NULLs; ``narrow``
    (not ``typed``): the chat-completion counts and ``created`` alone, ``reread`` also marking a record
    with a model that lacks one of them."""
    # Without the wrappers' types their columns are JSON text, which costs the reader nothing where the
    # key is absent, and only ``wrapped`` (a record has one) is kept of them.
    columns = {"model": "VARCHAR", "created": "DOUBLE", "created_at": "VARCHAR", "timestamp": "VARCHAR",
               "usage": USAGE, "metadata": "JSON"} | {key: kind if typed else "JSON" for key, kind in WRAPPERS.items()}
    if narrow:
        del columns["created_at"], columns["timestamp"]
        columns["usage"] = CHAT_USAGE
    for tag in by:
        columns.setdefault(tag, "VARCHAR")
    spec = "{" + ", ".join(f"{_sql_str(k)}: {_sql_str(v)}" for k, v in columns.items()) + "}"
    kept = "*, false AS wrapped" if typed else "* EXCLUDE (response, result), response IS NOT NULL OR result IS NOT NULL AS wrapped"
    con.execute(f"CREATE VIEW raw AS SELECT {kept} FROM read_json({_sql_str(str(path))}, "
                f"format='newline_delimited', columns={spec}, ignore_errors={str(not strict).lower()}, "
                "maximum_object_size=16777216)")
    # Each value from the record, else from its wrapper; with no wrapper in the file, the record's own
    # (the same value: coalesce over NULLs; copying the usage records for nothing took a tenth of the time).
    model, us, created, ts_text = (
        ("coalesce(model, response.model, response.body.model, result.message.model)",
         "coalesce(usage, response.usage, response.body.usage, result.message.usage)",
         "coalesce(created, response.created, response.body.created)",
         "coalesce(timestamp, created_at, response.created_at)") if typed
        else ("model", "usage", "created", "coalesce(timestamp, created_at)"))
    tag_sql = ", ".join(
        f"coalesce(CAST({quote(t)} AS VARCHAR), json_extract_string(metadata, {_sql_str('$.' + t)}), '') AS {quote('tag_' + t)}"
        if t not in KNOWN else f"coalesce(json_extract_string(metadata, {_sql_str('$.' + t)}), '') AS {quote('tag_' + t)}"
        for t in by)
    # OpenAI's Responses API names its counts input_tokens / output_tokens like Anthropic, but its
    # input_tokens include cached tokens: its *_tokens_details objects tell it apart.
    responses = ("(us.prompt_tokens IS NULL AND us.input_tokens IS NOT NULL "
                 "AND (us.input_tokens_details IS NOT NULL OR us.output_tokens_details IS NOT NULL) "
                 "AND us.cache_read_input_tokens IS NULL AND us.cache_creation_input_tokens IS NULL)")
    others = ', ' + ', '.join(quote(t) for t in by if t not in KNOWN) if [t for t in by if t not in KNOWN] else ''
    if narrow:
        # A record with a model and every chat-completion count and time: the full reading's figures
        # (conv 'openai', no cache writes); one lacking any is marked, for the full reading.
        con.execute(f"""
            CREATE VIEW u AS
            WITH r AS (SELECT model, usage AS us, {_epoch('created')} AS ts, wrapped, metadata{others} FROM raw)
            SELECT model,
                   wrapped OR (model IS NOT NULL AND (us.prompt_tokens IS NULL OR us.completion_tokens IS NULL
                                                      OR us.prompt_tokens_details.cached_tokens IS NULL
                                                      OR us.completion_tokens_details.reasoning_tokens IS NULL
                                                      OR ts IS NULL)) AS reread,
                   ts, CAST(NULL AS TIMESTAMPTZ) AS ts_end, 1 AS n, 'openai' AS conv, us.prompt_tokens AS prompt,
                   us.completion_tokens AS output, us.prompt_tokens_details.cached_tokens AS cached,
                   CAST(0 AS BIGINT) AS cache_write, us.completion_tokens_details.reasoning_tokens AS reasoning
                   {', ' + tag_sql if tag_sql else ''}
            FROM r""")
        return
    con.execute(f"""
        CREATE VIEW u AS
        WITH r AS (
            SELECT {model} AS model, {us} AS us, {created} AS created_s, {ts_text} AS ts_text, wrapped, metadata{others}
            FROM raw),
        c AS (SELECT *, CASE WHEN us.prompt_tokens IS NOT NULL OR {responses} THEN 'openai'
                             WHEN us.input_tokens IS NOT NULL THEN 'anthropic' END AS conv FROM r)
        SELECT model, wrapped AS reread,
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
