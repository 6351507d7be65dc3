"""A plan workbook is written on a worker while the window paints: its rows give way to the paint
(pricing.yielding) every few rows, as the projection's loops do."""

from __future__ import annotations

import pytest

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


def test_a_workbook_is_written_with_a_quick_lock_handover_and_the_interval_put_back(tmp_path, monkeypatch):
    import sys

    from pricing.files.workbook import parts

    seen = []
    write = parts.PartWriter.writestr
    monkeypatch.setattr(parts.PartWriter, "writestr",
                        lambda self, name, data: (seen.append(sys.getswitchinterval()), write(self, name, data))[1])
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    try:
        save_plan(make_plan(20, months=12, seed=3), tmp_path / "plan.xlsx")
        after = sys.getswitchinterval()
    finally:
        sys.setswitchinterval(before)
    assert seen and max(seen) == pytest.approx(yielding.HANDOVER_S)
    assert after == pytest.approx(0.005)


def test_a_lower_interval_already_set_is_kept_by_a_quick_handover():
    import sys

    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        with yielding.quick_handover():
            inside = sys.getswitchinterval()
        assert inside == sys.getswitchinterval() == pytest.approx(0.0002)
    finally:
        sys.setswitchinterval(before)


def test_overlapping_quick_handovers_put_the_interval_back_when_the_last_one_ends():
    import sys

    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    try:
        first, second = yielding.quick_handover(), yielding.quick_handover()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        still = sys.getswitchinterval()
        second.__exit__(None, None, None)
        assert still == pytest.approx(yielding.HANDOVER_S) and sys.getswitchinterval() == pytest.approx(0.005)
    finally:
        sys.setswitchinterval(before)


def test_a_pass_over_every_row_gives_way_a_slice_at_a_time(monkeypatch):
    calls = []
    monkeypatch.setattr(yielding, "hook", lambda: calls.append(1))
    monkeypatch.setattr(yielding, "PASS_SLICE", 10)
    assert yielding.mapped(str, list(range(95))) == [str(i) for i in range(95)]
    assert len(calls) == 10


def test_the_workbook_s_passes_over_every_row_before_its_sheets_give_way(monkeypatch):
    from pricing.costing.projection import Projection
    from pricing.files.workbook.inputs import InputLayout
    from pricing.files.workbook.sheets import Computed

    plan = make_plan(600, months=12, seed=3)
    projection = Projection(plan)
    calls = []
    monkeypatch.setattr(yielding, "hook", lambda: calls.append(1))
    monkeypatch.setattr(yielding, "PASS_SLICE", 50)
    computed = Computed(None, plan, projection, InputLayout(), lambda _fraction: None)
    assert len(calls) >= 3 * 600 // 50  # each row's keys, the sums by combination of keys, each row's total
    assert computed.row_totals == [sum(row.costs) for row in projection.rows]
