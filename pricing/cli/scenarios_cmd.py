"""tokenbudget scenarios PLAN: every scenario's totals by month, fiscal year and horizon, against the base."""

from __future__ import annotations

from pricing.cli.common import UsageError, load_plan_arg, money_str, print_json
from pricing.plan.money import format_money


def arguments(p) -> None:
    p.description = ("The base plan and each of its scenarios: totals by month, fiscal year and over "
                     "the horizon, and each scenario's difference to the base.")
    p.add_argument("plan", nargs="?", help="plan workbook or JSON (default: the bundled sample plan)")
    p.add_argument("--months", type=int, help="projection horizon in months, 1-36 (default: the plan's)")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as decimal strings")
    p.set_defaults(func=run)


def run(args) -> int:
    from pricing.costing.catalog import load_catalog
    from pricing.scenarios import scenario_totals

    plan, file_findings = load_plan_arg(args.plan)
    if args.months is not None and not 1 <= args.months <= 36:
        raise UsageError("--months must be between 1 and 36")
    results = scenario_totals(plan, args.months, load_catalog())
    base = results[0]
    currency = plan.assumptions.currency
    if args.json:
        print_json({
            "plan": plan.name, "currency": currency, "months": [m.isoformat() for m in base.months],
            "scenarios": [{
                "name": r.name,
                "month_totals": [money_str(t) for t in r.month_totals],
                "fiscal_years": {k: money_str(v) for k, v in r.fiscal_years.items()},
                "total": money_str(r.total),
                "difference_to_base": money_str(r.difference(base)),
                "findings": [f.as_dict() for f in (file_findings if r is base else []) + r.findings],
            } for r in results],
        })
        return 0
    years = list(base.fiscal_years)
    print(f"{plan.name} — {len(results) - 1} scenario(s) beside the base ({currency})")
    print(f"{'scenario':<28}" + "".join(f"{y:>16}" for y in years) + f"{'horizon':>18}{'vs base':>16}")
    for r in results:
        print(f"{r.name[:28]:<28}" + "".join(f"{format_money(r.fiscal_years.get(y, 0)):>16}" for y in years)
              + f"{format_money(r.total):>18}{format_money(r.difference(base)):>16}")
    for r in results[1:]:
        for f in r.findings:
            if f.field == "scenario":
                print(f"  {f}")
    return 0
