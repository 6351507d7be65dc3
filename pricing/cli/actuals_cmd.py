"""tokenbudget actuals PLAN SOURCE...: load actual spend, match it to workloads, show plan against actual."""

from __future__ import annotations

from pathlib import Path

from pricing.cli.common import CliError, leave_for_exit, load_plan_arg, money_str, print_json, refuse_if_held


def arguments(p) -> None:
    p.description = ("Reads provider cost and usage exports (OpenAI, Anthropic, OpenRouter, LiteLLM, "
                     "Together AI), FinOps FOCUS CSV/Parquet (a hive-partitioned folder too) and usage "
                     "logs; matches each month's spend to workloads by tags and prints plan, actual, "
                     "variance and the re-forecast per month.")
    p.add_argument("plan", help="the plan (.json or .xlsx)")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="export files or a folder of Parquet files")
    p.add_argument("--save", action="store_true", help="store the actuals in the plan (a month loaded again replaces itself)")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as exact decimal strings")
    p.add_argument("--print-sql", action="store_true",
                   help="print the aggregation as standard SQL for a warehouse, instead of loading")
    p.add_argument("--table", default="usage_logs", help="table name used by --print-sql (default usage_logs)")
    p.add_argument("--rules", metavar="FILE", help="matching rules (.json/.toml); remembered for this source layout")
    p.add_argument("--cost", choices=("effective", "billed"), default="effective",
                   help="FOCUS: EffectiveCost (amortized, default) or BilledCost")
    p.add_argument("--reforecast", choices=("plan", "ratio"), default="plan",
                   help="open months at plan, or at plan × the recent actual/plan ratio")
    p.add_argument("--by", choices=("tenant", "feature", "environment", "model", "mode"),
                   help="also show the variance per tenant, feature, environment, model or mode")
    p.add_argument("--force", action="store_true",
                   help="write PLAN even when someone has it open (a LibreOffice, Excel or Token Budget lock)")
    p.set_defaults(func=run)


def run(args) -> int:
    from pricing.actuals import ActualsSourceError, MatchRules, Variance, load_actuals
    from pricing.costing.projection import Projection

    if args.save:  # before any work: a plan someone has open is not written under them
        refuse_if_held(Path(args.plan), args.force)
    plan, _ = load_plan_arg(args.plan)
    rules = None
    if args.rules:
        try:
            rules = MatchRules.load(args.rules)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    if args.print_sql:
        return _print_sql(args, rules)
    try:
        loaded = load_actuals(plan, args.sources, rules=rules, cost_basis=args.cost)
    except ActualsSourceError as exc:
        raise CliError(str(exc)) from None
    projection = Projection(loaded.plan)
    leave_for_exit(loaded, projection)
    variance = Variance(projection, args.reforecast)
    if args.save:
        _save(loaded.plan, Path(args.plan), args.reforecast)
    if args.json:
        print_json(as_json(loaded, variance, args.by))
        return 0
    _print_text(loaded, variance, args)
    return 0


def _save(plan, target: Path, reforecast: str = "plan") -> None:
    from pricing.files.planfile import save_plan_json

    if target.suffix.lower() == ".json":
        save_plan_json(plan, target)
        return
    from pricing.files.workbook import save_plan

    save_plan(plan, target, reforecast=reforecast)


def _pct(value) -> str | None:
    return None if value is None else format(value * 100, ".2f")


def as_json(loaded, variance, by: str | None) -> dict:
    months = []
    reforecast = variance.reforecast()
    for month, cell, rf in zip(variance.months, variance.month_cells(), reforecast):
        months.append({"month": month.strftime("%Y-%m"), "plan": money_str(cell.plan),
                       "actual": money_str(cell.actual) if cell.actual is not None else None,
                       "variance": money_str(cell.variance) if cell.variance is not None else None,
                       "variance_pct": _pct(cell.variance_pct), "reforecast": money_str(rf)})
    out = {
        "sources": [{"file": str(s.path), "kind": s.kind, "columns": s.columns,
                     "dimensions": {d: spec for d, (spec, _) in s.dimensions.items()},
                     "rules": loaded.read.rules[str(s.path)].model_dump()} for s in loaded.read.sources],
        "loaded": [_line(l) for l in loaded.lines],
        "unmatched": [_line(l) for l in loaded.lines if l.workload is None],
        "months": months,
        "reforecast_method": variance.method,
        "ratio": format(variance.ratio, "f") if variance.ratio is not None else None,
        "landing": [s.as_dict() for s in variance.landing()],
        "price_check": [c.as_dict() for c in loaded.checks],
        "findings": [f.as_dict() for f in loaded.findings],
    }
    if by:
        out["by"] = {by: {key: [{"month": m.strftime("%Y-%m"), "plan": money_str(c.plan),
                                 "actual": money_str(c.actual) if c.actual is not None else None,
                                 "variance": money_str(c.variance) if c.variance is not None else None,
                                 "variance_pct": _pct(c.variance_pct)}
                                for m, c in zip(variance.months, cells) if c.actual is not None]
                          for key, cells in variance.breakdown(by).items()}}
    return out


