"""Reading the cells of a foreign budget: values only, bounded, never modifying the file.

Workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) are read with python-calamine, which reads
cached values and never runs macros.  The read runs in a child process with a memory
limit and a timeout (``pricing.files.cells_worker``, through ``pricing.files.isolated``), so
a file that makes the reader loop or allocate without bound costs one refused import, not
the application.  The child starts once the package checks pass (declared sizes, compression
ratios, entity declarations, encryption); the scan of each worksheet's cells runs in this
process meanwhile, and a sheet it refuses stops the child.  CSV/TSV files are streamed with
the csv module after sniffing their encoding and delimiter.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pricing.files.cells import read_workbook_values, unpack_sheet  # noqa: F401 - read_workbook_values read from here
from pricing.files.isolated import run_child
from pricing.files.pending_read import READ_MEMORY, READ_TIMEOUT, WORKER_FLAG, WORKER_MODULE, PendingRead
from pricing.files.safety import (
    MAX_COLS, MAX_ROWS, FileCheck, ImportRefused, check_cancel, check_file, scan_sheet_cells,
)
from pricing.importer.recognise import computed_notes
from pricing.importer.sheets import (  # noqa: F401  (the names other modules read from here)
    _DECIMAL_COMMA_NOTE, _SAMPLE_ROWS, SheetData, SourceData, _from_decimal_comma, column_index, column_letter, decimal_comma,
    sniff_delimiter, sniff_encoding,
)
from pricing.importer.textfiles import read_disguised_text
from pricing.yielding import IO_BUFFER

# READ_TIMEOUT and READ_MEMORY: the reader's limits (read from here when a read starts here).


def read_source(path: Path | str, *, isolate: bool | None = None, cancel=None, pending: PendingRead | None = None,
                prepare=None) -> SourceData:
    """Check, then read every sheet of ``path``; raises ImportRefused for refused files.

    ``cancel`` (a callable) is polled while the reader runs; when it answers True the reader
    process is killed and :class:`~pricing.files.safety.ImportCancelled` raised.  ``pending`` is
    the read of ``path`` already started (``pricing.files.pending_read.start_read``: the same
    checks passed); ``prepare`` (a callable) runs while the reader works, after the cell scan.
    """
    path = Path(path)
    if pending is not None and (pending.path != path or isolate is False):
        pending.close()
        pending = None
    try:
        check = pending.check if pending is not None else check_file(path, scan_cells=False)
        check_cancel(cancel, path)
        if check.kind == "text":
            return read_text_table(path, cancel)
        if check.kind == "disguised-text":
            return read_disguised_text(path)
        if isolate is None:
            isolate = True

        def meanwhile() -> None:
            scan_sheet_cells(check)
            if prepare is not None:
                prepare()
        if pending is not None:  # started before this process loaded the importer
            payload = pending.finish(cancel, meanwhile)
        elif isolate:  # the bounded reader starts once the package checks pass; the cells are scanned meanwhile
            payload = _read_isolated(path, cancel, meanwhile)
        else:
            scan_sheet_cells(check)
            payload = read_workbook_values(str(path))
    finally:
        if pending is not None:
            pending.close()
    check_cancel(cancel, path)
    if "refused" in payload:
        raise ImportRefused(path, payload["refused"])
    sheets = [SheetData(**unpack_sheet(s)) for s in payload["sheets"]]
    _attach_uncached(check, sheets)
    source = SourceData(path, check.kind, sheets, payload.get("notes", []))
    # Numbers typed as text follow one rule, decided from the whole file: '1.000' is 1000 only in
    # a file whose text numbers write decimal commas, as for a CSV.
    if decimal_comma([row for sheet in sheets for row in sheet.rows[:_SAMPLE_ROWS]]):
        for sheet in sheets:
            sheet.rows = [[_from_decimal_comma(v) for v in row] for row in sheet.rows]
        source.notes.append(_DECIMAL_COMMA_NOTE)
    source.notes.extend(computed_notes(source))
    return source


def _attach_uncached(check: FileCheck, sheets: list[SheetData]) -> None:
    for sheet in sheets:
        found = check.sheets.get(sheet.name)
        if found is not None:
            sheet.uncached = found.uncached_formulas
            sheet.computed = found.computed


# --------------------------------------------------------------------------- workbooks
def _read_isolated(path: Path, cancel=None, meanwhile=None) -> dict:
    return run_child(WORKER_MODULE, WORKER_FLAG, path, timeout=READ_TIMEOUT, memory=READ_MEMORY,
                     cancel=cancel, meanwhile=meanwhile)


# --------------------------------------------------------------------------- CSV / TSV
def read_text_table(path: Path, cancel=None) -> SourceData:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    encoding = sniff_encoding(head)
    sample = head.decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter = sniff_delimiter(sample.splitlines()[:50], path.suffix.lower())
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
    notes = [f"read as {encoding.replace('-sig', ' with BOM').upper()} text, {names[delimiter]}-separated"]
    rows: list[list[object]] = []
    not_read = 0
    with open(path, "rb", buffering=IO_BUFFER) as raw:  # read on a worker (pricing.yielding)
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for row in reader:
                if reader.line_num % 20_000 == 0:
                    check_cancel(cancel, path)
                if len(rows) >= MAX_ROWS + 100:
                    not_read += 1
                    continue
                if row and row[0].startswith("\ufeff"):
                    row[0] = row[0][1:]
                rows.append(row[:MAX_COLS])
        except csv.Error as exc:
            raise ImportRefused(path, f"not a readable CSV file (line {reader.line_num}: {exc})") from None
    if "\x00" in sample[:4096]:
        raise ImportRefused(path, "not a text table (binary content)")
    if decimal_comma(rows):
        rows = [[_from_decimal_comma(v) for v in row] for row in rows]
        notes.append(_DECIMAL_COMMA_NOTE)
    if not_read:
        total = len(rows) + not_read
        raise ImportRefused(path, f"{path.stat().st_size / 1e6:,.1f} MB with {total:,} rows, more than the "
                                  f"{MAX_ROWS:,} rows an import takes; refused whole, nothing was imported "
                                  "(split the file, or import a summary of it)")
    sheet = SheetData(path.stem, rows, rows_not_read=not_read)
    return SourceData(path, "text", [sheet], notes)
