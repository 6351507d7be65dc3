"""Matching monthly groups of spend to the plan's workloads (the rules are in ``pricing.actuals.rules``).

A group that matches several workloads is shared among them in proportion to their planned cost
that month (equally when none is planned), in whole cents, the odd cents going to the largest
shares; a finding says so.  Amounts are rounded half up to the cent per group, as an invoice
line is.  Spend in a currency other than the plan's is left out with a finding (no exchange rate).
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from pricing.actuals.reading import SpendGroup
from pricing.actuals.rules import MatchRules
from pricing.costing.projection import Projection
from pricing.plan.findings import Finding, Severity
from pricing.plan.money import CENT, ZERO, format_money, round_cents
from pricing.plan.months import months_between
from pricing.plan.tracking import ActualLine

_DATED = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$")


def model_agrees(plan_ids: tuple[str, ...], source_model: str) -> bool:
    """'gpt-4o-2024-08-06', 'openai/gpt-4o' and 'gpt-4o' all name the plan's 'openai/gpt-4o'."""
    m = source_model.strip().lower()
    if not m:
        return True
    candidates = {m, _DATED.sub("", m)}
    for pid in plan_ids:
        p = pid.strip().lower()
        tail = p.rsplit("/", 1)[-1]
        for c in candidates:
            if c == p or p.endswith("/" + c) or c.endswith("/" + tail) or c == tail:
                return True
    return False


def _same(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def candidates(projection: Projection, group: SpendGroup, rules: MatchRules) -> tuple[list[int], str]:
    """Indexes of the workloads ``group`` goes to, and why ('' when it matches none)."""
    rows = projection.rows
    for n, rule in enumerate(rules.rules, 1):
        if all(_same(group.value(k), v) for k, v in rule.when.items()):
            if not rule.workload:
                return [], ""
            hits = [i for i, r in enumerate(rows) if _same(r.workload.name, rule.workload)]
            return hits, f"rule {n}" if hits else ""
    named = group.dimensions.get("workload", "")
    if named:
        hits = [i for i, r in enumerate(rows) if _same(r.workload.name, named)]
        if hits:
            return hits, "workload tag"
    said = {d: group.dimensions.get(d, "") for d in ("tenant", "feature", "environment")}
    resource = group.dimensions.get("resource", "")
    if not any(said.values()) and not group.model:
        return [], ""
    hits = []
    for i, r in enumerate(rows):
        w = r.workload
        if any(v and not _same(getattr(w, d), v) for d, v in said.items()):
            continue
        ids = (w.model,) + ((r.rate.id,) if r.rate else ())
        if group.model and not model_agrees(ids, group.model):
            continue
        if resource and w.capacity and not _same(w.capacity, resource):
            continue
        hits.append(i)
    return hits, "tags and model" if hits else ""


def split_cents(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` (whole cents) shared in proportion to ``weights``; the parts add up to it exactly."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [Decimal(1)] * len(weights)
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [r.quantize(CENT, rounding=ROUND_DOWN) if total >= 0 else -((-r).quantize(CENT, rounding=ROUND_DOWN))
             for r in raw]
    left = int(((total - sum(parts)) / CENT).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: (-abs(raw[i] - parts[i]), i))
    step = CENT if left > 0 else -CENT
    for i in order[: abs(left)]:
        parts[i] += step
    return parts


def match_groups(projection: Projection, groups: list[SpendGroup], rules_for) -> tuple[list[ActualLine], list[Finding]]:
    """ActualLines (one per source, month, workload or unmatched label, model) from ``groups``.

    ``rules_for(group)`` gives the MatchRules of the group's file.
    """
    plan = projection.plan
    currency = plan.assumptions.currency.upper()
    acc: dict[tuple, dict] = {}
    findings: list[Finding] = []
    spread: dict[tuple[str, str], int] = defaultdict(int)
    for g in groups:
        if g.cost is None:
            continue
        if g.currency.upper() != currency:
            findings.append(Finding(f"{g.month:%Y-%m} {g.label}: {format_money(g.cost, currency='')} {g.currency} "
                                    f"left out: the plan is in {currency} and no exchange rate is known",
                                    Severity.ERROR, file=g.file))
            continue
        amount = round_cents(g.cost)
        hits, why = candidates(projection, g, rules_for(g))
        m = months_between(plan.assumptions.first_month, g.month)
        if hits:
            weights = [projection.rows[i].costs[m] if 0 <= m < projection.horizon else ZERO for i in hits]
            parts = split_cents(amount, weights)
            sharing = sum(1 for part, weight in zip(parts, weights) if part or weight or not any(weights))
            if sharing > 1:
                spread[(g.file, g.label)] = max(spread[(g.file, g.label)], sharing)
            share = [p / amount if amount else Decimal(1) / len(hits) for p in parts]
            for i, part, s, weight in zip(hits, parts, share, weights):
                if amount and not part and not weight and any(weights):
                    continue  # a workload not running that month takes no share
                name = projection.rows[i].workload.name
                _add(acc, (g.source, g.month, name, "", g.model), g, part, s)
        else:
            _add(acc, (g.source, g.month, None, g.label, g.model), g, amount, Decimal(1))
    for (file, label), n in spread.items():
        findings.append(Finding(f"{label}: matches {n} workloads; shared in proportion to their planned cost",
                                Severity.INFO, file=file))
    lines = [ActualLine(source=k[0], month=k[1], workload=k[2], label=k[3], model=k[4], cost=v["cost"],
                        currency=currency, requests=v["requests"], input_tokens=v["input"],
                        cached_tokens=v["cached"], output_tokens=v["output"], file=", ".join(sorted(v["files"])))
             for k, v in acc.items()]
    return lines, findings


def _add(acc: dict, key: tuple, g: SpendGroup, amount: Decimal, share: Decimal) -> None:
    slot = acc.setdefault(key, {"cost": ZERO, "requests": ZERO, "input": ZERO, "cached": ZERO, "output": ZERO,
                                "files": set()})
    slot["cost"] += amount
    slot["requests"] += g.requests * share
    slot["input"] += g.input_tokens * share
    slot["cached"] += g.cached_tokens * share
    slot["output"] += g.output_tokens * share
    slot["files"].add(g.file)


def merge_actuals(existing: tuple[ActualLine, ...], new: list[ActualLine]) -> tuple[ActualLine, ...]:
    """The plan's actuals with ``new`` loaded: a source's month loaded again replaces what was there,
    so loading the same month twice never doubles it."""
    replaced = {(line.source, line.month) for line in new}
    kept = [line for line in existing if (line.source, line.month) not in replaced]
    return tuple(sorted(kept + list(new), key=lambda l: (l.month, l.source, l.workload is None,
                                                         l.workload or l.label, l.model)))
