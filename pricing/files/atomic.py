"""Saving without ever leaving a half-written file, in a way a shared drive can live with.

Write to a temporary file beside the target, flush and fsync it, give it the target's
permissions, keep the previous version as ``NAME.bak``, then atomically replace the target.
A kill at any moment leaves the target whole (the old version or the new one) and the
``.bak`` whole (the older backup or the previous version):

- The ``.bak`` is only ever replaced by a rename: the current file is hard-linked (or, where
  the file system has no hard links, copied and fsynced) to a temporary name, which is then
  renamed over ``NAME.bak``.  It is never truncated and rewritten in place.
- A file keeps its permissions and group across saves (a 0664 plan on a shared drive stays
  0664); a new file gets what the process's umask gives, like any other program's file.
- A symlink is written through: its target is replaced, the link stays a link.
- Temporary names carry the host and process id of the save; a save first removes those
  left by a save on this machine whose process is gone (a killed save), and any over a day old.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pricing.files.locks import pid_alive

#: Marks this module's temporary files: ``.NAME~tb+HOST+PID+RANDOM.tmp``.
TEMP_MARK = "~tb+"
#: A temporary file older than this is left over whoever made it.
STALE_AFTER_SECONDS = 24 * 3600

_umask_lock = threading.Lock()


def atomic_write(path: Path, write: Callable[[Path], None], *, backup: bool = True) -> None:
    """Call ``write(tmp_path)`` and move the result over ``path`` atomically."""
    target = resolve_target(Path(path))
    directory = target.parent if str(target.parent) else Path(".")
    remove_stale_temps(target)
    existing = _stat_or_none(target)
    fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=".tmp", dir=directory)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            handle.flush()
            os.fsync(handle.fileno())
        _give_permissions(tmp, existing)
        if backup and existing is not None:
            _rotate_backup(target)
        os.replace(tmp, target)
        _fsync_directory(directory)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes, *, backup: bool = True) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data), backup=backup)


def atomic_write_pieces(path: Path, pieces: Iterable[bytes], *, backup: bool = True) -> None:
    """``atomic_write_bytes`` of the pieces joined, written one after another (never joined in memory)."""
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
    atomic_write(path, write, backup=backup)


def resolve_target(path: Path) -> Path:
    """The file a save of ``path`` replaces: a symlink's final target (it may not exist yet)."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def backup_path(path: Path) -> Path:
    target = resolve_target(Path(path))
    return target.with_name(target.name + ".bak")


# --------------------------------------------------------------------------- permissions
def current_umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:  # no /proc: read it by setting it (and put it back at once)
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The permissions a new file gets from the umask (0666 masked, as ``open`` gives)."""
    return 0o666 & ~current_umask()


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _give_permissions(tmp: Path, existing: os.stat_result | None) -> None:
    """The target's mode and group (best effort: another user's file may keep ours), or the umask's."""
    if existing is None:
        os.chmod(tmp, new_file_mode())
        return
    if hasattr(os, "chown") and existing.st_gid != tmp.stat().st_gid:
        try:
            os.chown(tmp, -1, existing.st_gid)
        except OSError:
            pass  # not a member of that group: the mode still applies
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))


# --------------------------------------------------------------------------- backup
def _rotate_backup(target: Path) -> None:
    """Make ``NAME.bak`` the current file by renaming a hard link (or an fsynced copy) over it."""
    bak = target.with_name(target.name + ".bak")
    fd, staged_name = tempfile.mkstemp(prefix=_temp_prefix(bak.name), suffix=".tmp", dir=target.parent)
    os.close(fd)
    staged = Path(staged_name)
    try:
        staged.unlink()
        try:
            os.link(target, staged)
        except OSError:  # no hard links here (some network shares, FAT): a copy, made durable first
            shutil.copy2(target, staged)
            with open(staged, "rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(staged, bak)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- temporary files
def _temp_prefix(name: str) -> str:
    return f".{name}{TEMP_MARK}{socket.gethostname().replace('+', '-')}+{os.getpid()}+"


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete the temporary files a killed save of ``target`` (or of its .bak) left; returns them."""
    directory = target.parent if str(target.parent) else Path(".")
    host = socket.gethostname().replace("+", "-")
    removed = []
    for name in (target.name, target.name + ".bak"):
        for tmp in directory.glob(f".{_glob_escape(name)}{TEMP_MARK}*.tmp"):
            parts = tmp.name[len(name) + 1 + len(TEMP_MARK):].split("+")
            try:
                mine = len(parts) >= 3 and parts[0] == host and not pid_alive(int(parts[1]))
                old = time.time() - tmp.lstat().st_mtime > STALE_AFTER_SECONDS
            except (OSError, ValueError):
                continue
            if mine or old:
                try:
                    tmp.unlink()
                    removed.append(tmp)
                except OSError:
                    pass
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
