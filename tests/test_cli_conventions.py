"""The command line behaves as command lines do: --version, python -m, exit statuses, progress, completion, a log."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from pricing import cli
from pricing.cli.common import EXIT_DATA, EXIT_INTERNAL, EXIT_OUTPUT, EXIT_USAGE

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=os.environ | env)


def _run_on_terminal(*args: str, **env: str) -> bytes:
    """Run with stdout and stderr on a pseudo-terminal, as a person at a shell would."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.chdir(ROOT)
        os.environ.update(env)
        os.execv(sys.executable, [sys.executable, *args])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out


def test_python_m_pricing_cli_prints_the_version():
    out = _run("-m", "pricing.cli", "--version")
    assert out.returncode == 0
    assert out.stdout.startswith("tokenbudget 0.")
    assert "Rate catalog: genai-prices" in out.stdout


def test_python_m_desktop_runs_the_same_command_line_as_tokenbudget():
    out = _run("-m", "desktop", "--version")
    assert out.returncode == 0 and out.stdout.startswith("tokenbudget ")


def test_bad_usage_exits_2():
    assert cli.main(["summary", "--months", "99"]) == EXIT_USAGE


def test_bad_data_exits_3(tmp_path, capsys):
    broken = tmp_path / "plan.json"
    broken.write_text("{not json", encoding="utf-8")
    assert cli.main(["summary", str(broken)]) == EXIT_DATA
    assert capsys.readouterr().err.count("\n") == 1


def test_output_that_cannot_be_written_exits_4(tmp_path):
    assert cli.main(["export", "-o", str(tmp_path / "missing" / "out.xlsx")]) == EXIT_OUTPUT


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TOKENBUDGET_LOG_DIR", str(tmp_path))
    from pricing.cli import catalog_cmd

    def broken(args):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(catalog_cmd, "run", broken)
    assert cli.main(["catalog"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: ZeroDivisionError: planted" in err
    assert str(tmp_path) in err
    log = (tmp_path / "tokenbudget.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "planted" in log


def test_a_long_step_shows_progress_on_a_terminal(tmp_path):
    out = _run_on_terminal("-m", "pricing.cli", "export", "-o", str(tmp_path / "plan.xlsx"),
                           TOKENBUDGET_PROGRESS_DELAY="0")
    assert b"writing plan.xlsx\xe2\x80\xa6" in out
    assert (tmp_path / "plan.xlsx").exists()


def test_no_progress_is_written_into_a_pipe(tmp_path):
    out = _run("-m", "pricing.cli", "export", "-o", str(tmp_path / "plan.xlsx"), TOKENBUDGET_PROGRESS_DELAY="0")
    assert out.returncode == 0
    assert out.stderr == ""


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_shell_completion_is_generated_from_the_parser(shell, capsys):
    assert cli.main(["completion", shell]) == 0
    script = capsys.readouterr().out
    for command in ("cost", "catalog", "summary", "export", "import", "usage", "modes"):
        assert command in script
    assert "--cached-share" in script


def test_the_plan_schema_accepts_the_bundled_plans_and_a_saved_one(tmp_path, capsys):
    import json

    import jsonschema

    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import load_plan_json, save_plan_json

    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    saved = tmp_path / "plan.json"
    save_plan_json(load_plan_json(sample_plan_path()), saved)
    for path in (sample_plan_path(), saved):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
    broken = json.loads(saved.read_text(encoding="utf-8")) | {"format_version": "one"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_a_saved_plan_says_its_format_version_and_a_newer_one_is_refused_by_name(tmp_path):
    import json

    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import PlanFileError, load_plan_json, save_plan_json
    from pricing.plan.models import PLAN_FORMAT_VERSION

    saved = tmp_path / "plan.json"
    plan = load_plan_json(sample_plan_path())
    save_plan_json(plan, saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert next(iter(data)) == "format_version" and data["format_version"] == PLAN_FORMAT_VERSION
    assert load_plan_json(saved) == plan
    saved.write_text(json.dumps(data | {"format_version": PLAN_FORMAT_VERSION + 1}), encoding="utf-8")
    with pytest.raises(PlanFileError, match="written by a newer Token Budget"):
        load_plan_json(saved)


def test_an_import_shows_its_progress_on_a_terminal_and_none_in_a_pipe(tmp_path):
    import csv

    source = tmp_path / "budget.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["Workload", "Model", "Input tokens", "Output tokens", "Requests per month"],
                                 ["Support bot", "openai/gpt-4o-mini", 1200, 300, 100000]])
    on_terminal = _run_on_terminal("-m", "pricing.cli", "import", str(source), "-o", str(tmp_path / "a.json"),
                                   TOKENBUDGET_PROGRESS_DELAY="0")
    assert b"importing budget.csv\xe2\x80\xa6" in on_terminal
    piped = _run("-m", "pricing.cli", "import", str(source), "-o", str(tmp_path / "b.json"),
                 TOKENBUDGET_PROGRESS_DELAY="0")
    assert piped.returncode == 0, piped.stderr
    assert "importing" not in piped.stderr and "\r" not in piped.stderr
