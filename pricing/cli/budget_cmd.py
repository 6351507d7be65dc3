"""tokenbudget budget PLAN: every budget line, the month it is first exceeded, and where the year lands."""

from __future__ import annotations

from pricing.cli.common import leave_for_exit, load_plan_arg, print_json


def arguments(p) -> None:
    p.description = ("Checks every budget line of the plan (whole plan, tenant, feature, "
                     "environment or model; per month or per fiscal year) against the projection, "
                     "and against the re-forecast (closed months at actuals).")
    p.add_argument("plan", nargs="?", help="the plan (.json or .xlsx); the bundled sample if omitted")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as exact decimal strings")
    p.add_argument("--reforecast", choices=("plan", "ratio"), default="plan",
                   help="open months at plan, or at plan × the recent actual/plan ratio")
    p.add_argument("--add", metavar="SCOPE[=VALUE]",
                   help="add a budget line and save the plan: plan, tenant=NAME, feature=NAME, environment=NAME "
                        "or model=ID (with --amount)")
    p.add_argument("--amount", help="the line's amount (e.g. 25000, 25k, $1.2M)")
    p.add_argument("--per", choices=("month", "fiscal-year"), default="month", help="per month (default) or fiscal year")
    p.add_argument("--name", default="", help="a name for the line")
    p.add_argument("--force", action="store_true",
                   help="write PLAN even when someone has it open (a LibreOffice, Excel or Token Budget lock)")
    p.set_defaults(func=run)


def run(args) -> int:
    from pricing.actuals import Variance
    from pricing.budgets import check_budgets
    from pricing.costing.projection import Projection
    from pricing.plan.money import format_money

    plan, _ = load_plan_arg(args.plan)
    if args.add:
        plan = _add_line(plan, args)
    projection = Projection(plan)
    leave_for_exit(projection)
    planned = check_budgets(projection)
    landing = Variance(projection, args.reforecast).landing()
    if args.json:
        print_json({"budgets": [p.as_dict() | {"landing": l.as_dict()["periods"]} for p, l in zip(planned, landing)],
                    "reforecast_method": args.reforecast})
        return 0
    if not planned:
        print("the plan has no budget lines")
        return 0
    for p, l in zip(planned, landing):
        month = f"first exceeded in {p.exceeded_month:%b %Y} by {format_money(p.exceeded_by)}" \
            if p.exceeded_month else "never exceeded by the plan"
        print(f"{p.line.label}: {format_money(p.line.amount)} per {p.line.period.replace('_', ' ')}; {month}")
        if l.exceeded_month and l.exceeded_month != p.exceeded_month:
            print(f"  re-forecast: first exceeded in {l.exceeded_month:%b %Y} by {format_money(l.exceeded_by)}")
        if p.line.period == "fiscal_year":
            for period in l.periods:
                print(f"  {period.label} lands at {format_money(period.spend)} against {format_money(period.budget)}"
                      f" ({'over' if period.over > 0 else 'under'} by {format_money(abs(period.over))})")
        for f in p.findings:
            if f.severity == "error":
                print(f"  {f}")
    return 0


def _add_line(plan, args):
    from pathlib import Path

    from pydantic import ValidationError

    from pricing.cli.common import UsageError, parse_quantity, refuse_if_held
    from pricing.plan.tracking import BudgetLine

    if not args.plan:
        raise UsageError("--add changes a plan: name the plan file")
    if not args.amount:
        raise UsageError("--add needs --amount")
    scope, _, value = args.add.partition("=")
    try:
        line = BudgetLine(name=args.name, scope=scope.strip().lower(), value=value.strip(),
                          period="fiscal_year" if args.per == "fiscal-year" else "month",
                          amount=parse_quantity(args.amount.replace("$", ""), "--amount"),
                          currency=plan.assumptions.currency)
    except ValidationError as exc:
        raise UsageError(f"--add {args.add}: {exc.errors()[0]['msg']} (scope is plan, tenant, feature, environment "
                       "or model)") from None
    if line.scope != "plan" and not line.value:
        raise UsageError(f"--add {args.add}: say which {line.scope}, as {line.scope}=NAME")
    plan = plan.model_copy(update={"budgets": plan.budgets + (line,)})
    target = Path(args.plan)
    refuse_if_held(target, args.force)
    if target.suffix.lower() == ".json":
        from pricing.files.planfile import save_plan_json

        save_plan_json(plan, target)
    else:
        from pricing.files.workbook import save_plan

        save_plan(plan, target)
    return plan
