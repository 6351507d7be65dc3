"""A rate card taken into a plan: its prices become dated price versions of the plan's models.

A rate card (model, input and output prices; no volumes) imported into an open plan must not
replace the plan: each of its models that the plan's rate sheet already has (by provider/model
id, model id or display name) gets a price version starting on the card's date, which keeps
the version in force then for everything the card does not say (tiers, cache writes, windows);
a model the plan lacks is added whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pricing.costing.rates import RateBook
from pricing.plan.models import ModelRate, Plan, RateVersion

#: The prices a rate card sets; the other fields of a version are kept from the one in force.
_CARD_PRICES = ("input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok")


@dataclass
class RateCardMerge:
    plan: Plan
    #: provider/model id -> the date of the price version added or replaced.
    versions: dict[str, date] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        if self.versions:
            days = sorted(set(self.versions.values()))
            parts.append(f"{len(self.versions)} price version(s) from {', '.join(d.isoformat() for d in days)}")
        if self.added:
            parts.append(f"{len(self.added)} new model(s)")
        return " and ".join(parts) or "no prices"


def add_price_versions(plan: Plan, card: Iterable[ModelRate], effective_from: date) -> RateCardMerge:
    """``plan`` with ``card``'s prices as versions dated ``effective_from`` (or the card's own dates)."""
    rates = {r.id: r for r in plan.rates}
    book = RateBook.of(plan.rates)
    merge = RateCardMerge(plan)
    for offered in card:
        target = _match(book, offered)
        if target is None:
            if offered.id not in rates:
                rates[offered.id] = offered
                merge.added.append(offered.id)
            continue
        current = rates[target.id]
        for version in offered.versions:
            when = version.effective_from or effective_from
            current = _with_version(current, version, when)
            merge.versions[target.id] = when
        rates[target.id] = current
    merge.plan = plan.model_copy(update={"rates": tuple(rates.values())})
    return merge


def _match(book: RateBook, offered: ModelRate) -> ModelRate | None:
    for reference in (offered.id, offered.model_id, offered.display_name):
        if reference:
            found = book.get(reference)
            if found is not None:
                return found
    by_name = [r for r in book if r.display_name and r.display_name.casefold() == offered.model_id.casefold()]
    return by_name[0] if len(by_name) == 1 else None


def _with_version(rate: ModelRate, version: RateVersion, when: date) -> ModelRate:
    in_force = [v for v in rate.versions if (v.effective_from or date.min) <= when]
    base = in_force[-1] if in_force else rate.versions[0]
    prices = {name: getattr(version, name) for name in _CARD_PRICES if getattr(version, name) is not None}
    new = base.model_copy(update={**prices, "effective_from": when})
    kept = tuple(v for v in rate.versions if v.effective_from != when)  # a version of that day is replaced
    return rate.model_copy(update={"versions": tuple(sorted(kept + (new,), key=lambda v: v.effective_from or date.min))})
