"""A projection edited in place (``Projection``'s ``update`` and ``splice``): only the rows edited, taken
out or put in are priced, and the month totals move by the difference, exact, so the digits are those of
projecting the plan again.  A rate edit re-prices only its model's rows; a change of capacities or of the
rates' shape projects the plan again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal, localcontext
from operator import add, or_, sub

from pricing.costing.rates import RateBook
from pricing.costing.row_pricer import RowPricer
from pricing.costing.rows import rows_priced_by
from pricing.gc_pause import gc_paused
from pricing.plan.models import Plan
from pricing.plan.money import SUM_CONTEXT, ZERO
from pricing.terms.pricer import TermsPricer
from pricing.yielding import EVERY, give_way


class EditedInPlace:
    """What ``Projection`` does when the plan it projects is edited (a mixin: it reads and writes the
    projection's rows, totals, Batch ledger and pricer)."""

    def update(self, plan: Plan, rows: Iterable[int]) -> set[int]:
        """Re-price ``rows`` of ``plan`` (same workload count), adjust totals; return changed months."""
        if len(plan.workloads) != len(self.rows) or (plan.assumptions, plan.terms) != (self.plan.assumptions, self.plan.terms):
            raise ValueError("update() re-prices edited rows only; project the plan again for other changes")
        if plan.rates != self.plan.rates and self.rates_change_is_local(plan):
            rows = set(rows) | self._take_rates(plan)
        elif plan.rates != self.plan.rates or plan.endpoints != self.plan.endpoints or plan.clusters != self.plan.clusters:
            old_totals = list(self.month_totals)
            with gc_paused():
                self._build(plan, self.horizon)
            return {m for m in range(self.horizon) if old_totals[m] != self.month_totals[m]} | set(range(self.horizon))
        self.plan = self.pricer.plan = plan
        capacities: set[str] = set()
        moves: list[tuple[list[Decimal], list[Decimal]]] = []
        with gc_paused():
            for n, i in enumerate(rows):
                if not n % EVERY:
                    give_way()
                old = self.rows[i]
                w = plan.workloads[i]
                if w is old.workload and old.rate is not None and self.pricer.rate_of(w, i)[0] is old.rate:
                    continue  # not changed, nor its rate: its row stands as it is
                new = self.pricer.row(i, w)
                for r in (old, new):
                    if r.capacity_id:
                        capacities.add(r.capacity_id)
                self.batch_ledger.remove(old)
                self.batch_ledger.add(new)
                self.rows[i] = new
                self._recount(old, new)
                if new.capacity_id and old.capacity_id:
                    new.costs = old.costs  # still counted in the totals; reallocation adjusts them
                else:
                    moves.append((old.costs, new.costs))
        changed = self._adjust_totals_many(moves)
        for capacity_id in capacities:
            changed |= self._reallocate(capacity_id)
        return changed

    def rates_change_is_local(self, plan: Plan) -> bool:
        """True when ``plan`` differs from the projected one in its rates only, with the same models
        on the sheet: every workload resolves to the same model, so only the rows priced by a
        changed rate need pricing again (a rate edit at 100,000 workloads re-prices its model's
        rows, not the plan)."""
        same_shape = (len(plan.workloads) == len(self.rows) and plan.assumptions == self.plan.assumptions
                      and plan.terms == self.plan.terms
                      and plan.endpoints == self.plan.endpoints and plan.clusters == self.plan.clusters)
        return same_shape and [r.id for r in plan.rates] == [r.id for r in self.plan.rates]

    def _take_rates(self, plan: Plan) -> set[int]:
        """Switch to ``plan``'s rate sheet; the rows priced by a rate that changed."""
        old = {r.id: r for r in self.plan.rates}
        changed = {r.id for r in plan.rates if old[r.id] != r}
        self.terms = TermsPricer(plan, self.months)
        self.book = RateBook.of(self.terms.rate_sheet(plan.rates))
        self.pricer = RowPricer(plan, self.book, self.months, self._growth)
        return rows_priced_by(self.rows, changed)

    def splice(self, plan: Plan, start: int, removed: int, inserted: int) -> set[int]:
        """Rows ``start:start+removed`` were replaced by ``inserted`` new ones (row inserts and deletes).

        Only the rows taken out and put in are priced; totals move by their costs.  Returns the
        changed months.
        """
        if (
            len(plan.workloads) != len(self.rows) - removed + inserted
            or (plan.assumptions, plan.terms) != (self.plan.assumptions, self.plan.terms)
            or plan.rates != self.plan.rates
            or plan.endpoints != self.plan.endpoints
            or plan.clusters != self.plan.clusters
        ):
            raise ValueError("splice() takes rows in or out only; project the plan again for other changes")
        self.plan = self.pricer.plan = plan
        changed: set[int] = set()
        capacities: set[str] = set()
        zeros = [ZERO] * self.horizon
        moves: list[tuple[list[Decimal], list[Decimal]]] = []  # the totals moved once for every row
        self.batch_ledger.remove_many(self.rows[start : start + removed])
        for old in self.rows[start : start + removed]:
            self._recount(old, None)
            if old.capacity_id:
                capacities.add(old.capacity_id)
            moves.append((old.costs, zeros))
        new_rows = [self.pricer.row(start + k, plan.workloads[start + k]) for k in range(inserted)]
        self.batch_ledger.add_many(new_rows)
        for new in new_rows:
            self._recount(None, new)
            if new.capacity_id:
                capacities.add(new.capacity_id)
            else:
                moves.append((zeros, new.costs))
        changed |= self._adjust_totals_many(moves)
        self.rows[start : start + removed] = new_rows
        if inserted != removed:  # rows below moved: their findings renumbered in new rows (a copy shares the old)
            for i in range(start + inserted, len(self.rows)):
                if (row := self.rows[i]).findings:
                    self.rows[i] = replace(row, findings=[replace(f, row=i) if f.row is not None else f
                                                          for f in row.findings])
        for capacity_id in capacities:
            changed |= self._reallocate(capacity_id)
        self.batch_ledger.rows_moved()
        return changed

    def _adjust_totals(self, old: list[Decimal], new: list[Decimal]) -> set[int]:
        return self._adjust_totals_many([(old, new)])

    def _adjust_totals_many(self, moves: list[tuple[list[Decimal], list[Decimal]]]) -> set[int]:
        """Move the month totals by each (old costs → new costs) pair; exact, so the same digits as
        projecting again.  The changes of many rows are summed first and applied once."""
        horizon = self.horizon
        with localcontext(SUM_CONTEXT):
            deltas = [ZERO] * horizon
            moved = [False] * horizon  # a month where some row's cell changed (its total may not)
            for n, (old, new) in enumerate(moves):
                if not n % EVERY:
                    give_way()
                if old is new:
                    continue
                steps = list(map(sub, new, old))  # C-level passes: exact differences, nought where equal
                deltas = list(map(add, deltas, steps))
                moved = list(map(or_, moved, map(bool, steps)))
            changed = {m for m in range(horizon) if moved[m]}
            for m in changed:
                self.month_totals[m] += deltas[m]
        return changed

    def _reallocate(self, capacity_id: str) -> set[int]:
        members = [i for i, r in enumerate(self.rows) if r.capacity_id == capacity_id]
        before = {i: list(self.rows[i].costs) for i in members}
        # Rows just moved onto this capacity were never counted in the totals.
        idle_before = self.idle.get(capacity_id, [ZERO] * self.horizon)
        self._allocate(capacity_id, members)
        changed = self._adjust_totals(idle_before, self.idle.get(capacity_id, [ZERO] * self.horizon))
        for i in members:
            changed |= self._adjust_totals(before[i], self.rows[i].costs)
        return changed
