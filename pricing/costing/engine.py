"""Pricing one request, and checking a workload before it is priced.

    request cost = uncached input / 1M × input rate
                 + cached input   / 1M × cached-input rate
                 + cache writes   / 1M × cache-write rate (5-minute; 1-hour writes at their own rate)
                 + output         / 1M × output rate
                 + reasoning      / 1M × reasoning rate (the output rate unless the provider prices it apart)
                 + request fee    ($ per 1,000 requests / 1,000)

Cached reads and cache writes are part of the prompt (as OpenAI-compatible usage counts them),
so they are taken *out* of the input and billed once, at their own rates (at the input rate
when none is published; a 1-hour write at the 5-minute write rate when only that one is).
A prompt-size tier is a cliff: when the whole prompt (cache included) is above the tier's
threshold, every token of the request is billed at the tier's rates.  Batch takes the
model's (or the plan's) discount off the published token rates; a model may keep cache hits
at the normal cached rate on Batch; a request fee is never discounted.

Time of day: a version may carry daily windows (DeepSeek's peak and off-peak hours).  A
request at a known instant is billed at the window in force then; a workload is billed at
the *standard* price (the dearest price of the day) except for its off-peak share, billed
at the cheapest.  This is the one place a request is priced.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import NamedTuple

from pricing.plan import bounds
from pricing.plan.findings import Finding, Severity
from pricing.plan.models import DeploymentMode, ModelRate, Plan, PromptTier, RateVersion, TimeWindow, Workload
from pricing.plan.money import MILLION, ONE, ZERO
from pricing.costing.rates import AmbiguousModel, RateBook, UnknownModel

THOUSAND = Decimal(1000)
_BATCH = DeploymentMode.BATCH
_made = tuple.__new__


class RequestCost(NamedTuple):
    """The cost of one request, line by line, with the rates that produced it.

    Immutable (request costs are shared by every row with the same figures) and a tuple: made in
    a tenth of the time a frozen dataclass of these 26 fields takes (0.35 against 3.3 µs), which
    a plan of 100,000 distinct workloads pays once per workload."""

    uncached_input_tokens: Decimal
    cached_input_tokens: Decimal
    output_tokens: Decimal
    input_rate: Decimal
    cached_input_rate: Decimal
    output_rate: Decimal
    input: Decimal
    cached_input: Decimal
    output: Decimal
    mode: DeploymentMode = DeploymentMode.SERVERLESS
    discount: Decimal = ZERO
    tier: PromptTier | None = None
    version: RateVersion | None = None
    cache_write_tokens: Decimal = ZERO
    cache_write_1h_tokens: Decimal = ZERO
    reasoning_tokens: Decimal = ZERO
    cache_write_rate: Decimal = ZERO
    cache_write_1h_rate: Decimal = ZERO
    reasoning_rate: Decimal = ZERO
    cache_write: Decimal = ZERO
    cache_write_1h: Decimal = ZERO
    reasoning: Decimal = ZERO
    #: The fee per request (the catalog's $ per 1,000 requests / 1,000).
    request_fee: Decimal = ZERO
    #: The time-of-day window the request was billed at (a priced instant), if any.
    window: TimeWindow | None = None
    #: Share of requests billed at the off-peak price, and that price's window (None: the version's own rates).
    off_peak_share: Decimal = ZERO
    off_peak: TimeWindow | RateVersion | None = None

    @property
    def total(self) -> Decimal:
        return (self.input + self.cached_input + self.cache_write + self.cache_write_1h + self.output
                + self.reasoning + self.request_fee)

    @property
    def tokens(self) -> Decimal:
        return (self.uncached_input_tokens + self.cached_input_tokens + self.cache_write_tokens
                + self.cache_write_1h_tokens + self.output_tokens + self.reasoning_tokens)

    @property
    def input_total(self) -> Decimal:
        """Everything billed for the prompt: uncached, cached reads and cache writes."""
        return self.input + self.cached_input + self.cache_write + self.cache_write_1h

    @property
    def output_total(self) -> Decimal:
        return self.output + self.reasoning


def price_sets(version: RateVersion) -> tuple[RateVersion | TimeWindow, RateVersion | TimeWindow | None]:
    """(standard, off-peak) price lists of a version: the dearest and the cheapest of the day.

    Without time-of-day windows the version is its own standard price and there is no off-peak.
    """
    if not version.windows:
        return version, None
    candidates: list[RateVersion | TimeWindow] = [version, *version.windows]

    def weight(p: RateVersion | TimeWindow) -> Decimal:
        return p.input_mtok + p.output_mtok

    standard = max(candidates, key=weight)
    cheapest = min(candidates, key=weight)
    return standard, (cheapest if weight(cheapest) < weight(standard) else None)


def line_rates(source, tier: PromptTier | None = None) -> dict[str, Decimal]:
    """The per-1M rates of one price list (a tier of it when the prompt crosses one), fallbacks applied."""
    src = (tier or source).__dict__  # the fields themselves, not through the model's attribute hook
    inp, out = src["input_mtok"], src["output_mtok"]
    cached = inp if (given := src["cached_input_mtok"]) is None else given
    write = inp if (given := src["cache_write_mtok"]) is None else given
    write_1h = write if (given := src["cache_write_1h_mtok"]) is None else given
    reasoning = out if (given := src["reasoning_mtok"]) is None else given
    fee = source.__dict__.get("request_fee_kcount")
    return {"input": inp, "cached": cached, "write": write, "write_1h": write_1h, "output": out,
            "reasoning": reasoning, "fee": (fee or ZERO) / THOUSAND}


def blend(standard: dict[str, Decimal], off_peak: dict[str, Decimal], off_peak_share: Decimal) -> dict[str, Decimal]:
    """Per-1M rates billed when ``off_peak_share`` of the requests go at the off-peak price."""
    keep_standard = ONE - off_peak_share
    return {k: v * keep_standard + off_peak[k] * off_peak_share for k, v in standard.items()}


def price_request(
    rate: ModelRate,
    version: RateVersion,
    input_tokens: Decimal,
    output_tokens: Decimal,
    *,
    cached_share: Decimal = ZERO,
    mode: DeploymentMode = DeploymentMode.SERVERLESS,
    batch_discount: Decimal = ZERO,
    cache_write_share: Decimal = ZERO,
    cache_write_1h_share: Decimal = ZERO,
    reasoning_tokens: Decimal = ZERO,
    off_peak_share: Decimal = ZERO,
    at: time | None = None,
) -> RequestCost:
    """Price one request at ``version``'s rates (per-token modes only).

    ``at`` (a UTC time of day) bills the request at the window in force then; without it the
    request is billed at the standard price, ``off_peak_share`` of it at the off-peak price.
    """
    if not mode.per_token:
        raise ValueError(f"{mode.label} is billed for capacity, not per token")
    return cost_at_rates(request_rates(rate, version, input_tokens, mode, batch_discount, off_peak_share, at),
                         input_tokens, output_tokens, cached_share, cache_write_share, cache_write_1h_share,
                         reasoning_tokens)


class RequestRates(NamedTuple):
    """What a request is billed at, before its tokens: the per-1M rates of each line (after the
    off-peak blend and the Batch discount), the request fee, and where they came from."""

    input: Decimal
    cached: Decimal
    write: Decimal
    write_1h: Decimal
    output: Decimal
    reasoning: Decimal
    fee: Decimal
    mode: DeploymentMode
    discount: Decimal
    tier: PromptTier | None
    version: RateVersion
    window: TimeWindow | None
    off_peak_share: Decimal
    off_peak: TimeWindow | RateVersion | None


def request_rates(rate: ModelRate, version: RateVersion, input_tokens: Decimal, mode: DeploymentMode,
                  batch_discount: Decimal = ZERO, off_peak_share: Decimal = ZERO, at: time | None = None) -> RequestRates:
    """The rates one request on per-token ``mode`` is billed at.  Of the request's figures they
    depend on the prompt's tier only (``version.tier_for(input_tokens)``), so requests of other
    token counts in the same tier are billed at the same rates (``RowPricer`` keeps them)."""
    window = version.window_at(at) if at is not None else None
    cheap = None
    if at is not None:
        source = window or version
    else:
        source, cheap = price_sets(version)
    tier = version.tier_for(input_tokens) if source is version else None
    rates = line_rates(source, tier)
    off_peak = None
    if cheap is not None and off_peak_share:
        off_peak = cheap
        rates = blend(rates, line_rates(cheap, version.tier_for(input_tokens) if cheap is version else None),
                      off_peak_share)
    r_in, r_cached, r_write, r_write_1h, r_out, r_reasoning = (
        rates["input"], rates["cached"], rates["write"], rates["write_1h"], rates["output"], rates["reasoning"])
    discount = ZERO
    if mode is _BATCH:  # the discount is off the token rates, never the request fee
        discount = batch_discount
        keep = ONE - discount
        r_in, r_write, r_write_1h, r_out, r_reasoning = (
            r_in * keep, r_write * keep, r_write_1h * keep, r_out * keep, r_reasoning * keep)
        if rate.batch_discounts_cached_input:
            r_cached = r_cached * keep
    return _made(RequestRates, (r_in, r_cached, r_write, r_write_1h, r_out, r_reasoning, rates["fee"], mode, discount,
                                tier, version, window, off_peak_share if off_peak is not None else ZERO, off_peak))


def cost_at_rates(rates: RequestRates, input_tokens: Decimal, output_tokens: Decimal, cached_share: Decimal,
                  cache_write_share: Decimal, cache_write_1h_share: Decimal, reasoning_tokens: Decimal) -> RequestCost:
    """One request's cost, line by line, at ``rates``."""
    (r_in, r_cached, r_write, r_write_1h, r_out, r_reasoning, fee, mode, discount, tier, version, window,
     off_peak_share, off_peak) = rates
    cached_tokens = input_tokens * cached_share
    writes = input_tokens * cache_write_share
    writes_1h = writes * cache_write_1h_share
    writes_5m = writes - writes_1h
    uncached_tokens = input_tokens - cached_tokens - writes
    # The fields in RequestCost's order, made without its keyword-binding constructor (a budget of
    # distinct workloads makes one per workload; tests/test_request_cost_fields.py holds every field
    # to its name).
    return _made(RequestCost, (
        uncached_tokens, cached_tokens, output_tokens,  # uncached_input_tokens, cached_input_tokens, output_tokens
        r_in, r_cached, r_out,  # input_rate, cached_input_rate, output_rate
        uncached_tokens * r_in / MILLION, cached_tokens * r_cached / MILLION, output_tokens * r_out / MILLION,
        mode, discount, tier, version,
        writes_5m, writes_1h, reasoning_tokens,  # cache_write_tokens, cache_write_1h_tokens, reasoning_tokens
        r_write, r_write_1h, r_reasoning,  # cache_write_rate, cache_write_1h_rate, reasoning_rate
        writes_5m * r_write / MILLION, writes_1h * r_write_1h / MILLION, reasoning_tokens * r_reasoning / MILLION,
        fee,  # request_fee
        window, off_peak_share, off_peak))


