"""Which plans open on a worker: every plan workbook (its cells are read by a reader process, whose
start alone would hold the window over 100 ms) and every .json plan over 256 KB; a small .json plan
opens at once."""

from __future__ import annotations

import threading

from desktop_helpers import data_dir, plan_path, window  # noqa: F401 - the fixtures
from desktop import opening


def _read_on(monkeypatch):
    import pricing.files.planfile

    threads = []
    real = pricing.files.planfile.open_plan
    monkeypatch.setattr(pricing.files.planfile, "open_plan",
                        lambda path, **kw: threads.append(threading.current_thread()) or real(path, **kw))
    return threads


def test_a_plan_workbook_opens_on_a_worker_however_small(window, qtbot, tmp_path, monkeypatch):
    from pricing.files.workbook import save_plan

    small = tmp_path / "small.xlsx"
    save_plan(window.document.plan, small)
    threads = _read_on(monkeypatch)
    assert window.files.open_path(small)
    qtbot.waitUntil(lambda: window.files.open_task is None, timeout=20000)
    assert window.document.path == small and len(window.document.plan.workloads) > 0
    assert threads and threading.main_thread() not in threads


def test_a_json_plan_opens_on_a_worker_over_256_kb_and_at_once_under(window, qtbot, tmp_path, monkeypatch):
    from benchmarks.plans import make_plan
    from pricing.files.planfile import save_plan_json

    large, small = tmp_path / "large.json", tmp_path / "small.json"
    save_plan_json(make_plan(1000), large)
    save_plan_json(make_plan(20), small)
    assert large.stat().st_size > opening.OPEN_IN_BACKGROUND_BYTES > small.stat().st_size
    threads = _read_on(monkeypatch)
    assert window.files.open_path(large)
    qtbot.waitUntil(lambda: window.files.open_task is None, timeout=20000)
    assert window.document.path == large and threading.main_thread() not in threads
    threads.clear()
    assert window.files.open_path(small)
    assert window.files.open_task is None and window.document.path == small  # opened at once
    assert threads == [threading.main_thread()]


def test_a_preference_change_on_a_plan_of_a_few_thousand_workloads_is_projected_on_a_worker(window, qtbot, tmp_path,
                                                                                            monkeypatch):
    from benchmarks.plans import make_plan
    from desktop import document as document_module
    from desktop.undo import ChangeAssumptions

    plan = make_plan(2_500)  # a 2,500-workload plan re-projected on the GUI thread held it ~50 ms
    window.document.load(plan, None)
    projected_on = []
    real = document_module.Projection
    monkeypatch.setattr(document_module, "Projection",
                        lambda p: projected_on.append(threading.current_thread()) or real(p))
    doc = window.document
    before = doc.plan.assumptions
    after = before.model_copy(update={"fiscal_year_start": 4 if before.fiscal_year_start != 4 else 7})
    doc.undo_stack.push(ChangeAssumptions(doc, before, after))
    assert doc.plan.assumptions == after and doc.projection.plan is doc.plan
    assert projected_on and threading.main_thread() not in projected_on
    doc.undo_stack.setClean()
