"""A rate version with time-of-day windows (DeepSeek's peak and off-peak hours) is priced by the
exported workbook's live formulas as the app prices it: the standard (dearest of the day) price,
the workload's off-peak share at the off-peak price — never at the version's base rates."""

from __future__ import annotations

import shutil
from datetime import date, time
from decimal import Decimal

import openpyxl
import pytest

from pricing.costing.catalog import load_catalog
from pricing.costing.projection import Projection
from pricing.files.workbook import load_plan, save_plan
from pricing.plan.terms import Discount, Terms
from pricing.plan.models import (
    Assumptions, DeploymentMode, ModelRate, Plan, PromptTier, RateVersion, TimeWindow, Workload,
)
from tests.test_workbook_formulas import COMPUTED, close, formula_cells
from tests.workbook_helpers import recalculate_all, sheet_values

MONTH0 = 6  # zero-based column G: first month on Projection


def _workload(name: str, model: str, share: str, **extra) -> Workload:
    return Workload(name=name, model=model, input_tokens=Decimal(1000), output_tokens=Decimal(200),
                    requests_per_month=Decimal(1_000_000), off_peak_share=Decimal(share), **extra)


D = Decimal


def tiered_rates() -> tuple[ModelRate, ModelRate]:
    """Prompt tiers on a version with windows: the tier applies where the version itself is the price."""
    off_peak_version = ModelRate(provider="acme", model_id="cheap-at-night", versions=(RateVersion(
        input_mtok=D(1), output_mtok=D(4), cached_input_mtok=D("0.1"),
        tiers=(PromptTier(above_input_tokens=500, input_mtok=D(2), output_mtok=D(8)),),
        windows=(TimeWindow(start=time(0, 30), end=time(16, 30), input_mtok=D(3), output_mtok=D(12),
                            cache_write_mtok=D("3.75"), request_fee_kcount=D(5)),)),))
    standard_version = ModelRate(provider="acme", model_id="cheap-by-day", versions=(RateVersion(
        input_mtok=D(5), output_mtok=D(20), request_fee_kcount=D(2),
        tiers=(PromptTier(above_input_tokens=500, input_mtok=D(6), output_mtok=D(24), cache_write_mtok=D(7),
                          reasoning_mtok=D(30)),),
        windows=(TimeWindow(start=time(16, 30), end=time(0, 30), input_mtok=D(1), output_mtok=D(4)),)),))
    return off_peak_version, standard_version


def windows_plan() -> Plan:
    book = load_catalog()
    rates = tuple(book.resolve(i) for i in ("deepseek/deepseek-chat", "deepseek/deepseek-v4-flash",
                                             "together/meta-llama/Llama-3.3-70B-Instruct-Turbo"))
    rates += tiered_rates()
    components = dict(cached_share=D("0.2"), cache_write_share=D("0.1"), cache_write_1h_share=D("0.5"),
                      reasoning_tokens=D(150))
    workloads = (
        _workload("peak only", "deepseek/deepseek-chat", "0"),
        _workload("half off-peak", "deepseek/deepseek-chat", "0.5"),
        _workload("cached batch", "deepseek/deepseek-chat", "0.25", cached_share=Decimal("0.3"),
                  reasoning_tokens=Decimal(300), mode=DeploymentMode.BATCH, monthly_growth=Decimal("0.05")),
        _workload("dated versions", "deepseek/deepseek-v4-flash", "0.4", cached_share=Decimal("0.6")),
        _workload("no windows", rates[2].id, "0.5"),
        _workload("tiered, off-peak is the version", rates[3].id, "0.3", **components),
        _workload("tiered, standard is the version", rates[4].id, "0.3", **components),
    )
    return Plan(assumptions=Assumptions(first_month=date(2026, 6, 1), horizon_months=12), rates=rates,
                workloads=workloads)


def contract_plan() -> Plan:
    """Windowed versions under contract rates from April and a percentage off from October."""
    plan = windows_plan()
    return plan.model_copy(update={"terms": Terms(discounts=(
        Discount(provider="deepseek", model="deepseek-chat", starts=date(2026, 4, 1), input_mtok=D("0.2"),
                 output_mtok=D("0.9")),
        Discount(provider="acme", starts=date(2026, 10, 1), percent_off=D("0.15")),
    ))})


def plain_plan() -> Plan:
    rate = load_catalog().resolve("together/meta-llama/Llama-3.3-70B-Instruct-Turbo")
    return Plan(assumptions=Assumptions(first_month=date(2026, 6, 1), horizon_months=12), rates=(rate,),
                workloads=(_workload("no windows", rate.id, "0.5"),))


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    if not shutil.which("soffice") and not shutil.which("libreoffice"):
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("windows")
    plan = windows_plan()
    path = tmp / "windows.xlsx"
    save_plan(plan, path)
    edited = tmp / "edited.xlsx"
    _edit_base_input(path, edited, "deepseek-chat", 0.2)
    contract = tmp / "contract.xlsx"
    save_plan(contract_plan(), contract)
    out, edited_out, contract_out = recalculate_all([path, edited, contract], tmp / "lo")
    return plan, path, out, edited, edited_out, contract_out


