"""Contract terms a plan is priced under: negotiated rates, commitments, credits, reservations, FX.

These are the plan's data (validated records, saved with it); ``pricing.terms`` applies them.

* A **discount** names a provider, a model (``together/deepseek-ai/DeepSeek-V3``, a bare model id)
  or a model family (a pattern with ``*``: ``claude-sonnet-4*``), and the months it is in force.
  It is either a percentage off list, applied to every price the model bills, or contract rates
  per 1M tokens for input and output in the plan's currency; the model's other prices then scale
  by the same ratio as the side they belong to.
* A **commitment** is a spend promised to a provider per month or per year; a shortfall is billed
  as a true-up in the month the period closes.
* **Credits** are prepaid (or granted) money drawn down month by month by the provider's usage.
* A **reservation** holds a dedicated endpoint or a GPU cluster at a committed GPU-hour rate for
  one or three years, paid monthly or all upfront.
* The **FX table** gives the plan's currency per US dollar from a month on.

Amounts entered here are in the plan's currency and are never converted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pricing.plan.money import currency_code

Money = Annotated[Decimal, Field(ge=0)]
Share = Annotated[Decimal, Field(ge=0, le=1)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _first(value: date | None) -> date | None:
    return value.replace(day=1) if value else value


class Discount(_Record):
    """Negotiated rates for a provider, a model or a model family, in force from ``starts`` to ``ends``."""

    provider: str = ""
    #: A model id, a full provider/model id, or a family pattern with '*'; blank: every model of the provider.
    model: str = ""
    #: First month in force (None: since always); ``ends`` is the last month in force (None: open).
    starts: date | None = None
    ends: date | None = None
    #: 0.2 = 20% off every price the model bills.
    percent_off: Share | None = None
    #: Contract rates per 1M tokens in the plan's currency (not converted).
    input_mtok: Money | None = None
    output_mtok: Money | None = None
    note: str = ""

    _months = field_validator("starts", "ends")(classmethod(lambda cls, v: _first(v)))

    @model_validator(mode="after")
    def _one_kind(self) -> Discount:
        contract = self.input_mtok is not None or self.output_mtok is not None
        if (self.percent_off is None) == (not contract):
            raise ValueError("a discount is either a percentage off list or contract rates per 1M, not both or neither")
        if not self.provider.strip() and not self.model.strip():
            raise ValueError("a discount names a provider, a model or a model family")
        if self.starts and self.ends and self.ends < self.starts:
            raise ValueError("a discount cannot end before it starts")
        return self

    @property
    def label(self) -> str:
        who = self.model or f"all {self.provider} models"
        if self.model and self.provider and not self.model.lower().startswith(self.provider.lower() + "/"):
            who = f"{self.provider}/{self.model}"
        return who

    def in_force(self, month: date) -> bool:
        return (self.starts is None or self.starts <= month) and (self.ends is None or month <= self.ends)


class Period(StrEnum):
    MONTH = "month"
    YEAR = "year"


class Commitment(_Record):
    """A committed spend with a provider (blank: all providers) per month or per year."""

    provider: str = ""
    amount: Annotated[Decimal, Field(gt=0)]
    period: Period = Period.MONTH
    starts: date
    #: Number of periods (None: through the horizon).
    periods: int | None = Field(default=None, ge=1)
    note: str = ""

    _months = field_validator("starts")(classmethod(lambda cls, v: _first(v)))


class Credit(_Record):
    """Credits drawn down by a provider's usage (blank: every provider) from ``starts`` on."""

    provider: str = ""
    amount: Annotated[Decimal, Field(gt=0)]
    starts: date
    #: Prepaid credits are billed as a purchase in their first month; granted ones are not billed.
    prepaid: bool = True
    note: str = ""

    _months = field_validator("starts")(classmethod(lambda cls, v: _first(v)))


class Reservation(_Record):
    """A dedicated endpoint or GPU cluster reserved at a committed GPU-hour rate for 1 or 3 years."""

    capacity: str = Field(min_length=1)
    years: int = Field(default=1, ge=1, le=3)
    gpu_hour_rate: Money
    starts: date
    #: All upfront: the whole term is billed in its first month and spread over it as effective cost.
    upfront: bool = False
    note: str = ""

    _months = field_validator("starts")(classmethod(lambda cls, v: _first(v)))

    @field_validator("years")
    @classmethod
    def _one_or_three(cls, value: int) -> int:
        if value not in (1, 3):
            raise ValueError("a reservation runs one or three years")
        return value

    @property
    def months(self) -> int:
        return 12 * self.years


class FxRate(_Record):
    """The plan's currency per US dollar from ``month`` on (0.92 EUR per USD)."""

    month: date
    per_usd: Annotated[Decimal, Field(gt=0)]

    _months = field_validator("month")(classmethod(lambda cls, v: v.replace(day=1)))


class Terms(_Record):
    #: The currency the plan's rate sheet, endpoints and clusters are written in (the catalog's: USD).
    rates_currency: str = "USD"
    discounts: tuple[Discount, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    credits: tuple[Credit, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    fx: tuple[FxRate, ...] = ()

    @field_validator("rates_currency")
    @classmethod
    def _iso(cls, value: str) -> str:
        return currency_code(value)

    @field_validator("fx")
    @classmethod
    def _fx_by_month(cls, fx: tuple[FxRate, ...]) -> tuple[FxRate, ...]:
        ordered = tuple(sorted(fx, key=lambda r: r.month))
        months = [r.month for r in ordered]
        dupes = sorted({m for m in months if months.count(m) > 1})
        if dupes:
            raise ValueError(f"two FX rates for {dupes[0]:%B %Y}")
        return ordered

    @property
    def empty(self) -> bool:
        return not (self.discounts or self.commitments or self.credits or self.reservations or self.fx)
