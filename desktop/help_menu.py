"""Help ▸ About Token Budget, About Qt, Third-Party Notices and Open Log Folder."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from desktop.prompts import run_modal
from pricing import diagnostics
from pricing.costing.catalog import resources_dir


def populate(window, menu) -> None:
    window._act(menu, window.tr("&About Token Budget"), lambda: about(window))
    window._act(menu, window.tr("About &Qt"), lambda: QMessageBox.aboutQt(window, window.tr("About Qt")))
    window._act(menu, window.tr("Third-Party &Notices"), lambda: notices(window))
    menu.addSeparator()
    window._act(menu, window.tr("Open &Log Folder"), open_log_folder)


def about(window) -> None:
    from desktop.preferences import about_text

    QMessageBox.about(window, window.tr("About Token Budget"), about_text())


def notices_text() -> str:
    return (resources_dir() / "licenses" / "NOTICE.txt").read_text(encoding="utf-8")


def notices(window) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, window.tr("Third-Party Notices"),
                      window.tr("Token Budget is built with Qt and Qt for Python (PySide6), used under the "
                                "GNU LGPL version 3. The licence texts are in the application's "
                                "resources/licenses folder."), parent=window)
    box.setDetailedText(notices_text())
    run_modal(box)


def log_folder_url() -> QUrl:
    folder = diagnostics.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QUrl.fromLocalFile(str(folder))


def open_log_folder() -> bool:
    return QDesktopServices.openUrl(log_folder_url())
