"""The plan workbook: save_plan and load_plan (.xlsx with input tables, live formulas, cached values)."""

from pricing.workbook.reader import load_plan
from pricing.workbook.writer import SaveCancelled, save_plan

__all__ = ["SaveCancelled", "load_plan", "save_plan"]
