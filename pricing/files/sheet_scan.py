"""What one OOXML worksheet part declares, read before any spreadsheet reader touches it.

Streamed in chunks with bounded memory: the cell extent (a sheet asking for billions of
cells is refused), the formula cells that carry no cached value (the file was saved without
calculating), and whether the sheet is computed (every number below its header a formula).

A sheet of millions of formula cells is read at the speed of the regular-expression engine,
not one Python step per cell: each cell is looked at on its own only until the counts have
settled whether the sheet is computed; after that the engine only stops at formula cells that
may lack a cached value (until :data:`MAX_UNCACHED` are listed) and at columns wider than the
widest seen.  The answers are those of looking at every cell.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pricing.files.errors import ImportRefused
from pricing.files.workbook.cells import col_letter

MAX_SHEET_CELLS = 20_000_000              # bounding box of one sheet's cells
#: Formula cells without a cached value listed per sheet (each becomes a finding where it is read).
MAX_UNCACHED = 10_000
CHUNK = 4 * 1024 * 1024


@dataclass
class SheetCheck:
    """What the pre-read learnt of one worksheet part."""

    part: str
    rows: int = 0
    cols: int = 0
    #: A1 references of formula cells that carry no cached value (xlsx/xlsm only), the first MAX_UNCACHED.
    uncached_formulas: list[str] = field(default_factory=list)
    #: Formula cells, and cells below the first row holding a typed (not computed) number:
    #: counted until both are found (which is all :attr:`computed` asks).
    formulas: int = 0
    typed_numbers: int = 0

    @property
    def computed(self) -> bool:
        """Every number below the header row is a formula: a sheet computed from others, never input."""
        return self.formulas > 0 and self.typed_numbers == 0

    @property
    def settled(self) -> bool:
        """Whether :attr:`computed` is decided for good (False) whatever cells follow."""
        return self.formulas > 0 and self.typed_numbers > 0


#: A cell with content (a self-closed <c r="XFD1048576" s="1"/> is only formatting).
_CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,4})([0-9]{1,8})"[^>/]*>')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.DOTALL)
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,4}[0-9]{1,8})"')
_TYPE_ATTR = re.compile(rb'\bt="(\w+)"')
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?<!/)>([^<]*)<")
_REFERENCE = re.compile(rb"[A-Za-z]\$?[0-9]|!|[A-Za-z_][A-Za-z0-9_.]*\(|^[A-Za-z_][A-Za-z0-9_.]*$")
_CACHED_VALUE = re.compile(rb"<(?:\w+:)?v\s*>[^<]")
_INLINE_STRING = re.compile(rb"<(?:\w+:)?is\b")
_DIGITS = re.compile(rb"[0-9]+")
#: The end of a formula element not followed by a cached value: where a formula cell may lack one.
_FORMULA_END = re.compile(rb"<(?:/f>|f\b[^>]*/>)(?!\s*<v\s*>[^<])")
#: A prefixed element name (<x:c>): such a part is looked at cell by cell.
_PREFIXED = re.compile(rb"<\w+:c\b")


def col_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def scan_sheet(path: Path, archive: zipfile.ZipFile, name: str) -> SheetCheck:
    """Stream one worksheet part: its cell extent, and formulas with no cached value."""
    check = SheetCheck(name)
    min_row = min_col = 1 << 40
    max_row = max_col = 0
    carry = b""
    try:
        with _fast_inflate(archive.open(name)) as part:
            while True:
                chunk = part.read(CHUNK)
                data = carry + chunk
                if chunk:
                    cut = data.rfind(b"</row>")
                    cut = len(data) if cut < 0 and len(data) > 64 * 1024 * 1024 else (cut + 6 if cut >= 0 else 0)
                    body, carry = data[:cut], data[cut:]
                else:
                    body, carry = data, b""
                # Rows come in ascending order (ECMA-376 §18.3.1.73): the first and the last cell
                # with content bound the rows; columns beyond Z are few, so all of them are read.
                if min_row > max_row or not max_row:
                    first_ref = _CELL_REF.search(body)
                    if first_ref:
                        min_row = min(min_row, int(first_ref.group(2)))
                last_ref = _last_match(body)
                if last_ref:
                    max_row = max(max_row, int(last_ref.group(2)))
                    min_row = min(min_row, int(last_ref.group(2)))
                max_col = _widest(body, max_col)
                max_col = max(max_col, 26 if max_row else 0)
                min_col = 1
                if b"<f" in body:
                    _formulas(body, check, min_row)
                elif _CELL_REF.search(body):
                    check.typed_numbers += 1  # a stretch of cells with no formula at all: not a computed sheet
                if max_row:
                    refuse_extent(path, name, max_row - min_row + 1, max(max_col - min_col + 1, 1))
                if not chunk:
                    break
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise ImportRefused(path, f"corrupt package part {name} ({exc})") from None
    check.rows = max_row - min_row + 1 if max_row else 0
    check.cols = max_col - min_col + 1 if max_col else 0
    return check


def _fast_inflate(handle):
    """Inflate a deflated zip entry with ISA-L (python-isal) instead of zlib: the same format, in
    about half the time; the zip module still checks the entry's CRC.  It swaps the zip module's
    private decompressor: where a Python names it otherwise, zlib simply goes on."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a dependency; zlib reads the same format
        return handle
    deflated = getattr(handle, "_compress_type", None) == zipfile.ZIP_DEFLATED
    if deflated and getattr(handle, "_decompressor", None) is not None:
        handle._decompressor = isal_zlib.decompressobj(-15)
    return handle