def price_workload_request(
    rate: ModelRate, version: RateVersion, w: Workload, mode: DeploymentMode, batch_discount: Decimal
) -> RequestCost:
    """One request of workload ``w`` at ``version``'s rates on per-token ``mode`` (its figures read from
    its fields, not through the model's attribute hook)."""
    f = w.__dict__
    return price_request(
        rate, version, f["input_tokens"], f["output_tokens"], cached_share=f["cached_share"], mode=mode,
        batch_discount=batch_discount, cache_write_share=f["cache_write_share"],
        cache_write_1h_share=f["cache_write_1h_share"], reasoning_tokens=f["reasoning_tokens"],
        off_peak_share=f["off_peak_share"],
    )


def resolve_model(book: RateBook, workload: Workload, row: int | None = None) -> tuple[ModelRate | None, Finding | None]:
    try:
        return book.resolve(workload.model), None
    except (UnknownModel, AmbiguousModel) as exc:
        return None, Finding(str(exc), Severity.ERROR, "model", workload.name, row)


#: The figures held within ``bounds`` (finite, at most the bound), checked first.
_BOUNDED = tuple((field, bounds.limit(field)) for field in ("input_tokens", "output_tokens", "requests_per_month",
                                                            "monthly_growth"))


def check_workload(
    plan: Plan, workload: Workload, rate: ModelRate | None, row: int | None = None
) -> tuple[list[Finding], bool]:
    """Findings for one workload, and whether its cost can be computed at all.

    The figures are read from the record's own fields (its ``__dict__``): a pydantic model's attribute
    goes through its ``__getattr__`` hook, a third of this function's time on a clean workload."""
    findings: list[Finding] = []
    priceable = rate is not None
    fields = workload.__dict__

    def add(field: str, message: str, severity: Severity = Severity.ERROR) -> None:
        findings.append(Finding(message, severity, field, fields["name"], row))

    for field, limit in _BOUNDED:
        value = fields[field]
        if not (value.is_finite() and value <= limit):  # a record built without validation
            reason = bounds.beyond(field, value)
            if reason:
                add(field, reason)
                return findings, False
    for field in ("input_tokens", "output_tokens"):
        value: Decimal = fields[field]
        if value < 0:
            add(field, f"must not be negative (is {value:,})")
            priceable = False
        elif value != value.to_integral_value():
            add(field, f"a token count is a whole number; {value} is priced as an average", Severity.WARNING)
    requests = fields["requests_per_month"]
    if requests < 0:
        add("requests_per_month", f"must not be negative (is {requests:,})")
        priceable = False
    for field in ("cached_share", "cache_write_share", "cache_write_1h_share", "off_peak_share"):
        share: Decimal = fields[field]
        if not ZERO <= share <= ONE:
            add(field, f"must be between 0% and 100% (is {share:%})")
            priceable = False
    if fields["cached_share"] + fields["cache_write_share"] > ONE:
        add("cache_write_share", "cache reads and cache writes together exceed the whole input")
        priceable = False
    reasoning = fields["reasoning_tokens"]
    if reasoning < 0:
        add("reasoning_tokens", f"must not be negative (is {reasoning:,})")
        priceable = False
    if fields["monthly_growth"] <= -ONE:
        add("monthly_growth", "growth of -100% or less would make requests negative")
        priceable = False
    if rate is None:
        return findings, False
    mode = fields["mode"]
    both = fields["input_tokens"] + fields["output_tokens"]
    if rate.context_length is not None and both > rate.context_length:
        add(
            "input_tokens",
            f"input + output = {both:,} tokens is beyond "
            f"{rate.id}'s context length of {rate.context_length:,}",
        )
    # (Only a version with time-of-day windows has an off-peak price: see ``price_sets``.)
    if mode.per_token and not fields["off_peak_share"] and any(v.windows for v in rate.versions):
        cheap = next((c for v in rate.versions for c in [price_sets(v)[1]] if c is not None), None)
        if cheap is not None:
            hours = f" ({cheap.start:%H:%M}–{cheap.end:%H:%M} UTC)" if isinstance(cheap, TimeWindow) else ""
            add("off_peak_share", f"{rate.id} has an off-peak price{hours}; all requests are priced at the "
                                  "standard rate (set an off-peak share to use it)", Severity.INFO)
    if mode not in rate.modes and mode is not DeploymentMode.GPU_CLUSTER:
        # (A GPU cluster runs your own serving stack: no provider has to list it.)
        offered = ", ".join(m.label for m in rate.modes) or "no mode"
        add(
            "mode",
            f"the rate sheet does not list {mode.label} for {rate.id} (it lists {offered}); priced as asked",
            Severity.WARNING,
        )
    if not mode.per_token:
        ids = {e.id for e in plan.endpoints} if mode is DeploymentMode.DEDICATED else {c.id for c in plan.clusters}
        kind = "dedicated endpoint" if mode is DeploymentMode.DEDICATED else "GPU cluster"
        capacity = fields["capacity"]
        if not capacity:
            add("capacity", f"a {mode.label} workload must name the {kind} that serves it")
            priceable = False
        elif capacity not in ids:
            add("capacity", f"no {kind} with id {capacity!r} in the plan")
            priceable = False
    return findings, priceable


