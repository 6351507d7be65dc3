"""Who has a plan open: LibreOffice's and Excel's lock files, and our own in LibreOffice's format.

- LibreOffice writes ``.~lock.NAME#`` beside the document: one line of five comma-separated
  fields, ``<user name>,<login>,<host>,<DD.MM.YYYY HH:MM>,<profile url>;`` (a comma, a semicolon
  or a backslash inside a field is escaped with a backslash).
- Excel writes an owner file ``~$NAME`` (for long names the first two characters of the name
  give way to ``~$``): the user's name, its length in the first byte.
- Token Budget writes LibreOffice's format, so LibreOffice names whoever has the plan open in
  the app; its profile-url field reads ``tokenbudget:<pid>:<token>`` so the app knows its own
  locks and can tell when the process that wrote one is gone.  The lock file is created with
  ``O_CREAT | O_EXCL``: of two windows opening the plan at the same moment, one wins.

All locks are advisory: these functions say who holds a file; the callers decide (open
read-only, refuse to overwrite unless forced).  A lock is only ever removed by the one who
wrote it, or broken when its process is gone on this machine.
"""

from __future__ import annotations

import getpass
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

TOKEN_BUDGET = "Token Budget"
LIBREOFFICE = "LibreOffice"
EXCEL = "Excel"
_OUR_URL = "tokenbudget:"


@dataclass(frozen=True)
class LockOwner:
    user: str
    host: str
    #: When the lock was taken, as the lock file says it (or the owner file's time).
    since: str
    #: The program that wrote the lock: Token Budget, LibreOffice or Excel.
    app: str
    lock_file: Path
    pid: int | None = None
    token: str | None = None
    #: The lock file's text, to break it only while it is still this lock.
    raw: bytes = b""

    def describe(self) -> str:
        host = f" on {self.host}" if self.host else ""
        process = f", process {self.pid}" if self.pid else ""
        return f"{self.user or 'someone'}{host} ({self.app}{process}) since {self.since or 'an unknown time'}"

    @property
    def process_gone(self) -> bool:
        """True only when the lock was written on this machine and its process is not running."""
        if self.host != _hostname():
            return False
        if self.app == TOKEN_BUDGET:
            return self.pid is not None and not pid_alive(self.pid)
        if self.app == LIBREOFFICE:
            return libreoffice_running() is False
        return False


def lock_path(path: Path | str) -> Path:
    """LibreOffice's lock file for ``path`` (the one Token Budget writes too)."""
    path = Path(path)
    return path.with_name(f".~lock.{path.name}#")


def excel_lock_paths(path: Path | str) -> list[Path]:
    path = Path(path)
    names = [f"~${path.name}"]
    if len(path.stem) > 6:
        names.append(f"~${path.name[2:]}")
    return [path.with_name(name) for name in names]


def read_lock(path: Path | str) -> LockOwner | None:
    """Who holds ``path`` by a LibreOffice (or Token Budget) lock or an Excel owner file, if anyone."""
    owner = _read_libreoffice(lock_path(path))
    if owner is not None:
        return owner
    for candidate in excel_lock_paths(path):
        owner = _read_excel(candidate)
        if owner is not None:
            return owner
    return None


def held_by(path: Path | str, token: str | None = None) -> LockOwner | None:
    """Who else holds ``path``: not the lock with ``token``, nor one whose Token Budget process
    is gone on this machine (a crash left it)."""
    owner = read_lock(path)
    if owner is None or (token is not None and owner.token == token):
        return None
    if owner.app == TOKEN_BUDGET and owner.process_gone:
        return None
    return owner


