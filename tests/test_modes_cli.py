"""tokenbudget modes: the comparison and the capacity figures, as text and as JSON with exact money."""

from __future__ import annotations

import json
from decimal import Decimal

from pricing.costing.catalog import resources_dir
from pricing.cli import main

D = Decimal
SAMPLE = str(resources_dir() / "sample-capacity-plan.json")


def run_json(capsys, *args) -> dict:
    assert main(["modes", SAMPLE, "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_gives_each_workload_and_each_capacity_with_money_as_decimal_strings(capsys):
    data = run_json(capsys)
    assert data["month"] == "2026-01-01"
    agent = next(w for w in data["workloads"] if w["workload"] == "Reasoning agent")
    assert agent["serverless_monthly"] == "12000.00" and agent["endpoint_monthly"] == "20000.00"
    assert agent["blended_serverless_rate_per_mtok"] == "1.50"
    assert D(agent["break_even_requests"]) == D(20_000) / D("0.0060")
    assert agent["recommended"] == "serverless" and agent["candidate"] == "ep-maestro"
    caps = {c["id"]: c for c in data["capacity"]}
    assert caps["ep-maestro"]["effective_rate_per_mtok"] == "2.00"
    assert caps["cluster-h100"]["monthly_spend"] == "15000.00"
    assert caps["cluster-h100"]["effective_rate_per_mtok"] == "2.50"
    assert caps["cluster-h100"]["allocations"] == {
        "Statement classification (self-hosted)": "12000.00", "Clinical notes (self-hosted)": "3000.00"}


def test_month_option_takes_a_number_or_a_month_and_shows_the_overflowing_endpoint(capsys):
    by_number = run_json(capsys, "--month", "8")
    by_month = run_json(capsys, "--month", "2026-08")
    assert by_number == by_month
    chat = next(c for c in by_number["capacity"] if c["id"] == "ep-chat")
    assert chat["replicas"] == 1 and chat["replicas_needed"] == 2
    assert any("'ep-chat'" in f["message"] and "needs 2 replicas" in f["message"] for f in by_number["findings"])


def test_endpoint_option_compares_every_workload_against_it(capsys):
    data = run_json(capsys, "--endpoint", "cluster-h100")
    assert {w["candidate"] for w in data["workloads"]} == {"cluster-h100"}


def test_text_output_lists_recommendations_and_capacity(capsys):
    assert main(["modes", SAMPLE]) == 0
    out = capsys.readouterr().out
    assert "→ Batch: offline-capable and 50% cheaper ($3,340.00 vs $6,680.00 a month)" in out
    assert "cluster-h100     GPU cluster   $15,000.00" in out and "$2.50" in out


def test_bad_options_exit_2_with_one_line(capsys):
    assert main(["modes", SAMPLE, "--endpoint", "nope"]) == 2
    assert "no endpoint or cluster 'nope'" in capsys.readouterr().err
    assert main(["modes", SAMPLE, "--month", "13"]) == 2
    assert "the plan runs 12 months" in capsys.readouterr().err
    assert main(["modes", "/nonexistent/plan.json"]) == 3  # bad data: no such plan


def test_modes_and_summary_without_a_plan_read_the_same_bundled_sample_plan(capsys):
    assert main(["modes", "--json"]) == 0
    modes = json.loads(capsys.readouterr().out)
    assert main(["summary", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert modes["plan"] == summary["plan"]
    assert [w["workload"] for w in modes["workloads"]] == [w["name"] for w in summary["workloads"]]
