"""tokenbudget summary --scenario, scenarios and compare, on the bundled sample plan."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal, localcontext

import pytest

from pricing.costing.catalog import sample_plan_path
from pricing.files.planfile import open_plan, save_plan_json
from pricing.plan.money import SUM_CONTEXT, exact_sum, round_cents
from pricing.plan.scenario_records import Scenario, ScenarioChange

SWAP_AND_GROW = Scenario(name="Cheaper research", changes=(
    ScenarioChange(applies_to="workload", name="Long-context research", change="Model swapped to",
                   value="together/openai/gpt-oss-120b"),
    ScenarioChange(applies_to="tenant", name="Initech Health", change="Requests ×", value="1.5"),
))


def minus(a: str, b: str) -> Decimal:
    with localcontext(SUM_CONTEXT):
        return Decimal(a) - Decimal(b)


def tb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.launcher", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def sample_with_scenario(tmp_path):
    plan, _ = open_plan(sample_plan_path())
    plan = plan.model_copy(update={"scenarios": (SWAP_AND_GROW, Scenario(name="Empty"))})
    path = tmp_path / "plan.json"
    save_plan_json(plan, path)
    return path


def hand_rows() -> dict[str, list[Decimal]]:
    """The five workloads the scenario moves, priced by hand over 2026-01 .. 2028-12 (36 months)."""
    g3, g6 = Decimal("1.03"), Decimal("1.06")
    zero = Decimal(0)
    # gpt-oss-120b: $0.15 in, $0.60 out per 1M.  4,000 in + 1,000 out = $0.0012 a request, 250,000 a month, +3%.
    research = [Decimal("0.0012") * 250_000 * g3 ** m for m in range(36)]
    # 2,500 in + 700 out = $0.000795 a request; 900,000 x 1.5 from April 2026 (m = 3), +6%; staging 40,000 x 1.5.
    clinical = [zero] * 3 + [Decimal("0.000795") * 1_350_000 * g6 ** (m - 3) for m in range(3, 36)]
    staging = [Decimal("0.000795") * 60_000] * 36
    # Typical chat on Batch: (800 x $0.18 + 1,500 x $0.59) / 1M x 50% = $0.0005145; 4M x 1.5 from February.
    synthetic = [zero] + [Decimal("0.0005145") * 6_000_000] * 35
    # Tev1: 700 in at $0.04, then $0.042 from the 2026-10-19 change, i.e. from November 2026 (m = 10); 5M x 1.5, +3%.
    embeddings = [(Decimal("0.000028") if m < 10 else Decimal("0.0000294")) * 7_500_000 * g3 ** m for m in range(36)]
    return {"Long-context research": research, "Clinical note drafting": clinical,
            "Clinical note drafting (staging)": staging, "Synthetic training data": synthetic,
            "Intake embeddings": embeddings}


def test_scenario_swapping_a_model_and_raising_a_tenant_by_half_equals_the_hand_computation(sample_with_scenario):
    base = json.loads(tb("summary", str(sample_with_scenario), "--json").stdout)
    out = tb("summary", str(sample_with_scenario), "--scenario", "Cheaper research", "--json")
    assert out.returncode == 0, out.stderr
    scenario = json.loads(out.stdout)
    assert scenario["scenario"] == "Cheaper research"
    # The core rounds a workload-month to the cent when every figure it prints has at most two decimals.
    rounded = all(len(v.split(".")[1]) <= 2 for row in scenario["workloads"] for v in row["monthly_cost"])
    hand = {name: [round_cents(c) if rounded else c for c in costs] for name, costs in hand_rows().items()}
    rows = {row["name"]: row for row in scenario["workloads"]}
    base_rows = {row["name"]: row for row in base["workloads"]}
    for name, costs in hand.items():
        assert [round_cents(Decimal(v)) for v in rows[name]["monthly_cost"]] == [round_cents(c) for c in costs], name
        assert round_cents(Decimal(rows[name]["total"])) == round_cents(exact_sum(costs)), name
    for name, row in rows.items():
        if name not in hand:
            assert row["monthly_cost"] == base_rows[name]["monthly_cost"], name
    unchanged = exact_sum(Decimal(r["total"]) for n, r in base_rows.items() if n not in hand)
    expected = exact_sum([unchanged] + [exact_sum(c) for c in hand.values()])
    assert round_cents(Decimal(scenario["total"])) == round_cents(expected)
    assert rows["Long-context research"]["model"] == "together/openai/gpt-oss-120b"


def test_summary_of_an_unknown_scenario_exits_2_naming_the_ones_there_are(sample_with_scenario):
    out = tb("summary", str(sample_with_scenario), "--scenario", "High")
    assert out.returncode == 2 and "it has Base, Cheaper research, Empty" in out.stderr


def test_scenarios_lists_base_first_with_fiscal_years_and_differences(sample_with_scenario):
    data = json.loads(tb("scenarios", str(sample_with_scenario), "--json").stdout)
    names = [s["name"] for s in data["scenarios"]]
    assert names == ["Base", "Cheaper research", "Empty"]
    base, cheaper, empty = data["scenarios"]
    assert empty["total"] == base["total"] and empty["difference_to_base"] == "0.00"
    assert list(base["fiscal_years"]) == ["FY2026", "FY2027", "FY2028"]
    assert Decimal(cheaper["difference_to_base"]) == minus(cheaper["total"], base["total"])
    text = tb("scenarios", str(sample_with_scenario)).stdout
    assert "Cheaper research" in text and "FY2027" in text


def test_compare_a_scenario_with_the_base_bridges_exactly(sample_with_scenario):
    out = tb("compare", str(sample_with_scenario), "--scenario", "Cheaper research", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    b = data["bridge"]
    parts = [Decimal(b[k]) for k in ("removed", "volume", "mix", "price", "new")]
    assert exact_sum(parts) == Decimal(b["change"]) == minus(b["other"], b["base"])
    assert Decimal(b["mix"]) < 0 < Decimal(b["volume"]) and Decimal(b["price"]) == 0
    status = {w["name"]: (w["status"], w["changed_fields"]) for w in data["workloads"]}
    assert status["Long-context research"] == ("changed", ["model"])
    assert status["Reasoning agent"] == ("unchanged", [])


def test_compare_with_the_catalog_puts_a_rate_sheet_change_in_price(tmp_path):
    plan, _ = open_plan(sample_plan_path())
    first = plan.rates[0]
    dearer = first.model_copy(update={"versions": (first.versions[0].model_copy(update={"input_mtok": Decimal("1.20")}),)})
    path = tmp_path / "dear.json"
    save_plan_json(plan.model_copy(update={"rates": (dearer, *plan.rates[1:])}), path)
    data = json.loads(tb("compare", str(path), "--catalog", "--json").stdout)
    b = data["bridge"]
    assert Decimal(b["volume"]) == Decimal(b["mix"]) == 0
    assert Decimal(b["price"]) == Decimal(b["change"]) < 0


def test_compare_one_month_and_export_csv_and_workbook(sample_with_scenario, tmp_path):
    out = tb("compare", str(sample_with_scenario), "--scenario", "Cheaper research", "--month", "2026-12",
             "-o", str(tmp_path / "c.csv"))
    assert out.returncode == 0, out.stderr
    assert "Dec 2026" in out.stdout
    rows = list(csv.reader(open(tmp_path / "c.csv", encoding="utf-8")))
    assert rows[0][0].startswith("Bridge (") and rows[-1][0] == "Intake embeddings"
    out = tb("compare", str(sample_with_scenario), "--scenario", "Cheaper research", "-o", str(tmp_path / "c.xlsx"))
    assert out.returncode == 0, out.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "c.xlsx")["Comparison"]
    assert sheet["A1"].value == "Bridge (horizon)" and sheet["A2"].value == "Base total" \
        and sheet["A8"].value == "Other total"


def test_compare_does_not_write_over_a_workbook_open_in_libreoffice_unless_forced(sample_with_scenario, tmp_path):
    target = tmp_path / "c.xlsx"
    target.write_bytes(b"a colleague's workbook")
    (tmp_path / ".~lock.c.xlsx#").write_text("Jane Doe,jane,finance-pc-7,03.12.2026 09:12,file:///home/jane/lo;",
                                             encoding="utf-8")
    out = tb("compare", str(sample_with_scenario), "--scenario", "Cheaper research", "-o", str(target))
    assert out.returncode == 4 and "Jane Doe" in out.stderr and "not overwritten" in out.stderr
    assert target.read_bytes() == b"a colleague's workbook"
    out = tb("compare", str(sample_with_scenario), "--scenario", "Cheaper research", "-o", str(target), "--force")
    assert out.returncode == 0, out.stderr
    assert target.read_bytes() != b"a colleague's workbook"


@pytest.mark.parametrize("args, message, status", [
    (("compare", "{plan}"), "nothing to compare", 2),
    (("compare", "{plan}", "--scenario", "x"), "no scenario 'x'", 2),
    (("compare", "{plan}", "--catalog", "--month", "2031-01"), "the comparison runs from", 2),
    (("compare", "{plan}", "--catalog", "-o", "/nonexistent/c.csv"), "no such folder", 4),
])
def test_compare_bad_input_exits_with_its_status_and_one_line(sample_with_scenario, args, message, status):
    out = tb(*[a.format(plan=sample_with_scenario) for a in args])
    assert out.returncode == status and message in out.stderr and "Traceback" not in out.stderr
