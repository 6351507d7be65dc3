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


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
