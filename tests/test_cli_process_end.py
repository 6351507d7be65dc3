"""A command run as its own process ends once its output is out, without the interpreter's
teardown (the plan and projection it leaves are freed by the system at once): its whole output,
its exit code and its log entries all arrive, and main() called in-process still returns."""

from __future__ import annotations

import subprocess
import sys

from pricing import cli
from pricing.cli.common import EXIT_DATA, EXIT_INTERNAL


def _process(*args: str, **env: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "pricing.cli", *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **env))


def test_a_command_s_process_writes_its_whole_output_into_a_pipe(capsys):
    assert cli.main(["summary", "--json"]) == 0  # in-process: main returns
    expected = capsys.readouterr().out
    done = _process("summary", "--json")
    assert done.returncode == 0 and done.stdout == expected and len(expected) > 10_000


def test_a_command_s_process_writes_its_whole_output_into_a_file(tmp_path):
    out = tmp_path / "catalog.txt"
    with open(out, "w", encoding="utf-8") as handle:
        done = subprocess.run([sys.executable, "-m", "pricing.cli", "catalog"], stdout=handle, text=True, timeout=120)
    assert done.returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 100 and lines[-1].strip()


def test_a_failing_command_s_process_exits_with_its_code_and_message(tmp_path):
    broken = tmp_path / "plan.json"
    broken.write_text("{not json", encoding="utf-8")
    done = _process("summary", str(broken))
    assert done.returncode == EXIT_DATA
    assert done.stderr.startswith("tokenbudget: ") and done.stderr.count("\n") == 1


def test_a_command_s_process_leaves_its_log_entries_written(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import sys; from pricing.cli import main; "
                           "import pricing.cli.catalog_cmd as c; c.run = lambda args: 1 / 0; sys.exit(main())",
                           "catalog"], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "TOKENBUDGET_LOG_DIR": str(tmp_path)})
    assert done.returncode == EXIT_INTERNAL
    log = (tmp_path / "tokenbudget.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log


def test_a_command_called_in_process_leaves_nothing_alive_after_it(monkeypatch):
    """Tests and the window call commands in-process: their plans and projections are freed as ever."""
    import gc
    import weakref

    from pricing.cli import common
    from pricing.costing import projection as projection_module

    made = []
    real = projection_module.Projection.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(projection_module.Projection, "__init__", spy)
    assert common._left_for_exit is None
    assert cli.main(["summary"]) == 0
    gc.collect()
    assert made and made[0]() is None


def test_a_command_run_as_its_own_process_leaves_its_projection_to_the_system():
    """As its own process, the plan and projection a command made stay alive until the process ends
    (the system frees them at once; freed object by object they took 0.3-0.4 s at 100,000 workloads)."""
    script = ("import sys, weakref; from pricing import cli; from pricing.cli import common; "
              "from pricing.costing import projection as p; made = []; real = p.Projection.__init__\n"
              "def spy(self, *a, **k): real(self, *a, **k); made.append(weakref.ref(self))\n"
              "p.Projection.__init__ = spy\n"
              "cli._end_process = lambda code: print('alive', made[0]() is not None, len(common._left_for_exit))\n"
              "sys.argv = ['tokenbudget', 'summary']; cli.main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "alive True 2"  # the plan and its projection
