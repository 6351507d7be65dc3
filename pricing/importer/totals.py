"""The monthly total a budget states, beside the one the import computes.

A budget that says what it costs a month ("Total monthly cost | 1,900.80", or a "Total"
row under a "Monthly cost" column) is checked against the imported plan's first month:
the report gives both, side by side, and a warning when they differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pricing.importer.prose import labels
from pricing.importer.report import ImportReport
from pricing.importer.sources import SourceData
from pricing.importer.units import cell_text, is_blank, to_number
from pricing.plan.findings import Severity

#: Totals within this share of each other (or a cent) agree.
TOLERANCE = Decimal("0.005")
_NOT_MONEY = re.compile(r"(?i)tokens?|requests?|calls|queries|users|savings?|hours|gpus?|days")
_STATED = [
    re.compile(r"(?i)^\W*(?:grand\s+|estimated\s+|projected\s+|expected\s+)?total\b.*\b(?:monthly|month|/\s*mo)\b"),
    re.compile(r"(?i)^\W*(?:estimated\s+|projected\s+|expected\s+|total\s+)?monthly\s+(?:total|cost|spend|budget|bill)"
               r"(?:\s*\((?:usd|\$|eur|€)\))?\W*$"),
    re.compile(r"(?i)^\W*total\s+(?:cost|spend)\s*(?:\(?(?:usd|\$)\)?)?\s*\(?(?:per\s+month|/\s*month|a month)\)?\W*$"),
]
_TOTAL_WORD = re.compile(r"(?i)total|monthly")
_TOTAL_ROW = re.compile(r"(?i)^\W*(?:grand\s+)?total\W*$")
_MONTHLY_COST_HEADER = re.compile(r"(?i)(?=.*(?:cost|spend|\$|usd|budget))(?=.*(?:month|/\s*mo\b))")


@dataclass
class StatedTotal:
    sheet: str
    cell: str
    label: str
    value: Decimal


def stated_totals(source: SourceData) -> list[StatedTotal]:
    """Every monthly total the file states, with its cell."""
    found = []
    for sheet in source.sheets:
        for r, first in labels(sheet):
            if len(first) > 80 or not _TOTAL_WORD.search(first):
                continue
            row = sheet.rows[r]
            filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
            label = cell_text(first).strip("* ")
            numbers = [(c, v) for c, v in filled[1:] if _money(v) is not None]
            if any(p.match(label) for p in _STATED) and not _NOT_MONEY.search(label) and numbers:
                c, v = numbers[0]
                found.append(StatedTotal(sheet.name, sheet.ref(r, c), label, _money(v)))  # type: ignore[arg-type]
                continue
            if _TOTAL_ROW.match(label):
                for c, v in numbers:
                    header = next((cell_text(sheet.rows[h][c]) for h in range(r - 1, -1, -1)
                                   if c < len(sheet.rows[h]) and isinstance(sheet.rows[h][c], str)
                                   and _money(sheet.rows[h][c]) is None and sheet.rows[h][c].strip()), "")
                    if _MONTHLY_COST_HEADER.search(header) and not _NOT_MONEY.search(header):
                        found.append(StatedTotal(sheet.name, sheet.ref(r, c), f"{label} {header}",
                                                 _money(v)))  # type: ignore[arg-type]
                        break
    return found


def _money(value: object) -> Decimal | None:
    if isinstance(value, bool) or is_blank(value):
        return None
    text = value.strip().strip("*").strip() if isinstance(value, str) else value
    try:
        return to_number(text)
    except ValueError:
        return None


def compare_totals(stated: list[StatedTotal], plan, file: str, report: ImportReport) -> None:
    """Put each stated total beside the plan's first month in the report."""
    if not stated:
        return
    from pricing.costing.projection import Projection

    if not (plan.workloads or plan.endpoints or plan.clusters):
        for s in stated:
            report.totals.append(dict(sheet=s.sheet, cell=s.cell, label=s.label, stated=str(s.value), computed="",
                                      text=f"stated {_show(s.value)} ({s.label!r}, sheet {s.sheet!r} cell {s.cell}) · "
                                           "computed: nothing, the import made no workloads"))
        return
    projection = Projection(plan)
    computed = projection.month_totals[0]
    month = plan.assumptions.first_month
    for s in stated:
        gap = computed - s.value
        agree = abs(gap) <= max(Decimal("0.01"), abs(s.value) * TOLERANCE)
        verdict = "they agree" if agree else f"they differ by {_show(gap)} ({_share(gap, s.value)})"
        text = (f"stated {_show(s.value)} ({s.label!r}, sheet {s.sheet!r} cell {s.cell}) · computed {_show(computed)} "
                f"({month:%Y-%m}, the plan's first month): {verdict}")
        report.totals.append(dict(sheet=s.sheet, cell=s.cell, label=s.label, stated=str(s.value),
                                  computed=str(computed.quantize(Decimal("0.01"))), text=text))
        if not agree:
            report.find(f"the file states a monthly total of {_show(s.value)} and the import computes "
                        f"{_show(computed)}: check the settings and rows the report lists as skipped or assumed",
                        severity=Severity.WARNING, file=file, sheet=s.sheet, cell=s.cell)


def _show(value: Decimal) -> str:
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value).quantize(Decimal('0.01')):,}"


def _share(gap: Decimal, base: Decimal) -> str:
    if not base:
        return "of a stated 0"
    return f"{(gap / base * 100).quantize(Decimal('0.1')):+}%"
