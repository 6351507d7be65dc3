"""Large structures let go a slice at a time, on a thread of their own.

A 100,000-workload plan and its projection are millions of objects.  Freed where their last
reference goes, they are freed in one C-level cascade that holds the interpreter lock: opening a
second plan of 100,000 workloads in the window paused its GUI thread 202-283 ms, nearly all of it
the GUI thread's own CPU, in ``Document.replace_plan`` dropping the plan it replaced (42-66 ms
with this module).  :func:`let_go` hands the objects to a daemon thread instead, which starts
``DELAY_S`` later.  It copies the references of their large lists, tuples, dicts and
sets (a few levels down) into lists of its own and drops the objects, so the containers go at
once and their items stay held by those lists only; it then frees those lists ``SLICE`` items
at a time, giving way between two slices (``pricing.yielding.give_way``: a window's paint first).

Nothing is ever changed in place: a structure someone else still holds keeps every item (the
thread only drops its own extra references), so letting go early is never wrong, only useless.
"""

from __future__ import annotations

import queue
import threading

from pricing.yielding import give_way

#: A container at least this long is taken apart in slices.
LARGE = 4096
#: Items freed in one C call (a millisecond or two for a projection's rows).
SLICE = 256
#: Attribute levels searched below each object handed over.
DEPTH = 3
#: Seconds the thread waits before it starts: what replaced the objects (a plan just opened) is
#: shown first, its grids laid out and painted, without the freeing between their calls.
DELAY_S = 1.0

#: (A Queue, not a SimpleQueue: waiting, the thread shows ``threading``'s ``wait`` in a stack dump.)
_queue: queue.Queue = queue.Queue()
_never = threading.Event()  # waited on for DELAY_S, for the same reason
_lock = threading.Lock()
_thread: threading.Thread | None = None
_pending = 0
_idle = threading.Condition(_lock)


def let_go(*objects: object) -> None:
    """Free ``objects`` on the releasing thread, a slice at a time, once the caller has dropped its
    own references (a caller that still holds one frees what it holds when it drops it)."""
    global _thread, _pending
    with _lock:
        _pending += 1
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="tokenbudget-letting-go", daemon=True)
            _thread.start()
    _queue.put(objects)


def busy() -> bool:
    """Whether something handed over is not freed yet."""
    return _pending > 0


def settle(timeout: float = 30.0) -> bool:
    """Wait until everything handed over has been freed (tests); False on timeout."""
    with _idle:
        return _idle.wait_for(lambda: _pending == 0, timeout)


def _run() -> None:
    global _pending
    while True:
        objects = _queue.get()
        _never.wait(DELAY_S)
        try:
            held = _large_parts(objects)
            del objects
            for items in held:
                while items:
                    give_way()  # a window's paint goes first (pricing.yielding)
                    del items[-SLICE:]
        finally:
            objects = held = items = None
            with _idle:
                _pending -= 1
                _idle.notify_all()


def _large_parts(objects: tuple) -> list[list]:
    """The items of every large container reachable from ``objects`` through attributes, items
    of small containers and the containers themselves, up to ``DEPTH`` levels (a projection's
    pricer's caches are two: its ``pricer``, then the pricer's ``_shapes``): each as a list of
    new references, the deepest first (a row's cells go before the rows)."""
    found: list[list] = []
    seen: set[int] = set()
    level = list(objects)
    for _ in range(DEPTH + 1):
        below: list = []
        for obj in level:
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, (list, tuple, set, frozenset)):
                if len(obj) >= LARGE:
                    found.append(list(obj))
                else:
                    below.extend(obj)
            elif isinstance(obj, dict):
                if len(obj) >= LARGE:
                    found.append(list(obj.values()))
                    found.append(list(obj))
                else:
                    below.extend(obj.values())
            else:  # an object's attributes are one level below it, not two (its __dict__ is no level)
                attributes = getattr(obj, "__dict__", None)
                if isinstance(attributes, dict):
                    below.extend(attributes.values())
        level = below
    found.reverse()
    return found
