"""File > Import and Import usage log: another program's budget or a usage log into the plan,
as one undo step.

Large work runs on a worker with a progress dialog whose Cancel leaves the plan as it was: a
usage log over ``USAGE_IN_BACKGROUND_BYTES``, and projecting a new plan of more than
``PROJECT_IN_BACKGROUND_WORKLOADS`` workloads (imports and preferences alike).
"""

from __future__ import annotations

from pathlib import Path

from desktop.file_context import FileContext
from desktop.jobs import Job
from desktop.undo import ReplacePlan

#: Usage logs larger than this are read on a worker thread, with a progress dialog.
USAGE_IN_BACKGROUND_BYTES = 5_000_000
#: Imported plans with more workloads than this are projected on a worker (as ``document.PROJECT_AWAY_WORKLOADS``).
PROJECT_IN_BACKGROUND_WORKLOADS = 2_000


class Importing:
    def __init__(self, context: FileContext):
        self.context = context

    @property
    def usage_task(self) -> Job | None:
        """The usage log being read on a worker, if any."""
        return self.context.background.jobs.get("Reading usage log")

    def import_dialog(self) -> None:
        path = self.context.prompts.any_path("Import a budget", "Spreadsheets and CSV (*.xlsx *.xlsm *.xls *.ods *.csv);;All files (*)")
        if path:
            self.import_path(path)

    def import_path(self, path: Path) -> bool:
        """The import wizard, then its plan into the window as one undo step.  A plan of more
        than ``PROJECT_IN_BACKGROUND_WORKLOADS`` is projected on a worker first (Cancel keeps
        the current plan); returns True when the plan was taken or is being projected."""
        path = Path(path)
        plan = self.context.prompts.run_import_wizard(path)
        if plan is None:
            return False
        if plan.rates and not (plan.workloads or plan.endpoints or plan.clusters):
            return self._add_rate_card(path, plan)
        self.replace_plan(plan, f"Import {path.name}", lambda: self._imported(path, plan))
        return True

    def _add_rate_card(self, path: Path, card) -> bool:
        """A rate card alone: its prices become price versions of the open plan's models, dated this month."""
        from datetime import date

        from pricing.costing.rate_card import add_price_versions

        doc = self.context.document
        merge = add_price_versions(doc.plan, card.rates, date.today().replace(day=1))
        doc.undo_stack.push(ReplacePlan(doc, doc.plan, merge.plan, f"Import rates from {path.name}"))
        self.context.status(f"Added {merge.summary()} from {path.name}")
        return True

    def replace_plan(self, plan, text: str, taken) -> None:
        """Push ``plan`` as one undo step, then call ``taken()``.  A plan of more than
        ``PROJECT_IN_BACKGROUND_WORKLOADS`` is projected on a worker first, behind a progress
        dialog whose Cancel leaves the window's plan as it was."""
        def push(projection=None):
            doc = self.context.document
            doc.undo_stack.push(ReplacePlan(doc, doc.plan, plan, text, projection))
            taken()

        if len(plan.workloads) <= PROJECT_IN_BACKGROUND_WORKLOADS:
            push()
            return

        def work(cancel):
            from desktop.document import projected

            return projected(plan)

        self.context.background.run("Projecting", f"Projecting {len(plan.workloads):,} workloads…", work, push,
                         self.context.prompts.error, lambda: self.context.status(f"{text} cancelled; nothing changed"))

    def _imported(self, path: Path, plan) -> None:
        doc = self.context.document
        self.context.lock.release()
        doc.path = None
        doc.stateChanged.emit()
        self.context.status(f"Imported {len(plan.workloads):,} workload(s) from {path.name}; Save As to keep them")

    def usage_dialog(self) -> None:
        path = self.context.prompts.any_path("Import usage log", "Usage logs (*.jsonl *.json *.csv *.parquet *.gz);;All files (*)")
        if path:
            self.import_usage(path)

    def import_usage(self, path: Path) -> bool:
        """Measured usage → one workload per model (and tag), added to the plan as one undo step.

        A log over ``USAGE_IN_BACKGROUND_BYTES`` is read on a worker (DuckDB reads about a million
        records a second here) behind a progress dialog whose Cancel interrupts the query; the
        question "add these workloads?" follows when it is done.  Returns True when the
        workloads were added, or when the background read started.
        """
        path = Path(path)
        from pricing.usage import stats as usage
        from pricing.costing.catalog import load_catalog

        def work(cancel=None):
            stats = usage.read_usage(path, by=[], cancel=cancel)
            catalog = load_catalog()
            return stats, catalog, usage.usage_to_workloads(stats, catalog=catalog)

        def failed(message):
            self.context.prompts.error(message if path.name in message else f"{path.name}: {message}")

        try:
            large = path.stat().st_size > USAGE_IN_BACKGROUND_BYTES
        except OSError:
            large = False
        if large:
            if self.usage_task is not None:
                self.context.status("A usage log is already being read")
                return False
            self.context.background.run("Reading usage log", f"Reading {path.name}…", work,
                             lambda result: self._take_usage(path, *result), failed,
                             lambda: self.context.status(f"Reading {path.name} cancelled; nothing changed"))
            return True
        try:
            stats, catalog, workloads = work()
        except Exception as exc:  # the module names the file and the reason; show it, never crash
            failed(str(exc))
            return False
        return self._take_usage(path, stats, catalog, workloads)

    def _take_usage(self, path: Path, stats, catalog, workloads) -> bool:
        if not workloads:
            self.context.prompts.error(f"{path.name}: no usage records with a model and token counts")
            return False
        doc = self.context.document
        plan = doc.plan
        book = doc.projection.book
        rates = list(plan.rates)
        ids = {r.id.lower() for r in rates}
        for w in workloads:
            if book.get(w.model) is None:
                rate = catalog.get(w.model)
                if rate is not None and rate.id.lower() not in ids:
                    rates.append(rate)
                    ids.add(rate.id.lower())
        counted = (f"{stats.requests:,} request(s) in {stats.records:,} row(s)" if stats.request_count_column
                   else f"{stats.records:,} record(s)")
        skipped = f"; {stats.skipped_text}" if stats.skipped else ""
        summary = (f"{path.name}: {counted} over {stats.days_covered} day(s){skipped}.\n"
                   f"{getattr(stats, 'convention_note', '')}\n\n"
                   f"Add {len(workloads)} workload(s)" + (f" and {len(rates) - len(plan.rates)} rate(s) from the catalog"
                                                          if len(rates) > len(plan.rates) else "") + " to the plan?")
        if not self.context.prompts.confirm("Import usage log", summary):
            return False
        after = plan.model_copy(update={"workloads": plan.workloads + tuple(workloads), "rates": tuple(rates)})
        self.replace_plan(after, f"Import usage log {path.name}",
                           lambda: self.context.status(f"Added {len(workloads)} measured workload(s) from {path.name}"))
        return True
