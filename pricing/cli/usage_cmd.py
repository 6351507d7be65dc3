"""tokenbudget usage LOG: measured requests and tokens per model (and tag) from a usage log."""

from __future__ import annotations

from pricing.cli.common import CliError, UsageError, print_json


def arguments(p) -> None:
    p.description = ("Per model (and tag): requests, requests per day and projected per month, "
                     "mean / p50 / p95 input and output tokens and the cached share, from "
                     "OpenAI-compatible or Anthropic-style usage records.")
    p.add_argument("log", help="usage log: .jsonl (optionally .gz), .csv or .parquet")
    p.add_argument("--by", action="append", default=[], metavar="TAG",
                   help="also group by this tag (feature, tenant, ...); repeat or comma-separate")
    p.add_argument("--json", action="store_true", help="machine-readable output; numbers as decimal strings")
    p.add_argument("--plan", metavar="PLAN.json",
                   help="also write a plan with one workload per group, priced from the bundled catalog")
    p.add_argument("--provider", help="the provider whose API served the log (together, openai, ...): names its "
                                      "models when several providers list the same id")
    p.set_defaults(func=run)


def run(args) -> int:
    from pricing.usage.stats import UsageLogError, read_usage

    by = [t for item in args.by for t in item.split(",") if t.strip()]
    try:
        stats = read_usage(args.log, by)
    except UsageLogError as exc:
        raise CliError(str(exc)) from None
    if args.plan:
        _write_plan(stats, args.plan, args.provider)
    if args.json:
        print_json(stats.as_dict())
        return 0
    span = f"{stats.first:%Y-%m-%d} to {stats.last:%Y-%m-%d}" if stats.first and stats.last else "no timestamps"
    rows = f" in {stats.records:,} row(s)" if stats.request_count_column else ""
    print(f"{stats.path.name}: {stats.requests:,} requests{rows}, {span} ({stats.days_covered} day(s))"
          f"{f'; {stats.skipped_text}' if stats.skipped else ''}")
    print(f"convention: {stats.convention_note}")
    print(f"per month: {stats.month_basis}")
    tags = "".join(f" {t[:14]:<14}" for t in by)
    print(f"\n{'model':<40}{tags} {'requests':>10} {'per day':>10} {'per month':>12} "
          f"{'in mean':>9} {'in p50':>8} {'in p95':>8} {'out mean':>9} {'out p50':>8} {'out p95':>8} {'cached':>7}")
    for g in stats.groups:
        _line(g, by)
    if stats.total is not None:
        print("-" * (40 + 15 * len(by) + 103))
        _line(stats.total, by)
    return 0


def _line(g, by) -> None:
    tag_text = "".join(f" {g.tags[t][:14]:<14}" for t in by)
    print(f"{g.model[:40]:<40}{tag_text} {g.requests:>10,} {g.requests_per_day:>10,.1f} "
          f"{g.requests_per_month:>12,.0f} {g.input_mean:>9,.1f} {_q(g.input_p50)} {_q(g.input_p95)} "
          f"{g.output_mean:>9,.1f} {_q(g.output_p50)} {_q(g.output_p95)} {g.cached_share:>7.1%}")


def _q(value) -> str:
    """A quantile, or a dash when the log (per-bucket totals) cannot give one."""
    return f"{value:>8,.0f}" if value is not None else f"{'–':>8}"


def _write_plan(stats, target: str, provider: str | None = None) -> None:
    from datetime import date
    from pathlib import Path

    from pricing.costing.catalog import load_catalog
    from pricing.plan.models import Assumptions, Plan
    from pricing.files.planfile import save_plan_json
    from pricing.usage.stats import usage_to_workloads

    if not target.lower().endswith(".json"):
        raise UsageError(f"{target}: --plan writes a .json plan")
    catalog = load_catalog()
    try:
        workloads = usage_to_workloads(stats, catalog=catalog, provider=provider, strict=True)
    except LookupError as exc:  # never a workload the plan cannot price
        raise CliError(f"{stats.path.name}: {str(exc).strip(chr(34))}; no plan written") from None
    rates = {r.id: r for w in workloads if (r := catalog.get(w.model)) is not None}
    plan = Plan(name=f"Usage from {stats.path.name}", assumptions=Assumptions(first_month=date.today().replace(day=1)),
                rates=tuple(rates.values()), workloads=tuple(workloads))
    save_plan_json(plan, Path(target))
