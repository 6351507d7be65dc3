"""Reading a plan's JSON in pieces, so that no single parse holds the interpreter lock for long.

pydantic-core parses a whole JSON document in one call before it validates any of it, holding
Python's interpreter lock all the while: ~0.1 s for a plan of 100,000 workloads (33 MB), during
which the window that opened it on a worker thread cannot paint.  The large arrays are therefore
validated a few hundred kilobytes at a time, and the rest of the document on its own.

The cuts are found in the layout ``save_plan_json`` writes (indent 1): a top-level array opens
on a line ``\\n "workloads": [``, each element starts on a line ``\\n  {`` (after a comma) and
the array closes on ``\\n ]``.  A JSON string cannot hold a raw newline, so in that layout these
are structure, never text; but the result does not rest on the layout being what it seems:

- each piece between two cuts is validated as a JSON array on its own (``[`` + piece + ``]``);
  when each is a valid, non-empty array, the pieces joined by the commas cut at are the array
  ``[`` + all of them + ``]``, a complete JSON value whose elements are the pieces' in order;
- the rest of the document is validated with each array replaced by a marker array (one record
  holding a name made afresh for this read).  A complete JSON value swapped for another leaves
  the parse around it as it was, so when the marker comes back as the plan's own field (not
  nested in another record, not hidden by a repeated key), the pieces are exactly what the
  whole document holds there.

Anything else (another layout, a piece that fails, a marker not where expected) reads the whole
document in one call as before, so that a bad value is reported exactly as it always was.  The
pieces are validated in JSON mode, as the whole document is, so a value cannot differ by mode
(a Decimal from a JSON string or number, a date, a strict field).  The plan is then built from
the validated parts, its own validators run on the whole of it; validated records pass through
as they are (pydantic does not validate a model instance again).
"""

from __future__ import annotations

import mmap
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from pricing.plan.models import Plan, Workload
from pricing.plan.tracking import ActualLine
from pricing.yielding import give_way

#: Bytes per piece: ~1,200 workloads, ~2 ms of parsing (the elements' validation that follows
#: calls Python validators, between which other threads run).
PIECE = 400_000
#: A piece ends on the first cut found this far past its start, or the array is not cut (an
#: element of megabytes is not the layout ``save_plan_json`` writes).
WINDOW = 8 * PIECE
#: Bytes read from the file at a time.
READ = 1 << 20
#: Records of a large array written at a time (~5 ms of serialising; see ``plan_json_bytes``).
WRITE_PIECE = 1_000
_CUT = b",\n  {"
_CLOSE = b"\n ]"

#: The plan's arrays that grow with its size, with a marker record of each (``{token}`` filled
#: per read): a field that is unique to the read and a record valid on its own.
_ARRAYS: dict[str, tuple[type, str, str]] = {
    "workloads": (Workload, "name", '{{"name": "{token}", "model": "{token}", "input_tokens": "0", '
                                    '"output_tokens": "0", "requests_per_month": "0"}}'),
    "actuals": (ActualLine, "source", '{{"source": "{token}", "month": "2000-01-01", "cost": "0"}}'),
}


@cache
def _records(kind: type) -> TypeAdapter:
    return TypeAdapter(tuple[kind, ...])


def read_plan_json(path: Path) -> Plan:
    """The plan in the JSON file at ``path``; raises ``OSError`` and ``UnicodeDecodeError`` as
    ``path.read_text(encoding="utf-8")`` does and pydantic's ``ValidationError`` as
    ``Plan.model_validate_json`` of that text does, with the same messages."""
    with _file_bytes(path) as data:
        return plan_from_json(data)


def plan_from_json(data: bytes | mmap.mmap) -> Plan:
    """The plan the UTF-8 JSON ``data`` holds (errors as :func:`read_plan_json`'s)."""
    plan = _read_in_pieces(data)
    return plan if plan is not None else Plan.model_validate_json(_as_text(data))


