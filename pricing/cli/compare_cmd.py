"""tokenbudget compare BASE [OTHER]: what moved between two versions of a plan, with a price/volume/mix bridge."""

from __future__ import annotations

from pathlib import Path

from pricing.cli.common import OutputError, UsageError, load_plan_arg, money_str, print_json, refuse_if_held
from pricing.plan.money import format_money
from pricing.plan.months import label, months_between, parse_month


def arguments(p) -> None:
    p.description = ("Compare OTHER (default: BASE itself) with BASE: per-workload differences, totals "
                     "by month and over the horizon, and a bridge splitting the change into removed "
                     "workloads, volume, mix, price and new workloads (in that order; the parts add up "
                     "to the change exactly).")
    p.add_argument("base", help="the base plan (workbook or JSON)")
    p.add_argument("other", nargs="?", help="the other version (default: BASE, with --scenario or --catalog)")
    p.add_argument("--scenario", help="apply this scenario of OTHER before comparing")
    p.add_argument("--catalog", action="store_true", help="price OTHER with the bundled catalog's rates")
    p.add_argument("--month", help="one month: 1-based index or YYYY-MM (default: the whole horizon)")
    p.add_argument("-o", "--output", help="also write the comparison to a .csv or .xlsx file")
    p.add_argument("--force", action="store_true",
                   help="overwrite OUTPUT even when someone has it open (a LibreOffice, Excel or Token Budget lock)")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as decimal strings")
    p.set_defaults(func=run)


def _month_index(text: str | None, months) -> int | None:
    if text is None:
        return None
    if text.strip().isdigit():
        index = int(text) - 1
    else:
        try:
            index = months_between(months[0], parse_month(text))
        except ValueError as exc:
            raise UsageError(f"--month: {exc}") from None
    if not 0 <= index < len(months):
        raise UsageError(f"--month {text}: the comparison runs from {label(months[0])} to {label(months[-1])}")
    return index


def run(args) -> int:
    from pricing.costing.catalog import load_catalog
    from pricing.scenarios import UnknownScenario, apply_scenario, compare_plans, reprice_with_catalog

    base, findings = load_plan_arg(args.base)
    if args.other:
        other, more = load_plan_arg(args.other)
        findings = findings + more
    else:
        other = base
    if not (args.other or args.scenario or args.catalog):
        raise UsageError("give OTHER, --scenario NAME or --catalog: there is nothing to compare BASE with")
    catalog = load_catalog()
    try:
        applied = apply_scenario(other, args.scenario, catalog)
    except UnknownScenario as exc:
        raise UsageError(str(exc)) from None
    other, findings = applied.plan, findings + applied.findings
    if args.catalog:
        other, more = reprice_with_catalog(other, catalog)
        findings += more
    c = compare_plans(base, other)
    findings += c.findings
    month = _month_index(args.month, c.months)
    if args.output:
        _write(c, Path(args.output), month, args.force, base.assumptions)
    bridge = c.bridge if month is None else c.month_bridges[month]
    if args.json:
        pick = (lambda costs: sum(costs[month:month + 1])) if month is not None else None
        print_json({
            "months": [m.isoformat() for m in c.months],
            "month": c.months[month].isoformat() if month is not None else None,
            "bridge": {"base": money_str(bridge.base), **{k: money_str(v) for k, v in bridge.parts()},
                       "other": money_str(bridge.other), "change": money_str(bridge.change)},
            "base_month_totals": [money_str(t) for t in c.base_totals],
            "other_month_totals": [money_str(t) for t in c.other_totals],
            "workloads": [{
                "name": d.name, "status": d.status, "changed_fields": list(d.fields),
                "base": money_str(pick(d.base_costs) if pick else d.base_total),
                "other": money_str(pick(d.other_costs) if pick else d.other_total),
            } for d in c.workloads],
            "findings": [f.as_dict() for f in findings],
        })
        return 0
    when = f"in {label(c.months[month])}" if month is not None else f"over {len(c.months)} months"
    print(f"{args.other or args.base}{' scenario ' + args.scenario if args.scenario else ''}"
          f"{' at catalog rates' if args.catalog else ''} against {args.base}, {when}")
    from pricing.files.comparison_export import bridge_rows

    for name, value in bridge_rows(c, month):
        print(f"  {name:<30} {format_money(value):>18}")
    moved = c.moved
    if moved:
        print(f"\n{'workload':<34} {'status':<9} {'change':>16}  fields")
        for d in moved:
            change = d.change if month is None else d.other_costs[month] - d.base_costs[month]
            print(f"{d.name[:34]:<34} {d.status:<9} {format_money(change):>16}  {', '.join(d.fields)}")
    for f in findings:
        print(f"  {f}")
    return 0


def _write(c, out: Path, month: int | None, force: bool = False, assumptions=None) -> None:
    from pricing.files.comparison_export import write_comparison_csv, write_comparison_workbook

    if not out.parent.exists():
        raise OutputError(f"{out.parent}: no such folder")
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError(f"{out}: write the comparison to a .csv or .xlsx file")
    refuse_if_held(out, force)
    try:
        if suffix == ".csv":
            write_comparison_csv(c, out, month)
        else:  # amounts in the base plan's currency and locale
            money = {"currency": assumptions.currency, "locale": assumptions.locale} if assumptions else {}
            write_comparison_workbook(c, out, month, **money)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from None
