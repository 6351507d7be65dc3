"""The window's pause meter: a 10 ms ``QTimer`` on the GUI thread, the longest gap between its ticks
while a step runs (how long the window could not paint or take a key), the GUI thread's own CPU time
within that gap, and where every thread was when it passed ``WATCH_S``."""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


#: After a step, the window idles this long so that work it left to a timer is measured too.
SETTLE_S = 0.4
#: A GUI thread that has not ticked for this long has every thread's stack written down, so a pause
#: over the target names the call the GUI thread was in and what the other threads were doing (one
#: held the lock).  A watching thread takes them with the interpreter lock (``sys._current_frames``):
#: faulthandler's watchdog (``dump_traceback_later``), used before, reads the frames without it and
#: crashed the benchmark now and then (SIGSEGV in its ``dump_frame``, a core dump showed) while the
#: GUI thread was freeing frames.  Holding the lock, the watcher sees the GUI thread where it last let
#: the lock go: in a long C call that keeps the lock, the stack is taken when that call returns.
WATCH_S = 0.09
#: How often the watching thread looks at the GUI thread's last tick.
WATCH_EVERY_S = 0.005


class PauseMeter:
    """A 10 ms timer on the GUI thread: the longest gap between its ticks is the longest pause."""

    def __init__(self):
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = self.clock.elapsed()
        self.longest = 0
        #: The GUI thread's CPU time within the longest gap: the rest of the gap it waited (for the
        #: interpreter lock, or for a core on a loaded machine).
        self.longest_cpu = 0.0
        self.last_cpu = time.thread_time()
        #: Within the longest gap: the GUI thread's system CPU ms and the pages it faulted in (a
        #: fresh page is a fault the kernel, or on a virtual machine the host, fills).
        self.longest_sys = self.longest_faults = self.longest_runnable = 0
        self.last_usage = _thread_usage()
        #: Where the threads were WATCH_S into the longest gap, when it was longer than that.
        self.longest_where: str | None = None
        #: The stacks the watcher took in the gap going on (one dump a gap), and when the GUI thread last ticked.
        self._stacks = ""
        self._ticked = time.monotonic()
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="pause-watch", daemon=True)
        self._watcher.start()
        self.timer = QTimer(interval=10, timeout=self._tick)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.start()

    def _watch(self) -> None:
        """On its own thread: once a gap passes WATCH_S, every other thread's stack, as faulthandler writes them."""
        me = threading.get_ident()
        while not self._stop.wait(WATCH_EVERY_S):
            with self._guard:
                due = not self._stacks and time.monotonic() - self._ticked > WATCH_S
            if due:
                text = stacks_text(sys._current_frames(), skip=me)
                with self._guard:
                    self._stacks = self._stacks or text

    def _stacks_written(self) -> str:
        """The stacks taken since the last call (nothing unless a gap passed WATCH_S); the next gap starts afresh."""
        with self._guard:
            text, self._stacks = self._stacks, ""
            self._ticked = time.monotonic()
        return text

    def _tick(self) -> None:
        now, cpu, usage = self.clock.elapsed(), time.thread_time(), _thread_usage()
        gap = now - self.last
        # Stacks taken just after a shorter gap's tick are read now and dropped, not kept for the next one.
        written = self._stacks_written()
        if gap < WATCH_S * 1000:
            written = ""
        if gap > self.longest:
            self.longest, self.longest_cpu = gap, (cpu - self.last_cpu) * 1000
            self.longest_sys = round((usage[0] - self.last_usage[0]) * 1000)
            self.longest_faults = usage[1] - self.last_usage[1]
            self.longest_runnable = round((usage[2] - self.last_usage[2]) * 1000)
            self.longest_where = where_paused(written) if written else None
        self.last, self.last_cpu, self.last_usage = now, cpu, usage

    def measure(self, action, done=None, settle: float = SETTLE_S,
                timeout: float = 300.0) -> tuple[float, int, float, int, int, str | None, int]:
        """Run ``action()``, wait until ``done()`` (and no job is running); (seconds, longest pause in ms,
        the GUI thread's CPU ms within that pause, of which system ms, the pages it faulted in, where the
        threads were (``where_paused``), and the ms the GUI thread was runnable but had no core)."""
        from PySide6.QtWidgets import QApplication

        from desktop.jobs import running_jobs
        from pricing import letting_go

        QApplication.processEvents()
        self.last, self.longest, self.longest_cpu = self.clock.elapsed(), 0, 0.0
        self.last_cpu, self.last_usage = time.thread_time(), _thread_usage()
        self.longest_sys = self.longest_faults = self.longest_runnable = 0
        self.longest_where = None
        self._stacks_written()
        start = time.perf_counter()
        action()
        while not ((done is None or done()) and running_jobs() == 0 and not _busy()):
            QApplication.processEvents()
            time.sleep(0.002)
            if time.perf_counter() - start > timeout:
                raise TimeoutError("step did not finish")
        seconds = time.perf_counter() - start
        until = time.perf_counter() + settle
        # What the step let go is freed on a thread of its own (pricing.letting_go): its pauses count.
        while time.perf_counter() < until or self.last < self.clock.elapsed() - 12 or letting_go.busy():
            QApplication.processEvents()
            time.sleep(0.002)
        return (seconds, self.longest, round(self.longest_cpu, 1), self.longest_sys, self.longest_faults,
                self.longest_where, self.longest_runnable)

    def stop(self) -> None:
        self.timer.stop()
        self._stop.set()
        self._watcher.join()


