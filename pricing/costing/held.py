"""A projection held for a save: a snapshot a worker can read while the window keeps editing,
and every breakdown of it at once.

The desktop keeps one Projection up to date edit by edit (``Projection.update`` replaces rows
and moves the month totals in place).  A save on a worker thread reads it for seconds, so it
takes a ``snapshot`` on the thread that owns the projection: the containers an edit changes
are copied, the rows and figures themselves (never changed in place except a capacity's
shares) are shared.  ``breakdowns`` gives what ``Projection.breakdown`` gives for every key in
one pass over the rows.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal, localcontext
from operator import add

from pricing.costing.projection import BREAKDOWNS, Projection
from pricing.plan.money import SUM_CONTEXT
from pricing.yielding import giving_way


def snapshot(projection: Projection) -> Projection:
    """A copy of ``projection`` that edits to the original leave as it is; O(rows), no pricing."""
    held = copy.copy(projection)
    # A row is replaced, never edited, by update/splice; a capacity's shares are re-assigned on its
    # row, and only on the rows of a capacity the plan has (``Projection._allocate``): those rows are
    # copied, found by the workload's capacity field (a plain attribute, not ``Row.capacity_id``'s
    # mode checks: 100,000 rows scanned in ~5 ms instead of ~65 ms, on the GUI thread).
    capacities = set(projection._capacity_ids())  # noqa: SLF001 - the projection's own rule
    rows = projection.rows
    if capacities:
        held.rows = [replace(row, costs=list(row.costs), findings=list(row.findings))
                     if row.workload.capacity in capacities else row for row in rows]
    else:
        held.rows = list(rows)
    held.month_totals = list(projection.month_totals)
    held.idle = {key: list(line) for key, line in projection.idle.items()}
    held.capacity_findings = {key: list(items) for key, items in projection.capacity_findings.items()}
    held.pricer = projection.pricer.copy()  # its caches the original may fill
    return held


def working_copy(projection: Projection) -> Projection:
    """A copy ``update`` may re-price on a worker while the window goes on reading the original:
    a ``snapshot`` that also has its own Batch ledger and caches.  O(rows), no pricing; take it on
    the thread that owns the projection.  ``working_copy(p).update(plan, rows)`` gives the same
    digits as ``p.update(plan, rows)``, and ``p`` is left as it was."""
    held = snapshot(projection)
    ledger = copy.copy(projection.batch_ledger)
    for name, value in vars(ledger).items():  # its running tallies are changed in place
        if isinstance(value, dict):
            setattr(ledger, name, {key: list(item) if isinstance(item, list) else item for key, item in value.items()})
    held.batch_ledger = ledger
    for name, value in vars(held).items():  # look-up caches update() may fill or empty
        if name.startswith("_") and isinstance(value, dict):
            setattr(held, name, dict(value))
    return held


def row_keys(row) -> tuple[str, str, str, str, str]:
    """``Projection.key_of(row, by)`` for each of BREAKDOWNS at once."""
    w = row.workload
    return (w.tenant or "(none)", w.feature or "(none)", w.environment or "(none)",
            row.rate.id if row.rate else w.model, w.mode.label)


def combo_sums(projection: Projection, keys: list[tuple] | None = None) -> dict[tuple, list[Decimal]]:
    """The rows' monthly costs summed per distinct (tenant, feature, environment, model, mode, provider),
    in the order the rows first show each; exact.  ``breakdowns`` and ``provider_sums`` add these up.
    ``keys``: ``row_keys`` of each row when the caller has them already."""
    combos: dict[tuple, list] = {}
    # a window saving or summing on a worker paints meanwhile
    for row, row_key in giving_way(zip(projection.rows, keys or map(row_keys, projection.rows))):
        key = (*row_key, row.rate.provider.lower() if row.rate is not None else "")
        found = combos.get(key)
        if found is None:
            combos[key] = [row.costs]
        else:
            found.append(row.costs)
    with localcontext(SUM_CONTEXT):  # 80 digits: every sum is exact, so its order does not matter
        return {key: lines[0] if len(lines) == 1 else [sum(col) for col in zip(*lines)]
                for key, lines in combos.items()}


def _grouped(combos: dict[tuple, list[Decimal]], k: int) -> dict[str, list[Decimal]]:
    groups: dict[str, list] = {}
    for key, line in combos.items():
        label = key[k]
        acc = groups.get(label)
        groups[label] = list(line) if acc is None else list(map(add, acc, line))
    return groups


def provider_sums(combos: dict[tuple, list[Decimal]]) -> dict[str, list[Decimal]]:
    """The rows' monthly costs per provider (lower case; "" for rows without a rate), idle capacity apart."""
    with localcontext(SUM_CONTEXT):
        return _grouped(combos, len(BREAKDOWNS))


def breakdowns(projection: Projection, combos: dict[tuple, list[Decimal]] | None = None) -> dict[str, dict[str, list[Decimal]]]:
    """``{by: projection.breakdown(by)}`` for every breakdown key, the same groups in the same order
    with the same (exact) sums, computed in one pass: rows are first summed per distinct
    combination of keys (``combo_sums``), then those sums per key."""
    combos = combo_sums(projection) if combos is None else combos
    out: dict[str, dict[str, list[Decimal]]] = {}
    with localcontext(SUM_CONTEXT):
        for k, by in enumerate(BREAKDOWNS):
            groups = _grouped(combos, k)
            for capacity_id, line in projection.idle.items():
                if any(line):
                    label = projection._idle_key(capacity_id, by)  # noqa: SLF001 - the projection's own rule
                    acc = groups.get(label)
                    groups[label] = list(line) if acc is None else list(map(add, acc, line))
            out[by] = groups
    return out
