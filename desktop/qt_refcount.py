"""Keep ``None`` alive under PySide6 6.12 on Python 3.11.

The PySide6 6.12 wheels (``*.abi3.so``) return ``None`` from every void C++ method
(``QLabel.setText``, ``QTableWidget.setItem`` …) without taking a new reference to it.
On Python 3.12 and later ``None`` is immortal (PEP 683) and nothing happens; on 3.11 each
call takes one reference away, and after a few thousand calls the interpreter aborts with
"none_dealloc: deallocating None".  Measured here: 2,000 ``QLabel.setText`` calls lower
``sys.getrefcount(None)`` by exactly 2,000.

The cure is the one 3.12 applies: give ``None`` a refcount so large that no session can
exhaust it.  Nothing else is touched.
"""

from __future__ import annotations

import sys

_IMMORTAL = 1 << 40


def keep_none_alive() -> bool:
    """Make ``None`` effectively immortal on CPython < 3.12; True when it was needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the object's first field
    if refcount.value < _IMMORTAL:
        refcount.value += _IMMORTAL
    return True
