"""Questions the window asks the user, in one place so tests can answer them without a
modal dialog (tests/desktop_helpers.py: ScriptedPrompts)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox


def run_modal(dialog) -> int:
    """``dialog.exec()``, then the dialog deleted once control returns to the event loop (what it
    answered stays readable until then): a dialog made as the window's child otherwise lives, with
    whatever it holds, as long as the window."""
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


class Prompts:
    """Questions asked of the user; each returns the answer (tests replace these)."""

    def __init__(self, parent):
        self.parent = parent

    def ask_save_changes(self, name: str) -> str:
        box = QMessageBox.question(
            self.parent, "Unsaved changes", f"Save changes to {name} before closing?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(box, "cancel")

    def ask_locked(self, path: Path, owner: str, can_break: bool = False) -> str:
        """'readonly', 'open' (break the lock: offered only when its process is gone) or 'cancel'."""
        text = f"{path.name} is open in {owner}.\n\n"
        text += ("That program is no longer running on this computer. Open it read-only, or break the lock "
                 "and open it for editing?" if can_break else "It opens read-only: save your changes under another name.")
        box = QMessageBox(QMessageBox.Icon.Warning, "Plan in use", text, parent=self.parent)
        ro = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("Break the lock and open", QMessageBox.ButtonRole.DestructiveRole) if can_break else None
        box.addButton(QMessageBox.StandardButton.Cancel)
        run_modal(box)
        clicked = box.clickedButton()
        return "readonly" if clicked is ro else "open" if anyway is not None and clicked is anyway else "cancel"

    def ask_restore(self, description: str) -> str:
        """'restore', 'discard' or 'later' (keep the recovery file and ask again at the next start: the
        answer when the dialog is closed, so that no one loses work by dismissing a question)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved work",
                          f"Token Budget closed unexpectedly. Restore {description}?", parent=self.parent)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.setEscapeButton(later)
        box.setInformativeText("Not now keeps the unsaved changes and asks again the next time Token Budget starts.")
        run_modal(box)
        clicked = box.clickedButton()
        return "restore" if clicked is restore else "discard" if clicked is discard else "later"

    def open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Open plan", "",
                                              "Plans and spreadsheets (*.xlsx *.xlsm *.json *.csv *.xls *.ods);;All files (*)")
        return Path(name) if name else None

    def save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, "Save plan", suggested,
                                              "Plan workbook (*.xlsx);;Plan JSON (*.json)")
        return Path(name) if name else None

    def any_path(self, title: str, filters: str, save: bool = False) -> Path | None:
        fn = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        name, _ = fn(self.parent, title, "", filters)
        return Path(name) if name else None

    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self.parent, title, text) == QMessageBox.StandardButton.Yes

    def error(self, message: str) -> None:
        QMessageBox.warning(self.parent, "Token Budget", message)

    def run_import_wizard(self, path: Path):
        from desktop.import_wizard import ImportWizard

        wizard = ImportWizard(path, self.parent)  # holds the cells it read and the plan it made
        return wizard.result_plan() if run_modal(wizard) else None
