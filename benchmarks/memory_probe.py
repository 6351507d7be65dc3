"""Does another process's large use of memory slow this one's access to memory it already has?

    python -m benchmarks.memory_probe [--big-mb 20000] [--seconds 200]

On the virtual machines these benchmarks ran on, the window paused 139-585 ms (edits, a rate
edit) when it ran right after another process had used most of the memory (LibreOffice
recalculating a large budget, or a test that touched 20 GB), with the GUI thread's own CPU time
filling the pause, none of it in the kernel and no page faulted.  This probe tells the cause
apart from the application: one process keeps 800 MB it has already touched and, every 50 ms,
times a pure-CPU loop and a read of 20,000 of its own pages chosen at random; 15 s in, another
process touches ``--big-mb`` MB and exits.  It prints the median and longest times before, during
and in 10-second windows after.  Nothing of this project's is run.
"""

from __future__ import annotations

import argparse
import mmap
import random
import statistics
import subprocess
import sys
import threading
import time

KEPT_MB = 800
PAGES = 20_000
START_S = 15.0


def _big(mb: int) -> None:
    subprocess.run([sys.executable, "-c", f"import mmap\nm = mmap.mmap(-1, {mb} << 20)\n"
                    f"for i in range(0, {mb} << 20, 4096): m[i] = 1\n"], check=True)


def probe(seconds: float, big_mb: int) -> tuple[list[tuple[float, float, float, float]], float, float]:
    """[(second, loop ms, pages ms, pages' CPU ms)], and when the large user started and ended."""
    size = KEPT_MB << 20
    kept = mmap.mmap(-1, size)
    for offset in range(0, size, 4096):
        kept[offset] = 1
    pages = random.Random(1).sample(range(0, size, 4096), PAGES)
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def user() -> None:
        time.sleep(START_S)
        marks["start"] = time.perf_counter() - t0
        _big(big_mb)
        marks["end"] = time.perf_counter() - t0

    thread = threading.Thread(target=user, daemon=True)
    thread.start()
    out = []
    while time.perf_counter() - t0 < seconds or thread.is_alive():
        a = time.perf_counter()
        total = 0
        for i in range(60_000):
            total += i * i
        b, cpu = time.perf_counter(), time.thread_time()
        for offset in pages:
            total += kept[offset]
        c = time.perf_counter()
        out.append((a - t0, (b - a) * 1000, (c - b) * 1000, (time.thread_time() - cpu) * 1000))
        time.sleep(0.05)
    return out, marks["start"], marks["end"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big-mb", type=int, default=20_000, help="MB the other process touches (default 20000)")
    parser.add_argument("--seconds", type=float, default=200.0, help="how long to probe (default 200)")
    args = parser.parse_args(argv)
    samples, start, end = probe(args.seconds, args.big_mb)
    windows = [("before", 0.0, start), (f"during ({args.big_mb:,} MB touched)", start, end)]
    windows += [(f"after +{a}-{a + 10} s", end + a, end + a + 10) for a in range(0, int(args.seconds - end), 10)]
    print("| when | samples | CPU loop ms, median / longest | 20,000 own pages read ms, median / longest "
          "| their CPU ms, longest |")
    print("|---|---:|---:|---:|---:|")
    for label, lo, hi in windows:
        got = [s for s in samples if lo <= s[0] < hi]
        if got:
            loop, read, cpu = ([s[k] for s in got] for k in (1, 2, 3))
            print(f"| {label} | {len(got)} | {statistics.median(loop):.1f} / {max(loop):.1f} "
                  f"| {statistics.median(read):.1f} / {max(read):.1f} | {max(cpu):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
