"""Files come in as what they are: a plan workbook the app wrote is the plan, and a sheet
computed from other sheets is never read as input.

- A workbook carrying the hidden format sheet (``TokenBudget``, marked
  ``tokenbudget-plan-workbook/1``) is opened as the plan itself, through
  ``pricing.files.planfile.open_plan``: importing it reads its input sheets, never its Costs,
  Projection, Modes, Capacity or Summary sheets as more workloads.
- In any .xlsx/.xlsm workbook, a sheet whose every number below its header is a formula that
  refers to cells (``pricing.files.safety.SheetCheck.computed``) holds no input and is skipped
  with a note; so are the app's computed sheets in a workbook that carries its format sheet in
  another format (.ods, .xls).
"""

from __future__ import annotations

from pathlib import Path

from pricing.files.workbook import layout as L
from pricing.importer.report import ImportReport
from pricing.importer.sources import SourceData
from pricing.plan.models import Plan


def is_plan_workbook(source: SourceData) -> bool:
    """The app wrote this workbook: its hidden format sheet says so on its first row."""
    if source.kind != "ooxml":
        return False
    for sheet in source.sheets:
        if sheet.name == L.META and sheet.rows:
            first = [str(v).strip() for v in sheet.rows[0][:2]]
            return first == ["format", L.FORMAT_MARK]
    return False


def computed_sheets(source: SourceData) -> list[str]:
    """Sheets never read as input, in sheet order."""
    ours = any(s.name == L.META for s in source.sheets)
    return [s.name for s in source.sheets if s.computed or (ours and s.name in L.COMPUTED_SHEETS)]


def computed_notes(source: SourceData) -> list[str]:
    return [f"sheet {name!r} is computed from other sheets (its figures are formulas): not read as input"
            for name in computed_sheets(source)]


def open_as_plan(path: Path, report: ImportReport) -> Plan:
    """The plan a plan workbook holds, its findings added to ``report``."""
    from pricing.files.planfile import PlanFileError, open_plan
    from pricing.files.safety import ImportRefused

    try:
        plan, findings = open_plan(path)
    except PlanFileError as exc:
        raise ImportRefused(path, str(exc).removeprefix(f"{path}: ")) from None
    report.decide("a Token Budget plan workbook: loaded as the plan from its input sheets "
                  "(its computed sheets are not read)")
    report.findings.extend(findings)
    report.rows_imported = (len(plan.workloads) + sum(len(r.versions) for r in plan.rates)
                            + len(plan.endpoints) + len(plan.clusters))
    return plan
