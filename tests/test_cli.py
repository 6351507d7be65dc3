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


@pytest.mark.parametrize("args, message, status", [
    (("cost", "no/such-model", "1", "1"), "not in the catalog", 3),
    (("cost", "arcee-ai/maestro-reasoning", "-5", "1"), "must not be negative", 2),
    (("cost", "arcee-ai/maestro-reasoning", "lots", "1"), "not a number", 2),
    (("cost", "arcee-ai/maestro-reasoning", "1", "1", "--mode", "teleport"), "unknown deployment mode", 2),
    (("summary", "/nonexistent/plan.xlsx"), "no such file", 3),
    (("catalog", "--provider", "nobody"), "no provider", 2),
])
def test_bad_input_exits_with_its_status_one_line_and_no_traceback(args, message, status):
    """2 for bad usage, 3 for data that cannot be read or priced."""
    out = tb(*args)
    assert out.returncode == status
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


def _cost_json(*args: str) -> dict:
    import contextlib
    import io

    from pricing.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        assert main(["cost", *args, "--json"]) == 0, args
    return json.loads(buf.getvalue())


def test_every_id_the_catalog_lists_prices_with_cost():
    import contextlib
    import io

    from pricing.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["catalog", "--json"]) == 0
    ids = [m["id"] for m in json.loads(buf.getvalue())["models"]]
    assert len(ids) > 600
    for model_id in ids:
        out = _cost_json(model_id, "1000", "100")
        assert out["model"] == model_id and Decimal(out["request_cost"]["total"]) >= 0


def test_cost_shows_every_component_as_its_own_line():
    out = tb("cost", "anthropic/claude-sonnet-4-5", "10k", "500", "--cached-share", "50%", "--cache-write-share",
             "20%", "--cache-write-1h-share", "50%", "--reasoning", "300", "--date", "2026-11-25")
    for label in ("input", "cached input", "cache write (5 min)", "cache write (1 h)", "output", "reasoning"):
        assert f"  {label} " in out.stdout, label
    fee = _cost_json("perplexity/sonar", "1000", "100", "--requests", "1000")
    assert fee["request_cost"]["request_fee"] == "0.0120" and fee["monthly_cost"] == "13.10"


def test_cost_at_an_instant_takes_the_time_of_day_window():
    night = _cost_json("deepseek/deepseek-chat", "1M", "0", "--at", "2026-06-15T20:30Z")
    day = _cost_json("deepseek/deepseek-chat", "1M", "0", "--at", "2026-06-15T02:30Z")
    standard = _cost_json("deepseek/deepseek-chat", "1M", "0", "--at", "2026-06-15")
    half = _cost_json("deepseek/deepseek-chat", "1M", "0", "--off-peak-share", "50%")
    assert (night["request_cost"]["total"], day["request_cost"]["total"]) == ("0.1350", "0.2700")
    assert day["time_window"] == "00:30-16:30 UTC" and night["time_window"] is None
    assert standard["request_cost"]["total"] == "0.2700" and half["request_cost"]["total"] == "0.2025"


def test_a_bare_id_listed_by_several_providers_is_refused_naming_them():
    out = tb("cost", "gpt-oss-120b", "1000", "100")
    assert out.returncode == 3 and "openai/gpt-oss-120b" in out.stderr and "name it as provider/model-id" in out.stderr
