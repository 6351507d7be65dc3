"""The Modes tab's cost-against-volume chart for the selected workload, and the Batch price of
a model whose rate sheet does not list Batch (shown, marked, with its reason)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from desktop.modes_chart import POINTS, money_tick, nice_ticks
from desktop.modes_view import UNLISTED_MARK, UNLISTED_TIP
from pricing.costing.catalog import sample_plan_path
from pricing.plan.models import DeploymentMode
from pricing.capacity.modes import chart_volumes, compare_workload, cost_curve
from pricing.files.planfile import open_plan
from tests.desktop_helpers import data_dir, make_window, plan_path, process, window  # noqa: F401

S = DeploymentMode.SERVERLESS


def _row(view, name: str) -> int:
    return [e["workload"].name for e in view.model.entries].index(name)


def _select(view, name: str) -> int:
    row = _row(view, name)
    view.table.setCurrentIndex(view.model.index(row, 0))
    process()
    return row


def _ys(series) -> list[float]:
    return [p.y() for p in series.points()]


def _xs(series) -> list[float]:
    return [p.x() for p in series.points()]


@pytest.fixture
def capacity_window(qtbot, data_dir, tmp_path):  # noqa: F811
    import shutil

    path = tmp_path / "capacity.json"
    shutil.copy(sample_plan_path().with_name("sample-capacity-plan.json"), path)
    w = make_window(qtbot, path)
    w.show_tab("Modes")
    process()
    yield w
    w.files.shutdown()
    w.document.undo_stack.setClean()


def test_chart_has_one_series_per_mode_with_a_point_per_volume(window):
    window.show_tab("Modes")
    view = window.modes
    row = _select(view, "Assistant chat")
    plan = window.document.plan
    month = view.model.entries[row]["month"]
    comparison = compare_workload(plan, row, month=month)
    volumes = chart_volumes(comparison, POINTS)
    expected = cost_curve(plan, row, volumes, month=month)
    assert set(view.chart.series) == set(expected) == {S, DeploymentMode.BATCH, DeploymentMode.DEDICATED}
    for mode, costs in expected.items():
        series = view.chart.series[mode]
        assert len(series.points()) == len(volumes)
        assert _xs(series) == [float(v) for v in volumes]
        assert _ys(series) == [float(c) for c in costs]
    names = [m.label().lower() for m in view.chart.chart_.legend().markers() if m.isVisible()]
    assert names[:2] == ["serverless", "batch"] and names[2].startswith("dedicated")


def test_serverless_and_endpoint_cost_the_same_at_the_marked_break_even(capacity_window):
    view = capacity_window.modes
    row = _select(view, "Analyst copilot")
    comparison = view.model.entries[row]["comparison"]
    assert comparison.break_even_requests == Decimal(10_000_000) / 3  # $20,000 ÷ $0.0060 a request
    marker = view.chart.break_even_series.points()
    assert len(marker) == 1 and marker[0].x() == float(comparison.break_even_requests)
    at = view.chart.volumes.index(comparison.break_even_requests)
    serverless = view.chart.series[S].points()[at]
    endpoint = view.chart.series[DeploymentMode.DEDICATED].points()[at]
    assert serverless.x() == endpoint.x() == marker[0].x()
    assert round(serverless.y(), 2) == round(endpoint.y(), 2) == 20000.00
    assert marker[0].y() == serverless.y()
    # below it Serverless is cheaper, just above it the endpoint
    assert _ys(view.chart.series[S])[at - 1] < _ys(view.chart.series[DeploymentMode.DEDICATED])[at - 1]
    assert _ys(view.chart.series[S])[at + 1] > _ys(view.chart.series[DeploymentMode.DEDICATED])[at + 1]
    texts = [note.text for note in view.chart.annotations]
    assert "break-even 3,333,333 req/mo" in texts
    assert "Jan 2026: 2,500,000 req/mo" in texts
    assert view.chart.now_series.points()[0].x() == 2_500_000.0


def test_selecting_another_workload_redraws_the_chart(capacity_window):
    view = capacity_window.modes
    _select(view, "Analyst copilot")
    before = _ys(view.chart.series[S])
    title = view.chart.chart_.title()
    row = _select(view, "Support chat")
    assert view.chart.chart_.title() != title and "Support chat" in view.chart.chart_.title()
    assert _ys(view.chart.series[S]) != before
    comparison = view.model.entries[row]["comparison"]
    assert view.chart.break_even_series.points()[0].x() == float(comparison.break_even_requests)


def test_chart_follows_an_edit_to_the_plan(window, qtbot):
    window.show_tab("Modes")
    view = window.modes
    _select(view, "Reasoning agent")
    assert view.chart.now_series.points()[0].x() == 2_000_000.0
    model = window.workloads_model
    from tests.desktop_helpers import col

    model.setData(model.index(0, col("requests_per_month")), "3M")
    qtbot.waitUntil(lambda: view.chart.now_series is not None
                    and view.chart.now_series.points()[0].x() == 3_000_000.0, timeout=3000)
    assert view.selected_row() == 0
    assert any(note.text == "Jan 2026: 3,000,000 req/mo" for note in view.chart.annotations)


def test_unlisted_batch_is_priced_marked_and_explained(window):
    window.show_tab("Modes")
    view = window.modes
    row = _row(view, "Ticket summaries (offline)")
    cell = view.model.index(row, 5)
    assert cell.data() == f"$6,000.00 {UNLISTED_MARK}"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == UNLISTED_TIP
    from desktop import colours

    assert cell.data(Qt.ItemDataRole.ForegroundRole).color() == colours.muted_text().color()
    # pricing.capacity.modes offers no Batch for the model, so it is not called the cheaper mode nor a saving
    entry = view.model.entries[row]
    assert entry["cheaper"] is S and entry["saving"] is None
    assert view.model.index(row, 7).data() == ""
    listed = view.model.index(_row(view, "Assistant chat"), 5)
    assert listed.data() == "$1,179.00" and listed.data(Qt.ItemDataRole.ToolTipRole) is None


def test_money_and_volume_ticks_read_like_a_finance_chart():
    assert nice_ticks(24_960) == [0, 5000, 10000, 15000, 20000, 25000]
    assert [money_tick(v, "$", 5000) for v in (0, 5000, 25000)] == ["$0", "$5k", "$25k"]
    assert money_tick(2500, "$", 2500) == "$2.5k"
    assert money_tick(40, "€", 10) == "€40"
    assert money_tick(3_000_000, "$", 1_000_000) == "$3M"


def test_a_workload_deep_in_a_big_plan_is_charted_on_selection(qtbot, data_dir):  # noqa: F811
    """Only the selected workload is charted (timings: benchmarks/bench_modes_chart.py)."""
    from desktop.document import PlanDocument
    from desktop.modes_view import ModesView

    plan, _ = open_plan(sample_plan_path())
    big = plan.model_copy(update={"workloads": plan.workloads * 400})  # 4,800 workloads
    view = ModesView(PlanDocument(big, None))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.table.setCurrentIndex(view.model.index(4788, 0))  # 4788 = 399 × 12: a "Reasoning agent"
    process()
    assert view.chart.comparison.index == 4788
    assert "Reasoning agent" in view.chart.chart_.title()


def test_a_capacity_that_never_pays_off_says_why_instead_of_a_marker(capacity_window):
    view = capacity_window.modes
    row = _select(view, "Clinical notes (self-hosted)")
    comparison = view.model.entries[row]["comparison"]
    assert comparison.break_even_requests is None
    assert view.chart.break_even_series is None
    assert DeploymentMode.GPU_CLUSTER in view.chart.series
    assert f"no break-even: {comparison.break_even_note}" in [note.text for note in view.chart.annotations]


def test_the_recommendation_column_shows_the_headline_and_the_tooltip_the_whole_reason():
    from desktop.modes_view import headline

    full = ("Dedicated on 'ep-chat': 58% cheaper than Serverless ($1,962.24, its allocated share, vs $4,716.00 a "
            "month) at 86% utilization; effective $0.109013/1M")
    assert headline(full) == "Dedicated on 'ep-chat': 58% cheaper than Serverless"
    assert headline("Serverless: no traffic in Jan 2026; it starts in Apr 2026") == "Serverless: no traffic in Jan 2026"
    assert headline("Batch: offline-capable") == "Batch: offline-capable"
