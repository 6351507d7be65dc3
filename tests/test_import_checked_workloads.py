"""Workloads built from values checked once per column equal workloads validated row by row,
in the importer and on their own, with bad values mixed in."""

from __future__ import annotations

import csv
import random
from decimal import Decimal

import pytest
from pydantic import ValidationError

import pricing.importer.assembly as assembly
from pricing.importer import import_file
from pricing.plan.checked_workloads import CheckedWorkloads
from pricing.plan.models import DeploymentMode, Workload

from tests.import_helpers import private_mapping_store  # noqa: F401 - autouse fixture

TEXTS = {"name": "", "model": "", "tenant": "", "feature": "", "environment": "", "notes": "", "capacity": None}
GOOD = [Decimal(v) for v in ("0", "1", "1.0", "1.00", "0.5", "0.50", "0.05", "0.25")]
BAD = [Decimal(v) for v in ("1.5", "-1", "1E+30", "1E+13", "NaN", "Infinity", "12.5", "-0.1")]


def _outcome(make, values):
    try:
        record = make(values)
    except ValidationError as exc:
        return ("refused", str(exc))
    return (record, record.model_dump_json())


class _PerRow:
    """The reference: every row validated on its own."""

    def __init__(self, texts, build=Workload):
        self.make = lambda values: build(**values)


def test_checked_workloads_equal_validating_every_row():
    rnd = random.Random(17)
    columns = {name: [rnd.choice(GOOD) for _ in range(10)] + [rnd.choice(BAD)] for name in
               ("input_tokens", "output_tokens", "requests_per_month", "cached_share", "monthly_growth", "discount")}
    rows = []
    for i in range(3000):
        values = {"name": f"w {i % 40}", "model": rnd.choice(["a", "b", ""]),
                  "mode": rnd.choice(list(DeploymentMode))}
        for name, distinct in columns.items():
            if rnd.random() < 0.9 or name in ("input_tokens", "output_tokens", "requests_per_month"):
                values[name] = rnd.choice(distinct)
        if rnd.random() < 0.3:
            values["tenant"] = rnd.choice(["t", 5, None])  # not text: validated, and refused
        if rnd.random() < 0.2:
            values["capacity"] = rnd.choice([None, "ep-1"])
        rows.append(values)
    checked = CheckedWorkloads(TEXTS)
    outcomes = [_outcome(checked.make, values) for values in rows]
    assert outcomes == [_outcome(lambda v: Workload(**v), values) for values in rows]
    assert sum(o[0] != "refused" for o in outcomes) > 500 and sum(o[0] == "refused" for o in outcomes) > 200


def _random_budget(path, rnd: random.Random, n: int):
    cells = {"Requests per month": ["1000", "2,000", "1e14", "-5", "n/a", "", "2500", "2500.0", "7"],
             "Avg input tokens": ["100", "100.0", "abc", "1e20", "", "300", "-2"],
             "Avg output tokens": ["10", "20", "", "x", "1e20"],
             "Cached %": ["10%", "50%", "150%", "", "-5%", "oops"],
             "Start month": ["2026-01", "2026-03", "", "March", "2026-13"],
             "Mode": ["", "batch", "serverless", "weird"]}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Workload", "Model", "Tenant", "Mode", *[h for h in cells if h != "Mode"]])
        for i in range(n):
            writer.writerow([f"workload {i % 30}", rnd.choice(["gpt-4o", "gpt-4o-mini", "no-such-model", ""]),
                             rnd.choice(["a", "b", ""]), rnd.choice(cells["Mode"]),
                             *[rnd.choice(v) for h, v in cells.items() if h != "Mode"]])
    return path


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_import_equals_the_import_validating_every_row(tmp_path, monkeypatch, seed):
    path = _random_budget(tmp_path / f"budget{seed}.csv", random.Random(seed), 1500)
    fast = import_file(path, remember=False)
    monkeypatch.setattr(assembly, "CheckedWorkloads", _PerRow)
    slow = import_file(path, remember=False)
    assert fast.plan == slow.plan
    assert fast.plan.model_dump_json() == slow.plan.model_dump_json()
    assert fast.report.as_text() == slow.report.as_text()
    assert [(f.message, f.cell, f.field, f.severity) for f in fast.report.findings] == \
           [(f.message, f.cell, f.field, f.severity) for f in slow.report.findings]
    assert any(f.cell for f in fast.report.findings)