def _as_text(data: bytes | mmap.mmap) -> str:
    """The text as a file opened in text mode reads it, with its line ends as ``\\n`` (where a
    JSON error is, line and column, is said in those lines).  A carriage return is whitespace
    between JSON values and refused inside a string, so it changes no value read in pieces."""
    text = str(data, "utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


@contextmanager
def _file_bytes(path: Path) -> Iterator[bytes | mmap.mmap]:
    """The file's bytes, read a megabyte at a time into memory mapped for them: a buffer of
    33 MB allocated at once is written through, page by page, under the lock (~20 ms); mapped
    pages come as each read fills them, while the lock is let go."""
    with open(path, "rb", buffering=0) as file:
        size = os.fstat(file.fileno()).st_size
        if size == 0:  # empty, or not a plain file: read as it comes
            yield file.read()
            return
        with mmap.mmap(-1, size) as data:
            with memoryview(data) as view:
                filled = 0
                while filled < size and (got := file.readinto(view[filled:filled + READ])):
                    filled += got
            if filled == size and not file.read(1):
                yield data
                return
        file.seek(0)  # it changed while being read: as it is now
        yield file.read()


def _read_in_pieces(data: bytes | mmap.mmap) -> Plan | None:
    """The plan, read in pieces; None when it cannot be (then the whole document says why).

    Every cut is at an ASCII character, which in UTF-8 is never part of a longer sequence: the
    pieces decode, one by one, to the text the whole would decode to (in one call, 33 MB would be
    another ~20 ms under the lock)."""
    spans = _array_spans(data)
    if not spans:
        return None
    token = secrets.token_hex(16)
    rest, position, arrays = [], 0, {}
    try:
        for key, start, end, pieces in spans:
            kind, field, marker = _ARRAYS[key]
            rest += [data[position:start].decode("utf-8"), "[", marker.format(token=token), "]"]
            position = end
            records = []
            for begin, stop in pieces:
                chunk = _records(kind).validate_json("[" + data[begin:stop].decode("utf-8") + "]")
                if not chunk:  # "[ ]" and then "[ , ...": the joined pieces would not be an array
                    return None
                records += chunk
            arrays[key] = (field, tuple(records))
        rest.append(data[position:].decode("utf-8"))
        head = Plan.model_validate_json("".join(rest))
    except (UnicodeDecodeError, ValidationError):
        return None
    for key, (field, _) in arrays.items():
        held = getattr(head, key)
        if len(held) != 1 or getattr(held[0], field) != token:
            return None
    # The fields the document held (the markers' among them), as the whole document sets them.
    given = {name: getattr(head, name) for name in head.model_fields_set}
    given.update({key: records for key, (_, records) in arrays.items()})
    try:
        return Plan.model_validate(given)
    except ValidationError:
        return None


def _array_spans(data: bytes | mmap.mmap) -> list[tuple[str, int, int, list[tuple[int, int]]]]:
    """Each large array found in the layout: its key, where its ``[`` starts and its ``]`` ends,
    and its pieces (start and end in ``data``); in the order ``save_plan_json`` writes them."""
    spans, position = [], 0
    for key in _ARRAYS:
        opening = f'\n "{key}": ['.encode()
        at = _find(data, opening, position)
        if at < 0:
            continue
        start = at + len(opening) - 1
        cuts = _cuts(data, start + 1)
        if cuts is not None:
            begins = [start + 1] + [cut + 1 for cut in cuts[:-1]]  # past the comma cut at
            position = cuts[-1] + len(_CLOSE)
            spans.append((key, start, position, list(zip(begins, cuts))))
    return spans


def _find(data: bytes | mmap.mmap, text: bytes, position: int) -> int:
    """``data.find(text, position)``, a window at a time (all 33 MB in one call: ~12 ms)."""
    while position < len(data):
        at = data.find(text, position, position + WINDOW + len(text))
        if at >= 0:
            return at
        position += WINDOW
    return -1


def _cuts(data: bytes | mmap.mmap, position: int) -> list[int] | None:
    """Where the pieces of the array whose elements start at ``position`` end: each at a comma
    between two elements, the last at the array's closing line; None when not in the layout."""
    cuts = []
    while True:
        cut = data.find(_CUT, position + PIECE, position + WINDOW)
        close = _closing(data, position, cut if cut >= 0 else position + WINDOW)
        if close >= 0:
            return [*cuts, close]
        if cut < 0:
            return None
        cuts.append(cut)
        position = cut + 1


def _closing(data: bytes | mmap.mmap, start: int, end: int) -> int:
    """Where the first closing line ``\\n ]`` between ``start`` and ``end`` starts, or -1.  (A
    bracket is rare where a newline is on every line: a search for it is ten times faster.)"""
    while (at := data.find(b"]", start, end)) >= 0:
        if at >= 2 and data[at - 2:at] == b"\n ":
            return at - 2
        start = at + 1
    return -1


def plan_json_bytes(plan: Plan) -> bytes:
    """The plan as a plan .json holds it (indent 1, defaults left out, the format's version first)."""
    return b"".join(plan_json_pieces(plan))


def plan_json_pieces(plan: Plan) -> list[bytes]:
    """``plan_json_bytes(plan)`` in pieces of a few hundred kilobytes, to be written one after another.

    pydantic-core serialises a whole plan in one call, holding the interpreter lock throughout:
    ~0.5 s at 100,000 workloads, in which a window saving on a worker could not run a line of
    Python (each of a paint's calls into Python waited for it).  So a large array is written
    ``WRITE_PIECE`` records at a time, with ``give_way`` between pieces, and put where a marker
    record stood in the rest of the plan, written on its own.  The pieces are not joined: a join
    of 33 MB is one copy into fresh memory under the lock (~0.1 s on a virtual machine whose every
    new page is a fault).  Joined, they are the bytes of the whole plan serialised in one call: a
    record serialises alone as it does within the plan (the array's settings are the plan's), and
    a JSON string holds no raw newline, so a record is indented one level deeper by a space after
    each of its newlines."""
    token, swapped, arrays = secrets.token_hex(16), {}, {}
    for key, (kind, _field, marker) in _ARRAYS.items():
        records = getattr(plan, key)
        if len(records) > WRITE_PIECE:
            swapped[key] = _records(kind).validate_json("[" + marker.format(token=token) + "]")
            arrays[key] = records
    parts = [_dump(plan.model_copy(update=swapped) if swapped else plan)]
    for key, records in arrays.items():
        kind = _ARRAYS[key][0]
        held = _elements(kind, swapped[key])
        if parts[-1].count(held) != 1:  # cannot be (the marker's name is new, the arrays in this order)
            return [_dump(plan)]
        before, after = parts.pop().split(held)
        parts.append(before)
        for start in range(0, len(records), WRITE_PIECE):
            if start:
                parts.append(b",\n")
            parts.append(_elements(kind, records[start:start + WRITE_PIECE]))
            give_way()
        parts.append(after)
    return parts


def _dump(plan: Plan) -> bytes:
    body = plan.__pydantic_serializer__.to_json(plan, indent=1, exclude_defaults=True, exclude={"format_version"})
    # The format's version is written even though it is the default: a reader must know it.
    head = b'{\n "format_version": %d' % plan.format_version
    return head + (b"\n}" if body.strip() == b"{}" else b",\n" + body.lstrip()[1:].lstrip(b"\n")) + b"\n"


def _elements(kind: type, records: tuple) -> bytes:
    """The records as the elements of a top-level array of the plan: one level deeper than alone."""
    text = _records(kind).dump_json(records, indent=1, exclude_defaults=True)
    return b" " + text[2:-2].replace(b"\n", b"\n ")  # "[\n" and "\n]" off
