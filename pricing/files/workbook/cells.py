"""Cells as SpreadsheetML text: references, escaping, strings, numbers and formulas.

The writer streams ``<c>`` elements straight into the zip entry of each sheet; this module
turns Python values into that text.  User text always goes through the shared-string table
(``t="s"``), so a name such as ``=HYPERLINK(...)`` or ``@SUM(1)`` can never become a formula.
"""

from __future__ import annotations

import re
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

    def xml(self) -> bytes:
        parts = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self.count + len(self.raw)}" uniqueCount="{len(self.raw) + len(self.index)}">'
        ]
        parts.extend(f"<si>{body}</si>" for body in self.raw)
        parts.extend(f'<si><t xml:space="preserve">{xml_escape(text)}</t></si>' for text in self.index)
        parts.append("</sst>")
        return "".join(parts).encode("utf-8")


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


_NONE = type(None)


class EscapedTexts(dict):
    """``escaped[text]`` is ``xml_escape(text)``, kept for the first 300,000 texts: one of these shared
    by the sheets of a save escapes each workload's name once, not once a sheet."""

    def __missing__(self, text: str) -> str:
        found = xml_escape(text)
        if len(self) < 300_000:
            self[text] = found
        return found


#: "" whatever it is given (a format string without fields ignores its arguments), called in C.
_blank = "".format


class _Tails(dict):
    """``tails[text]``: the end of a plain text cell after its style, its shared string's index or,
    for no text, the end of an empty cell; kept for the first 100,000 texts.  The strings are
    interned, not counted: a row counts its text cells at once."""

    def __init__(self, strings: StringTable | None) -> None:
        super().__init__({"": "/>"})
        self.strings = strings

    def __missing__(self, text: str) -> str:
        found = f' t="s"><v>{self.strings.intern(text)}</v></c>'
        if len(self) < 100_000:
            self[text] = found
        return found


