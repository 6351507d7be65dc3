"""One undo step per user action, each holding the plan values it swaps.

Edits, pastes, fills and clears of workload cells are ``EditWorkloads`` (old and new
``Workload`` records of the rows touched); inserting and deleting rows, editing rates,
changing assumptions and importing swap whole tuples or plans.  No command computes a
cost: each hands values to the document, which asks the projection again.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QUndoCommand

from pricing.plan.models import Assumptions, ModelRate, Plan, Workload
from pricing.plan.scenario_records import Scenario


class EditWorkloads(QUndoCommand):
    def __init__(self, document, before: Mapping[int, Workload], after: Mapping[int, Workload], text: str):
        super().__init__(text)
        self.document = document
        self.before = dict(before)
        self.after = dict(after)

    def redo(self) -> None:
        self.document.apply_workloads(self.after)

    def undo(self) -> None:
        self.document.apply_workloads(self.before)


class ReplaceWorkloads(QUndoCommand):
    """Rows inserted or deleted: the whole tuple before and after."""

    def __init__(self, document, before: tuple[Workload, ...], after: tuple[Workload, ...], text: str):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.document.set_workloads(self.after)

    def undo(self) -> None:
        self.document.set_workloads(self.before)


class ReplaceRates(QUndoCommand):
    def __init__(self, document, before: tuple[ModelRate, ...], after: tuple[ModelRate, ...], text: str):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.document.set_rates(self.after)

    def undo(self) -> None:
        self.document.set_rates(self.before)


class ChangeAssumptions(QUndoCommand):
    def __init__(self, document, before: Assumptions, after: Assumptions, text: str = "Change preferences"):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.document.set_assumptions(self.after)

    def undo(self) -> None:
        self.document.set_assumptions(self.before)


class ChangeTerms(QUndoCommand):
    """One edit on the Terms tab (a discount, a commitment, an FX rate ...): the plan's terms before and after."""

    def __init__(self, document, before, after, text: str = "Change contract terms"):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after

    def redo(self) -> None:
        self.document.set_terms(self.after)

    def undo(self) -> None:
        self.document.set_terms(self.before)


class ReplacePlan(QUndoCommand):
    """An import into the open window: the whole plan before and after, one step."""

    def __init__(self, document, before: Plan, after: Plan, text: str, projection=None):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        #: ``after`` already projected (on a worker): used by the first redo, then let go, so
        #: the undo stack never holds a second 100,000-row projection.
        self.projection = projection

    def redo(self) -> None:
        self.document.replace_plan(self.after, self.projection)
        self.projection = None

    def undo(self) -> None:
        self.document.replace_plan(self.before)


class ReplaceScenarios(QUndoCommand):
    """A scenario added, renamed, duplicated, deleted or one of its changes edited: the tuples before and after.

    Choosing the shown scenario is not an undo step; when a step moves the switch (a rename or a
    delete of the shown scenario), undoing it moves the switch back.
    """

    def __init__(self, document, before: tuple[Scenario, ...], after: tuple[Scenario, ...], text: str,
                 active_after: str | None = None):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.active_after = active_after
        self.shown_before: str | None = None

    def redo(self) -> None:
        shown = self.document.active_scenario
        self.document.set_scenarios(self.after, self.active_after)
        self.shown_before = shown if self.document.active_scenario != shown else None

    def undo(self) -> None:
        self.document.set_scenarios(self.before, self.shown_before)
