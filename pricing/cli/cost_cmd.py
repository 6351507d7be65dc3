"""tokenbudget cost MODEL INPUT_TOKENS OUTPUT_TOKENS: price requests against the bundled catalog."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pricing.costing.catalog import load_catalog
from pricing.cli.common import CliError, UsageError, money_str, parse_quantity, print_json, warn
from pricing.costing.engine import RequestCost, price_request, price_sets
from pricing.plan import bounds
from pricing.plan.models import DeploymentMode, batch_discount_for
from pricing.plan.money import ZERO, format_money, format_rate, round_cents
from pricing.costing.rates import AmbiguousModel, RateBook, UnknownModel
from pricing.terms import TermsPricer



def arguments(p) -> None:
    p.description = ("Price INPUT_TOKENS in / OUTPUT_TOKENS out on MODEL (provider/model-id, or an "
                     "unambiguous model id). Numbers may be written 3000, 3,000 or 3k.")
    p.add_argument("model")
    p.add_argument("input_tokens")
    p.add_argument("output_tokens")
    p.add_argument("--requests", default="1", help="requests per month (default 1)")
    p.add_argument("--mode", default="serverless", help="serverless (default) or batch")
    p.add_argument("--cached-share", default="0", help="share of input read from the prompt cache, e.g. 60%%")
    p.add_argument("--cache-write-share", default="0", help="share of input written to the prompt cache, e.g. 10%%")
    p.add_argument("--cache-write-1h-share", default="0",
                   help="share of those cache writes kept one hour (billed at the 1-hour write rate)")
    p.add_argument("--reasoning", default="0", help="reasoning tokens per request, on top of OUTPUT_TOKENS")
    p.add_argument("--off-peak-share", default="0", help="share of requests sent in the provider's off-peak hours")
    p.add_argument("--batch-discount", default=None, help="batch discount (default: the model's, else 50%%)")
    p.add_argument("--date", default=None, help="price as of this date, YYYY-MM-DD (default today)")
    p.add_argument("--at", default=None,
                   help="price one instant, e.g. 2026-06-15T02:30Z (a date alone: the standard price that day)")
    p.add_argument("--plan", default=None,
                   help="price with this plan's rate sheet, terms (discounts, FX) and currency (.xlsx/.json)")
    p.add_argument("--json", action="store_true", help="machine-readable output; money as decimal strings")
    p.set_defaults(func=run)


def _rate_and_plan(args):
    """The model's rate (the plan's rate sheet first, then the catalog) and the plan, if any."""
    plan = None
    books = [load_catalog()]
    if args.plan:
        from pricing.cli.common import load_plan_arg

        plan, _findings = load_plan_arg(args.plan)
        books.insert(0, RateBook.of(plan.rates))
    error = None
    for book in books:
        try:
            return book.resolve(args.model), plan
        except (UnknownModel, AmbiguousModel) as exc:
            error = error or exc
    raise CliError(str(error))


def _instant(text: str):
    """(day, UTC time of day or None) of an --at value."""
    raw = text.strip()
    try:
        if "T" not in raw and " " not in raw:
            return date.fromisoformat(raw), None
        moment = datetime.fromisoformat(raw.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--at: not an instant: {text!r} (write it as 2026-06-15T02:30Z)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date(), moment.time().replace(tzinfo=None)


def _share(text: str, what: str):
    value = parse_quantity(text, what)
    if not ZERO <= value <= 1:
        raise UsageError(f"{what} must be between 0% and 100%")
    return value


def _lines(cost: RequestCost) -> list[tuple[str, object, object, object]]:
    """(component, tokens or requests, rate, cost per request) for every billed component."""
    lines = [("input", cost.uncached_input_tokens, cost.input_rate, cost.input)]
    if cost.cached_input_tokens:
        lines.append(("cached_input", cost.cached_input_tokens, cost.cached_input_rate, cost.cached_input))
    if cost.cache_write_tokens:
        lines.append(("cache_write", cost.cache_write_tokens, cost.cache_write_rate, cost.cache_write))
    if cost.cache_write_1h_tokens:
        lines.append(("cache_write_1h", cost.cache_write_1h_tokens, cost.cache_write_1h_rate, cost.cache_write_1h))
    lines.append(("output", cost.output_tokens, cost.output_rate, cost.output))
    if cost.reasoning_tokens:
        lines.append(("reasoning", cost.reasoning_tokens, cost.reasoning_rate, cost.reasoning))
    if cost.request_fee:
        lines.append(("request_fee", 1, cost.request_fee * 1000, cost.request_fee))
    return lines


def _count(value) -> str:
    return f"{value.normalize():,f}"


_LABELS = {"input": "input", "cached_input": "cached input", "cache_write": "cache write (5 min)",
           "cache_write_1h": "cache write (1 h)", "output": "output", "reasoning": "reasoning",
           "request_fee": "request fee"}


def run(args) -> int:
    rate, plan = _rate_and_plan(args)
    try:
        mode = DeploymentMode.parse(args.mode)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not mode.per_token:
        raise UsageError(f"{mode.label} is billed for capacity, not per token; use 'tokenbudget modes' on a plan")
    tin = parse_quantity(args.input_tokens, "INPUT_TOKENS")
    tout = parse_quantity(args.output_tokens, "OUTPUT_TOKENS")
    requests = parse_quantity(args.requests, "--requests")
    reasoning = parse_quantity(args.reasoning, "--reasoning")
    for name, field, value in (("INPUT_TOKENS", "input_tokens", tin), ("OUTPUT_TOKENS", "output_tokens", tout),
                               ("--requests", "requests_per_month", requests), ("--reasoning", "output_tokens", reasoning)):
        if value < 0:
            raise UsageError(f"{name} must not be negative (is {value})")
        reason = bounds.beyond(field, value)
        if reason:
            raise UsageError(f"{name} {reason}")
    cached = _share(args.cached_share, "--cached-share")
    writes = _share(args.cache_write_share, "--cache-write-share")
    writes_1h = _share(args.cache_write_1h_share, "--cache-write-1h-share")
    off_peak = _share(args.off_peak_share, "--off-peak-share")
    if cached + writes > 1:
        raise UsageError("--cached-share and --cache-write-share together exceed the whole input")
    if args.at and args.date:
        raise UsageError("give --date or --at, not both")
    moment = None
    if args.at:
        day, moment = _instant(args.at)
    else:
        try:
            day = date.fromisoformat(args.date) if args.date else date.today()
        except ValueError:
            raise UsageError(f"--date: not a date: {args.date!r} (write it as 2026-11-25)") from None
    if moment is not None and off_peak:
        raise UsageError("--at prices one instant; --off-peak-share is for a month of requests")
    if args.batch_discount is not None:
        discount = parse_quantity(args.batch_discount, "--batch-discount")
    elif plan is not None:
        discount = plan.batch_discount_for(rate)
    else:
        discount = batch_discount_for(rate)
    if not ZERO <= discount <= 1:
        raise CliError("--batch-discount must be between 0% and 100%")
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
    currency, loc, steps = "USD", None, []
    if plan is not None:
        # The plan's terms: the discount in force that month, then its FX rate (shown step by step).
        pricer = TermsPricer(plan, [day.replace(day=1)])
        warnings += [f.message for f in pricer.findings]
        currency, loc = plan.assumptions.currency, plan.assumptions.locale
        steps = [(f, pricer.explain(rate, f, day.replace(day=1))) for f in ("input_mtok", "output_mtok")]
        version = pricer.version_in(rate, version, day.replace(day=1))
    cheap = price_sets(version)[1]
    if cheap is not None and moment is None and not off_peak:
        warnings.append(f"{rate.id} has an off-peak price; priced at the standard rate "
                        "(use --off-peak-share, or --at for one instant)")
    cost = price_request(rate, version, tin, tout, cached_share=cached, mode=mode, batch_discount=discount,
                         cache_write_share=writes, cache_write_1h_share=writes_1h, reasoning_tokens=reasoning,
                         off_peak_share=off_peak, at=moment)
    lines = _lines(cost)
    monthly = round_cents(cost.total * requests)
    for w in warnings:
        warn(w)
    when = day.isoformat() + (f"T{moment:%H:%M}Z" if moment is not None else "")
    if args.json:
        print_json({
            "model": rate.id,
            "mode": mode.value,
            "date": day.isoformat(),
            "at": when if moment is not None else None,
            "time_window": (f"{cost.window.start:%H:%M}-{cost.window.end:%H:%M} UTC" if cost.window else None),
            "rates_per_mtok": {
                "input": money_str(cost.input_rate), "cached_input": money_str(cost.cached_input_rate),
                "cache_write": money_str(cost.cache_write_rate), "cache_write_1h": money_str(cost.cache_write_1h_rate),
                "output": money_str(cost.output_rate), "reasoning": money_str(cost.reasoning_rate),
            },
            "request_fee_per_1000": money_str(cost.request_fee * 1000),
            "batch_discount": money_str(discount) if mode is DeploymentMode.BATCH else None,
            "tier_above_input_tokens": cost.tier.above_input_tokens if cost.tier else None,
            "input_tokens": str(tin), "output_tokens": str(tout), "reasoning_tokens": str(reasoning),
            "cached_share": str(cached), "cache_write_share": str(writes), "cache_write_1h_share": str(writes_1h),
            "off_peak_share": str(off_peak),
            "request_cost": {name: money_str(value, 4) for name, _q, _r, value in lines}
            | {"total": money_str(cost.total, 4)},
            "requests": str(requests),
            "monthly_cost": money_str(monthly),
            "currency": currency,
            "terms_steps": {f: text for f, text in steps},
            "warnings": warnings,
        })
        return 0
    def rate_text(value) -> str:
        return format_rate(value, currency, loc)

    def per(value) -> str:
        return format_money(value, 4, currency, loc, max_places=8)

    print(f"{rate.id} ({mode.label}, rates as of {when}" + (f", {currency}" if plan is not None else "")
          + (f", {off_peak:.0%} off-peak" if cost.off_peak_share else "")
          + (f", in the {cost.window.start:%H:%M}–{cost.window.end:%H:%M} UTC window" if cost.window else "") + ")")
    for field, text in steps:
        if " × " in text:
            print(f"  {field.split('_')[0]} rate under the plan's terms: {text}")
    for name, quantity, rate_value, value in lines:
        if name == "request_fee":
            print(f"  {_LABELS[name]:<20} {rate_text(rate_value)} per 1,000 requests = {per(value)} a request")
        else:
            print(f"  {_LABELS[name]:<20} {_count(quantity):>12} tokens × {rate_text(rate_value)}/1M = "
                  f"{per(value)}")
    print(f"  per request          {per(cost.total)}")
    print(f"  × {requests:,f} requests = {format_money(monthly, 2, currency, loc)} a month")
    return 0
