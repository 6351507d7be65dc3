"""Files come in as what they are: a plan workbook the app wrote is the plan, a sheet computed
from other sheets is never read as input, and a price list is a rate sheet.

- A workbook carrying the hidden format sheet (``TokenBudget``, marked
  ``tokenbudget-plan-workbook/1``) is opened as the plan itself, through
  ``pricing.files.planfile.open_plan``: importing it reads its input sheets, never its Costs,
  Projection, Modes, Capacity or Summary sheets as more workloads.
- In any .xlsx/.xlsm workbook, a sheet whose every number below its header is a formula that
  refers to cells (``pricing.files.safety.SheetCheck.computed``) holds no input and is skipped
  with a note; so are the app's computed sheets in a workbook that carries its format sheet in
  another format (.ods, .xls).
- A table headed like token counts ('Base Input Tokens', 'Output Tokens') whose cells are prices
  ('$15 / MTok', '$0.0025 / 1K tokens') and that has no request counts is a rate card, as a
  provider's pricing page is laid out: its columns are read as the input and output prices.
"""

from __future__ import annotations

from pathlib import Path

from pricing.files.workbook import layout as L
from pricing.importer.units import cell_text, is_blank, price_unit_in
from pricing.importer.report import ImportReport
from pricing.importer.sheets import SourceData
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


_AS_PRICES = {"input_tokens": "input_mtok", "output_tokens": "output_mtok"}
_VOLUMES = {"requests_per_month", "requests_per_day", "requests_in_month", "input_tokens_per_month",
            "output_tokens_per_month"}


def _price_like(value: object) -> bool:
    text = cell_text(value)
    return any(sign in text for sign in "$€£") or price_unit_in(text) is not None


def rate_card_kind(kind: str, columns, data_rows, col_offset: int) -> str:
    """'rates' (with the token columns turned into price columns) when a workloads table is a rate card."""
    if kind != "workloads" or any(c.field in _VOLUMES or c.month is not None for c in columns):
        return kind
    priced = [c for c in columns if c.field in _AS_PRICES]
    if not priced or not any(c.field == "model" for c in columns):
        return kind
    for column in priced:
        cells = [r[column.index - col_offset] for r in data_rows
                 if column.index - col_offset < len(r) and not is_blank(r[column.index - col_offset])]
        if not cells or not all(_price_like(v) for v in cells):
            return kind
    for column in priced:
        column.field = _AS_PRICES[column.field]
        column.reason = (f"{column.reason}; its cells are prices and the table has no request counts: "
                         f"a rate card, so this is {column.field}")
    return "rates"
