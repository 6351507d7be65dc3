"""Reading the cells of a foreign budget: values only, bounded, never modifying the file.

Workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) are read with python-calamine, which reads
cached values and never runs macros.  The read runs in a child process with a memory
limit and a timeout (``pricing.importer.worker``, through ``pricing.files.isolated``), so a file that makes the reader loop or
allocate without bound costs one refused import, not the application.  CSV/TSV files
are streamed with the csv module after sniffing their encoding and delimiter.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pricing.files.isolated import run_child
from pricing.files.isolated import short as _short
from pricing.files.safety import MAX_COLS, MAX_ROWS, FileCheck, ImportRefused, check_cancel, check_file

#: Seconds the reader may take on a workbook before the import is refused.
READ_TIMEOUT = float(os.environ.get("TOKENBUDGET_IMPORT_TIMEOUT", "20"))  # float ok: seconds
#: Address space the reader process may add, beyond what it has mapped once started, to read a workbook.
READ_MEMORY = int(os.environ.get("TOKENBUDGET_IMPORT_MEMORY", str(2 * 1024**3)))


@dataclass
class SheetData:
    """The cell values of one sheet (or CSV file), with where they sit."""

    name: str
    rows: list[list[object]]
    #: 0-based sheet row and column of rows[0][0].
    row_offset: int = 0
    col_offset: int = 0
    #: Rows beyond MAX_ROWS that were not read.
    rows_not_read: int = 0
    #: A1 references of formula cells without a cached value.
    uncached: list[str] = field(default_factory=list)
    #: Every number below its header is a formula (xlsx/xlsm): computed from other sheets, never input.
    computed: bool = False

    def ref(self, row: int, col: int) -> str:
        """A1 reference of rows[row][col]."""
        return f"{column_letter(col + self.col_offset)}{row + self.row_offset + 1}"

    def letter(self, col: int) -> str:
        return column_letter(col + self.col_offset)


@dataclass
class SourceData:
    path: Path
    kind: str
    sheets: list[SheetData]
    #: What the reader decided or skipped (encoding, delimiter, unreadable sheets).
    notes: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_source(path: Path | str, *, isolate: bool | None = None, cancel=None) -> SourceData:
    """Check, then read every sheet of ``path``; raises ImportRefused for refused files.

    ``cancel`` (a callable) is polled while the reader runs; when it answers True the reader
    process is killed and :class:`~pricing.files.safety.ImportCancelled` raised.
    """
    path = Path(path)
    check = check_file(path)
    check_cancel(cancel, path)
    if check.kind == "text":
        return read_text_table(path, cancel)
    if check.kind == "disguised-text":
        from pricing.importer.textfiles import read_disguised_text

        return read_disguised_text(path)
    if isolate is None:
        isolate = True
    payload = _read_isolated(path, cancel) if isolate else read_workbook_values(str(path))
    check_cancel(cancel, path)
    if "refused" in payload:
        raise ImportRefused(path, payload["refused"])
    sheets = [SheetData(**s) for s in payload["sheets"]]
    _attach_uncached(check, sheets)
    source = SourceData(path, check.kind, sheets, payload.get("notes", []))
    # Numbers typed as text follow one rule, decided from the whole file: '1.000' is 1000 only in
    # a file whose text numbers write decimal commas, as for a CSV.
    if decimal_comma([row for sheet in sheets for row in sheet.rows[:_SAMPLE_ROWS]]):
        for sheet in sheets:
            sheet.rows = [[_from_decimal_comma(v) for v in row] for row in sheet.rows]
        source.notes.append(_DECIMAL_COMMA_NOTE)
    from pricing.importer.recognise import computed_notes

    source.notes.extend(computed_notes(source))
    return source


def _attach_uncached(check: FileCheck, sheets: list[SheetData]) -> None:
    for sheet in sheets:
        found = check.sheets.get(sheet.name)
        if found is not None:
            sheet.uncached = found.uncached_formulas
            sheet.computed = found.computed


# --------------------------------------------------------------------------- workbooks
def read_workbook_values(path: str) -> dict:
    """Read all worksheets with calamine: {'sheets': [...], 'notes': [...]} or {'refused': reason}."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(path)
    except pc.PasswordError:
        return {"refused": "the workbook is password-protected; remove the password and import it again"}
    except (pc.CalamineError, pc.XmlError, pc.ZipError, OSError, ValueError) as exc:
        if "Cell limit exceeded" in str(exc):
            return {"refused": f"a sheet asks for more cells than an import reads ({_short(exc)})"}
        return {"refused": f"the workbook cannot be read ({_short(exc)})"}
    except BaseException as exc:  # a reader panic surfaces as pyo3's PanicException (a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return {"refused": f"the workbook cannot be read (reader failure: {_short(exc)})"}
    sheets, notes = [], []
    try:
        metadata = {m.name: m for m in book.sheets_metadata}
    except BaseException:  # noqa: BLE001 - metadata is a nicety
        metadata = {}
    for name in book.sheet_names:
        meta = metadata.get(name)
        if meta is not None and "WorkSheet" not in str(meta.typ):
            notes.append(f"sheet {name!r} is a {str(meta.typ).split('.')[-1]}, not a worksheet: skipped")
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            sheets.append(_sheet_values(name, sheet))
        except pc.PasswordError:
            return {"refused": "the workbook is password-protected; remove the password and import it again"}
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            msg = _short(exc)
            if "Cell limit exceeded" in msg:
                return {"refused": f"sheet {name!r} asks for more cells than an import reads ({msg})"}
            notes.append(f"sheet {name!r} cannot be read ({msg}): skipped")
    return {"sheets": sheets, "notes": notes}


