"""Opening a plan workbook is as safe as importing one: hostile or broken packages are refused
with one line naming the file, in bounded memory and time, by the command line and the window."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pricing.files.planfile import PlanFileError, PlanFileRefused, open_plan
from pricing.files.workbook import save_plan
from tests.desktop_helpers import data_dir  # noqa: F401 - fixture

GB = 1024**3


def _sheet_part(package: Path, sheet: str) -> str:
    """The zip part holding ``sheet`` of a workbook the app wrote."""
    with zipfile.ZipFile(package) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(\w+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def _replace_part(source: Path, target: Path, part: str, write) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            if item.filename == part:
                with dst.open(part, "w", force_zip64=True) as out:
                    write(out)
            else:
                dst.writestr(item, src.read(item))
    return target


@pytest.fixture(scope="module")
def plan_workbook(tmp_path_factory) -> Path:
    from pricing.costing.catalog import sample_plan_path

    path = tmp_path_factory.mktemp("plans") / "plan.xlsx"
    save_plan(open_plan(sample_plan_path())[0], path)
    return path


@pytest.fixture(scope="module")
def zip_bomb_plan(tmp_path_factory, plan_workbook) -> Path:
    """A plan workbook whose Workloads sheet unpacks from ~2 MB to 400 MB of cells."""
    row = b"<row>" + b'<c t="inlineStr"><is><t>bomb</t></is></c>' * 10 + b"</row>"
    chunk = row * (4 * 1024 * 1024 // len(row))

    def write(out):
        out.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                  b'spreadsheetml/2006/main"><sheetData>')
        for _ in range(100):
            out.write(chunk)
        out.write(b"</sheetData></worksheet>")

    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    _replace_part(plan_workbook, path, _sheet_part(plan_workbook, "Workloads"), write)
    assert path.stat().st_size < 4_000_000
    return path


def _limited(memory: int, cpu_seconds: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    return apply


def test_a_zip_bomb_plan_is_refused_by_summary_in_bounded_memory_and_time(zip_bomb_plan):
    done = subprocess.run([sys.executable, "-m", "desktop.launcher", "summary", str(zip_bomb_plan)],
                          capture_output=True, text=True, timeout=120, preexec_fn=_limited(GB, 10),
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 3, done.stderr  # bad data
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "bomb.xlsx" in lines[0] and "zip bomb" in lines[0]
    assert "Traceback" not in done.stderr


def test_a_worksheet_part_cut_short_is_one_clear_message(tmp_path, plan_workbook):
    part = _sheet_part(plan_workbook, "Workloads")
    with zipfile.ZipFile(plan_workbook) as z:
        whole = z.read(part)
    cut = _replace_part(plan_workbook, tmp_path / "cut.xlsx", part, lambda out: out.write(whole[: len(whole) // 2]))
    with pytest.raises(PlanFileRefused, match=r"cut\.xlsx: the workbook cannot be read") as caught:
        open_plan(cut)
    assert "\n" not in str(caught.value)
    from pricing.cli import main

    assert main(["summary", str(cut)]) == 3


def test_a_plan_with_a_doctype_is_refused_before_reading(tmp_path, plan_workbook):
    part = _sheet_part(plan_workbook, "Rates")
    with zipfile.ZipFile(plan_workbook) as z:
        body = z.read(part)
    evil = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
    path = _replace_part(plan_workbook, tmp_path / "doctype.xlsx", part, lambda out: out.write(evil))
    with pytest.raises(PlanFileRefused, match="DOCTYPE"):
        open_plan(path)


@pytest.mark.parametrize("isolate", [True, False], ids=["bounded-reader", "in-process"])
def test_a_plan_whose_input_sheet_asks_for_absurd_dimensions_is_refused(tmp_path, plan_workbook, isolate):
    part = _sheet_part(plan_workbook, "Workloads")
    with zipfile.ZipFile(plan_workbook) as z:
        body = z.read(part)
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    path = _replace_part(plan_workbook, tmp_path / "absurd.xlsx", part,
                         lambda out: out.write(body.replace(b"</sheetData>", far, 1)))
    with pytest.raises(PlanFileRefused, match=r"absurd\.xlsx: .*cells, beyond the"):
        open_plan(path, isolate=isolate)


def test_a_plan_workbook_opens_through_the_bounded_reader_unchanged(plan_workbook, sample_plan):
    assert open_plan(plan_workbook) == (sample_plan, [])
    assert open_plan(plan_workbook, isolate=False) == (sample_plan, [])


def test_a_foreign_workbook_is_not_a_plan_but_is_not_refused_either(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Model", "Requests"])
    path = tmp_path / "budget.xlsx"
    book.save(path)
    with pytest.raises(PlanFileError, match="not a Token Budget plan") as caught:
        open_plan(path)
    assert not isinstance(caught.value, PlanFileRefused)


def test_the_plan_reader_runs_under_a_memory_limit(tmp_path, monkeypatch):
    import pricing.files.planfile as planfile
    from benchmarks.plans import make_plan

    path = tmp_path / "plan.xlsx"
    save_plan(make_plan(5000, months=12), path)
    assert len(open_plan(path)[0].workloads) == 5000  # reads under the default limit
    monkeypatch.setattr(planfile, "OPEN_MEMORY", 4 * 1024 * 1024)  # far too little for 5,000 workloads
    with pytest.raises(PlanFileRefused, match="needed more memory than opening a plan allows"):
        open_plan(path)


def test_file_open_refuses_a_zip_bomb_plan_and_keeps_the_window(qtbot, data_dir, zip_bomb_plan):
    from tests.desktop_helpers import make_window

    window = make_window(qtbot)
    before = window.document.plan
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    window.files.open_path(zip_bomb_plan)  # a plan workbook opens on a worker; its checks refuse it there
    qtbot.waitUntil(lambda: window.files.open_task is None, timeout=20000)
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before
    (message,) = window.prompts.errors
    assert "bomb.xlsx" in message and "zip bomb" in message and "\n" not in message
    assert window.document.plan is before
    assert grew < GB
    window.files.shutdown()
