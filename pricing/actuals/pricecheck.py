"""The app's price for billed tokens against the bill, per model: a drifted rate sheet shows here first.

For every source line that carries both tokens and a billed cost, the tokens are priced at the
plan's rates (``pricing.actuals.tokens``) and set beside what was billed; difference = billed − app.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pricing.actuals.reading import SpendGroup
from pricing.actuals.tokens import price_tokens
from pricing.costing.rates import RateBook
from pricing.plan.models import Plan
from pricing.plan.money import ZERO


@dataclass
class PriceCheck:
    model: str
    input_tokens: Decimal
    cached_tokens: Decimal
    output_tokens: Decimal
    billed: Decimal
    #: None when the model is not on the plan's rate sheet.
    app: Decimal | None
    note: str = ""

    @property
    def difference(self) -> Decimal | None:
        return None if self.app is None else self.billed - self.app

    @property
    def difference_pct(self) -> Decimal | None:
        return None if self.app is None or not self.app else (self.billed - self.app) / self.app

    def as_dict(self) -> dict[str, object]:
        def s(v):
            return None if v is None else format(v, "f")
        return {"model": self.model, "input_tokens": s(self.input_tokens), "cached_tokens": s(self.cached_tokens),
                "output_tokens": s(self.output_tokens), "billed": s(self.billed), "app_price": s(self.app),
                "difference": s(self.difference), "difference_pct": s(self.difference_pct), "note": self.note}


def price_check(plan: Plan, groups: list[SpendGroup]) -> list[PriceCheck]:
    book = RateBook.of(plan.rates)
    acc: dict[str, PriceCheck] = {}
    for g in groups:
        if not g.billed or g.cost is None or not (g.input_tokens or g.output_tokens):
            continue
        app, why = price_tokens(book, g.model, g.month, g.input_tokens, g.cached_tokens, g.output_tokens)
        check = acc.setdefault(g.model, PriceCheck(g.model, ZERO, ZERO, ZERO, ZERO, ZERO))
        check.input_tokens += g.input_tokens
        check.cached_tokens += g.cached_tokens
        check.output_tokens += g.output_tokens
        check.billed += g.cost
        if app is None:
            check.app, check.note = None, why
        elif check.app is not None:
            check.app += app
    return sorted(acc.values(), key=lambda c: c.model)
