"""Pricing a month's token totals at the plan's rates (usage logs, and checking a bill).

    cost = (input − cached − cache writes) / 1M × input rate + cached / 1M × cached rate
         + cache writes / 1M × cache-write rate + output / 1M × output rate

at the rates in force on the month's first day, on Serverless.  Totals say nothing of single
requests, so prompt-size tiers cannot be applied: a model with tiers is priced at its base rates
and the caller is told.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from pricing.costing.rates import RateBook
from pricing.plan.money import MILLION

_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8})$")


def price_tokens(book: RateBook, model: str, month: date, input_tokens: Decimal, cached: Decimal,
                 output: Decimal, cache_write: Decimal = Decimal(0)) -> tuple[Decimal | None, str]:
    """(cost, '') or (None, why it cannot be priced)."""
    try:
        rate = book.resolve(model)
    except LookupError as exc:
        # A dated snapshot ('gpt-4o-mini-2024-07-18') is priced as its model when the sheet has no row for it.
        undated = _DATED.sub("", model.strip())
        rate = book.get(undated) if undated != model.strip() else None
        if rate is None:
            return None, str(exc).strip("'\"")
    version = rate.version_on(month)
    cached_rate = version.cached_input_mtok if version.cached_input_mtok is not None else version.input_mtok
    write_rate = version.cache_write_mtok if version.cache_write_mtok is not None else version.input_mtok
    uncached = input_tokens - cached - cache_write
    cost = (uncached * version.input_mtok + cached * cached_rate + cache_write * write_rate
            + output * version.output_mtok) / MILLION
    return cost, ""
