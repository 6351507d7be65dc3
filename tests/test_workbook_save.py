"""Saving a plan workbook: atomic, cancellable, with progress, keeping sheets the user added."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from pricing.costing.catalog import sample_plan_path
from pricing.files.planfile import open_plan
from pricing.files.workbook import SaveCancelled, load_plan, save_plan
from pricing.files.workbook.sheets import Computed
from tests.workbook_helpers import rich_plan, sheet_values


def _bumped(plan, requests):
    first = plan.workloads[0].model_copy(update={"requests_per_month": Decimal(requests)})
    return plan.model_copy(update={"workloads": (first,) + plan.workloads[1:]})


@pytest.fixture
def sample():
    return open_plan(sample_plan_path())[0]


def test_a_save_that_crashes_part_way_leaves_the_previous_file_and_its_backup(tmp_path, sample, monkeypatch):
    path = tmp_path / "plan.xlsx"
    v1, v2, v3 = _bumped(sample, 1000), _bumped(sample, 2000), _bumped(sample, 3000)
    save_plan(v1, path)
    save_plan(v2, path)
    before, backup = path.read_bytes(), (tmp_path / "plan.xlsx.bak").read_bytes()

    def crash(self):
        raise OSError("disk full")  # the projection sheet is half written when this strikes

    monkeypatch.setattr(Computed, "write_projection", crash)
    with pytest.raises(OSError, match="disk full"):
        save_plan(v3, path)
    assert path.read_bytes() == before
    assert load_plan(path)[0] == v2
    assert load_plan(tmp_path / "plan.xlsx.bak")[0] == v1
    assert (tmp_path / "plan.xlsx.bak").read_bytes() == backup
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "plan.xlsx.bak"]  # no temporary left


def test_cancelling_a_save_raises_and_keeps_the_previous_file(tmp_path, sample):
    path = tmp_path / "plan.xlsx"
    save_plan(sample, path)
    before = path.read_bytes()
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(SaveCancelled):
        save_plan(_bumped(sample, 5), path, cancel=cancel)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_progress_runs_from_zero_to_one(tmp_path, sample):
    seen = []
    save_plan(sample, tmp_path / "plan.xlsx", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen) and all(0 <= f <= 1 for f in seen)


def test_a_sheet_the_user_added_survives_a_save(tmp_path):
    path = tmp_path / "plan.xlsx"
    plan = rich_plan()
    save_plan(plan, path)
    book = openpyxl.load_workbook(path)
    notes = book.create_sheet("My notes")
    notes["A1"] = "Budget owner: Jane"
    notes["A2"] = 0.125
    notes["A2"].number_format = "0.0%"
    notes["A3"] = date(2026, 5, 1)
    notes["A3"].number_format = "yyyy-mm-dd"
    notes["B1"] = "=Summary!B4*2"
    notes["C1"] = "Plain words"
    notes.column_dimensions["A"].width = 40
    notes.merge_cells("D1:E1")
    book.save(path)

    save_plan(_bumped(plan, 42), path)
    save_plan(_bumped(plan, 43), path)  # and again over a file this writer wrote
    book = openpyxl.load_workbook(path)
    assert "My notes" in book.sheetnames and book.sheetnames.count("My notes") == 1
    kept = book["My notes"]
    assert kept["A1"].value == "Budget owner: Jane"
    assert kept["A2"].value == 0.125 and kept["A2"].number_format == "0.0%"
    assert kept["A3"].value.date() == date(2026, 5, 1) and kept["A3"].number_format == "yyyy-mm-dd"
    assert kept["B1"].value == "=Summary!B4*2"
    assert kept["C1"].value == "Plain words" and kept["C1"].data_type == "s"
    assert kept.column_dimensions["A"].width == 40
    assert "D1:E1" in {str(r) for r in kept.merged_cells.ranges}
    loaded, findings = load_plan(path)
    assert loaded == _bumped(plan, 43) and not findings
    assert sheet_values(path, "Workloads")[1][6] == 43


def test_saving_over_a_workbook_of_another_tool_keeps_its_sheets(tmp_path, sample):
    path = tmp_path / "mixed.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Board pack"
    book.active["A1"] = "Q3"
    book.save(path)
    save_plan(sample, path)
    assert sheet_values(path, "Board pack")[0][0] == "Q3"
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None


def test_summary_sheet_carries_stacked_charts_by_model_and_by_tenant(tmp_path):
    import re

    from pricing.costing.projection import Projection

    plan = rich_plan()
    path = tmp_path / "plan.xlsx"
    save_plan(plan, path)
    p = Projection(plan)
    with zipfile.ZipFile(path) as zf:
        charts = [zf.read(n).decode() for n in sorted(zf.namelist()) if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        for chart, by in zip(charts, ("model", "tenant")):
            assert '<c:grouping val="stacked"/>' in chart and '<c:overlap val="100"/>' in chart
            names = re.findall(r"<c:tx><c:strRef><c:f>[^<]*</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\">"
                               r"<c:v>([^<]*)</c:v>", chart)
            assert sorted(names) == sorted(k.replace("&", "&amp;") for k in p.breakdown(by))
        rels = zf.read("xl/worksheets/_rels/sheet" + str(_sheet_number(zf, "Summary")) + ".xml.rels").decode()
        assert "drawing" in rels


def _sheet_number(zf, name: str) -> int:
    import re

    book = zf.read("xl/workbook.xml").decode()
    rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{name}" sheetId="\d+" r:id="(rId\d+)"', book).group(1)
    return int(re.search(rf'Id="{rid}" Type="[^"]+" Target="worksheets/sheet(\d+).xml"', rels).group(1))
