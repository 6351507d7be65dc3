"""The command line loads only what the command it runs needs: a fresh process's ``sys.modules``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pricing import cli

ROOT = Path(__file__).resolve().parents[1]

#: Libraries only some commands need (workbooks, usage logs and actuals, the catalog builder, the window).
HEAVY = ("duckdb", "openpyxl", "python_calamine", "defusedxml", "genai_prices", "PySide6", "shtab", "numpy",
         "pandas", "pyarrow")


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code`` (stdout silenced)."""
    probe = ("import contextlib, io, json, sys\n"
             f"with contextlib.redirect_stdout(io.StringIO()):\n    {code}\n"
             "print(json.dumps(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.splitlines()[-1]))


def _loaded(modules: set[str], names) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names)


def test_importing_the_command_line_loads_no_heavy_library_and_no_plan_records():
    modules = _modules_after("import pricing.cli")
    assert _loaded(modules, HEAVY + ("pydantic",)) == []


def test_summary_of_the_sample_plan_loads_no_heavy_library_and_no_other_command():
    modules = _modules_after("import pricing.cli; pricing.cli.main(['summary', '--json'])")
    assert _loaded(modules, HEAVY) == []
    others = {module for name, module, _ in cli.COMMANDS if name != "summary"}
    assert sorted(others & modules) == []
    assert "pricing.cli.summary_cmd" in modules


def test_summary_of_the_sample_plan_loads_neither_babel_nor_the_log_file_handlers():
    """The sample names no currency and --json writes plain decimals: Babel's locale data is not
    needed, and nothing is logged, so the rotating log file's module is not loaded either."""
    modules = _modules_after("import pricing.cli; pricing.cli.main(['summary', '--json'])")
    assert _loaded(modules, ("babel",)) == []
    assert "logging.handlers" not in modules


def test_pydantic_looks_for_no_plugins_unless_told_to():
    """Looking for pydantic plugins reads every installed package's entry points at the first
    record class built; the plan's records are built with that off, unless the variable is set."""
    probe = "import os, pricing.plan.models; print(os.environ['PYDANTIC_DISABLE_PLUGINS'])"
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert out.stdout.strip() == "__all__", out.stderr
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=env | {"PYDANTIC_DISABLE_PLUGINS": "logfire"})
    assert out.stdout.strip() == "logfire", out.stderr


@pytest.mark.parametrize("argv", [["cost", "arcee-ai/maestro-reasoning", "3000", "1000"], ["catalog", "--search", "llama"],
                                  ["schema"], ["modes"], ["scenarios"], ["budget"]])
def test_a_command_that_reads_no_workbook_or_log_loads_none_of_their_libraries(argv):
    modules = _modules_after(f"import pricing.cli; pricing.cli.main({argv!r})")
    assert _loaded(modules, HEAVY) == []


def test_help_lists_every_command_without_loading_them(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for name, _, help_line in cli.COMMANDS:
        assert name in out and help_line[:30] in out


def test_a_command_run_alone_has_the_options_and_help_of_the_whole_parser(capsys):
    whole = cli.build_parser()
    for name, _, _ in cli.COMMANDS:
        with pytest.raises(SystemExit):
            whole.parse_args([name, "--help"])
        expected = capsys.readouterr().out
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        assert capsys.readouterr().out == expected
