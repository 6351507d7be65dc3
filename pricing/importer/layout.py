"""A file's layout signature: a digest of its sheet names and header texts (and the years
written above month names), under which an import mapping is remembered."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from pricing.importer.headers import field_for, find_header_rows, month_name_of_header, normalize
from pricing.importer.sources import SheetData, SourceData
from pricing.importer.units import cell_text
from pricing.plan.months import find_year


def year_cell(value: object) -> tuple[int, str] | None:
    """The year a cell above month columns gives: 2026, '2026', 'FY26', 'FY2026 / 2026'."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (int(value), "") if value == int(value) and 1900 <= value <= 2199 else None
    if isinstance(value, str) and len(value.strip()) <= 40:
        return find_year(value)
    return None


def _years_above(sheet: SheetData, row: int) -> list[str]:
    """For a header with month names but no years ('Jan | Feb'): the years written above it,
    so a mapping remembered for the 2026 file (its months stored as 2026-01...) is not replayed
    on next year's file of the same layout.  Nothing for any other header."""
    names = [month_name_of_header(v) for v in sheet.rows[row]]
    if len({n[0] for n in names if n is not None}) < 2:
        return []
    years = set()
    for r in range(max(0, row - 10), row):
        for value in sheet.rows[r]:
            found = year_cell(value) if r >= row - 3 else (
                find_year(value) if isinstance(value, str) and len(value) <= 200 else None)
            if found is not None:
                years.add(found[0])
    return ["years " + ",".join(str(y) for y in sorted(years))]



def layout_signature(source: SourceData) -> str:
    """A digest of sheet names and header texts: files of one layout share it."""
    parts = []
    for sheet in source.sheets:
        parts.append("#" + sheet.name.lower() if source.kind != "text" else "#")
        headers = find_header_rows(sheet.rows, sheet.name)
        rows = [h.row for h in headers]
        if not rows:
            rows = [i for i, r in enumerate(sheet.rows[:30])
                    if sum(1 for v in r if isinstance(v, str) and v.strip() and field_for(v)[0]) >= 2][:1]
        for row in rows:
            parts.append("|".join(normalize(cell_text(v)) for v in sheet.rows[row]))
            parts.extend(_years_above(sheet, row))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def layout_signature_of(path: Path) -> str:
    from pricing.importer.sources import read_source

    return layout_signature(read_source(path))
