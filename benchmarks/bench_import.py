"""Benchmark: importing other people's budgets, and aggregating a usage log.

    python -m benchmarks.bench_import [ROWS ...]

Each import step beside its floor, measured in the same run on the same file: a workloads
sheet of 9 input columns (.xlsx and .csv) beside python-calamine's (or the csv module's) raw
read; a budget of 37 formula columns with no cached values (benchmarks.budgets) imported to a
.json plan through the command line (run as installed, the project's modules compiled: see
``_installed_env``) beside calamine reading every sheet, and import + summary
beside LibreOffice loading, recalculating and saving the same budget (when ``soffice`` is on
PATH; the median of as many runs as every other step).  A usage log aggregates in under 2 s per
million records.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.budgets import write_formula_budget_xlsx  # noqa: E402 - after the path is set
from benchmarks.timing import RUNS, median_of, median_seconds  # noqa: E402

MODELS = ["gpt-4o", "gpt-4o-mini", "arcee-ai/maestro-reasoning", "claude-3-5-haiku-20241022", "acme-internal-llm"]
HEADER = ["Workload", "Model", "Tenant", "Environment", "Start month", "Requests per month", "Avg input tokens",
          "Avg output tokens", "Cached %"]


def _rows(n: int, seed: int = 0):
    rnd = random.Random(seed)
    for i in range(n):
        yield [f"workload {i}", rnd.choice(MODELS), f"tenant {i % 50}", rnd.choice(["prod", "dev"]),
               f"2026-{1 + i % 12:02d}", rnd.randint(1_000, 5_000_000), rnd.randint(100, 8000),
               rnd.randint(10, 2000), f"{rnd.randint(0, 80)}%"]


def write_workloads_xlsx(path: Path, n: int) -> Path:
    """A plain .xlsx (inline strings, numbers), streamed: a title row, a header, n rows, a total row."""
    def cell(ref: str, value) -> str:
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value}</v></c>'
        text = str(value).replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    def row(r: int, values) -> str:
        return f'<row r="{r}">' + "".join(cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(values)) + "</row>"

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Workloads" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            sheet.write(row(1, ["LLM budget (prices from the catalog)"]).encode())
            sheet.write(row(3, HEADER).encode())
            chunk = []
            for i, values in enumerate(_rows(n), start=4):
                chunk.append(row(i, values))
                if len(chunk) >= 5000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            chunk.append(row(n + 5, ["Total", "", "", "", "", n]))
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def write_workloads_csv(path: Path, n: int) -> Path:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_rows(n))
    return path


def write_usage_log(path: Path, n: int, seed: int = 0) -> Path:
    rnd = random.Random(seed)
    start = 1_767_225_600
    features = ["chat", "search", "summarise", "agent"]
    with open(path, "w") as handle:
        lines = []
        for i in range(n):
            p = rnd.randint(100, 8000)
            lines.append(json.dumps({
                "id": f"chatcmpl-{i}", "object": "chat.completion", "created": start + i * 2_592_000 // n,
                "model": MODELS[i % 3],
                "usage": {"prompt_tokens": p, "completion_tokens": rnd.randint(10, 1500), "total_tokens": p,
                          "prompt_tokens_details": {"cached_tokens": rnd.randint(0, p)},
                          "completion_tokens_details": {"reasoning_tokens": 0}},
                "metadata": {"feature": features[i % 4], "tenant": f"t{i % 7}"}}))
            if len(lines) >= 10_000:
                handle.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            handle.write("\n".join(lines) + "\n")
    return path


def calamine_seconds(path: Path) -> float:
    """Seconds python-calamine takes to read every sheet of ``path`` into Python lists, nothing converted."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def csv_seconds(path: Path) -> float:
    """Seconds the csv module takes to read every row of ``path`` into lists."""
    import csv

    start = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows
    return time.perf_counter() - start


def _installed_env(cache: str, warm_up: Path) -> dict[str, str]:
    """The environment of a command run as an installed app runs, with its modules' bytecode
    cached (pip compiles a package's modules when it installs it; a checkout writes its
    ``__pycache__`` folders at its first run), whatever ``PYTHONDONTWRITEBYTECODE`` this shell sets.
    The cache is the folder ``cache`` (the source tree is left as it is, for ``bench_start``),
    filled by importing and summarising the small budget ``warm_up`` once.  ``bench_start``
    measures a start that compiles the project's modules, beside one that does not."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), "PYTHONPYCACHEPREFIX": cache}
    _cli(env, "import", str(warm_up), "-o", str(warm_up.with_suffix(".json")))
    _cli(env, "summary", str(warm_up.with_suffix(".json")))
    return env


def _cli(env: dict[str, str], *args: str) -> float:
    """Wall seconds of ``python -m pricing.cli ARGS`` (start-up included), from this tree, in ``env``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pricing.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=3600)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"pricing.cli {' '.join(args)}: {(done.stderr or done.stdout).strip()[-300:]}")
    return seconds


