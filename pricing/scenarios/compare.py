"""What moved between two versions of a plan: per-workload differences, totals, and a bridge.

Workloads are paired by name (ignoring case; the n-th of a repeated name pairs with the n-th).
Both versions are projected over the base's months.

**The bridge** splits the change in total into five parts by sequential substitution: each part
is the difference between the totals of two plans that differ in one respect, so the parts add
up to the change exactly, by construction.  The order, stated once and always the same:

1. *removed*: the base without the workloads the other version no longer has;
2. *volume*: the paired workloads take the other's requests, growth, start month and tokens
   per request (``VOLUME_FIELDS``);
3. *mix*: they take the other's model, mode, capacity, cached share and every other field that
   shapes the cost, except the discount (models, endpoints and clusters only the other version has
   are added to the base's sheet at their own rates, so a move is priced, not lost);
4. *price*: the other's rate sheet, endpoints, clusters, assumptions and discounts;
5. *new*: the workloads only the other version has.

Step 4 ends at the other version less its new workloads, step 5 at the other version itself.
Each step's figure is a difference of projection totals, month by month and over the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from pricing.costing.projection import Projection
from pricing.gc_pause import gc_paused
from pricing.letting_go import let_go
from pricing.plan.findings import Finding, Severity
from pricing.plan.models import Plan, Workload
from pricing.plan.money import SUM_CONTEXT, ZERO, exact_sum
from pricing.yielding import giving_way, mapped

VOLUME_FIELDS = ("requests_per_month", "monthly_growth", "start_month", "input_tokens", "output_tokens",
                 "reasoning_tokens")
PRICE_FIELDS = ("discount",)
#: Fields that name or describe a workload without changing what it costs.
LABEL_FIELDS = ("name", "tenant", "feature", "environment", "notes")
PARTS = ("removed", "volume", "mix", "price", "new")


@dataclass(frozen=True)
class Bridge:
    """base + removed + volume + mix + price + new = other, exactly."""

    base: Decimal
    removed: Decimal
    volume: Decimal
    mix: Decimal
    price: Decimal
    new: Decimal
    other: Decimal

    @property
    def change(self) -> Decimal:
        with localcontext(SUM_CONTEXT):
            return self.other - self.base

    def parts(self) -> list[tuple[str, Decimal]]:
        return [(name, getattr(self, name)) for name in PARTS]


@dataclass
class WorkloadDiff:
    name: str
    status: str  # added, removed, changed (its fields), repriced (same fields, other costs), unchanged
    fields: tuple[str, ...]
    base_costs: list[Decimal]
    other_costs: list[Decimal]

    @property
    def base_total(self) -> Decimal:
        return exact_sum(self.base_costs)

    @property
    def other_total(self) -> Decimal:
        return exact_sum(self.other_costs)

    @property
    def change(self) -> Decimal:
        with localcontext(SUM_CONTEXT):
            return self.other_total - self.base_total


@dataclass
class Comparison:
    months: list[date]
    base_totals: list[Decimal]
    other_totals: list[Decimal]
    workloads: list[WorkloadDiff]
    bridge: Bridge
    month_bridges: list[Bridge]
    findings: list[Finding] = field(default_factory=list)

    @property
    def base_total(self) -> Decimal:
        return self.bridge.base

    @property
    def other_total(self) -> Decimal:
        return self.bridge.other

    @property
    def change(self) -> Decimal:
        return self.bridge.change

    @property
    def moved(self) -> list[WorkloadDiff]:
        """The workloads added, removed, changed or repriced: every one whose cost may differ."""
        return [d for d in self.workloads if d.status != "unchanged"]


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def pair_workloads(base: Plan, other: Plan) -> tuple[dict[int, int], list[int], list[int]]:
    """({base index: other index}, removed base indexes, added other indexes)."""
    slots: dict[str, list[int]] = {}
    for j, w in enumerate(other.workloads):
        slots.setdefault(_key(w.name), []).append(j)
    pairs: dict[int, int] = {}
    removed: list[int] = []
    for i, w in enumerate(base.workloads):
        free = slots.get(_key(w.name))
        if free:
            pairs[i] = free.pop(0)
        else:
            removed.append(i)
    taken = set(pairs.values())
    added = [j for j in range(len(other.workloads)) if j not in taken]
    return pairs, removed, added


def changed_fields(a: Workload, b: Workload) -> tuple[str, ...]:
    return tuple(f for f in Workload.model_fields if f != "name" and getattr(a, f) != getattr(b, f))


def _take(w: Workload, source: Workload, fields) -> Workload:
    update = {f: getattr(source, f) for f in fields if f in Workload.model_fields}
    return w.model_copy(update=update)


def _merged(base_items, other_items, key):
    known = {key(x) for x in base_items}
    return tuple(base_items) + tuple(x for x in other_items if key(x) not in known)


def compare_plans(base: Plan, other: Plan, months: int | None = None) -> Comparison:
    """``other`` against ``base`` over the base's months (default: the base's horizon)."""
    # Six projections and four versions of every workload, none in a reference cycle: the cyclic
    # collector's passes over them only cost time, and in a window they hold the interpreter lock
    # from its GUI thread (a compare of 100,000 workloads on a worker paused it 161-283 ms).
    with gc_paused():
        return _compared(base, other, months)


def _compared(base: Plan, other: Plan, months: int | None) -> Comparison:
    horizon = months or base.assumptions.horizon_months
    findings: list[Finding] = []
    same_calendar = {"first_month": base.assumptions.first_month, "horizon_months": base.assumptions.horizon_months}
    if (other.assumptions.first_month, other.assumptions.horizon_months) != tuple(same_calendar.values()):
        findings.append(Finding("the two versions start or end in different months; both are compared over the "
                                "base's months", Severity.INFO))
    other = other.model_copy(update={"assumptions": other.assumptions.model_copy(update=same_calendar)})
    pairs, removed, added = pair_workloads(base, other)
    matched = sorted(pairs)
    kept = [base.workloads[i] for i in matched]
    # These passes over every workload give way a slice at a time (``mapped``), as the projections' do:
    # a window compares on a worker while it paints.
    volume = mapped(lambda i: _take(base.workloads[i], other.workloads[pairs[i]], VOLUME_FIELDS), matched)
    mix_fields = [f for f in Workload.model_fields if f not in PRICE_FIELDS + LABEL_FIELDS]
    mixed = mapped(lambda i: _take(base.workloads[i], other.workloads[pairs[i]], mix_fields), matched)
    widened = base.model_copy(update={
        "rates": _merged(base.rates, other.rates, lambda r: r.id.lower()),
        "endpoints": _merged(base.endpoints, other.endpoints, lambda e: e.id),
        "clusters": _merged(base.clusters, other.clusters, lambda c: c.id),
    })
    other_kept = other.model_copy(update={"workloads": tuple(other.workloads[pairs[i]] for i in sorted(pairs, key=pairs.get))})
    steps = [
        Projection(base, horizon),
        Projection(base.model_copy(update={"workloads": tuple(kept)}), horizon),
        Projection(base.model_copy(update={"workloads": tuple(volume)}), horizon),
        Projection(widened.model_copy(update={"workloads": tuple(mixed)}), horizon),
        Projection(other_kept, horizon),
        Projection(other, horizon),
    ]
    first, last = steps[0], steps[-1]

    def bridge(values: list[Decimal]) -> Bridge:
        with localcontext(SUM_CONTEXT):
            parts = [b - a for a, b in zip(values, values[1:])]
        return Bridge(values[0], *parts, values[-1])

    month_bridges = [bridge([p.month_totals[m] for p in steps]) for m in range(horizon)]
    diffs: list[WorkloadDiff] = []
    zeros = [ZERO] * horizon
    for i, w in enumerate(giving_way(base.workloads)):
        if i in pairs:
            fields = changed_fields(w, other.workloads[pairs[i]])
            base_costs, other_costs = list(first.rows[i].costs), list(last.rows[pairs[i]].costs)
            # The same fields at other rates, discounts or assumptions: it moved, and must be listed
            status = "changed" if fields else "repriced" if base_costs != other_costs else "unchanged"
            diffs.append(WorkloadDiff(w.name, status, fields, base_costs, other_costs))
        else:
            diffs.append(WorkloadDiff(w.name, "removed", (), list(first.rows[i].costs), zeros))
    for j in added:
        diffs.append(WorkloadDiff(other.workloads[j].name, "added", (), zeros, list(last.rows[j].costs)))
    comparison = Comparison(first.months, list(first.month_totals), list(last.month_totals), diffs,
                            bridge([p.total for p in steps]), month_bridges, findings + last.findings)
    # The six projections and the versions of every workload made here, freed as this returns, held the
    # interpreter lock 100-110 ms at 15,000 workloads while a window compared on a worker: they are freed
    # a slice at a time on a thread of their own (the other version too, if its caller lets it go).
    let_go(steps, volume, mixed, other)
    return comparison
