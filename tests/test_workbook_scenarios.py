"""Scenarios in the plan workbook: the Scenarios sheet reads back, and choosing a scenario in the
active-scenario cell recalculates every computed sheet to the app's figures for that scenario."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pricing.costing.catalog import load_catalog, sample_plan_path
from pricing.costing.projection import Projection
from pricing.files.planfile import open_plan
from pricing.files.workbook import load_plan, save_plan
from pricing.files.workbook import layout as L
from pricing.plan.money import round_cents
from pricing.plan.scenario_records import Scenario, ScenarioChange
from pricing.scenarios import apply_scenario, scenario_names
from tests.workbook_helpers import recalculate_all, sheet_values

MONTH0 = 6  # zero-based column G: the first month on Projection

CHEAPER = Scenario(name="Cheaper research", changes=(
    ScenarioChange(applies_to="workload", name="Long-context research", change="Model swapped to",
                   value="together/openai/gpt-oss-120b"),
    ScenarioChange(applies_to="tenant", name="Initech Health", change="Requests ×", value="1.5"),
))
HIGH = Scenario(name="High growth", changes=(
    ScenarioChange(change="Growth shifted by", value="2%"),
    ScenarioChange(applies_to="feature", name="Code Copilot", change="Start shifted by (months)", value="2"),
    ScenarioChange(applies_to="workload", name="Assistant chat (staging)", change="Start shifted by (months)",
                   value="-1"),
    ScenarioChange(applies_to="model", name="together/guide/typical-chat-model", change="Mode changed to", value="Batch"),
    ScenarioChange(applies_to="tenant", name="Globex Bank", change="Discount", value="15%"),
    ScenarioChange(applies_to="environment", name="staging", change="Tokens ×", value="2"),
    ScenarioChange(applies_to="workload", name="Reasoning agent", change="Model swapped to",
                   value="mistral/mistral-small-latest"),
))
LOW = Scenario(name="Low", changes=(ScenarioChange(change="Requests ×", value="0.7"),
                                    ScenarioChange(change="Growth set to", value="0")))


def sample_with_scenarios():
    plan, _ = open_plan(sample_plan_path())
    return plan.model_copy(update={"scenarios": (CHEAPER, HIGH, LOW, Scenario(name="Empty"))})


def test_scenarios_sheet_reads_back_as_the_plan_s_scenarios(tmp_path):
    plan = sample_with_scenarios()
    save_plan(plan, tmp_path / "p.xlsx")
    back, findings = load_plan(tmp_path / "p.xlsx")
    assert back.scenarios == plan.scenarios and not findings
    # A scenario's catalog model joins the Rates sheet, so the workbook's formulas can price it.
    assert "mistral/mistral-small-latest" in [r.id for r in back.rates]


def test_active_scenario_cell_is_a_dropdown_of_base_and_the_scenarios(tmp_path):
    save_plan(sample_with_scenarios(), tmp_path / "p.xlsx")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    sheet = book[L.ASSUMPTIONS]
    cell = L.active_scenario_cell().split("!")[1].replace("$", "")
    assert sheet[cell].value == "Base"
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "list" and cell in str(validation.sqref)
    names = [c.value for c in book[L.SCENARIOS]["H"][1:] if c.value]
    assert names == ["Base", "Cheaper research", "High growth", "Low", "Empty"]


def test_a_bad_scenario_row_is_a_finding_naming_its_cell(tmp_path):
    save_plan(sample_with_scenarios(), tmp_path / "p.xlsx")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    book[L.SCENARIOS]["E3"] = "lots"  # Requests × lots
    book.save(tmp_path / "bad.xlsx")
    back, findings = load_plan(tmp_path / "bad.xlsx")
    assert any(f.sheet == L.SCENARIOS and f.cell == "E3" and "not a number" in f.message for f in findings)
    assert [s.name for s in back.scenarios][:1] == ["Cheaper research"]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    if not shutil.which("soffice") and not Path("/usr/bin/soffice").exists():
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("scenario-workbooks")
    plan = sample_with_scenarios()
    saved = tmp / "plan.xlsx"
    save_plan(plan, saved)
    cell = L.active_scenario_cell().split("!")[1].replace("$", "")
    paths = []
    for name in scenario_names(plan):
        book = openpyxl.load_workbook(saved)
        book[L.ASSUMPTIONS][cell] = name
        path = tmp / f"active-{len(paths)}.xlsx"
        book.save(path)
        paths.append(path)
    outs = recalculate_all(paths, tmp / "lo")
    return plan, dict(zip(scenario_names(plan), outs))


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["Base", "Cheaper research", "High growth", "Low", "Empty"])
def test_choosing_a_scenario_recalculates_the_workbook_to_the_app_s_figures(recalculated, name):
    plan, outs = recalculated
    projection = Projection(apply_scenario(plan, name, load_catalog()).plan)
    rows = sheet_values(outs[name], L.PROJECTION)
    n = len(plan.workloads)
    for i in range(n):
        got = rows[i + 2][MONTH0:MONTH0 + projection.horizon]
        want = [round_cents(c) for c in projection.rows[i].costs]
        assert [round_cents(Decimal(repr(v))) for v in got] == want, (name, plan.workloads[i].name)
    totals = rows[-1][MONTH0:MONTH0 + projection.horizon]
    assert [round_cents(Decimal(repr(v))) for v in totals] == [round_cents(t) for t in projection.month_totals]
    assert round_cents(Decimal(repr(rows[-1][MONTH0 + projection.horizon]))) == round_cents(projection.total)
    live = sheet_values(outs[name], L.SCENARIO_TOTALS)
    active = next(r for r in live if str(r[0]).startswith("Active:"))
    assert active[0] == f"Active: {name}"
    assert round_cents(Decimal(repr(active[1]))) == round_cents(projection.total)
