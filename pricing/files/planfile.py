"""Opening a plan from disk, whatever it was saved as.

The plan's own document is an .xlsx workbook (``pricing.files.workbook``); a plan can also be
kept as JSON (the bundled sample is), which is exact and easy to diff.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from pricing.plan.findings import Finding
from pricing.plan.models import Plan


class PlanFileError(Exception):
    """A plan file that cannot be opened; the message names the file and the reason."""


def load_plan_json(path: Path) -> Plan:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot read: {exc}") from None
    try:
        return Plan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanFileError(f"{path}: {where}: {first['msg']}") from None


def save_plan_json(plan: Plan, path: Path) -> None:
    from pricing.files.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), (plan.model_dump_json(indent=1, exclude_defaults=True) + "\n").encode())


def open_plan(path: str | Path) -> tuple[Plan, list[Finding]]:
    """Open a plan workbook (.xlsx) or plan JSON; returns the plan and any findings."""
    path = Path(path)
    if not path.exists():
        raise PlanFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return load_plan_json(path), []
    if suffix in (".xlsx", ".xlsm"):
        from pricing.files.workbook import load_plan

        return load_plan(path)
    raise PlanFileError(f"{path}: not a plan (.xlsx or .json); use 'tokenbudget import' for other spreadsheets")
