"""A workload made from values that passed their column's check (the plan workbook reader's
way) is the workload validation gives; a value the checks pass is one validation holds as it is."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from pricing.plan import bounds
from pricing.plan.checked_workloads import can_make, failing, made_valid, made_valid_rows
from pricing.plan.models import DeploymentMode, Workload

BASE = {"name": "w", "model": "m", "input_tokens": Decimal(1), "output_tokens": Decimal(1),
        "requests_per_month": Decimal(1)}
NUMBERS = ("input_tokens", "output_tokens", "requests_per_month", "cached_share", "cache_write_share",
           "cache_write_1h_share", "reasoning_tokens", "off_peak_share", "monthly_growth", "discount")
TEXTS = ("name", "model", "tenant", "feature", "environment", "notes", "capacity")


class Text(str):
    pass


#: Values of every kind a reader may hand over, good and bad, at and beyond each bound.
CANDIDATES = [
    Decimal("0"), Decimal("-0"), Decimal("1"), Decimal("1.0"), Decimal("0.50"), Decimal("-1"), Decimal("1.5"),
    Decimal("1E-999999"), Decimal("1E+12"), Decimal("1000000000000.0001"), Decimal("10"), Decimal("10.01"),
    Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"), 1, 0.5, True, "1", "", "text",
    Text("sub"), None, date(2026, 3, 1), date(2026, 3, 2), datetime(2026, 3, 1), DeploymentMode.BATCH, "batch",
]


def _validated(values: dict):
    try:
        return Workload(**values)
    except (ValidationError, ValueError):
        return None


@pytest.mark.parametrize("field", list(Workload.model_fields))
def test_a_value_the_check_passes_is_held_by_validation_as_it_is(field):
    for value in CANDIDATES:
        if value is None or failing(field, [value]):
            continue
        record = _validated({**BASE, field: value})
        assert record is not None, (field, value)
        assert getattr(record, field) is value, (field, value)


@pytest.mark.parametrize(("field", "value"), [
    ("input_tokens", Decimal("NaN")), ("input_tokens", Decimal("Infinity")), ("input_tokens", 5),
    ("input_tokens", bounds.MAX_TOKENS_PER_REQUEST + Decimal("0.0001")), ("requests_per_month", Decimal("1E+13")),
    ("monthly_growth", Decimal("10.01")), ("cached_share", Decimal("sNaN")), ("discount", Decimal("1.5")),
    ("discount", Decimal("-0.1")), ("name", Text("sub")), ("tenant", 5), ("capacity", 5),
    ("start_month", date(2026, 3, 2)), ("start_month", datetime(2026, 3, 1)), ("mode", "batch"),
])
def test_a_value_validation_refuses_or_changes_does_not_pass(field, value):
    assert failing(field, [value, Decimal(1), "x"]) >= {id(value)}


def test_a_field_without_a_check_is_never_passed():
    assert failing("not_a_field", [Decimal(1)]) is None
    assert not can_make([*BASE, "not_a_field"])


def test_rows_missing_a_required_field_or_naming_one_twice_are_not_made():
    assert can_make(BASE)
    assert not can_make([name for name in BASE if name != "requests_per_month"])
    assert not can_make([*BASE, "name"])


def test_made_rows_equal_validated_rows_field_for_field_in_the_models_order():
    rnd = random.Random(17)
    good = {name: [Decimal(v) for v in ("0", "1", "1.0", "0.05", "0.50", "250", "-3")] for name in NUMBERS}
    good["discount"] = [Decimal(v) for v in ("0", "0.1", "1")]
    good["monthly_growth"] = [Decimal(v) for v in ("0", "0.05", "-0.5", "10")]
    made = 0
    for i in range(2000):
        values = {"name": f"w {i}", "model": rnd.choice(["a", "b", ""])}
        for name in NUMBERS:
            if name in ("input_tokens", "output_tokens", "requests_per_month") or rnd.random() < 0.6:
                values[name] = rnd.choice(good[name])
        for name in TEXTS[2:]:
            if rnd.random() < 0.5:
                values[name] = rnd.choice(["", "t", "ep-1"])
        if rnd.random() < 0.5:
            values["mode"] = rnd.choice(list(DeploymentMode))
        if rnd.random() < 0.5:
            values["start_month"] = date(2026, rnd.randint(1, 12), 1)
        names = list(values)
        rnd.shuffle(names)  # a sheet's columns in any order
        values = {name: values[name] for name in names}
        assert can_make(values) and not any(failing(name, [value]) for name, value in values.items())
        ours, theirs = made_valid(values, values.values()), Workload(**values)
        assert ours == theirs
        assert list(ours.__dict__.items()) == list(theirs.__dict__.items())  # the model's order, equal values
        assert [str(v) for v in ours.__dict__.values()] == [str(v) for v in theirs.__dict__.values()]
        assert ours.model_fields_set == theirs.model_fields_set
        assert ours.model_dump_json() == theirs.model_dump_json()
        made += 1
    assert made == 2000


@pytest.mark.parametrize("every_field", [True, False])
def test_rows_made_a_table_at_a_time_equal_rows_made_one_by_one(every_field):
    rnd = random.Random(5)
    names = list(Workload.model_fields) if every_field else ["requests_per_month", "name", "model", "input_tokens",
                                                             "output_tokens", "tenant", "start_month"]
    rnd.shuffle(names)
    kinds = {"mode": list(DeploymentMode), "start_month": [date(2026, m, 1) for m in (1, 5, 9)],
             "discount": [Decimal("0"), Decimal("0.25")]}
    columns = [[rnd.choice(kinds.get(name) or ([f"{name} {k}" for k in range(4)] if name in TEXTS else
                                               [Decimal(v) for v in ("0", "0.5", "3", "1E+1")]))
                for _ in range(300)] for name in names]
    made = made_valid_rows(tuple(names), columns)
    for record, row in zip(made, zip(*columns)):
        one = made_valid(names, row)
        assert record == one == Workload(**dict(zip(names, row)))
        assert list(record.__dict__.items()) == list(one.__dict__.items())
        assert record.model_fields_set == set(names)


def test_a_copy_with_changes_of_a_made_row_leaves_the_others_fields_given_alone():
    made = made_valid_rows(tuple(BASE), [[value] * 3 for value in BASE.values()])
    changed = made[0].model_copy(update={"tenant": "t"})
    assert changed.model_fields_set == set(BASE) | {"tenant"}
    assert made[1].model_fields_set == set(BASE) and made[0].model_fields_set == set(BASE)


def test_rows_made_in_slices_are_the_rows_made_at_once(monkeypatch):
    from pricing.plan import checked_workloads

    names = tuple(BASE) + ("tenant",)
    columns = [[value] * 30 for value in BASE.values()] + [[f"t{i}" for i in range(30)]]
    whole = made_valid_rows(names, columns)
    monkeypatch.setattr(checked_workloads, "SLICE_ROWS", 7)
    sliced = made_valid_rows(names, columns)
    assert [w.tenant for w in sliced] == [f"t{i}" for i in range(30)]
    assert sliced == whole


@pytest.mark.parametrize("every_field", [True, False])
def test_rows_with_empty_cells_are_made_as_validation_leaves_those_fields_out(every_field, monkeypatch):
    from pricing.plan import checked_workloads

    monkeypatch.setattr(checked_workloads, "SLICE_ROWS", 37)  # gaps on both sides of slice edges
    rnd = random.Random(11)
    names = list(Workload.model_fields) if every_field else ["notes", "name", "model", "input_tokens",
                                                             "output_tokens", "requests_per_month", "tenant",
                                                             "capacity", "start_month"]
    rnd.shuffle(names)
    optional = [name for name in names if name not in checked_workloads.REQUIRED]
    kinds = {"mode": list(DeploymentMode), "start_month": [date(2026, m, 1) for m in (1, 5, 9)],
             "discount": [Decimal("0"), Decimal("0.25")]}
    columns = [[rnd.choice(kinds.get(name) or ([f"{name} {k}" for k in range(4)] if name in TEXTS else
                                               [Decimal(v) for v in ("0", "0.5", "3", "1E+1")]))
                for _ in range(300)] for name in names]
    for name in optional:  # each optional column empty on some rows, a different share each
        column = columns[names.index(name)]
        share = rnd.random()
        for i in range(300):
            if rnd.random() < share:
                column[i] = None
    gaps = {name: [i for i, v in enumerate(column) if v is None] for name, column in zip(names, columns)}
    made = made_valid_rows(tuple(names), columns, gaps)
    assert len(made) == 300
    patterns = set()
    for record, row in zip(made, zip(*columns)):
        values = {name: v for name, v in zip(names, row) if v is not None}
        theirs = Workload(**values)
        assert list(record.__dict__.items()) == list(theirs.__dict__.items())
        assert record.model_fields_set == theirs.model_fields_set == set(values)
        assert record.model_dump_json() == theirs.model_dump_json()
        patterns.add(frozenset(values))
    assert len(patterns) > 10  # many patterns of fields left out were made


def test_loading_a_workbook_with_empty_optional_cells_gives_the_validated_plan(tmp_path):
    from pricing.files.workbook import load_plan, save_plan
    from benchmarks.plans import make_plan

    plan = make_plan(400)
    workloads = [w.model_copy(update={"notes": f"note {i}"}) if i % 10 == 0 else w
                 for i, w in enumerate(plan.workloads)]
    workloads = [w.model_copy(update={"start_month": None}) if i % 7 == 0 else w for i, w in enumerate(workloads)]
    plan = plan.model_copy(update={"workloads": tuple(workloads)})
    path = tmp_path / "holes.xlsx"
    save_plan(plan, path)
    loaded, findings = load_plan(path)
    assert [f for f in findings if f.severity.name == "ERROR"] == []
    assert [w.model_dump() for w in loaded.workloads] == [w.model_dump() for w in plan.workloads]
    for ours in loaded.workloads:  # what validation of the row's non-empty cells gives
        given = {name: getattr(ours, name) for name in ours.model_fields_set}
        assert ours.model_fields_set == Workload(**given).model_fields_set
        assert ("notes" in ours.model_fields_set) == bool(ours.notes)
