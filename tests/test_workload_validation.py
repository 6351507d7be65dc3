"""A workload's bounds, checked by a plain call per field, validate as the field validator
handed each field's name did: the same records and the same errors, value for value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field, ValidationError, field_validator
from typing import Annotated

from pricing.plan import bounds
from pricing.plan.models import DeploymentMode, Workload
from pricing.plan.money import ZERO
from pricing.plan.records import Strict

BOUNDED = ("input_tokens", "output_tokens", "cached_share", "cache_write_share", "cache_write_1h_share",
           "reasoning_tokens", "off_peak_share", "requests_per_month", "monthly_growth")


class Reference(Strict):
    """Workload as it was written with one field validator for every bounded field."""

    name: str
    model: str
    mode: DeploymentMode = DeploymentMode.SERVERLESS
    input_tokens: Decimal
    output_tokens: Decimal
    cached_share: Decimal = ZERO
    cache_write_share: Decimal = ZERO
    cache_write_1h_share: Decimal = ZERO
    reasoning_tokens: Decimal = ZERO
    off_peak_share: Decimal = ZERO
    requests_per_month: Decimal
    tenant: str = ""
    feature: str = ""
    environment: str = ""
    start_month: date | None = None
    monthly_growth: Decimal = ZERO
    notes: str = ""
    capacity: str | None = None
    discount: Annotated[Decimal, Field(ge=0, le=1)] = ZERO

    @field_validator("start_month")
    @classmethod
    def _first_of_month(cls, value: date | None) -> date | None:
        return value.replace(day=1) if value else value

    @field_validator(*BOUNDED)
    @classmethod
    def _within_bounds(cls, value: Decimal, info) -> Decimal:
        return bounds.check(info.field_name, value)


def _outcome(model, values):
    try:
        return ("valid", model(**values).model_dump(mode="json"))
    except ValidationError as exc:
        return ("refused", [(e["type"], e["loc"], e["msg"]) for e in exc.errors()])


NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("1E+13"), Decimal("1E+30"), Decimal("-1"), Decimal("1.5"), Decimal("0.5"), ZERO]),
    st.integers(-10, 10**16), st.floats(allow_nan=True), st.sampled_from(["12", "abc", None, True]))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(BOUNDED), NUMBERS),
       st.sampled_from([None, date(2026, 3, 9), "2026-03-01", "junk"]))
def test_bounded_fields_validate_as_the_field_validator_did(numbers, start):
    values = {"name": "w", "model": "m", "input_tokens": Decimal(1), "output_tokens": Decimal(2),
              "requests_per_month": Decimal(3)} | numbers
    if start is not None:
        values["start_month"] = start
    assert _outcome(Workload, values) == _outcome(Reference, values)
