"""What comparing a workload's modes gives: ``ModeComparison``, and its recommendation in words.

A whole plan's comparisons are built in bulk (``compare_plan``), so a comparison is made without
the frozen dataclass's per-field ``object.__setattr__`` (``draft``), and its recommendation is
written when first read.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal

from pricing.plan.findings import Finding
from pricing.plan.models import DeploymentMode
from pricing.plan.money import ZERO, format_money, format_rate
from pricing.plan.months import label

S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH
#: Words in a workload's name, feature or notes that make it offline-capable (Batch may be recommended).
OFFLINE_WORDS = ("offline", "nightly", "batch", "async", "overnight", "backfill", "synthetic")
OFFLINE = re.compile("|".join(OFFLINE_WORDS))


@dataclass(frozen=True, slots=True)
class ModeComparison:
    index: int
    workload: str
    model: str
    month: int
    month_start: date
    current_mode: DeploymentMode
    requests: Decimal = ZERO
    tokens_per_request: Decimal = ZERO
    tokens: Decimal = ZERO
    serverless_cost_per_request: Decimal | None = None
    blended_serverless_rate_per_mtok: Decimal | None = None
    serverless_monthly: Decimal | None = None
    batch_monthly: Decimal | None = None
    endpoint_monthly: Decimal | None = None
    endpoint_alone_monthly: Decimal | None = None
    endpoint_is_share: bool = False
    endpoint_mode: DeploymentMode | None = None
    candidate_id: str | None = None
    candidate_source: str = ""  # 'requested' | 'workload' | 'plan' | 'reference'
    candidate_description: str = ""
    #: Replicas (GPUs) of the candidate at this volume: configured size if shared, sized alone otherwise.
    endpoint_replicas: int | None = None
    endpoint_utilization: Decimal | None = None
    endpoint_effective_rate_per_mtok: Decimal | None = None
    break_even_requests: Decimal | None = None
    break_even_utilization: Decimal | None = None
    #: The capacity is cheaper only up to this volume (one more unit is then needed); None: for good.
    break_even_until: Decimal | None = None
    #: The least volume from which the capacity is never dearer than Serverless (None: never).
    stays_ahead_from: Decimal | None = None
    break_even_note: str = ""
    offline_capable: bool = False
    cheapest: DeploymentMode | None = None
    recommended: DeploymentMode | None = None
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    #: The recommendation's text, or what it is written from until first read (the first month with
    #: traffic, currency, locale): most comparisons of a whole plan are never read as text.
    _recommendation: str | tuple = field(default="", repr=False, compare=False)

    @property
    def recommendation(self) -> str:
        text = self._recommendation
        if text.__class__ is not str:
            text = _recommendation_text(self, *text)
            object.__setattr__(self, "_recommendation", text)
        return text

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _compared(self) == _compared(other) and self.recommendation == other.recommendation

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"ModeComparison({shown}, recommendation={self.recommendation!r})"

    @property
    def costs(self) -> dict[DeploymentMode, Decimal]:
        """Monthly cost of each mode that can be priced, Serverless first."""
        out = {}
        if self.serverless_monthly is not None:
            out[S] = self.serverless_monthly
        if self.batch_monthly is not None:
            out[B] = self.batch_monthly
        if self.endpoint_monthly is not None and self.endpoint_mode is not None:
            out[self.endpoint_mode] = self.endpoint_monthly
        return out


def _compared(c: ModeComparison) -> tuple:
    return tuple(getattr(c, f.name) for f in fields(c) if f.compare)


def _drafting_class() -> type:
    """A class laid out as ``ModeComparison`` (the same slots) whose ``__init__`` stores each field
    straight into its slot and then makes the object a ``ModeComparison``: the same object as the
    dataclass's ``__init__`` makes, in about half the time."""
    names = [f.name for f in fields(ModeComparison)]
    assert tuple(names) == ModeComparison.__slots__
    defaults, params = {}, []
    for f in fields(ModeComparison):
        if f.default is not MISSING:
            defaults[f"_d_{f.name}"] = f.default
        elif f.default_factory is not MISSING:
            defaults[f"_d_{f.name}"] = f.default_factory()  # (an empty tuple: shared, as it may be)
        params.append(f"{f.name}=_d_{f.name}" if f"_d_{f.name}" in defaults else f.name)
    params = ", ".join(params)
    body = "".join(f"    self.{n} = {n}\n" for n in names)
    namespace = dict(defaults, _ModeComparison=ModeComparison)
    exec(f"def __init__(self, *, {params}):\n{body}    self.__class__ = _ModeComparison\n", namespace)
    return type("_DraftComparison", (), {"__slots__": ModeComparison.__slots__, "__init__": namespace["__init__"]})


