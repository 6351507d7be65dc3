"""Alternatives are not a budget: a table that prices one volume on many models.

A "which model?" table has the same requests and tokens on every row, each on another
model, under a heading that says it compares ("Which model?", "vs", "options") or beside a
"Cheapest" / "Savings" cell.  Summing its rows gives a budget no one plans to spend, so its
rows become the rates of the models compared, one workload on the first row's model, and one
scenario per other row that swaps the workload's model to that row's; each alternative's
monthly cost is reported, cheapest first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pricing.importer.report import ImportReport
from pricing.importer.tables import Extracted, RateRow, WorkloadRow
from pricing.importer.units import cell_text
from pricing.plan.findings import Severity
from pricing.plan.models import DeploymentMode

#: At least this many rows, each on a different model, make a comparison.
MIN_ALTERNATIVES = 3
_HEADING = re.compile(r"(?i)\bwhich\b|compar|\bvs\.?\b|versus|alternative|\boptions?\b|\bchoices?\b|\bchoose\b|"
                      r"candidates?|side.by.side|shortlist|\bbenchmark")
_NEARBY = re.compile(r"(?i)cheapest|savings?|best value|lowest cost|most expensive|recommend|winner")


def _volume(row: WorkloadRow) -> tuple:
    w = row.workload
    return (w["requests_per_month"], w["input_tokens"], w["output_tokens"], w["cached_share"], w["mode"])


def comparison_cue(table, sheet) -> str | None:
    """The heading or nearby cell that says ``table`` compares alternatives, or None."""
    if _HEADING.search(table.sheet):
        return f"the sheet is named {table.sheet!r}"
    for note in table.notes:
        if _HEADING.search(note):
            return f"the heading {note!r}"
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) <= 60 and _NEARBY.search(value):
                return f"{cell_text(value)!r} in cell {sheet.ref(r, c)}"
    return None


def take_alternatives(table, found: Extracted, file: str, report: ImportReport, catalog) -> list[WorkloadRow]:
    """When the workloads just read from ``table`` are alternatives, turn them into rates in
    ``found`` (its workloads emptied), report it and return them; else return []."""
    from pricing.importer.assembly import _from_catalog

    rows = found.workloads
    if table.kind != "workloads" or len(rows) < MIN_ALTERNATIVES or table.data is None:
        return []
    models = [r.workload["model"] for r in rows]
    if len(set(m.lower() for m in models)) != len(models) or len({_volume(r) for r in rows}) != 1:
        return []
    cue = comparison_cue(table, table.data)
    if cue is None:
        return []
    requests, tokens_in, tokens_out, _, _ = _volume(rows[0])
    first, last = rows[0].place.get("cell", ""), rows[-1].place.get("cell", "")
    report.decide(f"sheet {table.sheet!r} rows {first.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}–"
                  f"{last.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}: a comparison of {len(rows)} models at one volume "
                  f"({requests:,} requests a month, {tokens_in:,} input and {tokens_out:,} output tokens each; {cue}): "
                  f"alternatives for one workload, not {len(rows)} workloads that run side by side")
    for row in rows:
        prices = dict(row.prices)
        provider = row.provider
        if "input_mtok" not in prices or "output_mtok" not in prices:
            listed = _from_catalog(catalog, row.workload["model"], row.workload["model"], explain=False)[0] if catalog else None
            if listed is None:
                report.find(f"{row.workload['model']}: no price on the row and not in the catalog: this alternative "
                            "cannot be priced", file=file, **{k: v for k, v in row.place.items() if k != "file"},
                            field="model")
                continue
            version = listed.current
            prices = {"input_mtok": version.input_mtok, "output_mtok": version.output_mtok,
                      "cached_input_mtok": version.cached_input_mtok, "cache_write_mtok": version.cache_write_mtok}
            provider = listed.provider
            row.workload["model"] = listed.model_id
        found.rates.append(RateRow(
            provider=provider, model=row.workload["model"], display_name="", context_length=None,
            modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH), effective_from=None,
            input_mtok=prices["input_mtok"], output_mtok=prices["output_mtok"],
            cached_input_mtok=prices.get("cached_input_mtok"), cache_write_mtok=prices.get("cache_write_mtok"),
            batch_discount=None, place=row.place))
    base = rows[0]
    base.workload["name"] = f"{table.sheet} ({len(rows)} alternatives)"
    found.workloads = [base]
    report.decide(f"sheet {table.sheet!r}: one workload, {base.workload['name']!r}, on {base.workload['model']} "
                  f"(the first row), and one scenario for each of the other {len(rows) - 1} models, which swaps its "
                  "model: pick a scenario to see the month on that model")
    return rows


def alternatives_as_scenarios(rows: list[WorkloadRow], plan, report: ImportReport):
    """``plan`` with one scenario per alternative but the first, each swapping the comparison's
    workload to its model (named by the plan's rate id)."""
    from pricing.costing.rates import RateBook
    from pricing.plan.scenario_records import Scenario, ScenarioChange, ScenarioScope, check_unique_names

    if len(rows) < 2:
        return plan
    book = RateBook.of(plan.rates)
    workload = rows[0].workload["name"]
    scenarios = list(plan.scenarios)
    taken = {s.name.lower() for s in scenarios} | {"base"}
    for row in rows[1:]:
        model = row.workload["model"]
        rate = _find(book, model)
        if rate is None:
            report.find(f"{model}: not priced, so no scenario is made for it", severity=Severity.WARNING,
                        **row.place, field="model")
            continue
        name, n = model, 2
        while name.lower() in taken:
            name, n = f"{model} ({n})", n + 1
        taken.add(name.lower())
        scenarios.append(Scenario(name=name, notes=f"an alternative from {row.place.get('sheet')} {row.place.get('cell')}",
                                  changes=(ScenarioChange(applies_to=ScenarioScope.WORKLOAD, name=workload,
                                                          change="Model swapped to", value=rate.id),)))
    check_unique_names(tuple(scenarios))
    return plan.model_copy(update={"scenarios": tuple(scenarios)})


def cost_alternatives(rows: list[WorkloadRow], plan, report: ImportReport) -> None:
    """Report each alternative's month at the plan's rates, cheapest first."""
    from pricing.costing.engine import price_request
    from pricing.costing.rates import RateBook

    if not rows:
        return
    book = RateBook.of(plan.rates)
    costs = []
    for row in rows:
        w = row.workload
        rate = _find(book, w["model"])
        if rate is None:
            costs.append((None, w["model"]))
            continue
        version = rate.current
        one = price_request(rate, version, w["input_tokens"], w["output_tokens"], cached_share=w["cached_share"])
        costs.append(((one.total * w["requests_per_month"]).quantize(Decimal("0.01")), w["model"]))
    priced = sorted((c for c in costs if c[0] is not None), key=lambda c: c[0])
    shown = ", ".join(f"{model} ${cost:,}" for cost, model in priced)
    missing = [model for cost, model in costs if cost is None]
    text = f"alternatives by monthly cost: {shown}"
    if priced:
        text += f"; cheapest: {priced[0][1]} at ${priced[0][0]:,} a month"
    if missing:
        text += f"; not priced (unknown model): {', '.join(missing)}"
    report.decide(text)


def _find(book, model: str):
    for ref in (model, f"imported/{model}"):
        try:
            found = book.get(ref)
        except Exception:  # noqa: BLE001 - an ambiguous id among the file's rates: not priced here
            found = None
        if found is not None:
            return found
    key = model.lower()
    return next((r for r in book if r.model_id.lower() == key), None)
