"""Opening a plan and its lock file: a large plan's lock is taken on the opening worker, and a
Cancel (at the question about a lock held elsewhere, or while the worker reads) leaves the window
as it was, the lock of the plan shown given back."""

from __future__ import annotations

import threading

import pytest

from desktop_helpers import data_dir, plan_path, window  # noqa: F401 - the fixtures
from desktop import files, opening
from pricing.files.planfile import save_plan_json


@pytest.fixture
def other_plan(tmp_path):
    from benchmarks.plans import make_plan

    path = tmp_path / "other.json"
    save_plan_json(make_plan(40), path)
    return path


def _open_and_wait(window, qtbot, path):
    opened = window.files.open_path(path)
    qtbot.waitUntil(lambda: window.files.open_task is None, timeout=20000)
    return opened


def test_a_large_plan_s_lock_is_taken_on_the_opening_worker(window, qtbot, other_plan, monkeypatch):
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    shown = window.document.path
    taken_on = []
    acquire = files.FileLock.acquire
    monkeypatch.setattr(files.FileLock, "acquire",
                        lambda self, path: taken_on.append(threading.current_thread()) or acquire(self, path))
    assert _open_and_wait(window, qtbot, other_plan)
    assert window.document.path == other_plan and not window.document.read_only
    assert files.read_lock(other_plan).token == window.files.lock.token
    assert not files.lock_path(shown).exists()
    assert taken_on and threading.main_thread() not in taken_on


@pytest.mark.parametrize("large", [False, True], ids=["small plan", "large plan on a worker"])
def test_cancel_at_the_question_about_a_held_lock_keeps_the_plan_shown_and_its_lock(window, qtbot, other_plan,
                                                                                   monkeypatch, large):
    if large:
        monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    colleague = files.FileLock()
    assert colleague.acquire(other_plan) is None
    before, shown = window.document.plan, window.document.path
    window.prompts.locked = "cancel"
    assert not _open_and_wait(window, qtbot, other_plan) or large  # a large plan answers once the worker starts
    assert window.prompts.asked[-1][0] == "locked"
    assert window.document.plan is before and window.document.path == shown
    assert not window.document.read_only
    assert files.read_lock(shown).token == window.files.lock.token  # the lock is back on the plan shown
    assert files.read_lock(other_plan).token == colleague.token  # the colleague's lock untouched
    assert "cancelled" in window.statusBar().currentMessage()
    colleague.release()


def test_read_only_at_the_question_opens_the_plan_and_lets_the_previous_file_go(window, qtbot, other_plan,
                                                                                 monkeypatch):
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    colleague = files.FileLock()
    colleague.acquire(other_plan)
    shown = window.document.path
    window.prompts.locked = "readonly"
    assert _open_and_wait(window, qtbot, other_plan)
    assert window.document.path == other_plan and window.document.read_only
    assert "read-only" in window.statusBar().currentMessage()
    assert not files.lock_path(shown).exists()
    assert files.read_lock(other_plan).token == colleague.token
    colleague.release()


def test_cancel_after_the_worker_took_the_lock_gives_it_back_to_the_plan_shown(window, qtbot, other_plan,
                                                                                monkeypatch):
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    before, shown = window.document.plan, window.document.path
    acquire = files.FileLock.acquire

    def taken_then_cancelled(self, path):  # Cancel pressed just as the worker took the new file's lock
        owner = acquire(self, path)
        if threading.current_thread() is not threading.main_thread():
            window.files.open_task.cancel.set()
        return owner

    monkeypatch.setattr(files.FileLock, "acquire", taken_then_cancelled)
    _open_and_wait(window, qtbot, other_plan)
    assert window.document.plan is before and window.document.path == shown
    assert files.read_lock(shown).token == window.files.lock.token
    assert not files.lock_path(other_plan).exists()
    assert "cancelled" in window.statusBar().currentMessage()


def test_cancel_when_someone_took_the_plan_shown_meanwhile_turns_it_read_only(window, qtbot, other_plan,
                                                                              monkeypatch):
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    shown = window.document.path
    colleague = files.FileLock()
    acquire = files.FileLock.acquire

    def taken_while_asked(self, path):
        owner = acquire(self, path)
        if self is window.files.lock and path == other_plan:  # the window let its file go: a colleague takes it
            acquire(colleague, shown)
            window.files.open_task.cancel.set()
        return owner

    monkeypatch.setattr(files.FileLock, "acquire", taken_while_asked)
    _open_and_wait(window, qtbot, other_plan)
    assert window.document.path == shown and window.document.read_only
    assert files.read_lock(shown).token == colleague.token
    assert "read-only" in window.statusBar().currentMessage()
    colleague.release()


def test_an_opened_plan_goes_on_the_recent_files_list_off_the_gui_thread(window, qtbot, other_plan, monkeypatch):
    from desktop import memory

    written_on = []
    add = memory.add_recent
    monkeypatch.setattr(memory, "add_recent", lambda path: written_on.append(threading.current_thread()) or add(path))
    assert window.files.open_path(other_plan)
    qtbot.waitUntil(lambda: str(other_plan.resolve()) in [str(p) for p in memory.recent_files()], timeout=5000)
    assert written_on and threading.main_thread() not in written_on


def test_opening_the_plan_shown_again_on_a_worker_keeps_its_lock(window, qtbot, other_plan, monkeypatch):
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)
    assert _open_and_wait(window, qtbot, other_plan)
    assert _open_and_wait(window, qtbot, other_plan)
    assert window.document.path == other_plan and not window.document.read_only
    assert files.read_lock(other_plan).token == window.files.lock.token
    assert not any(asked[0] == "locked" for asked in window.prompts.asked)
