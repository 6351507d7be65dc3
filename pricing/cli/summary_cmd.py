"""tokenbudget summary PLAN: per-workload costs, the projection total and the findings."""

from __future__ import annotations

import sys
from decimal import localcontext

from pricing.cli.common import UsageError, leave_for_exit, load_plan_arg, money_str, print_json
from pricing.gc_pause import gc_paused
from pricing.plan.money import SUM_CONTEXT, ZERO, exact_sum, format_money, money_writer
from pricing.plan.months import label
from pricing.costing.projection import BREAKDOWNS, Projection
from pricing.terms import build_ledger


def arguments(p) -> None:
    p.description = ("Per-workload cost per request and monthly cost, totals, a breakdown and the "
                     "findings of a plan workbook (.xlsx) or plan JSON.")
    p.add_argument("plan", nargs="?", help="plan workbook or JSON (default: the bundled sample plan)")
    p.add_argument("--months", type=int, help="projection horizon in months, 1-36 (default: the plan's)")
    p.add_argument("--by", choices=BREAKDOWNS, default="tenant", help="breakdown (default tenant)")
    p.add_argument("--scenario", help="price this scenario of the plan instead of the base")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as decimal strings")
    p.set_defaults(func=run)


def run(args) -> int:
    # The plan, its projection and the rows of text are hundreds of thousands of objects in no
    # reference cycle: with the collector running, its passes over them took a fifth of the
    # command's time on a 100,000-workload plan.
    with gc_paused(settle=True):
        return _summary(args)


def _summary(args) -> int:
    plan, file_findings = load_plan_arg(args.plan)
    if args.months is not None and not 1 <= args.months <= 36:
        raise UsageError("--months must be between 1 and 36")
    if args.scenario:
        from pricing.costing.catalog import load_catalog
        from pricing.scenarios import UnknownScenario, apply_scenario

        try:
            applied = apply_scenario(plan, args.scenario, load_catalog())
        except UnknownScenario as exc:
            raise UsageError(str(exc)) from None
        plan, file_findings = applied.plan, list(file_findings) + applied.findings
    projection = Projection(plan, args.months)
    leave_for_exit(projection)
    findings = list(file_findings) + projection.findings
    currency, loc = plan.assumptions.currency, plan.assumptions.locale
    ledger = build_ledger(plan, projection)
    findings += ledger.findings

    def money(value) -> str:
        return format_money(value, 2, currency, loc)
    if args.json:
        rows = []
        for i, row in enumerate(projection.rows):
            rc = projection.request_cost(i, projection.first_month(i))
            rows.append({
                "name": row.workload.name,
                "model": row.rate.id if row.rate else row.workload.model,
                "mode": row.workload.mode.value,
                "tenant": row.workload.tenant, "feature": row.workload.feature,
                "environment": row.workload.environment,
                "cost_per_request": money_str(rc.total, 4) if rc else None,
                "first_month_cost": money_str(row.costs[0]),
                "monthly_cost": [money_str(c) for c in row.costs],
                "total": money_str(projection.row_total(i)),
            })
        groups = projection.breakdown(args.by)
        print_json({
            "plan": plan.name,
            "scenario": args.scenario or "Base",
            "currency": currency,
            "months": [m.isoformat() for m in projection.months],
            "workloads": rows,
            "month_totals": [money_str(t) for t in projection.month_totals],
            "total": money_str(projection.total),
            # Fiscal years as the Summary tab and the workbook's Summary sheet total them.
            "fiscal_years": [{"fiscal_year": year.name, "label": year.label,
                              "first_month": projection.months[year.first].isoformat(), "month_count": year.count,
                              "total": money_str(total)} for year, total in projection.fiscal_year_totals()],
            # FOCUS BilledCost and EffectiveCost per month, with commitments, credits and reservations.
            "billed_cost": [money_str(t) for t in ledger.billed],
            "effective_cost": [money_str(t) for t in ledger.effective],
            "contract_lines": [{"label": line.label, "charge_category": line.category,
                                "billed_cost": [money_str(v) for v in line.billed],
                                "effective_cost": [money_str(v) for v in line.effective]} for line in ledger.lines],
            "breakdown": {"by": args.by, "groups": {k: money_str(exact_sum(v)) for k, v in sorted(groups.items())},
                          "fiscal_years": {k: {year.label: money_str(total) for year, total in projection.fiscal_year_totals(v)}
                                           for k, v in sorted(groups.items())}},
            "findings": [f.as_dict() for f in findings],
        })
        return 0
    months = projection.months
    scenario = f", scenario {args.scenario}" if args.scenario else ""
    lines = [f"{plan.name}{scenario} — {len(months)} months from {label(months[0])} to {label(months[-1])} ({currency})",
             f"{'workload':<34} {'model':<38} {'mode':<11} {'per request':>12} {'first month':>14} {'total':>16}"]
    money, per_request = money_writer(2, currency, loc), money_writer(4, currency, loc, max_places=8)
    row_totals = []
    with localcontext(SUM_CONTEXT):  # each row's total, exact (as Projection.row_total sums it)
        for i, row in enumerate(projection.rows):
            rc = projection.request_cost(i, projection.first_month(i))
            per = per_request(rc.total) if rc else "-"
            w = row.workload
            model = (row.rate.id if row.rate else w.model)[:38]
            total = sum(row.costs, ZERO)
            row_totals.append(total)
            lines.append(f"{w.name[:34]:<34} {model:<38} {w.mode.label:<11} {per:>12} "
                         f"{money(row.costs[0]):>14} {money(total):>16}")
    lines.append(f"\nby {args.by}:")
    # Only each group's total is printed: summed from the rows' totals, not month by month.
    groups = projection.breakdown_totals(args.by, row_totals)
    for key, value in sorted(groups.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {key:<40} {money(value):>18}")
    lines.append(f"\nfirst month {money(projection.month_totals[0])}   first 12 months "
                 f"{money(projection.total_for(0, 12))}   whole horizon {money(projection.total)}")
    lines.append("fiscal years: " + "   ".join(f"{year.label} {money(total)}"
                                                for year, total in projection.fiscal_year_totals()))
    if not ledger.empty:
        billed, effective = ledger.billed, ledger.effective
        lines.append(f"with commitments, credits and reservations — billed cost (FOCUS BilledCost): first month "
                     f"{money(billed[0])}, whole horizon {money(exact_sum(billed))}; effective cost (EffectiveCost): "
                     f"first month {money(effective[0])}, whole horizon {money(exact_sum(effective))}")
        for line in ledger.lines:
            lines.append(f"  {line.label}: billed {money(exact_sum(line.billed))}, "
                         f"effective {money(exact_sum(line.effective))}")
    sys.stdout.write("\n".join(lines) + "\n")
    if findings:
        print(f"\n{len(findings)} finding(s):")
        for f in findings:
            print(f"  {f}")
    return 0