def break_lock(owner: LockOwner) -> bool:
    """Remove ``owner``'s lock file if it still holds exactly that lock; True when removed."""
    lock = owner.lock_file
    aside = lock.with_name(f"{lock.name}.broken-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        os.rename(lock, aside)  # atomic: of two breakers only one moves this file
    except OSError:
        return False
    try:
        same = aside.read_bytes() == owner.raw
    except OSError:
        same = False
    if not same:  # a fresh lock was taken meanwhile: put it back unless yet another one exists
        try:
            os.link(aside, lock)
        except OSError:
            pass
    aside.unlink(missing_ok=True)
    return same


class FileLock:
    """One window's (or command's) claim on a plan file."""

    def __init__(self) -> None:
        self.token = uuid.uuid4().hex
        self.path: Path | None = None
        #: A window takes a lock on its GUI thread or on a worker (opening a large plan, a save to a
        #: new file); held around a step that must not interleave with a release or another acquire.
        self.guard = threading.RLock()

    def owner_elsewhere(self, path: Path | str) -> LockOwner | None:
        return held_by(path, self.token)

    def acquire(self, path: Path | str) -> LockOwner | None:
        """Lock ``path``; returns None when this lock holds it (or the folder takes no lock files),
        else the owner who holds it.  A lock left by a crashed Token Budget on this machine is taken over."""
        with self.guard:
            return self._acquire(path)

    def _acquire(self, path: Path | str) -> LockOwner | None:
        self.release()
        path = Path(path)
        lock = lock_path(path)
        excel = next((o for o in map(_read_excel, excel_lock_paths(path)) if o is not None), None)
        if excel is not None:
            return excel
        for _attempt in range(3):
            try:
                fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                owner = _read_libreoffice(lock) or _unreadable(lock)
                if owner.token == self.token:
                    self.path = path
                    return None
                if owner.app == TOKEN_BUDGET and owner.process_gone:
                    break_lock(owner)
                    continue
                return owner
            except OSError:
                return None  # a read-only folder: nothing to lock, and nothing we could overwrite either
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.record())
            self.path = path
            return None
        return read_lock(path)

    def record(self) -> str:
        login = _login()
        fields = [_full_name() or login, login, _hostname(), time.strftime("%d.%m.%Y %H:%M"),
                  f"{_OUR_URL}{os.getpid()}:{self.token}"]
        return ",".join(_escape(f) for f in fields) + ";"

    def release(self) -> None:
        """Remove this lock's file (only if it is still ours)."""
        with self.guard:
            if self.path is not None:
                owner = _read_libreoffice(lock_path(self.path))
                if owner is not None and owner.token == self.token:
                    lock_path(self.path).unlink(missing_ok=True)
            self.path = None


# --------------------------------------------------------------------------- reading lock files
def _read_libreoffice(lock: Path) -> LockOwner | None:
    try:
        raw = lock.read_bytes()[:4096]
    except OSError:
        return None
    fields = _split(raw.decode("utf-8", "replace").strip())
    if len(fields) < 5:
        return _unreadable(lock, raw) if lock.exists() else None
    name, login, host, since, url = fields[:5]
    if url.startswith(_OUR_URL):
        pid, _, token = url[len(_OUR_URL):].partition(":")
        return LockOwner(name or login, host, since, TOKEN_BUDGET, lock, int(pid) if pid.isdigit() else None,
                         token or None, raw)
    return LockOwner(name or login, host, since, LIBREOFFICE, lock, raw=raw)


def _unreadable(lock: Path, raw: bytes | None = None) -> LockOwner:
    """A lock file we cannot parse (being written, or another program's): someone holds the file."""
    if raw is None:
        try:
            raw = lock.read_bytes()[:4096]
        except OSError:
            raw = b""
    return LockOwner("", "", _mtime(lock), "another program", lock, raw=raw)


def _read_excel(owner_file: Path) -> LockOwner | None:
    try:
        data = owner_file.read_bytes()[:512]
    except OSError:
        return None
    name = ""
    if data and 0 < data[0] < len(data):
        name = data[1 : 1 + data[0]].decode("cp1252", "replace").strip("\x00 ")
    if len(data) > 0x38 and not name:
        size = data[0x36]
        name = data[0x38 : 0x38 + 2 * size].decode("utf-16-le", "replace").strip("\x00 ")
    return LockOwner(name, "", _mtime(owner_file), EXCEL, owner_file, raw=data)


def _split(text: str) -> list[str]:
    """LibreOffice's fields: comma-separated, ';' ends the record, backslash escapes."""
    fields, current, escaped = [], [], False
    for ch in text:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            fields.append("".join(current))
            current = []
        elif ch == ";":
            break
        else:
            current.append(ch)
    fields.append("".join(current))
    return fields


def _escape(field: str) -> str:
    return "".join("\\" + ch if ch in ",;\\" else ch for ch in field.replace("\n", " "))


def _mtime(path: Path) -> str:
    try:
        return time.strftime("%d.%m.%Y %H:%M", time.localtime(path.stat().st_mtime))
    except OSError:
        return ""


# --------------------------------------------------------------------------- processes and people
def _hostname() -> str:
    return socket.gethostname()


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "user"


def _full_name() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError, OSError, AttributeError):
        return ""


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (another user's process counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, another user's
        return True
    return True


def libreoffice_running() -> bool | None:
    """Whether a LibreOffice process runs on this machine; None when that cannot be known (no /proc)."""
    proc = Path("/proc")
    if not (proc / "self").exists():
        return None
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        if name.startswith(("soffice", "oosplash")):
            return True
    return False
