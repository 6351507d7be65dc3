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


def give_way() -> None:
    """Let a thread the application puts first run now (see ``hook``)."""
    if hook is not None:
        hook()
