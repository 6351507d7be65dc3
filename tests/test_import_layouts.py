"""Budgets as people really write them: parameter sheets, comparisons, prose, log templates,
price lists and text saved as .xlsx, each imported to figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

from pricing.costing.projection import Projection
from pricing.importer import ImportRefused, import_file
from tests import layout_helpers as shapes
from tests.import_helpers import private_mapping_store  # noqa: F401


def _month(plan) -> D:
    return Projection(plan).month_totals[0]


def _settings(path, rows, cached=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Inputs"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return shapes.with_cached_values(path, cached) if cached else path


def _rows_per_month(path) -> D:
    (workload,) = import_file(path, remember=False).plan.workloads
    return workload.requests_per_month


# --------------------------------------------------------------------------- parameter sheets
def test_a_parameter_sheet_imports_to_the_month_worked_out_by_hand(tmp_path):
    plan = import_file(shapes.parameter_budget(tmp_path / "model.xlsx"), remember=False).plan
    hand = shapes.parameter_budget_by_hand()
    assert _month(plan) == hand["total"] == D("1900.80")
    by_model = {w.model: w for w in plan.workloads}
    assert {m.split("/")[-1] for m in by_model} == {"Haiku", "Sonnet"}
    assert sorted(w.requests_per_month for w in plan.workloads) == [D(90_000), D(210_000)]
    assert {w.cached_share for w in plan.workloads} == {D("0.5")}


def test_per_1k_prices_a_discount_and_a_surcharge_make_the_rates(tmp_path):
    plan = import_file(shapes.parameter_budget(tmp_path / "model.xlsx"), remember=False).plan
    haiku = next(r for r in plan.rates if r.model_id == "Haiku").current
    assert (haiku.input_mtok, haiku.output_mtok, haiku.cached_input_mtok) == (D("1.1"), D("5.5"), D("0.11"))


def test_the_report_gives_the_stated_and_the_computed_total_side_by_side(tmp_path):
    report = import_file(shapes.parameter_budget(tmp_path / "model.xlsx"), remember=False).report
    (total,) = report.totals
    assert (D(total["stated"]), D(total["computed"]), total["cell"]) == (D("1900.8"), D("1900.80"), "B26")
    assert "stated $1,900.80" in total["text"] and "computed $1,900.80" in total["text"] and "agree" in total["text"]
    assert "Stated and computed monthly totals" in report.as_text()


def test_a_stated_total_that_differs_is_shown_beside_ours_with_a_warning(tmp_path):
    path = shapes.parameter_budget(tmp_path / "model.xlsx", stated_total=2000)
    report = import_file(path, remember=False).report
    (total,) = report.totals
    assert "stated $2,000.00" in total["text"] and "computed $1,900.80" in total["text"]
    assert "differ by −$99.20" in total["text"]
    assert any("states a monthly total of $2,000.00" in f.message and f.cell == "B26" for f in report.findings)


def test_an_inputs_block_above_its_results_table_is_read_once_to_the_hand_total(tmp_path):
    result = import_file(shapes.inputs_above_results(tmp_path / "one-sheet.xlsx"), remember=False)
    assert _month(result.plan) == shapes.parameter_budget_by_hand()["total"]
    assert len(result.plan.workloads) == 2
    assert any("('Haiku')" in s and "not read" in s for s in result.report.skipped)
    (total,) = result.report.totals
    assert total["cell"] == "D19" and "stated $1,900.80" in total["text"] and "computed $1,900.80" in total["text"]


def test_a_months_table_below_the_inputs_block_is_its_results_not_more_workloads(tmp_path):
    result = import_file(shapes.inputs_above_a_year(tmp_path / "forecast.xlsx"), remember=False)
    assert _month(result.plan) == shapes.parameter_budget_by_hand()["total"]
    assert len(result.plan.workloads) == 2
    assert any("header on row 15 has no token counts" in s for s in result.report.skipped)
    assert any("the parameter block in rows 1–13" in d for d in result.report.decisions)


def test_section_labels_and_the_budgets_own_results_are_listed_as_skipped(tmp_path):
    report = import_file(shapes.parameter_budget(tmp_path / "model.xlsx"), remember=False).report
    skipped = "\n".join(report.skipped)
    for label in ("PRICING", "VOLUME", "RESULTS"):
        assert f"({label!r}): a section label" in skipped
    for label in ("Monthly savings from caching", "Cost ratio Sonnet / Haiku", "Haiku monthly cost"):
        assert f"({label!r}): a" in skipped and "computes, not an input" in skipped


def test_a_surcharge_is_a_finding_naming_the_rates_it_multiplies(tmp_path):
    report = import_file(shapes.parameter_budget(tmp_path / "model.xlsx"), remember=False).report
    (surcharge,) = [f for f in report.findings if "multiplied by 1.1" in f.message]
    assert surcharge.cell == "B21" and "Haiku, Sonnet" in surcharge.message


def test_a_surcharge_that_names_a_model_multiplies_only_its_rates(tmp_path):
    path = _settings(tmp_path / "s.xlsx", [
        ["Haiku input price per 1M tokens", 1], ["Haiku output price per 1M tokens", 5],
        ["Sonnet input price per 1M tokens", 3], ["Sonnet output price per 1M tokens", 15],
        ["Sonnet regional surcharge", "10%"], ["Requests per month", 1000], ["Share routed to Haiku", "50%"],
        ["Share routed to Sonnet", "50%"], ["Input tokens per request", 1000], ["Output tokens per request", 0]])
    rates = {r.model_id: r.current.input_mtok for r in import_file(path, remember=False).plan.rates}
    assert rates == {"Haiku": D(1), "Sonnet": D("3.3")}


@pytest.mark.parametrize("rows, expected", [
    ([["Requests per day", 1000]], D(1000) * D("30.4375")),                       # the calendar's average month
    ([["Requests per day", 1000], ["Days per month", 22]], D(22_000)),              # the budget's own month
    ([["Requests per working day", 1000]], D(21_750)),                              # 261 weekdays / 12
    ([["Requests per working day", 1000], ["Working days per month", 20]], D(20_000)),
    ([["Queries per user per day", 5], ["Users", 200], ["Days per month", 30]], D(30_000)),
    ([["Tasks per month", 1000], ["Steps per task", 8]], D(8000)),                  # agent steps, one request each
    ([["Requests per year", 120_000]], D(10_000)),
    ([["Monthly requests", 40_000]], D(40_000)),
], ids=["per-day-calendar", "per-day-own-days", "per-working-day", "per-working-day-own", "per-user", "agent-steps",
        "per-year", "per-month"])
def test_volumes_are_read_as_people_state_them(tmp_path, rows, expected):
    base = [["Input price per 1M tokens", 1], ["Output price per 1M tokens", 2], ["Input tokens per request", 100],
            ["Output tokens per request", 10], ["Model", "acme-chat"]]
    assert _rows_per_month(_settings(tmp_path / "v.xlsx", base + rows)) == expected


# --------------------------------------------------------------------------- alternatives and prose
def test_a_comparison_of_14_models_is_one_workload_not_fourteen(tmp_path):
    result = import_file(shapes.comparison_budget(tmp_path / "which.xlsx"), remember=False)
    costs = shapes.comparison_by_hand()
    (workload,) = result.plan.workloads
    assert workload.model.endswith("gpt-4o") and workload.requests_per_month == 1_000_000
    assert _month(result.plan) == costs["gpt-4o"] == D("8750")  # the first row, not the sum of 14
    assert len(result.plan.rates) == 14
    decisions = "\n".join(result.report.decisions)
    assert "a comparison of 14 models at one volume" in decisions


def test_each_other_alternative_is_a_scenario_priced_as_by_hand(tmp_path):
    from pricing.scenarios import apply_scenario

    plan = import_file(shapes.comparison_budget(tmp_path / "which.xlsx"), remember=False).plan
    costs = shapes.comparison_by_hand()
    assert sorted(s.name for s in plan.scenarios) == sorted(m for m, _, _ in shapes.COMPARISON[1:])
    for model, _, _ in shapes.COMPARISON[1:]:
        assert _month(apply_scenario(plan, model).plan) == costs[model]


def test_the_report_names_the_cheapest_alternative_and_each_ones_month(tmp_path):
    report = import_file(shapes.comparison_budget(tmp_path / "which.xlsx"), remember=False).report
    costs = shapes.comparison_by_hand()
    cheapest = min(costs, key=costs.get)
    decisions = "\n".join(report.decisions)
    assert f"cheapest: {cheapest} at ${costs[cheapest]:,.2f} a month" in decisions
    assert f"claude-opus-4 ${costs['claude-opus-4']:,.2f}" in decisions
    assert "one scenario for each of the other 13 models" in decisions


def test_the_glossary_beside_a_comparison_is_skipped_as_prose(tmp_path):
    report = import_file(shapes.comparison_budget(tmp_path / "which.xlsx"), remember=False).report
    assert any(s.startswith("sheet 'Glossary': prose (a glossary") for s in report.skipped)
    assert not any("'Glossary'" in d and "table" in d for d in report.decisions)


def test_cheapest_and_savings_cells_are_skipped_as_the_budgets_results(tmp_path):
    report = import_file(shapes.comparison_budget(tmp_path / "which.xlsx"), remember=False).report
    assert any("row 19 ('Cheapest'" in s and "a result the budget computes" in s for s in report.skipped)
    assert any("row 20 ('Savings vs gpt-4o'" in s for s in report.skipped)


def test_an_empty_log_template_is_refused_naming_what_was_skipped(tmp_path):
    with pytest.raises(ImportRefused, match=r"no rates or workloads found.*'Run log' rows 3–22: an empty log or "
                                            r"template: 20 numbered row\(s\).*'REFLECTION'"):
        import_file(shapes.log_template(tmp_path / "log.xlsx"), remember=False)


def test_an_empty_log_beside_a_rate_card_is_listed_as_skipped(tmp_path):
    path = shapes.rate_card(tmp_path / "card.xlsx")
    wb = openpyxl.load_workbook(path)
    log = wb.create_sheet("Run log")
    log.append(["#", "Step", "Model", "Input tokens", "Output tokens"])
    for n in range(1, 6):
        log.append([n, "REFLECTION"])
    wb.save(path)
    result = import_file(path, remember=False)
    assert result.plan.workloads == () and len(result.plan.rates) == 4
    assert any("'Run log'" in s and "empty log or template" in s for s in result.report.skipped)


# --------------------------------------------------------------------------- price lists
def test_a_gpu_price_list_becomes_gpu_rates_that_cost_nothing_until_given_hours(tmp_path):
    result = import_file(shapes.gpu_price_list(tmp_path / "gpus.xlsx"), remember=False)
    clusters = {c.gpu_type: c for c in result.plan.clusters}
    assert {k: c.gpu_hour_rate for k, c in clusters.items()} == {
        name: D(price.strip("$")) for name, _, price in shapes.GPUS}
    assert all(c.gpu_count == 1 and c.hours_per_month == 0 for c in clusters.values())
    assert "VRAM 80 GB" in clusters["H100 80GB"].notes
    assert _month(result.plan) == 0
    assert any("a GPU hourly price list" in d and "H100 80GB $2.49/h" in d for d in result.report.decisions)


def test_a_duplicate_model_keeps_the_catalogs_price_and_shows_both(tmp_path):
    result = import_file(shapes.rate_card(tmp_path / "card.xlsx"), remember=False)
    gpt = next(r for r in result.plan.rates if r.model_id == "gpt-4o").current
    assert (gpt.input_mtok, gpt.output_mtok) == (D("2.50"), D("10.00"))
    (dup,) = [f for f in result.report.findings if "listed 2 times" in f.message]
    assert "A3: input $2.5, output $10" in dup.message and "A5: input $5, output $15" in dup.message
    assert "kept because it matches the bundled catalog" in dup.message


def test_an_output_price_far_below_input_is_flagged_on_its_cell(tmp_path):
    report = import_file(shapes.rate_card(tmp_path / "card.xlsx"), remember=False).report
    (flag,) = [f for f in report.findings if "far below input" in f.message]
    assert (flag.cell, flag.field) == ("C6", "output_mtok") and "mistral-large-latest" in flag.message


def test_a_price_ten_times_the_catalogs_is_flagged_on_each_cell(tmp_path):
    report = import_file(shapes.rate_card(tmp_path / "card.xlsx"), remember=False).report
    off = [f for f in report.findings if "above the catalog's" in f.message]
    assert sorted(f.cell for f in off) == ["B7", "C7"]
    assert all("gemini-1.5-flash" in f.message and "10.0×" in f.message for f in off)


# --------------------------------------------------------------------------- text named .xlsx
def test_a_markdown_table_saved_as_xlsx_is_read_as_text_to_the_hand_total(tmp_path):
    result = import_file(shapes.markdown_as_xlsx(tmp_path / "wiki.xlsx"), remember=False)
    hand = shapes.markdown_by_hand()
    assert _month(result.plan) == hand["total"] == D("1691.00")
    assert {w.name for w in result.plan.workloads} == {"Support bot", "Search"}
    assert any("holds text, not a workbook: read as a Markdown table" in d for d in result.report.decisions)
    (total,) = result.report.totals
    assert "stated $1,691.00" in total["text"] and "computed $1,691.00" in total["text"]


def test_a_tab_separated_text_saved_as_xlsx_is_read_as_a_text_table(tmp_path):
    path = tmp_path / "pasted.xlsx"
    path.write_text("Model\tMonthly requests\tInput tokens\tOutput tokens\tInput $/1M\tOutput $/1M\n"
                    "acme\t1000\t1000\t1000\t1\t2\n", encoding="utf-8")
    plan = import_file(path, remember=False).plan
    assert _month(plan) == D(3)


def test_text_without_a_table_named_xlsx_is_refused_saying_it_is_text(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("Remember to ask finance about the Q3 budget.\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"notes.xlsx: not a spreadsheet: the file is text, not a .xlsx workbook"):
        import_file(path, remember=False)


def test_a_budget_whose_figures_all_say_n_a_is_an_empty_template_not_a_checklist(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Model,Requests per month,Avg input tokens,Avg output tokens\ngpt-4o,n/a,n/a,n/a\n")
    with pytest.raises(ImportRefused, match="empty log or template"):
        import_file(path, remember=False)


def test_a_checklist_whose_ticks_include_n_a_is_still_prose(tmp_path):
    path = tmp_path / "checklist.csv"
    path.write_text("Step,Status\nModel chosen,done\nInput tokens measured,n/a\nRequests agreed,yes\nSign-off,no\n")
    with pytest.raises(ImportRefused, match="prose \\(a checklist"):
        import_file(path, remember=False)
