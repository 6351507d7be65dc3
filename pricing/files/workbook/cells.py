"""Cells as SpreadsheetML text: references, escaping, strings, numbers and formulas.

The writer streams ``<c>`` elements straight into the zip entry of each sheet; this module
turns Python values into that text.  User text always goes through the shared-string table
(``t="s"``), so a name such as ``=HYPERLINK(...)`` or ``@SUM(1)`` can never become a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache

EXCEL_EPOCH = date(1899, 12, 30)

# Characters XML 1.0 cannot hold even as references are written as OOXML ``_xHHHH_`` escapes;
# so is a literal "_xHHHH_" in user text (escaped as _x005F_), so it reads back unchanged.
_NEEDS_OOXML_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


@lru_cache(maxsize=4096)
def col_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def ref(col: int, row: int) -> str:
    return f"{col_letter(col)}{row}"


#: Anything xml_escape changes; most texts have none and are returned as they are.
_ANY_ESCAPE = re.compile(r'[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_')


def xml_escape(text: str) -> str:
    """Escape text for element content or attributes; keeps tab, CR and LF exact."""
    if _ANY_ESCAPE.search(text) is None:
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if _NEEDS_OOXML_ESCAPE.search(text):
        text = _NEEDS_OOXML_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    # A parser folds a bare CR into LF; a character reference survives.
    return text.replace("\r", "&#13;")


def serial(day: date) -> int:
    """Excel's serial day number (1900 date system)."""
    return (day - EXCEL_EPOCH).days


def from_serial(value: float) -> date:
    from datetime import timedelta

    return EXCEL_EPOCH + timedelta(days=int(value))


def num(value: Decimal | int | float) -> str:
    """A number as the text of a ``<v>``: shortest round-trip form of its double."""
    if isinstance(value, int):
        return str(value)
    f = float(value)  # float ok: Excel stores doubles
    if f == int(f) and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def exactly_representable(value: Decimal) -> bool:
    """Whether a double read back from the cell gives ``value`` again (numerically)."""
    return Decimal(num(value)) == value


class StringTable:
    """The shared-string table: every distinct text once, referenced by index."""

    def __init__(self, preset: list[str] | None = None) -> None:
        #: Raw ``<si>`` bodies carried over from a previous file keep their indices.
        self.raw: list[str] = list(preset or [])
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, text: str) -> int:
        """The index of ``text``, counted as one more cell referring to it."""
        self.count += 1
        return self.intern(text)

    def intern(self, text: str) -> int:
        """The index of ``text``, not counted (a caller that counts its cells itself)."""
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.raw) + len(self.index)
        return i

    #: Strings a piece of the part holds: a 100,000-workload plan's table, built whole, was one
    #: ~16 MB text joined and encoded while the saving thread kept the interpreter lock (a window
    #: waited 149-160 ms for it in slow hours); a piece is a few hundred kilobytes.
    PIECE = 4096

    def xml(self) -> bytes:
        return b"".join(self.xml_pieces())

    def xml_pieces(self) -> Iterator[bytes]:
        """The part's bytes, ``PIECE`` strings at a time (``xml`` is their join)."""
        yield ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               f'count="{self.count + len(self.raw)}" uniqueCount="{len(self.raw) + len(self.index)}">').encode("utf-8")
        for start in range(0, len(self.raw), self.PIECE):
            yield "".join(f"<si>{body}</si>" for body in self.raw[start:start + self.PIECE]).encode("utf-8")
        texts = list(self.index)
        for start in range(0, len(texts), self.PIECE):
            yield "".join(f'<si><t xml:space="preserve">{xml_escape(text)}</t></si>'
                          for text in texts[start:start + self.PIECE]).encode("utf-8")
        yield b"</sst>"


class Row:
    """Builds the ``<c>`` elements of one row."""

    __slots__ = ("r", "cells", "strings")

    def __init__(self, r: int, strings: StringTable) -> None:
        self.r = r
        self.cells: list[str] = []
        self.strings = strings

    def text(self, col: int, value: str, style: int = 0) -> None:
        if value is None or value == "":
            if style:
                self.cells.append(f'<c r="{col_letter(col)}{self.r}" s="{style}"/>')
            return
        i = self.strings.add(value)
        self.cells.append(f'<c r="{col_letter(col)}{self.r}" s="{style}" t="s"><v>{i}</v></c>')

    def number(self, col: int, value, style: int = 0) -> None:
        if value is None:
            if style:
                self.cells.append(f'<c r="{col_letter(col)}{self.r}" s="{style}"/>')
            return
        self.cells.append(f'<c r="{col_letter(col)}{self.r}" s="{style}"><v>{num(value)}</v></c>')

    def day(self, col: int, value: date | None, style: int) -> None:
        self.number(col, serial(value) if value is not None else None, style)

    def boolean(self, col: int, value: bool | None, style: int = 0) -> None:
        if value is None:
            return
        self.cells.append(f'<c r="{col_letter(col)}{self.r}" s="{style}" t="b"><v>{int(bool(value))}</v></c>')

    def formula(self, col: int, formula: str, cached, style: int = 0, shared: tuple[int, str | None] | None = None) -> None:
        """A formula with its cached value (number, text, bool or None for an empty text)."""
        if shared is None:
            f = f"<f>{xml_escape(formula)}</f>"
        elif shared[1] is not None:
            f = f'<f t="shared" ref="{shared[1]}" si="{shared[0]}">{xml_escape(formula)}</f>'
        else:
            f = f'<f t="shared" si="{shared[0]}"/>'
        self.cells.append(cached_cell(f"{col_letter(col)}{self.r}", f, cached, style))

    def array_formula(self, col: int, formula: str, ref: str, cached, style: int = 0) -> None:
        """The top-left cell of an array formula over ``ref``; the other cells hold only their cached values."""
        f = f'<f t="array" ref="{ref}">{xml_escape(formula)}</f>'
        self.cells.append(cached_cell(f"{col_letter(col)}{self.r}", f, cached, style))

    def xml(self) -> str:
        return f'<row r="{self.r}">{"".join(self.cells)}</row>'


def cached_cell(at: str, f: str, cached, style: int) -> str:
    if isinstance(cached, bool):
        return f'<c r="{at}" s="{style}" t="b">{f}<v>{int(cached)}</v></c>'
    if cached is None or isinstance(cached, str):
        return f'<c r="{at}" s="{style}" t="str">{f}<v>{xml_escape(cached or "")}</v></c>'
    if isinstance(cached, date):
        cached = serial(cached)
    return f'<c r="{at}" s="{style}">{f}<v>{num(cached)}</v></c>'
