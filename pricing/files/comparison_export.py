"""A comparison of two plan versions as rows, as CSV, or as a Comparison sheet of a workbook.

The rows are the same in both: the bridge (from the base's total through each part to the
other's), the totals by month, then one row per workload with its status, the fields that
changed and its totals.  Amounts are exact Decimal strings in the CSV and numbers in the sheet.
"""

from __future__ import annotations

import csv
from decimal import Decimal, localcontext
from pathlib import Path

from pricing.files.atomic import atomic_write
from pricing.plan.money import SUM_CONTEXT, plain
from pricing.plan.months import label
from pricing.scenarios.compare import Comparison
from pricing.yielding import IO_BUFFER, giving_way

PART_LABELS = {"removed": "Removed workloads", "volume": "Volume (requests, tokens)",
               "mix": "Mix (model, mode moves)", "price": "Price (rates, discounts)", "new": "New workloads"}
BASE_TOTAL, OTHER_TOTAL = "Base total", "Other total"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def bridge_rows(c: Comparison, month: int | None = None) -> list[tuple[str, Decimal]]:
    """The bridge as (label, amount) rows: the base version's total, each part, the other version's
    total and the change.  The ends are labelled as totals ("Other total"), not as a part: a bare
    "Other" among the parts reads as a residual category."""
    b = c.bridge if month is None else c.month_bridges[month]
    return ([(BASE_TOTAL, b.base)] + [(PART_LABELS[name], value) for name, value in b.parts()]
            + [(OTHER_TOTAL, b.other), ("Change", b.change)])


def comparison_rows(c: Comparison, month: int | None = None) -> list[list[object]]:
    """The comparison as a table: a bridge block, a by-month block and a by-workload block."""
    when = "horizon" if month is None else label(c.months[month])
    rows: list[list[object]] = [[f"Bridge ({when})", "Amount"]]
    rows += [[name, value] for name, value in bridge_rows(c, month)]
    rows += [[], ["Month", "Base", "Other", "Change"]]
    for m, when_m in enumerate(c.months):
        rows.append([when_m.isoformat()[:7], c.base_totals[m], c.other_totals[m], c.month_bridges[m].change])
    rows += [[], ["Workload", "Status", "Changed fields", "Base", "Other", "Change"]]
    for d in giving_way(c.workloads):  # a window writes it on a worker while it paints
        base = d.base_total if month is None else d.base_costs[month]
        other = d.other_total if month is None else d.other_costs[month]
        with localcontext(SUM_CONTEXT):
            rows.append([d.name, d.status, ", ".join(d.fields), base, other, other - base])
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, Decimal):
        return plain(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_comparison_csv(c: Comparison, path, month: int | None = None) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8", buffering=IO_BUFFER) as fh:
            out = csv.writer(fh)
            for row in comparison_rows(c, month):
                out.writerow([_cell_text(v) for v in row])

    atomic_write(Path(path), write)


def write_comparison_workbook(c: Comparison, path, month: int | None = None, currency: str = "USD",
                              locale: str | None = None) -> None:
    """The comparison as a workbook of one Comparison sheet: each block's heading row bold, amounts as
    numbers in the plan's money format.  Streamed row by row, as a plan workbook is (``Package``):
    100,000 workloads in a second or two, where openpyxl took seconds per 10,000."""
    import zipfile

    from pricing.files.workbook.package import Package, SheetSpec
    from pricing.files.workbook.parts import PartWriter
    from pricing.files.workbook.styles import Style

    rows = comparison_rows(c, month)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf, PartWriter(zf) as parts:
            package = Package(parts, currency=currency, locale=locale)
            spec = SheetSpec("Comparison", dimension=f"A1:F{len(rows)}", widths=[34, 16, 16, 16, 16, 16])
            with package.sheet(spec) as sheet:
                heading = True  # the first row, and each row after a blank one, heads a block
                for r, values in enumerate(rows, start=1):
                    row = sheet.row(r)
                    for col, value in enumerate(values, start=1):
                        if isinstance(value, Decimal):
                            row.number(col, value, Style.MONEY)
                        else:
                            row.text(col, str(value), Style.HEADER if heading else Style.TEXT)
                    sheet.write(row)
                    heading = not values
            package.finish()

    atomic_write(Path(path), write)