def _line(line) -> dict:
    return {"source": line.source, "file": line.file, "month": line.month.strftime("%Y-%m"),
            "workload": line.workload, "label": line.label, "model": line.model, "cost": money_str(line.cost),
            "requests": format(line.requests, "f"), "input_tokens": format(line.input_tokens, "f"),
            "cached_tokens": format(line.cached_tokens, "f"), "output_tokens": format(line.output_tokens, "f")}


def _print_text(loaded, variance, args) -> None:
    from pricing.plan.money import format_money

    for s in loaded.read.sources:
        cols = ", ".join(f"{k}={v}" for k, v in s.columns.items())
        dims = ", ".join(f"{d}={spec}" for d, (spec, _) in s.dimensions.items())
        rules = loaded.read.rules[str(s.path)]
        print(f"{s.path.name}: {s.kind} ({cols})")
        print(f"  matched by: {dims or 'model only'}"
              + "".join(f"\n  rule: when {r.when} -> {r.workload or '(unmatched)'}" for r in rules.rules)
              + "".join(f"\n  dimension {d} read from {v}" for d, v in rules.dimensions.items()))
    print(f"\n{'month':<10} {'plan':>14} {'actual':>14} {'variance':>13} {'var %':>8} {'re-forecast':>14}")
    for month, cell, rf in zip(variance.months, variance.month_cells(), variance.reforecast()):
        actual = format_money(cell.actual) if cell.actual is not None else "–"
        var = format_money(cell.variance) if cell.variance is not None else "–"
        pct = f"{cell.variance_pct:.1%}" if cell.variance_pct is not None else "–"
        print(f"{month:%Y-%m}    {format_money(cell.plan):>14} {actual:>14} {var:>13} {pct:>8} {format_money(rf):>14}")
    unmatched = [l for l in loaded.lines if l.workload is None]
    if unmatched:
        print("\nunmatched spend:")
        for l in unmatched:
            print(f"  {l.month:%Y-%m} {l.source:<16} {l.label[:60]:<60} {format_money(l.cost):>12}")
    if args.by:
        print(f"\nby {args.by} (closed months):")
        for key, cells in variance.breakdown(args.by).items():
            for m, c in zip(variance.months, cells):
                if c.actual is not None:
                    pct = f"{c.variance_pct:.1%}" if c.variance_pct is not None else "–"
                    print(f"  {key[:34]:<34} {m:%Y-%m} plan {format_money(c.plan):>12} actual "
                          f"{format_money(c.actual):>12} variance {format_money(c.variance):>12} {pct:>8}")
    if loaded.checks:
        print("\nprice check (billed vs the plan's rates):")
        for c in loaded.checks:
            app = format_money(c.app) if c.app is not None else f"cannot price ({c.note})"
            diff = f" difference {format_money(c.difference)}" if c.difference is not None else ""
            print(f"  {c.model[:40]:<40} billed {format_money(c.billed):>12} app {app}{diff}")
    for status in variance.landing():
        for period in status.periods[:1] if status.line.period == "fiscal_year" else []:
            print(f"\nlanding {period.label}: {format_money(period.spend)} against budget "
                  f"{status.line.label} {format_money(period.budget)}")
    for f in loaded.findings:
        print(f)
    if args.save:
        print(f"\nsaved {len(loaded.lines)} line(s) of actuals into {args.plan}")


def _print_sql(args, rules) -> int:
    from pricing.actuals.portable import portable_sql
    from pricing.actuals.reading import connect
    from pricing.actuals.rules import MatchRules
    from pricing.actuals.sources import ActualsSourceError, detect

    for path in args.sources:
        con = connect()
        try:
            source = detect(con, Path(path), cost_basis=args.cost)
        except ActualsSourceError as exc:
            raise CliError(str(exc)) from None
        finally:
            pass
        if source is None:
            raise CliError(f"{path}: no cost column; --print-sql needs a cost export or log with billed cost")
        used = rules or MatchRules.recall(source.signature) or MatchRules()
        print(portable_sql(source, used, args.table))
        con.close()
    return 0
