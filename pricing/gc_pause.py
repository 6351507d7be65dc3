"""Pausing Python's cyclic garbage collector around bulk work.

Building or copying millions of cost cells creates no reference cycles, yet every few
thousand allocations the collector walks the whole heap — at 100,000 workloads × 36 months
that is most of the time spent (copying a projection: 0.55 s with it, a few ms without).
Reference counting still frees everything as usual.  The collector is process-wide: the
first pauser to start is the one that turns it back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


#: Set by a long-running application (the desktop window): what was built while the collector
#: was paused is frozen when it resumes (``keep_long_lived``).  Otherwise the first collection
#: after a paused build of 100,000 workloads walks the millions of objects made meanwhile — a
#: fifth of a second, on whichever thread allocates next (the GUI thread as often as not).
freeze_on_resume = False


@contextmanager
def gc_paused(settle: bool = False) -> Iterator[None]:
    """The collector off for the block.  ``settle``: what the block made (and leaves alive) goes
    to the oldest generation when the collector resumes, not the youngest, whose first pass,
    at the next allocation, would walk all of it (0.6 s after a 100,000-workload summary);
    the oldest is walked only when it has grown by a quarter.  Nothing stays out of its reach."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze_on_resume:
                gc.freeze()
            elif settle:
                gc.freeze()  # every tracked object to the permanent generation, the youngest emptied
                gc.unfreeze()  # and back, into the oldest
            gc.enable()


def keep_long_lived() -> None:
    """Move every object alive now out of the cyclic collector's reach (``gc.freeze``).

    A 100,000-workload plan and its projection are ~850,000 objects, none in a reference cycle;
    a full collection walks them all (1.6 s) and, in a window, may start on the GUI thread at any
    allocation.  Frozen, they are still freed by reference counting when let go; the collector
    only stops walking them, so its passes cover what was made since (milliseconds).  Call it when
    a large structure has just been built and will live (a plan opened and projected)."""
    gc.freeze()
