"""One rule for "the first month with traffic": a workload that starts after the horizon is
quoted in the horizon's last month (the month nearest its start) by the Modes tab, Explain,
the workbook and ``tokenbudget summary`` alike."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from desktop_helpers import data_dir, make_window  # noqa: F401
from pricing.capacity.modes import ModeCosts
from pricing.costing.projection import Projection
from pricing.files.planfile import save_plan_json
from pricing.files.workbook import save_plan
from pricing.plan.models import Assumptions, DeploymentMode, ModelRate, Plan, RateVersion, Workload
from tests.workbook_helpers import recalculate, sheet_values

LAST = 11  # December 2026, the last of twelve months from January


def _plan() -> Plan:
    rate = ModelRate(
        provider="acme", model_id="m1", display_name="M1", context_length=128_000,
        modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
        versions=(RateVersion(input_mtok=Decimal("1"), output_mtok=Decimal("4")),
                  RateVersion(input_mtok=Decimal("3"), output_mtok=Decimal("12"), effective_from=date(2026, 7, 1))),
    )
    later = Workload(name="Starts next year", model=rate.id, input_tokens=Decimal(1000), output_tokens=Decimal(500),
                     requests_per_month=Decimal(10_000), start_month=date(2027, 3, 1))
    return Plan(name="After the horizon", assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=12),
                rates=(rate,), workloads=(later,))


def test_the_core_quotes_a_workload_starting_after_the_horizon_in_its_last_month():
    p = Projection(_plan())
    assert p.first_month(0) == LAST
    assert p.request_cost(0, p.first_month(0)).total == Decimal("0.009")  # December's rates, not January's 0.003
    assert ModeCosts(p).first_month(0) == LAST


def test_summary_json_quotes_the_same_month(tmp_path, capsys):
    from pricing.cli import main

    path = tmp_path / "plan.json"
    save_plan_json(_plan(), path)
    assert main(["summary", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["workloads"][0]["cost_per_request"] == "0.0090"


def test_modes_tab_and_explain_quote_the_same_month(qtbot, data_dir, tmp_path):  # noqa: F811
    from desktop.explain import explain_lines

    path = tmp_path / "plan.json"
    save_plan_json(_plan(), path)
    window = make_window(qtbot, path)
    try:
        window.show_tab("modes")
        qtbot.waitUntil(lambda: window.modes.model.rowCount() == 1, timeout=10000)
        assert window.modes.model.entries.month_of(0) == LAST
        assert window.modes.model.index(0, 3).data() == "Dec 2026"
        assert any(line.startswith("Rates in force on 1 Dec 2026") for line in explain_lines(window.document, 0))
    finally:
        window.files.shutdown()
        window.document.undo_stack.setClean()


@pytest.mark.libreoffice
def test_the_workbook_quotes_the_same_month_cached_and_recalculated(tmp_path):
    path = tmp_path / "after.xlsx"
    save_plan(_plan(), path)
    for book in (path, recalculate(path, tmp_path / "lo")):
        costs = sheet_values(book, "Costs")
        assert costs[1][costs[0].index("Cost per request")] == pytest.approx(0.009)
        modes = sheet_values(book, "Modes")
        assert modes[1][modes[0].index("Month #")] == LAST
