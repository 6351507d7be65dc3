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
``request_count``, ``num_requests``, ``api_requests``, ``calls``, ...; see ``pricing.usage.sources``)
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

import json
import math
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pricing.plan import bounds
from pricing.plan.models import DeploymentMode, Workload
from pricing.costing.rates import RateBook
from pricing.usage.json_lines import check_utf8, fetch_all, read_in_full
from pricing.usage.sources import LogSource, UsageLogError, normalized_view, quote

DAYS_PER_MONTH = Decimal("30.4375")
MONTH_BASIS = "requests per day × 30.4375 (365.25 / 12, an average month)"



#: Why a record is skipped (the keys of ``UsageStats.skipped_reasons``).
NO_COUNTS = "without model or token counts"
NEGATIVE_REQUESTS = "with a negative request count"
NEGATIVE_TOKENS = "with a negative token count"
ABSURD_TOKENS = "with more tokens than any request can hold"
NOT_UTF8 = "not UTF-8 text"


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
    #: A Batch API results file: the requests ran on Batch.
    batch: bool = False
    #: Records skipped, by the reason (see ``SKIP_REASONS``).
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    #: All models together: requests, mean and percentile tokens over every counted record, cached share.
    total: UsageGroup | None = None

    @property
    def skipped_text(self) -> str:
        """'3 record(s) skipped: 2 with a negative token count, 1 not UTF-8 text', or ''."""
        if not self.skipped:
            return ""
        parts = ", ".join(f"{n:,} {why}" for why, n in self.skipped_reasons.items())
        return f"{self.skipped:,} record(s) skipped: {parts}" if parts else f"{self.skipped:,} record(s) skipped"

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
            "skipped_reasons": self.skipped_reasons,
            "convention": self.convention, "convention_note": self.convention_note,
            "convention_counts": self.convention_counts,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "days_covered": self.days_covered, "month_basis": self.month_basis,
            "requests": self.requests, "request_count_column": self.request_count_column,
            "columns": self.columns, "notes": self.notes, "batch": self.batch,
            "groups": [g.as_dict() for g in self.groups],
            "total": self.total.as_dict() if self.total else None,
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
        source = normalized_view(con, path, by, quick=True)
        stats = _aggregate(con, path, by, source)
        if stats is None:  # a record beyond the first lines the quick reading cannot vouch for: read in full
            read_in_full(con, path, by, source)
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


