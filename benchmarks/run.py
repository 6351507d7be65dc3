"""One command for every figure: python -m benchmarks.run [--sizes 1000 10000 100000] [--areas ...] [--no-libreoffice]

Each step runs in its own process so that its peak memory (ru_maxrss) is its own. The peer is
real LibreOffice: the time `soffice --headless --convert-to xlsx` takes to load, recalculate
and save the same generated plan workbook; the ratio is ours ÷ LibreOffice's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["bench_core", "bench_workbook", "bench_import", "bench_modes", "bench_desktop", "bench_start", "bench_usage"]


def _run_area(area: str, size: int) -> list[dict]:
    """Run benchmarks.<area>.run([size]) in a child process; return its rows with peak memory."""
    code = (
        "import json, resource, sys\n"
        f"from benchmarks.{area} import run\n"
        f"rows = run([{size}])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print('@@' + json.dumps({'rows': rows, 'peak_mb': peak}, default=str))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # -X faulthandler: a child that crashes writes its threads' stacks to stderr, whose tail is reported.
    out = subprocess.run([sys.executable, "-X", "faulthandler", "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=env, timeout=3600)
    for line in out.stdout.splitlines():
        if line.startswith("@@"):
            data = json.loads(line[2:])
            for row in data["rows"]:
                row.setdefault("peak_mb", data["peak_mb"])
            return data["rows"]
    lines = [line for line in (out.stderr or out.stdout).strip().splitlines() if "propagateSizeHints" not in line]
    crash = next((line for line in lines if line.startswith("Fatal Python error")), None)
    why = crash or (lines[-1] if lines else "no output")
    return [{"step": f"{area}: failed, exit status {out.returncode} ({why[:100]})", "workloads": size, "seconds": None}]


def libreoffice_recalc(size: int) -> dict | None:
    """Time LibreOffice loading, recalculating and saving our generated plan workbook."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    try:
        from benchmarks.plans import make_plan
        from pricing.files.workbook import save_plan
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"plan-{size}.xlsx"
        save_plan(make_plan(size), src)
        out_dir = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
               "--convert-to", "xlsx", "--outdir", str(out_dir), str(src)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, timeout=3600, check=False)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"step": "LibreOffice: load + recalculate + save (peer)", "workloads": size, "seconds": seconds,
            "peak_mb": max(peak, before) / 1024}


def _seconds(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def format_table(rows: list[dict]) -> str:
    """One Markdown table: each step beside its floor (measured in the same run), the ratio, the target,
    the longest GUI-thread pause of a desktop step (with the GUI thread's own CPU time in it when it is
    over 100 ms), and the process's peak memory."""
    lines = ["| step | size | seconds | floor: what only the unavoidable part costs | floor s | × floor | target "
             "| longest GUI pause ms | peak MB |",
             "|---|---:|---:|---|---:|---:|---|---:|---:|"]
    for r in rows:
        size = r.get("workloads", r.get("records", ""))
        size = f"{size:,}" if isinstance(size, int) else str(size)
        if "ratio" in r and r.get("seconds") is None:
            seconds = f"×{r['ratio']:.2f}"
        else:
            seconds = _seconds(r.get("seconds"))
        floor_s = r.get("floor_seconds")
        times = f"{r['seconds'] / floor_s:.2f}" if floor_s and r.get("seconds") else ""
        pause = _pause(r)
        peak = f"{r['peak_mb']:.0f}" if r.get("peak_mb") else ""
        lines.append(f"| {r['step']} | {size} | {seconds} | {r.get('floor', '')} | "
                     f"{_seconds(floor_s) if floor_s else ''} | {times} | {r.get('target', '')} | {pause} | {peak} |")
    return "\n".join(lines)


def _pause(r: dict) -> str:
    """The longest GUI pause in ms; over 100 ms, with the GUI thread's own CPU time in it (a pause well
    over it was spent waiting: the lock, a core), the kernel's part of that time and the pages faulted."""
    pause, cpu = r.get("pause_ms", r.get("longest_gui_stall_ms")), r.get("pause_cpu_ms")
    if not isinstance(pause, (int, float)):
        return ""
    if pause <= 100 or not isinstance(cpu, (int, float)):
        return f"{pause:.0f}"
    kernel, faults, runnable = r.get("pause_sys_ms"), r.get("pause_faults"), r.get("pause_runnable_ms")
    more = f", sys {kernel:.0f}, {faults:,} faults" if isinstance(kernel, (int, float)) and isinstance(faults, int) else ""
    if isinstance(runnable, (int, float)):
        more += f", waiting for a core {runnable:.0f}"
    return f"{pause:.0f} (CPU {cpu:.0f}{more})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-libreoffice", action="store_true")
    parser.add_argument("--areas", nargs="+", default=AREAS, choices=AREAS, metavar="AREA",
                        help=f"which benchmark modules to run (default: all of {', '.join(AREAS)})")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    rows: list[dict] = []
    for size in args.sizes:
        for area in args.areas:
            if (ROOT / "benchmarks" / f"{area}.py").exists():
                rows.extend(_run_area(area, size))
        if not args.no_libreoffice:
            peer = libreoffice_recalc(size)
            if peer:
                rows.append(peer)
                ours = sum(r["seconds"] for r in rows if r.get("workloads") == size and r.get("seconds")
                           and r["step"] in ("load plan workbook", "full projection"))
                if ours:
                    rows.append({"step": "ratio: our (load + full projection) ÷ LibreOffice's recalculation", "workloads": size,
                                 "seconds": None, "ratio": ours / peer["seconds"]})
    if args.json:
        print(json.dumps(rows, indent=1, default=str))
        return 0
    print(f"machine: {platform.node() or '?'} · {os.cpu_count()} cores · {platform.processor() or platform.machine()} · "
          f"Python {platform.python_version()} · load {os.getloadavg()[0]:.2f}")
    print(format_table(rows))
    for where in pauses_over_target(rows):
        print(where)
    return 0


def pauses_over_target(rows: list[dict], target_ms: float = 100) -> list[str]:
    """A line for each desktop step whose longest pause passed ``target_ms``: where the GUI thread
    was, and which thread held the interpreter lock, when the pause was 90 ms old."""
    return [f"pause of {r['pause_ms']:.0f} ms in '{r['step']}' ({r['workloads']:,}): {r['pause_where']}"
            for r in rows if isinstance(r.get("pause_ms"), (int, float)) and r["pause_ms"] > target_ms
            and r.get("pause_where")]


if __name__ == "__main__":
    sys.exit(main())
