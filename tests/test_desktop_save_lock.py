"""Saving over a file someone else has open: nothing is written, the user is told who has it, and
the lock files are read on the saving worker, not the GUI thread."""

from __future__ import annotations

import threading

from desktop_helpers import col, data_dir, plan_path, window  # noqa: F401 - the fixtures
from desktop import files


def _taken_by_a_colleague(path):
    """Someone else now holds ``path`` (this window's lock file removed under it, as a colleague who
    broke it would)."""
    files.lock_path(path).unlink(missing_ok=True)
    colleague = files.FileLock()
    assert colleague.acquire(path) is None
    return colleague


def _edit(window):
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "2,500,000")
    assert window.document.dirty


def test_save_over_a_file_a_colleague_took_meanwhile_writes_nothing_and_says_who(window, qtbot):
    path = window.document.path
    before = path.read_bytes()
    colleague = _taken_by_a_colleague(path)
    _edit(window)
    window.files.save()
    qtbot.waitUntil(lambda: window.files.save_task is None, timeout=5000)
    assert path.read_bytes() == before
    assert window.document.dirty
    assert window.prompts.errors and "not overwritten" in window.prompts.errors[-1]
    assert "Use Save As" in window.prompts.errors[-1] and path.name in window.prompts.errors[-1]
    colleague.release()


def test_save_as_onto_a_file_open_elsewhere_writes_nothing(window, qtbot, tmp_path):
    theirs = tmp_path / "theirs.json"
    theirs.write_text("{}", encoding="utf-8")
    colleague = files.FileLock()
    colleague.acquire(theirs)
    shown = window.document.path
    window.prompts.save_to = theirs
    window.files.save_as()
    qtbot.waitUntil(lambda: window.files.save_task is None, timeout=5000)
    assert theirs.read_text(encoding="utf-8") == "{}"
    assert window.document.path == shown
    assert files.read_lock(shown).token == window.files.lock.token  # this window keeps its own file
    assert "theirs.json is open in " in window.prompts.errors[-1] and "Token Budget" in window.prompts.errors[-1]
    colleague.release()


def test_a_save_reads_the_lock_files_on_its_worker(window, qtbot, monkeypatch):
    read_on = []
    owner_elsewhere = files.FileLock.owner_elsewhere
    monkeypatch.setattr(files.FileLock, "owner_elsewhere",
                        lambda self, path: read_on.append(threading.current_thread()) or owner_elsewhere(self, path))
    _edit(window)
    window.files.save()
    qtbot.waitUntil(lambda: not window.document.dirty, timeout=5000)
    assert read_on and threading.main_thread() not in read_on


def test_closing_and_saving_over_a_file_open_elsewhere_keeps_the_window_open(window, qtbot):
    path = window.document.path
    before = path.read_bytes()
    colleague = _taken_by_a_colleague(path)
    _edit(window)
    window.prompts.save_changes = "save"
    assert not window.close()
    assert path.read_bytes() == before and window.document.dirty
    assert "not overwritten" in window.prompts.errors[-1]
    colleague.release()


def _open_in_libreoffice(path):
    """The lock file LibreOffice writes beside a document it has open, on a colleague's machine."""
    files.lock_path(path).write_text("Jane Doe,jane,finance-pc-7,03.12.2026 09:12,file:///home/jane/.config/libreoffice/4;",
                                     encoding="utf-8")


def test_an_export_over_a_workbook_open_in_libreoffice_writes_nothing(window, qtbot, tmp_path):
    for name in ("forecast.xlsx", "projection.csv"):
        target = tmp_path / name
        target.write_bytes(b"a colleague's file")
        _open_in_libreoffice(target)
        assert window.files.export_to(target)
        qtbot.waitUntil(lambda: window.files.jobs.get("Exporting") is None, timeout=10000)
        assert target.read_bytes() == b"a colleague's file"
        assert "Jane Doe" in window.prompts.errors[-1] and "not overwritten" in window.prompts.errors[-1]


def test_an_export_to_a_file_nobody_has_open_is_written(window, qtbot, tmp_path):
    target = tmp_path / "projection.csv"
    target.write_bytes(b"last month's export")
    assert window.files.export_to(target)
    qtbot.waitUntil(lambda: window.files.jobs.get("Exporting") is None, timeout=10000)
    assert target.read_bytes() != b"last month's export" and not window.prompts.errors
