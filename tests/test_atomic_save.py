"""Saves that respect a shared drive: permissions kept, symlinks written through, no temporary
left by a killed save, and a kill at any moment leaves the file and its .bak whole."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pricing.files.atomic import atomic_write_bytes, remove_stale_temps
from pricing.files.planfile import load_plan_json, save_plan_json
from tests.conftest import plan_of, workload

ROOT = Path(__file__).resolve().parents[1]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_002():
    old = os.umask(0o002)
    yield
    os.umask(old)


def test_a_0664_plan_stays_0664_after_a_save(tmp_path):
    path = tmp_path / "plan.json"
    save_plan_json(plan_of(workload(name="a")), path)
    os.chmod(path, 0o664)
    save_plan_json(plan_of(workload(name="b")), path)
    assert _mode(path) == 0o664
    assert _mode(tmp_path / "plan.json.bak") == 0o664


def test_a_new_file_gets_the_permissions_of_the_umask(tmp_path, umask_002):
    path = tmp_path / "new.json"
    save_plan_json(plan_of(workload()), path)
    assert _mode(path) == 0o664


def test_a_save_through_a_symlink_updates_its_target_and_keeps_the_link(tmp_path):
    real_dir = tmp_path / "shared"
    real_dir.mkdir()
    real = real_dir / "plan.json"
    save_plan_json(plan_of(workload(name="old")), real)
    link = tmp_path / "plan.json"
    link.symlink_to(real)
    save_plan_json(plan_of(workload(name="new")), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_plan_json(real).workloads[0].name == "new"
    assert load_plan_json(real_dir / "plan.json.bak").workloads[0].name == "old"
    assert not (tmp_path / "plan.json.bak").exists()


def test_a_killed_saves_temporary_files_are_removed_by_the_next_save(tmp_path):
    path = tmp_path / "plan.json"
    save_plan_json(plan_of(workload(name="a")), path)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    import socket

    host = socket.gethostname()
    left = tmp_path / f".plan.json~tb+{host}+{dead_pid}+abc123.tmp"
    left.write_bytes(b"x" * 1000)
    left_bak = tmp_path / f".plan.json.bak~tb+{host}+{dead_pid}+def456.tmp"
    left_bak.write_bytes(b"")
    running = tmp_path / f".plan.json~tb+{host}+{os.getppid()}+live00.tmp"  # a save still running
    running.write_bytes(b"y")
    elsewhere = tmp_path / f".plan.json~tb+other-host+{dead_pid}+far000.tmp"  # another machine's save
    elsewhere.write_bytes(b"z")
    save_plan_json(plan_of(workload(name="b")), path)
    assert not left.exists() and not left_bak.exists()
    assert running.exists() and elsewhere.exists()
    os.utime(elsewhere, (1, 1))  # a day old: left over whoever wrote it
    assert remove_stale_temps(path) == [elsewhere]


# A save run in a child that SIGKILLs itself at its N-th step (every file-system call the save
# makes, and between the chunks of the new content); N=0 runs the save to the end and prints
# how many steps there were.
_KILLED_SAVE = textwrap.dedent("""
    import os, shutil, signal, sys
    from pathlib import Path
    import pricing.files.atomic as atomic

    path, data, kill_at = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), int(sys.argv[3])
    steps = [0]

    def step():
        steps[0] += 1
        if steps[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def hooked(fn):
        def call(*args, **kwargs):
            step()
            result = fn(*args, **kwargs)
            step()
            return result
        return call

    for name in ("replace", "link", "fsync", "chmod", "unlink", "open", "close"):
        setattr(atomic.os, name, hooked(getattr(os, name)))
    atomic.shutil.copy2 = hooked(shutil.copy2)
    atomic.tempfile.mkstemp = hooked(atomic.tempfile.mkstemp)

    def write(tmp):
        with open(tmp, "wb") as handle:
            for i in range(0, len(data), len(data) // 4 + 1):
                step()
                handle.write(data[i:i + len(data) // 4 + 1])
                handle.flush()

    atomic.atomic_write(path, write)
    print(steps[0])
""")


def _save_killed_at(path: Path, new: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _KILLED_SAVE, str(path), str(new), str(kill_at)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.mark.parametrize("linked", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_kill_at_any_moment_of_a_save_leaves_the_plan_and_its_backup_whole(tmp_path, linked, monkeypatch):
    versions = [plan_of(workload(name=f"v{i}", requests_per_month=1000 + i)) for i in range(3)]
    texts = []
    for i, plan in enumerate(versions):
        save_plan_json(plan, tmp_path / f"v{i}.json")
        texts.append((tmp_path / f"v{i}.json").read_bytes())
    work = tmp_path / "work"
    work.mkdir()
    path, bak = work / "plan.json", work / "plan.json.bak"
    script = _KILLED_SAVE if linked else _KILLED_SAVE.replace('"link", ', "").replace(
        "for name in", "atomic.os.link = lambda *a: (_ for _ in ()).throw(OSError('no links'))\nfor name in")
    monkeypatch.setattr(sys.modules[__name__], "_KILLED_SAVE", script)

    def start():  # fresh files: a kill between linking and renaming leaves the two names on one inode
        for name, text in ((path, texts[1]), (bak, texts[0])):
            name.unlink(missing_ok=True)
            name.write_bytes(text)

    start()
    done = _save_killed_at(path, tmp_path / "v2.json", 0)
    assert done.returncode == 0, done.stderr
    steps = int(done.stdout)
    assert steps > 10
    assert path.read_bytes() == texts[2] and bak.read_bytes() == texts[1]
    for kill_at in range(1, steps + 1):
        start()
        killed = _save_killed_at(path, tmp_path / "v2.json", kill_at)
        assert killed.returncode == -9, (kill_at, killed.stderr)
        assert path.read_bytes() in (texts[1], texts[2]), kill_at
        assert bak.read_bytes() in (texts[0], texts[1]), kill_at
        if path.read_bytes() == texts[2]:
            assert bak.read_bytes() == texts[1], kill_at  # the new version is never without the previous one
    atomic_write_bytes(path, texts[2])  # the next save sweeps whatever the killed ones left
    assert sorted(p.name for p in work.iterdir()) == ["plan.json", "plan.json.bak"]
