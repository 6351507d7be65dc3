"""A row joined from its compiled markup (row_compiler.SharedRow) holds the same cells as one built cell by cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.files.workbook.cells import Row, StringTable, serial
from pricing.files.workbook.row_compiler import SharedRow

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=-10**20, max_value=10**20),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2200, 1, 1)),
    st.text(max_size=12),
)


def _cells(xml: str) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(f'<sheetData xmlns="{NS[1:-1]}">{xml}</sheetData>')
    return {c.get("r"): c for c in root.iter(f"{NS}c")}


def _same_number(text: str, value) -> bool:
    if isinstance(value, date):
        return Decimal(text) == serial(value)
    if isinstance(value, float):
        return float(text) == value  # float ok: the shortest repr of the same double
    return Decimal(text) == Decimal(value)  # the app's digits exactly


@settings(max_examples=200, deadline=None)
@given(st.lists(values, min_size=1, max_size=8), st.integers(min_value=2, max_value=1_048_576))
def test_a_shared_formula_row_holds_each_value_as_its_type_and_exact_digits(row_values, r):
    fast = SharedRow([(j, 5, j) for j in range(1, len(row_values) + 1)])
    cells = _cells(fast.xml(r, row_values))
    reference = Row(r, StringTable())
    for j, v in enumerate(row_values, 1):
        reference.formula(j, "", v, 5, (j, None))
    expected = _cells(reference.xml())
    assert list(cells) == list(expected)
    for (at, cell), v in zip(cells.items(), row_values):
        ref_cell = expected[at]
        assert cell.get("t") == ref_cell.get("t") and cell.get("s") == "5"
        assert cell.find(f"{NS}f").get("si") == ref_cell.find(f"{NS}f").get("si")
        text = cell.find(f"{NS}v").text or ""
        if v is None or isinstance(v, str):
            assert text == (ref_cell.find(f"{NS}v").text or "")
        elif isinstance(v, bool):
            assert text == str(int(v))
        else:
            assert _same_number(text, v)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, min_size=1, max_size=8), st.integers(min_value=2, max_value=1_048_576))
def test_a_value_row_keeps_text_in_shared_strings_and_empty_cells_styled(row_values, r):
    fast_strings, ref_strings = StringTable(), StringTable()
    fast = SharedRow([(j, 2, None) for j in range(1, len(row_values) + 1)], fast_strings)
    reference = Row(r, ref_strings)
    for j, v in enumerate(row_values, 1):
        if isinstance(v, str) or v is None:
            reference.text(j, v, 2)
        elif isinstance(v, bool):
            reference.boolean(j, v, 2)
        elif isinstance(v, date):
            reference.day(j, v, 2)
        else:
            reference.number(j, v, 2)
    cells, expected = _cells(fast.xml(r, row_values)), _cells(reference.xml())
    assert list(cells) == list(expected)
    assert fast_strings.index == ref_strings.index
    for (at, cell), v in zip(cells.items(), row_values):
        assert (cell.get("t"), cell.get("s")) == (expected[at].get("t"), expected[at].get("s"))
        text = cell.find(f"{NS}v").text if cell.find(f"{NS}v") is not None else None
        want = expected[at].find(f"{NS}v").text if expected[at].find(f"{NS}v") is not None else None
        if text is None or cell.get("t") in ("s", "b"):
            assert text == want
        else:
            assert _same_number(text, v)


columns = st.lists(st.tuples(st.integers(min_value=0, max_value=3), st.booleans()), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.data(), columns, st.integers(min_value=2, max_value=1_048_576))
def test_a_joined_row_is_the_same_text_as_one_format_call(data, styles, r):
    """The fast path (slots filled by slice assignment, one join) against the row's format template:
    the same characters, and the same shared strings added in the same order."""
    row_values = data.draw(st.lists(values, min_size=len(styles), max_size=len(styles)))
    spec = [(j, style, j if formula else None) for j, (style, formula) in enumerate(styles, 1)]
    fast_strings, ref_strings = StringTable(), StringTable()
    fast, reference = SharedRow(spec, fast_strings), SharedRow(spec, ref_strings)
    for k in range(2):  # the second row reuses what the first compiled
        assert fast.xml(r + k, row_values) == reference.formatted(r + k, row_values)
    assert fast_strings.index == ref_strings.index and fast_strings.count == ref_strings.count


@settings(max_examples=300, deadline=None)
@given(st.data(), columns, st.integers(min_value=2, max_value=1_048_576))
def test_a_row_filled_into_a_template_is_the_same_text_as_the_row_joined_whole(data, styles, r):
    """SharedRow.template/filled (rows sharing all but a few values) against SharedRow.xml of the
    whole row: the same characters and the same shared strings, in the same order."""
    n = len(styles)
    first = data.draw(st.lists(values, min_size=n, max_size=n))
    other = data.draw(st.lists(values, min_size=n, max_size=n))
    own = tuple(sorted(data.draw(st.sets(st.integers(min_value=0, max_value=n - 1)))))
    row_values = [v if k in own and type(v) is type(first[k]) else first[k] for k, v in enumerate(other)]
    spec = [(j, style, j if formula else None) for j, (style, formula) in enumerate(styles, 1)]
    fast_strings, ref_strings = StringTable(), StringTable()
    fast, reference = SharedRow(spec, fast_strings), SharedRow(spec, ref_strings)
    template = fast.template(first, own)
    if template is None:  # a plain text cell shared by the rows, or an empty unstyled one: no template
        assert any(style and not formula and type(first[k]) is str and k not in own
                   for k, (style, formula) in enumerate(styles)) or any(
            not style and not formula and (first[k] is None or type(first[k]) is str) for k, (style, formula) in enumerate(styles))
        return
    assert fast.filled(r, template, [row_values[k] for k in own]) == reference.xml(r, row_values)
    assert fast_strings.index == ref_strings.index and fast_strings.count == ref_strings.count


def test_the_shared_strings_part_written_in_pieces_is_the_part_written_whole(monkeypatch):
    from pricing.files.workbook.cells import StringTable, xml_escape

    table = StringTable(preset=["<t>carried</t>", '<r><t xml:space="preserve">rich</t></r>'])
    texts = [f"workload {i} & <co> \"q\" \r\n" if i % 7 == 0 else f"w{i}" for i in range(50)]
    for text in texts:
        table.add(text)
    table.add(texts[3])
    whole = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="53" uniqueCount="52">'
             + "".join(f"<si>{body}</si>" for body in table.raw)
             + "".join(f'<si><t xml:space="preserve">{xml_escape(t)}</t></si>' for t in texts) + "</sst>").encode()
    monkeypatch.setattr(StringTable, "PIECE", 8)
    pieces = list(table.xml_pieces())
    assert len(pieces) == 1 + 1 + 7 + 1  # head, the carried ones, 50 texts by 8, tail
    assert b"".join(pieces) == table.xml() == whole
