"""Long loops of the core let another thread go first, if an application asks.

A desktop window prices on worker threads while its GUI thread paints, and both need Python's
interpreter lock: each of the hundreds of calls a grid's paint makes into Python waits for a
worker to let go of it, so a paint of 20 ms took half a second while 12,500 rows were re-priced.
The core's long loops (re-pricing rows, breakdowns, the Batch savings pass) call ``give_way()``
every ``EVERY`` rows; an application sets ``hook`` to a callable that waits while its GUI
thread is busy (``desktop.gui_first``).  Unset, ``give_way`` does nothing; it never changes a
figure, only when a worker computes it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

#: Called by ``give_way``; None (the default): loops run straight through.
hook: Callable[[], None] | None = None

#: Rows a loop handles between two calls of ``give_way`` (a few milliseconds of pricing at most).
EVERY = 32

#: The buffer of a file a worker reads or writes row by row (``open(..., buffering=IO_BUFFER)``).
#: Each read or write system call lets the interpreter lock go and takes it straight back; the GUI
#: thread, waiting for the lock, is woken each time, finds it taken again and starts its 5 ms
#: wait afresh, so it never asks the worker to hand the lock over (the "convoy effect").  With
#: Python's 8 KiB buffer, exporting a 100,000-workload projection as CSV made ~3,700 calls in
#: 1.6 s and the window paused up to 357 ms; with 1 MiB it makes ~30 and the window's longest
#: gap stays at a few milliseconds.
IO_BUFFER = 1 << 20


def give_way() -> None:
    """Let a thread the application puts first run now (see ``hook``)."""
    if hook is not None:
        hook()


#: Items a whole-list pass (a map over a projection's rows, a sum a row) takes between two calls of
#: ``give_way``: a millisecond or two of work at most.
PASS_SLICE = 4096


def mapped(function: Callable, *columns: Sequence, size: int | None = None) -> list:
    """``list(map(function, *columns))``, ``size`` items (default ``PASS_SLICE``) a C-level pass, giving
    way before each: a pass over 100,000 rows or cells on a worker lets the GUI thread in between."""
    size = size or PASS_SLICE
    out: list = []
    for start in range(0, len(columns[0]) if columns else 0, size):
        give_way()
        out += map(function, *[column[start:start + size] for column in columns])
    return out


def giving_way(items: Iterable, every: int | None = None) -> Iterator:
    """``items``, giving way before every ``every``-th (default ``PASS_SLICE``): for a Python loop over
    every row (a loop whose items cost more than a microsecond or two each gives way more often)."""
    every = every or PASS_SLICE
    for i, item in enumerate(items):
        if not i % every:
            give_way()
        yield item


#: The interpreter's switch interval while a step of the core runs two threads of its own.
HANDOVER_S = 0.0005

_handover_lock = threading.Lock()
_handover_users = 0
_handover_before = 0.0


@contextmanager
def quick_handover() -> Iterator[None]:
    """Within the block, a thread waiting for the interpreter lock asks for it after 0.5 ms instead
    of Python's 5 ms.

    A workbook save formats rows on one thread while another deflates and writes them; that
    thread lets the lock go for each chunk's checksum, deflate and write, and each time waits a
    whole switch interval to get it back from the formatting thread.  At 5 ms the writing thread
    fell behind: a process building, projecting and saving 100,000 workloads took a median
    10.30 s against 9.62 s at 0.5 ms (five pairs; the difference is the save's), with a peak of
    723 against 689 MiB.  A lower interval already set (the desktop's) is kept; the one before is
    put back when the last block ends, unless something else changed it meanwhile."""
    global _handover_users, _handover_before
    with _handover_lock:
        if _handover_users == 0:
            _handover_before = sys.getswitchinterval()
            if _handover_before > HANDOVER_S:
                sys.setswitchinterval(HANDOVER_S)
        _handover_users += 1
    try:
        yield
    finally:
        with _handover_lock:
            _handover_users -= 1
            if (_handover_users == 0 and _handover_before > HANDOVER_S
                    and abs(sys.getswitchinterval() - HANDOVER_S) < 1e-7):
                sys.setswitchinterval(_handover_before)