def rate_facts(rate: ModelRate) -> tuple:
    """What :func:`plainly_clean` asks of a rate, worked out once: (its context length, whether an
    off-peak price needs a note when a workload sets no off-peak share, its per-token modes)."""
    off_peak = any(price_sets(v)[1] is not None for v in rate.versions if v.windows)
    return rate.context_length, off_peak, frozenset(m for m in rate.modes if m.per_token)


_IN_LIMIT, _OUT_LIMIT, _REQUESTS_LIMIT, _GROWTH_LIMIT = (limit for _field, limit in _BOUNDED)


def plainly_clean(fields: dict, facts: tuple) -> bool:
    """True only when :func:`check_workload` would find nothing and price the workload (a per-token
    workload on a mode its rate lists, every figure in range): one expression instead of its
    checks one by one, for a plan whose workloads are each checked (an imported budget's are
    mostly distinct).  False says nothing: the workload goes through ``check_workload``.
    ``fields`` is the workload's ``__dict__``, ``facts`` its rate's :func:`rate_facts`.
    (tests/test_plainly_clean.py holds it to ``check_workload``.)"""
    context, off_peak_note, modes = facts
    inp, out = fields["input_tokens"], fields["output_tokens"]
    requests, growth = fields["requests_per_month"], fields["monthly_growth"]
    cached, writes, off_peak = fields["cached_share"], fields["cache_write_share"], fields["off_peak_share"]
    reasoning, writes_1h = fields["reasoning_tokens"], fields["cache_write_1h_share"]
    return (fields["mode"] in modes
            and inp.is_finite() and ZERO <= inp <= _IN_LIMIT and inp == inp.to_integral_value()
            and out.is_finite() and ZERO <= out <= _OUT_LIMIT and out == out.to_integral_value()
            and requests.is_finite() and ZERO <= requests <= _REQUESTS_LIMIT
            and growth.is_finite() and -ONE < growth <= _GROWTH_LIMIT
            and ZERO <= cached <= ONE and ZERO <= writes <= ONE and cached + writes <= ONE
            and ZERO <= writes_1h <= ONE and ZERO <= off_peak <= ONE and reasoning >= ZERO
            and (context is None or inp + out <= context)
            and (not off_peak_note or bool(off_peak)))
