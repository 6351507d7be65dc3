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
from tests.test_workbook_time_windows import contract_plan, windows_plan
from tests.workbook_helpers import random_plan, rich_plan


def _with_twins(plan):
    """``plan`` with every workload again under another name and other requests: rows of one shape."""
    twins = tuple(w.model_copy(update={"name": f"{w.name} twin", "requests_per_month": w.requests_per_month * 3 + 7})
                  for w in plan.workloads)
    return plan.model_copy(update={"workloads": plan.workloads + twins})


#: Other values of a workload's fields, beside those another workload of the plan has.
_OTHER = {"cache_write_1h_share": Decimal("0.2"), "off_peak_share": Decimal("0.3"), "reasoning_tokens": Decimal(250),
          "cache_write_share": Decimal("0.1"), "discount": Decimal("0.125")}
_FIELDS = ("model", "mode", "capacity", "input_tokens", "output_tokens", "cached_share", "cache_write_share",
           "cache_write_1h_share", "reasoning_tokens", "off_peak_share", "start_month", "monthly_growth",
           "requests_per_month", "discount")


def _with_variants(plan, seed: int):
    """``plan`` with, for every workload, one copy per field that differs from it in that field only
    (its value from another workload, or another value): a row's shape must tell each of them apart
    where the sheets show a difference."""
    import random

    rng = random.Random(seed)
    base = plan.workloads
    variants = []
    for w in base:
        for name in _FIELDS:
            value = getattr(rng.choice(base), name)
            if value == getattr(w, name):
                value = _OTHER.get(name, value)
            variants.append(w.model_copy(update={name: value, "name": f"{w.name} {name}"}))
        variants.append(w.model_copy(update={"model": f"nobody/{w.name}", "name": f"{w.name} unknown model"}))
    return plan.model_copy(update={"workloads": base + tuple(variants)})


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
    **{f"variants {seed}": (lambda seed=seed: _with_variants(projection_reference.random_plan(seed, n=30), seed))
       for seed in range(3)},
    "rich variants": lambda: _with_variants(rich_plan(), 5),
    "time windows variants": lambda: _with_variants(windows_plan(), 6),
    "contract variants": lambda: _with_variants(contract_plan(), 7),
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
    """The shared path is taken: twins of a shape have one key (else the test above would compare the
    straightforward path with itself), and a workload with other requests or growth is of the same shape."""
    plan = _with_twins(make_plan(40))
    rows = Projection(plan).rows
    keys = [sheets.shape_of(row) for row in rows]
    assert keys[0] == keys[40]
    assert rows[40].workload.requests_per_month != rows[0].workload.requests_per_month
    grown = rows[0].workload.model_copy(update={"monthly_growth": Decimal("0.07"), "name": "grown"})
    other = Projection(plan.model_copy(update={"workloads": (*plan.workloads, grown)})).rows[-1]
    assert sheets.shape_of(other)[1:] == keys[0][1:]
