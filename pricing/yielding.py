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

from collections.abc import Callable

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
