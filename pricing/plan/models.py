"""The plan: rates, workloads, capacity and assumptions, as validated pydantic records.

Every rate and amount is a ``Decimal``.  Token counts and volumes are Decimals too, so
that a bad value a user typed (``-3``, ``2.5`` tokens) can be held and reported by the
engine as a finding instead of being refused at the door.  Structural errors (a rate
that is not a number at all) are refused by validation.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, partial
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from pricing.plan import bounds
from pricing.plan.records import NonNegative, Strict
from pricing.plan.tracking import ActualLine, BudgetLine
from pricing.plan.money import DEFAULT_LOCALE, ZERO, currency_code, locale_name
from pricing.plan.scenario_records import Scenario, check_unique_names
from pricing.plan.terms import Terms

class DeploymentMode(StrEnum):
    SERVERLESS = "serverless"
    BATCH = "batch"
    DEDICATED = "dedicated"
    GPU_CLUSTER = "gpu_cluster"

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]

    @cached_property
    def per_token(self) -> bool:
        """Serverless and Batch bill tokens; Dedicated and GPU clusters bill capacity.

        Kept on the member once asked (the projection asks four times a workload)."""
        return self in (DeploymentMode.SERVERLESS, DeploymentMode.BATCH)

    @classmethod
    def parse(cls, text: str) -> DeploymentMode:
        """Accept the words people use: 'Serverless', 'on-demand', 'Batch API', 'Dedicated', 'GPU'."""
        key = " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())
        for mode, words in _MODE_SYNONYMS.items():
            if key in words:
                return mode
        for mode, words in _MODE_SYNONYMS.items():
            if any(key.startswith(w) for w in words if len(w) > 3):
                return mode
        raise ValueError(f"unknown deployment mode {text!r} (use Serverless, Batch, Dedicated or GPU cluster)")


_MODE_LABELS = {
    DeploymentMode.SERVERLESS: "Serverless",
    DeploymentMode.BATCH: "Batch",
    DeploymentMode.DEDICATED: "Dedicated",
    DeploymentMode.GPU_CLUSTER: "GPU cluster",
}
_MODE_SYNONYMS = {
    DeploymentMode.SERVERLESS: {"serverless", "on demand", "ondemand", "pay as you go", "payg", "realtime",
                                "real time", "api", "shared", "serverless inference"},
    DeploymentMode.BATCH: {"batch", "batch api", "batch inference", "async", "offline"},
    DeploymentMode.DEDICATED: {"dedicated", "dedicated endpoint", "dedicated inference", "reserved",
                               "on demand dedicated", "provisioned", "dedicated model inference",
                               "dedicated container inference", "endpoint"},
    DeploymentMode.GPU_CLUSTER: {"gpu cluster", "gpu clusters", "gpu", "cluster", "self hosted", "selfhosted"},
}


class PromptTier(Strict):
    """Rates for requests whose prompt is longer than a threshold.

    A tier is a cliff, not a marginal rate: once a request's whole prompt (cached tokens
    included) is above ``above_input_tokens``, *all* its tokens, input and output, are
    billed at the tier's rates.  By default "above" is strict (a prompt of exactly the
    threshold stays on the base rates), as in genai-prices; ``inclusive`` makes the
    threshold itself count as above, for vendors who bill it that way.
    """

    above_input_tokens: int = Field(ge=0)
    inclusive: bool = False
    input_mtok: NonNegative
    output_mtok: NonNegative
    cached_input_mtok: NonNegative | None = None
    cache_write_mtok: NonNegative | None = None
    cache_write_1h_mtok: NonNegative | None = None
    reasoning_mtok: NonNegative | None = None

    @field_validator("input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok", "cache_write_1h_mtok",
                     "reasoning_mtok")
    @classmethod
    def _within_bounds(cls, value: Decimal | None, info) -> Decimal | None:
        return value if value is None else bounds.check(info.field_name, value)

    def applies_to(self, prompt_tokens: Decimal) -> bool:
        if self.inclusive:
            return prompt_tokens >= self.above_input_tokens
        return prompt_tokens > self.above_input_tokens


class TimeWindow(Strict):
    """Rates in force every day between two UTC times of day (a provider's peak or off-peak hours).

    ``start`` is inclusive and ``end`` exclusive; a window whose end is before its start runs
    over midnight.  A window is a whole price list: while it is in force the version's own
    rates and prompt tiers do not apply, and a rate it leaves out falls back as a version's
    does (cache hits at the input rate, reasoning at the output rate).
    """

    start: time
    end: time
    input_mtok: NonNegative
    output_mtok: NonNegative
    cached_input_mtok: NonNegative | None = None
    cache_write_mtok: NonNegative | None = None
    cache_write_1h_mtok: NonNegative | None = None
    reasoning_mtok: NonNegative | None = None
    request_fee_kcount: NonNegative | None = None

    def active(self, moment: time) -> bool:
        """Whether a request at ``moment`` (UTC time of day) is billed at this window's rates."""
        if self.end < self.start:
            return moment >= self.start or moment < self.end
        return self.start <= moment < self.end

    @property
    def hours(self) -> Decimal:
        """How many hours of the day the window covers."""
        minutes = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        return Decimal(minutes % (24 * 60) or 24 * 60) / 60


class RateVersion(Strict):
    """A model's published per-1M-token rates from a date on (``None``: since always).

    Besides input, cached input and output: cache writes (5-minute, and 1-hour where the
    provider prices them apart), reasoning tokens where they have a rate of their own (else
    they are output), a fee per 1,000 requests, time-of-day windows (the latest active one
    wins, as in genai-prices) and service tiers.
    """

    effective_from: date | None = None
    input_mtok: NonNegative
    output_mtok: NonNegative
    cached_input_mtok: NonNegative | None = None
    cache_write_mtok: NonNegative | None = None
    cache_write_1h_mtok: NonNegative | None = None
    reasoning_mtok: NonNegative | None = None
    #: $ per 1,000 requests, on top of the tokens (Perplexity's sonar family).
    request_fee_kcount: NonNegative | None = None
    tiers: tuple[PromptTier, ...] = ()
    windows: tuple[TimeWindow, ...] = ()

    def window_at(self, moment: time) -> TimeWindow | None:
        """The time-of-day window in force at ``moment`` (UTC), the last listed winning."""
        for window in reversed(self.windows):
            if window.active(moment):
                return window
        return None

    @field_validator("input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok", "cache_write_1h_mtok",
                     "reasoning_mtok")
    @classmethod
    def _within_bounds(cls, value: Decimal | None, info) -> Decimal | None:
        return value if value is None else bounds.check(info.field_name, value)

    @field_validator("tiers")
    @classmethod
    def _tiers_ascending(cls, tiers: tuple[PromptTier, ...]) -> tuple[PromptTier, ...]:
        return tuple(sorted(tiers, key=lambda t: t.above_input_tokens))

    def tier_for(self, prompt_tokens: Decimal) -> PromptTier | None:
        """The highest tier whose threshold the prompt crosses, or None for base rates."""
        for tier in reversed(self.tiers):
            if tier.applies_to(prompt_tokens):
                return tier
        return None


class ModelRate(Strict):
    """One model on the rate sheet, with its dated rate versions."""

    provider: str = Field(min_length=1)
    model_id: str = Field(min_length=1)
    display_name: str = ""
    context_length: int | None = Field(default=None, gt=0)
    modes: tuple[DeploymentMode, ...] = (DeploymentMode.SERVERLESS,)
    versions: tuple[RateVersion, ...] = Field(min_length=1)
    #: Batch discount for this model (0.5 = 50% off); None takes the plan's default.
    batch_discount: Annotated[Decimal, Field(ge=0, le=1)] | None = None
    #: Some providers bill batch cache hits at the normal cache rate.
    batch_discounts_cached_input: bool = True
    source: str = ""

    @property
    def id(self) -> str:
        return f"{self.provider}/{self.model_id}"

    @property
    def name(self) -> str:
        return self.display_name or self.model_id

    @field_validator("versions")
    @classmethod
    def _versions_in_date_order(cls, versions: tuple[RateVersion, ...]) -> tuple[RateVersion, ...]:
        ordered = tuple(sorted(versions, key=lambda v: v.effective_from or date.min))
        seen: set[date | None] = set()
        for v in ordered:
            if v.effective_from in seen:
                raise ValueError(f"two rate versions start on {v.effective_from or 'the same day'}")
            seen.add(v.effective_from)
        return ordered

    def version_on(self, day: date) -> RateVersion:
        """The rates in force on ``day``: the latest version that started on or before it.

        Before the first dated version, the earliest version applies.
        """
        chosen = self.versions[0]
        for version in self.versions:
            if version.effective_from is None or version.effective_from <= day:
                chosen = version
            else:
                break
        return chosen

    @property
    def current(self) -> RateVersion:
        return self.versions[-1]


def _bounded(field: str):
    """A Decimal held within ``field``'s bound (pricing.plan.bounds), checked by a plain call: a
    field validator is handed a validation-info object at each call, a quarter of the time
    validating a workload takes (100,000 of them in a large import)."""
    return Annotated[Decimal, AfterValidator(partial(bounds.check, field))]


_InputTokens = _bounded("input_tokens")
_OutputTokens = _bounded("output_tokens")
_CachedShare = _bounded("cached_share")
_CacheWriteShare = _bounded("cache_write_share")
_CacheWrite1hShare = _bounded("cache_write_1h_share")
_ReasoningTokens = _bounded("reasoning_tokens")
_OffPeakShare = _bounded("off_peak_share")
_RequestsPerMonth = _bounded("requests_per_month")
_MonthlyGrowth = _bounded("monthly_growth")


class Workload(Strict):
    """A stream of requests to one model: the row of the Workloads grid."""

    name: str
    model: str
    mode: DeploymentMode = DeploymentMode.SERVERLESS
    input_tokens: _InputTokens
    output_tokens: _OutputTokens
    #: Share of the input tokens read from the prompt cache (0 to 1), billed at the cached rate.
    cached_share: _CachedShare = ZERO
    #: Share of the input tokens written to the prompt cache (0 to 1), billed at the cache-write rate.
    cache_write_share: _CacheWriteShare = ZERO
    #: Share of those cache writes kept for one hour (billed at the 1-hour write rate where there is one).
    cache_write_1h_share: _CacheWrite1hShare = ZERO
    #: Reasoning (thinking) tokens per request, on top of ``output_tokens``, billed as output.
    reasoning_tokens: _ReasoningTokens = ZERO
    #: Share of requests sent in the provider's off-peak hours (0: all at the standard rate).
    off_peak_share: _OffPeakShare = ZERO
    requests_per_month: _RequestsPerMonth
    tenant: str = ""
    feature: str = ""
    environment: str = ""
    #: First month with traffic (first of a month); None starts with the plan.
    start_month: date | None = None
    #: Compound growth of requests per month: 0.05 = +5% a month.
    monthly_growth: _MonthlyGrowth = ZERO
    notes: str = ""
    #: For Dedicated and GPU-cluster workloads: the id of the endpoint or cluster serving it.
    capacity: str | None = None
    #: Share taken off this workload's cost (0.1 = 10% off): a negotiated price or a scenario's discount.
    discount: Annotated[Decimal, Field(ge=0, le=1)] = ZERO

    @field_validator("start_month")
    @classmethod
    def _first_of_month(cls, value: date | None) -> date | None:
        # Most are the first already: date.replace makes a new date (0.5 µs, 100,000 times in an import).
        return value if not value or value.day == 1 else value.replace(day=1)


class DedicatedEndpoint(Strict):
    """A model served on reserved GPUs, billed for capacity whether used or not.

    Billed either per GPU-hour (gpus_per_replica × replicas × hours × rate) or as a monthly
    commitment; ``overage_mtok`` bills tokens served beyond ``included_tokens``.
    """

    id: str = Field(min_length=1)
    name: str = ""
    model: str
    gpu_type: str = ""
    gpus_per_replica: int = Field(default=1, ge=1)
    replicas: int = Field(default=1, ge=1)
    gpu_hour_rate: NonNegative | None = None
    monthly_commitment: NonNegative | None = None
    included_tokens: NonNegative | None = None
    overage_mtok: NonNegative | None = None
    #: None takes the plan's hours per month (730).
    hours_per_month: NonNegative | None = None
    #: Sustained tokens per second one replica serves (input + output).
    throughput_tokens_per_s: NonNegative = ZERO
    notes: str = ""

    @model_validator(mode="after")
    def _priced(self) -> DedicatedEndpoint:
        if self.gpu_hour_rate is None and self.monthly_commitment is None:
            raise ValueError("a dedicated endpoint needs a $/GPU-hour rate or a monthly commitment")
        return self


class GpuCluster(Strict):
    """Raw GPUs you run your own serving stack on: GPU-hours × rate + storage + networking."""

    id: str = Field(min_length=1)
    name: str = ""
    gpu_type: str = ""
    gpu_count: int = Field(ge=1)
    gpu_hour_rate: NonNegative
    hours_per_month: NonNegative | None = None
    storage_monthly: NonNegative = ZERO
    networking_monthly: NonNegative = ZERO
    #: Sustained tokens per second one GPU generates with your stack.
    throughput_tokens_per_s_per_gpu: NonNegative = ZERO
    notes: str = ""


#: Batch's discount off the published rates when neither the model nor the plan says otherwise.
DEFAULT_BATCH_DISCOUNT = Decimal("0.5")


def batch_discount_for(rate: ModelRate, plan_discount: Decimal = DEFAULT_BATCH_DISCOUNT) -> Decimal:
    """The one rule for Batch's discount: the model's own, else the plan's (by default 50%)."""
    return rate.batch_discount if rate.batch_discount is not None else plan_discount


class Assumptions(Strict):
    #: The plan's currency (ISO 4217); every figure is shown and computed in it.
    currency: str = "USD"
    #: How figures are written (a Babel locale: en_US, de_DE, fr_FR ...).
    locale: str = DEFAULT_LOCALE
    first_month: date
    horizon_months: int = Field(default=36, ge=12, le=36)
    hours_per_month: Annotated[Decimal, Field(gt=0)] = Decimal(730)
    batch_discount: Annotated[Decimal, Field(ge=0, le=1)] = DEFAULT_BATCH_DISCOUNT
    #: Enqueued batch tokens allowed per model (30 billion on Together AI).
    batch_token_limit: Annotated[Decimal, Field(gt=0)] = Decimal(30_000_000_000)
    #: Month (1-12) the fiscal year starts in, for fiscal-year subtotals.
    fiscal_year_start: int = Field(default=1, ge=1, le=12)

    @field_validator("first_month")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        return value.replace(day=1)

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        return currency_code(value)

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        return locale_name(value)


#: The plan JSON format's version: a plan file says which it was written in, and a file from a
#: newer Token Budget is refused by name rather than misread.  Raise it when a field changes
#: meaning (adding an optional field does not).
PLAN_FORMAT_VERSION = 1


class Plan(Strict):
    """Everything a budget needs: assumptions, the rate sheet, workloads and capacity."""

    #: Which version of the plan format this was written in (see PLAN_FORMAT_VERSION).
    format_version: int = Field(default=PLAN_FORMAT_VERSION, ge=1)
    name: str = "Untitled plan"
    assumptions: Assumptions
    rates: tuple[ModelRate, ...] = ()
    workloads: tuple[Workload, ...] = ()
    endpoints: tuple[DedicatedEndpoint, ...] = ()
    clusters: tuple[GpuCluster, ...] = ()
    #: Budget lines the projection is held against (see pricing.budgets).
    budgets: tuple[BudgetLine, ...] = ()
    #: Actual spend loaded from provider exports and bills (see pricing.actuals).
    actuals: tuple[ActualLine, ...] = ()
    #: Named sets of changes on top of this plan (pricing.scenarios applies them).
    scenarios: tuple[Scenario, ...] = ()
    #: Negotiated rates, commitments, credits, reservations and the FX table.
    terms: Terms = Terms()

    @field_validator("format_version")
    @classmethod
    def _known_format(cls, version: int) -> int:
        if version > PLAN_FORMAT_VERSION:
            raise ValueError(f"written by a newer Token Budget (plan format {version}; this version reads up to "
                             f"{PLAN_FORMAT_VERSION}): update Token Budget to open it")
        return version

    @model_validator(mode="after")
    def _unique_ids(self) -> Plan:
        check_unique_names(self.scenarios)
        for label, ids in (
            ("rate", [r.id.lower() for r in self.rates]),
            ("endpoint/cluster", [e.id for e in self.endpoints] + [c.id for c in self.clusters]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {label} id(s): {', '.join(dupes)}")
        return self

    def batch_discount_for(self, rate: ModelRate) -> Decimal:
        return batch_discount_for(rate, self.assumptions.batch_discount)

    def hours_per_month(self, capacity: DedicatedEndpoint | GpuCluster) -> Decimal:
        return capacity.hours_per_month if capacity.hours_per_month is not None else self.assumptions.hours_per_month


Plan.model_rebuild()
