"""Reading a file in a child process that limits its own memory and CPU time.

A spreadsheet reader that loops or allocates without bound on a hostile file (a zip bomb
that slipped past the checks, a part cut short, a reader panic) then costs one refused
read, never the application or the plans open in it.  The child pickles a dict to stdout:
the reader's result, or ``{"refused": reason}``.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

from pricing.files.safety import check_cancel

#: Seconds between looks at the cancel callable while the child runs.
CANCEL_POLL = 0.1
#: Environment variables through which the parent tells the child its limits.
MEMORY_ENV = "TOKENBUDGET_IMPORT_MEMORY"
TIMEOUT_ENV = "TOKENBUDGET_IMPORT_TIMEOUT"
#: How much lower the reader process's scheduling priority is than its parent's: on a 2-core machine
#: a workbook opening in the window (its worker thread and this process both computing) once left
#: the GUI thread runnable without a core for 97 ms.
READER_NICENESS = 5


def limit_this_process() -> None:  # pragma: no cover - runs in the child process
    """Lower the child's priority, cap its address space and CPU time (POSIX); it calls this before reading.

    The child limits itself rather than through ``preexec_fn``: reads run on worker threads,
    and running Python between fork and exec in a threaded process can deadlock.  The cap is
    what the started interpreter (with the reader library loaded) has mapped, plus the memory
    the parent allows for the file's cells, and never above a limit the process already has.
    """
    try:
        os.nice(READER_NICENESS)  # background work: a window's GUI thread gets a core before it
    except (AttributeError, OSError):  # Windows has no nice(); a refused raise changes nothing read
        pass
    try:
        import resource
    except ImportError:  # Windows: the timeout still applies
        return
    memory = int(os.environ.get(MEMORY_ENV, str(2 * 1024**3)))
    timeout = float(os.environ.get(TIMEOUT_ENV, "20"))  # float ok: seconds
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        mapped = 256 * 1024 * 1024  # no /proc (macOS): a typical interpreter with the reader loaded
    _lower(resource, resource.RLIMIT_AS, mapped + memory)
    _lower(resource, resource.RLIMIT_CPU, int(timeout) + 5)


def _lower(resource, which: int, cap: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft < cap:
        return  # already tighter than ours
    resource.setrlimit(which, (cap, hard))


def run_child(module: str, flag: str, path: Path, *, timeout: float, memory: int, cancel=None,
              what: str = "the workbook", limit_words: str = "an import allows", meanwhile=None) -> dict:
    """Run ``python -m module PATH`` (``sys.executable flag PATH`` in a bundled app) and
    return the dict it pickles, or ``{"refused": reason}`` naming the limit it broke.

    ``meanwhile`` (a callable) runs in this process while the child reads; when it raises,
    the child is killed and the exception goes on (a check that refuses the file wins)."""
    child = start_child(module, flag, path, timeout=timeout, memory=memory)
    return finish_child(child, path, timeout=timeout, cancel=cancel, what=what, limit_words=limit_words,
                        meanwhile=meanwhile)


def start_child(module: str, flag: str, path: Path, *, timeout: float, memory: int) -> subprocess.Popen:
    """Start the child of :func:`run_child` (``timeout`` is passed on for its CPU-time cap)."""
    if getattr(sys, "frozen", False):
        command = [sys.executable, flag, str(path)]  # a bundled app has no "python -m"
    else:
        command = [sys.executable, "-m", module, str(path)]
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env[MEMORY_ENV] = str(memory)
    env[TIMEOUT_ENV] = str(timeout)
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def stop_child(child: subprocess.Popen) -> None:
    """Kill a child whose result is no longer wanted, and reap it."""
    if child.poll() is None:
        child.kill()
    child.communicate()


def finish_child(child: subprocess.Popen, path: Path, *, timeout: float, cancel=None,
                 what: str = "the workbook", limit_words: str = "an import allows", meanwhile=None) -> dict:
    """Wait for a child :func:`start_child` started (running ``meanwhile`` first) and return its
    result as :func:`run_child` does.

    The child has ``timeout`` seconds from when this process starts waiting for it: a child that
    has read the file waits for this process to take its result through the pipe, so the time
    this process spends elsewhere (``meanwhile``, loading what comes next) is not the reader's.
    Its CPU time is capped from its start (``limit_this_process``)."""
    if meanwhile is not None:
        try:
            meanwhile()
        except BaseException:
            stop_child(child)
            raise
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        try:
            stdout, stderr = child.communicate(timeout=max(0.0, min(left, CANCEL_POLL) if cancel else left))
            break
        except subprocess.TimeoutExpired:
            stop = cancel is not None and cancel()
            if stop or time.monotonic() >= deadline:
                stop_child(child)
                check_cancel(cancel, path)
                return {"refused": f"reading {what} took longer than {timeout:g} s; refused"}
        except BaseException:
            stop_child(child)
            raise
    if child.returncode != 0 or not stdout:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if stderr else []
        if child.returncode < 0 or "MemoryError" in "".join(tail) or "memory allocation" in "".join(tail):
            return {"refused": f"reading {what} needed more memory than {limit_words}; refused"}
        return {"refused": f"{what} cannot be read ({tail[0][:200] if tail else f'reader exit {child.returncode}'})"}
    try:
        return pickle.loads(stdout)
    except Exception as exc:  # noqa: BLE001
        return {"refused": f"{what} cannot be read ({short(exc)})"}


def short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def write_result(payload: dict) -> None:  # pragma: no cover - runs in the child process
    sys.stdout.buffer.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()
