"""Progress on stderr for work that takes more than a second, and only on a terminal.

A pipe or a log file gets nothing (no carriage returns in someone's CI log).  The line shows
the fraction done when the work reports one (``Progress.fraction`` is a ``progress=`` callback)
and the seconds elapsed otherwise, and is cleared when the work ends.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO

#: Seconds before anything is shown; ``TOKENBUDGET_PROGRESS_DELAY`` overrides it (tests use 0).
DELAY = 1.0
TICK = 0.25


class Progress:
    def __init__(self, what: str, stream: TextIO | None = None, delay: float | None = None):
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        env_delay = os.environ.get("TOKENBUDGET_PROGRESS_DELAY")
        self.delay = delay if delay is not None else float(env_delay) if env_delay else DELAY  # float ok
        self.enabled = _is_terminal(self.stream)
        self._fraction: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = False
        self._started = 0.0

    def fraction(self, done: float) -> None:
        """A ``progress=`` callback: ``done`` from 0 to 1."""
        self._fraction = min(max(float(done), 0.0), 1.0)  # float ok

    def __enter__(self) -> Progress:
        self._started = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="cli-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self._draw()
            self._stop.wait(TICK)

    def _draw(self) -> None:
        elapsed = time.monotonic() - self._started
        done = f" {self._fraction:4.0%}" if self._fraction is not None else ""
        self.stream.write(f"\r{self.what}…{done} {elapsed:5.1f} s")
        self.stream.flush()
        self._shown = True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
