"""The projection as CSV: breakdown keys, exact month costs whose column sums equal the app's
totals, text that never becomes a formula, and a write that is all or nothing."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from pricing.costing.catalog import sample_plan_path
from pricing.plan.money import exact_sum
from pricing.files.planfile import open_plan
from pricing.costing.projection import Projection
from pricing.files.projection_csv import ExportCancelled, snapshot, write_projection_csv


@pytest.fixture
def projection():
    plan, _ = open_plan(sample_plan_path())
    return Projection(plan)


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_each_workload_row_carries_its_breakdown_keys_and_exact_costs(projection, tmp_path):
    path = tmp_path / "projection.csv"
    assert write_projection_csv(path, snapshot(projection)) == len(projection.rows)
    rows = read(path)
    assert rows[0][:7] == ["workload", "tenant", "feature", "environment", "model", "mode",
                           projection.months[0].isoformat()]
    assert rows[0][-1] == "total (USD)"
    first, w = rows[1], projection.rows[0].workload
    assert first[:6] == [w.name, w.tenant, w.feature, w.environment, w.model, w.mode.label]
    assert [Decimal(c) for c in first[6:-1]] == projection.rows[0].costs
    assert Decimal(first[-1]) == exact_sum(projection.rows[0].costs)


def test_the_columns_sum_to_the_apps_month_totals_to_the_digit(projection, tmp_path):
    path = tmp_path / "projection.csv"
    write_projection_csv(path, snapshot(projection))
    rows = read(path)
    body, total = rows[1:-1], rows[-1]
    for m in range(len(projection.months)):
        column = exact_sum(Decimal(r[6 + m]) for r in body)
        assert column == projection.month_totals[m] == Decimal(total[6 + m])
    assert Decimal(total[-1]) == exact_sum(projection.month_totals)


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text(projection, tmp_path):
    plan = projection.plan
    hostile = plan.workloads[0].model_copy(update={"name": '=HYPERLINK("http://x","y")', "tenant": "+1", "feature": "@a"})
    projection = Projection(plan.model_copy(update={"workloads": (hostile,) + plan.workloads[1:]}))
    path = tmp_path / "projection.csv"
    write_projection_csv(path, snapshot(projection))
    assert read(path)[1][:3] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'@a"]


def test_a_cancelled_export_leaves_the_previous_file_byte_for_byte(projection, tmp_path):
    path = tmp_path / "projection.csv"
    path.write_bytes(b"the export from last quarter\n")
    with pytest.raises(ExportCancelled):
        write_projection_csv(path, snapshot(projection), cancel=lambda: True)
    assert path.read_bytes() == b"the export from last quarter\n"
    assert [p.name for p in tmp_path.iterdir()] == ["projection.csv"]  # no temporary file left


def test_a_snapshot_keeps_the_figures_of_the_moment_it_was_taken(projection, tmp_path):
    snap = snapshot(projection)
    before = list(snap.rows[0].costs)
    plan = projection.plan
    w = plan.workloads[0]
    doubled = w.model_copy(update={"requests_per_month": w.requests_per_month * 2})
    projection.update(plan.model_copy(update={"workloads": (doubled,) + plan.workloads[1:]}), [0])
    assert list(snap.rows[0].costs) == before != list(projection.rows[0].costs)


def test_the_export_gives_way_to_the_window_every_few_rows(tmp_path, monkeypatch):
    from benchmarks.plans import make_plan
    from pricing import yielding

    snap = snapshot(Projection(make_plan(100, seed=2)))
    calls = []
    monkeypatch.setattr(yielding, "hook", lambda: calls.append(1))
    write_projection_csv(tmp_path / "projection.csv", snap)
    assert len(calls) == 4  # rows 0, 32, 64 and 96


def test_the_export_writes_in_few_large_system_calls(tmp_path, monkeypatch):
    """Each write call lets the interpreter lock go and takes it straight back: thousands of
    8 KiB writes starve the window's thread of the lock (pricing.yielding.IO_BUFFER)."""
    import io

    from benchmarks.plans import make_plan
    from pricing.files import projection_csv

    writes = []

    class CountingFile(io.FileIO):
        def write(self, data):
            writes.append(len(data))
            return super().write(data)

    def counting_open(file, mode="r", buffering=-1, encoding=None, newline=None):
        assert mode == "w"
        size = buffering if buffering > 1 else io.DEFAULT_BUFFER_SIZE
        return io.TextIOWrapper(io.BufferedWriter(CountingFile(file, "w"), size), encoding=encoding, newline=newline)

    monkeypatch.setattr(projection_csv, "open", counting_open, raising=False)
    target = tmp_path / "projection.csv"
    write_projection_csv(target, snapshot(Projection(make_plan(300, seed=2))))
    size = target.stat().st_size
    assert size > 8 * io.DEFAULT_BUFFER_SIZE and sum(writes) == size
    assert len(writes) <= size // (1 << 20) + 1
