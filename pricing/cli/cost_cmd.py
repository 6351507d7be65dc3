"""tokenbudget cost MODEL INPUT_TOKENS OUTPUT_TOKENS: price requests against the bundled catalog."""

from __future__ import annotations

from datetime import date

from pricing.costing.catalog import load_catalog
from pricing.cli.common import CliError, money_str, parse_quantity, print_json, warn
from pricing.costing.engine import price_request
from pricing.plan.models import DeploymentMode
from pricing.plan.money import ZERO, format_money, format_rate
from pricing.costing.rates import AmbiguousModel, UnknownModel

DEFAULT_BATCH_DISCOUNT = "50%"


def register(sub) -> None:
    p = sub.add_parser("cost", help="price a request (and a month of them) from the bundled catalog",
                       description="Price INPUT_TOKENS in / OUTPUT_TOKENS out on MODEL (provider/model-id, or an "
                                   "unambiguous model id). Numbers may be written 3000, 3,000 or 3k.")
    p.add_argument("model")
    p.add_argument("input_tokens")
    p.add_argument("output_tokens")
    p.add_argument("--requests", default="1", help="requests per month (default 1)")
    p.add_argument("--mode", default="serverless", help="serverless (default) or batch")
    p.add_argument("--cached-share", default="0", help="share of input read from the prompt cache, e.g. 60%%")
    p.add_argument("--batch-discount", default=None, help="batch discount (default: the model's, else 50%%)")
    p.add_argument("--date", default=None, help="price as of this date, YYYY-MM-DD (default today)")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as decimal strings")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        rate = load_catalog().resolve(args.model)
    except (UnknownModel, AmbiguousModel) as exc:
        raise CliError(str(exc)) from None
    try:
        mode = DeploymentMode.parse(args.mode)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if not mode.per_token:
        raise CliError(f"{mode.label} is billed for capacity, not per token; use 'tokenbudget modes' on a plan")
    tin = parse_quantity(args.input_tokens, "INPUT_TOKENS")
    tout = parse_quantity(args.output_tokens, "OUTPUT_TOKENS")
    requests = parse_quantity(args.requests, "--requests")
    cached = parse_quantity(args.cached_share, "--cached-share")
    for name, value in (("INPUT_TOKENS", tin), ("OUTPUT_TOKENS", tout), ("--requests", requests)):
        if value < 0:
            raise CliError(f"{name} must not be negative (is {value})")
    if not ZERO <= cached <= 1:
        raise CliError("--cached-share must be between 0% and 100%")
    try:
        day = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        raise CliError(f"--date: not a date: {args.date!r} (write it as 2026-11-25)") from None
    if args.batch_discount is not None:
        discount = parse_quantity(args.batch_discount, "--batch-discount")
    else:
        discount = rate.batch_discount if rate.batch_discount is not None else parse_quantity(DEFAULT_BATCH_DISCOUNT, "")
    warnings = []
    if mode not in rate.modes:
        warnings.append(
            f"the catalog does not list {mode.label} for {rate.id} (it lists "
            f"{', '.join(m.label for m in rate.modes)}); priced as asked"
            + (f" at a {discount:.0%} discount" if mode is DeploymentMode.BATCH else "")
        )
    if rate.context_length is not None and tin + tout > rate.context_length:
        warnings.append(f"input + output = {tin + tout:,} tokens is beyond the context length of {rate.context_length:,}")
    version = rate.version_on(day)
    cost = price_request(rate, version, tin, tout, cached_share=cached, mode=mode, batch_discount=discount)
    monthly = cost.total * requests
    for w in warnings:
        warn(w)
    if args.json:
        print_json({
            "model": rate.id,
            "mode": mode.value,
            "date": day.isoformat(),
            "rates_per_mtok": {
                "input": money_str(cost.input_rate), "cached_input": money_str(cost.cached_input_rate),
                "output": money_str(cost.output_rate),
            },
            "batch_discount": money_str(discount) if mode is DeploymentMode.BATCH else None,
            "tier_above_input_tokens": cost.tier.above_input_tokens if cost.tier else None,
            "input_tokens": str(tin), "output_tokens": str(tout), "cached_share": str(cached),
            "request_cost": {
                "input": money_str(cost.input, 4), "cached_input": money_str(cost.cached_input, 4),
                "output": money_str(cost.output, 4), "total": money_str(cost.total, 4),
            },
            "requests": str(requests),
            "monthly_cost": money_str(monthly),
            "warnings": warnings,
        })
        return 0
    print(f"{rate.id} ({mode.label}, rates as of {day.isoformat()})")
    print(f"  input        {tin:>14,} tokens × {format_rate(cost.input_rate)}/1M"
          + (f"  ({cached:.0%} cached at {format_rate(cost.cached_input_rate)}/1M)" if cached else ""))
    print(f"  output       {tout:>14,} tokens × {format_rate(cost.output_rate)}/1M")
    print(f"  per request  {money_str(cost.total, 4)}  (input {money_str(cost.input + cost.cached_input, 4)}, "
          f"output {money_str(cost.output, 4)})")
    print(f"  × {requests:,} requests = {format_money(monthly)} a month")
    return 0
