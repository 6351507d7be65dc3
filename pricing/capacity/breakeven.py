"""Break-even between Serverless and a capacity deployment, solved exactly.

With ``r`` requests a month of ``T`` tokens each, Serverless costs ``S(r) = c × r`` (``c`` the
cost of one request) and the capacity, sized for the workload alone, costs
``E(r) = ScaledCapacity.spend(r × T)``: its base spend, plus one unit (replica or GPU) each
time demand passes a multiple of one unit's capacity ``C`` tokens, plus any overage.

* ``requests`` — the break-even volume: the least volume at which the capacity costs no more
  than Serverless.  ``E(b) = S(b)``; below ``b`` Serverless is cheaper.
  - fixed spend ``F``, no overage, within the configured capacity: ``b = F / c``;
  - with overage ``o`` per token beyond ``I`` included tokens, past the bend at ``I / T``:
    ``b = (F - o × I) / (c - o × T)``;
  - when the configured size runs out before Serverless catches up, the break-even lies in
    a later step (more units; ``units`` says how many).
* ``until`` — the capacity stays cheaper from ``b`` up to this volume, where one more unit
  is needed and the step puts it above Serverless again; None when it stays ahead for good.
* ``stays_ahead_from`` — the least volume from which the capacity is never dearer (None if
  never: that happens when one full unit costs at least as much as its tokens on Serverless,
  ``c × C ≤ T × (unit spend + o × C)``).  Equal to ``requests`` when ``until`` is None.

Volumes are exact up to the last digit of a 28-digit division; costs at them agree to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from pricing.costing.capacity import ScaledCapacity, ceil_div
from pricing.plan.money import MILLION, SUM_CONTEXT, ZERO

@dataclass(frozen=True, slots=True)
class BreakEven:
    requests: Decimal | None
    units: int | None = None
    utilization: Decimal | None = None
    until: Decimal | None = None
    stays_ahead_from: Decimal | None = None
    reason: str = ""


class _Line:
    """T × (E - S) at a volume, and roots of E = S within a step, for one capacity and workload."""

    def __init__(self, scaled: ScaledCapacity, c: Decimal, t: Decimal):
        self.s, self.c, self.t = scaled, c, t
        self.o = scaled.overage_mtok / MILLION if scaled.overage_mtok is not None else None
        self.included = scaled.included_tokens if scaled.included_tokens is not None else ZERO
        self.unit_tokens = scaled.unit_tokens
        self.n0 = scaled.base_units

    def base(self, n: int) -> Decimal:
        return self.s.base_spend + self.s.unit_spend * (n - self.n0)

    def over(self, tokens: Decimal) -> Decimal:
        if self.o is None or tokens <= self.included:
            return ZERO
        return (tokens - self.included) * self.o

    def gap_full(self, n: int) -> Decimal:
        """T × (E - S) with n units full (the end of step n)."""
        x = n * self.unit_tokens
        return self.t * (self.base(n) + self.over(x)) - self.c * x

    def gap_after_step(self, n: int) -> Decimal:
        """T × (E - S) just after the step to n units (at n - 1 full units of tokens)."""
        x = (n - 1) * self.unit_tokens
        return self.t * (self.base(n) + self.over(x)) - self.c * x

    def root(self, n: int) -> Decimal | None:
        """The first volume in step n where E = S (E falling towards S), or None."""
        fixed = self.base(n)
        r = fixed / self.c
        if self.o is not None and r * self.t > self.included:
            slope = self.c - self.o * self.t
            if slope <= 0:
                return None
            r = (fixed - self.o * self.included) / slope
        return r

    def start_of_step(self, n: int) -> Decimal:
        """Tokens where step n begins: 0 for the configured size, else n - 1 full units."""
        return ZERO if n <= self.n0 else (n - 1) * self.unit_tokens

    def lowest_gap(self, n: int) -> Decimal:
        """The least T × (E - S) within step n: at its end, or at the included-tokens bend inside it."""
        gap = self.gap_full(n)
        lo, hi = self.start_of_step(n), n * self.unit_tokens
        if self.o is not None and lo < self.included < hi:
            gap = min(gap, self.t * self.base(n) - self.c * self.included)
        return gap

    def rise_within(self, n: int) -> Decimal | None:
        """Where E climbs back above S inside step n (overage dearer than Serverless), or None."""
        if self.o is None or self.c >= self.o * self.t:
            return None
        r = (self.base(n) - self.o * self.included) / (self.c - self.o * self.t)
        if r * self.t < n * self.unit_tokens and r * self.t > max(self.included, self.start_of_step(n)):
            return r
        return None

    def end_of(self, n: int) -> Decimal:
        return n * self.unit_tokens / self.t


def _first(pred, lo: int) -> int:
    """The least n ≥ lo with pred(n), for pred false then true for good (doubling + bisection)."""
    if pred(lo):
        return lo
    hi = lo * 2 + 1
    while not pred(hi):
        lo, hi = hi, hi * 2 + 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if pred(mid) else (mid, hi)
    return hi


def terms(scaled: ScaledCapacity) -> tuple:
    """All ``break_even`` reads of a capacity, as written: capacities with equal terms break even alike."""
    return (str(scaled.base_spend), str(scaled.unit_spend), scaled.base_units, str(scaled.unit_tokens),
            str(scaled.included_tokens), str(scaled.overage_mtok), scaled.unit)


def break_even(scaled: ScaledCapacity, cost_per_request: Decimal, tokens_per_request: Decimal) -> BreakEven:
    c, t = cost_per_request, tokens_per_request
    if t <= 0:
        return BreakEven(None, reason="the workload's requests have no tokens")
    if c <= 0:
        return BreakEven(None, reason="the workload costs nothing on Serverless")
    with localcontext(SUM_CONTEXT):
        line = _Line(scaled, c, t)
        if line.unit_tokens <= 0:
            result = _single_step(line)
        else:
            result = _stepped(line)
    return BreakEven(
        *(+v if isinstance(v, Decimal) else v for v in (result.requests, result.units, result.utilization,
                                                          result.until, result.stays_ahead_from)),
        reason=result.reason,
    )


def _single_step(line: _Line) -> BreakEven:
    """Throughput unknown: the configured size serves any volume (no steps)."""
    n0 = line.n0
    r = line.root(n0)
    if r is None:
        r = line.base(n0) / line.c
        if r * line.t > line.included:
            return BreakEven(None, reason="overage beyond the included tokens costs more than Serverless per token")
    until = None
    if line.o is not None and line.c < line.o * line.t:
        # Past the included tokens the endpoint gains on Serverless again: E = S once more.
        until = (line.base(n0) - line.o * line.included) / (line.c - line.o * line.t)
    return BreakEven(r, n0, None, until, r if until is None else None)


def _bend_step(line: _Line) -> int:
    """The step holding the included-tokens bend (steps before it bill no overage)."""
    if line.o is None:
        return line.n0
    return max(line.n0, ceil_div(line.included, line.unit_tokens))


def _first_crossing_unsettled(line: _Line) -> int | None:
    """First step where E reaches S when added units do not pay for themselves in the long run.

    Before the bend the end-of-step gaps change by T × unit spend - c × C a step (falling or
    not); past it they never fall.  So the crossing is before the bend (found by bisection
    when the gaps fall) or in the bend's step, or nowhere.
    """
    n0, kb = line.n0, _bend_step(line)
    if line.lowest_gap(n0) <= 0:
        return n0
    if kb > n0 + 1 and line.t * line.s.unit_spend < line.c * line.unit_tokens and line.gap_full(kb - 1) <= 0:
        return _first(lambda k: line.gap_full(k) <= 0, n0)
    return kb if kb > n0 and line.lowest_gap(kb) <= 0 else None


def _window_end_unsettled(line: _Line, n: int) -> Decimal | None:
    """Where E climbs back above S after the crossing in step n (unsettled case)."""
    if line.gap_after_step(n + 1) > 0 and line.rise_within(n) is None:
        return line.end_of(n)
    # Before the bend, step starts only get cheaper; look from the step before the bend on.
    start = max(n, _bend_step(line) - 1)
    for k in range(start, start + 3):
        rise = line.rise_within(k) if k >= n else None
        if rise is not None:
            return rise
        if line.gap_after_step(k + 1) > 0:
            return line.end_of(k)
    # Past the bend the step starts never get cheaper: bisect for the first that is dearer.
    o = line.o or ZERO
    if line.t * (line.s.unit_spend + o * line.unit_tokens) == line.c * line.unit_tokens:
        return None
    # Past the bend E - S only rises (within steps when overage is dearer than Serverless, and at
    # every step): bisect for the first step that ends dearer or is followed by a dearer start.
    k = _first(lambda j: line.gap_after_step(j + 1) > 0, start + 3)
    return line.rise_within(k) or line.end_of(k)


def _stepped(line: _Line) -> BreakEven:
    s, c, t = line.s, line.c, line.t
    unit_tokens = line.unit_tokens
    o = line.o or ZERO
    settles = c * unit_tokens > t * (s.unit_spend + o * unit_tokens)
    n0 = line.n0
    if settles:
        # E falls towards S within each step, and both gaps fall as units are added.
        n = _first(lambda k: line.gap_full(k) <= 0, n0)
        last_dear = _first(lambda k: line.gap_after_step(k) <= 0, n0 + 1) - 1
        stays = line.root(max(last_dear, n0))
        until = line.end_of(n) if line.gap_after_step(n + 1) > 0 else None
    else:
        stays = None
        n = _first_crossing_unsettled(line)
        if n is None:
            return BreakEven(
                None,
                reason=f"even full, a {s.unit} costs at least as much as the same tokens on Serverless",
            )
        until = _window_end_unsettled(line, n)
    r = line.root(n)
    if until is None:
        stays = r
    utilization = r * t / (unit_tokens * n)
    reason = "" if stays is not None else (
        f"one full {s.unit} costs at least as much as its tokens on Serverless, so added units do not pay for themselves")
    return BreakEven(r, n, utilization, until, stays, reason)
