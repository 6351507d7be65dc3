"""Workloads built from values checked once per column (the plan workbook reader's) equal
workloads validated row by row, with bad values mixed in."""

from __future__ import annotations

import random
from decimal import Decimal

from pydantic import ValidationError

from pricing.plan.checked_workloads import CheckedWorkloads
from pricing.plan.models import DeploymentMode, Workload


TEXTS = {"name": "", "model": "", "tenant": "", "feature": "", "environment": "", "notes": "", "capacity": None}
GOOD = [Decimal(v) for v in ("0", "1", "1.0", "1.00", "0.5", "0.50", "0.05", "0.25")]
BAD = [Decimal(v) for v in ("1.5", "-1", "1E+30", "1E+13", "NaN", "Infinity", "12.5", "-0.1")]


def _outcome(make, values):
    try:
        record = make(values)
    except ValidationError as exc:
        return ("refused", str(exc))
    return (record, record.model_dump_json())


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
    assert [o[0].model_fields_set for o in outcomes if o[0] != "refused"] == \
           [set(v) for v, o in zip(rows, outcomes) if o[0] != "refused"]
    assert sum(o[0] != "refused" for o in outcomes) > 500 and sum(o[0] == "refused" for o in outcomes) > 200


def test_rows_given_by_position_equal_validating_every_row():
    """``make_row(names, row)``, the reader's path for a row with every cell filled, gives what
    validating ``dict(zip(names, row))`` gives, with bad values and texts that are not text mixed in."""
    rnd = random.Random(23)
    numbers = ("input_tokens", "output_tokens", "requests_per_month", "cached_share", "monthly_growth", "discount")
    names = ("name", "model", "mode", *numbers, "tenant", "capacity")
    distinct = {name: [rnd.choice(GOOD) for _ in range(10)] + [rnd.choice(BAD)] for name in numbers}
    rows = [(f"w {i % 40}", rnd.choice(["a", "b", ""]), rnd.choice(list(DeploymentMode)),
             *(rnd.choice(distinct[name]) for name in numbers),
             rnd.choice(["t", "u", 5]) if rnd.random() < 0.3 else "t", rnd.choice([None, "ep-1"]))
            for i in range(3000)]
    checked = CheckedWorkloads(TEXTS)
    outcomes = [_outcome(lambda v: checked.make_row(names, v), row) for row in rows]
    assert outcomes == [_outcome(lambda v: Workload(**dict(zip(names, v))), row) for row in rows]
    assert all(o[0].model_fields_set == set(names) for o in outcomes if o[0] != "refused")
    assert sum(o[0] != "refused" for o in outcomes) > 500 and sum(o[0] == "refused" for o in outcomes) > 200
