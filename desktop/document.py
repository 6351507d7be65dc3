"""The open plan: its file, its dirty flag, its undo stack and a projection kept in step.

Every change goes through here.  An edit of some workloads re-prices only those rows
(``Projection.update``) and announces which rows and months changed, so each grid signals
``dataChanged`` over exactly that range; anything that changes the plan's shape (rows
inserted or removed, rates, assumptions, a new plan) projects again and announces a reset.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from pricing.plan.models import Assumptions, ModelRate, Plan, Workload
from pricing.plan.scenario_records import BASE, Scenario
from pricing.costing.projection import Projection
from pricing.plan.terms import Terms
from pricing.plan.months import current_month_index
from desktop.display import Denomination
from pricing.gc_pause import keep_long_lived
from pricing.letting_go import let_go


#: Whole-plan projections of more workloads than this run on a worker.  At 20,000, as before, a
#: preference change held the window 62-86 ms for 3,000 workloads, 94-105 ms for 6,000 and 185-195 ms
#: for 15,000 on the 2-core VM (the projection about 11 µs a workload, the rest the views' reset).
PROJECT_AWAY_WORKLOADS = 2_000
#: An edit of more rows than this (a paste) in a plan of over PROJECT_AWAY_WORKLOADS is re-priced on a worker.
REPRICE_AWAY_ROWS = 500


def projected(plan: Plan) -> Projection:
    """``plan``'s projection with what the window shows at once already counted (the totals
    strip's finding counts walk every row: 20 ms at 100,000 workloads), so that a worker that
    projects a plan for the window also does that walk, not the GUI thread when the plan lands."""
    projection = Projection(plan)
    projection.finding_counts()
    return projection


class PlanDocument(QObject):
    #: rows (list[int]) whose workloads changed, months (list[int]) whose totals changed.
    workloadsChanged = Signal(list, list)
    #: The plan changed shape or wholesale: views re-read everything.  While ``rows_kept`` is True
    #: the reset kept every workload where it was (new rates): a grid may repaint its rows instead.
    planReset = Signal()
    #: Workload rows ``start:start+removed`` are about to be replaced by ``inserted`` new ones
    #: (row inserts and deletes); ``workloadRowsChanged`` follows with the same figures once
    #: they are, then ``planReset`` for views that re-read everything.
    workloadRowsAboutToChange = Signal(int, int, int)
    workloadRowsChanged = Signal(int, int, int)
    #: Path, dirty flag or read-only state changed (window title, actions).
    stateChanged = Signal()
    #: The plan's scenarios or the scenario shown in the totals changed.
    scenariosChanged = Signal()
    #: True: a worker is re-pricing the plan at new rates and the figures shown are the previous
    #: ones (views mark them as updating); False: the figures are current again.
    repricingChanged = Signal(bool)

    def __init__(self, plan: Plan, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.plan = plan
        self.path = Path(path) if path else None
        self.read_only = False
        self.rows_kept = False
        self.findings_on_open: list = []
        self.projection = Projection(plan)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda _clean: self.stateChanged.emit())
        #: The scenario the totals strip shows (Base: the plan itself); a view choice, not part of the plan.
        self.active_scenario = BASE
        self._shown: Projection | None = None
        from desktop.repricing import Repricer

        self.repricer = Repricer(self)
        self.workloadsChanged.connect(self._forget_scenario_projection)
        self.planReset.connect(self._forget_scenario_projection)

    # --------------------------------------------------------------- state
    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def repricing(self) -> bool:
        """A worker is re-pricing the plan at new rates: the projection's figures are the previous ones."""
        return self.repricer.running

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def mark_saved(self, path: Path) -> None:
        self.path = Path(path)
        self.undo_stack.setClean()
        self.stateChanged.emit()

    @property
    def currency(self) -> str:
        """The plan's currency code, carrying its locale for display.money and friends."""
        a = self.plan.assumptions
        return Denomination(a.currency, a.locale)

    @property
    def rates_currency(self) -> str:
        """The currency the rate sheet is written in (the catalog's USD unless the terms say otherwise):
        list prices are shown in it, converted figures in ``currency``."""
        return Denomination(self.plan.terms.rates_currency, self.plan.assumptions.locale)

    @property
    def months(self) -> list[date]:
        return self.projection.months

    def load(self, plan: Plan, path: Path | None, findings: list | None = None,
             projection: Projection | None = None) -> None:
        """Show another plan in this window: a fresh undo history, clean.

        ``projection`` is the plan's projection when a worker thread already made it.
        """
        self.path = Path(path) if path else None
        self.read_only = False
        self.findings_on_open = list(findings or [])
        self.active_scenario = BASE
        self.undo_stack.clear()
        self.replace_plan(plan, projection)
        self.undo_stack.setClean()
        self.stateChanged.emit()

    # --------------------------------------------------------------- changes (called by undo commands)
    def apply_workloads(self, changes: Mapping[int, Workload]) -> None:
        """Replace the workloads at the given rows and re-price only those rows."""
        if not changes:
            return
        workloads = list(self.plan.workloads)
        for row, workload in changes.items():
            workloads[row] = workload
        plan = self.plan.model_copy(update={"workloads": tuple(workloads)})
        self.plan = plan
        if self.repricer.running:  # priced on the new rates' projection when it lands
            self.repricer.rows_edited(changes.keys())
            self.workloadsChanged.emit(sorted(changes), [])
            return
        if len(changes) > REPRICE_AWAY_ROWS and len(plan.workloads) > PROJECT_AWAY_WORKLOADS:
            # A large paste (or its undo): its rows re-priced on a worker, as a rate edit's are; the
            # figures shown are marked as updating until they land (20,000 rows: 0.6 s on the GUI thread).
            self.repricer.rows_edited(changes.keys())
            self.repricer.reprice(f"Re-pricing {len(changes):,} edited workloads…")
            self.workloadsChanged.emit(sorted(changes), [])
            return
        months = self.projection.update(plan, changes.keys())
        self.workloadsChanged.emit(sorted(changes), sorted(months))

    def replace_plan(self, plan: Plan, projection: Projection | None = None) -> None:
        """Take a new plan wholesale (open, import, rates, assumptions, rows in or out).

        A plan of more than ``PROJECT_AWAY_WORKLOADS`` is projected on a worker while the window
        keeps painting (``desktop.jobs.wait_for``); until it is done the document still holds
        the previous plan and its projection, so nothing ever sees the two out of step."""
        self.repricer.abandon()
        if projection is None or projection.plan is not plan:
            projection = self._project(plan)
        before = (self.plan, self.projection)
        self.plan = plan
        self.projection = projection
        keep_long_lived()
        self.planReset.emit()
        # Freed here, a large plan and its projection held the GUI thread 200-280 ms
        # (pricing.letting_go); the views have let them go on planReset.
        let_go(*before)

    @staticmethod
    def _project(plan: Plan) -> Projection:
        if len(plan.workloads) <= PROJECT_AWAY_WORKLOADS:
            return Projection(plan)
        from desktop.jobs import wait_for

        return wait_for(lambda _cancel: projected(plan), f"Recalculating {len(plan.workloads):,} workloads…")

    def set_workloads(self, workloads: tuple[Workload, ...]) -> None:
        """Rows in or out: re-price only the run of rows that differs (Projection.splice)."""
        self.repricer.finish()  # rows move: the figures must be current first
        old, new = self.plan.workloads, tuple(workloads)
        shortest = min(len(old), len(new))
        head = 0
        while head < shortest and old[head] is new[head]:
            head += 1
        tail = 0
        while tail < shortest - head and old[-1 - tail] is new[-1 - tail]:
            tail += 1
        removed, inserted = len(old) - head - tail, len(new) - head - tail
        plan = self.plan.model_copy(update={"workloads": new})
        spliced = None
        if removed + inserted > REPRICE_AWAY_ROWS and len(new) > PROJECT_AWAY_WORKLOADS:
            # Thousands of rows in or out (a delete, its undo): spliced into a working copy on a worker,
            # the window painting (5,000 rows back in held it 105 ms); the rows move in the grids after.
            from desktop.jobs import wait_for
            from pricing.costing.held import working_copy

            spliced = working_copy(self.projection)
            wait_for(lambda _cancel: spliced.splice(plan, head, removed, inserted),
                     f"Updating {max(removed, inserted):,} rows…")
        self.workloadRowsAboutToChange.emit(head, removed, inserted)
        self.plan = plan
        if spliced is None:
            self.projection.splice(plan, head, removed, inserted)
        else:
            before, self.projection = self.projection, spliced
            let_go(before)
        self.workloadRowsChanged.emit(head, removed, inserted)
        self.planReset.emit()

    def set_rates(self, rates: tuple[ModelRate, ...]) -> None:
        # The plan's own checks (ids unique, references resolve) run; its workloads are already
        # validated records and are not dumped and re-read (1.3 s at 100,000 workloads).
        fields = {name: getattr(self.plan, name) for name in Plan.model_fields}
        plan = Plan.model_validate({**fields, "rates": tuple(rates)})
        if not self.projection.rates_change_is_local(plan):
            self.replace_plan(plan)  # models added or removed: how workloads resolve may change
            return
        # Same models, new figures: only the rows those models price are priced again.
        if self.repricer.wanted(plan):  # on a worker; the figures shown are marked as updating
            self.plan = plan
            self.repricer.rates_changed()
            self.announce_new_figures()
            return
        self.projection.update(plan, [])
        self.plan = plan
        self.announce_new_figures()

    def announce_new_figures(self) -> None:
        """``planReset`` for a change that kept every workload where it was (a rate edit, a re-pricing
        landed): grids of 100,000 rows repaint them instead of resetting (and re-sorting) them."""
        self.rows_kept = True
        try:
            self.planReset.emit()
        finally:
            self.rows_kept = False

    def set_assumptions(self, assumptions: Assumptions) -> None:
        self.replace_plan(self.plan.model_copy(update={"assumptions": assumptions}))

    def set_terms(self, terms: Terms) -> None:
        """Discounts, commitments, credits, reservations or the FX table changed: project again."""
        self.replace_plan(self.plan.model_copy(update={"terms": terms}))

    # --------------------------------------------------------------- scenarios
    def set_scenarios(self, scenarios: tuple[Scenario, ...], active: str | None = None) -> None:
        """New scenarios; the base projection stands (a scenario never changes the plan itself)."""
        self.plan = self.plan.model_copy(update={"scenarios": tuple(scenarios)})
        if not self.repricer.running:  # else the pass takes the plan when it lands
            self.projection.plan = self.plan
        names = {s.name for s in scenarios}
        if active is not None:
            self.active_scenario = active
        if self.active_scenario not in names:
            self.active_scenario = BASE
        self._forget_scenario_projection()
        self.scenariosChanged.emit()

    def set_active_scenario(self, name: str) -> None:
        if name == self.active_scenario:
            return
        self.active_scenario = name if name in {s.name for s in self.plan.scenarios} else BASE
        self._forget_scenario_projection()
        self.scenariosChanged.emit()

    def shown_projection(self) -> Projection:
        """The projection of the active scenario (the plan's own when it is Base)."""
        if self.active_scenario == BASE:
            return self.projection
        if self._shown is None:
            from pricing.costing.catalog import load_catalog

            self._shown = project_scenario(self.plan, self.active_scenario, self.projection.horizon, load_catalog())
        return self._shown

    def kept_scenario_projection(self) -> Projection | None:
        """The active scenario's projection if it is made and current (``shown_projection`` makes it)."""
        return self._shown

    def keep_scenario_projection(self, plan: Plan, name: str, projection: Projection) -> None:
        """Keep ``projection`` of scenario ``name`` of ``plan``, made on a worker, if that is still the plan
        and the scenario shown (until the next edit forgets it)."""
        if plan is self.plan and name == self.active_scenario and name != BASE:
            self._shown = projection

    def _forget_scenario_projection(self, *_args) -> None:
        """The active scenario's projection is out of date: freed a slice at a time, off the GUI thread
        (dropped here, a 30,000-workload one held the window ~45 ms after every edit)."""
        shown, self._shown = self._shown, None
        if shown is not None:
            let_go(shown)

    # --------------------------------------------------------------- figures for views
    def this_month_index(self, today: date | None = None) -> int:
        """The month of the horizon we are in now (the first month before the plan starts)."""
        return current_month_index(self.projection.months, today)

    def findings_for_row(self, row: int) -> list:
        return self.projection.findings_for_row(row)


def project_scenario(plan: Plan, name: str, horizon: int, catalog) -> Projection:
    """``plan`` with scenario ``name`` applied (catalog rates where it asks for them), projected."""
    from pricing.scenarios import apply_scenario

    return Projection(apply_scenario(plan, name, catalog).plan, horizon)
