"""A plan workbook is written on a worker while the window paints: its rows give way to the paint
(pricing.yielding) every few rows, as the projection's loops do."""

from __future__ import annotations

from benchmarks.plans import make_plan
from pricing import yielding
from pricing.files.workbook import save_plan


def test_writing_a_plan_workbook_gives_way_every_few_rows(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(yielding, "hook", lambda: calls.append(1))
    plan = make_plan(600, months=12, seed=3)
    save_plan(plan, tmp_path / "plan.xlsx")
    # The Workloads sheet alone is 600 rows, the Projection and Costs sheets as many again.
    assert len(calls) >= 3 * 600 // yielding.EVERY
