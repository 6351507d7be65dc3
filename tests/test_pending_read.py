"""``tokenbudget import`` starts a workbook's reader process before it loads the importer, and
hands the started read to import_file: the same checks first, the same plan after, and no
reader left running whatever happens between."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pricing.files.isolated import finish_child, start_child
from pricing.files.pending_read import start_read
from pricing.files.safety import ImportRefused
from pricing.importer import import_file
from tests.import_helpers import titled_per_1k_budget


def _plan_text(result) -> str:
    return result.plan.model_dump_json()


def test_an_import_of_a_started_read_gives_the_plan_and_report_of_an_import_that_reads(tmp_path):
    path = titled_per_1k_budget(tmp_path / "budget.xlsx")
    read_here = import_file(path, remember=False)
    pending = start_read(path)
    assert pending is not None
    started = import_file(path, remember=False, pending=pending)
    assert _plan_text(started) == _plan_text(read_here)
    assert started.report.as_text() == read_here.report.as_text()
    assert pending.child.returncode == 0  # its result was taken


def test_a_started_read_of_another_file_is_stopped_and_the_file_read_anew(tmp_path):
    path = titled_per_1k_budget(tmp_path / "budget.xlsx")
    other = titled_per_1k_budget(tmp_path / "other.xlsx")
    pending = start_read(other)
    result = import_file(path, remember=False, pending=pending)
    assert _plan_text(result) == _plan_text(import_file(path, remember=False))
    assert pending.child.returncode is not None  # reaped, not left running


def test_a_started_read_never_taken_is_stopped_when_closed(tmp_path):
    with start_read(titled_per_1k_budget(tmp_path / "budget.xlsx")) as pending:
        child = pending.child
    assert child.returncode is not None


def test_a_text_file_starts_no_reader(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Model,Requests per month\ngpt-4o,1000\n")
    assert start_read(path) is None


def test_the_checks_come_before_any_reader_starts(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportRefused):
        start_read(path)


def test_the_command_refuses_a_file_the_checks_refuse_with_the_import_s_reason(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    done = subprocess.run([sys.executable, "-m", "pricing.cli", "import", str(path), "-o", str(tmp_path / "p.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "broken.xlsx" in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(ImportRefused) as caught:
        import_file(path)
    assert caught.value.reason in done.stderr


def test_the_reader_s_time_limit_counts_from_when_this_process_waits_for_it(tmp_path):
    # The reader finished long before; this process was busy for longer than the limit: not refused.
    path = titled_per_1k_budget(tmp_path / "budget.xlsx")
    child = start_child("pricing.files.cells_worker", "--import-worker", path, timeout=1, memory=2**31)

    def busy():
        child.wait(timeout=120)  # its small result fits in the pipe: it is done
        time.sleep(1.2)
    payload = finish_child(child, path, timeout=1, meanwhile=busy)
    assert "refused" not in payload and payload["sheets"]
