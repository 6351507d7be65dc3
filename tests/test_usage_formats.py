"""Usage logs as real exports come: header spellings, per-bucket totals weighted by their request
counts, the days a bucketed export covers, OpenAI usage-API pages, flat JSON Lines and Parquet.

Every file is small, generated here, and its expected statistics are worked out by hand."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from pricing.cli import main as cli_main
from pricing.plan.models import DeploymentMode
from pricing.usage.stats import DAYS_PER_MONTH, UsageCancelled, UsageLogError, read_usage, usage_to_workloads

JAN1 = datetime(2026, 1, 1, tzinfo=timezone.utc)
DAY = 86_400


def epoch(day: int) -> int:
    return int((JAN1 + timedelta(days=day)).timestamp())


def write_csv(path, header, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# -- header spellings --------------------------------------------------------------------------

def test_title_case_headers_with_spaces_and_a_time_zone_suffix_are_read(tmp_path):
    path = write_csv(tmp_path / "export.csv",
                     ["Timestamp (UTC)", "Model", "Prompt Tokens", "Completion tokens", "Cached Input Tokens"],
                     [["2026-01-01 10:00:00", "gpt-4o", 100, 10, 50], ["2026-01-03 10:00:00", "gpt-4o", 300, 30, 0]])
    stats = read_usage(path)
    (group,) = stats.groups
    assert (group.requests, group.input_tokens, group.output_tokens, group.cached_tokens) == (2, 400, 40, 50)
    assert stats.days_covered == 3 and stats.convention == "openai"


def test_hyphenated_headers_are_read(tmp_path):
    path = write_csv(tmp_path / "hyphen.csv", ["created-at", "model", "prompt-tokens", "completion-tokens"],
                     [["2026-01-01T00:00:00Z", "m", 100, 10]])
    assert read_usage(path).groups[0].input_tokens == 100


def test_camel_case_headers_are_read(tmp_path):
    path = write_csv(tmp_path / "camel.csv", ["startTime", "modelName", "promptTokens", "completionTokens"],
                     [["2026-01-02T08:00:00Z", "m", 100, 10]])
    stats = read_usage(path)
    assert stats.groups[0].model == "m" and stats.first == JAN1 + timedelta(days=1, hours=8)


def test_dotted_headers_of_a_flattened_response_are_read(tmp_path):
    path = write_csv(tmp_path / "flat.csv",
                     ["model", "usage.prompt_tokens", "usage.completion_tokens", "usage.prompt_tokens_details.cached_tokens"],
                     [["m", 200, 20, 50]])
    assert read_usage(path).groups[0].cached_share == Decimal("0.25")


def test_a_deployment_column_names_the_model(tmp_path):
    path = write_csv(tmp_path / "azure.csv", ["Deployment", "Input Tokens", "Output Tokens"], [["gpt4o-prod", 10, 1]])
    assert read_usage(path).groups[0].model == "gpt4o-prod"


def test_a_tag_column_is_found_whatever_its_case(tmp_path):
    path = write_csv(tmp_path / "tags.csv", ["model", "prompt_tokens", "completion_tokens", "Feature"],
                     [["m", 10, 1, "chat"], ["m", 20, 2, "search"]])
    assert sorted(g.tags["feature"] for g in read_usage(path, ["feature"]).groups) == ["chat", "search"]


def test_counts_written_as_text_with_thousands_separators_are_read(tmp_path):
    path = tmp_path / "text.csv"
    path.write_text('model,prompt_tokens,completion_tokens\nm,"1,200",30\nm,800,"1,000"\n')
    group = read_usage(path).groups[0]
    assert (group.input_tokens, group.output_tokens) == (2000, 1030)


def test_the_error_for_a_log_without_tokens_names_the_file_and_lists_its_columns_as_written(tmp_path):
    path = write_csv(tmp_path / "costs.csv", ["Date", "Model", "Cost (USD)"], [["2026-01-01", "m", 1.5]])
    with pytest.raises(UsageLogError, match=r"costs\.csv: needs columns model.*it has Date, Model, Cost \(USD\)"):
        read_usage(path)


# -- aggregated rows ---------------------------------------------------------------------------

OPENAI_EXPORT = ["start_time", "end_time", "project_id", "num_model_requests", "user_id", "api_key_id", "model",
                 "batch", "input_tokens", "output_tokens", "input_cached_tokens", "input_audio_tokens",
                 "output_audio_tokens"]


def openai_export(path, buckets):
    """OpenAI's organization usage export: one row per daily bucket and model; input includes cached."""
    rows = [[epoch(day), epoch(day + 1), project, requests, "", "", model, "False", inp, out, cached, 0, 0]
            for day, project, model, requests, inp, out, cached in buckets]
    return write_csv(path, OPENAI_EXPORT, rows)


