"""Pricing one request, and checking a workload before it is priced.

    request cost = uncached input / 1M × input rate
                 + cached input   / 1M × cached-input rate
                 + output         / 1M × output rate

Cached tokens are part of the prompt (as OpenAI-compatible usage counts them), so they are
taken *out* of the input and billed once, at the cached rate.  A prompt-size tier is a cliff:
when the whole prompt (cache included) is above the tier's threshold, every token of the
request is billed at the tier's rates.  Batch takes the model's (or the plan's) discount off
the published rates; a model may keep cache hits at the normal cached rate on Batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing.plan.findings import Finding, Severity
from pricing.plan.models import DeploymentMode, ModelRate, Plan, PromptTier, RateVersion, Workload
from pricing.plan.money import MILLION, ONE, ZERO
from pricing.costing.rates import AmbiguousModel, RateBook, UnknownModel


@dataclass(frozen=True, slots=True)
class RequestCost:
    """The cost of one request, line by line, with the rates that produced it."""

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

    @property
    def total(self) -> Decimal:
        return self.input + self.cached_input + self.output

    @property
    def tokens(self) -> Decimal:
        return self.uncached_input_tokens + self.cached_input_tokens + self.output_tokens


def price_request(
    rate: ModelRate,
    version: RateVersion,
    input_tokens: Decimal,
    output_tokens: Decimal,
    *,
    cached_share: Decimal = ZERO,
    mode: DeploymentMode = DeploymentMode.SERVERLESS,
    batch_discount: Decimal = ZERO,
) -> RequestCost:
    """Price one request at ``version``'s rates (per-token modes only)."""
    if not mode.per_token:
        raise ValueError(f"{mode.label} is billed for capacity, not per token")
    tier = version.tier_for(input_tokens)
    source = tier or version
    input_rate = source.input_mtok
    output_rate = source.output_mtok
    cached_rate = source.cached_input_mtok
    if cached_rate is None:
        # No cache rate published: cache hits are billed as ordinary input.
        cached_rate = input_rate
    discount = ZERO
    if mode is DeploymentMode.BATCH:
        discount = batch_discount
        keep = ONE - discount
        input_rate = input_rate * keep
        output_rate = output_rate * keep
        if rate.batch_discounts_cached_input:
            cached_rate = cached_rate * keep
    cached_tokens = input_tokens * cached_share
    uncached_tokens = input_tokens - cached_tokens
    return RequestCost(
        uncached_input_tokens=uncached_tokens,
        cached_input_tokens=cached_tokens,
        output_tokens=output_tokens,
        input_rate=input_rate,
        cached_input_rate=cached_rate,
        output_rate=output_rate,
        input=uncached_tokens * input_rate / MILLION,
        cached_input=cached_tokens * cached_rate / MILLION,
        output=output_tokens * output_rate / MILLION,
        mode=mode,
        discount=discount,
        tier=tier,
        version=version,
    )


def resolve_model(book: RateBook, workload: Workload, row: int | None = None) -> tuple[ModelRate | None, Finding | None]:
    try:
        return book.resolve(workload.model), None
    except (UnknownModel, AmbiguousModel) as exc:
        return None, Finding(str(exc), Severity.ERROR, "model", workload.name, row)


def check_workload(
    plan: Plan, workload: Workload, rate: ModelRate | None, row: int | None = None
) -> tuple[list[Finding], bool]:
    """Findings for one workload, and whether its cost can be computed at all."""
    findings: list[Finding] = []
    priceable = rate is not None

    def add(field: str, message: str, severity: Severity = Severity.ERROR) -> None:
        findings.append(Finding(message, severity, field, workload.name, row))

    for field in ("input_tokens", "output_tokens"):
        value: Decimal = getattr(workload, field)
        if value < 0:
            add(field, f"must not be negative (is {value:,})")
            priceable = False
        elif value != value.to_integral_value():
            add(field, f"a token count is a whole number; {value} is priced as an average", Severity.WARNING)
    if workload.requests_per_month < 0:
        add("requests_per_month", f"must not be negative (is {workload.requests_per_month:,})")
        priceable = False
    if not ZERO <= workload.cached_share <= ONE:
        add("cached_share", f"must be between 0% and 100% (is {workload.cached_share:%})")
        priceable = False
    if workload.monthly_growth <= -ONE:
        add("monthly_growth", "growth of -100% or less would make requests negative")
        priceable = False
    if rate is None:
        return findings, False
    if rate.context_length is not None and workload.input_tokens + workload.output_tokens > rate.context_length:
        add(
            "input_tokens",
            f"input + output = {workload.input_tokens + workload.output_tokens:,} tokens is beyond "
            f"{rate.id}'s context length of {rate.context_length:,}",
        )
    if workload.mode not in rate.modes:
        offered = ", ".join(m.label for m in rate.modes) or "no mode"
        add(
            "mode",
            f"the rate sheet does not list {workload.mode.label} for {rate.id} (it lists {offered}); priced as asked",
            Severity.WARNING,
        )
    if not workload.mode.per_token:
        ids = {e.id for e in plan.endpoints} if workload.mode is DeploymentMode.DEDICATED else {c.id for c in plan.clusters}
        kind = "dedicated endpoint" if workload.mode is DeploymentMode.DEDICATED else "GPU cluster"
        if not workload.capacity:
            add("capacity", f"a {workload.mode.label} workload must name the {kind} that serves it")
            priceable = False
        elif workload.capacity not in ids:
            add("capacity", f"no {kind} with id {workload.capacity!r} in the plan")
            priceable = False
    return findings, priceable
