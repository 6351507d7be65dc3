"""Someone else's budget with GPU clusters and dedicated endpoints imports as what its sheets say."""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from pricing.cli import main
from pricing.importer import import_file
from pricing.plan.models import DeploymentMode
from tests.import_helpers import private_mapping_store  # noqa: F401 - autouse fixture

D = Decimal
CLUSTER_HEADER = ["Cluster", "Model", "GPU type", "GPUs", "$/GPU-hour", "Hours per month",
                  "Throughput tokens/s per GPU", "Storage & networking $/month"]


def gpu_cluster_budget(path, capacity_sheet="GPU clusters", header=CLUSTER_HEADER, mode="GPU cluster"):
    """The seed's GPU-cluster example: 8 H100s at $2.50 for 730 h plus $400 storage and networking."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Workloads"
    sheet.append(["Workload", "Model", "Input tokens", "Output tokens", "Requests / month", "Deployment", "Cluster"])
    sheet.append(["Reasoning service", "arcee-ai/maestro-reasoning", 4000, 1000, 1_200_000, mode, "maestro-h100"])
    clusters = book.create_sheet(capacity_sheet)
    clusters.append(header)
    clusters.append(["maestro-h100", "arcee-ai/maestro-reasoning", "H100", 8, 2.50, 730, 2500, 400][:len(header)])
    book.save(path)
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(list(args)) == 0
    return out.getvalue()


def test_gpu_cluster_budget_imports_as_a_cluster_with_its_storage_and_per_gpu_throughput(tmp_path):
    plan = import_file(gpu_cluster_budget(tmp_path / "budget.xlsx"), remember=False).plan
    assert not plan.endpoints
    (cluster,) = plan.clusters
    assert (cluster.id, cluster.gpu_count, cluster.gpu_hour_rate, cluster.storage_monthly,
            cluster.throughput_tokens_per_s_per_gpu) == ("maestro-h100", 8, D("2.5"), D(400), D(2500))
    assert plan.workloads[0].mode is DeploymentMode.GPU_CLUSTER and plan.workloads[0].capacity == "maestro-h100"


def test_gpu_cluster_budget_from_import_to_modes_shows_spend_effective_rate_and_break_even(tmp_path):
    budget = gpu_cluster_budget(tmp_path / "budget.xlsx")
    _run("import", str(budget), "-o", str(tmp_path / "plan.json"))
    report = json.loads(_run("modes", str(tmp_path / "plan.json"), "--json"))
    (line,) = report["workloads"]
    (capacity,) = report["capacity"]
    assert capacity["kind"] == "gpu_cluster" and capacity["monthly_spend"] == "15000.00"  # 8 × 2.50 × 730 + 400
    assert capacity["effective_rate_per_mtok"] == "2.50"  # $15,000 / 6,000M tokens
    assert line["serverless_cost_per_request"] == "0.0069" and line["endpoint_monthly"] == "15000.00"
    assert round(D(line["break_even_requests"])) == 2_173_913  # $15,000 / $0.0069
    assert not [f for f in report["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize("sheet_name", ["Dedicated Model Inference", "Dedicated Container Inference"])
def test_dedicated_inference_sheets_import_as_endpoints_with_per_gpu_throughput_per_replica(tmp_path, sheet_name):
    header = ["Endpoint", "Model", "GPU type", "GPUs per replica", "$/GPU-hour", "Hours per month",
              "Throughput tokens/s per GPU"]
    budget = gpu_cluster_budget(tmp_path / "budget.xlsx", sheet_name, header, mode=sheet_name)
    plan = import_file(budget, remember=False).plan
    assert not plan.clusters
    (endpoint,) = plan.endpoints
    assert endpoint.gpus_per_replica == 8 and endpoint.throughput_tokens_per_s == D(2500) * 8
    assert plan.workloads[0].mode is DeploymentMode.DEDICATED


def test_a_capacity_sheet_titled_gpu_clusters_is_read_as_clusters_even_without_storage(tmp_path):
    budget = gpu_cluster_budget(tmp_path / "budget.xlsx", header=CLUSTER_HEADER[:7])
    plan = import_file(budget, remember=False).plan
    assert [c.id for c in plan.clusters] == ["maestro-h100"] and not plan.endpoints


def test_a_budgets_own_costs_are_checked_and_each_difference_beyond_a_cent_named_by_cell(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget"
    sheet.append(["Workload", "Model", "Input tokens", "Output tokens", "Requests / month", "Cost / request", "Monthly cost"])
    sheet.append(["Agrees", "arcee-ai/maestro-reasoning", 3000, 1000, 2_000_000, 0.006, 12000])
    sheet.append(["Old price", "arcee-ai/maestro-reasoning", 3000, 1000, 2_000_000, 0.0055, 11000.005])
    sheet.append(["A cent off", "arcee-ai/maestro-reasoning", 3000, 1000, 2_000_000, 0.006, 12000.01])
    path = tmp_path / "budget.xlsx"
    book.save(path)
    result = import_file(path, remember=False)
    found = {(f.cell, f.message) for f in result.report.findings if f.field and f.field.startswith("stated_")}
    cells = sorted(cell for cell, _m in found)
    assert cells == ["F3", "G3"]
    monthly = next(m for cell, m in found if cell == "G3")
    assert "states a monthly cost of $11,000.01 and the app computes $12,000.00" in monthly
    per_request = next(m for cell, m in found if cell == "F3")
    assert "a cost per request of $0.0055 and the app computes $0.0060" in per_request and "$1,000.00" in per_request


def test_an_id_two_providers_list_is_refused_by_import_and_usage_until_provider_says_whose(tmp_path):
    budget = tmp_path / "budget.csv"
    budget.write_text("Workload,Model,Input tokens,Output tokens,Requests / month\nSearch,openai/gpt-oss-120b,900,60,12M\n")
    log = tmp_path / "log.jsonl"
    log.write_text('{"model": "openai/gpt-oss-120b", "usage": {"prompt_tokens": 1000, "completion_tokens": 200}}\n')
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        assert main(["import", str(budget), "-o", str(tmp_path / "a.json")]) != 0
        assert main(["usage", str(log), "--plan", str(tmp_path / "u.json")]) != 0
    assert "together/openai/gpt-oss-120b" in err.getvalue() and "--provider" in err.getvalue()
    assert not (tmp_path / "a.json").exists() and not (tmp_path / "u.json").exists()
    _run("import", str(budget), "-o", str(tmp_path / "a.json"), "--provider", "together")
    _run("usage", str(log), "--plan", str(tmp_path / "u.json"), "--provider", "openai")
    assert json.loads((tmp_path / "a.json").read_text())["workloads"][0]["model"] == "together/openai/gpt-oss-120b"
    assert json.loads((tmp_path / "u.json").read_text())["workloads"][0]["model"] == "openai/gpt-oss-120b"


def test_a_usage_logs_reasoning_tokens_stay_inside_its_output_and_cache_writes_get_their_share(tmp_path):
    from pricing.costing.catalog import load_catalog
    from pricing.usage.stats import read_usage, usage_to_workloads

    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps({"model": "claude-sonnet-4-5", "type": "message", "usage": {
        "input_tokens": 600, "cache_read_input_tokens": 200, "cache_creation_input_tokens": 200,
        "output_tokens": 500}}) + "\n" + json.dumps({"model": "gpt-5", "usage": {
            "prompt_tokens": 1000, "completion_tokens": 800,
            "completion_tokens_details": {"reasoning_tokens": 600}}}) + "\n")
    stats = read_usage(log)
    by_model = {w.model: w for w in usage_to_workloads(stats, catalog=load_catalog())}
    gpt = by_model["openai/gpt-5"]
    assert (gpt.output_tokens, gpt.reasoning_tokens) == (800, 0)  # 600 reasoning tokens are inside the 800
    claude = by_model["anthropic/claude-sonnet-4-5"]
    assert (claude.input_tokens, claude.cached_share, claude.cache_write_share) == (1000, D("0.2"), D("0.2"))