@pytest.fixture
def export(tmp_path):
    return openai_export(tmp_path / "completions_usage.csv", [
        # day, project, model, requests, input, output, cached
        (0, "proj_a", "gpt-4o-2024-08-06", 10, 20_000, 3_000, 5_000),
        (1, "proj_a", "gpt-4o-2024-08-06", 30, 40_000, 5_000, 15_000),
        (1, "proj_b", "gpt-4o-mini", 4, 800, 200, 0),
    ])


def test_bucket_rows_are_weighted_by_their_request_counts(export):
    stats = read_usage(export)
    gpt = next(g for g in stats.groups if g.model == "gpt-4o-2024-08-06")
    assert gpt.requests == 40 and stats.requests == 44 and stats.records == 3
    assert (gpt.input_tokens, gpt.output_tokens) == (60_000, 8_000)  # bucket totals summed, never multiplied
    assert gpt.input_mean == Decimal(60_000) / 40 == Decimal(1500)
    assert gpt.output_mean == Decimal(8_000) / 40 == Decimal(200)


def test_the_openai_usage_export_takes_input_tokens_as_including_cached_tokens(export):
    stats = read_usage(export)
    gpt = next(g for g in stats.groups if g.model == "gpt-4o-2024-08-06")
    assert stats.convention == "openai"
    assert gpt.input_tokens == 60_000  # cached tokens not added on top
    assert gpt.cached_share == Decimal(20_000) / Decimal(60_000)


def test_the_request_count_column_is_named_in_the_convention_note(export):
    stats = read_usage(export)
    assert stats.request_count_column == "num_model_requests"
    assert "counted from column 'num_model_requests'" in stats.convention_note
    assert "44 requests" in stats.convention_note


def test_bucket_totals_give_no_per_request_quantiles(export):
    gpt = read_usage(export).groups[0]
    assert (gpt.input_p50, gpt.input_p95, gpt.output_p50, gpt.output_p95) == (None, None, None, None)


@pytest.mark.parametrize("column", ["requests", "request_count", "Request Count", "num_requests", "api_requests",
                                    "calls", "n_requests", "numRequests"])
def test_any_request_count_column_weights_the_rows(tmp_path, column):
    path = write_csv(tmp_path / "report.csv", ["model", "date", column, "prompt_tokens", "completion_tokens",
                                               "total_tokens", "spend"],
                     [["gpt-4o", "2026-01-01", 100, 50_000, 5_000, 55_000, "0.17"]])
    (group,) = read_usage(path).groups
    assert group.requests == 100 and group.input_mean == 500 and group.output_mean == 50


def test_a_litellm_daily_spend_report_with_title_case_headers(tmp_path):
    path = tmp_path / "spend.csv"
    path.write_text("Date,Model,API Requests,Prompt Tokens,Completion Tokens,Total Tokens,Spend\n"
                    '2026-01-01,gpt-4o,"1,000","2,000,000",300000,2300000,12.5\n'
                    "2026-01-02,gpt-4o,500,1000000,100000,1100000,6.0\n")
    stats = read_usage(path)
    (group,) = stats.groups
    assert (group.requests, group.input_tokens, group.output_tokens) == (1_500, 3_000_000, 400_000)
    assert group.input_mean == 2_000 and stats.request_count_column == "API Requests"


