"""Workbook benchmark: save, load and open a generated plan workbook (live formulas + cached values),
each beside its floor measured in the same run on the same file:

* save: a bare streaming writer of the same cells: the values of every sheet of the saved file
  (read back with python-calamine, not timed) as one f-string per cell, joined per row, into
  zip entries deflated as the writer deflates them (ISA-L, level 1), with no formulas, styles
  or shared strings;
* load and open: python-calamine reading the plan's input sheets (Assumptions, Rates, Workloads,
  Endpoints, Clusters, the terms sheets, TokenBudget) into Python lists, nothing converted.
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks.plans import make_plan
from benchmarks.timing import median_of, median_seconds
from pricing.costing.projection import Projection
from pricing.files.planfile import open_plan
from pricing.files.workbook import layout as L
from pricing.files.workbook import load_plan, save_plan


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _cell(col: str, r: int, v) -> str:
    if v.__class__ is str:
        if not v:
            return ""
        text = v.replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{col}{r}" t="str"><v>{text}</v></c>'
    if v.__class__ is bool:
        return f'<c r="{col}{r}" t="b"><v>{int(v)}</v></c>'
    if v.__class__ is float:
        return f'<c r="{col}{r}"><v>{v!r}</v></c>'
    return f'<c r="{col}{r}"><v>{v}</v></c>'


def bare_writer_seconds(path: Path) -> float:
    """Seconds a bare streaming writer takes to write the cell values of every sheet of ``path``."""
    from python_calamine import CalamineWorkbook

    from pricing.files.workbook.cells import col_letter
    from pricing.files.workbook.parts import fast_deflate

    book = CalamineWorkbook.from_path(str(path))
    sheets = [book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names]
    width = max((len(row) for rows in sheets for row in rows), default=0)
    letters = [col_letter(j) for j in range(1, width + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with zipfile.ZipFile(Path(tmp) / "bare.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for k, rows in enumerate(sheets, 1):
                with fast_deflate(zf.open(f"xl/worksheets/sheet{k}.xml", "w", force_zip64=True)) as out:
                    out.write(b'<worksheet><sheetData>')
                    buffer = []
                    for r, row in enumerate(rows, 1):
                        buffer.append(f'<row r="{r}">{"".join([_cell(c, r, v) for c, v in zip(letters, row)])}</row>')
                        if len(buffer) >= 2000:
                            out.write("".join(buffer).encode())
                            buffer.clear()
                    out.write("".join(buffer).encode())
                    out.write(b"</sheetData></worksheet>")
        return time.perf_counter() - start


def calamine_input_seconds(path: Path) -> float:
    """Seconds python-calamine takes to read the plan's input sheets into Python lists."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for name in L.INPUT_SHEETS + (L.META,):
        if name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return time.perf_counter() - start


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        plan = make_plan(n)
        months = plan.assumptions.horizon_months
        projection_seconds, projection = _timed(lambda: Projection(plan))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"plan-{n}.xlsx"
            seconds, _ = median_seconds(lambda: save_plan(plan, path, projection=projection))
            bare = median_of(lambda: bare_writer_seconds(path))
            rows.append({"step": "save plan workbook (projection held, as the window saves)", "workloads": n,
                         "months": months, "seconds": seconds, "floor_seconds": bare,
                         "floor": "bare streaming writer of the same cell values (an f-string a cell, same deflate)",
                         "target": "≤ 7 s", "megabytes": round(path.stat().st_size / 1e6, 1)})
            seconds, _ = _timed(lambda: save_plan(plan, path))
            rows.append({"step": "save plan workbook (projecting first, as export does)", "workloads": n,
                         "months": months, "seconds": seconds, "floor_seconds": bare + projection_seconds,
                         "floor": "the full projection plus the bare streaming writer", "target": "≤ 7 s + projection"})
            floor = median_of(lambda: calamine_input_seconds(path))
            seconds, (loaded, findings) = median_seconds(lambda: load_plan(path))
            assert loaded == plan and not findings, "the workbook did not give the plan back"
            rows.append({"step": "load plan workbook", "workloads": n, "months": months, "seconds": seconds,
                         "floor_seconds": floor, "floor": "python-calamine reading the input sheets", "target": "≤ 2 s"})
            seconds, (opened, findings) = median_seconds(lambda: open_plan(path))
            assert opened == plan and not findings, "opening the workbook did not give the plan back"
            rows.append({"step": "open plan workbook (checks + bounded reader process)", "workloads": n,
                         "months": months, "seconds": seconds, "floor_seconds": floor,
                         "floor": "python-calamine reading the input sheets", "target": "≤ 2.5 s"})
    return rows


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for row in run(sizes):
        extra = f"  ({row['megabytes']} MB)" if "megabytes" in row else ""
        floor = f"  floor {row['floor_seconds']:6.2f} s" if row.get("floor_seconds") is not None else ""
        print(f"{row['step']:<58} {row['workloads']:>8,} × {row['months']} months  {row['seconds']:7.2f} s"
              f"{floor}  target {row['target']}{extra}")
