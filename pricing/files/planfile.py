"""Opening a plan from disk, whatever it was saved as.

The plan's own document is an .xlsx workbook (``pricing.files.workbook``); a plan can also be
kept as JSON (the bundled sample is), which is exact and easy to diff.

A plan workbook may come from anyone, so it is opened as safely as an import: the package is
checked first (``pricing.files.safety``: zip bombs, parts cut short, DOCTYPEs, encryption;
only the input sheets count, since the computed ones are never unpacked), then read in a
child process with a memory and time limit (``pricing.files.isolated``), while this process
scans the input sheets' cells (a sheet asking for absurd dimensions stops the child).  Whatever goes
wrong is one :class:`PlanFileError` line naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from pricing.files.errors import PlanFileError
from pricing.plan.findings import Finding
from pricing.plan.models import Plan

__all__ = ["PlanFileError", "load_plan_json", "open_plan", "plan_json_bytes", "save_plan_json"]


class PlanFileRefused(PlanFileError):
    """A file refused by the safety checks or the bounded reader (not merely "not a plan")."""


#: Seconds the child reading a plan workbook may take (a 100,000-workload plan takes ~15 s); a time, not money.
OPEN_TIMEOUT = float(os.environ.get("TOKENBUDGET_OPEN_TIMEOUT", "120"))  # float ok
#: Address space the child may add, beyond the started interpreter, to read a plan workbook.
OPEN_MEMORY = int(os.environ.get("TOKENBUDGET_OPEN_MEMORY", str(2 * 1024**3)))
PLAN_WORKER_FLAG = "--plan-worker"


def load_plan_json(path: Path) -> Plan:
    from pricing.files.plan_json import read_plan_json
    from pricing.gc_pause import gc_paused

    try:
        with gc_paused(settle=True):  # a workload is a few objects in no cycle: 100,000 of them set off many passes
            return read_plan_json(Path(path))  # in pieces: no parse holds the interpreter lock for long
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot read: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanFileError(f"{path}: {where}: {str(first['msg']).removeprefix('Value error, ')}") from None


def save_plan_json(plan: Plan, path: Path, *, backup: bool = True) -> None:
    """Write the plan .json at ``path`` atomically, its pieces one after another; ``backup`` keeps the
    file it replaces as ``NAME.bak``."""
    from pricing.files.atomic import atomic_write_pieces
    from pricing.files.plan_json import plan_json_pieces

    atomic_write_pieces(Path(path), plan_json_pieces(plan), backup=backup)


def plan_json_bytes(plan: Plan) -> bytes:
    """The plan as a plan .json holds it: the layout ``load_plan_json`` reads in pieces."""
    from pricing.files.plan_json import plan_json_bytes as written

    return written(plan)


def open_plan(path: str | Path, *, cancel=None, isolate: bool = True) -> tuple[Plan, list[Finding]]:
    """Open a plan workbook (.xlsx) or plan JSON; returns the plan and any findings.

    ``cancel`` (a callable) is polled while a workbook is read; when it answers True the
    reader is stopped and :class:`~pricing.files.safety.ImportCancelled` raised.
    ``isolate=False`` reads in this process (after the same checks).
    """
    path = Path(path)
    if not path.exists():
        raise PlanFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return load_plan_json(path), []
    if suffix in (".xlsx", ".xlsm"):
        return _open_workbook(path, cancel, isolate)
    raise PlanFileError(f"{path}: not a plan (.xlsx or .json); use 'tokenbudget import' for other spreadsheets")


def _open_workbook(path: Path, cancel, isolate: bool) -> tuple[Plan, list[Finding]]:
    from pricing.files.isolated import run_child
    from pricing.files.safety import ImportRefused, check_file, scan_sheet_cells
    from pricing.files.workbook import layout as L

    try:  # the package checks; the scan of the input sheets' cells runs beside the bounded reader
        check = check_file(path, sheets=L.INPUT_SHEETS + (L.META,), scan_cells=False)
    except ImportRefused as exc:
        raise PlanFileRefused(f"{path}: {exc.reason}") from None
    if check.kind not in ("ooxml", "ole", "xlsb", "ods"):
        raise PlanFileError(f"{path}: not an Excel workbook (it holds text): not a Token Budget plan; "
                            "use 'tokenbudget import' for it")
    if check.kind != "ooxml":
        raise PlanFileError(f"{path}: not a Token Budget plan workbook (an {check.kind} file); "
                            "use 'tokenbudget import' for other spreadsheets")
    try:
        if not isolate:
            scan_sheet_cells(check)
            from pricing.files.workbook import load_plan

            return load_plan(path)
        # A sheet the scan refuses stops the reader (pricing.files.safety).
        result = run_child("pricing.files.plan_worker", PLAN_WORKER_FLAG, path, timeout=OPEN_TIMEOUT,
                           memory=OPEN_MEMORY, cancel=cancel, what="the plan workbook",
                           limit_words="opening a plan allows", meanwhile=lambda: scan_sheet_cells(check))
    except ImportRefused as exc:
        raise PlanFileRefused(f"{path}: {exc.reason}") from None
    if "refused" in result:
        reason = str(result["refused"])
        if reason.startswith(f"{path}: "):
            raise PlanFileError(reason) if "not a Token Budget plan" in reason else PlanFileRefused(reason)
        raise PlanFileRefused(f"{path}: {reason}")
    from pricing.files.workbook.reader import plan_from_sheets
    from pricing.files.workbook.sheetdata import unpack

    try:
        names, sheets = unpack(result["cells"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFileRefused(f"{path}: the plan workbook cannot be read ({exc})") from None
    try:
        return plan_from_sheets(path, names, sheets)
    except PlanFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - the cells of a hostile file, as load_plan says
        from pricing.files.isolated import short

        raise PlanFileError(f"{path}: the workbook cannot be read ({type(exc).__name__}: {short(exc)})") from None