class SharedRow:
    """Fast path for the many rows alike: cells that refer to a shared formula of the first row
    (``si``) or plain values (``si`` None), each row joined from its compiled markup and its values' text.

    The markup of a row is compiled once per combination of its values' types; a value's text
    is its own: a float's shortest repr, a Decimal's digits (the app's figure, exactly), an
    int, TRUE/FALSE, a date's serial day.  Text of a formula is its cached value (``t="str"``);
    text of a plain cell goes through the shared-string table, so it is never read as a formula.

    A row is its markup's pieces with the row number and each value's ``str`` put in their slots
    by two slice assignments, then one join: all in C, where one ``str.format`` call over the whole
    row parsed its template again every row (about half the time of a Projection row).  A row whose
    markup has a cell without the row number in it (an empty cell without a style) is written by
    that format call (``formatted``), which is also the reference the fast path is tested against.
    """

    def __init__(self, columns: list[tuple[int, int, int | None]], strings: StringTable | None = None,
                 escaped: EscapedTexts | None = None) -> None:
        """``columns``: (column index, style, shared-formula si or None for a value) per cell;
        ``escaped``: the escaped texts to share with other rows (else this row's own)."""
        self.columns = [(col_letter(c), s, si) for c, s, si in columns]
        self.strings = strings
        self._templates: dict[tuple, tuple[str, list]] = {}
        self._compiled: dict[tuple, tuple[list | None, list]] = {}
        #: xml_escape of a formula's cached text, the texts met before looked up in C (no Python call).
        self._escape = (EscapedTexts() if escaped is None else escaped).__getitem__
        #: The part of a plain text cell after its style: its shared string, or the end of an empty cell.
        self._text_tail = _Tails(strings).__getitem__

    def _compile(self, kinds: tuple) -> tuple[list | None, list]:
        """The row's pieces around its slots (None when a cell has no row number) and the runs of
        value conversions ((start, stop, function) of consecutive columns converted alike)."""
        pieces, tail, edits = ['<row r="'], '">', []
        if len(kinds) != len(self.columns):
            pieces = None
        for (letter, style, si), kind in zip(self.columns, kinds):
            f = "" if si is None else f'<f t="shared" si="{si}"/>'
            end, edit = "</v></c>", None
            if kind is bool:
                mid, edit = f' t="b">{f}<v>', int
            elif kind is not str and kind is not _NONE:  # a number, or a date as its serial day
                mid = f">{f}<v>"
                edit = serial if kind is date else None
            elif si is not None:  # a formula's text is its cached value
                mid, edit = f' t="str">{f}<v>', (self._escape if kind is str else _blank)
            elif kind is str and style:  # a value's text goes through the shared strings
                mid, end, edit = "", "", self._text_tail
            elif style:
                mid, end, edit = "/>", "", _blank
            else:
                pieces = None  # nothing at all, not even the row number
                break
            if pieces is not None:
                pieces += [f'{tail}<c r="{letter}', None, f'" s="{style}"{mid}', None]
            tail = end
            edits.append(edit)
        runs = []
        for i, edit in enumerate(edits):
            if edit is None:
                continue
            if runs and runs[-1][2] is edit and runs[-1][1] == i:
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1, edit])
        if pieces is not None:
            pieces[1:1] = [None]  # the row's own number
            pieces.append(f"{tail}</row>")
        compiled = self._compiled[kinds] = (pieces, [tuple(run) for run in runs])
        return compiled

    def xml(self, r: int, values: list) -> str:
        kinds = tuple(map(type, values))
        pieces, runs = self._compiled.get(kinds) or self._compile(kinds)
        if pieces is None:
            return self.formatted(r, values)
        rs = str(r)
        if runs:
            values = list(values)
            tails = self._text_tail
            for start, stop, fn in runs:
                texts = values[start:stop]
                if fn is tails:  # the shared strings count every cell with a text
                    self.strings.count += len(texts) - texts.count("")
                values[start:stop] = map(fn, texts)
        row = pieces.copy()
        row[1] = rs
        row[3::4] = [rs] * len(values)
        row[5::4] = map(str, values)
        return "".join(row)

    # ------------------------------------------------------------------ the reference: one format call
    def _template(self, kinds: tuple) -> tuple[str, list]:
        parts = ['<row r="{0}">']
        edits = []  # (position, function of the value, whether it takes the row number too)
        for i, ((letter, style, si), kind) in enumerate(zip(self.columns, kinds), 1):
            at = f'<c r="{letter}{{0}}" s="{style}"'
            f = "" if si is None else f'<f t="shared" si="{si}"/>'
            if kind is bool:
                cell = f'{at} t="b">{f}<v>{{{i}:d}}</v></c>'
            elif kind is not str and kind is not _NONE:  # a number, or a date as its serial day
                cell = f"{at}>{f}<v>{{{i}{'!r' if kind is float else '!s'}}}</v></c>"
                if kind is date:
                    edits.append((i, serial, False))
            elif si is not None:  # a formula's text is its cached value
                cell = f'{at} t="str">{f}<v>{{{i}!s}}</v></c>' if kind is str else f'{at} t="str">{f}<v></v></c>'
                if kind is str:
                    edits.append((i, self._escape, False))
            elif kind is str:  # a value's text goes through the shared strings
                cell = f"{{{i}!s}}"
                edits.append((i, self._text_cell(letter, style), True))
            else:
                cell = f"{at}/>" if style else ""
            parts.append(cell)
        parts.append("</row>")
        compiled = self._templates[kinds] = ("".join(parts), edits)
        return compiled

    def _text_cell(self, letter: str, style: int):
        strings = self.strings
        empty = f'<c r="{letter}{{}}" s="{style}"/>' if style else ""
        head = f'<c r="{letter}'

        def cell(text: str, r: str) -> str:
            if not text:
                return empty.format(r)
            return f'{head}{r}" s="{style}" t="s"><v>{strings.add(text)}</v></c>'

        return cell

    def formatted(self, r: int, values: list) -> str:
        """``xml(r, values)`` by one ``str.format`` call over the row's template."""
        kinds = tuple(map(type, values))
        template, edits = self._templates.get(kinds) or self._template(kinds)
        rs = str(r)
        if edits:
            values = list(values)
            for i, fn, with_row in edits:
                values[i - 1] = fn(values[i - 1], rs) if with_row else fn(values[i - 1])
        return template.format(rs, *values)
