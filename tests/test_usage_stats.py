"""Usage-log statistics equal a hand-computed expectation; both cache conventions kept apart."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from pricing.cli import main as cli_main
from pricing.usage.stats import UsageLogError, read_usage, usage_to_workloads

DAY = 86_400
JAN1 = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())

#: gpt-4o / chat: four OpenAI-compatible API responses over the log's ten days.
CHAT = [  # (day, prompt, completion, cached, reasoning)
    (0, 100, 10, 0, 0),
    (3, 200, 20, 100, 5),
    (6, 300, 30, 150, 0),
    (9, 400, 40, 0, 12),
]


def openai_response(day, prompt, completion, cached, reasoning, model="gpt-4o", **tags):
    return {"id": f"chatcmpl-{day}-{prompt}", "object": "chat.completion", "created": JAN1 + day * DAY + 3600,
            "model": model, "choices": [{"index": 0, "message": {"role": "assistant", "content": "…"}}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
                      "prompt_tokens_details": {"cached_tokens": cached},
                      "completion_tokens_details": {"reasoning_tokens": reasoning}},
            "metadata": {"feature": "chat", "tenant": "acme"} | tags}


@pytest.fixture
def mixed_log(tmp_path):
    path = tmp_path / "usage.jsonl"
    lines = [json.dumps(openai_response(*row)) for row in CHAT]
    # A log entry wrapping the response, ISO timestamp, tag at the top level.
    lines.append(json.dumps({"timestamp": "2026-01-05T12:00:00Z", "feature": "search",
                             "response": {"model": "gpt-4o-mini", "usage": {"prompt_tokens": 1000,
                                                                            "completion_tokens": 50}}}))
    # Anthropic-style usage: input_tokens exclude cache reads and writes.
    lines.append(json.dumps({"created": JAN1 + 2 * DAY, "model": "claude-sonnet-4-5", "feature": "chat",
                             "usage": {"input_tokens": 10, "cache_read_input_tokens": 90,
                                       "cache_creation_input_tokens": 20, "output_tokens": 5}}))
    lines.append("{not json")
    lines.append(json.dumps({"created": JAN1, "model": "gpt-4o", "usage": None}))
    path.write_text("\n".join(lines) + "\n")
    return path


def linear_quantile(values, q):
    """Hand computation of the linear-interpolation quantile (what quantile_cont returns)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * Decimal(str(q))
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return Decimal(ordered[low]) + (Decimal(ordered[high]) - Decimal(ordered[low])) * (position - low)


def test_statistics_per_model_and_feature_equal_the_hand_computed_ones(mixed_log):
    stats = read_usage(mixed_log, ["feature"])
    assert (stats.records, stats.skipped) == (6, 2)
    assert stats.days_covered == 10  # Jan 1 to Jan 10 inclusive
    assert stats.convention == "mixed"
    chat = next(g for g in stats.groups if g.model == "gpt-4o")
    assert chat.tags == {"feature": "chat"} and chat.requests == 4
    assert chat.requests_per_day == Decimal("0.4")
    assert chat.requests_per_month == Decimal("0.4") * Decimal("30.4375") == Decimal("12.175")
    prompts, completions = [r[1] for r in CHAT], [r[2] for r in CHAT]
    assert chat.input_mean == Decimal(250) and chat.output_mean == Decimal(25)
    assert chat.input_p50 == linear_quantile(prompts, 0.5) == 250
    assert chat.input_p95 == linear_quantile(prompts, 0.95) == 385
    assert chat.output_p95 == linear_quantile(completions, 0.95) == Decimal("38.5")
    # cached share = cached / prompt, never cached added on top of prompt
    assert chat.cached_share == Decimal(250) / Decimal(1000)
    assert chat.reasoning_tokens == 17 and chat.output_tokens == 100  # reasoning is inside completion


def test_anthropic_usage_adds_cache_reads_and_writes_back_into_the_prompt(mixed_log):
    stats = read_usage(mixed_log)
    claude = next(g for g in stats.groups if g.model == "claude-sonnet-4-5")
    assert claude.input_tokens == 10 + 90 + 20
    assert claude.cached_share == Decimal(90) / Decimal(120)
    assert claude.cache_write_tokens == 20
    assert stats.convention_counts == {"openai": 5, "anthropic": 1}
    assert "Anthropic-style" in stats.convention_note and "OpenAI-compatible" in stats.convention_note


def test_wrapped_log_entries_and_top_level_tags_are_read(mixed_log):
    stats = read_usage(mixed_log, ["feature"])
    mini = next(g for g in stats.groups if g.model == "gpt-4o-mini")
    assert mini.tags == {"feature": "search"} and mini.input_tokens == 1000 and mini.cached_share == 0


