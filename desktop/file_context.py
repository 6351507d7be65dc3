"""What the File menu's parts share: the window, its document and prompts, the lock on the
plan's file, the background runner and the status bar."""

from __future__ import annotations

from pathlib import Path

from desktop import files, memory
from desktop.background import Background
from desktop.prompts import Prompts


class FileContext:
    def __init__(self, window):
        self.window = window
        self.document = window.document
        self.lock = files.FileLock()
        #: Who holds the plan's file when this window opened it read-only ("" when it holds it).
        self.held_by = ""
        self.background = Background(window, self.status)

    @property
    def prompts(self) -> Prompts:
        return self.window.prompts

    def status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    def claim(self, path: Path, ask: bool = True) -> bool:
        """Lock ``path`` for this window.  When someone else holds it (another window, LibreOffice,
        Excel), the plan opens read-only and the status bar says who and since when; only a lock
        whose process is gone on this machine may be broken, and only if the user says so."""
        owner = self.lock.acquire(path)
        if owner is not None and ask:
            answer = self.prompts.ask_locked(Path(path), owner.describe(), can_break=owner.process_gone)
            if answer == "cancel":
                return False
            if answer == "open" and owner.process_gone and files.break_lock(owner):
                owner = self.lock.acquire(path)
        self.document.read_only = owner is not None
        self.held_by = f"open in {owner.describe()}" if owner is not None else ""
        if owner is not None:
            self.status(f"{Path(path).name} is {self.held_by}; opened read-only")
        self.document.stateChanged.emit()
        return True

    def remember(self, path: Path) -> None:
        """Put ``path`` on the recent-files list (a list that cannot be written is no error)."""
        try:
            memory.add_recent(path)
        except OSError:
            pass
