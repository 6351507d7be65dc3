"""The worksheet pre-read answers as looking at every cell would: the same extent, the same
formulas without a cached value in the same order, the same verdict on a computed sheet."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pricing.files.sheet_scan as sheet_scan
from pricing.files.sheet_scan import SheetCheck, scan_sheet
from pricing.files.workbook.cells import col_letter


# --------------------------------------------------------------------------- the cell-by-cell reference
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.DOTALL)
_CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,4})([0-9]{1,8})"[^>/]*>')
_TYPE_ATTR = re.compile(rb'\bt="(\w+)"')
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,4}[0-9]{1,8})"')
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?<!/)>([^<]*)<")
_REFERENCE = re.compile(rb"[A-Za-z]\$?[0-9]|!|[A-Za-z_][A-Za-z0-9_.]*\(|^[A-Za-z_][A-Za-z0-9_.]*$")


def reference_scan(xml: bytes, chunk: int) -> tuple[int, int, list[str], bool]:
    """Rows, columns, uncached formula cells and 'computed' of a part read in chunks of
    ``chunk`` bytes, each cell looked at on its own (the pre-read as it was first written)."""
    check = SheetCheck("reference")
    min_row = 1 << 40
    max_row = max_col = 0
    carry = b""
    for start in range(0, len(xml) + chunk + 1, chunk):
        piece = xml[start:start + chunk]
        data = carry + piece
        if piece:
            cut = data.rfind(b"</row>")
            cut = cut + 6 if cut >= 0 else 0
            body, carry = data[:cut], data[cut:]
        else:
            body, carry = data, b""
        refs = [(m.group(1), int(m.group(2))) for m in _CELL_REF.finditer(body)]
        if refs and (min_row > max_row or not max_row):
            min_row = min(min_row, refs[0][1])
        if refs:
            max_row = max(max_row, refs[-1][1])
            min_row = min(min_row, refs[-1][1])
        for letters, _ in refs:
            if len(letters) > 1:
                max_col = max(max_col, sheet_scan.col_number(letters))
        max_col = max(max_col, 26 if max_row else 0)
        if b"<f" in body:
            _reference_cells(body, check, min_row)
        elif refs:
            check.typed_numbers += 1
        if not piece:
            break
    return (max_row - min_row + 1 if max_row else 0, max_col, check.uncached_formulas, check.computed)


def _reference_cells(body: bytes, check: SheetCheck, header_row: int) -> None:
    out = check.uncached_formulas
    for m in _FORMULA_CELL.finditer(body):
        inner = m.group(2)
        if inner is None:
            continue
        if b"<f" not in inner:
            kind = _TYPE_ATTR.search(m.group(1))
            if b"<v" in inner and (kind is None or kind.group(1) == b"n"):
                ref = _REF_ATTR.search(m.group(1))
                if ref is None or int(re.sub(rb"[A-Z]", b"", ref.group(1))) > header_row:
                    check.typed_numbers += 1
            continue
        text = _FORMULA_TEXT.search(inner)
        if text is not None and not _REFERENCE.search(text.group(1)):
            check.typed_numbers += 1
        else:
            check.formulas += 1
        if re.search(rb"<(?:\w+:)?v\s*>[^<]", inner) or re.search(rb"<(?:\w+:)?is\b", inner):
            continue
        ref = _REF_ATTR.search(m.group(1))
        if ref and len(out) < sheet_scan.MAX_UNCACHED:
            out.append(ref.group(1).decode())


# --------------------------------------------------------------------------- generated sheets
_CELLS = [
    '<c r="{ref}" t="n"><v>{n}</v></c>',                       # a typed number
    '<c r="{ref}"><v>{n}</v></c>',                             # a typed number, no type
    '<c r="{ref}" t="inlineStr"><is><t>text {n}</t></is></c>',  # text
    '<c r="{ref}" t="s"><v>{n}</v></c>',                       # a shared string
    '<c r="{ref}"><f>A{n}*2</f><v /></c>',                     # no cached value (openpyxl)
    '<c r="{ref}"><f>A{n}*2</f></c>',                          # no value element at all
    '<c r="{ref}"><f>A{n}*2</f><v></v></c>',                   # an empty value
    '<c r="{ref}"><f>A{n}*2</f><v>{n}</v></c>',                # a cached value
    '<c r="{ref}"><f>SUM(B1:B{n})</f><v> </v></c>',            # a cached blank
    '<c r="{ref}"><f>30*{n}</f></c>',                          # a typed constant, uncached
    '<c r="{ref}"><f>30*{n}</f><v>{n}</v></c>',                # a typed constant, cached
    '<c r="{ref}"><f t="shared" si="0"/><v>{n}</v></c>',       # a shared formula with its value
    '<c r="{ref}"><f t="shared" si="0"/></c>',                 # a shared formula without
    '<c r="{ref}" t="str"><f>Rates!B{n}</f><is><t>x</t></is></c>',  # inline string result
    '<c r="{ref}"><v>{n}</v><f>B{n}</f></c>',                  # value before formula
    '<c r="{ref}" s="1"/>',                                    # formatting only
    '<c r="{ref}"\n s="2"><f>C{n}+1</f></c>',                  # a line break among the attributes
    '<c r="{ref}"><f>budget_total</f></c>',                    # a defined name alone
]


def _xml(rows: list[list[int]], first_row: int, prefixed: bool) -> bytes:
    body = []
    for r, kinds in enumerate(rows, start=first_row):
        cells = "".join(_CELLS[k].format(ref=f"{col_letter(c + 1)}{r}", n=r + c)
                        for c, k in enumerate(kinds))
        body.append(f'<row r="{r}">{cells}</row>')
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'<sheetData>{"".join(body)}</sheetData></worksheet>')
    if prefixed:
        xml = re.sub(r"<(/?)(c|f|v|is|t|row|sheetData|worksheet)\b", r"<\1x:\2", xml)
    return xml.encode()


def _scan(tmp: Path, xml: bytes) -> SheetCheck:
    path = tmp / "sheet.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(path) as z:
        return scan_sheet(path, z, "xl/worksheets/sheet1.xml")


_SHEETS = st.tuples(
    st.lists(st.lists(st.integers(0, len(_CELLS) - 1), min_size=1, max_size=40), min_size=1, max_size=40),
    st.integers(1, 5), st.booleans(), st.sampled_from([300, 1000, 1 << 20]), st.sampled_from([7, 10_000]))


@settings(max_examples=150, deadline=None)
@given(_SHEETS)
def test_the_pre_read_answers_as_a_look_at_every_cell_would(tmp_path_factory, sheet):
    rows, first_row, prefixed, chunk, cap = sheet
    xml = _xml(rows, first_row, prefixed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sheet_scan, "CHUNK", chunk)  # rows split across reads
        patch.setattr(sheet_scan, "MAX_UNCACHED", cap)
        check = _scan(tmp_path_factory.mktemp("scan"), xml)
        assert (check.rows, check.cols, check.uncached_formulas, check.computed) == reference_scan(xml, chunk)


def test_a_sheet_of_a_million_uncached_formulas_lists_the_first_ten_thousand(tmp_path):
    xml = _xml([[0, 0, 4] + [5] * 30 for _ in range(30_000)], 1, False)
    check = _scan(tmp_path, xml)
    assert check.uncached_formulas == reference_scan(xml, sheet_scan.CHUNK)[2] and len(check.uncached_formulas) == 10_000
    assert check.uncached_formulas[:3] == ["C1", "D1", "E1"] and not check.computed


def test_columns_far_beyond_z_are_found_wherever_they_sit(tmp_path):
    xml = _xml([[0] * 30, [0] * 3], 1, False).replace(b'<c r="B2"', b'<c r="AZB2"')
    assert _scan(tmp_path, xml).cols == sheet_scan.col_number("AZB") == reference_scan(xml, sheet_scan.CHUNK)[1]
