"""tokenbudget actuals and tokenbudget budget."""

import json
import shutil
from decimal import Decimal as Dec

import pytest

from actuals_helpers import FILES, per_month_and_model
from pricing.cli import main
from pricing.costing.catalog import sample_plan_path
from pricing.files.planfile import load_plan_json, save_plan_json
from pricing.plan.tracking import BudgetLine


@pytest.fixture(autouse=True)
def _rules_store(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKENBUDGET_ACTUALS_RULES", str(tmp_path / "rules"))


@pytest.fixture
def plan_file(tmp_path):
    target = tmp_path / "plan.json"
    shutil.copy(sample_plan_path(), target)
    return target


def run_json(capsys, *args):
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_actuals_json_has_monthly_plan_actual_variance_and_unmatched(capsys, plan_file):
    data = run_json(capsys, "actuals", str(plan_file), str(FILES / "together-usage-2026-q1.csv"), "--json")
    jan = data["months"][0]
    assert jan == {"month": "2026-01", "plan": "23393.19", "actual": "140.00", "variance": "-23253.19",
                   "variance_pct": format(Dec("-23253.19") / Dec("23393.19") * 100, ".2f"), "reforecast": "140.00"}
    assert [(u["month"], u["model"], u["cost"]) for u in data["unmatched"]] == [
        ("2026-02", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "1.76")]
    assert data["sources"][0]["kind"] == "together"


def test_actuals_save_twice_stores_the_same_actuals(capsys, plan_file):
    for _ in range(2):
        assert main(["actuals", str(plan_file), str(FILES / "focus_sample.csv"),
                     str(FILES / "openai_costs.csv"), "--save"]) == 0
    saved = load_plan_json(plan_file)
    assert per_month_and_model(saved.actuals) == {
        ("2026-01", "guide/typical-chat-model"): Dec("60.62"), ("2026-01", "Together AI Inference"): Dec("3.20"),
        ("2026-01", "commit-1k"): Dec("0.00"), ("2026-02", "together/Tev1-4B-experimental"): Dec("7.78"),
        ("2026-02", "Together AI Inference"): Dec("-5.00"), ("2026-01", "gpt-4o-2024-08-06"): Dec("19.85"),
        ("2026-02", "gpt-4o-mini-2024-07-18"): Dec("3.34")}


def test_print_sql_runs_on_another_engine_and_its_result_loads_to_the_same_totals(capsys, plan_file, tmp_path):
    import duckdb

    source = FILES / "openrouter_activity.csv"
    assert main(["actuals", str(plan_file), str(source), "--print-sql", "--table", "usage_logs"]) == 0
    sql = capsys.readouterr().out
    con = duckdb.connect()
    con.execute(f"CREATE TABLE usage_logs AS SELECT * FROM read_csv('{source}', header=true)")
    result = tmp_path / "result.csv"
    con.execute(f"COPY ({sql.strip().rstrip(';')}) TO '{result}' (HEADER)")
    direct = run_json(capsys, "actuals", str(plan_file), str(source), "--json")
    via_warehouse = run_json(capsys, "actuals", str(plan_file), str(result), "--json")
    assert [m["actual"] for m in via_warehouse["months"]] == [m["actual"] for m in direct["months"]]
    assert via_warehouse["sources"][0]["kind"] == "warehouse"


def test_bad_source_exits_3_with_one_line(capsys, plan_file, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    assert main(["actuals", str(plan_file), str(bad)]) == 3  # bad data
    err = capsys.readouterr().err
    assert "x.csv" in err and len(err.strip().splitlines()) == 1


def test_budget_command_reports_the_month_a_line_is_crossed(capsys, plan_file):
    plan = load_plan_json(plan_file)
    save_plan_json(plan.model_copy(update={"budgets": (BudgetLine(amount=Dec(27000)),)}), plan_file)
    data = run_json(capsys, "budget", str(plan_file), "--json")
    assert data["budgets"][0]["exceeded_month"] == "2026-03"
    assert main(["budget", str(plan_file)]) == 0
    assert "first exceeded in Mar 2026" in capsys.readouterr().out


def test_actuals_save_into_a_plan_workbook_keeps_them_on_its_actuals_sheet(capsys, tmp_path):
    from pricing.files.workbook import load_plan, save_plan

    target = tmp_path / "plan.xlsx"
    save_plan(load_plan_json(sample_plan_path()), target)
    assert main(["actuals", str(target), str(FILES / "together-usage-2026-q1.csv"), "--save"]) == 0
    assert main(["actuals", str(target), str(FILES / "together-usage-2026-q1.csv"), "--save"]) == 0
    plan, _ = load_plan(target)
    assert per_month_and_model(plan.actuals)[("2026-02", "together/Tev1-4B-experimental")] == Dec("144.20")
    assert len(plan.actuals) == 4


def test_budget_add_saves_a_line_and_reports_its_crossing(capsys, plan_file):
    data = run_json(capsys, "budget", str(plan_file), "--add", "tenant=Globex Bank", "--amount", "60k",
                    "--per", "fiscal-year", "--json")
    assert load_plan_json(plan_file).budgets == (BudgetLine(scope="tenant", value="Globex Bank", period="fiscal_year",
                                                            amount=Dec(60000)),)
    assert data["budgets"][0]["exceeded_month"] == "2026-11"


def test_budget_add_refuses_an_unknown_scope(capsys, plan_file):
    assert main(["budget", str(plan_file), "--add", "team=X", "--amount", "5"]) == 2
    assert "scope" in capsys.readouterr().err


def _open_in_the_app_elsewhere(plan_file):
    """A Token Budget window on another machine has the plan open (its lock file beside the plan)."""
    (plan_file.parent / f".~lock.{plan_file.name}#").write_text(
        "Jane Doe,jane,finance-pc-7,03.12.2026 09:12,tokenbudget:4242:0123abcd;", encoding="utf-8")


@pytest.mark.parametrize("command", [
    ["actuals", "{plan}", str(FILES / "together-usage-2026-q1.csv"), "--save"],
    ["budget", "{plan}", "--add", "plan", "--amount", "5k"],
], ids=["actuals --save", "budget --add"])
def test_a_plan_someone_has_open_is_not_written_unless_forced(capsys, plan_file, command):
    _open_in_the_app_elsewhere(plan_file)
    before = plan_file.read_bytes()
    args = [a.format(plan=plan_file) for a in command]
    assert main(args) == 4
    assert "Jane Doe" in capsys.readouterr().err and plan_file.read_bytes() == before
    assert main(args + ["--force"]) == 0
    assert plan_file.read_bytes() != before
