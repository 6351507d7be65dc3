"""What the File menu's parts share: the window, its document and prompts, the lock on the
plan's file, the background runner and the status bar."""

from __future__ import annotations

from pathlib import Path

from desktop import files
from desktop.background import Background
from desktop.prompts import Prompts


class FileContext:
    def __init__(self, window):
        self.window = window
        self.document = window.document
        self.lock = files.FileLock()
        self.background = Background(window, self.status)

    @property
    def prompts(self) -> Prompts:
        return self.window.prompts

    def status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    def claim(self, path: Path, ask: bool = True) -> bool:
        """Lock ``path`` for this window; if another window holds it, ask (read-only by default)."""
        owner = self.lock.owner_elsewhere(path)
        if owner is not None and ask:
            answer = self.prompts.ask_locked(Path(path), owner.describe())
            if answer == "cancel":
                return False
            if answer == "readonly":
                self.lock.release()
                self.document.read_only = True
                self.document.stateChanged.emit()
                return True
        self.lock.acquire(path)
        self.document.read_only = False
        self.document.stateChanged.emit()
        return True

    def remember(self, path: Path) -> None:
        """Put ``path`` on the recent-files list (a list that cannot be written is no error)."""
        try:
            files.add_recent(path)
        except OSError:
            pass
