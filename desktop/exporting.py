"""File > Export: the projection as CSV, or the plan workbook, written on a worker behind a
progress dialog; the figures exported are those on screen when Export was chosen, and Cancel
leaves the file on disk as it was."""

from __future__ import annotations

from pathlib import Path

from desktop import files
from desktop.file_context import FileContext


class Exporting:
    def __init__(self, context: FileContext):
        self.context = context

    def export_dialog(self) -> None:
        path = self.context.prompts.any_path("Export projection", "CSV (*.csv);;Plan workbook (*.xlsx)", save=True)
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> bool:
        """Export on a worker behind a progress dialog (a 100,000-workload workbook takes ~17 s):
        .xlsx is the plan workbook, anything else the projection as CSV (``pricing.files.projection_csv``).
        The figures are those on screen when Export was chosen; Cancel leaves the file on disk as
        it was.  Returns True once the export has started."""
        path = Path(path)
        if self.context.background.jobs.get("Exporting") is not None:
            self.context.status("An export is already running")
            return False
        # On the worker, first: a file open elsewhere (a colleague's workbook in Excel, a plan in another
        # window) is not overwritten by an export.
        refuse_if_held = self.context.refuse_if_held

        if path.suffix.lower() in (".xlsx", ".xlsm"):
            plan = self.context.document.plan
            held = files.held_projection(self.context.document)

            def work(cancel):
                refuse_if_held(path)
                files.save_plan_file(plan, path, cancel=cancel, projection=held)
        else:
            from pricing.files.projection_csv import snapshot, write_projection_csv

            snap = snapshot(self.context.document.projection)

            def work(cancel):
                refuse_if_held(path)
                write_projection_csv(path, snap, cancel=cancel)

        self.context.background.run("Exporting", f"Exporting {path.name}…", work, lambda _r: self.context.status(f"Exported {path.name}"),
                         lambda message: self.context.prompts.error(f"Not exported: {message}"),
                         lambda: self.context.status(f"Export of {path.name} cancelled; the file on disk is unchanged"))
        return True