def test_a_bucket_without_a_request_count_is_skipped(tmp_path):
    path = write_csv(tmp_path / "report.csv", ["date", "model", "requests", "prompt_tokens", "completion_tokens"],
                     [["2026-01-01", "m", 10, 1000, 100], ["2026-01-01", "m", "", 999, 99]])
    stats = read_usage(path)
    assert (stats.records, stats.skipped, stats.groups[0].requests, stats.groups[0].input_tokens) == (1, 1, 10, 1000)


def test_bucket_rows_group_by_a_tag_column(export):
    stats = read_usage(export, ["project_id"])
    assert {(g.model, g.tags["project_id"], g.requests) for g in stats.groups} == {
        ("gpt-4o-2024-08-06", "proj_a", 40), ("gpt-4o-mini", "proj_b", 4)}


def test_bucketed_groups_become_workloads_in_decimal(export):
    stats = read_usage(export)
    gpt = next(g for g in stats.groups if g.model == "gpt-4o-2024-08-06")
    (workload,) = usage_to_workloads(stats, groups=[gpt])
    assert (workload.input_tokens, workload.output_tokens) == (Decimal(1500), Decimal(200))
    assert workload.cached_share == Decimal("0.3333")
    assert workload.requests_per_month == (Decimal(40) / 2 * DAYS_PER_MONTH).quantize(Decimal(1))  # 2 days covered
    assert all(isinstance(v, Decimal) for v in (workload.input_tokens, workload.cached_share,
                                                workload.requests_per_month))


# -- days covered by a bucketed export ---------------------------------------------------------

def test_a_single_daily_bucket_covers_one_day(tmp_path):
    path = openai_export(tmp_path / "one.csv", [(0, "p", "gpt-4o", 100, 1000, 100, 0)])
    stats = read_usage(path)
    assert stats.days_covered == 1
    assert stats.groups[0].requests_per_month == Decimal(100) * DAYS_PER_MONTH


def test_thirty_daily_buckets_cover_thirty_days(tmp_path):
    path = openai_export(tmp_path / "month.csv", [(day, "p", "gpt-4o", 10 + day, 1000, 100, 0) for day in range(30)])
    stats = read_usage(path)
    requests = sum(10 + day for day in range(30))  # 735
    assert stats.days_covered == 30
    assert stats.groups[0].requests_per_day == Decimal(requests) / 30
    assert stats.groups[0].requests_per_month == Decimal(requests) / 30 * DAYS_PER_MONTH
    assert (stats.first, stats.last) == (JAN1, JAN1 + timedelta(days=30, microseconds=-1))


def test_hourly_buckets_of_one_day_cover_one_day(tmp_path):
    start = JAN1 + timedelta(hours=9)
    rows = [[(start + timedelta(hours=h)).isoformat(), (start + timedelta(hours=h + 1)).isoformat(), "m", 5, 50, 5]
            for h in range(3)]
    path = write_csv(tmp_path / "hourly.csv", ["start_time", "end_time", "model", "requests", "input_tokens",
                                                "output_tokens"], rows)
    assert read_usage(path).days_covered == 1


def test_a_date_only_end_is_inclusive(tmp_path):
    path = write_csv(tmp_path / "dates.csv", ["start_date", "end_date", "model", "requests", "prompt_tokens",
                                               "completion_tokens"],
                     [["2026-01-01", "2026-01-01", "m", 10, 100, 10], ["2026-01-02", "2026-01-02", "m", 10, 100, 10]])
    assert read_usage(path).days_covered == 2


def test_daily_buckets_without_an_end_column_count_calendar_days(tmp_path):
    rows = [[f"2026-01-{day:02d}", "m", 10, 100, 10] for day in range(1, 31)]
    path = write_csv(tmp_path / "daily.csv", ["date", "model", "requests", "prompt_tokens", "completion_tokens"], rows)
    stats = read_usage(path)
    assert stats.days_covered == 30 and stats.groups[0].requests_per_day == 10