def test_a_csv_export_gives_the_same_statistics(tmp_path, mixed_log):
    path = tmp_path / "usage.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "model", "prompt_tokens", "completion_tokens", "cached_tokens", "feature"])
        for day, prompt, completion, cached, _ in CHAT:
            stamp = datetime.fromtimestamp(JAN1 + day * DAY + 3600, timezone.utc).isoformat()
            writer.writerow([stamp, "gpt-4o", prompt, completion, cached, "chat"])
    from_csv = read_usage(path, ["feature"]).groups[0]
    from_json = next(g for g in read_usage(mixed_log, ["feature"]).groups if g.model == "gpt-4o")
    for name in ("requests", "input_mean", "input_p50", "input_p95", "output_mean", "output_p95", "cached_share",
                 "requests_per_month"):
        assert getattr(from_csv, name) == getattr(from_json, name), name


def test_anthropic_csv_export_is_detected(tmp_path):
    path = tmp_path / "anthropic.csv"
    path.write_text("created,model,input_tokens,cache_read_input_tokens,output_tokens\n"
                    f"{JAN1},claude-sonnet-4-5,100,300,50\n")
    stats = read_usage(path)
    assert stats.convention == "anthropic" and stats.groups[0].input_tokens == 400
    assert stats.groups[0].cached_share == Decimal("0.75")


def test_groups_become_workloads(mixed_log, catalog):
    stats = read_usage(mixed_log, ["feature", "tenant"])
    chat = next(g for g in stats.groups if g.model == "gpt-4o")
    (workload,) = usage_to_workloads(stats, catalog=catalog, groups=[chat])
    assert workload.model == catalog.resolve("gpt-4o").id
    assert (workload.input_tokens, workload.output_tokens) == (250, 25)
    assert workload.cached_share == Decimal("0.25") and workload.requests_per_month == 12
    assert (workload.feature, workload.tenant) == ("chat", "acme")


def test_a_log_without_the_needed_columns_is_refused_with_its_name(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(UsageLogError, match="other.csv: needs columns model"):
        read_usage(path)


def test_usage_command_prints_json_per_feature(mixed_log, capsys):
    assert cli_main(["usage", str(mixed_log), "--by", "feature", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    chat = next(g for g in data["groups"] if g["model"] == "gpt-4o")
    assert chat["input_p95"] == "385.0" and chat["cached_share"] == "0.25"
    assert data["month_basis"].startswith("requests per day × 30.4375")


def test_usage_command_table(mixed_log, capsys):
    assert cli_main(["usage", str(mixed_log), "--by", "feature"]) == 0
    out = capsys.readouterr().out
    assert "6 requests, 2026-01-01 to 2026-01-10 (10 day(s)); 2 record(s)" in out
    assert "gpt-4o" in out and "25.0%" in out


def test_a_gzipped_log_streams_the_same(tmp_path, mixed_log):
    import gzip

    packed = tmp_path / "usage.jsonl.gz"
    packed.write_bytes(gzip.compress(mixed_log.read_bytes()))
    plain, gz = read_usage(mixed_log, ["feature"]), read_usage(packed, ["feature"])
    assert [g.as_dict() for g in gz.groups] == [g.as_dict() for g in plain.groups]


def test_usage_command_writes_a_plan_of_measured_workloads(mixed_log, tmp_path, capsys, catalog):
    from pricing.files.planfile import load_plan_json

    target = tmp_path / "measured.json"
    assert cli_main(["usage", str(mixed_log), "--by", "feature", "--plan", str(target)]) == 0
    plan = load_plan_json(target)
    chat = next(w for w in plan.workloads if w.model == catalog.resolve("gpt-4o").id and w.feature == "chat")
    assert (chat.input_tokens, chat.requests_per_month) == (250, 12)
    assert catalog.resolve("gpt-4o") in plan.rates


def test_the_report_ends_with_all_models_together(mixed_log, capsys):
    stats = read_usage(mixed_log, by=["feature"])
    total = stats.total
    prompts = [p for _d, p, _c, _k, _r in CHAT] + [1000, 120]  # the Anthropic record's prompt is 10 + 90 + 20
    outputs = [c for _d, _p, c, _k, _r in CHAT] + [50, 5]
    assert total.model == "all models" and total.requests == 6 == sum(g.requests for g in stats.groups)
    assert total.input_mean == Decimal(sum(prompts)) / 6 and total.output_mean == Decimal(sum(outputs)) / 6
    assert total.input_p50 == linear_quantile(prompts, 0.5) and total.input_p95 == linear_quantile(prompts, 0.95)
    assert total.output_p95 == linear_quantile(outputs, 0.95)
    assert total.cached_share == Decimal(250 + 90) / sum(prompts)
    assert cli_main(["usage", str(mixed_log)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("all models") and " 6 " in last and f"{float(total.cached_share):.1%}" in last
    assert cli_main(["usage", str(mixed_log), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["requests"] == 6 and list(data)[-1] == "total"
    assert Decimal(data["total"]["input_p50"]) == total.input_p50
