"""File > Compare: the open plan against another version of it (a plan file, a scenario, or its
rates from the bundled catalog), shown in a :class:`~desktop.compare_dialog.CompareDialog`."""

from __future__ import annotations

from functools import partial
from pathlib import Path


class Comparing:
    def __init__(self, window):
        self.window = window
        self.dialog = None

    @property
    def document(self):
        return self.window.document

    def with_file(self, path: Path | None = None) -> None:
        from pricing.files.planfile import open_plan

        path = path or self.window.prompts.any_path("Compare with another version of the plan",
                                                    "Plans (*.xlsx *.xlsm *.json);;All files (*)")
        if path is None:
            return
        self._compare(lambda: open_plan(path)[0], f"{Path(path).name} against {self.document.display_name}",
                      (f"the open plan ({self.document.display_name})", Path(path).name))

    def with_scenario(self, name: str) -> None:
        from pricing.costing.catalog import load_catalog
        from pricing.scenarios import apply_scenario

        plan = self.document.plan
        self._compare(lambda: apply_scenario(plan, name, load_catalog()).plan, f"Scenario {name} against Base",
                      ("the Base scenario", f"scenario {name}"))

    def with_catalog(self) -> None:
        from pricing.costing.catalog import load_catalog
        from pricing.scenarios import reprice_with_catalog

        plan = self.document.plan
        self._compare(lambda: reprice_with_catalog(plan, load_catalog())[0],
                      "The bundled catalog's rates against the plan's rate sheet",
                      ("the plan at its rate sheet's prices", "the plan at the bundled catalog's prices"))

    def show(self, other, title: str, names: tuple[str, str]) -> None:
        """Compare the open plan (the base) with the plan ``other``; ``names`` says what each of the two is."""
        self._compare(lambda: other, title, names)

    def _compare(self, other, title: str, names: tuple[str, str]) -> None:
        """Compare the open plan (the base) with the plan ``other()`` makes; ``names`` says what each of the
        two is.  Reading the other version, applying a scenario and projecting both take seconds at
        100,000 workloads, so they run on a worker while the window paints, behind a busy dialog shown
        after 300 ms (``jobs.wait_for``); a file that cannot be read is refused with its own message."""
        from desktop.compare_dialog import CompareDialog
        from desktop.jobs import wait_for
        from pricing.scenarios import compare_plans

        base, horizon = self.document.plan, self.document.projection.horizon
        try:
            comparison = wait_for(lambda _cancel: compare_plans(base, other(), horizon), "Comparing…", self.window)
        except RuntimeError as exc:  # the reader's or the scenario's own message
            self.window.prompts.error(str(exc))
            return
        dialog = CompareDialog(comparison, self.document.currency, title, self.export, self.window, names)
        dialog.finished.connect(partial(self._closed, dialog))
        self.dialog = dialog
        dialog.show()

    def _closed(self, dialog, _result: int) -> None:
        """The latest comparison, closed, is not held here either (it deletes itself on close)."""
        if self.dialog is dialog:
            self.dialog = None

    def export(self, comparison, path: Path | None = None) -> Path | None:
        """Write ``comparison`` to a .csv or .xlsx file the user picks (or ``path``), on a worker: a
        comparison of 100,000 workloads is a 100,000-row sheet.  A file someone has open (a colleague's
        workbook in Excel or LibreOffice, a plan in a window) is not overwritten."""
        from desktop.jobs import wait_for
        from pricing.files.comparison_export import write_comparison_csv, write_comparison_workbook
        from pricing.files.locks import held_by

        path = path or self.window.prompts.any_path("Export the comparison", "CSV (*.csv);;Workbook (*.xlsx)",
                                                    save=True)
        if path is None:
            return None
        path = Path(path)
        owner = held_by(path)  # this window's own plan included: a comparison is never written over a plan
        if owner is not None:
            self.window.prompts.error(f"{path.name} is open in {owner.describe()}; not overwritten.")
            return None
        if path.suffix.lower() == ".xlsx":
            a = self.document.plan.assumptions
            write = partial(write_comparison_workbook, comparison, path, currency=a.currency, locale=a.locale)
        else:
            write = partial(write_comparison_csv, comparison, path)

        def work(_cancel) -> None:
            try:
                write()
            except OSError as exc:  # the system's reason, without its errno and path
                raise RuntimeError(exc.strerror or str(exc)) from None

        try:
            wait_for(work, f"Writing {path.name}…", self.window)
        except RuntimeError as exc:
            self.window.prompts.error(f"{path}: cannot write: {exc}")
            return None
        self.window.statusBar().showMessage(f"Wrote the comparison to {path.name}", 5000)
        return path

    def fill_menu(self, menu) -> None:
        """File > Compare: another file, the catalog, and one entry per scenario."""
        menu.clear()
        menu.addAction("With another version of the plan…").triggered.connect(lambda _c=False: self.with_file())
        menu.addAction("With the bundled catalog's rates").triggered.connect(lambda _c=False: self.with_catalog())
        scenarios = [s.name for s in self.document.plan.scenarios]
        if scenarios:
            menu.addSeparator()
        for name in scenarios:
            menu.addAction(f"Scenario {name} with Base").triggered.connect(
                lambda _c=False, n=name: self.with_scenario(n))
