"""Requests by month across the columns of a workloads table: which columns are read, each
row's series, and what the report says about how one constant growth fits it."""

from __future__ import annotations

from decimal import Decimal

from pricing.importer.guesses import TableGuess
from pricing.importer.headers import REQUESTS_IN_MONTH
from pricing.importer.report import ImportReport
from pricing.importer.series import GROWTH_PLACES, TOLERANCE, MonthValue, SeriesFit
from pricing.importer.units import cell_text, is_blank
from pricing.plan.findings import Severity
from pricing.plan.months import label


def month_span(columns) -> str:
    months = sorted(c.month for c in columns)
    return f"{label(months[0])} – {label(months[-1])}"


def month_columns_used(table: TableGuess, by_month, mapped, fields: set[str], report: ImportReport):
    """The month columns and other columns read: a requests column of the table's own wins over
    month columns; month columns set start and growth, so those columns are not read."""
    span = f"{by_month[0].letter}:{by_month[-1].letter} ({month_span(by_month)})"
    own = [c for c in table.columns if c.field in ("requests_per_month", "requests_per_day")]
    if own:
        report.decide(f"sheet {table.sheet!r}: month columns {span} are not read as requests: the table has a "
                      f"requests column of its own (column {own[0].letter}, {own[0].header!r})")
        return [], mapped
    replaced = [c for c in table.columns if c.field in ("start_month", "monthly_growth")]
    if replaced:
        report.decide(f"sheet {table.sheet!r}: the month columns {span} give each workload its start month and "
                      "growth, so column(s) " + ", ".join(f"{c.letter} ({c.header!r})" for c in replaced)
                      + " are not read")
        mapped = [m for m in mapped if m[1] not in ("start_month", "monthly_growth")]
    return by_month, mapped


def read_months(months, cells: list[object], row_no: int, table: TableGuess, file: str, report: ImportReport,
                 uncached: set[str]) -> list[MonthValue]:
    """The requests of each month of one row; unreadable and negative cells are reported and left out."""
    series = []
    width = len(cells)
    for i, month, convert, letter in months:
        ref = f"{letter}{row_no}"
        if uncached and ref in uncached:
            report.find("the formula has no cached value (the file was saved without calculating); "
                        "recalculate and save it in Excel or LibreOffice",
                        file=file, sheet=table.sheet, cell=ref, field=REQUESTS_IN_MONTH)
            continue
        raw = cells[i] if i < width else None
        if is_blank(raw):
            series.append(MonthValue(month, None, ref))
            continue
        try:
            value = convert(raw)
        except ValueError as exc:
            report.find(f"cannot read {cell_text(raw)!r}: {exc}; the month is left out",
                        file=file, sheet=table.sheet, cell=ref, field=REQUESTS_IN_MONTH)
            continue
        if value < 0:
            report.find(f"requests in {label(month)} cannot be negative ({_show(value)}); the month is left out",
                        file=file, sheet=table.sheet, cell=ref, field=REQUESTS_IN_MONTH)
            continue
        series.append(MonthValue(month, value, ref))
    return series


def _show(value: Decimal) -> str:
    """A count as a person reads it: whole above 100 ('147,973'), else to two places."""
    return format(value, ",.0f" if abs(value) >= 100 or value == value.to_integral_value() else ",.2f")


def _percent(fraction: Decimal) -> str:
    return format((fraction * 100).normalize(), "f") + "%"


def _cells(points: list[MonthValue]) -> str:
    cells = [p.cell for p in points]
    return ", ".join(cells[:6]) + (f" and {len(cells) - 6} more" if len(cells) > 6 else "")


def report_fit(fit: SeriesFit, series: list[MonthValue], name: str, place: dict, report: ImportReport) -> None:
    where = dict(file=place["file"], sheet=place["sheet"], workload=name, field=REQUESTS_IN_MONTH)
    if fit.first is None or fit.last is None:
        if any(p.value is not None for p in series):
            report.find("every month column is 0: the workload has no requests",
                        severity=Severity.WARNING, cell=series[0].cell if series else place.get("cell"), **where)
        else:
            report.find("no requests in any month column; 0 is used", cell=place.get("cell"), **where)
        return
    growth = (f"grows {_percent(fit.growth)} a month to {_show(fit.last.value)} in {label(fit.last.month)}"  # type: ignore[arg-type]
              if fit.growth else "stays flat")
    if fit.worst is not None:
        miss = fit.worst
        report.find(f"the requests by month do not follow one constant growth: in {label(miss.at.month)} the file has "
                    f"{_show(miss.at.value)} and the plan will use {_show(miss.planned)} "  # type: ignore[arg-type]
                    f"({format(miss.deviation * 100, '+.1f')}%), the month it misses most; the plan starts at "
                    f"{_show(fit.requests)} in {label(fit.first.month)} and {growth}",
                    severity=Severity.WARNING, cell=miss.at.cell, **where)
    if fit.gaps:
        after = [p for p in fit.gaps if p.month > fit.last.month]
        if after and len(after) == len(fit.gaps):
            what = f"the file stops it after {label(fit.last.month)} (no requests from {label(after[0].month)})"
        else:
            what = "the file has months without requests after it starts (" +                    ", ".join(label(p.month) for p in fit.gaps[:4]) + (" …" if len(fit.gaps) > 4 else "") + ")"
        report.find(f"{what}, in cells {_cells(fit.gaps)}; the plan keeps it running every month from "
                    f"{label(fit.first.month)}", severity=Severity.WARNING, cell=fit.gaps[0].cell, **where)


def fit_summary(table: TableGuess, by_month, fits: list[SeriesFit]) -> str:
    places = str(-GROWTH_PLACES.as_tuple().exponent)  # type: ignore[operator]
    text = (f"sheet {table.sheet!r}: requests by month in columns {by_month[0].letter}:{by_month[-1].letter} "
            f"({month_span(by_month)}): each workload starts in its first month with requests (> 0), at that "
            "month's requests as written, and grows at the one constant monthly rate that takes them to its last "
            "month with requests, (last ÷ first)^(1 / months between) − 1, rounded to "
            f"{places} decimal places")
    running = [f for f in fits if f.first is not None]
    close = sum(1 for f in running if f.reproduced)
    text += (f"; {close:,} of {len(running):,} workload(s) match the file within {_percent(TOLERANCE)} "
             "in every month with requests")
    missed = len(running) - close
    if missed:
        text += f", {missed:,} {'does' if missed == 1 else 'do'} not (a warning each names the month the plan misses most)"
    gaps = sum(1 for f in running if f.gaps)
    if gaps:
        text += f"; {gaps:,} have months without requests after they start, which the plan fills (a warning each)"
    idle = len(fits) - len(running)
    if idle:
        text += f"; {idle:,} have no requests in any month"
    return text
