"""Pausing the cyclic collector around bulk work."""

from __future__ import annotations

import gc

from pricing.gc_pause import gc_paused


class _Node:
    pass


def test_the_collector_is_off_in_the_block_and_on_after_it():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_settled_objects_made_in_the_block_wait_in_the_oldest_generation_not_the_youngest():
    with gc_paused(settle=True):
        made = [_Node() for _ in range(1000)]
    assert gc.isenabled()
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in made)
    assert gc.get_count()[0] < len(made)
    assert gc.get_freeze_count() == 0  # nothing left out of the collector's reach


def test_settled_garbage_cycles_are_still_collected():
    with gc_paused(settle=True):
        a, b = _Node(), _Node()
        a.other, b.other = b, a
    del a, b
    assert gc.collect() >= 2