def _sheet_values(name: str, sheet) -> dict:
    start = sheet.start or (0, 0)
    end = sheet.end or (0, 0)
    rows: list[list[object]] = []
    count = 0
    not_read = 0
    for row in sheet.iter_rows():
        count += 1
        if count > MAX_ROWS + 100:
            not_read += 1
            continue
        if len(row) > MAX_COLS:
            row = row[:MAX_COLS]
        while row and (row[-1] == "" or row[-1] is None):
            row = row[:-1]
        rows.append(list(row))
    # python-calamine yields rows from sheet row 0 (blank rows above the data included),
    # columns from the first used column; a reader that starts at the first used row is
    # recognised by its row count.
    row_offset = 0 if count == end[0] + 1 or not_read else start[0]
    while rows and not rows[-1]:
        rows.pop()
    return {"name": name, "rows": rows, "row_offset": row_offset, "col_offset": start[1], "rows_not_read": not_read}


WORKER_FLAG = "--import-worker"


def _read_isolated(path: Path, cancel=None) -> dict:
    return run_child("pricing.importer.worker", WORKER_FLAG, path, timeout=READ_TIMEOUT, memory=READ_MEMORY,
                     cancel=cancel)


# --------------------------------------------------------------------------- CSV / TSV
def sniff_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM, or plain ASCII text in UTF-16LE), else cp1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def sniff_delimiter(lines: list[str], suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    best, best_score = ",", -1.0
    for delim in (",", ";", "\t", "|"):
        counts = [line.count(delim) for line in lines if line.strip()]
        if not counts or max(counts) == 0:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) / len(counts) * (1 if common else 0) + common / 1000
        if score > best_score:
            best, best_score = delim, score
    return best


# A cell that is only a number: optional sign, currency, digits with separators, optional %/currency.
_NUMERIC_CELL = re.compile(r"^[+\-(]?\s*(?:[$€£]\s*)?\d[\d.,\s\u00a0]*\s*(?:%|[$€£]|eur|usd)?\)?$", re.I)
_EUROPEAN = re.compile(r"\d,\d{1,2}(?!\d)|^\D*\d{1,3}(?:\.\d{3}){2,}(?!\d)|\d\.\d{3},\d")
_ENGLISH = re.compile(r"\d\.\d{1,2}(?!\d)|^\D*\d{1,3}(?:,\d{3}){2,}(?!\d)|\d,\d{3}\.\d")
_GROUPED_DOTS = re.compile(r"(?<=\d)\.(?=\d{3}(?:\D|$))")
_SAMPLE_ROWS = 5000


_DECIMAL_COMMA_NOTE = ("numbers read with ',' as the decimal mark and '.' between thousands "
                       "(the file writes numbers like '1.200.000' or '2,5'): '1.500' is 1500")


def decimal_comma(rows: list[list[object]]) -> bool:
    """Whether a text table writes numbers the continental way ('1.200.000', '2,5%', '0,90 €'):
    some numeric cells say so and none says the opposite ('1,200,000', '0.90')."""
    european = english = 0
    for row in rows[:_SAMPLE_ROWS]:
        for value in row:
            if not isinstance(value, str) or ("," not in value and "." not in value) or not _NUMERIC_CELL.match(value.strip()):
                continue
            european += bool(_EUROPEAN.search(value))
            english += bool(_ENGLISH.search(value))
    return european > 0 and english == 0


def _from_decimal_comma(value: object) -> object:
    """'1.200.000' -> '1200000', '2,5%' -> '2.5%', '1.234,56 €' -> '1234.56 €'; other text as it is."""
    if not isinstance(value, str) or ("," not in value and "." not in value) or not _NUMERIC_CELL.match(value.strip()):
        return value
    return _GROUPED_DOTS.sub("", value).replace(",", ".")


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
    with open(path, "rb") as raw:
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
