"""Diagnostics people can send: a rotating log file in the platform's log folder, and hard crashes.

``configure()`` is called once by the command line and by the window.  It writes to
``platformdirs.user_log_path('tokenbudget')`` (``~/.local/state/tokenbudget/log`` on Linux,
``~/Library/Logs/tokenbudget`` on macOS, ``%LOCALAPPDATA%\\tokenbudget\\Logs`` on Windows):
``tokenbudget.log`` (rotated at 1 MB, five kept) and ``crash.log``, where ``faulthandler``
writes the Python stacks of a hard crash (a segfault in a native library).  The folder can be
moved with ``TOKENBUDGET_LOG_DIR``.  Nothing is ever sent anywhere.
"""

from __future__ import annotations

import faulthandler
import logging
import os
from pathlib import Path

LOGGER = "tokenbudget"
LOG_FILE = "tokenbudget.log"
CRASH_FILE = "crash.log"
_configured: dict[str, object] = {}


def log_dir() -> Path:
    override = os.environ.get("TOKENBUDGET_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_path

    return user_log_path("tokenbudget", appauthor=False)


def log_file() -> Path:
    return log_dir() / LOG_FILE


def configure(level: int = logging.INFO) -> Path | None:
    """Send the ``tokenbudget`` logger to the rotating log file and arm ``faulthandler``.

    Returns the log file, or None when its folder cannot be written (a read-only home: the
    program runs on, unlogged, rather than failing to start).  Safe to call more than once.
    """
    folder = log_dir()
    if _configured.get("folder") == folder:
        return folder / LOG_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _RotatingLog(folder / LOG_FILE)
        crash = open(folder / CRASH_FILE, "a", encoding="utf-8")  # noqa: SIM115 — kept open for faulthandler
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [pid %(process)d] %(message)s"))
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        if getattr(old, "_tokenbudget", False):
            logger.removeHandler(old)
            old.close()
    handler._tokenbudget = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    previous = _configured.get("crash")
    faulthandler.enable(crash, all_threads=True)
    if previous is not None:
        previous.close()  # type: ignore[attr-defined]
    _configured.update(folder=folder, crash=crash)
    return folder / LOG_FILE


class _RotatingLog(logging.Handler):
    """``tokenbudget.log``, rotated at 1 MB with five kept: a ``RotatingFileHandler`` made (and
    ``logging.handlers``, with its sockets and pickling, imported) at the first record, as most
    commands log none and should not start slower for it."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            import logging.handlers

            self._file = logging.handlers.RotatingFileHandler(self.path, maxBytes=1_000_000, backupCount=5,
                                                              encoding="utf-8", delay=True)
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{name}" if name else LOGGER)
