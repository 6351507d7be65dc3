"""Reading a plan workbook column by column gives what reading it cell by cell gave, findings and all;
the bounded reader process sends the cells back compactly and the parent gets the same values."""

from __future__ import annotations

import pickle
from datetime import date, datetime, time

import openpyxl
import pytest
from pydantic import ValidationError

from pricing.files.planfile import open_plan
from pricing.files.workbook import layout as L
from pricing.files.workbook import load_plan, save_plan
from pricing.files.workbook.reader import _header_map, _workload, read_input_sheets
from pricing.files.workbook.sheetdata import Sheet, pack, unpack
from pricing.files.workbook.values import UNUSABLE, Cells
from tests.workbook_helpers import random_plan


def _reference_workloads(path):
    """The Workloads sheet read the straightforward way: row by row, cell by cell."""
    names, sheets = read_input_sheets(path)
    cells = Cells(sheets, str(path))
    rows = cells.rows(L.WORKLOADS)
    where = _header_map(cells, L.WORKLOADS, L.WORKLOAD_COLUMNS, rows)
    out = []
    for r, row in rows[1:]:
        if all(v in ("", None) for v in row):
            continue
        values = {}
        for col in L.WORKLOAD_COLUMNS:
            j = where.get(col.field)
            if j is None or j >= len(row):
                continue
            value = cells.convert(L.WORKLOADS, cells.ref(j, r), row[j], col.kind, col.field)
            if value is not None:
                values[col.field] = value
        if UNUSABLE in values.values():
            cells.finding(L.WORKLOADS, f"A{r}", None, f"row {r} is left out of the plan until the cells above are fixed")
            continue
        try:
            out.append(_workload(**values))
        except (ValidationError, ValueError) as exc:
            cells.row_error(L.WORKLOADS, r, exc, L.WORKLOAD_COLUMNS, where)
    return out, [f for f in cells.findings]


