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
