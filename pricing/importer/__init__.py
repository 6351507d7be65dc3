"""Importing the budgets people already have: .xlsx, .xlsm, .xls, .xlsb, .ods, .csv and .tsv.

    scan(path) -> ImportScan                 where the tables are and what each column means
    import_file(path) -> ImportResult        a Plan plus an ImportReport (decisions and findings)

A file refused whole (not a spreadsheet, corrupt, a zip or XML bomb, password-protected,
absurdly large) raises :class:`ImportRefused` naming the file and the reason.  Everything
else is imported: rows with problems are kept and flagged, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pricing.gc_pause import gc_paused
from pricing.importer.mapping import ImportMapping, TableMapping, store_dir
from pricing.importer.report import ImportReport
from pricing.files.safety import ImportCancelled, ImportRefused, check_cancel
from pricing.importer.scanner import ColumnGuess, ImportScan, TableGuess, guess_tables, layout_signature, tables_from_mapping
from pricing.importer.sources import SourceData, read_source
from pricing.plan.models import Plan
from pricing.costing.rates import RateBook

__all__ = [
    "ColumnGuess", "ImportCancelled", "ImportMapping", "ImportRefused", "ImportReport", "ImportResult", "ImportScan", "TableGuess",
    "TableMapping", "import_file", "laid_out", "scan", "store_dir", "NOTHING_FOUND",
]

NOTHING_FOUND = "no rates or workloads found in this workbook"


@dataclass
class ImportResult:
    plan: Plan
    report: ImportReport
    #: The mapping actually used (guessed, recalled or given): save it to repeat the import.
    mapping: ImportMapping
    scan: ImportScan | None = None


def scan(path: Path | str, mapping: ImportMapping | None = None, *, cancel=None) -> ImportScan:
    """Find the tables of ``path`` (or apply ``mapping``) without building a plan.

    ``cancel`` is a callable polled while the file is read; when it answers True the read
    stops and :class:`ImportCancelled` is raised.
    """
    path = Path(path)
    try:
        # The read's cells and the table guesses are many small values in no cycle: a cyclic pass
        # meanwhile walks the whole heap (70-90 ms with 100,000 rows read, holding the interpreter
        # lock, so a window reading on a worker froze that long).
        with gc_paused(settle=True):
            return _scan_source(read_source(path, cancel=cancel), mapping)
    except (ImportRefused, ImportCancelled, KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one clear message, never a traceback, for any file
        raise _unexpected(path, exc) from exc


def laid_out(found: ImportScan):
    """What a scan's file holds besides its tables: parameter sheets and GPU price lists read
    apart, prose and result rows skipped (a :class:`~pricing.importer.layouts.Survey`)."""
    from pricing.importer.layouts import survey

    if found.source is None:
        raise ValueError("the scan kept no cells to survey")
    with gc_paused(settle=True):
        return survey(found.source)


def _unexpected(path: Path, exc: Exception) -> ImportRefused:
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return ImportRefused(path, f"could not be imported ({type(exc).__name__}: {first})")


def _scan_source(source: SourceData, mapping: ImportMapping | None, signature: str | None = None,
                 layout=None) -> ImportScan:
    """The tables of ``source``: those of ``mapping``, else the guess over the sheets the
    layout survey leaves (prose, parameter sheets and GPU price lists are read apart)."""
    from pricing.importer.layouts import survey

    notes = list(source.notes)
    if layout is None:
        layout = survey(source, keep={t.sheet.lower() for t in mapping.tables} if mapping is not None else set())
    if mapping is not None:
        tables, problems = tables_from_mapping(layout.source, mapping)
        notes.extend(problems)
    else:
        tables = guess_tables(layout.source)
    return ImportScan(source.path, tables, signature or layout_signature(source), notes, source)


def import_file(path: Path | str, mapping: ImportMapping | None = None, *, catalog: RateBook | None = None,
                remember: bool = True, mappings_dir: Path | str | None = None, source: SourceData | None = None,
                cancel=None, provider: str | None = None, pending=None) -> ImportResult:
    """Import a foreign budget into a plan.

    Without ``mapping``, a mapping remembered for this file's layout is used, else the
    guess.  A mapping given explicitly is remembered for the next file of the same layout
    (``remember=False`` turns that off; ``mappings_dir`` overrides where).  ``source`` is
    the cells a :func:`scan` already read (``ImportScan.source``), so the file is not read
    twice.  ``cancel`` is a callable polled while reading and every few thousand rows; when
    it answers True, :class:`ImportCancelled` is raised and nothing is remembered.  ``provider``
    names the provider of model ids that several providers list (``openai/gpt-oss-120b``).
    ``pending`` is the read of ``path`` already started (``pricing.files.pending_read.start_read``).
    """
    path = Path(path)
    try:
        # Hundreds of thousands of small records in no cycle: cyclic passes only cost time here, and
        # settled, the records kept go to the oldest generation (the first pass after the import would
        # otherwise walk every one of them: 0.3 s at 100,000 rows).
        with gc_paused(settle=True):
            return _import(path, mapping, catalog, remember, mappings_dir, source, cancel, provider, pending)
    except (ImportRefused, ImportCancelled, KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - one clear message, never a traceback, for any file
        raise _unexpected(path, exc) from exc


def _import(path: Path, mapping: ImportMapping | None, catalog: RateBook | None, remember: bool,
            mappings_dir: Path | str | None, source: SourceData | None, cancel,
            provider: str | None = None, pending=None) -> ImportResult:
    if source is None:  # what the rest needs is loaded while the reader process works
        source = read_source(path, cancel=cancel, pending=pending, prepare=_prepare)
    elif pending is not None:
        pending.close()
    from pricing.costing.catalog import load_catalog
    from pricing.plan.findings import Finding, Severity
    from pricing.importer.assembly import build_plan
    from pricing.importer.recognise import is_plan_workbook, open_as_plan
    from pricing.importer.tables import Extracted, extract
    from pricing.importer.alternatives import alternatives_as_scenarios, cost_alternatives, take_alternatives
    from pricing.importer.layouts import join_report, merge, skipped_summary, survey
    from pricing.importer.pricelists import check_rate_rows
    from pricing.importer.prose import empty_log
    from pricing.importer.stated_rows import compare_stated_rows
    from pricing.importer.totals import compare_totals
    from pricing.importer.units import currency_in
    from pricing.letting_go import let_go

    report = ImportReport()
    report.decisions.extend(source.notes)
    if mapping is None and is_plan_workbook(source):
        return ImportResult(open_as_plan(path, report), report, ImportMapping())
    signature = layout_signature(source)
    given = mapping is not None
    if mapping is None:
        recalled = ImportMapping.recall_signature(signature, mappings_dir)
        if recalled is not None:
            mapping = recalled
            report.decide("used the mapping remembered for files of this layout")
    keep = {t.sheet.lower() for t in mapping.tables} if mapping is not None else set()
    layout = survey(source, path.name, keep)
    found = _scan_source(source, mapping, signature, layout)
    for problem in found.notes[len(source.notes):]:
        report.findings.append(Finding(f"mapping: {problem}", Severity.ERROR, file=path.name))
    join_report(report, layout.report)
    if not found.tables and not layout.has_data:
        raise ImportRefused(path, NOTHING_FOUND + (_near_miss(layout.source) or skipped_summary(report)))
    catalog = catalog if catalog is not None else load_catalog()
    extracted = Extracted()
    alternatives = []
    for table in found.tables:
        template = empty_log(table) or layout.results_table(table)
        if template:
            report.skip(template)
            continue
        report.decide(f"sheet {table.sheet!r}: a {table.kind} table with its header on row {table.header_row}")
        part = Extracted()
        extract(table, path.name, report, part, cancel)
        group = take_alternatives(table, part, path.name, report, catalog)
        if group:
            alternatives.append(group)
        merge(extracted, part)
    merge(extracted, layout.extracted)
    if not (extracted.workloads or extracted.rates or extracted.endpoints or extracted.clusters):
        raise ImportRefused(path, NOTHING_FOUND + " (the tables found hold no data rows)" + skipped_summary(report))
    extracted.rates = check_rate_rows(extracted.rates, _price_columns(found.tables), catalog, path.name, report)
    texts = [c.header for t in found.tables for c in t.columns] + [n for t in found.tables for n in t.notes]
    texts += [cell for t in found.tables for row in t.preview_rows for cell in row]
    currency = currency_in(texts) or "USD"
    if currency != "USD":
        report.decide(f"prices are in {currency} (from the currency signs in the file)")
    check_cancel(cancel, path)
    plan = build_plan(extracted, report, catalog, path.stem, currency, provider=provider)
    compare_stated_rows(extracted.workloads, plan, path.name, report)
    for group in alternatives:
        cost_alternatives(group, plan, report)
        plan = alternatives_as_scenarios(group, plan, report)
    compare_totals(layout.stated, plan, path.name, report)
    check_cancel(cancel, path)
    used = found.to_mapping()
    if given and remember and mapping is not None:
        try:
            mapping.remember(signature, mappings_dir)
            report.decide("the mapping is remembered for the next file of this layout")
        except OSError as exc:
            report.decide(f"the mapping could not be remembered ({exc})")
    # The rows read into records (a dict or two each, 100,000 in a large import) are freed on a thread
    # of their own, a slice at a time: freed as this returns, one C-level cascade held the lock.
    let_go(extracted)
    return ImportResult(plan, report, used, found)


def _prepare() -> None:
    """Load what an import needs after the read (modules, the catalog, month names), while the
    reader process reads: on a large workbook the wait is seconds, and this process idles."""
    from pricing.costing.catalog import load_catalog
    from pricing.files.planfile import save_plan_json  # noqa: F401 - loaded now: the plan is saved next
    from pricing.importer import alternatives, assembly, layouts, pricelists, prose, stated_rows, tables, totals  # noqa: F401
    from pricing.plan.months import find_month_name

    load_catalog()
    find_month_name("Jan")  # the month names of the leading languages, read from Babel once


def _price_columns(tables) -> dict[tuple[str, str], dict[str, str]]:
    """Per sheet, the column letter of each price field of its rates tables (for findings on price cells)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for table in tables:
        for c in table.columns:
            if c.field in ("input_mtok", "output_mtok"):
                out.setdefault((table.sheet, ""), {}).setdefault(c.field, c.letter)
    return out


def _near_miss(source: SourceData) -> str:
    """Why a sheet that names models is not a budget we can read: it has no volumes (a cost-only
    budget), said with the header row found, so the user knows what to add."""
    from pricing.importer.headers import field_for
    from pricing.importer.units import cell_text, is_blank

    for sheet in source.sheets:
        for r, row in enumerate(sheet.rows[:50]):
            fields = {field_for(v)[0] for v in row if isinstance(v, str)}
            if "model" in fields:
                headers = ", ".join(repr(cell_text(v)) for v in row if not is_blank(v))[:300]
                return (f"; sheet {sheet.name!r} row {r + sheet.row_offset + 1} has {headers} but no requests or "
                        "token counts: a plan is priced from volumes (requests per month and tokens per request), "
                        "so add those columns, or import a usage log")
    return ""
