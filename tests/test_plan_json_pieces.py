"""A plan .json is read a piece of its large arrays at a time (so that no parse holds the interpreter
lock long enough to freeze the window): the same plan, the same fields set and the same error
lines as reading the whole document in one call, whatever the file holds."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from benchmarks.plans import make_plan
from pricing.costing.catalog import resources_dir
from pricing.files import plan_json
from pricing.files.planfile import PlanFileError, load_plan_json, save_plan_json
from pricing.plan.models import Plan, Workload
from pricing.plan.tracking import ActualLine

SMALL = {"PIECE": 2_000, "WINDOW": 16_000, "READ": 4_096}


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of ~6 workloads and reads of 4 KB, so that a plan of a few hundred spans many."""
    for name, value in SMALL.items():
        monkeypatch.setattr(plan_json, name, value)


def _as_before(path: Path) -> Plan | str:
    """What load_plan_json gave when it validated the whole text in one call: the plan or its error line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot read: {exc}"
    try:
        return Plan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{path}: {where}: {str(first['msg']).removeprefix('Value error, ')}"


def _now(path: Path) -> Plan | str:
    try:
        return load_plan_json(path)
    except PlanFileError as exc:
        return str(exc)


def _pieces(path: Path) -> dict[str, int]:
    return {key: len(pieces) for key, _start, _end, pieces in plan_json._array_spans(path.read_bytes())}


def _assert_same(path: Path) -> Plan:
    now, before = _now(path), _as_before(path)
    assert isinstance(now, Plan), now
    assert now == before
    assert now.model_dump_json() == before.model_dump_json()
    assert now.model_fields_set == before.model_fields_set
    assert [w.model_fields_set for w in now.workloads] == [w.model_fields_set for w in before.workloads]
    return now


def test_a_generated_plan_read_in_pieces_equals_the_whole_document(tmp_path, small_pieces):
    path = tmp_path / "plan.json"
    save_plan_json(make_plan(400, months=36, seed=7), path)
    assert _pieces(path)["workloads"] > 20
    assert plan_json._read_in_pieces(path.read_bytes()) is not None  # not the whole-document fallback
    assert len(_assert_same(path).workloads) == 400


def test_pieces_of_the_default_size_equal_the_whole_document(tmp_path):
    path = tmp_path / "plan.json"
    save_plan_json(make_plan(3_000, seed=3), path)
    assert _pieces(path)["workloads"] >= 3
    _assert_same(path)


@pytest.mark.parametrize("sample", ["sample-plan.json", "sample-capacity-plan.json"])
def test_the_bundled_samples_read_in_pieces_equal_the_whole_document(sample, small_pieces):
    path = resources_dir() / sample
    assert plan_json._read_in_pieces(path.read_bytes()) is not None
    _assert_same(path)


def test_actuals_are_read_in_pieces_too(tmp_path, small_pieces):
    plan = make_plan(60, seed=1)
    lines = tuple(ActualLine(source="focus", month=date(2026, 1 + i % 12, 1), workload=w.name if i % 7 else None,
                             label="" if i % 7 else "gpt-4o", cost=Decimal(i) / 100, requests=Decimal(i * 3))
                  for i, w in enumerate(plan.workloads * 5))
    path = tmp_path / "plan.json"
    save_plan_json(plan.model_copy(update={"actuals": lines}), path)
    assert _pieces(path)["actuals"] > 10
    assert len(_assert_same(path).actuals) == 300


def test_text_that_looks_like_the_layout_inside_strings_does_not_move_a_cut(tmp_path, small_pieces):
    tricky = ['a\n  {"name": "x"}', "b\n ]\n}", '],\n  {', '\\n  {', "quote \" and \\ and ] and },{", "ünï ☃ 𝄞"]
    plan = make_plan(120, seed=2)
    workloads = [w.model_copy(update={"name": f"{tricky[i % len(tricky)]} {i}", "notes": tricky[-1 - i % 6]})
                 for i, w in enumerate(plan.workloads)]
    path = tmp_path / "plan.json"
    save_plan_json(plan.model_copy(update={"workloads": tuple(workloads)}), path)
    assert plan_json._read_in_pieces(path.read_bytes()) is not None
    assert [w.name for w in _assert_same(path).workloads] == [w.name for w in workloads]


@pytest.mark.parametrize("indent", [None, 4, "\t"])
def test_a_plan_formatted_by_hand_reads_whole_and_equal(tmp_path, small_pieces, indent):
    path = tmp_path / "plan.json"
    save_plan_json(make_plan(50, seed=4), path)
    path.write_text(json.dumps(json.loads(path.read_text()), indent=indent))
    assert plan_json._read_in_pieces(path.read_bytes()) is None  # not the layout: the whole document
    _assert_same(path)


def test_windows_line_ends_read_equal(tmp_path, small_pieces):
    path = tmp_path / "plan.json"
    save_plan_json(make_plan(50, seed=5), path)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    _assert_same(path)


def test_a_bad_value_in_the_third_piece_is_reported_as_before_with_its_index(tmp_path, small_pieces):
    path = tmp_path / "plan.json"
    save_plan_json(make_plan(300, seed=6), path)
    data = path.read_bytes()
    (_key, start, _end, pieces), = plan_json._array_spans(data)
    third = pieces[2]
    index = data[start:third[0]].count(b",\n  {") + 1  # the second workload of the third piece
    assert third[0] < data.index(f'"Workload {index:06d}"'.encode()) < third[1]
    at = data.index(b'"requests_per_month": "', data.index(f'"Workload {index:06d}"'.encode())) + 23
    path.write_bytes(data[:at] + b"lots" + data[data.index(b'"', at):])
    message = _now(path)
    assert message == _as_before(path)
    assert f"workloads.{index}.requests_per_month" in message


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_field_wrong_outside_the_arrays_is_reported_as_before(tmp_path, small_pieces, where):
    path = tmp_path / "plan.json"
    save_plan_json(make_plan(100, seed=8), path)
    text = path.read_text()
    text = (text.replace('"format_version": 1', '"format_version": 9') if where == "first"
            else text[:text.rindex("\n}")] + ',\n "budgets": [{"amount": "-5"}]\n}\n')
    path.write_text(text)
    message = _now(path)
    assert isinstance(message, str) and message == _as_before(path)


def test_a_second_workloads_key_reads_as_the_whole_document_does(tmp_path, small_pieces):
    path = tmp_path / "plan.json"
    save_plan_json(make_plan(100, seed=9), path)
    text = path.read_text()
    path.write_text(text[:text.rindex("\n}")] + ',\n "workloads": [\n  ' + Workload(
        name="only", model="m", input_tokens=1, output_tokens=1, requests_per_month=1).model_dump_json() + "\n ]\n}\n")
    now, before = _now(path), _as_before(path)
    assert now == before


def test_an_array_opening_on_a_comma_is_refused_as_before(tmp_path, monkeypatch):
    """``[`` then ``,`` is not JSON, though the piece before that comma alone reads as ``[ ]``."""
    for name, value in {"PIECE": 1, "WINDOW": 1_000}.items():
        monkeypatch.setattr(plan_json, name, value)
    one = Workload(name="a", model="m", input_tokens=1, output_tokens=1, requests_per_month=1).model_dump_json()
    path = tmp_path / "plan.json"
    path.write_text('{\n "assumptions": {"first_month": "2026-01-01"},\n "workloads": [\n  ,\n  ' + one + "\n ]\n}")
    message = _now(path)
    assert isinstance(message, str) and message == _as_before(path)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf{}", b'{\n "name": "caf\xe9"\n}', b"{\n \"workloads\": [\n  {",
                                     b'{\n "workloads": [\n ]\n}', b'{\n "workloads": []\n}'])
def test_odd_files_give_the_same_error_or_plan_as_before(tmp_path, content):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    assert _now(path) == _as_before(path)


@pytest.mark.parametrize("what", ["directory", "missing"])
def test_a_file_that_cannot_be_read_says_so_as_before(tmp_path, what):
    path = tmp_path if what == "directory" else tmp_path / "gone.json"
    assert _now(path) == _as_before(path)


def test_validated_workloads_pass_into_the_plan_as_they_are():
    plan = make_plan(3)
    fields = {name: getattr(plan, name) for name in plan.model_fields_set}
    again = Plan.model_validate(fields)
    assert all(a is b for a, b in zip(again.workloads, plan.workloads, strict=True))
    assert again.assumptions is plan.assumptions


_names = st.text(max_size=12)
_workloads = st.builds(
    Workload, name=_names, model=st.sampled_from(["together/guide/typical-chat-model", "x/y"]),
    input_tokens=st.integers(0, 10**6).map(Decimal), output_tokens=st.integers(0, 10**5).map(Decimal),
    cached_share=st.decimals(0, 1, places=3), requests_per_month=st.integers(0, 10**9).map(Decimal),
    tenant=_names, notes=_names, monthly_growth=st.decimals(-1, 1, places=4),
    start_month=st.none() | st.dates(date(2020, 1, 1), date(2040, 12, 1)))


@settings(max_examples=40, deadline=None)
@given(workloads=st.lists(_workloads, min_size=1, max_size=30))
def test_any_workloads_saved_read_back_in_pieces_as_in_one_call(tmp_path_factory, workloads):
    path = tmp_path_factory.mktemp("plans") / "plan.json"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"PIECE": 300, "WINDOW": 2_400, "READ": 1_000}.items():
            patch.setattr(plan_json, name, value)
        save_plan_json(make_plan(1).model_copy(update={"workloads": tuple(workloads)}), path)
        assert plan_json._read_in_pieces(path.read_bytes()) is not None
        assert _assert_same(path).workloads == tuple(workloads)