#: ``draft(**fields)`` is ``ModeComparison(**fields)``, made faster (see ``_drafting_class``).
draft = _drafting_class()


def _pct_cheaper(low: Decimal, high: Decimal) -> str:
    return f"{(high - low) / high:.0%}" if high > 0 else "0%"

def _recommendation_text(c: ModeComparison, starts: date | None, currency: str | None = None,
                         locale: str | None = None) -> str:
    def money(value):
        return format_money(value, 2, currency, locale)

    s = c.serverless_monthly
    assert s is not None
    where = ""
    if c.endpoint_mode is not None:
        kind = c.endpoint_mode.label
        where = (f"a reference {kind.lower()} endpoint ({c.candidate_id.removeprefix('reference: ')})"
                 if c.candidate_source == "reference" else f"{kind} {c.candidate_id!r}")
    if c.requests <= 0:
        when = f"; it starts in {label(starts)}" if starts and starts > c.month_start else ""
        idle = f"; {where} would cost {money(c.endpoint_alone_monthly)} a month idle" if where else ""
        return f"Serverless: no traffic in {label(c.month_start)}{when}{idle}"
    rec = c.recommended
    if rec is B:
        assert c.batch_monthly is not None
        text = f"Batch: offline-capable and {_pct_cheaper(c.batch_monthly, s)} cheaper ({money(c.batch_monthly)} vs {money(s)} a month)"
    elif rec in (DeploymentMode.DEDICATED, DeploymentMode.GPU_CLUSTER):
        e = c.endpoint_monthly
        share = ", its allocated share," if c.endpoint_is_share else ""
        on = where if c.candidate_source == "reference" else repr(c.candidate_id)
        text = f"{rec.label} on {on}: {_pct_cheaper(e, s)} cheaper than Serverless ({money(e)}{share} vs {money(s)} a month)"
        if c.endpoint_utilization is not None:
            text += f" at {c.endpoint_utilization:.0%} utilization"
        if c.endpoint_effective_rate_per_mtok is not None and c.blended_serverless_rate_per_mtok is not None:
            text += (f"; effective {format_rate(c.endpoint_effective_rate_per_mtok, currency, locale)}/1M vs the blended "
                     f"{format_rate(c.blended_serverless_rate_per_mtok, currency, locale)}/1M")
        text += _break_even_words(c, "alone it" if c.endpoint_is_share else "it")
    else:
        text = f"Serverless: {money(s)} a month"
        if c.endpoint_monthly is not None:
            share = "its share of " if c.endpoint_is_share else ""
            # "Cheapest" only when it is: Batch may be cheaper still, for work that can wait.
            lead = "cheapest at this volume" if c.cheapest is S else "cheaper than capacity at this volume"
            text = f"Serverless: {lead} ({money(s)} vs {money(c.endpoint_monthly)} a month on {share}{where})"
            text += _break_even_words(c, where)
        if c.batch_monthly is not None and c.batch_monthly < s and not c.offline_capable:
            text += f"; Batch would cost {money(c.batch_monthly)} if the work can wait up to 24 hours"
    return text


def _break_even_words(c: ModeComparison, subject: str) -> str:
    if c.break_even_requests is None:
        return f"; {subject} never wins: {c.break_even_note}" if c.break_even_note else ""
    text = f"; {subject} beats Serverless above {c.break_even_requests:,.0f} requests a month"
    if c.break_even_utilization is not None:
        text += f" ({c.break_even_utilization:.0%} utilization)"
    if c.break_even_until is not None:
        text += f" up to {c.break_even_until:,.0f}, where it needs another unit"
        if c.stays_ahead_from is not None:
            text += f", and for good from {c.stays_ahead_from:,.0f}"
    return text
