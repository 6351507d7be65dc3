"""tokenbudget export PLAN -o OUT.xlsx: write the plan workbook (inputs, live formulas, charts)."""

from __future__ import annotations

from pathlib import Path

from pricing.cli.common import OutputError, UsageError, load_plan_arg, refuse_if_held, warn
from pricing.cli.progress import Progress


def arguments(p) -> None:
    p.description = ("Write PLAN (a plan workbook or JSON; the bundled sample when omitted) as an .xlsx "
                     "workbook: input tables, per-workload costs, the monthly projection, a summary "
                     "with charts and a Serverless/Batch comparison, all as live formulas.")
    p.add_argument("plan", nargs="?", help="plan workbook or JSON (default: the bundled sample plan)")
    p.add_argument("-o", "--output", required=True, help="the workbook to write (.xlsx)")
    p.add_argument("--months", type=int, help="projection months, 1-36 (default: the plan's horizon)")
    p.add_argument("--force", action="store_true",
                   help="overwrite OUT even when someone has it open (a LibreOffice, Excel or Token Budget lock)")
    p.set_defaults(func=run)


def run(args) -> int:
    from pricing.files.workbook import save_plan

    if args.months is not None and not 1 <= args.months <= 36:
        raise UsageError("--months must be between 1 and 36")
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: the workbook must end in .xlsx")
    if not out.parent.exists():
        raise OutputError(f"{out.parent}: no such folder")
    refuse_if_held(out, args.force)
    plan, findings = load_plan_arg(args.plan)
    for f in findings:
        warn(str(f))
    try:
        with Progress(f"writing {out.name}") as progress:
            save_plan(plan, out, months=args.months, progress=progress.fraction)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from None
    months = args.months or plan.assumptions.horizon_months
    print(f"wrote {out}: {len(plan.workloads)} workloads, {months} months")
    return 0
