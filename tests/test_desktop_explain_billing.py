"""Explain writes out every billed component, how a capacity's spend and a workload's share of it
were computed, and how a total adds up."""

from __future__ import annotations

from decimal import Decimal

from pricing.costing.catalog import load_catalog
from pricing.importer import import_file
from desktop_helpers import data_dir, plan_path, window  # noqa: F401
from tests.import_helpers import private_mapping_store  # noqa: F401 - autouse fixture
from tests.test_import_capacity_sheets import gpu_cluster_budget

D = Decimal


def test_explain_lists_cache_writes_reasoning_and_the_request_fee_on_their_own_lines(window):
    from desktop.explain import explain_lines

    doc = window.document
    sonar = load_catalog().resolve("perplexity/sonar")
    w = doc.plan.workloads[0].model_copy(update={"model": sonar.id, "cache_write_share": D("0.1"),
                                                 "reasoning_tokens": D(200)})
    doc.replace_plan(doc.plan.model_copy(update={"rates": (*doc.plan.rates, sonar),
                                                 "workloads": (w, *doc.plan.workloads[1:])}))
    lines = explain_lines(doc, 0)
    assert "Cache Write Cost (5 min) = (300 / 1,000,000) × $1.00 = $0.0003" in lines
    assert "Reasoning Cost = (200 / 1,000,000) × $1.00 = $0.0002" in lines
    assert "Request Fee = $12.00 per 1,000 requests = $0.0120" in lines
    assert any(line.startswith("Total over 36 months = ") and "monthly amounts" in line for line in lines)


def test_explain_shows_how_a_clusters_spend_and_the_workloads_share_were_computed(window, tmp_path):
    from desktop.explain import explain_lines

    plan = import_file(gpu_cluster_budget(tmp_path / "budget.xlsx"), remember=False).plan
    window.document.replace_plan(plan)
    lines = explain_lines(window.document, 0)
    assert any(line.startswith("Spend of 'maestro-h100' in ") and line.endswith(
        "= 8 GPUs × $2.50/GPU-hour × 730 h + $400.00 storage + $0.00 networking = $15,000.00") for line in lines)
    assert any(line.startswith("Share = $15,000.00 × 6,000,000,000 / 6,000,000,000 = $15,000.00") for line in lines)
    assert any(line.startswith("Effective rate = $15,000.00 / (6,000,000,000 / 1,000,000) = $2.50/1M") for line in lines)