def _edit_base_input(src, dst, model_id: str, value: float) -> None:
    """What a user does in Excel: type a new input rate for a model's version on the Rates sheet."""
    book = openpyxl.load_workbook(src)
    sheet = book["Rates"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Model ID")].value == model_id:
            row[header.index("Input $/1M")].value = value
    book.save(dst)


@pytest.mark.libreoffice
def test_recalculated_projection_equals_the_app_to_the_cent_for_windowed_and_plain_models(recalculated):
    plan, _path, out, _edited, _edited_out, _contract = recalculated
    p = Projection(plan)
    rows = sheet_values(out, "Projection")
    for i, row in enumerate(p.rows):
        line = rows[i + 2]
        assert line[0] == row.workload.name
        for m, figure in enumerate(row.costs):
            assert abs(Decimal(str(line[MONTH0 + m])) - figure) < Decimal("0.005"), (row.workload.name, m, line[MONTH0 + m], figure)
    total = rows[len(p.rows) + 2][MONTH0 + p.horizon]
    assert abs(Decimal(str(total)) - p.total) < Decimal("0.005")


@pytest.mark.libreoffice
def test_recalculated_projection_equals_the_app_to_the_cent_under_contract_terms(recalculated):
    *_rest, contract_out = recalculated
    p = Projection(contract_plan())
    rows = sheet_values(contract_out, "Projection")
    for i, row in enumerate(p.rows):
        for m, figure in enumerate(row.costs):
            cell = rows[i + 2][MONTH0 + m]
            assert abs(Decimal(str(cell)) - figure) < Decimal("0.005"), (row.workload.name, m, cell, figure)


@pytest.mark.libreoffice
def test_deepseek_chat_is_priced_at_the_standard_price_blended_by_the_off_peak_share(recalculated):
    _plan, _path, out, _edited, _edited_out, _contract = recalculated
    rows = sheet_values(out, "Projection")
    assert rows[2][MONTH0] == pytest.approx(490.00)  # 1M × (1,000 × $0.27 + 200 × $1.10) / 1M
    assert rows[3][MONTH0] == pytest.approx(367.50)  # half of it at $0.135 / $0.55


@pytest.mark.libreoffice
def test_every_formula_cell_recalculates_to_its_cached_value_with_time_windows(recalculated):
    _plan, path, out, _edited, _edited_out, _contract = recalculated
    cells = formula_cells(path)
    for sheet in COMPUTED:
        ours, theirs = sheet_values(path, sheet), sheet_values(out, sheet)
        for r, c in cells[sheet]:
            cached, lo = ours[r][c], theirs[r][c]
            if isinstance(cached, (int, float)) and not isinstance(cached, bool):
                assert isinstance(lo, (int, float)) and close(float(cached), float(lo)), (sheet, r + 1, c + 1, cached, lo)


@pytest.mark.libreoffice
def test_an_edited_base_rate_of_a_version_that_is_its_own_off_peak_price_reaches_the_recalculated_costs(recalculated):
    _plan, _path, _out, edited, edited_out, _contract = recalculated
    again, _findings = load_plan(edited)
    p = Projection(again)
    rows = sheet_values(edited_out, "Projection")
    half = next(i for i, row in enumerate(p.rows) if row.workload.name == "half off-peak")
    assert p.rows[half].costs[0] == Decimal("400.00")  # 1,000 × (0.27 + 0.2) / 2 + 200 × (1.1 + 0.55) / 2
    assert rows[half + 2][MONTH0] == pytest.approx(400.00)


def test_rates_sheet_lists_the_standard_and_off_peak_rates_of_a_windowed_version(tmp_path):
    path = tmp_path / "w.xlsx"
    save_plan(windows_plan(), path)
    rows = sheet_values(path, "Rates")  # the cached values
    header = rows[0]
    chat = next(r for r in rows[1:] if r[1] == "deepseek-chat")
    at = lambda h: chat[header.index(h)]  # noqa: E731
    assert at("Standard input $/1M (time windows)") == pytest.approx(0.27)
    assert at("Standard output $/1M (time windows)") == pytest.approx(1.1)
    assert at("Off-peak input $/1M (time windows)") == pytest.approx(0.135)
    assert at("Off-peak cached input $/1M (time windows)") == pytest.approx(0.035)
    plain = next(r for r in rows[1:] if r[1] == "meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert plain[header.index("Standard input $/1M (time windows)")] in (None, "")


def test_a_plan_without_time_windows_gets_the_same_rates_columns_and_formulas_as_before(tmp_path):
    path = tmp_path / "plain.xlsx"
    save_plan(plain_plan(), path)
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book["Rates"][1]]
    assert header[-1] == "Versions" and not any("time windows" in str(h) for h in header)
    costs = book["Costs"]
    fee = [c.value for c in costs[1]].index("v1 fee / request") + 1
    inp = [c.value for c in costs[1]].index("v1 input $/1M") + 1
    assert costs.cell(2, fee).value.startswith("=IF(AND(AND(")
    assert "off_peak" not in str(costs.cell(2, inp).value) and costs.cell(2, inp).value.count("Workloads!") == 0


def test_a_plan_with_time_windows_round_trips_through_the_workbook(tmp_path):
    plan = windows_plan()
    path = tmp_path / "rt.xlsx"
    save_plan(plan, path)
    again, findings = load_plan(path)
    assert not [f for f in findings if f.severity.name == "ERROR"]
    assert again.rates == plan.rates
    assert again.workloads == plan.workloads
    assert Projection(again).total == Projection(plan).total
