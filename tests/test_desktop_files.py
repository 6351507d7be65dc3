"""Files: save and reopen, autosave recovery after a crash, lock files, closing asks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from desktop_helpers import ScriptedPrompts, col, data_dir, make_window, plan_path, window  # noqa: F401
from desktop import files, memory
from pricing.files.planfile import open_plan


def test_save_and_reopen_keeps_the_edit(window, qtbot, tmp_path):
    doc, model = window.document, window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "2.5M")
    assert window.windowTitle().startswith("plan.json*")
    window.files.save()
    qtbot.waitUntil(lambda: not doc.dirty, timeout=5000)
    assert "*" not in window.windowTitle()
    plan, findings = open_plan(doc.path)
    assert plan.workloads[0].requests_per_month == Decimal(2_500_000)
    assert findings == []
    # Save As to a new name, then reopen that file in a fresh window.
    window.prompts.save_to = tmp_path / "copy.json"
    model.setData(model.index(1, col("output_tokens")), "1,500")
    window.files.save_as()
    qtbot.waitUntil(lambda: not doc.dirty, timeout=5000)
    assert doc.path.name == "copy.json" and window.windowTitle().startswith("copy.json")
    other = make_window(qtbot, tmp_path / "copy.json")
    assert other.document.plan == doc.plan
    assert other.totals.figures[2].text() == window.totals.figures[2].text()
    other.files.shutdown()
    assert str((tmp_path / "copy.json").resolve()) in [str(p) for p in memory.recent_files()]


def test_a_second_window_opens_a_locked_plan_read_only_and_cannot_overwrite_it(window, qtbot, plan_path):
    prompts = ScriptedPrompts()
    prompts.locked = "readonly"
    second = make_window(qtbot, plan_path, prompts)
    assert prompts.asked and prompts.asked[0][0] == "locked"
    assert second.document.read_only and "[read-only]" in second.windowTitle()
    # Edits are refused in the read-only window, with a message.
    model = second.workloads_model
    assert not model.setData(model.index(0, col("input_tokens")), "9000")
    assert "read-only" in second.statusBar().currentMessage()
    # Save goes to Save As, and a cancelled Save As leaves the file untouched.
    before = plan_path.read_bytes()
    second.prompts.save_to = None
    assert not second.files.save()
    assert plan_path.read_bytes() == before
    # A third window is not offered to break the lock of a window still open: it opens read-only too.
    third_prompts = ScriptedPrompts()
    third_prompts.locked = "open"
    third = make_window(qtbot, plan_path, third_prompts)
    assert third_prompts.asked[0][3] is False and third.document.read_only
    assert files.read_lock(plan_path).token == window.files.lock.token
    for w in (second, third):
        w.files.shutdown()
    assert not files.lock_path(plan_path).exists() or files.read_lock(plan_path).token == window.files.lock.token


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(window, qtbot):
    model = window.workloads_model
    model.setData(model.index(0, col("input_tokens")), "5000")
    window.prompts.save_changes = "cancel"
    assert not window.close()
    assert window.prompts.asked[-1][0] == "save_changes"
    window.prompts.save_changes = "save"
    assert window.close()
    plan, _ = open_plan(window.document.path)
    assert plan.workloads[0].input_tokens == Decimal(5000)
    assert not files.lock_path(window.document.path).exists()


CRASH_SCRIPT = textwrap.dedent('''
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from desktop.app import application
    from desktop.document import PlanDocument
    from desktop.main_window import MainWindow
    from desktop.workloads_model import FIELD_COLUMN
    from pricing.files.planfile import open_plan
    application()
    path = Path(sys.argv[1])
    plan, _ = open_plan(path)
    window = MainWindow(PlanDocument(plan, None))
    window.files.open_path(path)
    model = window.workloads_model
    model.setData(model.index(0, FIELD_COLUMN["requests_per_month"]), "7M")
    window.files.autosave()  # what the one-minute timer does
    os._exit(3)  # crash: no close, no cleanup
''')


def test_autosave_is_offered_back_after_a_crash(qtbot, data_dir, plan_path):
    env = dict(os.environ, TOKENBUDGET_DATA_DIR=str(data_dir))
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(plan_path)], env=env, cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    metas = list((data_dir / "recovery").glob("*.meta.json"))
    assert len(metas) == 1 and json.loads(metas[0].read_text())["original"] == str(plan_path)
    # The file on disk was never touched by the crashed session.
    assert open_plan(plan_path)[0].workloads[0].requests_per_month == Decimal(2_000_000)
    # Its lock file is stale (the process is gone): the next window takes the plan without asking.
    prompts = ScriptedPrompts()
    window = make_window(qtbot, None, prompts)
    assert window.files.offer_recovery()
    assert prompts.asked[0][0] == "restore" and "plan.json" in prompts.asked[0][1]
    doc = window.document
    assert doc.plan.workloads[0].requests_per_month == Decimal(7_000_000)
    assert doc.path == plan_path and doc.dirty and not doc.read_only
    assert not any(a[0] == "locked" for a in prompts.asked)
    # Restoring is itself one undo step.
    doc.undo_stack.undo()
    assert doc.plan.workloads[0].requests_per_month == Decimal(2_000_000)
    doc.undo_stack.redo()
    assert files.orphaned_recoveries() == []
    window.files.shutdown()
    doc.undo_stack.setClean()


def _orphan(saver) -> None:
    meta = json.loads(saver.meta_file.read_text())
    meta["pid"] = 2**22 + 12345  # no such process: the session that wrote it is gone
    saver.meta_file.write_text(json.dumps(meta))


def test_a_recovery_file_is_kept_in_the_plan_file_layout_that_is_read_in_pieces(data_dir, plan_path):
    from pricing.files.plan_json import _array_spans
    from pricing.files.planfile import plan_json_bytes

    plan = open_plan(plan_path)[0]
    saver = files.Autosaver("dead-session")
    saver.save(plan, plan_path)
    written = saver.plan_file.read_bytes()
    assert written == plan_json_bytes(plan) and _array_spans(written)
    _orphan(saver)
    [recovery] = files.orphaned_recoveries()
    assert recovery.load() == plan


def test_a_recovery_file_left_by_an_earlier_version_in_compact_json_is_still_restored(qtbot, data_dir, plan_path):
    plan = open_plan(plan_path)[0]
    saver = files.Autosaver("dead-session")
    saver.save(plan, plan_path)
    edited = plan.model_copy(update={"name": "Edited before the crash"})
    saver.plan_file.write_bytes(edited.model_dump_json(exclude_defaults=True).encode())  # the old format
    _orphan(saver)
    prompts = ScriptedPrompts()
    window = make_window(qtbot, None, prompts)
    assert window.files.offer_recovery()
    assert window.document.plan == edited
    window.files.shutdown()
    window.document.undo_stack.setClean()


def test_a_recovery_file_that_cannot_be_read_is_said_and_set_aside(qtbot, data_dir, plan_path):
    saver = files.Autosaver("dead-session")
    saver.save(open_plan(plan_path)[0], plan_path)
    saver.plan_file.write_text('{"workloads": [{"name": 5}]}')
    _orphan(saver)
    prompts = ScriptedPrompts()
    window = make_window(qtbot, None, prompts)
    assert not window.files.offer_recovery()
    assert len(prompts.errors) == 1 and "recovery file cannot be read" in prompts.errors[0]
    assert saver.plan_file.name in prompts.errors[0] and "assumptions: Field required" in prompts.errors[0]
    kept = saver.plan_file.with_name("dead-session.unreadable.json")
    assert not saver.plan_file.exists() and kept.read_text() == '{"workloads": [{"name": 5}]}'
    assert str(kept) in prompts.errors[0] and files.orphaned_recoveries() == []
    window.files.shutdown()


def test_discarding_recovery_deletes_the_file(qtbot, data_dir, plan_path):
    saver = files.Autosaver("dead-session")
    saver.save(open_plan(plan_path)[0], plan_path)
    meta = json.loads(saver.meta_file.read_text())
    meta["pid"] = 2**22 + 12345  # no such process
    saver.meta_file.write_text(json.dumps(meta))
    prompts = ScriptedPrompts()
    prompts.restore = "discard"
    window = make_window(qtbot, None, prompts)
    assert not window.files.offer_recovery()
    assert not saver.plan_file.exists()
    window.files.shutdown()


def test_putting_recovery_off_keeps_the_file_and_asks_again_at_the_next_start(qtbot, data_dir, plan_path):
    plan = open_plan(plan_path)[0]
    saver = files.Autosaver("dead-session")
    saver.save(plan.model_copy(update={"name": "Edited before the crash"}), plan_path)
    _orphan(saver)
    prompts = ScriptedPrompts()
    prompts.restore = "later"  # "Not now", or the dialog closed
    window = make_window(qtbot, None, prompts)
    assert not window.files.offer_recovery()
    assert saver.plan_file.exists() and window.document.plan.name != "Edited before the crash"
    assert "autosaved" in prompts.asked[0][1]
    window.files.shutdown()
    again = ScriptedPrompts()
    window = make_window(qtbot, None, again)
    assert window.files.offer_recovery()
    assert window.document.plan.name == "Edited before the crash" and not saver.plan_file.exists()
    window.files.shutdown()
    window.document.undo_stack.setClean()


def _slow_workbook_module():
    """pricing.files.workbook's save_plan interface, slowly: the sample plan saves too fast to edit or
    cancel part-way, and ``started`` says when the worker is in it.  The real writer is cancelled
    in test_cancelling_a_real_long_save_keeps_the_workbook_on_disk_intact."""
    import threading
    import types

    module = types.ModuleType("pricing.files.workbook")

    class SaveCancelled(Exception):
        pass

    started = threading.Event()

    def save_plan(plan, path, *, months=None, progress=None, cancel=None, projection=None):
        started.set()
        for step in range(200):
            if cancel is not None and cancel():
                raise SaveCancelled(str(path))
            if progress:
                progress(step / 200)
            threading.Event().wait(0.01)
        Path(path).write_bytes(b"PK fake workbook")

    module.save_plan = save_plan
    module.SaveCancelled = SaveCancelled
    module.started = started
    return module


def test_a_long_save_runs_in_the_background_and_cancel_leaves_no_file(window, qtbot, tmp_path, monkeypatch):
    module = _slow_workbook_module()
    monkeypatch.setitem(sys.modules, "pricing.files.workbook", module)
    model = window.workloads_model
    model.setData(model.index(0, col("input_tokens")), "5k")
    window.prompts.save_to = tmp_path / "big.xlsx"
    assert window.files.save_as()
    assert module.started.wait(5)
    # The window stays responsive while the worker saves: an edit goes through meanwhile.
    assert model.setData(model.index(1, col("input_tokens")), "6k")
    qtbot.waitUntil(lambda: window.files.save_task is not None and window.files.save_task.fraction > 0.05, timeout=5000)
    window.files.progress.cancel()  # the Cancel button
    qtbot.waitUntil(lambda: window.files.save_task is None, timeout=5000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert not (tmp_path / "big.xlsx").exists() and window.document.dirty


def test_cancelling_a_real_long_save_keeps_the_workbook_on_disk_intact(qtbot, data_dir, tmp_path):
    """A plan large enough that the real workbook writer reports progress for a while:
    cancelling it part-way leaves the previous file byte for byte, and no temporary file."""
    from benchmarks.plans import make_plan
    from pricing.files.workbook import save_plan

    target = tmp_path / "big.xlsx"
    save_plan(make_plan(60), target)
    before = target.read_bytes()
    big = tmp_path / "big-plan.json"
    from pricing.files.planfile import save_plan_json

    save_plan_json(make_plan(6000), big)
    w = make_window(qtbot, big)
    try:
        w.prompts.save_to = target
        assert w.files.save_as()
        # The progress dialog shows (after its 400 ms grace) with a moving bar.
        qtbot.waitUntil(lambda: w.files.progress is not None and w.files.progress.isVisible()
                        and w.files.progress.value() > 0, timeout=20000)
        assert w.files.save_task is not None and w.files.save_task.fraction < 1
        w.files.progress.cancel()  # the Cancel button
        qtbot.waitUntil(lambda: w.files.save_task is None, timeout=20000)
        assert "cancelled" in w.statusBar().currentMessage()
        assert target.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".big.xlsx")) == []
    finally:
        w.files.shutdown()
        w.document.undo_stack.setClean()


def test_a_large_plan_opens_on_a_worker_with_the_window_live(window, qtbot, tmp_path, monkeypatch):
    from benchmarks.plans import make_plan
    from desktop import opening
    from pricing.files.planfile import save_plan_json

    big = tmp_path / "big.json"
    save_plan_json(make_plan(300), big)
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    before = window.document.plan
    assert window.files.open_path(big)
    assert window.files.open_task is not None and window.document.plan is before  # not yet taken
    qtbot.waitUntil(lambda: window.files.open_task is None, timeout=20000)
    assert window.document.path == big and len(window.document.plan.workloads) == 300
    assert window.document.projection.plan is window.document.plan
    assert window.windowTitle().startswith("big.json")


def test_cancelling_a_background_open_keeps_the_current_plan(window, qtbot, tmp_path, monkeypatch):
    from benchmarks.plans import make_plan
    from desktop import opening
    from pricing.files.planfile import save_plan_json

    big = tmp_path / "big.json"
    save_plan_json(make_plan(300), big)
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    import time

    import pricing.files.planfile

    real_open = pricing.files.planfile.open_plan
    task = {}

    def slow_open(path, **kwargs):  # still reading when Cancel is pressed, however fast the machine
        while "job" not in task or not task["job"].cancel.is_set():
            time.sleep(0.01)
        return real_open(path, **kwargs)

    monkeypatch.setattr(pricing.files.planfile, "open_plan", slow_open)
    before, path_before = window.document.plan, window.document.path
    assert window.files.open_path(big)
    task["job"] = window.files.open_task
    window.files.open_task.cancel.set()  # what the dialog's Cancel button does
    qtbot.waitUntil(lambda: window.files.open_task is None, timeout=20000)
    assert window.document.plan is before and window.document.path == path_before
    assert "cancelled" in window.statusBar().currentMessage()


def test_exporting_the_projection_as_csv_runs_on_a_worker_with_the_figures_on_screen(window, qtbot, tmp_path):
    import csv

    path = tmp_path / "projection.csv"
    total = window.document.projection.month_totals[0]
    assert window.files.export_to(path)
    assert window.files.jobs.get("Exporting") is not None
    qtbot.waitUntil(lambda: not window.files.jobs, timeout=20000)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + len(window.document.plan.workloads) + 1
    assert Decimal(rows[-1][6]) == total and "Exported projection.csv" in window.statusBar().currentMessage()


def test_cancelling_a_workbook_export_leaves_the_file_on_disk_unchanged(window, qtbot, tmp_path, monkeypatch):
    import time

    path = tmp_path / "export.xlsx"
    path.write_bytes(b"last quarter's export")
    real_save = files.save_plan_file

    def slow_save(plan, target, *, progress=None, cancel=None, projection=None):  # still writing when Cancel is pressed
        while not cancel():
            time.sleep(0.01)
        return real_save(plan, target, progress=progress, cancel=cancel, projection=projection)

    monkeypatch.setattr(files, "save_plan_file", slow_save)
    assert window.files.export_to(path)
    window.files.jobs["Exporting"].cancel.set()  # the progress dialog's Cancel
    qtbot.waitUntil(lambda: not window.files.jobs, timeout=20000)
    assert path.read_bytes() == b"last quarter's export"
    assert "cancelled" in window.statusBar().currentMessage() and not window.prompts.errors


def test_a_large_plan_is_autosaved_on_a_worker_and_cleared_on_a_clean_close(window, qtbot, data_dir, monkeypatch):
    from desktop import autosaving

    monkeypatch.setattr(autosaving, "AUTOSAVE_IN_BACKGROUND_WORKLOADS", 0)
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "7M")
    assert window.files.autosave() is None  # started, not written here
    job = window.files.autosave_job
    assert job is not None and job.done.wait(20)
    saved = open_plan(window.files.autosaver.plan_file)[0]
    assert saved.workloads[0].requests_per_month == Decimal(7_000_000)
    window.files.shutdown()
    assert not list((data_dir / "recovery").glob("*.json"))


def test_a_large_plan_is_recalculated_on_a_worker_while_the_window_keeps_painting(window, qtbot, monkeypatch):
    import time

    from PySide6.QtCore import QTimer

    from desktop import document as document_module

    monkeypatch.setattr(document_module, "PROJECT_AWAY_WORKLOADS", 0)
    real_projection = document_module.Projection

    def slow_projection(plan):  # as long as a large plan takes, give or take
        time.sleep(0.2)
        return real_projection(plan)

    monkeypatch.setattr(document_module, "Projection", slow_projection)
    doc = window.document
    ticks = []
    timer = QTimer(interval=1, timeout=lambda: ticks.append(1))  # runs only while events are processed
    timer.start()
    new = doc.plan.assumptions.model_copy(update={"batch_discount": Decimal("0.4")})
    doc.set_assumptions(new)
    timer.stop()
    assert doc.plan.assumptions.batch_discount == Decimal("0.4") and doc.projection.plan is doc.plan
    assert ticks  # the event loop ran while the worker projected
    assert window.workloads_model.rowCount() == len(doc.plan.workloads)


def test_save_as_moves_the_lock_to_the_new_file_off_the_gui_thread(window, qtbot, tmp_path, monkeypatch):
    import threading

    old = window.document.path
    assert files.read_lock(old).token == window.files.lock.token
    taken_on = []
    acquire = files.FileLock.acquire
    monkeypatch.setattr(files.FileLock, "acquire",
                        lambda self, path: taken_on.append(threading.current_thread()) or acquire(self, path))
    window.prompts.save_to = tmp_path / "moved.json"
    window.files.save_as()
    qtbot.waitUntil(lambda: window.document.path == tmp_path / "moved.json", timeout=5000)
    assert files.read_lock(tmp_path / "moved.json").token == window.files.lock.token
    assert not files.lock_path(old).exists()
    assert taken_on and threading.main_thread() not in taken_on  # the file-system calls ran on the worker


def test_a_save_clears_the_recovery_file_and_remembers_the_file_off_the_gui_thread(window, qtbot, tmp_path,
                                                                                   monkeypatch):
    import threading

    calls = []
    clear, add = files.Autosaver.clear, memory.add_recent
    monkeypatch.setattr(files.Autosaver, "clear",
                        lambda self: calls.append(("clear", threading.current_thread())) or clear(self))
    monkeypatch.setattr(memory, "add_recent",
                        lambda path: calls.append(("recent", threading.current_thread())) or add(path))
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "3M")
    window.prompts.save_to = tmp_path / "kept.json"
    window.files.save_as()
    qtbot.waitUntil(lambda: not window.document.dirty, timeout=5000)
    assert {name for name, _thread in calls} == {"clear", "recent"}
    assert threading.main_thread() not in {thread for _name, thread in calls}
    assert str((tmp_path / "kept.json").resolve()) in [str(p) for p in memory.recent_files()]


def test_a_save_whose_recovery_file_cannot_be_removed_is_still_a_save(window, qtbot, tmp_path, monkeypatch):
    import threading

    clear = files.Autosaver.clear

    def refuse(self):  # on the saving worker; the window's own closing clears as it always does
        if threading.current_thread() is not threading.main_thread():
            raise PermissionError("read-only recovery folder")
        clear(self)

    monkeypatch.setattr(files.Autosaver, "clear", refuse)
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "4M")
    window.prompts.save_to = tmp_path / "saved.json"
    window.files.save_as()
    qtbot.waitUntil(lambda: not window.document.dirty, timeout=5000)
    assert window.document.path == tmp_path / "saved.json"
    assert open_plan(tmp_path / "saved.json")[0].workloads[0].requests_per_month == Decimal(4_000_000)
