"""Rows of one shape share what the Costs and Modes sheets show besides their name, requests and
costs (sheets.shape_of): the saved workbook is the same, byte for byte, as working out every row on
its own."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest

from benchmarks.plans import make_plan
from pricing.costing.projection import Projection
from pricing.files.workbook import modes_sheet, save_plan, sheets
from tests import projection_reference
from tests.workbook_helpers import random_plan, rich_plan


def _with_twins(plan):
    """``plan`` with every workload again under another name and other requests: rows of one shape."""
    twins = tuple(w.model_copy(update={"name": f"{w.name} twin", "requests_per_month": w.requests_per_month * 3 + 7})
                  for w in plan.workloads)
    return plan.model_copy(update={"workloads": plan.workloads + twins})


def _entries(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _saved(plan, path, monkeypatch, share: bool) -> dict[str, bytes]:
    monkeypatch.setattr(sheets, "SHARE_SHAPES", share)
    monkeypatch.setattr(modes_sheet, "SHARE_SHAPES", share)
    save_plan(plan, path, projection=Projection(plan))
    return _entries(path)


PLANS = {
    **{f"reference {seed}": (lambda seed=seed: _with_twins(projection_reference.random_plan(seed, n=80)))
       for seed in range(4)},
    **{f"workbook {seed}": (lambda seed=seed: _with_twins(random_plan(seed))) for seed in range(4)},
    "rich": lambda: _with_twins(rich_plan()),
    "generated": lambda: make_plan(600, seed=3),
}


@pytest.mark.parametrize("name", list(PLANS))
def test_rows_sharing_their_shape_save_the_same_bytes_as_rows_worked_out_one_by_one(name, tmp_path, monkeypatch):
    plan = PLANS[name]()
    shared = _saved(plan, tmp_path / "shared.xlsx", monkeypatch, True)
    alone = _saved(plan, tmp_path / "alone.xlsx", monkeypatch, False)
    assert list(shared) == list(alone)
    assert [n for n in shared if shared[n] != alone[n]] == []


def test_rows_of_one_shape_are_found_sharing(tmp_path):
    """The shared path is taken: twins of a shape hold the same request costs (else the test above
    would compare the straightforward path with itself)."""
    plan = _with_twins(make_plan(40))
    rows = Projection(plan).rows
    keys = [sheets.shape_of(row) for row in rows]
    assert keys[0] is not None and keys[0] == keys[40]
    assert rows[0].request_costs is rows[40].request_costs
    assert rows[40].workload.requests_per_month != rows[0].workload.requests_per_month
    assert isinstance(rows[40].costs[-1], Decimal)
