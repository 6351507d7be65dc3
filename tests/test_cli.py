"""The tokenbudget command line."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from pricing.costing.catalog import load_catalog, sample_plan_path
from pricing.costing.projection import project


def tb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.launcher", *args], capture_output=True, text=True, timeout=120)


def test_cost_of_seed_example_is_0_0060_a_request_and_12000_a_month():
    out = tb("cost", "arcee-ai/maestro-reasoning", "3000", "1000", "--requests", "2000000", "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 0
    assert data["request_cost"]["total"] == "0.0060"
    assert data["monthly_cost"] == "12000.00"
    assert data["warnings"] == []


def test_cost_on_batch_is_6000_with_a_warning_that_the_mode_is_not_listed():
    out = tb("cost", "arcee-ai/maestro-reasoning", "3000", "1000", "--requests", "2000000", "--mode", "batch", "--json")
    data = json.loads(out.stdout)
    assert data["monthly_cost"] == "6000.00"
    assert len(data["warnings"]) == 1 and "does not list Batch" in data["warnings"][0]
    assert "does not list Batch" in out.stderr


def test_cost_accepts_numbers_as_people_write_them():
    data = json.loads(tb("cost", "arcee-ai/maestro-reasoning", "3k", "1,000", "--requests", "2M", "--json").stdout)
    assert data["monthly_cost"] == "12000.00"


def test_cost_json_money_values_are_strings_never_floats():
    data = json.loads(tb("cost", "arcee-ai/maestro-reasoning", "3000", "1000", "--json").stdout)
    for value in [*data["request_cost"].values(), *data["rates_per_mtok"].values(), data["monthly_cost"]]:
        assert isinstance(value, str)
        Decimal(value)


@pytest.mark.parametrize("args, message", [
    (("cost", "no/such-model", "1", "1"), "not in the catalog"),
    (("cost", "arcee-ai/maestro-reasoning", "-5", "1"), "must not be negative"),
    (("cost", "arcee-ai/maestro-reasoning", "lots", "1"), "not a number"),
    (("cost", "arcee-ai/maestro-reasoning", "1", "1", "--mode", "teleport"), "unknown deployment mode"),
    (("summary", "/nonexistent/plan.xlsx"), "no such file"),
    (("catalog", "--provider", "nobody"), "no provider"),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(args, message):
    out = tb(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_catalog_lists_together_models_as_json():
    data = json.loads(tb("catalog", "--provider", "together", "--json").stdout)
    ids = {m["id"] for m in data["models"]}
    assert "together/arcee-ai/maestro-reasoning" in ids
    assert all(m["provider"] == "together" for m in data["models"])


def test_summary_json_total_equals_the_core(sample_plan):
    data = json.loads(tb("summary", str(sample_plan_path()), "--json", "--by", "model").stdout)
    assert Decimal(data["total"]) == project(sample_plan).total
    assert len(data["workloads"]) == len(sample_plan.workloads)
    assert data["workloads"][0]["cost_per_request"] == "0.0060"


def test_summary_months_option_shortens_the_projection():
    data = json.loads(tb("summary", "--months", "12", "--json").stdout)
    assert len(data["months"]) == 12


@pytest.mark.parametrize("command", ["cost", "catalog", "summary"])
def test_every_command_has_help(command):
    out = tb(command, "--help")
    assert out.returncode == 0 and "usage:" in out.stdout


def test_cost_agrees_with_genai_prices_for_every_together_model():
    genai = pytest.importorskip("genai_prices")
    from datetime import datetime, timezone

    from pricing.cli import main

    rates = [r for r in load_catalog() if r.provider == "together" and r.source.startswith("genai-prices")]
    import contextlib
    import io

    for rate in rates:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
            assert main(["cost", rate.id, "3000", "1000", "--json", "--date", "2026-11-25"]) == 0
        ours = Decimal(json.loads(buf.getvalue())["request_cost"]["total"])
        theirs = genai.calc_price(genai.Usage(input_tokens=3000, output_tokens=1000), rate.model_id,
                                  provider_id="together",
                                  genai_request_timestamp=datetime(2026, 11, 25, tzinfo=timezone.utc)).total_price
        assert ours == theirs, rate.id
