"""A budget's own figures for each workload (its "Monthly cost" and "Cost / request" columns),
checked against what the app computes for the same row.

The first thing a finance user wants to know is where their spreadsheet and the price list
disagree: every stated figure that differs from the app's by more than a cent in the
workload's first month with traffic is a warning naming its cell, the stated and the
computed amount.  A cost per request is compared by what it comes to over that month's
requests (a difference of a hundredth of a cent a request is a difference).
"""

from __future__ import annotations

from decimal import Decimal

from pricing.importer.report import ImportReport
from pricing.plan.findings import Severity
from pricing.plan.money import CENT, format_money

LABELS = {"stated_monthly_cost": "a monthly cost", "stated_request_cost": "a cost per request"}


def compare_stated_rows(rows, plan, file: str, report: ImportReport) -> int:
    """Report each stated figure beyond a cent of the app's; returns how many differ."""
    if not any(row.stated for row in rows):
        return 0
    from pricing.costing.projection import Projection

    projection = Projection(plan)
    differ = 0
    for i, row in enumerate(rows[: len(plan.workloads)]):
        if not row.stated:
            continue
        prow = projection.rows[i]
        month = min(max(prow.start, 0), projection.horizon - 1)
        when = f"{projection.months[month]:%b %Y}"
        requests = projection.requests(i, month)
        for field, (stated, cell) in row.stated.items():
            where = dict(file=file, sheet=row.place.get("sheet"), cell=cell, workload=plan.workloads[i].name,
                         field=field)
            if not prow.priceable:
                report.find(f"the file states {LABELS[field]} of {_money(stated, field)} that cannot be checked: "
                            "the app cannot price this workload (see its other findings)", severity=Severity.WARNING,
                            **where)
                continue
            monthly = prow.costs[month]
            if field == "stated_monthly_cost":
                computed, gap = monthly, abs(monthly - stated)
            else:
                computed = monthly / requests if requests else Decimal(0)
                gap = abs(computed - stated) * requests
            if gap > CENT:
                differ += 1
                report.find(f"the file states {LABELS[field]} of {_money(stated, field)} and the app computes "
                            f"{_money(computed, field)} ({when}, {requests:,.0f} requests): they differ by "
                            f"{format_money(gap)} in that month", severity=Severity.WARNING, **where)
    if differ == 0:
        report.decide("the file's own costs per workload agree with the app's to the cent")
    return differ


def _money(value: Decimal, field: str) -> str:
    """A monthly amount to the cent; a cost per request with the digits it has (at least 4 places)."""
    if field != "stated_request_cost":
        return format_money(value)
    places = min(max(4, -value.normalize().as_tuple().exponent), 8)
    return format_money(value, places)
