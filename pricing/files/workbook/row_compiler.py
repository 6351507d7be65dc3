"""Rows alike written fast: each row's markup compiled once per combination of its values' types,
a row joined from the compiled pieces and its values' text (``SharedRow``); and, for rows that share
most of their values, the text of those values made once (``SharedRow.template``).
"""

from __future__ import annotations

from datetime import date

from pricing.files.workbook.cells import StringTable, col_letter, serial, xml_escape

_NONE = type(None)


class EscapedTexts(dict):
    """``escaped[text]`` is ``xml_escape(text)``, kept for the first 300,000 texts: one of these shared
    by the sheets of a save escapes each workload's name once, not once a sheet."""

    def __missing__(self, text: str) -> str:
        found = xml_escape(text)
        if len(self) < 300_000:
            self[text] = found
        return found


#: Stands for the row number in a ``SharedRow.template``: no cell's text holds it (numbers are digits,
#: and ``xml_escape`` writes a control character as ``_xHHHH_``), so ``filled`` replaces it.
_ROW = "\x01"

#: "" whatever it is given (a format string without fields ignores its arguments), called in C.
_blank = "".format


class _Serials(dict):
    """``serials[day]`` is ``serial(day)``, kept for the first 100,000 days."""

    def __missing__(self, day: date) -> int:
        found = serial(day)
        if len(self) < 100_000:
            self[day] = found
        return found


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
        #: A date's serial day, the days met before looked up in C.
        self._serial = _Serials().__getitem__
        #: The part of a plain text cell after its style: its shared string, or the end of an empty cell.
        self._text_tail = _Tails(strings).__getitem__

    def _compile(self, kinds: tuple) -> tuple[list | None, list, list]:
        """The row's pieces around its slots (None when a cell has no row number), the runs of
        value conversions ((start, stop, function) of consecutive columns converted alike) and
        each column's conversion (None for ``str`` alone)."""
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
                edit = self._serial if kind is date else None
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
        compiled = self._compiled[kinds] = (pieces, [tuple(run) for run in runs], edits)
        return compiled

    def xml(self, r: int, values: list) -> str:
        kinds = tuple(map(type, values))
        pieces, runs, _edits = self._compiled.get(kinds) or self._compile(kinds)
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

    # ------------------------------------------------------------------ rows sharing most of their values
    def template(self, values: list, own: tuple[int, ...]) -> tuple[list, list] | None:
        """The text of a row of ``values`` but for the cells at positions ``own`` (ascending): for ``filled``, the
        same text for every row whose other values are these (of the same types), and whose own
        values are of the types these are.  None where such a row cannot be made so (a plain text
        cell outside ``own``, counted in the shared strings a row at a time, or no fast path)."""
        kinds = tuple(map(type, values))
        pieces, _runs, edits = self._compiled.get(kinds) or self._compile(kinds)
        if pieces is None or any(edit is self._text_tail for k, edit in enumerate(edits) if k not in own):
            return None
        texts = ["" if k in own else str(value if edit is None else edit(value))
                 for k, (value, edit) in enumerate(zip(values, edits))]
        if any(_ROW in text for text in texts):  # a value of a kind of its own, written as it says
            return None
        row = pieces.copy()
        row[1] = _ROW
        row[3::4] = [_ROW] * len(values)
        row[5::4] = texts
        parts, start = [], 0
        for k in own:  # the text around each own value's slot, marked where the row number goes
            parts.append("".join(row[start:5 + 4 * k]))
            start = 6 + 4 * k
        parts.append("".join(row[start:]))
        return parts, [edits[k] for k in own]

    def filled(self, r: int, template: tuple[list, list], own_values: list) -> str:
        """``xml(r, values)`` of a row ``template`` was made for, from its values at the ``own`` positions."""
        parts, edits = template
        rs = str(r)
        out = [parts[0].replace(_ROW, rs)]
        for value, edit, part in zip(own_values, edits, parts[1:]):
            if edit is self._text_tail and value:
                self.strings.count += 1
            out.append(str(value if edit is None else edit(value)))
            out.append(part.replace(_ROW, rs))
        return "".join(out)

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
