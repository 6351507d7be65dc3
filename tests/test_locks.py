"""Locks that work with LibreOffice and Excel: read theirs, write ours in LibreOffice's format,
atomically; a held plan opens read-only and the command line will not overwrite it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pricing.cli import main
from pricing.costing.catalog import sample_plan_path
from pricing.files import locks
from pricing.files.locks import EXCEL, LIBREOFFICE, TOKEN_BUDGET, FileLock, held_by, lock_path, read_lock
from tests.desktop_helpers import ScriptedPrompts, data_dir, make_window  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[1]
JANE = b",jane,finance-pc,01.12.2026 14:03,file:///home/jane/.config/libreoffice/4;"


@pytest.fixture
def plan(tmp_path) -> Path:
    path = tmp_path / "plan.xlsx"
    assert main(["export", "-o", str(path)]) == 0
    return path


def _dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)


def test_a_libreoffice_lock_names_who_and_since_when(tmp_path):
    path = tmp_path / "plan.xlsx"
    lock_path(path).write_bytes(b"Jane Doe,jane,finance-pc,01.12.2026 14:03,file:///home/jane/.config/libreoffice/4;")
    owner = read_lock(path)
    assert (owner.user, owner.host, owner.since, owner.app) == ("Jane Doe", "finance-pc", "01.12.2026 14:03", LIBREOFFICE)
    assert owner.describe() == "Jane Doe on finance-pc (LibreOffice) since 01.12.2026 14:03"
    assert not owner.process_gone  # another machine: we cannot know, so it is never broken


def test_an_excel_owner_file_names_the_user(tmp_path):
    path = tmp_path / "budget.xlsx"
    name = b"Jane Doe"
    (tmp_path / "~$budget.xlsx").write_bytes(bytes([len(name)]) + name + b" " * (54 - len(name) - 1) + b"\x00" * 108)
    owner = read_lock(path)
    assert owner.app == EXCEL and owner.user == "Jane Doe" and owner.since
    assert held_by(path) == owner


def test_our_lock_is_written_in_libreoffices_format(tmp_path):
    path = tmp_path / "plan.xlsx"
    lock = FileLock()
    assert lock.acquire(path) is None
    text = lock_path(path).read_text()
    fields = text.rstrip(";").split(",")
    assert len(fields) == 5 and text.endswith(";")
    assert fields[2] == socket.gethostname() and fields[4] == f"tokenbudget:{os.getpid()}:{lock.token}"
    owner = read_lock(path)
    assert owner.app == TOKEN_BUDGET and owner.pid == os.getpid() and owner.token == lock.token
    lock.release()
    assert not lock_path(path).exists()


def test_of_two_processes_locking_at_the_same_moment_exactly_one_wins(tmp_path):
    path = tmp_path / "plan.xlsx"
    script = textwrap.dedent("""
        import sys, time
        from pricing.files.locks import FileLock
        start = float(sys.argv[2])
        time.sleep(max(0.0, start - time.time() - 0.02))
        while time.time() < start:  # the last 20 ms spun, so the four open the file together
            pass
        lock = FileLock()
        print("won" if lock.acquire(sys.argv[1]) is None else "lost", flush=True)
        sys.stdin.read()  # hold the lock (the process stays alive) until told to stop
    """)
    import time

    for _round in range(3):
        start = time.time() + 2
        children = [subprocess.Popen([sys.executable, "-c", script, str(path), str(start)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=dict(os.environ, PYTHONPATH=str(ROOT))) for _ in range(4)]
        answers = sorted(child.stdout.readline().strip() for child in children)
        for child in children:
            child.communicate("", timeout=30)
        assert answers == ["lost", "lost", "lost", "won"]
        lock_path(path).unlink()


def test_a_lock_left_by_a_crashed_token_budget_on_this_machine_is_taken_over(tmp_path):
    path = tmp_path / "plan.xlsx"
    lock_path(path).write_text(f"Jo,jo,{socket.gethostname()},01.12.2026 09:00,tokenbudget:{_dead_pid()}:abc;")
    assert read_lock(path).process_gone and held_by(path) is None
    lock = FileLock()
    assert lock.acquire(path) is None and read_lock(path).token == lock.token


def test_a_libreoffice_lock_survives_opening_the_plan_which_opens_read_only(qtbot, data_dir, plan):  # noqa: F811
    lock_path(plan).write_bytes(JANE)
    prompts = ScriptedPrompts()
    prompts.locked = "open"  # not offered: the lock is another machine's
    window = make_window(qtbot, plan, prompts)
    (asked,) = prompts.asked
    assert asked[0] == "locked" and "jane on finance-pc (LibreOffice) since 01.12.2026 14:03" in asked[2]
    assert asked[3] is False
    assert window.document.read_only and "read-only" in window.statusBar().currentMessage()
    assert "jane" in window.statusBar().currentMessage()
    window.files.shutdown()
    assert lock_path(plan).read_bytes() == JANE


def test_a_libreoffice_lock_of_a_process_gone_from_this_machine_may_be_broken(qtbot, data_dir, plan, monkeypatch):  # noqa: F811
    lock_path(plan).write_bytes(f",jane,{socket.gethostname()},01.12.2026 14:03,file:///x;".encode())
    monkeypatch.setattr(locks, "libreoffice_running", lambda: False)
    prompts = ScriptedPrompts()
    prompts.locked = "open"
    window = make_window(qtbot, plan, prompts)
    assert prompts.asked[0][3] is True
    assert not window.document.read_only
    assert read_lock(plan).token == window.files.lock.token
    window.files.shutdown()
    assert not lock_path(plan).exists()


def test_export_refuses_to_overwrite_a_plan_open_in_libreoffice_unless_forced(plan, capsys):
    lock_path(plan).write_bytes(JANE)
    before = plan.read_bytes()
    assert main(["export", "-o", str(plan), "--months", "6"]) == 4  # output held by someone else
    err = capsys.readouterr().err
    assert "open in jane on finance-pc (LibreOffice) since 01.12.2026 14:03" in err and "--force" in err
    assert plan.read_bytes() == before
    assert main(["export", "-o", str(plan), "--months", "6", "--force"]) == 0
    assert plan.read_bytes() != before
    assert lock_path(plan).read_bytes() == JANE


def test_import_refuses_to_overwrite_a_plan_open_in_excel_unless_forced(tmp_path, capsys):
    source = tmp_path / "budget.csv"
    source.write_text("Model,Requests per month,Avg input tokens,Avg output tokens\ngpt-4o,1000,500,100\n")
    out = tmp_path / "plan.json"
    shutil.copy(sample_plan_path(), out)
    (tmp_path / "~$plan.json").write_bytes(b"\x03Bob" + b"\x00" * 160)
    assert main(["import", str(source), "-o", str(out)]) == 4  # output held by someone else
    assert "Bob (Excel)" in capsys.readouterr().err
    assert out.read_bytes() == sample_plan_path().read_bytes()
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0
