"""A rate version's time-of-day windows as the text of one Rates cell, and back.

    00:30-16:30 input 0.27 cached 0.07 output 1.1; 16:30-00:30 input 0.135 output 0.55

Each window: its UTC start and end, then ``name value`` pairs for the rates it has (input,
output, cached, write, write_1h, reasoning, fee per 1,000 requests); windows are separated
by semicolons, in the order they are listed (the last one in force wins).
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal, InvalidOperation

from pricing.plan.models import TimeWindow

_NAMES = (("input", "input_mtok"), ("cached", "cached_input_mtok"), ("write", "cache_write_mtok"),
          ("write_1h", "cache_write_1h_mtok"), ("output", "output_mtok"), ("reasoning", "reasoning_mtok"),
          ("fee", "request_fee_kcount"))
_FIELD = dict(_NAMES)
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s+(.*)$")


def format_windows(windows: tuple[TimeWindow, ...]) -> str | None:
    if not windows:
        return None
    parts = []
    for w in windows:
        rates = " ".join(f"{name} {getattr(w, field)}" for name, field in _NAMES if getattr(w, field) is not None)
        parts.append(f"{w.start:%H:%M}-{w.end:%H:%M} {rates}")
    return "; ".join(parts)


def parse_windows(text: str) -> tuple[TimeWindow, ...]:
    """The windows a cell lists; ValueError naming the part it cannot read."""
    out = []
    for part in (p for p in str(text).split(";") if p.strip()):
        m = _SPAN.match(part)
        if not m:
            raise ValueError(f"time window {part.strip()!r}: write it as '00:30-16:30 input 0.27 output 1.1'")
        h1, m1, h2, m2, rest = m.groups()
        words = rest.split()
        if len(words) % 2:
            raise ValueError(f"time window {part.strip()!r}: each rate is a name and a number")
        values: dict[str, Decimal] = {}
        for name, number in zip(words[::2], words[1::2]):
            if name.lower() not in _FIELD:
                raise ValueError(f"time window {part.strip()!r}: unknown rate {name!r} "
                                 f"(use {', '.join(n for n, _ in _NAMES)})")
            try:
                values[_FIELD[name.lower()]] = Decimal(number)
            except InvalidOperation:
                raise ValueError(f"time window {part.strip()!r}: {number!r} is not a number") from None
        out.append(TimeWindow(start=time(int(h1), int(m1)), end=time(int(h2), int(m2)), **values))
    return tuple(out)
