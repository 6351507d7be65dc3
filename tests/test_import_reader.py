"""The reader process sends every cell back as calamine read it, whatever its type."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import openpyxl

from pricing.files.cells import pack_rows, read_workbook_values, unpack_sheet
from pricing.importer.sources import read_source


def test_packed_rows_come_back_equal_with_dates_times_and_durations_in_place():
    rows = [["Workload", "Start", 1.5, True, None], [], ["x", datetime(2026, 3, 1, 12, 30), date(2026, 4, 1)],
            [time(9, 15), timedelta(hours=36), -0.0, 10**30, ""]]
    sheet = {"name": "Budget", **pack_rows(rows)}
    back = unpack_sheet(sheet)["rows"]
    assert back == rows and [type(v) for row in back for v in row] == [type(v) for row in rows for v in row]


def test_rows_without_dates_travel_in_the_blob_alone():
    packed = pack_rows([["a", 1.0, 2], ["b", False]])
    assert packed["aside"] == [] and unpack_sheet({"name": "S", **packed})["rows"] == [["a", 1.0, 2], ["b", False]]


def test_a_workbook_read_in_the_reader_process_equals_the_read_in_this_one(tmp_path):
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Budget"])
    ws.append([])
    ws.append(["Workload", "Start month", "Requests", "Cached", "", ""])
    for i in range(300):
        ws.append([f"w{i}", datetime(2026, 1 + i % 12, 1), 1000 + i, i % 2 == 0, None, "=C4*2" if i == 7 else None])
    wb.create_sheet("Rates").append(["Model", "Input $/1M"])
    wb.save(path)
    isolated = read_source(path)
    here = read_workbook_values(str(path))
    assert [(s.name, s.rows, s.row_offset, s.col_offset) for s in isolated.sheets] == \
        [(s["name"], s["rows"], s["row_offset"], s["col_offset"]) for s in here["sheets"]]
    assert isolated.sheets[0].rows[3][1] == date(2026, 1, 1)  # calamine reads a whole day as a date


def test_a_check_that_refuses_while_the_reader_runs_stops_the_reader_and_wins(tmp_path, monkeypatch):
    import pytest

    from pricing.files import isolated
    from pricing.files.safety import ImportRefused

    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Model", "Requests"])
    wb.save(path)
    started = []
    real_popen = isolated.subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(isolated.subprocess, "Popen", popen)

    def refuse():
        raise ImportRefused(path, "a sheet asks for too many cells")

    with pytest.raises(ImportRefused, match="too many cells"):
        isolated.run_child("pricing.files.cells_worker", "--import-worker", path, timeout=20, memory=2**31,
                           meanwhile=refuse)
    assert started and started[0].poll() is not None  # the reader is gone



def test_the_reader_process_runs_at_a_lower_priority_than_the_window_that_started_it():
    import os
    import subprocess
    import sys

    import pytest

    from pricing.files import isolated

    if not hasattr(os, "nice"):
        pytest.skip("no process priorities here (Windows)")
    code = ("import os; from pricing.files.isolated import limit_this_process; "
            "before = os.nice(0); limit_this_process(); print(os.nice(0) - before)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert int(out.stdout) == isolated.READER_NICENESS > 0