@pytest.fixture(scope="module")
def edited_workbook(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reading")
    path = tmp / "plan.xlsx"
    plan = random_plan(11, n_workloads=60)
    twins = [w.model_copy(update={"name": f"{w.name} twin", "tenant": "Twin"}) for w in plan.workloads[:20]]
    save_plan(plan.model_copy(update={"workloads": plan.workloads + tuple(twins)}), path)  # rows alike but their texts
    book = openpyxl.load_workbook(path)
    sheet = book["Workloads"]
    sheet["D2"] = -3000          # the same bad values in several rows and columns
    sheet["D3"] = -3000
    sheet["E3"] = "lots"
    sheet["E7"] = "lots"
    sheet["G4"] = "2.5M"
    sheet["C5"] = "teleport"
    sheet["C6"] = "teleport"
    sheet["F8"] = 1.5            # a share over 1: the row fails validation
    sheet["I9"] = "someday"
    for col in "ABCDEFGHIJKLMNOPQRS":
        sheet[f"{col}10"] = None  # a blank row in the middle
    sheet["G11"] = 1234.5678901234567  # a cell with an exact text, edited
    sheet["H12"] = None          # empty cells in columns filled elsewhere: the fields take their defaults
    sheet["N13"] = None
    sheet["P13"] = None
    edited = tmp / "edited.xlsx"
    book.save(edited)
    return edited


def test_column_by_column_reading_gives_the_row_by_row_workloads_and_findings_in_order(edited_workbook):
    plan, findings = load_plan(edited_workbook)
    workloads, expected = _reference_workloads(edited_workbook)
    assert plan.workloads == tuple(workloads)
    assert [w.model_dump_json() for w in plan.workloads] == [w.model_dump_json() for w in workloads]  # digit for digit
    assert [w.model_fields_set for w in plan.workloads] == [w.model_fields_set for w in workloads]
    assert [list(w.__dict__) for w in plan.workloads] == [list(w.__dict__) for w in workloads]
    ours = [(f.sheet, f.cell, f.field, f.message) for f in findings if f.sheet == L.WORKLOADS]
    assert ours == [(f.sheet, f.cell, f.field, f.message) for f in expected if f.sheet == L.WORKLOADS]
    assert len(ours) >= 8


def test_opening_through_the_reader_process_gives_what_reading_here_gives(edited_workbook):
    here = load_plan(edited_workbook)
    opened = open_plan(edited_workbook)
    assert opened[0] == here[0]
    assert [(f.sheet, f.cell, f.message) for f in opened[1]] == [(f.sheet, f.cell, f.message) for f in here[1]]


def test_an_unedited_workbook_opens_as_the_plan_it_was_saved_from(tmp_path):
    plan = random_plan(4, n_workloads=50)
    save_plan(plan, tmp_path / "plan.xlsx")
    assert open_plan(tmp_path / "plan.xlsx") == (plan, [])


@pytest.mark.parametrize("column", [
    [1.0, 2.5, -0.0, 1e300, 3.0],
    ["a", "b", "a", "", "_x0041_ & <"],
    [date(2026, 1, 1), date(1900, 3, 1), date(2026, 1, 1)],
    [None, "", 1.0, "x", True, 3, date(2026, 2, 1), datetime(2026, 2, 1, 10, 30), time(12, 0)],
    [],
    ["Input tokens", 1.0, 2.5, 1e300],  # numbers under their header
    ["Start month", date(2026, 1, 1), date(2027, 12, 1)],
    [1.0, "x", "y"],  # a number over texts
    ["Notes", "a", "b", 1.0],  # neither: as they are
    [f"Workload {i}" for i in range(3000)],  # mostly distinct texts
    ["Tenant"] + [f"Tenant {i % 7}" for i in range(3000)],
    # two kinds all the way down (empty cells among dates or numbers): long columns, as they are
    ["Start month"] + [date(2026, 1, 1) if i % 3 else "" for i in range(3000)],
    ["Cached share"] + [0.5 if i % 2 else None for i in range(3000)],
    [1.0, "x"] * 1500,
    [0.5, "", None, 1.0, -0.0],  # numbers with both kinds of empty cell
    ["Discount", "", "", 0.25, "n/a", 0.5],  # a text that is not empty: as they are
    [date(2026, 1, 1), 1.0, ""],
    [1.0] + [f"name {i}" for i in range(3000)],  # mostly distinct texts under a number: as they are
])
def test_packed_columns_unpickle_to_the_same_values_of_the_same_types(column):
    sheets = {"Workloads": Sheet([list(column), list(column)], len(column))}
    names, back = unpack(pickle.loads(pickle.dumps(pack(["Workloads"], sheets))))
    assert names == ["Workloads"]
    for got, sent in zip(back["Workloads"].columns, sheets["Workloads"].columns):
        assert got == sent and [type(v) for v in got] == [type(v) for v in sent]


def test_a_column_of_numbers_under_its_header_travels_as_one_typed_array():
    column = ["Input tokens"] + [float(i) for i in range(5000)]
    packed = pack(["W"], {"W": Sheet([column], len(column))})
    kind, header, body = packed["sheets"]["W"][1][0]
    assert (kind, header, body[0]) == ("h", "Input tokens", "f")
    assert len(pickle.dumps(packed)) < 9 * len(column)


def test_a_workbook_with_empty_start_months_and_notes_opens_as_it_loads(tmp_path):
    """The bounded reader's packing once recursed a row at a time down a column of two kinds (a
    date or an empty cell under the header), so a plan of over ~1,000 such rows could not be opened."""
    plan = random_plan(5, n_workloads=1500)
    workloads = [w.model_copy(update={"start_month": None if i % 3 == 0 else date(2026, 1 + i % 12, 1),
                                      "notes": f"note {i}" if i % 4 == 0 else ""})
                 for i, w in enumerate(plan.workloads)]
    plan = plan.model_copy(update={"workloads": tuple(workloads)})
    save_plan(plan, tmp_path / "plan.xlsx")
    opened = open_plan(tmp_path / "plan.xlsx")
    assert opened == load_plan(tmp_path / "plan.xlsx")
    assert opened[0].workloads == plan.workloads


def test_dates_with_empty_cells_under_their_header_travel_as_a_mask_and_one_typed_array():
    column = ["Start month"] + [date(2026, 1 + i % 12, 1) if i % 4 else "" for i in range(5000)]
    packed = pack(["W"], {"W": Sheet([column], len(column))})
    kind, header, (body, mask, values) = packed["sheets"]["W"][1][0]
    assert (kind, header, body, values[0]) == ("h", "Start month", "b", "d")
    assert mask.count(1) == 1250 and len(pickle.dumps(packed)) < 11 * len(column)
    assert unpack(packed)[1]["W"].columns[0] == column


def test_a_mask_that_does_not_match_its_filled_cells_is_refused():
    packed = pack(["S"], {"S": Sheet([[1.0, "", 2.0]], 3)})
    kind, mask, values = packed["sheets"]["S"][1][0]
    packed["sheets"]["S"][1][0] = (kind, mask + b"\x00", values)
    with pytest.raises(ValueError):
        unpack(packed)


def test_packed_cells_of_unequal_columns_are_refused():
    packed = pack(["S"], {"S": Sheet([[1.0, 2.0], [1.0]], 2)})
    with pytest.raises(ValueError):
        unpack(packed)


def test_a_workloads_fields_are_validated_each_on_its_own():
    """The reader makes a workload from values that passed their column's check without
    validating the row (reader._records); that is only the same as validating when no rule spans
    fields."""
    from pricing.plan.models import Workload

    decorators = Workload.__pydantic_decorators__
    assert not decorators.model_validators and not decorators.root_validators
    assert {name for name in decorators.field_validators} == {"_first_of_month"}  # the bounds: each field's own


def test_a_loaded_plan_waits_in_the_oldest_generation_not_the_youngest(tmp_path):
    import gc

    from benchmarks.plans import make_plan

    save_plan(make_plan(300), tmp_path / "plan.xlsx")
    plan, _findings = load_plan(tmp_path / "plan.xlsx")
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(w) in oldest for w in plan.workloads)
    assert gc.get_freeze_count() == 0


def test_equal_texts_of_a_column_come_back_as_one_object(tmp_path):
    from benchmarks.plans import make_plan

    save_plan(make_plan(400), tmp_path / "plan.xlsx")
    plan, _findings = load_plan(tmp_path / "plan.xlsx")
    for field in ("tenant", "feature", "environment", "model"):
        texts = [getattr(w, field) for w in plan.workloads]
        assert len({id(t) for t in texts}) == len(set(texts)), field
