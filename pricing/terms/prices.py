"""Every price a rate bills, found generically, so that a term reaches all of them.

A negotiated discount or a currency conversion must reach every component a model bills —
input, cached input, cache writes, output, prompt tiers, request fees, time-of-day and service
tier rates — not only input and output (LiteLLM's overrides left cache and tier rates at list
price, litellm #15062).  Instead of naming the components, ``scale_prices`` walks a record's
fields: every ``Decimal`` field is a price unless its name says it is a quantity (tokens, hours,
shares, multipliers ...), and nested records and tuples of records (tiers, windows) are walked
too.  A component added to the rate sheet later is therefore discounted and converted without
a change here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel

#: Words that make a Decimal field a quantity or a ratio, never a price.
QUANTITY_WORDS = ("token", "hour", "share", "discount", "multiplier", "factor", "ratio", "percent",
                  "threshold", "count", "limit", "throughput", "replica", "gpus_per", "seconds", "minutes",
                  "weight", "probability", "growth")

Scale = Callable[[str, Decimal], Decimal]


def is_price(name: str) -> bool:
    """True for a Decimal field that holds money (``input_mtok``, ``request_fee``, ``gpu_hour_rate``)."""
    lowered = name.lower()
    if lowered.endswith("_mtok") or lowered.endswith("_rate") or "fee" in lowered or "price" in lowered:
        return True
    return not any(word in lowered for word in QUANTITY_WORDS)


def output_side(name: str) -> bool:
    """Prices of generated tokens (output, reasoning): the output contract rate's ratio scales them."""
    lowered = name.lower()
    return "output" in lowered or "completion" in lowered or "reasoning" in lowered


def scale_prices(record, scale: Scale, path: str = ""):
    """A copy of ``record`` with every price field ``p`` replaced by ``scale(field path, p)``.

    Walks nested pydantic records and tuples/lists of them; other values are kept.
    """
    if isinstance(record, BaseModel):
        update = {}
        for name in type(record).model_fields:
            value = getattr(record, name)
            here = f"{path}.{name}" if path else name
            if isinstance(value, Decimal):
                if is_price(name):
                    update[name] = scale(here, value)
            elif isinstance(value, (BaseModel, tuple, list)):
                scaled = scale_prices(value, scale, here)
                if scaled is not value:
                    update[name] = scaled
        return record.model_copy(update=update) if update else record
    if isinstance(record, (tuple, list)):
        items = [scale_prices(item, scale, f"{path}[{i}]") for i, item in enumerate(record)]
        if all(a is b for a, b in zip(items, record)):
            return record
        return type(record)(items)
    return record


def price_paths(record, path: str = "") -> list[str]:
    """The paths of every price field of ``record`` that holds a value (for explanations and tests)."""
    found: list[str] = []

    def note(p: str, value: Decimal) -> Decimal:
        found.append(p)
        return value

    scale_prices(record, note, path)
    return found