def _aggregate(con, path: Path, by: list[str], source: LogSource) -> UsageStats | None:
    """One pass over the log: per group sums, exact quantiles and counts; invalid records apart.
    None when the view was read quickly and a record is marked to be read in full (``LogSource.wrappers_unread``:
    it has a wrapper, or lacks a count the narrow reading reads alone).

    Each row stands for ``n`` requests: 1 in a per-request log, the request count in a bucketed
    export, whose token columns are already totals (so they are summed, never multiplied).
    """
    most = f"n * {bounds.MAX_TOKENS_IN_A_REQUEST}"
    why = (f"CASE WHEN model IS NULL OR prompt IS NULL OR output IS NULL OR n IS NULL THEN '{NO_COUNTS}' "
           f"WHEN n < 0 THEN '{NEGATIVE_REQUESTS}' "
           "WHEN prompt < 0 OR output < 0 OR cached < 0 OR cache_write < 0 OR reasoning < 0 "
           f"THEN '{NEGATIVE_TOKENS}' "
           f"WHEN prompt > {most} OR output > {most} THEN '{ABSURD_TOKENS}' END")
    tag_cols = [quote("tag_" + t) for t in by]
    keys = ", ".join(["model"] + tag_cols)
    nulled = ", ".join(f"CASE WHEN ok THEN {k} END AS {k}" for k in ["model"] + tag_cols)
    if source.weighted:  # per-request quantiles cannot be had from bucket totals
        quantiles_in = quantiles_out = "NULL, NULL"
        requests_sql, end_sql = "CAST(sum(n) AS HUGEINT)", "max(ts_end)"
    else:  # one request a row: nothing to sum, no bucket ends
        # One quantile state per column for both fractions (DuckDB computes an aggregate written twice
        # once): half the memory of a state per fraction, which ran out of 1 GB at 10 million records.
        quantiles_in = "quantile_cont(prompt, [0.5, 0.95])[1], quantile_cont(prompt, [0.5, 0.95])[2]"
        quantiles_out = "quantile_cont(output, [0.5, 0.95])[1], quantile_cont(output, [0.5, 0.95])[2]"
        requests_sql, end_sql = "count(*)", "NULL"
    # Only a convention read from column names can be wrong; JSON records say theirs by structure.
    over_cached_sql = "count(*) FILTER (WHERE conv = 'openai' AND cached > prompt)" if source.columns else "0"
    reread, reread_count = (", reread", ", count(*) FILTER (WHERE reread)") if source.wrappers_unread else ("", "")
    # Grouping sets: the rows per model (and tag), and per (why, ok) across all models: the
    # total line, with its own exact quantiles, from the same single pass over the log.
    every = fetch_all(con, f"""
        WITH v AS (SELECT {why} AS why, * FROM u),
             k AS (SELECT why, why IS NULL AS ok, {nulled}, ts, ts_end, n, conv, prompt, output, cached, cache_write,
                          reasoning{reread} FROM v)
        SELECT GROUPING(model) AS total_row, ok, {keys}, count(*) AS records, {requests_sql} AS requests,
               min(ts), max(ts), {end_sql},
               CAST(sum(prompt) AS HUGEINT), {quantiles_in},
               CAST(sum(output) AS HUGEINT), {quantiles_out},
               CAST(sum(cached) AS HUGEINT), CAST(sum(cache_write) AS HUGEINT), CAST(sum(reasoning) AS HUGEINT),
               {over_cached_sql},
               count(*) FILTER (WHERE conv = 'openai'), count(*) FILTER (WHERE conv = 'anthropic')
               , why{reread_count}
        FROM k GROUP BY GROUPING SETS ((why, ok, {keys}), (why, ok))
        ORDER BY requests DESC, {keys}""", path, by, source)
    if source.wrappers_unread:
        if any(r[-1] for r in every if not r[0]):
            return None
        every = [r[:-1] for r in every]
    rows = [r[1:] for r in every if not r[0]]
    totals = [r[2:-1] for r in every if r[0] and r[1]]
    width = 1 + len(by)
    good = [r[1:-1] for r in rows if r[0]]
    reasons: dict[str, int] = {}
    for r in rows:
        if not r[0]:
            reasons[r[-1]] = reasons.get(r[-1], 0) + r[1 + width]
    if source.utf8_unchecked and reasons.get(NO_COUNTS):  # a line that is not UTF-8 is read as one without counts
        check_utf8(path, source)
    if source.not_utf8 and reasons.get(NO_COUNTS):  # the reader drops them with the malformed lines
        moved = min(source.not_utf8, reasons[NO_COUNTS])
        reasons[NO_COUNTS] -= moved
        reasons[NOT_UTF8] = moved
    reasons = {k: v for k, v in reasons.items() if v}
    skipped = sum(reasons.values())
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
    groups = [g for row in good if (g := _group(row, by, days)) is not None]
    total = _group(("all models",) + ("",) * len(by) + tuple(totals[0][width:]), by, days) if totals else None
    return UsageStats(path, list(by), records, skipped, convention,
                      {"openai": n_openai, "anthropic": n_anthropic}, first, last, days, groups,
                      requests=requests, request_count_column=source.request_count,
                      columns=dict(source.columns), notes=notes, batch=source.batch, skipped_reasons=reasons,
                      total=total)


