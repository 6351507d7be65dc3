"""JSON output as ``json.dump(data, indent=2, ensure_ascii=False)`` writes it, byte for byte, faster.

The standard library encodes an indented document in pure Python, a generator step and a
``write`` per value: a 100,000-workload ``summary --json`` has some four million values.  Here
a container's text is joined from its items' texts (strings through the C string encoder), and
the document goes out in one piece per item of the top two levels.  What this module does not
write itself (floats, keys that are not strings, subclasses) is left to ``json.dumps`` with the
same settings, re-indented to its place: an encoded document has no raw line breaks but the
ones indentation puts there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring  # the C encoder when available, as json.dump with ensure_ascii=False

__all__ = ["iter_json", "write_json"]

_INDENT = "  "
_STREAM_DEPTH = 2  # containers this deep or deeper go out as one piece


def write_json(data: object, fp) -> None:
    """``json.dump(data, fp, indent=2, ensure_ascii=False)``, the same text."""
    write = fp.write
    for chunk in iter_json(data):
        write(chunk)


def iter_json(data: object) -> Iterator[str]:
    """The pieces of ``json.dumps(data, indent=2, ensure_ascii=False)``, in order."""
    return _chunks(data, 0, 0)


def _fallback(value: object, level: int) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + _INDENT * level)


def _scalar(value: object, level: int) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    return _fallback(value, level)


def _plain_dict(value: object) -> bool:
    return type(value) is dict and all(type(k) is str for k in value)


def _encode(value: object, level: int) -> str:
    kind = type(value)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + _INDENT * (level + 1)
        return "[" + inner + ("," + inner).join([_encode(v, level + 1) for v in value]) + "\n" + _INDENT * level + "]"
    if kind is dict:
        if not _plain_dict(value):
            return _fallback(value, level)
        if not value:
            return "{}"
        inner = "\n" + _INDENT * (level + 1)
        return ("{" + inner + ("," + inner).join([encode_basestring(k) + ": " + _encode(v, level + 1)
                                                 for k, v in value.items()])
                + "\n" + _INDENT * level + "}")
    return _scalar(value, level)


def _chunks(value: object, level: int, depth: int) -> Iterator[str]:
    kind = type(value)
    if depth >= _STREAM_DEPTH or not value or not (kind is list or kind is tuple or _plain_dict(value)):
        yield _encode(value, level)
        return
    inner = "\n" + _INDENT * (level + 1)
    items = value.items() if kind is dict else ((None, v) for v in value)
    yield "{" if kind is dict else "["
    first = True
    for key, item in items:
        head = inner if first else "," + inner
        first = False
        yield head if key is None else head + encode_basestring(key) + ": "
        yield from _chunks(item, level + 1, depth + 1)
    yield "\n" + _INDENT * level + ("}" if kind is dict else "]")
