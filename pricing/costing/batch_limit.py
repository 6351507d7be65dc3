"""The Batch enqueued-token limit: a running tally of each model's Batch tokens per month.

The pricing guide caps what may be enqueued for Batch at 30 billion tokens per model
(``Assumptions.batch_token_limit``).  A plan that sends more than that to one model in a
month is still priced as given, but every Batch workload of that model gets a warning
naming the first month over the limit, so the user can spread the jobs or move some to
another model.

The limit is per model, not per workload, so a one-cell edit can put a model over (or
back under) and change the warnings on rows that were not edited.  ``Projection`` keeps
one ``BatchLimitLedger`` and tells it which rows come and go; the ledger adjusts the
model's monthly totals by that row's tokens alone, exactly (see ``money.SUM_CONTEXT``),
so the running totals always equal a fresh count of the whole plan.

Like the rest of the pricing core this module never imports Qt or the desktop shell.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date
from decimal import Decimal, localcontext
from operator import add, sub
from typing import Protocol

from pricing.plan.findings import Finding, Severity
from pricing.plan.models import DeploymentMode, ModelRate, Workload
from pricing.plan.money import SUM_CONTEXT, ZERO


class BatchRow(Protocol):
    """What the ledger reads of a projection row (``projection.Row`` has these)."""

    workload: Workload
    rate: ModelRate | None
    priceable: bool


class BatchLimitLedger:
    """Each model's Batch tokens per month, which models exceed the limit, and the warnings.

    ``tokens_of(row)`` gives a row's tokens for each month of the horizon; it is asked only
    for Batch rows.  ``parts`` (optional) gives the same as a profile shared by many rows
    times the row's own weight: ``parts[0](row)`` is (profile key, weight) and
    ``parts[1](key, weight)`` the tokens per month, so that ``tokens_of(row)`` is
    ``parts[1](*parts[0](row))``.  A whole plan is then counted by adding up each model's
    weights per profile and spreading each sum once (a profile is a growth rate and a start
    month: a few hundred of them for 20,000 Batch rows), not by adding every row's months.
    In ``money.SUM_CONTEXT`` both are exact, so the tallies are the same digits.
    """

    def __init__(self, months: Sequence[date], limit: Decimal, tokens_of: Callable[[BatchRow], list[Decimal]],
                 parts: tuple[Callable[[BatchRow], tuple[Hashable, Decimal]],
                              Callable[[Hashable, Decimal], list[Decimal]]] | None = None):
        self.months = months
        self.limit = limit
        self._tokens_of = tokens_of
        self._parts = parts
        #: model id -> Batch tokens in each month of the horizon.
        self._tokens: dict[str, list[Decimal]] = {}
        #: model id -> how many Batch rows of that model are counted.
        self._members: dict[str, int] = {}
        #: model id -> (first month index over the limit, that month's tokens), for models over it.
        self._over: dict[str, tuple[int, Decimal]] = {}
        self._findings: list[Finding] | None = None

    @staticmethod
    def model_of(row: BatchRow) -> str | None:
        """The model a row's tokens count against: priced Batch rows only."""
        w = row.workload
        return row.rate.id if w.mode is DeploymentMode.BATCH and row.rate is not None and row.priceable else None

    def add(self, row: BatchRow) -> None:
        """Count a row that came into the plan (or an edited row's new state)."""
        self._count(row, +1)

    def remove(self, row: BatchRow) -> None:
        """Take away a row that left the plan (or an edited row's old state)."""
        self._count(row, -1)

    def add_many(self, rows: Iterable[BatchRow]) -> None:
        """Count many rows at once (a whole plan, rows put back): the same tallies as ``add`` row by
        row, each model's limit looked at once, not after every row."""
        self._count_many(rows, +1)

    def remove_many(self, rows: Iterable[BatchRow]) -> None:
        """Take many rows away at once (rows deleted): the same tallies as ``remove`` row by row."""
        self._count_many(rows, -1)

    def _count_many(self, rows: Iterable[BatchRow], sign: int) -> None:
        by_model: dict[str, list[BatchRow]] = {}
        for row in rows:
            model_id = self.model_of(row)
            if model_id is not None:
                by_model.setdefault(model_id, []).append(row)
        move = add if sign > 0 else sub
        for model_id, members in by_model.items():
            totals = self._tokens.get(model_id) or [ZERO] * len(self.months)
            with localcontext(SUM_CONTEXT):  # exact: the same sums in any order
                for tokens in self._spread(members):
                    totals = list(map(move, totals, tokens))
            self._tokens[model_id] = totals
            self._members[model_id] = self._members.get(model_id, 0) + sign * len(members)
            self._note_over(model_id, totals)
        self._findings = None

    def _spread(self, rows: list[BatchRow]) -> Iterable[list[Decimal]]:
        """Lists of tokens per month that add up to ``rows``' tokens: one per row, or one per profile
        (see the class); taken in the caller's context."""
        if self._parts is None:
            return map(self._tokens_of, rows)
        weigh, spread = self._parts
        weights: dict[Hashable, Decimal] = {}
        for row in rows:
            key, weight = weigh(row)
            got = weights.get(key)
            weights[key] = weight if got is None else got + weight
        return (spread(key, weight) for key, weight in weights.items())

    def _count(self, row: BatchRow, sign: int) -> None:
        model_id = self.model_of(row)
        if model_id is None:
            return
        totals = self._tokens.get(model_id) or [ZERO] * len(self.months)
        with localcontext(SUM_CONTEXT):  # exact: the same sums in any order
            totals = self._tokens[model_id] = list(map(add if sign > 0 else sub, totals, self._tokens_of(row)))
        self._members[model_id] = self._members.get(model_id, 0) + sign
        self._note_over(model_id, totals)
        self._findings = None

    def _note_over(self, model_id: str, totals: list[Decimal]) -> None:
        limit = self.limit
        first_over = next(((m, t) for m, t in enumerate(totals) if t > limit), None)
        if first_over is None:
            self._over.pop(model_id, None)
        else:
            self._over[model_id] = first_over

    def rows_moved(self) -> None:
        """Rows were inserted or deleted: the warnings listed so far name stale row indices."""
        self._findings = None

    # ---------------------------------------------------------------- reading
    def tokens(self, model_id: str) -> list[Decimal]:
        """The model's Batch tokens in each month (zeros for a model with no Batch rows)."""
        return list(self._tokens.get(model_id, [ZERO] * len(self.months)))

    def first_over(self, model_id: str) -> tuple[date, Decimal] | None:
        """The first month the model's Batch tokens exceed the limit, and those tokens; None if never."""
        over = self._over.get(model_id)
        return None if over is None else (self.months[over[0]], over[1])

    def finding(self, index: int, row: BatchRow) -> Finding | None:
        """The warning for row ``index`` if it is a Batch workload of a model over the limit."""
        model_id = self.model_of(row)
        over = self._over.get(model_id) if model_id else None
        if over is None:
            return None
        m, tokens = over
        limit = self.limit
        return Finding(
            f"{model_id} has {tokens:,.0f} Batch tokens in {self.months[m]:%b %Y}, beyond the "
            f"{limit:,.0f} enqueued-token limit per model; split the jobs across the month or another model",
            Severity.WARNING,
            "requests_per_month",
            row.workload.name,
            index,
        )

    def findings(self, rows: Sequence[BatchRow]) -> list[Finding]:
        """A warning on each Batch workload of ``rows`` whose model is over the limit, in row order.

        Kept until a row is counted, taken away or rows move; ``rows`` must be the rows counted.
        """
        if self._findings is None:
            found = (self.finding(i, row) for i, row in enumerate(rows)) if self._over else ()
            self._findings = [f for f in found if f is not None]
        return self._findings

    @property
    def warning_count(self) -> int:
        """How many warnings ``findings`` lists, without building them."""
        return sum(self._members.get(model_id, 0) for model_id in self._over)