def libreoffice_seconds(path: Path) -> float | None:
    """Seconds LibreOffice takes to load, recalculate and save ``path`` (None without ``soffice``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [soffice, f"-env:UserInstallation=file://{Path(tmp) / 'profile'}", "--headless", "--calc",
               "--convert-to", "xlsx", "--outdir", str(Path(tmp) / "out"), str(path)]
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, timeout=3600, check=False)
        seconds = time.perf_counter() - start
        if not (Path(tmp) / "out" / path.name).exists():
            return None
    return seconds


def _median_or_none(times: list[float | None]) -> float | None:
    return None if None in times else statistics.median(times)


def budget_rows(path: Path, n: int, libreoffice: bool = True) -> list[dict]:
    """Import the formula budget at ``path`` to a .json plan, then summarise it, through the command line."""
    plan = path.with_suffix(".json")
    with tempfile.TemporaryDirectory() as cache:
        env = _installed_env(cache, write_formula_budget_xlsx(Path(cache) / "warm-up.xlsx", 50))
        imported = median_of(lambda: _cli(env, "import", str(path), "-o", str(plan)))
        summarised = median_of(lambda: _cli(env, "summary", str(plan)))
    floor = median_of(lambda: calamine_seconds(path))
    rows = [{"step": "import a budget of 37 formula columns, no cached values, to a .json plan (CLI)", "workloads": n,
             "seconds": round(imported, 2), "floor_seconds": round(floor, 2),
             "floor": "python-calamine reading every sheet of the same file", "target": "≤ 4 s"}]
    # LibreOffice's own time moves by a third or more between runs on these machines: its median too
    peer = _median_or_none([libreoffice_seconds(path) for _ in range(RUNS)]) if libreoffice else None
    both = imported + summarised
    rows.append({"step": "the same budget: import -o plan.json, then summary plan.json (CLI)", "workloads": n,
                 "seconds": round(both, 2), "floor_seconds": round(peer, 2) if peer else None,
                 "floor": "LibreOffice loading, recalculating and saving the budget (peer)" if peer
                 else "LibreOffice not installed: no peer measured",
                 "target": "≤ 0.25 × LibreOffice", **({"ratio": round(both / peer, 3)} if peer else {})})
    parts = budget_floors(plan, floor)
    rows.append({"step": "that budget's floors added up, nothing of ours run: " + ", ".join(
                     f"{what} {seconds:.2f}" for what, seconds in parts.items()), "workloads": n,
                 "seconds": round(sum(parts.values()), 2), "floor_seconds": round(peer, 2) if peer else None,
                 "floor": "LibreOffice, as above" if peer else "LibreOffice not installed: no peer measured",
                 "target": "how near 0.25 × LibreOffice the two commands can come at best",
                 **({"ratio": round(sum(parts.values()) / peer, 3)} if peer else {})})
    return rows


def budget_floors(plan_json: Path, calamine: float) -> dict[str, float]:
    """Seconds of the unavoidable parts of ``import -o plan.json`` then ``summary plan.json``, each
    done bare (none of this project's code timed): the two interpreters starting, calamine reading
    every sheet (``calamine``, measured above), the plan's JSON written and read back by the json
    module, and the projection's Decimal multiply-adds (``bench_core.floor_seconds``) over the plan."""
    from benchmarks.bench_core import floor_seconds
    from pricing.costing.projection import Projection
    from pricing.files.planfile import load_plan_json

    def start() -> float:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        return time.perf_counter() - began

    def plan_file() -> float:
        text = plan_json.read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            began = time.perf_counter()
            document = json.loads(text)
            Path(tmp, "plan.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            return time.perf_counter() - began

    plan = load_plan_json(plan_json)
    projection = Projection(plan)  # its request costs, which the floor takes as given
    return {"two interpreter starts": 2 * median_of(start), "calamine": calamine,
            "plan JSON written and read by the json module": median_of(plan_file),
            "bare projection": median_of(lambda: floor_seconds(projection))}


def run(sizes: list[int], usage_records: int = 1_000_000, libreoffice: bool = True) -> list[dict]:
    from pricing.importer import import_file
    from pricing.usage.stats import read_usage

    out: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for n in sizes:
            for kind, writer in (("xlsx", write_workloads_xlsx), ("csv", write_workloads_csv)):
                path = writer(tmpdir / f"workloads-{n}.{kind}", n)
                seconds, result = median_seconds(lambda: import_file(path, remember=False))
                assert len(result.plan.workloads) == n, (len(result.plan.workloads), n)
                floor = median_of(lambda: calamine_seconds(path) if kind == "xlsx" else csv_seconds(path))
                out.append({"step": f"import a workloads sheet of 9 input columns (.{kind})", "workloads": n,
                            "rates": len(result.plan.rates), "findings": len(result.report.findings),
                            "seconds": round(seconds, 2), "floor_seconds": round(floor, 2),
                            "floor": "python-calamine reading the same file" if kind == "xlsx"
                            else "the csv module reading the same file",
                            "target": "≤ 2 s" if kind == "xlsx" else "≤ 1.5 s"})
            budget = write_formula_budget_xlsx(tmpdir / f"budget-{n}.xlsx", n)
            out.extend(budget_rows(budget, n, libreoffice))
        if usage_records:
            log = write_usage_log(tmpdir / "usage.jsonl", usage_records)
            size_mb = log.stat().st_size / 1e6
            for by in ([], ["feature"]):
                started = time.perf_counter()
                stats = read_usage(log, by)
                seconds = time.perf_counter() - started
                assert stats.records == usage_records
                out.append({"step": f"aggregate usage log (JSON Lines, {size_mb:,.0f} MB) by "
                                    f"{' + '.join(['model'] + by)}", "records": usage_records,
                            "groups": len(stats.groups), "seconds": round(seconds, 2),
                            "seconds_per_million": round(seconds / usage_records * 1_000_000, 2)})
    return out


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for row in run(sizes):
        print(row)
