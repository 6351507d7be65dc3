"""Benchmark: cold start of ``tokenbudget summary --json`` (the bundled sample plan), beside ``import pricing``.

    python -m benchmarks.bench_start [RUNS]         (default 11 runs of each, alternated)

Each run is a fresh interpreter, as a person's shell starts one.  Two cases: with the bytecode
caches an installed app has (pip compiles on install, PyInstaller bundles the .pyc files; a
private cache folder here, warmed by one run), and with ``PYTHONDONTWRITEBYTECODE=1`` in a source
tree without ``__pycache__`` folders (a development checkout run so: the project's own modules are
compiled from source at every start, the libraries' are not).  The floor is
the interpreter starting and importing the ``pricing`` package alone, in the same case.  The
size argument ``run`` gets from ``benchmarks.run`` is the number of runs when below 100, else 11.
Target: the median at most 0.25 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-c", "from desktop.launcher import main; import sys; sys.exit(main())", "summary", "--json"]
FLOOR = [sys.executable, "-c", "import pricing"]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def _sample_workloads() -> int:
    import json

    return len(json.loads((ROOT / "resources" / "sample-plan.json").read_text(encoding="utf-8"))["workloads"])


def run(sizes: list[int]) -> list[dict]:
    runs = sizes[0] if sizes and sizes[0] < 100 else 11
    out = []
    with tempfile.TemporaryDirectory() as cache:
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": cache}
        uncached = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"} | {"PYTHONDONTWRITEBYTECODE": "1"}
        for case, env in (("bytecode cached, as installed", cached),
                          ("PYTHONDONTWRITEBYTECODE=1: the project's modules compiled at each start", uncached)):
            _time(COMMAND, env)  # writes the cache in the first case; a warm disk cache in both
            ours, floor = [], []
            for _ in range(runs):
                ours.append(_time(COMMAND, env))
                floor.append(_time(FLOOR, env))
            out.append({"step": f"cold start, tokenbudget summary --json ({case})", "workloads": _sample_workloads(),
                        "seconds": round(statistics.median(ours), 3),
                        "floor_seconds": round(statistics.median(floor), 3),
                        "floor": "python -c 'import pricing' (medians)", "target": "≤ 0.25 s",
                        "load_average": round(os.getloadavg()[0], 2)})
    return out


if __name__ == "__main__":
    for row in run([int(a) for a in sys.argv[1:]] or [11]):
        print(f"{row['step']}: median {row['seconds']:.3f} s, floor {row['floor_seconds']:.3f} s "
              f"(load average {row['load_average']})")
