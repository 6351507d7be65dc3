"""Numbers at the edges: a figure beyond the plan's bounds, NaN or infinity is a finding naming
its file, sheet and cell, a refused edit, or one line from the command line; never a traceback
and never a totals strip that stops adding up."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError

from desktop_helpers import col, data_dir, plan_path, window  # noqa: F401
from pricing.costing.catalog import sample_plan_path
from pricing.costing.projection import project
from pricing.files.planfile import PlanFileError, open_plan
from pricing.importer import import_file
from pricing.plan import bounds
from pricing.plan.models import Workload
from pricing.plan.numbers import parse_count

EXTREMES = ["1e30", "inf", "nan", "Infinity", "1e30000"]
ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from desktop.launcher import main; raise SystemExit(main())", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("value", EXTREMES)
@pytest.mark.parametrize("place", ["input", "output", "requests"])
def test_cost_refuses_an_extreme_number_with_one_line_and_status_2(place, value):
    numbers = {"input": "1000", "output": "100", "requests": "1"} | {place: value}
    result = cli("cost", "gpt-4o", numbers["input"], numbers["output"], "--requests", numbers["requests"])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cost_names_the_bound_it_refuses():
    result = cli("cost", "gpt-4o", "1000", "100", "--requests", "1e30")
    assert "1,000,000,000,000" in result.stderr and "requests per month" in result.stderr


def test_cost_at_the_bound_is_priced():
    result = cli("cost", "gpt-4o", "1000", "100", "--requests", "1e12")
    assert result.returncode == 0 and "1,000,000,000,000 requests" in result.stdout


@pytest.mark.parametrize("field", ["input_tokens", "output_tokens", "requests_per_month", "monthly_growth"])
@pytest.mark.parametrize("value", ["1e300", "Infinity", "NaN"])
def test_a_workload_beyond_its_bounds_cannot_be_built(field, value):
    data = dict(name="w", model="m", input_tokens=1, output_tokens=1, requests_per_month=1) | {field: Decimal(value)}
    with pytest.raises(ValidationError):
        Workload(**data)


def test_the_engine_reports_a_figure_beyond_its_bounds_that_slipped_past_validation():
    plan, _ = open_plan(sample_plan_path())
    huge = plan.workloads[0].model_copy(update={"monthly_growth": Decimal("1e40")})
    projection = project(plan.model_copy(update={"workloads": (huge, *plan.workloads[1:])}))
    assert not projection.rows[0].priceable and all(c == 0 for c in projection.rows[0].costs)
    assert any("beyond the largest monthly growth" in f.message for f in projection.rows[0].findings)


def _workbook_with(tmp_path: Path, sheet: str, cell: str, value) -> Path:
    from pricing.files.workbook import save_plan

    plan, _ = open_plan(sample_plan_path())
    path = tmp_path / "plan.xlsx"
    save_plan(plan, path)
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


@pytest.mark.parametrize("sheet,cell,value", [
    ("Workloads", "D2", 1e300), ("Workloads", "E2", 1e13), ("Workloads", "G2", 1e30), ("Workloads", "H2", 1e40), ("Workloads", "D2", "inf"),
    ("Workloads", "G2", "1e30000"), ("Rates", "G2", 1e300), ("Rates", "J2", "nan"),
])
def test_a_plan_workbook_cell_beyond_its_bounds_is_a_finding_naming_file_sheet_and_cell(tmp_path, sheet, cell, value):
    path = _workbook_with(tmp_path, sheet, cell, value)
    plan, findings = open_plan(path)
    found = [f for f in findings if f.sheet == sheet and f.cell == cell]
    assert found and found[0].file and found[0].severity == "error", [str(f) for f in findings]
    project(plan).total  # prices what is left, no traceback


def test_the_summary_command_reports_a_plan_cell_of_1e300_without_a_traceback(tmp_path):
    path = _workbook_with(tmp_path, "Workloads", "D2", 1e300)
    result = cli("summary", str(path))
    assert "Traceback" not in result.stderr
    assert "cell D2" in result.stdout and "beyond the largest tokens per request" in result.stdout


@pytest.mark.parametrize("value", ["1e300", "Infinity", "NaN", 1e300])
def test_a_json_plan_with_an_extreme_figure_is_refused_with_one_line(tmp_path, value):
    data = json.loads(sample_plan_path().read_text())
    data["workloads"][0]["requests_per_month"] = value
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    with pytest.raises(PlanFileError, match="requests_per_month"):
        open_plan(path)


def test_a_csv_budget_cell_of_1e30000_is_a_finding_and_the_other_rows_import(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Workload,Model,Input tokens,Output tokens,Requests per month\n"
                    "A,gpt-4o,1000,100,1e30000\nB,gpt-4o,1000,100,5000\nC,gpt-4o,inf,100,5000\n"
                    "D,gpt-4o,1000,nan,5000\nE,gpt-4o,1e30,100,1\n")
    result = import_file(path, remember=False)
    plan, report = result.plan, result.report
    cells = {f.cell for f in report.findings if f.severity == "error"}
    assert {"E2", "C4", "D5", "C6"} <= cells
    assert len(plan.workloads) == 5
    assert project(plan).total > 0


def test_requests_worked_out_beyond_the_bound_are_a_finding_on_the_row(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Workload,Model,Input tokens,Output tokens,Requests per day\nA,gpt-4o,1000,100,1e11\n"
                    "B,gpt-4o,1000,100,10\n")
    result = import_file(path, remember=False)
    plan, report = result.plan, result.report
    assert any(f.cell and f.cell.endswith("2") and "beyond" in f.message for f in report.findings)
    assert plan.workloads[0].requests_per_month == 0


def test_money_is_not_a_count():
    with pytest.raises(ValueError, match="money"):
        parse_count("$0.50")
    with pytest.raises(ValueError, match="percentage"):
        parse_count("50%")
    assert parse_count("3k") == 3000


def test_pasting_money_into_a_token_column_is_refused(window):
    model = window.workloads_model
    old = window.document.plan.workloads[0]
    assert not model.setData(model.index(0, col("input_tokens")), "$0.50")
    assert window.document.plan.workloads[0] == old
    assert "money" in window.statusBar().currentMessage()


@pytest.mark.parametrize("key,text", [("monthly_growth", "1e40"), ("requests_per_month", "1e30"),
                                      ("input_tokens", "inf"), ("output_tokens", "NaN"), ("monthly_growth", "1e40%")])
def test_typing_an_extreme_number_into_the_grid_is_refused_and_the_totals_stay(window, key, text):
    model = window.workloads_model
    strip = [f.text() for f in window.totals.figures]
    assert not model.setData(model.index(0, col(key)), text)
    assert window.document.undo_stack.count() == 0
    assert [f.text() for f in window.totals.figures] == strip
    assert "Not changed" in window.statusBar().currentMessage()


def test_typing_a_rate_beyond_the_bound_is_refused(window):
    from desktop.rates_model import RATE_COLUMNS

    model = window.rates_model
    column = [c.key for c in RATE_COLUMNS].index("input_mtok")
    assert not model.setData(model.index(0, column), "1e40")
    assert window.document.undo_stack.count() == 0


def test_the_largest_figures_within_bounds_still_print_to_the_cent():
    from pricing.plan.money import format_money, round_cents

    huge = (bounds.MAX_REQUESTS_PER_MONTH * (1 + bounds.MAX_MONTHLY_GROWTH) ** 35
            * 2 * bounds.MAX_TOKENS_PER_REQUEST * bounds.MAX_RATE_MTOK / 1_000_000)
    assert format_money(huge).endswith(".00") and round_cents(huge) == huge


def test_the_readme_states_the_bounds():
    readme = (ROOT / "README.md").read_text()
    for figure in ("1,000,000,000,000", "$100,000", "1,000%"):
        assert figure in readme


def test_a_price_change_rate_beyond_the_bound_is_refused(window):
    from desktop.rate_versions import VERSION_COLUMNS

    window.show_tab("Rates")
    panel = window.price_changes
    window.rates_view.setCurrentIndex(window.rates_proxy.index(0, 1))
    column = [c.key for c in VERSION_COLUMNS].index("output_mtok")
    before = window.document.plan.rates
    assert not panel.model.setData(panel.model.index(0, column), "1e40")
    assert window.document.plan.rates == before
    assert "Not changed" in window.statusBar().currentMessage()


@pytest.mark.parametrize("text", ["1e40\t100\n", "inf\t100\n", "100\tNaN\n"])
def test_pasting_an_extreme_number_changes_nothing(window, qtbot, text):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop_helpers import select

    view = window.workloads_view
    select(view, 0, col("input_tokens"), 0, col("input_tokens"))
    QApplication.clipboard().setText(text)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.document.undo_stack.count() == 0