def _last_match(body: bytes):
    for span in (64 * 1024, 1024 * 1024, len(body)):
        found = None
        for found in _CELL_REF.finditer(body, max(0, len(body) - span)):
            pass
        if found is not None or span >= len(body):
            return found
    return None


# --------------------------------------------------------------------------- columns
def _widest(body: bytes, max_col: int) -> int:
    """The widest column of a cell with content in ``body``, or ``max_col`` if none is wider:
    the engine looks only for column letters beyond the widest seen."""
    prefixed = b":c" in body  # <x:c r=...>: the slower pattern that allows a prefix
    pos = 0
    while True:
        found = _wider_than(max(max_col, 26), prefixed).search(body, pos)
        if found is None:
            return max_col
        max_col = max(max_col, col_number(found.group(1)))
        pos = found.start()


@lru_cache(maxsize=256)
def _wider_than(column: int, prefixed: bool = True) -> re.Pattern[bytes]:
    """A cell with content whose column (1-based, beyond Z) is after ``column``."""
    letters = col_letter(column)
    options = []
    for i, ch in enumerate(letters):  # the same letters up to i, a later one at i, any after
        if ch != "Z":
            options.append(re.escape(letters[:i]) + f"[{chr(ord(ch) + 1)}-Z]" + "[A-Z]" * (len(letters) - i - 1))
    if len(letters) < 4:
        options.append(f"[A-Z]{{{len(letters) + 1},4}}")
    wider = "|".join(options) if options else "(?!)"
    # Without a prefix the pattern starts with a literal, which the engine finds fastest.
    return re.compile((rb'<(?:\w+:)?c' if prefixed else rb'<c') + rb' r="(' + wider.encode() + rb')[0-9]{1,8}"[^>/]*>')


# --------------------------------------------------------------------------- formulas
def _formulas(body: bytes, check: SheetCheck, header_row: int) -> None:
    """Formula cells without a cached value, and the count of formulas and of typed numbers:
    cell by cell until the counts settle, then only where a formula may lack its value."""
    done = 0
    prefixed = b":c" in body and _PREFIXED.search(body) is not None
    if prefixed or not check.settled:
        for m in _FORMULA_CELL.finditer(body):
            _cell(m, check, header_row)
            if check.settled and not prefixed:
                done = m.end()
                break
        else:
            return
    out = check.uncached_formulas
    if len(out) >= MAX_UNCACHED:
        return
    for end in _FORMULA_END.finditer(body, done):
        if len(out) >= MAX_UNCACHED:
            return
        if end.start() < done:
            continue
        start = max(body.rfind(b"<c ", done, end.start()), body.rfind(b"<c>", done, end.start()))
        m = _FORMULA_CELL.match(body, start) if start >= 0 else None
        if m is None or m.end() < end.end():  # an unusual layout: walk the cells up to this one
            m = next((c for c in _FORMULA_CELL.finditer(body, done) if c.end() >= end.end()), None)
            if m is None:
                return
        done = m.end()
        _cell(m, check, header_row)


def _cell(m: re.Match[bytes], check: SheetCheck, header_row: int) -> None:
    """One cell: a formula (with or without its cached value) or a typed number."""
    inner = m.group(2)
    if inner is None:
        return
    if b"<f" not in inner:
        kind = _TYPE_ATTR.search(m.group(1))
        if b"<v" in inner and (kind is None or kind.group(1) == b"n"):
            ref = _REF_ATTR.search(m.group(1))
            if ref is None or int(_DIGITS.search(ref.group(1)).group()) > header_row:  # type: ignore[union-attr]
                check.typed_numbers += 1
        return
    text = _FORMULA_TEXT.search(inner)
    if text is not None and not _REFERENCE.search(text.group(1)):
        check.typed_numbers += 1  # a typed constant such as =30*1000 is input, not computed
    else:
        check.formulas += 1
    if _CACHED_VALUE.search(inner) or _INLINE_STRING.search(inner):
        return
    out = check.uncached_formulas
    ref = _REF_ATTR.search(m.group(1))
    if ref and len(out) < MAX_UNCACHED:
        out.append(ref.group(1).decode())


def refuse_extent(path: Path, part: str, rows: int, cols: int) -> None:
    if rows > 1_048_576 or cols > 16_384 or rows * cols > MAX_SHEET_CELLS:
        raise ImportRefused(path, f"{part} asks for {rows:,} rows × {cols:,} columns = {rows * cols:,} cells, "
                                  f"beyond the {MAX_SHEET_CELLS:,} an import reads; refused")
