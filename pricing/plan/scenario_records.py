"""Scenarios: named sets of changes on top of the base plan (records only; pricing.scenarios applies them).

A change has a scope (the whole plan, or a tenant, feature, environment, model or workload by
name) and one edit of what the scope's workloads ask for or pay.  Its value is kept as the text
a user typed or a workbook cell held; numeric changes are checked to be numbers on the way in.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pricing.plan.numbers import parse_number
from pricing.plan.money import D

#: The name under which the plan itself appears beside its scenarios.
BASE = "Base"


class ScenarioScope(StrEnum):
    ALL = "all"
    TENANT = "tenant"
    FEATURE = "feature"
    ENVIRONMENT = "environment"
    MODEL = "model"
    WORKLOAD = "workload"

    @classmethod
    def parse(cls, text: str) -> ScenarioScope:
        key = str(text or "").strip().lower()
        if key in ("", "all", "plan", "whole plan", "everything", "*"):
            return cls.ALL
        for scope in cls:
            if key in (scope.value, scope.value + "s"):
                return scope
        raise ValueError(f"unknown scope {text!r} (use all, tenant, feature, environment, model or workload)")


class ChangeKind(StrEnum):
    """What a change does; the value is the label the workbook's Change column shows."""

    REQUESTS = "Requests ×"
    GROWTH = "Growth set to"
    GROWTH_SHIFT = "Growth shifted by"
    START_SHIFT = "Start shifted by (months)"
    MODEL = "Model swapped to"
    MODE = "Mode changed to"
    TOKENS = "Tokens ×"
    DISCOUNT = "Discount"

    @property
    def numeric(self) -> bool:
        return self not in (ChangeKind.MODEL, ChangeKind.MODE)

    @classmethod
    def parse(cls, text: str) -> ChangeKind:
        key = " ".join(str(text or "").strip().lower().replace("x", "×").split())
        for kind in cls:
            if key == kind.value.lower():
                return kind
        for kind, words in _CHANGE_WORDS.items():
            if key in words:
                return kind
        labels = ", ".join(k.value for k in cls)
        raise ValueError(f"unknown change {text!r} (use one of: {labels})")


_CHANGE_WORDS = {
    ChangeKind.REQUESTS: {"requests", "requests *", "requests factor", "volume ×", "volume"},
    ChangeKind.GROWTH: {"growth", "growth =", "growth set", "monthly growth"},
    ChangeKind.GROWTH_SHIFT: {"growth +", "growth shift", "growth shifted", "growth change"},
    ChangeKind.START_SHIFT: {"start", "start +", "start shift", "start shifted by", "start months", "delay"},
    ChangeKind.MODEL: {"model", "model swap", "swap model", "model swapped", "model →", "model ->"},
    ChangeKind.MODE: {"mode", "mode change", "mode changed", "deployment mode"},
    ChangeKind.TOKENS: {"tokens", "tokens *", "tokens factor", "tokens per request ×"},
    ChangeKind.DISCOUNT: {"discount", "discount %", "cost discount", "% off"},
}


class ScenarioChange(BaseModel):
    """One change: ``change`` with ``value`` on the workloads ``applies_to`` / ``name`` selects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    applies_to: ScenarioScope = ScenarioScope.ALL
    name: str = ""
    change: ChangeKind
    value: str

    @field_validator("applies_to", mode="before")
    @classmethod
    def _scope(cls, value: object) -> object:
        return ScenarioScope.parse(value) if isinstance(value, str) else value

    @field_validator("change", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return ChangeKind.parse(value) if isinstance(value, str) else value

    @field_validator("value", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return format(D(value), "f")
        if isinstance(value, float):
            return repr(value)
        return value

    @model_validator(mode="after")
    def _checked(self) -> ScenarioChange:
        if self.applies_to is not ScenarioScope.ALL and not self.name.strip():
            raise ValueError(f"a change that applies to a {self.applies_to} must name it")
        if not self.value.strip():
            raise ValueError(f"{self.change.value} needs a value")
        if self.change.numeric:
            number = self.number
            if self.change in (ChangeKind.REQUESTS, ChangeKind.TOKENS) and number < 0:
                raise ValueError(f"{self.change.value} must not be negative (is {number})")
            if self.change is ChangeKind.DISCOUNT and not 0 <= number <= 1:
                raise ValueError(f"a discount is between 0% and 100% (is {number:%})")
            if self.change is ChangeKind.START_SHIFT and number != number.to_integral_value():
                raise ValueError(f"a start shift is a whole number of months (is {number})")
        return self

    @property
    def number(self) -> Decimal:
        """The value as a number (numeric changes only): '1.5', '50%' (0.5), '-2'."""
        try:
            return parse_number(self.value)
        except ValueError as exc:
            raise ValueError(f"{self.change.value}: {exc}") from None

    def describe(self) -> str:
        where = "every workload" if self.applies_to is ScenarioScope.ALL else f"{self.applies_to} {self.name!r}"
        return f"{self.change.value} {self.value} on {where}"


class Scenario(BaseModel):
    """A named set of changes, applied in order, on top of the base plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    changes: tuple[ScenarioChange, ...] = ()
    notes: str = ""

    @field_validator("name")
    @classmethod
    def _not_base(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a scenario needs a name")
        if value.lower() == BASE.lower():
            raise ValueError(f"{BASE!r} is the plan itself; give the scenario another name")
        return value


def check_unique_names(scenarios: tuple[Scenario, ...]) -> None:
    names = [s.name.lower() for s in scenarios]
    dupes = sorted({s.name for s in scenarios if names.count(s.name.lower()) > 1})
    if dupes:
        raise ValueError(f"duplicate scenario name(s): {', '.join(dupes)}")
