"""tokenbudget export writes the plan workbook; tokenbudget summary reads it back."""

from __future__ import annotations

import json

from pricing.cli import main
from pricing.files.workbook import load_plan
from tests.workbook_helpers import sheet_values


def test_export_writes_the_sample_plan_workbook_and_summary_reads_it(tmp_path, capsys, sample_plan):
    out = tmp_path / "sample.xlsx"
    assert main(["export", "-o", str(out), "--months", "12"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert load_plan(out) == (sample_plan, [])
    assert sheet_values(out, "Projection")[0].index("Total") == 6 + 12
    assert main(["summary", str(out), "--json", "--months", "12"]) == 0
    from_workbook = json.loads(capsys.readouterr().out)
    assert main(["summary", "--json", "--months", "12"]) == 0
    assert json.loads(capsys.readouterr().out) == from_workbook
    assert from_workbook["workloads"][0]["first_month_cost"] == "12000.00"


def test_export_of_a_workbook_plan_round_trips(tmp_path, capsys):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["export", "-o", str(first)]) == 0
    assert main(["export", str(first), "-o", str(second)]) == 0
    assert load_plan(first) == load_plan(second)


def test_export_refuses_bad_arguments_with_one_line(tmp_path, capsys):
    assert main(["export", "-o", str(tmp_path / "x.csv")]) == 2
    assert "must end in .xlsx" in capsys.readouterr().err
    assert main(["export", "-o", str(tmp_path / "x.xlsx"), "--months", "40"]) == 2
    assert main(["export", str(tmp_path / "missing.json"), "-o", str(tmp_path / "x.xlsx")]) == 3  # bad data: no such plan
    assert "no such file" in capsys.readouterr().err
