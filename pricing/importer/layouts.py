"""Budgets as people really lay them out, sorted out before the table guess.

:func:`survey` looks at each sheet first: prose (a glossary, a checklist, notes) is skipped;
a parameter sheet (label | value | unit rows) and a GPU hourly price list are read here; the
budget's own result rows ("Monthly savings", "Cost ratio", "Cheapest") are blanked so no
table reads them; the monthly totals the file states are noted to be compared with the
import's own.  What is left goes to the table guess, whose tables are then checked for empty
log templates (:func:`~pricing.importer.prose.empty_log`) and comparisons of alternatives
(:func:`~pricing.importer.alternatives.take_alternatives`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pricing.importer.parameter_plan import plan_from_parameters
from pricing.importer.parameters import read_parameter_block, read_parameters
from pricing.importer.pricelists import gpu_price_list
from pricing.importer.prose import describe_prose, prose_kind, result_rows
from pricing.importer.report import ImportReport
from pricing.importer.sources import SheetData, SourceData
from pricing.importer.tables import Extracted
from pricing.importer.totals import StatedTotal, stated_totals


@dataclass
class Survey:
    #: The sheets left for the table guess (result rows blanked).
    source: SourceData
    #: What was read here (parameter sheets, GPU price lists), ready to join the tables' rows.
    extracted: Extracted = field(default_factory=Extracted)
    #: Decisions, findings and skipped parts of this pass.
    report: ImportReport = field(default_factory=ImportReport)
    stated: list[StatedTotal] = field(default_factory=list)
    #: Sheets whose parameter block was read here while the rest of the sheet went to the tables.
    blocks: set[str] = field(default_factory=set)

    def results_table(self, table) -> str | None:
        """Why a table on a sheet with a parameter block is that block's results (no token counts of its own), or None."""
        if table.sheet not in self.blocks or table.kind != "workloads":
            return None
        fields = {c.field for c in table.columns if c.field}
        if fields & {"input_tokens", "output_tokens", "input_tokens_per_month", "output_tokens_per_month"}:
            return None
        return (f"sheet {table.sheet!r}: the table with its header on row {table.header_row} has no token counts: "
                "the results the parameter block computes, not more workloads")

    @property
    def has_data(self) -> bool:
        e = self.extracted
        return bool(e.workloads or e.rates or e.endpoints or e.clusters)


def survey(source: SourceData, file: str | None = None, keep: set[str] | frozenset[str] = frozenset()) -> Survey:
    """Sort the sheets of ``source``; sheets named in ``keep`` (a mapping names them) go to the tables as they are."""
    file = file or source.path.name
    report = ImportReport()
    extracted = Extracted()
    remaining: list[SheetData] = []
    taken: set[str] = set()
    blocks: set[str] = set()
    for sheet in source.sheets:
        if sheet.name.lower() not in keep:
            if _read_apart(sheet, file, report, extracted, taken):
                continue
            rest = _block_apart(sheet, file, report, extracted)
            if rest is not None:
                sheet = rest
                blocks.add(sheet.name)
        results = result_rows(sheet)
        if results:
            rows = list(sheet.rows)
            for index, why in results:
                rows[index] = []
                report.skip(why)
            sheet = SheetData(sheet.name, rows, sheet.row_offset, sheet.col_offset, sheet.rows_not_read,
                              sheet.uncached)
        remaining.append(sheet)
    return Survey(SourceData(source.path, source.kind, remaining, source.notes), extracted, report,
                  stated_totals(source), blocks)


def _read_apart(sheet: SheetData, file: str, report: ImportReport, extracted: Extracted, taken: set[str]) -> bool:
    """Skip a prose sheet, or read a parameter sheet or a GPU price list; False when the sheet is none of them."""
    kind = prose_kind(sheet)
    if kind is not None:
        report.skip(describe_prose(sheet, kind))
        return True
    block = read_parameters(sheet)
    if block is not None:
        plan_from_parameters(block, file, report, extracted)
        return True
    clusters = gpu_price_list(sheet, file, report, taken)
    if clusters:
        extracted.clusters.extend(clusters)
        return True
    return False


def _block_apart(sheet: SheetData, file: str, report: ImportReport, extracted: Extracted) -> SheetData | None:
    """Read a block of settings on a sheet that also holds tables; the sheet without its rows, or None."""
    found = read_parameter_block(sheet)
    if found is None:
        return None
    block, indexes = found
    plan_from_parameters(block, file, report, extracted)
    rows = list(sheet.rows)
    for index in indexes:
        rows[index] = []
    report.decide(f"sheet {sheet.name!r}: the parameter block in rows {indexes[0] + sheet.row_offset + 1}–"
                  f"{indexes[-1] + sheet.row_offset + 1} is read as settings; a table on the same sheet without token "
                  "counts of its own is the budget's results, not more workloads")
    return SheetData(sheet.name, rows, sheet.row_offset, sheet.col_offset, sheet.rows_not_read, sheet.uncached)


def merge(into: Extracted, part: Extracted) -> None:
    into.workloads.extend(part.workloads)
    into.rates.extend(part.rates)
    into.endpoints.extend(part.endpoints)
    into.clusters.extend(part.clusters)
    into.month_columns_from.extend(part.month_columns_from)


def join_report(into: ImportReport, part: ImportReport) -> None:
    into.decisions.extend(part.decisions)
    into.findings.extend(part.findings)
    into.skipped.extend(part.skipped)
    into.rows_imported += part.rows_imported
    into.rows_skipped += part.rows_skipped


def skipped_summary(report: ImportReport) -> str:
    """The parts skipped, for the message of a refused import."""
    if not report.skipped:
        return ""
    shown = "; ".join(report.skipped[:3]) + (f"; and {len(report.skipped) - 3} more" if len(report.skipped) > 3 else "")
    return f" (skipped: {shown})"
