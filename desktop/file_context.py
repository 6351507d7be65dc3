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
        previous = self.lock.path
        owner = self.lock.acquire(path)
        if not self.settle(path, owner, previous, ask):
            return False
        self.show_held(path)
        return True

    def settle(self, path: Path, owner: files.LockOwner | None, previous: Path | None, ask: bool = True) -> bool:
        """After ``self.lock.acquire(path)`` answered ``owner`` (on this thread or a worker): when
        someone else holds ``path``, ask whether to open it read-only, break a lock whose process is
        gone, or cancel.  Cancel gives the lock of ``previous`` (the file still shown) back and
        answers False; the caller then leaves the window as it was."""
        if owner is not None and ask:
            answer = self.prompts.ask_locked(Path(path), owner.describe(), can_break=owner.process_gone)
            if answer == "cancel":
                if self.take_back(previous):
                    self.status(f"Opening {Path(path).name} cancelled; nothing changed")
                return False
            if answer == "open" and owner.process_gone and files.break_lock(owner):
                owner = self.lock.acquire(path)
        self.held_by = f"open in {owner.describe()}" if owner is not None else ""
        return True

    def take_back(self, previous: Path | None) -> bool:
        """An open given up after the lock moved to its file: the lock goes back to ``previous``
        (the plan still shown) and True is answered, or, when someone took that file meanwhile,
        the plan turns read-only, the status bar says who holds it, and False is answered."""
        if previous is None:
            self.lock.release()
            return True
        if self.lock.path is not None and Path(self.lock.path) == Path(previous):
            return True
        owner = self.lock.acquire(previous)
        if owner is None:
            return True
        self.document.read_only = True
        self.held_by = f"open in {owner.describe()}"
        self.status(f"{Path(previous).name} is {self.held_by} now; it stays open, read-only")
        self.document.stateChanged.emit()
        return False

    def show_held(self, path: Path) -> None:
        """The plan shown is ``path``: read-only when someone else holds it (``held_by``), and the status bar says so."""
        self.document.read_only = bool(self.held_by)
        if self.held_by:
            self.status(f"{Path(path).name} is {self.held_by}; opened read-only")
        self.document.stateChanged.emit()

    def held_elsewhere(self, path: Path) -> str | None:
        """Why ``path`` must not be overwritten (someone else has it open: another window, LibreOffice,
        Excel), or None.  It reads lock files: a save or an export asks it on its worker."""
        owner = self.lock.owner_elsewhere(path)
        if owner is None:
            return None
        again = " Use Save As." if self.document.path == Path(path) else ""
        return f"{Path(path).name} is open in {owner.describe()}; not overwritten.{again}"

    def refuse_if_held(self, path: Path) -> None:
        """``held_elsewhere`` as an error, for a worker about to write ``path`` (its failure shows the message)."""
        refused = self.held_elsewhere(path)
        if refused:
            raise files.HeldElsewhere(refused)

    def remember(self, path: Path) -> None:
        """Put ``path`` on the recent-files list (a list that cannot be written is no error)."""
        try:
            memory.add_recent(path)
        except OSError:
            pass
