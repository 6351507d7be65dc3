"""Files around the open plan: where app data lives, autosave recovery files, lock files,
and writing a plan file by its suffix (the recent-files list is kept with QSettings, in
``desktop.memory``).

- App data (recovery files) lives in ``platformdirs.user_data_dir('tokenbudget')``,
  or in ``$TOKENBUDGET_DATA_DIR`` when set (tests, portable installs).
- Autosave writes the plan as JSON to ``recovery/<key>.json`` with a small ``.meta.json``
  beside it (original path, process id, time).  A clean close deletes both; a file left by a
  process that is no longer running is a crash to offer back at the next start.
- Lock files (LibreOffice's ``.~lock.NAME#``, Excel's ``~$NAME``, ours in LibreOffice's format)
  are read and written by ``pricing.files.locks``; re-exported here for the window.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from pricing.files.atomic import atomic_write_bytes
from pricing.files.locks import FileLock, LockOwner, break_lock, lock_path, pid_alive, read_lock  # noqa: F401 - re-exported
from pricing.plan.models import Plan


class HeldElsewhere(RuntimeError):
    """The file a save or an export would write is open elsewhere; nothing was written."""


def data_dir() -> Path:
    override = os.environ.get("TOKENBUDGET_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("tokenbudget", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


# ----------------------------------------------------------------------------- autosave / recovery
@dataclass
class Recovery:
    plan_file: Path
    meta_file: Path
    original: Path | None
    saved_at: float
    pid: int

    def load(self) -> Plan:
        """The plan kept (``PlanFileError`` when it cannot be read); a large one is read in pieces,
        so the worker reading it leaves the window free to paint (``pricing.files.plan_json``)."""
        from pricing.files.planfile import load_plan_json

        return load_plan_json(self.plan_file)

    def discard(self) -> None:
        self.plan_file.unlink(missing_ok=True)
        self.meta_file.unlink(missing_ok=True)

    def set_aside(self) -> Path | None:
        """Keep a recovery file that cannot be read beside the others under a name never offered again
        (``NAME.unreadable.json``: what is left of the work may still be read by hand); its path, or None
        when it could not be moved (then it is left where it is, and offered again)."""
        kept = self.plan_file.with_name(self.plan_file.name.removesuffix(".json") + ".unreadable.json")
        try:
            self.plan_file.replace(kept)
        except OSError:
            return None
        self.meta_file.unlink(missing_ok=True)
        return kept


class Autosaver:
    """Writes the document to a recovery file when it has unsaved changes."""

    def __init__(self, session: str | None = None):
        self.key = session or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    @property
    def directory(self) -> Path:
        d = data_dir() / "recovery"
        d.mkdir(parents=True, exist_ok=True)
        return d

    @property
    def plan_file(self) -> Path:
        return self.directory / f"{self.key}.json"

    @property
    def meta_file(self) -> Path:
        return self.directory / f"{self.key}.meta.json"

    def save(self, plan: Plan, original: Path | None) -> Path:
        from pricing.files.planfile import save_plan_json

        save_plan_json(plan, self.plan_file, backup=False)
        meta = {"original": str(original) if original else None, "saved_at": time.time(), "pid": os.getpid()}
        atomic_write_bytes(self.meta_file, json.dumps(meta).encode(), backup=False)
        return self.plan_file

    def clear(self) -> None:
        self.plan_file.unlink(missing_ok=True)
        self.meta_file.unlink(missing_ok=True)


def orphaned_recoveries() -> list[Recovery]:
    """Recovery files left by processes that are no longer running (newest first)."""
    directory = data_dir() / "recovery"
    if not directory.is_dir():
        return []
    found = []
    for meta_file in directory.glob("*.meta.json"):
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        plan_file = meta_file.with_name(meta_file.name.replace(".meta.json", ".json"))
        pid = int(meta.get("pid") or 0)
        if not plan_file.exists() or pid_alive(pid):
            continue
        original = Path(meta["original"]) if meta.get("original") else None
        found.append(Recovery(plan_file, meta_file, original, float(meta.get("saved_at") or 0), pid))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


# ----------------------------------------------------------------------------- writing
def held_projection(document):
    """The document's projection of its plan, frozen for a save on a worker (None when it is of
    another plan, e.g. while a new one is still being projected); take it on the GUI thread."""
    from pricing.costing.held import snapshot

    projection = document.projection
    return snapshot(projection) if projection.plan is document.plan else None


def save_plan_file(plan: Plan, path: Path, *, progress=None, cancel=None, projection=None) -> None:
    """.xlsx through the workbook module, .json through the plan-file module; ``projection`` is the
    plan's projection when the window holds one (a snapshot, see ``held_projection``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        from pricing.files.planfile import save_plan_json

        if progress:
            progress(0.5)
        save_plan_json(plan, path)
        return
    if suffix in (".xlsx", ".xlsm"):
        from pricing.files.workbook import save_plan

        save_plan(plan, path, progress=progress, cancel=cancel, projection=projection)
        return
    raise RuntimeError(f"{path.name}: save a plan as .xlsx or .json")
