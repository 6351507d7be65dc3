"""A workbook ready to hand on: printed by LibreOffice, every sheet fits the page width with its
header rows repeated, the Summary is one page, and the charts are drawn with their bars."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from pricing.costing.catalog import sample_plan_path
from pricing.files.planfile import open_plan
from pricing.files.workbook import save_plan
from pricing.files.workbook.charts import PALETTE
from workbook_helpers import recalculate


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    plan, _ = open_plan(sample_plan_path())
    path = tmp_path_factory.mktemp("print") / "sample.xlsx"
    save_plan(plan, path)
    return path


@pytest.fixture(scope="module")
def printed(exported) -> Path:
    return recalculate(exported, exported.parent / "pdf", to="pdf")


def _sheet_of_each_page(pdf: Path) -> list[str]:
    # Every page's header names its sheet (&A), so the first line of a page's text is the sheet.
    return [page.extract_text().split("\n", 1)[0].strip() for page in PdfReader(pdf).pages]


def _visible_sheets(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
    return [m.group(1) for m in re.finditer(r'<sheet name="([^"]+)"(?![^>]*hidden)', workbook)]


@pytest.mark.libreoffice
def test_the_summary_prints_on_one_page(printed):
    assert _sheet_of_each_page(printed).count("Summary") == 1


@pytest.mark.libreoffice
def test_every_sheet_of_the_sample_prints_and_none_spills_over_many_pages(exported, printed):
    pages = _sheet_of_each_page(printed)
    assert set(pages) == set(_visible_sheets(exported))
    assert len(pages) < 2 * len(set(pages))  # it was 59 pages of clipped columns


@pytest.mark.libreoffice
def test_the_summary_charts_are_drawn_with_filled_bars_in_libreoffice(printed, qapp):
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    document.load(str(printed))
    page = _sheet_of_each_page(printed).index("Summary")
    image = document.render(page, QSize(1600, 1131))
    wanted = [tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4)) for colour in PALETTE[:3]]
    found = {c: 0 for c in wanted}
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            rgb = (pixel.red(), pixel.green(), pixel.blue())
            for c in wanted:
                if all(abs(a - b) < 16 for a, b in zip(rgb, c)):
                    found[c] += 1
    assert all(n > 200 for n in found.values()), found  # each of the first three series has bars


def test_every_sheet_has_a_print_setup_with_repeated_headers_and_a_print_area(exported):
    with zipfile.ZipFile(exported) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        sheets = re.findall(r'<sheet name="([^"]+)" sheetId="\d+"( state="hidden")? r:id="(rId\d+)"', workbook)
        for i, (name, hidden, rid) in enumerate(sheets):
            if hidden:
                continue
            target = re.search(rf'Id="{rid}" [^>]*Target="([^"]+)"', rels).group(1)
            xml = z.read("xl/" + target).decode()
            assert '<pageSetUpPr fitToPage="1"/>' in xml, name
            setup = re.search(r"<pageSetup [^>]*/>", xml).group(0)
            assert 'orientation="landscape"' in setup and 'fitToWidth="1"' in setup, name
            assert ('fitToHeight="1"' in setup) == (name == "Summary"), name
            assert f'name="_xlnm.Print_Area" localSheetId="{i}"' in workbook, name
            assert f'name="_xlnm.Print_Titles" localSheetId="{i}"' in workbook, name


def test_column_widths_fit_their_headers(exported):
    from openpyxl import load_workbook

    book = load_workbook(exported)
    checked = 0
    for sheet in book.worksheets:
        if sheet.sheet_state == "hidden":
            continue
        for cell in (c for row in sheet.iter_rows(max_row=3) for c in row):
            # header cells: bold at the body's size (a sheet's title is larger and spans its row)
            if isinstance(cell.value, str) and cell.font.b and (cell.font.sz or 11) <= 11:
                width = sheet.column_dimensions[cell.column_letter].width
                assert width >= len(cell.value) * 1.1, (sheet.title, cell.value, width)
                checked += 1
    assert checked > 50