def test_a_per_request_log_with_an_end_time_keeps_calendar_days(tmp_path):
    # LiteLLM spend logs: startTime / endTime of each request, no request count.
    path = write_csv(tmp_path / "spend_logs.csv", ["startTime", "endTime", "model", "prompt_tokens",
                                                    "completion_tokens"],
                     [["2026-01-01T23:00:00Z", "2026-01-01T23:00:02Z", "m", 10, 1],
                      ["2026-01-02T01:00:00Z", "2026-01-02T01:00:03Z", "m", 10, 1]])
    stats = read_usage(path)
    assert stats.days_covered == 2 and stats.request_count_column is None and stats.requests == 2


# -- which cache convention --------------------------------------------------------------------

def test_input_tokens_beside_an_uncached_column_include_cached_tokens(tmp_path):
    path = write_csv(tmp_path / "usage.csv", ["model", "input_tokens", "input_uncached_tokens", "input_cached_tokens",
                                              "output_tokens", "num_model_requests"],
                     [["m", 1000, 600, 400, 10, 2]])
    stats = read_usage(path)
    assert stats.convention == "openai" and stats.groups[0].input_tokens == 1000
    assert stats.groups[0].cached_share == Decimal("0.4")


def test_an_uncached_input_report_adds_cache_reads_and_writes(tmp_path):
    # Anthropic's usage report: uncached input, cache reads and 5-minute / 1-hour cache writes apart.
    path = write_csv(tmp_path / "claude.csv", ["starting_at", "ending_at", "model", "uncached_input_tokens",
                                               "cache_read_input_tokens", "cache_creation.ephemeral_5m_input_tokens",
                                               "cache_creation.ephemeral_1h_input_tokens", "output_tokens"],
                     [["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "claude-sonnet-4-5", 100, 300, 50, 50, 40]])
    stats = read_usage(path)
    group = stats.groups[0]
    assert stats.convention == "anthropic"
    assert (group.input_tokens, group.cached_tokens, group.cache_write_tokens) == (500, 300, 100)


def test_a_report_without_request_counts_says_each_row_is_counted_once(tmp_path):
    path = write_csv(tmp_path / "claude.csv", ["starting_at", "model", "uncached_input_tokens", "output_tokens"],
                     [["2026-01-01T00:00:00Z", "claude-sonnet-4-5", 100, 40]])
    assert "no request-count column: each row is counted as one request" in read_usage(path).convention_note


def test_cached_tokens_above_prompt_tokens_are_pointed_out(tmp_path):
    path = write_csv(tmp_path / "odd.csv", ["model", "input_tokens", "cached_input_tokens", "output_tokens"],
                     [["m", 100, 300, 10], ["m", 500, 100, 10]])
    assert "1 row(s) have more cached tokens than prompt tokens" in read_usage(path).convention_note


def test_the_columns_read_are_named_in_the_convention_note(tmp_path):
    path = write_csv(tmp_path / "named.csv", ["Model", "Input Tokens", "Cached Input Tokens", "Output Tokens"],
                     [["m", 100, 10, 10]])
    note = read_usage(path).convention_note
    assert "prompt = 'Input Tokens'" in note and "cached = 'Cached Input Tokens'" in note


# -- JSON --------------------------------------------------------------------------------------

def test_responses_api_input_tokens_include_cached_tokens(tmp_path):
    path = tmp_path / "responses.jsonl"
    path.write_text(json.dumps({
        "object": "response", "created_at": epoch(0), "model": "gpt-5",
        "usage": {"input_tokens": 1000, "input_tokens_details": {"cached_tokens": 400}, "output_tokens": 100,
                  "output_tokens_details": {"reasoning_tokens": 60}, "total_tokens": 1100}}) + "\n")
    stats = read_usage(path)
    (group,) = stats.groups
    assert stats.convention == "openai" and group.input_tokens == 1000
    assert group.cached_share == Decimal("0.4") and group.reasoning_tokens == 60
    assert stats.first == JAN1


def test_json_lines_with_token_counts_at_the_top_level(tmp_path):
    path = tmp_path / "flat.jsonl"
    records = [{"created": epoch(0), "model": "m", "prompt_tokens": 100, "completion_tokens": 5, "feature": "a"},
               {"created": epoch(1), "model": "m", "prompt_tokens": 300, "completion_tokens": 7, "feature": "a"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    stats = read_usage(path, ["feature"])
    (group,) = stats.groups
    assert (group.requests, group.input_mean, group.tags) == (2, 200, {"feature": "a"})
    assert stats.days_covered == 2


def usage_page(buckets):
    return {"object": "page", "has_more": False, "next_page": None, "data": [
        {"object": "bucket", "start_time": epoch(day), "end_time": epoch(day + 1), "results": [
            {"object": "organization.usage.completions.result", "input_tokens": inp, "output_tokens": out,
             "input_cached_tokens": cached, "num_model_requests": n, "model": model, "project_id": "proj_a",
             "user_id": None, "api_key_id": None, "batch": None} for model, n, inp, out, cached in results]}
        for day, results in buckets]}


def test_an_openai_usage_api_page_is_read_as_weighted_buckets(tmp_path):
    path = tmp_path / "usage_page.json"
    path.write_text(json.dumps(usage_page([(0, [("gpt-4o", 5, 1000, 500, 800)]), (1, [("gpt-4o", 15, 3000, 500, 0)])]),
                               indent=2))
    stats = read_usage(path, ["project_id"])
    (group,) = stats.groups
    assert (group.requests, group.input_mean, group.output_mean) == (20, 200, 50)
    assert group.cached_share == Decimal("0.2") and group.tags == {"project_id": "proj_a"}
    assert stats.request_count_column == "num_model_requests" and stats.convention == "openai"


def test_empty_buckets_of_a_usage_page_count_towards_the_days_covered(tmp_path):
    path = tmp_path / "usage_page.json"
    path.write_text(json.dumps(usage_page([(0, [("gpt-4o", 6, 600, 60, 0)])] + [(d, []) for d in range(1, 3)])))
    stats = read_usage(path)
    assert stats.days_covered == 3 and stats.groups[0].requests_per_day == 2


def test_usage_pages_one_per_line_are_read(tmp_path):
    path = tmp_path / "pages.jsonl"
    pages = [usage_page([(0, [("gpt-4o", 5, 1000, 500, 0)])]), usage_page([(1, [("gpt-4o", 5, 1000, 500, 0)])])]
    path.write_text("".join(json.dumps(p) + "\n" for p in pages))
    stats = read_usage(path)
    assert stats.groups[0].requests == 10 and stats.days_covered == 2


# -- Parquet -----------------------------------------------------------------------------------

def test_parquet_with_a_nested_usage_struct_is_read(tmp_path):
    import duckdb

    path = tmp_path / "responses.parquet"
    duckdb.connect().execute(
        "COPY (SELECT 'gpt-4o' AS model, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS created_at, "
        "{'prompt_tokens': 200, 'completion_tokens': 20, 'prompt_tokens_details': {'cached_tokens': 50}} AS usage) "
        f"TO '{path}' (FORMAT parquet)")
    (group,) = read_usage(path).groups
    assert (group.input_tokens, group.cached_share) == (200, Decimal("0.25"))


# -- cancel, command line ----------------------------------------------------------------------

def test_cancelling_a_bucketed_export_raises_usage_cancelled(export):
    with pytest.raises(UsageCancelled, match="completions_usage.csv"):
        read_usage(export, cancel=lambda: True)


def test_the_usage_command_shows_requests_rows_and_no_quantiles_for_buckets(export, capsys):
    assert cli_main(["usage", str(export)]) == 0
    out = capsys.readouterr().out
    assert "44 requests in 3 row(s), 2026-01-01 to 2026-01-02 (2 day(s))" in out
    gpt_line = next(line for line in out.splitlines() if line.startswith("gpt-4o-2024-08-06"))
    assert gpt_line.count("–") == 4


def test_the_usage_command_json_has_the_request_count_column(export, capsys):
    assert cli_main(["usage", str(export), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["request_count_column"] == "num_model_requests" and data["requests"] == 44
    assert data["groups"][0]["input_p50"] is None and data["groups"][0]["input_mean"] == "1500"


def test_bucket_rows_take_their_time_from_the_bucket_not_from_when_the_row_was_written(tmp_path):
    # LiteLLM's daily spend table: date of the bucket, created_at / updated_at of the row.
    path = write_csv(tmp_path / "daily.csv", ["created_at", "date", "model", "api_requests", "prompt_tokens",
                                              "completion_tokens"],
                     [["2026-02-01T00:00:00Z", f"2026-01-{d:02d}", "m", 10, 100, 10] for d in (1, 10)])
    stats = read_usage(path)
    assert stats.days_covered == 10 and stats.first == JAN1


def test_a_numeric_time_column_that_is_no_epoch_is_not_read_as_a_date(tmp_path):
    path = write_csv(tmp_path / "latency.csv", ["time", "model", "prompt_tokens", "completion_tokens"],
                     [[1.25, "m", 10, 1], [3.5, "m", 10, 1]])
    stats = read_usage(path)
    assert stats.first is None and stats.days_covered == 1


def test_dates_written_as_numbers_are_read(tmp_path):
    path = write_csv(tmp_path / "billing.csv", ["usage_date", "model", "requests", "input_tokens", "output_tokens"],
                     [[20260101, "m", 10, 100, 10], [20260130, "m", 10, 100, 10]])
    stats = read_usage(path)
    assert stats.first == JAN1 and stats.days_covered == 30


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_an_openai_batch_output_file_is_read_and_its_workloads_run_on_batch(tmp_path):
    line = {"id": "batch_req_1", "custom_id": "r1", "error": None,
            "response": {"status_code": 200, "request_id": "x",
                         "body": {"model": "gpt-4o-mini", "created": 1767225600,
                                  "usage": {"prompt_tokens": 500, "completion_tokens": 50,
                                            "prompt_tokens_details": {"cached_tokens": 100}}}}}
    stats = read_usage(_jsonl(tmp_path / "batch_output.jsonl", [line] * 4))
    assert stats.records == 4 and stats.batch and "Batch" in stats.convention_note
    (group,) = stats.groups
    assert (group.model, group.input_mean, group.output_mean, group.cached_share) == (
        "gpt-4o-mini", 500, 50, Decimal("0.2"))
    assert usage_to_workloads(stats)[0].mode is DeploymentMode.BATCH


def test_an_anthropic_message_batches_results_file_is_read_with_its_cache_convention(tmp_path):
    ok = {"custom_id": "a1", "result": {"type": "succeeded", "message": {
        "id": "msg", "model": "claude-3-5-haiku-20241022",
        "usage": {"input_tokens": 800, "output_tokens": 200, "cache_read_input_tokens": 200}}}}
    failed = {"custom_id": "a2", "result": {"type": "errored", "error": {"type": "invalid_request"}}}
    stats = read_usage(_jsonl(tmp_path / "results.jsonl", [ok, ok, failed]))
    assert (stats.records, stats.skipped, stats.batch) == (2, 1, True)
    (group,) = stats.groups
    assert (group.input_mean, group.cached_share) == (1000, Decimal("0.2"))  # 800 + 200 cache reads


def test_an_ordinary_request_log_stays_on_serverless(tmp_path):
    line = {"model": "gpt-4o-mini", "usage": {"prompt_tokens": 500, "completion_tokens": 50}}
    stats = read_usage(_jsonl(tmp_path / "log.jsonl", [line]))
    assert not stats.batch and usage_to_workloads(stats)[0].mode is DeploymentMode.SERVERLESS
