"""Each kind of actual-spend file read to totals checked by hand, per month and model."""

from decimal import Decimal as Dec

import pytest

from actuals_helpers import FILES, per_month_and_model, sample_plan, unmatched
from pricing.actuals import ActualsSourceError, MatchRules, load_actuals


@pytest.fixture(autouse=True)
def _rules_store(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKENBUDGET_ACTUALS_RULES", str(tmp_path / "rules"))


def load(name, **kw):
    return load_actuals(sample_plan(), [FILES / name], **kw)


# Hand totals: amounts summed per month and model, then rounded half up to the cent.
CASES = {
    # 12.34567890123 + 7.5 = 19.84567890123; 3.33333333333 + 0.004 = 3.33733333333; a blank day row
    "openai_costs.csv": ("openai-costs", {("2026-01", "gpt-4o-2024-08-06"): "19.85",
                                          ("2026-02", "gpt-4o-mini-2024-07-18"): "3.34"}, None),
    "openai_costs_page.json": ("openai-costs", {("2026-01", "gpt-4o-2024-08-06"): "19.85",
                                                ("2026-02", "gpt-4o-mini-2024-07-18"): "3.34"}, None),
    # amounts in cents: 123.45 + 2000 = 2123.45 ¢ = $21.2345; 55.5 ¢ = $0.555 -> 0.56 (half up)
    "anthropic_cost_report.json": ("anthropic-costs", {("2026-01", "claude-sonnet-4-5-20250929"): "21.23",
                                                       ("2026-02", "claude-haiku-4-5-20251001"): "0.56"}, None),
    "anthropic_costs.csv": ("anthropic-costs", {("2026-01", "claude-sonnet-4-5-20250929"): "21.23",
                                                ("2026-02", "claude-haiku-4-5-20251001"): "0.56"}, None),
    # 10.25 + 5.10 in January
    "openrouter_activity.csv": ("openrouter", {("2026-01", "openai/gpt-oss-120b"): "15.35",
                                               ("2026-02", "arcee-ai/maestro-reasoning"): "99.99",
                                               ("2026-02", "mistralai/mistral-small-3.2"): "0.42"},
                                {("2026-02", "mistralai/mistral-small-3.2"): "0.42"}),
    # 0.0069 × 2 = 0.0138 -> 0.01; 0.006 -> 0.01; 0.0015 -> 0.00
    "openrouter_generations.csv": ("openrouter", {("2026-01", "arcee-ai/maestro-reasoning"): "0.01",
                                                  ("2026-02", "arcee-ai/maestro-reasoning"): "0.01",
                                                  ("2026-02", "qwen/qwen3-coder"): "0.00"},
                                   {("2026-02", "qwen/qwen3-coder"): "0.00"}),
    # 0.4992 + 0.5004 = 0.9996 -> 1.00; February: 2.50 for Umbrella Corp (no such tenant) + 1.00
    "litellm_spend_logs.csv": ("litellm", {("2026-01", "zai-org/GLM-5.3-Flash"): "1.00",
                                           ("2026-02", "zai-org/GLM-5.3-Flash"): "3.50"},
                               {("2026-02", "zai-org/GLM-5.3-Flash"): "2.50"}),
    "together-usage-2026-q1.csv": ("together", {("2026-01", "together/Tev1-4B-experimental"): "140.00",
                                                ("2026-02", "together/Tev1-4B-experimental"): "144.20",
                                                ("2026-02", "meta-llama/Llama-3.3-70B-Instruct-Turbo"): "1.76",
                                                ("2026-03", "together/Tev1-4B-experimental"): "148.53"},
                                   {("2026-02", "meta-llama/Llama-3.3-70B-Instruct-Turbo"): "1.76"}),
    # EffectiveCost: the purchase is 0 (amortized), usage 40.123456 + 20.5, tax 3.20, credit -5.00;
    # the CAD row is left out.
    "focus_sample.csv": ("focus", {("2026-01", "guide/typical-chat-model"): "60.62",
                                   ("2026-01", "Together AI Inference"): "3.20",
                                   ("2026-01", "commit-1k"): "0.00",
                                   ("2026-02", "together/Tev1-4B-experimental"): "7.78",
                                   ("2026-02", "Together AI Inference"): "-5.00"},
                         {("2026-01", "Together AI Inference"): "3.20", ("2026-01", "commit-1k"): "0.00",
                          ("2026-02", "Together AI Inference"): "-5.00"}),
    # the query --print-sql prints, run on a warehouse: 31.80; 32.595 -> 32.60 and 0.01 for Hooli
    "warehouse_result.csv": ("warehouse", {("2026-01", "openai/gpt-oss-120b"): "31.80",
                                           ("2026-02", "openai/gpt-oss-120b"): "32.61"},
                             {("2026-02", "openai/gpt-oss-120b"): "0.01"}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_source_read_to_hand_totals_per_month_and_model(name):
    kind, totals, missing = CASES[name]
    loaded = load(name)
    assert {s.kind for s in loaded.read.sources} == {kind}
    assert per_month_and_model(loaded.lines) == {k: Dec(v) for k, v in totals.items()}
    expected_unmatched = missing if missing is not None else totals
    assert unmatched(loaded.lines) == {k: Dec(v) for k, v in expected_unmatched.items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loading_the_same_file_twice_gives_the_same_totals(name):
    once = load(name)
    twice = load_actuals(once.plan, [FILES / name])
    assert per_month_and_model(twice.plan.actuals) == per_month_and_model(once.plan.actuals)
    assert sorted(twice.plan.actuals, key=repr) == sorted(once.plan.actuals, key=repr)


def test_spend_matching_several_workloads_is_shared_by_planned_cost_to_the_cent():
    lines = [l for l in load("openrouter_activity.csv").lines if l.month.month == 1]
    # January plan: Statement classification $1,026.00, Clinical notes (staging) $31.80;
    # Clinical notes (production) starts in April. 15.35 × 1026 / 1057.80 = 14.8885 -> 14.89; 0.46 the rest.
    assert {l.workload: l.cost for l in lines} == {"Statement classification": Dec("14.89"),
                                                   "Clinical note drafting (staging)": Dec("0.46")}
    loaded = load("openrouter_activity.csv")
    assert any("openai/gpt-oss-120b" in f.message and "matches 2 workloads" in f.message for f in loaded.findings)


def test_focus_billed_cost_counts_the_commitment_purchase():
    loaded = load("focus_sample.csv", cost_basis="billed")
    assert per_month_and_model(loaded.lines)[("2026-01", "commit-1k")] == Dec("1000.00")
    assert per_month_and_model(loaded.lines)[("2026-01", "guide/typical-chat-model")] == Dec("0.00")


def test_spend_in_another_currency_is_a_finding_not_a_figure():
    loaded = load("focus_sample.csv")
    assert not [l for l in loaded.lines if l.month.month == 3]
    assert any("CAD" in f.message and f.severity == "error" for f in loaded.findings)


def test_usage_log_is_priced_at_the_plans_rates():
    loaded = load("usage_log.jsonl")
    # typical chat model: $0.18 in, $0.59 out per 1M; February 1M + 1M tokens = $0.77;
    # January (3,000 in + 500 out) = $0.000835 -> $0.00
    assert per_month_and_model(loaded.lines) == {("2026-01", "guide/typical-chat-model"): Dec("0.00"),
                                                 ("2026-02", "guide/typical-chat-model"): Dec("0.77")}
    assert {l.workload for l in loaded.lines} == {"Assistant chat (staging)"}
    assert any("mystery/model-x" in f.message and f.severity == "error" for f in loaded.findings)


def test_matching_rules_send_a_project_to_a_workload_and_are_remembered(tmp_path):
    rules = MatchRules.model_validate({"rules": [{"when": {"resource": "proj_Xa1"}, "workload": "Assistant chat"}]})
    first = load("openai_costs.csv", rules=rules)
    assert {l.workload for l in first.lines} == {"Assistant chat"}
    again = load("openai_costs.csv")  # no rules given: the remembered ones
    assert {l.workload for l in again.lines} == {"Assistant chat"}


def test_a_dimension_can_be_read_from_another_tag():
    rules = MatchRules(dimensions={"tenant": "tag:tenant", "environment": "tag:environment"})
    loaded = load("litellm_spend_logs.csv", rules=rules)
    assert per_month_and_model([l for l in loaded.lines if l.workload == "Code copilot (staging)"]) == {
        ("2026-01", "zai-org/GLM-5.3-Flash"): Dec("1.00"), ("2026-02", "zai-org/GLM-5.3-Flash"): Dec("1.00")}


def test_price_check_sets_the_apps_price_beside_the_bill_per_model():
    checks = {c.model: c for c in load("together-usage-2026-q1.csv").checks}
    tev = checks["together/Tev1-4B-experimental"]
    # 3.5e9 + 3.605e9 + 3.71315e9 tokens at $0.04 per 1M = 140 + 144.20 + 148.526
    assert tev.billed == Dec("432.73") and tev.app == Dec("432.726")
    assert tev.difference == Dec("0.004")
    assert checks["meta-llama/Llama-3.3-70B-Instruct-Turbo"].app is None


def test_a_file_that_is_not_spend_is_refused_naming_it(tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ActualsSourceError, match="notes.csv"):
        load_actuals(sample_plan(), [bad])


def test_a_hive_partitioned_parquet_folder_is_read_in_place(tmp_path):
    import duckdb

    folder = tmp_path / "focus"
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 'USD' AS BillingCurrency,
                         TIMESTAMP '2026-01-01' + INTERVAL (i % 3) MONTH AS ChargePeriodStart,
                         'Usage' AS ChargeCategory, 0.25 AS BilledCost, 0.25 AS EffectiveCost,
                         '{{"tenant": "Initech Health", "feature": "Search", "model": "together/Tev1-4B-experimental"}}' AS Tags,
                         year(ChargePeriodStart) AS billing_year, month(ChargePeriodStart) AS billing_month
                  FROM range(300) t(i))
                  TO '{folder}' (FORMAT parquet, PARTITION_BY (billing_year, billing_month))""")
    loaded = load_actuals(sample_plan(), [folder])
    assert per_month_and_model(loaded.lines) == {(m, "together/Tev1-4B-experimental"): Dec("25.00")
                                                 for m in ("2026-01", "2026-02", "2026-03")}
    assert {l.workload for l in loaded.lines} == {"Intake embeddings"}


def test_tags_that_are_not_json_read_as_no_tags(tmp_path):
    text = (FILES / "focus_sample.csv").read_text()
    broken = tmp_path / "focus_broken.csv"
    broken.write_text(text.replace('"{""tenant"": ""Initech Health""', '"{tenant: Initech Health', 1))
    loaded = load_actuals(sample_plan(), [broken])
    assert per_month_and_model(loaded.lines)[("2026-02", "together/Tev1-4B-experimental")] == Dec("7.78")
    # without its tags the line is matched by its model alone (read from SkuPriceDetails)
    assert [l.workload for l in loaded.lines if l.month.month == 2 and l.model.startswith("together/")] == [
        "Intake embeddings"]


def plan_with_openai_rate():
    from pricing.costing.catalog import load_catalog

    plan = sample_plan()
    return plan.model_copy(update={"rates": plan.rates + (load_catalog().get("openai/gpt-4o-mini"),)})


@pytest.mark.parametrize("name", ["openai_usage_completions.csv", "openai_usage_page.json"])
def test_openai_usage_export_is_priced_at_the_plans_rates(name):
    loaded = load_actuals(plan_with_openai_rate(), [FILES / name])
    # gpt-4o-mini: $0.15 input, $0.075 cached, $0.60 output per 1M. January: 800k uncached + 200k cached
    # + 500k output = 0.12 + 0.015 + 0.30 = 0.435 -> 0.44; February: 2M input + 1M output = 0.30 + 0.60
    assert per_month_and_model(loaded.lines) == {("2026-01", "gpt-4o-mini-2024-07-18"): Dec("0.44"),
                                                 ("2026-02", "gpt-4o-mini-2024-07-18"): Dec("0.90")}
    assert unmatched(loaded.lines) == per_month_and_model(loaded.lines)  # no workload runs gpt-4o-mini
    assert sum(l.requests for l in loaded.lines) == 3000


def test_reading_a_billing_export_leaves_nothing_to_the_cyclic_collector():
    """The window freezes what the collector holds after large builds: anything a read leaves in a
    reference cycle (a nested function calling itself held every column found) would stay."""
    import gc

    load("focus_sample.csv")  # modules and connections made once
    gc.collect()
    gc.disable()
    try:
        assert load("focus_sample.csv").read.groups
        assert gc.collect() == 0
    finally:
        gc.enable()
