"""save_plan: the plan as an .xlsx workbook with input tables, live formulas and cached values.

Why a hand-written writer: openpyxl cannot store the cached value of a formula cell, and
XlsxWriter spends most of its time on per-formula regular expressions (see
shared/spec/measured.md).  Streaming the SpreadsheetML ourselves, with shared formulas,
writes a 100,000-workload plan in seconds and keeps the core's figures in every cell.

The save is atomic (pricing.files.atomic): the workbook is written to a temporary file beside the
target and moved over it only when complete; the previous version is kept as NAME.bak.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from pricing.files.atomic import atomic_write
from pricing.gc_pause import gc_paused
from pricing.plan.models import Plan
from pricing.costing.projection import Projection
from pricing.files.workbook import layout as L
from pricing.files.workbook.billing import write_billing
from pricing.files.workbook.capacity_sheet import write_capacity
from pricing.files.workbook.carry import extra_sheets
from pricing.files.workbook.cells import StringTable
from pricing.files.workbook.inputs import (
    InputLayout, write_assumptions, write_clusters, write_endpoints, write_meta, write_rates, write_terms,
    write_workloads,
)
from pricing.files.workbook.modes_sheet import write_modes
from pricing.files.workbook.package import Package
from pricing.files.workbook.parts import PartWriter
from pricing.files.workbook.scenario_sheets import (
    ACTIVE_REF, ScenarioBook, write_active_workloads, write_scenario_totals, write_scenarios,
)
from pricing.files.workbook.sheets import Computed
from pricing.files.workbook.summary import write_summary
from pricing.files.workbook.tracking import write_actuals, write_budgets, write_variance
from pricing.yielding import quick_handover

SHEET_ORDER = (L.SUMMARY, L.SCENARIO_TOTALS, L.WORKLOADS, L.RATES, L.ASSUMPTIONS, L.SCENARIOS, L.ENDPOINTS,
               L.CLUSTERS, *L.TERMS_SHEETS, L.ACTIVE, L.COSTS, L.PROJECTION, L.BILLING, L.MODES, L.CAPACITY,
               L.BUDGETS, L.ACTUALS, L.VARIANCE)


class SaveCancelled(Exception):
    """The user cancelled a save; the previous file is untouched."""


def save_plan(
    plan: Plan,
    path,
    *,
    months: int | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    reforecast: str = "plan",
    projection: Projection | None = None,
) -> None:
    """Write ``plan`` to the workbook at ``path`` (a projection of ``months`` months, default the plan's horizon).

    ``projection`` is the plan's projection when the caller already holds one (the desktop's, as a
    ``pricing.costing.held.snapshot``); it is used when it is of this very plan and horizon, else
    the plan is projected here.

    ``reforecast`` is what the Variance sheet re-forecasts open months at: ``plan`` or ``ratio``.
    ``progress`` receives fractions from 0 to 1; when ``cancel()`` returns True the save stops,
    the previous file stays as it was and SaveCancelled is raised.
    """
    path = Path(path)
    shown = [0.0]

    def tick(fraction: float) -> None:
        if cancel is not None and cancel():
            raise SaveCancelled(f"saving {path.name} was cancelled; the previous file is unchanged")
        if progress is not None:
            shown[0] = max(shown[0], min(max(fraction, 0.0), 1.0))  # never backwards
            progress(shown[0])

    tick(0.0)
    carried = extra_sheets(path) if path.exists() else None
    horizon = months or plan.assumptions.horizon_months
    if projection is None or projection.plan is not plan or projection.horizon != horizon:
        projection = Projection(plan, months)
    tick(0.05)

    def write(tmp: Path) -> None:
        # Millions of short-lived lists and no reference cycles: the cyclic collector's passes over
        # the plan and its projection would only cost time (pricing.gc_pause).
        with gc_paused(), zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            write_package(zf, plan, projection, carried, lambda f: tick(0.05 + 0.9 * f), reforecast)

    atomic_write(path, write)
    if progress is not None:
        progress(1.0)


def write_package(zf: zipfile.ZipFile, plan: Plan, projection: Projection, carried, tick,
                  reforecast: str = "plan") -> None:
    # Deflating and writing on a thread of their own, which gets the interpreter lock back quickly.
    with quick_handover(), PartWriter(zf) as parts:
        _write_parts(parts, plan, projection, carried, tick, reforecast)


def _write_parts(parts: PartWriter, plan: Plan, projection: Projection, carried, tick, reforecast: str) -> None:
    a = plan.assumptions
    pkg = Package(parts, StringTable(carried.strings if carried else None), a.currency, a.locale)
    lay = InputLayout()
    scenarios = ScenarioBook(plan, projection.horizon) if plan.scenarios else None
    if scenarios:
        plan = scenarios.sheet_plan
        lay.workload_sheet = ACTIVE_REF
    write_assumptions(pkg, plan, lay)
    write_rates(pkg, plan, lay)
    write_workloads(pkg, plan, lay)
    write_endpoints(pkg, plan, lay)
    write_clusters(pkg, plan, lay)
    write_terms(pkg, plan, lay)
    tick(0.02)
    if scenarios:
        write_scenarios(pkg, plan)
        write_active_workloads(pkg, plan, scenarios.applied[1:])
    comp = Computed(pkg, plan, projection, lay, tick, scenarios.groups() if scenarios else None)
    comp.write_costs()
    comp.write_projection()
    write_capacity(comp)
    write_modes(comp)
    write_billing(comp)
    write_summary(comp)
    if scenarios:
        write_scenario_totals(pkg, plan, scenarios.totals, comp.total_row)
    write_budgets(comp, lay)
    write_actuals(comp, lay)
    write_variance(comp, reforecast)
    tick(0.97)
    if carried:
        for name, xml, hidden in carried.sheets:
            pkg.raw_sheet(name, carried.restyle(xml, pkg.styles).encode("utf-8"), hidden)
    write_meta(pkg, projection.horizon, lay)
    order = {name: i for i, name in enumerate(SHEET_ORDER)}
    ranked = [(order.get(name, len(order) + i), i) for i, (name, _p, _h) in enumerate(pkg.sheets)]
    pkg.sheets = [pkg.sheets[i] for _rank, i in sorted(ranked)]
    pkg.finish(active=0)
