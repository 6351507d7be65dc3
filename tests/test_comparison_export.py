"""A comparison written as a workbook: every amount the comparison holds, to the cent, in the plan's
money format, and a file LibreOffice opens."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.test_compare import base_plan
from tests.workbook_helpers import recalculate, sheet_values
from pricing.files.comparison_export import comparison_rows, write_comparison_workbook
from pricing.scenarios import compare_plans


@pytest.fixture
def comparison():
    base = base_plan()
    other = base.model_copy(update={"workloads": (
        base.workloads[0].model_copy(update={"requests_per_month": base.workloads[0].requests_per_month * 3}),
        base.workloads[1])})
    return compare_plans(base, other)


def test_the_comparison_workbook_holds_every_row_and_amount_of_the_comparison(comparison, tmp_path):
    path = tmp_path / "c.xlsx"
    write_comparison_workbook(comparison, path)
    want = comparison_rows(comparison)
    got = sheet_values(path, "Comparison")
    assert len(got) == len(want)
    for r, (row, values) in enumerate(zip(got, want), start=1):
        for c, value in enumerate(values):
            if isinstance(value, Decimal):
                assert Decimal(repr(row[c])) == value, (r, c)
            else:
                assert row[c] == value, (r, c)


def test_the_comparison_workbook_bolds_each_block_heading_and_formats_amounts_in_the_plan_currency(comparison,
                                                                                                tmp_path):
    path = tmp_path / "c.xlsx"
    write_comparison_workbook(comparison, path, currency="EUR", locale="de_DE")
    sheet = load_workbook(path)["Comparison"]
    headings = [cell.row for cell in sheet["A"] if cell.font.b]
    assert [sheet.cell(r, 1).value for r in headings] == ["Bridge (horizon)", "Month", "Workload"]
    assert "€" in sheet["B2"].number_format and sheet["B2"].value == comparison.base_total


def test_libreoffice_opens_the_comparison_workbook_with_the_same_amounts(comparison, tmp_path):
    path = tmp_path / "c.xlsx"
    write_comparison_workbook(comparison, path)
    saved = recalculate(path, tmp_path / "lo")
    got = sheet_values(saved, "Comparison")
    assert Decimal(repr(got[1][1])) == comparison.base_total
    assert Decimal(repr(got[8][1])) == comparison.change
    assert got[-1][0] == comparison.workloads[-1].name