def _group(row: tuple, by: list[str], days: int) -> UsageGroup | None:
    """One aggregate row as a UsageGroup (None for buckets of no requests: nothing to average)."""
    width = 1 + len(by)
    n = int(row[width + 1])
    if n <= 0:
        return None
    (first_seen, last_seen, _bucket_end, sum_in, p50_in, p95_in, sum_out, p50_out, p95_out,
     sum_cached, sum_write, sum_reasoning) = row[width + 2:width + 14]
    per_day = Decimal(n) / Decimal(days)
    return UsageGroup(
        model=row[0], tags={t: row[1 + i] for i, t in enumerate(by)}, requests=n,
        first_seen=first_seen, last_seen=last_seen,
        requests_per_day=per_day, requests_per_month=per_day * DAYS_PER_MONTH,
        input_mean=Decimal(int(sum_in)) / n, input_p50=_dec(p50_in), input_p95=_dec(p95_in),
        output_mean=Decimal(int(sum_out)) / n, output_p50=_dec(p50_out), output_p95=_dec(p95_out),
        cached_share=Decimal(int(sum_cached)) / Decimal(int(sum_in)) if sum_in else Decimal(0),
        input_tokens=int(sum_in), output_tokens=int(sum_out), cached_tokens=int(sum_cached),
        cache_write_tokens=int(sum_write), reasoning_tokens=int(sum_reasoning),
    )


def _dec(value: float | None) -> Decimal | None:
    """A DuckDB quantile as Decimal (float ok: DuckDB quantiles); None when it was not measured."""
    return None if value is None else Decimal(str(value))  # float ok: DuckDB's quantile_cont is a DOUBLE


def usage_to_workloads(stats: UsageStats, *, catalog: RateBook | None = None,
                       mode: DeploymentMode | None = None,
                       groups: list[UsageGroup] | None = None, provider: str | None = None,
                       strict: bool = False) -> list[Workload]:
    """One workload per group: mean tokens (whole tokens), cached share, projected requests per month.

    ``mode`` defaults to Batch for a Batch API results file and Serverless otherwise.

    Tags named tenant, feature or environment fill those fields; the model is matched against
    ``catalog`` (when given) so the workload prices at once, as the model id the log sent to
    ``provider``'s API when given.  ``strict`` raises the catalog's ``AmbiguousModel`` or
    ``UnknownModel`` for a model it cannot name, instead of writing a workload it cannot price.
    """
    if mode is None:
        mode = DeploymentMode.BATCH if stats.batch else DeploymentMode.SERVERLESS
    out = []
    for group in groups if groups is not None else stats.groups:
        model = group.model
        if catalog is not None:
            try:
                model = catalog.resolve_logged(model, provider).id
            except LookupError:
                if strict:
                    raise
        out.append(Workload(
            name=group.label,
            model=model,
            mode=mode,
            input_tokens=group.input_mean.quantize(Decimal(1), ROUND_HALF_UP),
            output_tokens=group.output_mean.quantize(Decimal(1), ROUND_HALF_UP),
            cached_share=group.cached_share.quantize(Decimal("0.0001"), ROUND_HALF_UP),
            # Cache writes are billed at their own rate; reasoning tokens are already inside the
            # completion tokens (output), so they are never added a second time.
            cache_write_share=(Decimal(group.cache_write_tokens) / Decimal(group.input_tokens)).quantize(
                Decimal("0.0001"), ROUND_HALF_UP) if group.input_tokens else Decimal(0),
            requests_per_month=group.requests_per_month.quantize(Decimal(1), ROUND_HALF_UP),
            tenant=group.tags.get("tenant", ""), feature=group.tags.get("feature", ""),
            environment=group.tags.get("environment", "") or group.tags.get("env", ""),
            notes=f"measured in {stats.path.name}: {group.requests:,} requests over {stats.days_covered} day(s)",
        ))
    return out


def dumps(stats: UsageStats) -> str:
    return json.dumps(stats.as_dict(), indent=2, ensure_ascii=False)
