"""The largest figures a plan may hold, so that every cost stays exact and printable.

A plan's figures are products: requests × (1 + growth)^months × tokens × rate.  Within
these bounds the largest month a workload can reach is about $10^60, and every sum of
the projection stays exact in ``money.SUM_CONTEXT`` (totals updated one edit at a time
keep the same digits as a fresh projection).  A value beyond a bound, NaN or infinity is
refused where it comes in: a finding naming the file, sheet and cell for files, a refused
edit in the window, status 2 on the command line.

| figure | bound |
|---|---|
| input or output tokens per request | 0 to 1,000,000,000,000 (a budget may give a month's tokens as one request) |
| requests per month | 0 to 1,000,000,000,000 |
| a rate, $ per 1M tokens | 0 to $100,000 |
| monthly growth | above -100%, at most +1,000% (×11 a month) |

Negative token counts and requests are held and reported by the engine (the row is not
priced); the bounds here are the upper ones and the finite check.
"""

from __future__ import annotations

from decimal import Decimal

MAX_TOKENS_PER_REQUEST = Decimal(1_000_000_000_000)
MAX_REQUESTS_PER_MONTH = Decimal(1_000_000_000_000)
MAX_RATE_MTOK = Decimal(100_000)
MAX_MONTHLY_GROWTH = Decimal(10)
#: One recorded request (a usage log's record): ten times the longest context window on sale.
#: A record beyond it (or with a negative count) is skipped and counted with the reason.
MAX_TOKENS_IN_A_REQUEST = 100_000_000

#: Field name → (upper bound, what it is called in a message).
BOUNDS: dict[str, tuple[Decimal, str]] = {
    "input_tokens": (MAX_TOKENS_PER_REQUEST, "tokens per request"),
    "output_tokens": (MAX_TOKENS_PER_REQUEST, "tokens per request"),
    "requests_per_month": (MAX_REQUESTS_PER_MONTH, "requests per month"),
    "monthly_growth": (MAX_MONTHLY_GROWTH, "monthly growth"),
    "input_mtok": (MAX_RATE_MTOK, "$ per 1M tokens"),
    "output_mtok": (MAX_RATE_MTOK, "$ per 1M tokens"),
    "cached_input_mtok": (MAX_RATE_MTOK, "$ per 1M tokens"),
    "cache_write_mtok": (MAX_RATE_MTOK, "$ per 1M tokens"),
    "cache_write_1h_mtok": (MAX_RATE_MTOK, "$ per 1M tokens"),
    "reasoning_mtok": (MAX_RATE_MTOK, "$ per 1M tokens"),
}


def _shown(bound: Decimal, field: str) -> str:
    if field == "monthly_growth":
        return f"{bound * 100:,.0f}%"
    if field.endswith("_mtok"):
        return f"${bound:,}"
    return f"{bound:,}"


def beyond(field: str, value: Decimal) -> str | None:
    """Why ``value`` cannot be held in ``field`` (not finite, or above its bound), or None."""
    if not value.is_finite():
        return "must be a finite number"
    bound = BOUNDS.get(field)
    if bound is not None and value > bound[0]:
        limit, what = bound
        return f"{value.normalize():g} is beyond the largest {what} a plan holds ({_shown(limit, field)})"
    return None


_LIMITS = {field: limit for field, (limit, _what) in BOUNDS.items()}


def limit(field: str) -> Decimal | None:
    """The largest value ``field`` holds (None: no bound but finiteness)."""
    return _LIMITS.get(field)


def check(field: str, value: Decimal) -> Decimal:
    """``value`` if it is within ``field``'s bound; ValueError saying why not."""
    limit = _LIMITS.get(field)
    if value.is_finite() and (limit is None or value <= limit):  # the usual case, without building a reason
        return value
    reason = beyond(field, value)
    if reason:
        raise ValueError(reason)
    return value
