"""One workload's cost on Serverless or Batch without projecting the plan again, and the choice
between them (the cheaper mode and the saving) that the Modes tab, the workbook's Modes sheet and
``tokenbudget modes`` share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing.costing.engine import RequestCost, check_workload
from pricing.costing.projection import Projection
from pricing.gc_pause import gc_paused
from pricing.plan.models import DeploymentMode
from pricing.plan.money import ZERO, round_cents
from pricing.yielding import EVERY, give_way

S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH


@dataclass(frozen=True, slots=True)
class ModeChoice:
    """Serverless or Batch for one workload in its first month with traffic, and the saving.

    Batch counts as the cheaper mode only when the model's rate sheet lists it: a Batch price
    "as asked" for a model without Batch stays out of the choice and the saving, so the table
    and the comparison (``ModeComparison.cheapest``, the lowest of the modes offered) never name
    different winners.
    """

    month: int
    serverless: Decimal | None
    batch: Decimal | None
    batch_offered: bool
    cheaper: DeploymentMode | None
    saving: Decimal | None

    def best(self, cheapest: DeploymentMode | None) -> DeploymentMode | None:
        """The mode to name: the comparison's cheapest of all modes when known, else the cheaper per-token one."""
        return cheapest or self.cheaper

    def marked(self, cheapest: DeploymentMode | None, endpoint_priced: bool) -> DeploymentMode | None:
        """The mode whose figure is shown as the cheapest (None when no figure is)."""
        if cheapest is DeploymentMode.DEDICATED:
            return cheapest if endpoint_priced else None
        if self.cheaper is B and cheapest in (None, B):
            return B
        if self.cheaper is S and self.batch_offered and cheapest in (None, S):
            return S
        return None


class ModeCosts:
    """One workload's cost in a month had it been on a per-token mode, without projecting the plan again.

    ``cost(i, month, mode)`` is the figure ``Projection`` gives for row ``i`` of the plan with that
    workload (or every workload) switched to ``mode`` and the capacities dropped: the same
    ``Projection.price`` at the rate version in force on the month's first day and the plan's Batch
    discount, times the requests, exactly as ``RowPricer.row`` multiplies them.  A model
    whose rate sheet does not list the mode is priced as asked, as the projection does.  Request
    costs are shared between workloads with the same rate, version and token figures.

    The rows, plan and months are those of the projection when this is made: edits that the
    projection takes in later (``update``, ``splice``) do not change what it answers.
    """

    def __init__(self, projection: Projection):
        self.projection = projection
        self.plan = projection.plan
        self.rows = list(projection.rows)
        self.months = list(projection.months)
        self.horizon = projection.horizon
        self._priced: dict[tuple, RequestCost] = {}

    def priceable(self, index: int, mode: DeploymentMode) -> bool:
        row = self.rows[index]
        if row.rate is None:
            return False
        w = row.workload
        if w.mode is S or w.mode is B:
            # On a per-token mode, whether a row can be priced depends on neither the mode nor the capacities.
            return row.priceable
        return check_workload(self.plan, w.model_copy(update={"mode": mode}), row.rate, index)[1]

    def request_cost(self, index: int, month: int, mode: DeploymentMode) -> RequestCost:
        row = self.rows[index]
        w, rate = row.workload, row.rate
        assert rate is not None
        version = rate.version_on(self.months[month])
        key = (rate.id, id(version), w.input_tokens, w.output_tokens, w.cached_share, w.cache_write_share,
               w.cache_write_1h_share, w.reasoning_tokens, w.off_peak_share, mode)
        got = self._priced.get(key)
        if got is None:
            got = self._priced[key] = self.projection.price(w, rate, version, mode)
        return got

    def cost(self, index: int, month: int, mode: DeploymentMode) -> Decimal | None:
        """Cost of workload ``index`` in ``month`` on per-token ``mode``; None when it cannot be priced."""
        if mode is not S and mode is not B:
            raise ValueError(f"{mode.label} is billed for capacity, not per token")
        if not 0 <= month < self.horizon:
            raise ValueError(f"month {month + 1} is outside the plan's {self.horizon} months")
        if not self.priceable(index, mode):
            return None
        row = self.rows[index]
        if row.workload.mode is mode:
            return row.costs[month]
        k = month - row.start
        if k < 0:
            return ZERO
        w = row.workload
        base = self.request_cost(index, month, mode).total * w.requests_per_month
        return round_cents(base * self.projection.growth_factor(w.monthly_growth, k))

    def first_month(self, index: int) -> int:
        """The workload's first month with traffic, held within the horizon."""
        return self.rows[index].first_month(self.horizon)

    def choice(self, index: int) -> ModeChoice:
        """Serverless against Batch for workload ``index`` in its first month with traffic."""
        row = self.rows[index]
        month = self.first_month(index)
        s_cost, b_cost = self.cost(index, month, S), self.cost(index, month, B)
        offered = row.rate is not None and B in row.rate.modes
        cheaper = saving = None
        if s_cost is not None and b_cost is not None and offered:
            cheaper, saving = (B if b_cost < s_cost else S), abs(s_cost - b_cost)
        elif s_cost is not None:
            cheaper = S
        return ModeChoice(month, s_cost, b_cost, offered, cheaper, saving)

    def batch_savings(self) -> list[Decimal]:
        """Serverless minus Batch cost, in each one's first month, of every Serverless workload of a
        model that lists Batch and that Batch prices lower: one pass over the rows, no projection."""
        out: list[Decimal] = []
        with gc_paused():  # ~100,000 Decimals and no cycles: the collector would only slow the pass
            for i, row in enumerate(self.rows):
                if not i % EVERY:
                    give_way()
                # A priceable row has a rate; on Serverless its own cost is the Serverless figure.
                if row.workload.mode is not S or not row.priceable or B not in row.rate.modes:
                    continue
                if not row.runs_within(self.horizon):
                    continue  # no traffic within the horizon: nothing to save
                month = row.first_month(self.horizon)
                s_cost = row.costs[month]
                b_cost = self.cost(i, month, B)
                if b_cost is not None and b_cost < s_cost:
                    out.append(s_cost - b_cost)
        return out


def cost_in_mode(projection: Projection, index: int, month: int, mode: DeploymentMode) -> Decimal | None:
    """One workload's cost in ``month`` on per-token ``mode`` (see ``ModeCosts``)."""
    return ModeCosts(projection).cost(index, month, mode)
