"""A column's cells converted once per distinct value give what converting every cell gives."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from pricing.importer.converters import converter_for, remembered, stale_rows

FIELDS = [("requests_per_month", None), ("input_tokens", "thousands"), ("cached_share", None), ("input_mtok", "per_1k"),
          ("start_month", None), ("context_length", None), ("name", None), ("monthly_growth", None),
          ("stated_monthly_cost", None)]
CELLS = [1, 1.0, True, False, 0, 0.0, -0.0, "1", " 1 ", "50%", 0.5, 50, "1,200", "1.200", "$0.25 / 1K tokens", "",
         "2026-03", 46082, 46082.0, date(2026, 3, 9), datetime(2026, 3, 9, 12), "n/a", 1e300, float("nan"), -3,
         "#DIV/0!", 12.5, "12.5", 2**70, "Q2 2026"]


def _outcome(convert, raw):
    try:
        value = convert(raw)
    except ValueError as exc:
        return ("refused", str(exc))
    return (type(value), str(value))


@pytest.mark.parametrize("name,unit", FIELDS)
def test_remembered_conversion_equals_converting_every_cell(name, unit):
    rnd = random.Random(f"{name}-{unit}")
    column = [rnd.choice(CELLS) for _ in range(2000)]
    plain = converter_for(name, unit)
    fast = remembered(converter_for(name, unit))
    assert [_outcome(fast, raw) for raw in column] == [_outcome(plain, raw) for raw in column]


def test_stale_rows_of_a_column_are_its_own_references_only():
    assert stale_rows({"A2", "AB3", "B7", "A10", "AA4"}, "A") == {2, 10}
    assert stale_rows({"A2", "AB3", "B7", "A10", "AA4"}, "AB") == {3}


@pytest.mark.parametrize("name,unit", FIELDS)
def test_a_column_converted_whole_equals_converting_each_cell(name, unit):
    """convert_column: each cell's value or finding as converting that cell alone gives, stale
    formula cells refused (a stated figure's left out), blank cells not set."""
    from pricing.importer.converters import ABSENT, BAD, STALE, convert_column
    from pricing.importer.units import cell_text

    rnd = random.Random(f"column-{name}-{unit}")
    rows = [[rnd.choice(CELLS + [None, "  "]) for _ in range(rnd.randint(0, 3))] for _ in range(3000)]
    stale = {r + 1 + 7 for r in range(3000) if rnd.random() < 0.01}
    plain = converter_for(name, unit)
    expected_values, expected_problems = [], {}
    for r in range(5, 2900):
        raw = rows[r][1] if len(rows[r]) > 1 else None
        if r + 8 in stale:
            expected_values.append(ABSENT if name.startswith("stated_") else BAD)
            if not name.startswith("stated_"):
                expected_problems[r] = STALE
        elif raw is None or (isinstance(raw, str) and not raw.strip()):
            expected_values.append(ABSENT)
        else:
            try:
                expected_values.append(plain(raw))
            except ValueError as exc:
                expected_values.append(BAD)
                expected_problems[r] = f"cannot read {cell_text(raw)!r}: {exc}"
    got, problems = convert_column(rows, 5, 2900, 1, name, plain, stale, 7)
    shown = lambda v: v if v is ABSENT or v is BAD else (type(v), str(v))  # noqa: E731
    assert [shown(v) for v in got] == [shown(v) for v in expected_values]
    assert problems == expected_problems
    assert problems


def test_columns_taken_a_slice_at_a_time_are_the_columns_taken_at_once(monkeypatch):
    import random

    from pricing.importer import converters

    rnd = random.Random(2)
    rows = [[rnd.choice(["a", "b", "", None, 1.0, 2.5, 7]) for _ in range(3)] for _ in range(300)]
    whole = converters.Columns(rows)
    expected = [(whole.kinds(i), whole.distinct(i)) for i in range(3)]
    monkeypatch.setattr(converters, "CELLS_A_PASS", 7)
    sliced = converters.Columns(rows)
    assert [(sliced.kinds(i), sliced.distinct(i)) for i in range(3)] == expected
    assert converters.in_slices(pow, [2] * 30, list(range(30))) == [2 ** k for k in range(30)]
    assert converters.in_slices(str) == []


def test_an_import_hands_its_rows_to_the_letting_go_thread(tmp_path, monkeypatch):
    import pricing.importer.tables as tables
    from pricing import letting_go
    from pricing.importer import import_file

    handed = []
    monkeypatch.setattr(letting_go, "let_go", lambda *objects: handed.append(objects))
    monkeypatch.setattr(tables, "let_go", lambda *objects: handed.append(objects))
    path = tmp_path / "w.csv"
    path.write_text("Workload,Model,Requests per month,Avg input tokens,Avg output tokens\n"
                    + "".join(f"w{i},gpt-4o,{10 + i},100,10\n" for i in range(50)), encoding="utf-8")
    result = import_file(path, remember=False)
    assert len(result.plan.workloads) == 50
    extracted = [o for objects in handed for o in objects if hasattr(o, "workloads")]
    assert len(extracted) == 1 and len(extracted[0].workloads) == 50  # the rows read, not the plan's records
    assert any(isinstance(o, tables.Columns) for objects in handed for o in objects)
