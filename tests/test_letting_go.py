"""Large structures handed to pricing.letting_go are freed on its own thread, a slice at a time,
and a structure someone still holds loses nothing."""

from __future__ import annotations

import threading

import pytest

from pricing import letting_go


class Leaf:
    freed_on: list[str] = []

    def __del__(self):
        Leaf.freed_on.append(threading.current_thread().name)


class Holder:
    def __init__(self, n: int):
        self.rows = [Leaf() for _ in range(n)]
        self.by_key = {i: Leaf() for i in range(n)}
        self.inner = {"tuple": tuple(Leaf() for _ in range(n)), "small": [Leaf()]}


@pytest.fixture(autouse=True)
def no_delay(monkeypatch):
    monkeypatch.setattr(letting_go, "DELAY_S", 0)
    Leaf.freed_on = []


def test_what_is_let_go_is_freed_on_the_releasing_thread_a_slice_at_a_time(monkeypatch):
    ways = []
    monkeypatch.setattr(letting_go, "give_way", lambda: ways.append(len(Leaf.freed_on)))
    holder = Holder(letting_go.LARGE * 2)
    letting_go.let_go(holder)
    del holder
    assert letting_go.settle()
    assert len(Leaf.freed_on) == letting_go.LARGE * 6 + 1
    assert set(Leaf.freed_on) == {"tokenbudget-letting-go"}
    # the thread gave way between slices of SLICE leaves: the list, the dict's values, the tuple
    assert len(ways) >= 6 * letting_go.LARGE // letting_go.SLICE
    assert max(b - a for a, b in zip(ways, ways[1:])) <= letting_go.SLICE


def test_a_structure_still_held_elsewhere_keeps_every_item():
    holder = Holder(letting_go.LARGE)
    rows, keys = holder.rows, holder.by_key
    first, last = rows[0], rows[-1]
    letting_go.let_go(holder)
    del holder
    assert letting_go.settle()
    assert len(rows) == letting_go.LARGE and rows[0] is first and rows[-1] is last
    assert len(keys) == letting_go.LARGE
    assert len(Leaf.freed_on) == letting_go.LARGE + 1  # the tuple's leaves and the small list's


def test_a_caller_still_holding_the_object_frees_it_itself_later():
    holder = Holder(10)
    letting_go.let_go(holder)
    assert letting_go.settle()
    assert Leaf.freed_on == []
    del holder
    assert len(Leaf.freed_on) == 31


def test_a_large_container_two_attributes_down_is_taken_apart_too():
    class Pricer:
        def __init__(self, n: int):
            self.shapes = {i: Leaf() for i in range(n)}

    class Projection:
        def __init__(self, n: int):
            self.pricer = Pricer(n)

    parts = letting_go._large_parts(([Projection(letting_go.LARGE)],))
    assert sorted(len(part) for part in parts) == [letting_go.LARGE, letting_go.LARGE]
