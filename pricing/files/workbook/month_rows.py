"""The two rows a month-by-month sheet starts with: its months across, then each month's index."""

from __future__ import annotations

from pricing.files.workbook.styles import Style


def month_cells(row, first_col: int, months: list, first_formula: str, span: str | None) -> None:
    """Row 1's month cells from ``first_col`` on: the first a formula (``first_formula``) shared
    over ``span``, every one with its month's date as the cached value."""
    for m, month in enumerate(months):
        row.formula(first_col + m, first_formula if m == 0 else "", month, Style.MONTH,
                    (0, span if m == 0 else None))


def month_index_row(sheet, first_col: int, count: int) -> None:
    """Row 2: "Month #" and each month's index from ``first_col`` on (the formulas look it up)."""
    row = sheet.row(2)
    row.text(1, "Month #", Style.HELPER)
    for m in range(count):
        row.number(first_col + m, m, Style.HELPER)
    sheet.write(row)
