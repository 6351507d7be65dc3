"""tokenbudget modes PLAN: Serverless vs Batch vs capacity for each workload, and each capacity's figures."""

from __future__ import annotations

from decimal import Decimal

from pricing.cli.common import UsageError, leave_for_exit, load_plan_arg, money_str, print_json
from pricing.plan.money import format_money, format_rate
from pricing.plan.months import label, months_between, parse_month
from pricing.costing.projection import Projection


def arguments(p) -> None:
    p.description = ("For each workload: its monthly cost on Serverless, on Batch and on a dedicated endpoint or "
                     "GPU cluster, the cheapest mode, the break-even volume and a recommendation; for each endpoint "
                     "and cluster: spend, capacity, demand, utilization, effective $/1M and replicas needed. "
                     "PLAN defaults to the bundled sample plan, the one 'tokenbudget summary' and the app open.")
    p.add_argument("plan", nargs="?", help="plan workbook or JSON (default: the bundled sample plan)")
    p.add_argument("--month", default="1", help="month of the plan to compare: 1 = its first month, or YYYY-MM "
                                                "(default 1)")
    p.add_argument("--endpoint", help="compare every workload against this endpoint or cluster id")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as decimal strings")
    p.set_defaults(func=run)


def _month_index(text: str, projection: Projection) -> int:
    text = text.strip()
    if text.isdigit():
        index = int(text) - 1
    else:
        try:
            index = months_between(projection.months[0], parse_month(text))
        except ValueError as exc:
            raise UsageError(f"--month: {exc}") from None
    if not 0 <= index < projection.horizon:
        raise UsageError(f"--month {text}: the plan runs {projection.horizon} months, "
                       f"{label(projection.months[0])} to {label(projection.months[-1])}")
    return index


def _s(value: Decimal | None, places: int = 2) -> str | None:
    return None if value is None else money_str(value, places)


def run(args) -> int:
    from pricing.capacity.report import capacity_report
    from pricing.capacity.modes import ModeComparer, compare_plan

    plan, file_findings = load_plan_arg(args.plan)
    projection = Projection(plan)
    leave_for_exit(projection)
    month = _month_index(args.month, projection)
    if args.endpoint is not None and args.endpoint not in {c.id for c in (*plan.endpoints, *plan.clusters)}:
        known = ", ".join(c.id for c in (*plan.endpoints, *plan.clusters)) or "none"
        raise UsageError(f"--endpoint: no endpoint or cluster {args.endpoint!r} in the plan (it has {known})")
    if args.endpoint is None:  # every workload's own choices, in one pass over the plan
        comparisons = compare_plan(plan, month, projection)
    else:
        comparer = ModeComparer(plan, projection)
        comparisons = [comparer.compare(i, args.endpoint, month) for i in range(len(plan.workloads))]
    figures = capacity_report(plan, projection, month)
    findings = list(file_findings) + [f for c in comparisons for f in c.findings] + [
        f for fig in figures for f in fig.findings]
    if args.json:
        print_json({
            "plan": plan.name,
            "currency": plan.assumptions.currency,
            "month": projection.months[month].isoformat(),
            "workloads": [_comparison_json(c) for c in comparisons],
            "capacity": [_figures_json(f, plan) for f in figures],
            "findings": [f.as_dict() for f in dict.fromkeys(findings)],
        })
        return 0
    print(f"{plan.name} — deployment modes in {label(projection.months[month])} ({plan.assumptions.currency} a month)")
    print(f"{'workload':<40} {'requests':>13} {'Serverless':>13} {'Batch':>13} {'capacity':>13}  "
          f"{'candidate':<28} {'cheapest':<11} {'break-even req.':>16}")
    for c in comparisons:
        def m(v):
            return format_money(v) if v is not None else "-"
        cand = (c.candidate_id or "-") + (" (share)" if c.endpoint_is_share else "")
        be = f"{c.break_even_requests:,.0f}" if c.break_even_requests is not None else "never"
        if c.endpoint_monthly is None:
            be = "-"
        print(f"{c.workload[:40]:<40} {c.requests:>13,.0f} {m(c.serverless_monthly):>13} {m(c.batch_monthly):>13} "
              f"{m(c.endpoint_monthly):>13}  {cand[:28]:<28} {(c.cheapest.label if c.cheapest else '-'):<11} {be:>16}")
        print(f"    → {c.recommendation}")
    if figures:
        print(f"\ncapacity in {label(projection.months[month])}:")
        print(f"{'id':<16} {'kind':<11} {'spend':>12} {'capacity tokens':>17} {'demand tokens':>17} {'util.':>6} "
              f"{'effective/1M':>13} {'size':>12} {'needed':>7}")
        for f in figures:
            util = f"{f.utilization:.0%}" if f.utilization is not None else "-"
            eff = format_rate(f.effective_rate_per_mtok) if f.effective_rate_per_mtok is not None else "idle"
            needed = str(f.replicas_needed) if f.replicas_needed is not None else "?"
            size = f"{f.replicas} {f.unit}{'s' if f.replicas != 1 else ''}"
            kind = "Dedicated" if f.kind == "dedicated" else "GPU cluster"
            print(f"{f.capacity_id[:16]:<16} {kind:<11} {format_money(f.monthly_spend):>12} {f.capacity_tokens:>17,.0f} "
                  f"{f.tokens_served:>17,.0f} {util:>6} {eff:>13} {size:>12} {needed:>7}")
    if findings:
        print(f"\n{len(dict.fromkeys(findings))} finding(s):")
        for f in dict.fromkeys(findings):
            print(f"  {f}")
    return 0


