"""A plan .json is written a piece of its large arrays at a time (so that a save on a worker never
holds the interpreter lock long enough to freeze the window), and the bytes are those the whole
plan serialised in one call gives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.plans import make_plan
from pricing import yielding
from pricing.costing.catalog import resources_dir
from pricing.files import plan_json
from pricing.files.atomic import atomic_write_pieces
from pricing.files.planfile import load_plan_json, save_plan_json
from pricing.plan.models import Plan, Workload
from pricing.plan.tracking import ActualLine


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(plan_json, "WRITE_PIECE", 7)


def _in_one_call(plan: Plan) -> bytes:
    """What the plan .json held when the whole plan was serialised by one call of pydantic."""
    body = plan.model_dump_json(indent=1, exclude_defaults=True, exclude={"format_version"})
    head = f'{{\n "format_version": {plan.format_version}'
    text = head + ("\n}" if body.strip() == "{}" else ",\n" + body.lstrip()[1:].lstrip("\n"))
    return (text + "\n").encode()


def _with_actuals(plan: Plan, repeat: int = 3) -> Plan:
    lines = tuple(ActualLine(source="focus", month=date(2026, 1 + i % 12, 1), workload=w.name if i % 5 else None,
                             label="" if i % 5 else "gpt-4o", cost=Decimal(i) / 100, requests=Decimal(i * 3))
                  for i, w in enumerate(plan.workloads * repeat))
    return plan.model_copy(update={"actuals": lines})


def test_a_plan_written_in_pieces_is_byte_for_byte_the_plan_written_in_one_call(small_pieces):
    plan = make_plan(200, months=36, seed=5)
    assert plan_json.plan_json_bytes(plan) == _in_one_call(plan)


def test_actuals_written_in_pieces_are_byte_for_byte_those_written_in_one_call(small_pieces):
    plan = _with_actuals(make_plan(40, seed=2))
    assert len(plan.actuals) > 7 * 10
    assert plan_json.plan_json_bytes(plan) == _in_one_call(plan)


@pytest.mark.parametrize("count", [0, 1, 7, 8, 15])
def test_arrays_at_and_around_one_piece_are_written_as_in_one_call(small_pieces, count):
    plan = make_plan(20, seed=1)
    plan = plan.model_copy(update={"workloads": (plan.workloads * 2)[:count]})
    assert plan_json.plan_json_bytes(plan) == _in_one_call(plan)


@pytest.mark.parametrize("sample", ["sample-plan.json", "sample-capacity-plan.json"])
def test_the_bundled_samples_are_written_as_in_one_call(small_pieces, sample):
    plan = load_plan_json(resources_dir() / sample)
    assert plan_json.plan_json_bytes(plan) == _in_one_call(plan)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['a\n  {"name": "x"}', "b\n ]\n}", "],\n  {", "\\n  {", 'quote " and \\ and ] and },{', "ünï ☃ 𝄞"])


@settings(max_examples=40, deadline=None)
@given(names=st.lists(_TEXT, min_size=8, max_size=30), notes=_TEXT)
def test_any_text_in_the_records_is_written_as_in_one_call(names, notes):
    plan = make_plan(30, seed=3)
    workloads = tuple(w.model_copy(update={"name": f"{name}#{i}", "notes": notes if i % 2 else ""})
                      for i, (w, name) in enumerate(zip(plan.workloads * 2, names)))
    plan = plan.model_copy(update={"workloads": workloads})
    old = plan_json.WRITE_PIECE
    plan_json.WRITE_PIECE = 3
    try:
        written = plan_json.plan_json_bytes(plan)
    finally:
        plan_json.WRITE_PIECE = old
    assert written == _in_one_call(plan)


def test_the_writer_gives_way_between_pieces(small_pieces, monkeypatch):
    calls = []
    monkeypatch.setattr(yielding, "hook", lambda: calls.append(1))
    plan = make_plan(70, seed=6)
    plan_json.plan_json_bytes(plan)
    assert len(calls) == 10  # 70 workloads, 7 a piece


def test_a_plan_written_in_pieces_reads_back_equal(tmp_path, small_pieces):
    plan = _with_actuals(make_plan(90, months=36, seed=8), repeat=2)
    path = tmp_path / "plan.json"
    path.write_bytes(plan_json.plan_json_bytes(plan))
    assert load_plan_json(path) == plan


def test_a_large_array_stays_in_pieces_no_bigger_than_a_piece_of_records(small_pieces):
    plan = make_plan(70, seed=6)
    pieces = plan_json.plan_json_pieces(plan)
    one = max(len(plan_json._elements(Workload, (w,))) for w in plan.workloads)
    records = [piece for piece in pieces[1:-1] if piece != b",\n"]  # the plan's rest before and after
    assert len(records) == 10  # 70 workloads, 7 a piece
    assert max(map(len, records)) <= 7 * (one + 2)
    assert b"".join(pieces) == _in_one_call(plan)


def test_a_saved_plan_file_holds_the_bytes_of_the_one_call_dump(tmp_path, small_pieces):
    plan = _with_actuals(make_plan(50, seed=9))
    path = tmp_path / "plan.json"
    save_plan_json(plan, path)
    assert path.read_bytes() == _in_one_call(plan)


def test_pieces_written_atomically_replace_the_file_with_their_join(tmp_path):
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    atomic_write_pieces(path, iter([b"ab", b"", b"cd"]), backup=False)
    assert path.read_bytes() == b"abcd"
