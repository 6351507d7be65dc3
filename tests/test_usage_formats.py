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
from pricing.usage import DAYS_PER_MONTH, UsageCancelled, UsageLogError, read_usage, usage_to_workloads

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

def test_a_numeric_time_column_that_is_no_epoch_is_not_read_as_a_date(tmp_path):
    path = write_csv(tmp_path / "latency.csv", ["time", "model", "prompt_tokens", "completion_tokens"],
                     [[1.25, "m", 10, 1], [3.5, "m", 10, 1]])
    stats = read_usage(path)
    assert stats.first is None and stats.days_covered == 1