def _comparison_json(c) -> dict:
    return {
        "workload": c.workload,
        "index": c.index,
        "model": c.model,
        "mode": c.current_mode.value,
        "requests": money_str(c.requests, 0),
        "tokens_per_request": money_str(c.tokens_per_request, 0),
        "tokens": money_str(c.tokens, 0),
        "serverless_cost_per_request": _s(c.serverless_cost_per_request, 4),
        "blended_serverless_rate_per_mtok": _s(c.blended_serverless_rate_per_mtok),
        "serverless_monthly": _s(c.serverless_monthly),
        "batch_monthly": _s(c.batch_monthly),
        "endpoint_monthly": _s(c.endpoint_monthly),
        "endpoint_alone_monthly": _s(c.endpoint_alone_monthly),
        "endpoint_is_share": c.endpoint_is_share,
        "endpoint_mode": c.endpoint_mode.value if c.endpoint_mode else None,
        "candidate": c.candidate_id,
        "candidate_source": c.candidate_source or None,
        "candidate_description": c.candidate_description or None,
        "endpoint_replicas": c.endpoint_replicas,
        "endpoint_utilization": _s(c.endpoint_utilization, 0),
        "endpoint_effective_rate_per_mtok": _s(c.endpoint_effective_rate_per_mtok),
        "break_even_requests": _s(c.break_even_requests, 0),
        "break_even_utilization": _s(c.break_even_utilization, 0),
        "break_even_until": _s(c.break_even_until, 0),
        "stays_ahead_from": _s(c.stays_ahead_from, 0),
        "offline_capable": c.offline_capable,
        "cheapest": c.cheapest.value if c.cheapest else None,
        "recommended": c.recommended.value if c.recommended else None,
        "recommendation": c.recommendation,
    }


def _figures_json(f, plan) -> dict:
    return {
        "id": f.capacity_id,
        "kind": f.kind,
        "name": f.name,
        "monthly_spend": money_str(f.monthly_spend),
        "capacity_tokens": money_str(f.capacity_tokens, 0),
        "tokens_served": money_str(f.tokens_served, 0),
        "utilization": _s(f.utilization, 0),
        "effective_rate_per_mtok": _s(f.effective_rate_per_mtok),
        "replicas": f.replicas,
        "unit": f.unit,
        "replicas_needed": f.replicas_needed,
        "idle_spend": money_str(f.idle_spend),
        "allocations": {plan.workloads[i].name: money_str(a) for i, a in zip(f.workloads, f.allocations)},
    }