def stacks_text(frames: dict, skip: int | None = None) -> str:
    """``sys._current_frames()`` written as faulthandler writes every thread's stack (innermost call
    first), the thread ``skip`` left out: what ``where_paused`` reads."""
    out = ["Timeout (watch)!"]
    for ident, frame in frames.items():
        if ident == skip:
            continue
        out.append(f"Thread 0x{ident:016x} (most recent call first):")
        while frame is not None:
            out.append(f'  File "{frame.f_code.co_filename}", line {frame.f_lineno} in {frame.f_code.co_name}')
            frame = frame.f_back
        out.append("")
    return "\n".join(out) + "\n"


#: The innermost call of a thread that is waiting, not working (it holds no interpreter lock).
_IDLE = frozenset({"wait", "_wait_for_tstate_lock", "select", "poll", "get", "accept", "sleep"})


def where_paused(dump: str, frames: int = 3) -> str:
    """faulthandler's dump of every thread, told short: the GUI thread's innermost ``frames``
    calls, then each other thread that was working (not waiting), its innermost calls: one of
    them held the interpreter lock if the GUI thread was waiting for it."""
    gui = f"0x{threading.main_thread().ident:016x}"
    blocks: list[tuple[str, list[str]]] = []
    for line in dump.split("Timeout (")[-1].splitlines():  # the last dump, if two were written
        if line.startswith(("Thread 0x", "Current thread 0x")):
            blocks.append((line, []))
        elif line.startswith("  File ") and blocks:
            blocks[-1][1].append(_frame(line))
    gui_calls = next((calls for head, calls in blocks if gui in head), [])
    working = [calls for head, calls in blocks if gui not in head and calls
               and calls[0].rsplit(" ", 1)[-1] not in _IDLE]
    told = "GUI thread in " + (" < ".join(gui_calls[:frames]) or "no Python call (in Qt)")
    if not working:
        return told + "; no other thread working"
    return told + "; working meanwhile: " + " | ".join(" < ".join(calls[:frames]) for calls in working)


def _frame(line: str) -> str:
    """'  File "/x/desktop/y.py", line 12 in f' -> 'desktop/y.py:12 f'."""
    try:
        path, rest = line.strip()[len('File "'):].split('", line ', 1)
        number, _, function = rest.partition(" in ")
    except ValueError:
        return line.strip()
    return f"{_short(path)}:{number} {function}"


def _short(path: str) -> str:
    for root in (str(ROOT) + os.sep, os.sep + "site-packages" + os.sep, os.sep + "lib" + os.sep):
        if root in path:
            return path.split(root, 1)[1]
    return path


def _thread_usage() -> tuple[float, int, float]:
    """(system CPU seconds, page faults, seconds runnable but waiting for a core) of the calling
    thread so far; zeros where the system does not count them per thread.  The last is Linux's
    ``/proc/thread-self/schedstat`` run delay: a pause the thread spent there was the machine's
    (other threads, other processes, or the host taking the core), not a wait for the lock."""
    try:
        usage = resource.getrusage(resource.RUSAGE_THREAD)
    except (AttributeError, OSError):
        return 0.0, 0, 0.0
    try:
        with open("/proc/thread-self/schedstat", "rb") as stats:
            waited = int(stats.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        waited = 0.0
    return usage.ru_stime, usage.ru_minflt + usage.ru_majflt, waited


def _busy() -> bool:
    """True while the window still has work queued in pieces on the GUI thread."""
    try:
        from desktop.pacing import pending
    except ImportError:
        return False
    return pending() > 0
