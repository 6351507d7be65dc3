"""Checks a file must pass before any spreadsheet reader touches it (an import or opening a plan).

Everything here reads the file's own structure cheaply and with bounded memory: magic
bytes, the zip central directory (declared sizes and compression ratios), the prolog of
each XML part (a DOCTYPE can declare entity bombs; OOXML and ODF never need one), the
cell references of each worksheet (a sheet asking for billions of cells is refused
before anything allocates them), and the markers of encryption.  A file that fails is
refused whole with :class:`ImportRefused`, whose message names the file and the reason.
The source file is only ever opened for reading.  The scan of the worksheets' cells, the
one check that reads every cell, may run beside a reader process already bounded in memory
and time (``check_file(..., scan_cells=False)`` then :func:`scan_sheet_cells`): a sheet it
refuses is refused the same, and the reader is stopped.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from pricing.files.errors import ImportRefused
from pricing.files.sheet_scan import SheetCheck, scan_sheet


class ImportCancelled(Exception):
    """The user stopped an import (its ``cancel`` callable answered True); nothing was changed."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        super().__init__(f"{self.path.name}: import cancelled; nothing was changed")


def check_cancel(cancel, path: Path | str) -> None:
    """Raise :class:`ImportCancelled` when ``cancel`` (a callable or None) says so."""
    if cancel is not None and cancel():
        raise ImportCancelled(path)


# Limits: generous for real budgets, far below what would hurt the machine.
MAX_WORKBOOK_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_PART_BYTES = 300 * 1024 * 1024        # one decompressed XML part
MAX_TOTAL_BYTES = 600 * 1024 * 1024       # all decompressed parts together
MAX_RATIO = 200                           # declared uncompressed / compressed, parts over 1 MB
MAX_ROWS = 200_000                        # data rows read per sheet or CSV (more: the file is refused whole)
MAX_COLS = 256                            # columns read per sheet

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}


@dataclass
class FileCheck:
    path: Path
    kind: str  # "ooxml", "xlsb", "ods", "ole", "text", "disguised-text" (text named like a workbook)
    #: Sheet name -> what the worksheet part declares (OOXML only).
    sheets: dict[str, SheetCheck] = field(default_factory=dict)
    #: The worksheet parts whose cells are still to be scanned (``check_file(..., scan_cells=False)``).
    unscanned: set[str] = field(default_factory=set)


def check_file(path: Path | str, sheets: Collection[str] | None = None, *, scan_cells: bool = True) -> FileCheck:
    """Refuse a hostile or broken file, or say what kind of spreadsheet it is.

    ``sheets`` names the only worksheets the reader will open (a plan's input sheets); the
    other worksheet parts are never unpacked, so only their compression ratio is checked,
    and they count towards no size limit.  ``None``: every sheet is read.

    ``scan_cells=False`` leaves out the one slow check, the scan of each worksheet's cells
    (extent, formulas without a cached value): :func:`scan_sheet_cells` does it later, e.g. while a
    bounded reader process reads the file (the package checks, declared sizes and compression
    ratios included, are all done before any reader starts).
    """
    path = Path(path)
    if not path.exists():
        raise ImportRefused(path, "no such file")
    if not path.is_file():
        raise ImportRefused(path, "not a file")
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if size == 0:
        raise ImportRefused(path, "the file is empty")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if suffix in TEXT_SUFFIXES:
        if head.startswith(OLE_MAGIC) or head.startswith(ZIP_MAGICS):
            raise ImportRefused(path, "named .csv but holds a binary spreadsheet; save it with its real extension")
        return FileCheck(path, "text")
    if size > MAX_WORKBOOK_BYTES:
        raise ImportRefused(path, f"the workbook is {size / 1e6:,.0f} MB, more than the "
                                  f"{MAX_WORKBOOK_BYTES // 2**20} MB an import reads")
    if head.startswith(OLE_MAGIC):
        _check_ole(path)
        return FileCheck(path, "ole")
    if head.startswith(ZIP_MAGICS):
        check = _check_zip(path, sheets)
        if scan_cells:
            scan_sheet_cells(check)
        return check
    if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        raise ImportRefused(path, "an HTML or XML file, not a spreadsheet (open it in Excel and save as .xlsx)")
    if suffix in WORKBOOK_SUFFIXES:
        with open(path, "rb") as handle:
            if looks_like_text(handle.read(64 * 1024)):
                return FileCheck(path, "disguised-text")  # read as the text table it holds, or refused as text
        raise ImportRefused(path, f"not a spreadsheet: the content is not a {suffix} workbook")
    raise ImportRefused(path, "not a spreadsheet (.xlsx, .xlsm, .xls, .xlsb, .ods, .csv or .tsv)")


def looks_like_text(head: bytes) -> bool:
    """Whether a file's first bytes are text (UTF-8 or UTF-16 with its mark, nearly all printable),
    not a binary workbook: a Markdown table saved under a workbook's name."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in head:
        return False
    else:
        encoding = "utf-8-sig"
    try:
        text = head.decode(encoding, errors="strict")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the head
            return False
        text = head[:exc.start].decode(encoding, errors="strict")
    if not text.strip():
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return printable >= len(text) * 0.98


# --------------------------------------------------------------------------- OLE2 (.xls, encrypted OOXML)
def _check_ole(path: Path) -> None:
    """Refuse encrypted files: OOXML saved with a password is an OLE2 container holding
    'EncryptionInfo' and 'EncryptedPackage' streams (.xls with a password is caught by the
    reader's FILEPASS check)."""
    data = path.read_bytes()  # bounded by MAX_WORKBOOK_BYTES
    if len(data) < 512:
        raise ImportRefused(path, "truncated: too small to be an .xls workbook")
    for name in ("EncryptionInfo", "EncryptedPackage"):
        if name.encode("utf-16-le") in data and _ole_has_stream(data, name):
            raise ImportRefused(path, "the workbook is password-protected (encrypted); "
                                      "remove the password in Excel and import it again")


def _ole_has_stream(data: bytes, name: str) -> bool:
    """True when a 128-byte directory entry of the compound file is named ``name``."""
    wanted = name.encode("utf-16-le")
    start = 0
    while True:
        index = data.find(wanted, start)
        if index < 0:
            return False
        if (index - 512) % 128 == 0 and index + 66 <= len(data):
            (length,) = struct.unpack_from("<H", data, index + 64)
            if length == len(wanted) + 2:
                return True
        start = index + 1


# --------------------------------------------------------------------------- zip (.xlsx, .xlsm, .xlsb, .ods)
def _check_zip(path: Path, sheets: Collection[str] | None = None) -> FileCheck:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportRefused(path, f"corrupt or truncated zip package ({exc})") from None
    except (OSError, ValueError, EOFError) as exc:
        raise ImportRefused(path, f"corrupt or truncated zip package ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ImportRefused(path, f"the package holds {len(infos):,} parts; a workbook has far fewer")
        skipped = _unread_sheet_parts(path, archive, sheets)
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ImportRefused(path, f"part {info.filename} is encrypted; remove the password and import again")
            if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ImportRefused(path, f"part {info.filename} is compressed {info.file_size // max(info.compress_size, 1):,} "
                                          "to 1, as zip bombs are; refused")
            if info.filename in skipped:
                continue
            total += info.file_size
            if info.file_size > MAX_PART_BYTES:
                raise ImportRefused(path, f"part {info.filename} would unpack to {info.file_size / 1e6:,.0f} MB "
                                          "(a zip bomb or a workbook too large to import)")
        if total > MAX_TOTAL_BYTES:
            raise ImportRefused(path, f"the package would unpack to {total / 1e6:,.0f} MB (a zip bomb?); refused")
        names = {i.filename for i in infos}
        if "mimetype" in names or "content.xml" in names:
            return _check_ods(path, archive, names)
        if "[Content_Types].xml" not in names:
            raise ImportRefused(path, "a zip file, but not a spreadsheet package (no [Content_Types].xml)")
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _check_prolog(path, archive, info)
        if any(n.lower().endswith(".bin") and n.startswith("xl/worksheets/") for n in names):
            return FileCheck(path, "xlsb")
        return FileCheck(path, "ooxml", unscanned=names - skipped)


def scan_sheet_cells(check: FileCheck) -> None:
    """Scan the cells of the worksheets ``check`` left unscanned: refuse a sheet asking for absurd
    dimensions, and note each sheet's extent and formulas without a cached value."""
    if not check.unscanned:
        return
    path = check.path
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused(path, f"corrupt or truncated zip package ({exc})") from None
    with archive:
        check.sheets = _check_ooxml_sheets(path, archive, check.unscanned)
    check.unscanned = set()


def _unread_sheet_parts(path: Path, archive: zipfile.ZipFile, sheets: Collection[str] | None) -> set[str]:
    """The worksheet parts of an OOXML package whose sheet is not among ``sheets``."""
    if sheets is None:
        return set()
    names = {i.filename for i in archive.infolist()}
    parts = _sheet_parts(path, archive, names)
    wanted = set(sheets)
    return {part for part, name in parts.items() if name not in wanted}


def _check_ods(path: Path, archive: zipfile.ZipFile, names: set[str]) -> FileCheck:
    if "content.xml" not in names:
        raise ImportRefused(path, "a zip file, but not an OpenDocument spreadsheet (no content.xml)")
    if "META-INF/manifest.xml" in names:
        manifest = _read_part(path, archive, "META-INF/manifest.xml", 4 * 1024 * 1024)
        if b"encryption-data" in manifest:
            raise ImportRefused(path, "the spreadsheet is password-protected (encrypted); "
                                      "remove the password and import it again")
    for info in archive.infolist():
        if info.filename.endswith(".xml"):
            _check_prolog(path, archive, info)
    return FileCheck(path, "ods")


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _check_prolog(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE (and so any entity declaration) before the root element."""
    try:
        with archive.open(info) as part:
            head = part.read(64 * 1024)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ImportRefused(path, f"corrupt package part {info.filename} ({exc})") from None
    except RuntimeError as exc:  # encrypted member
        raise ImportRefused(path, f"part {info.filename} cannot be read ({exc})") from None
    root = _first_element(head)
    if root < 0 and len(head) >= 64 * 1024 and not _DOCTYPE.search(head):
        raise ImportRefused(path, f"part {info.filename} has no root element in its first 64 KB; refused")
    prolog = head if root < 0 else head[:root]
    if _DOCTYPE.search(prolog):
        raise ImportRefused(path, f"part {info.filename} declares a DOCTYPE/entities (an XML entity bomb?); refused")


def _first_element(head: bytes) -> int:
    """Offset of the root element's '<' (skipping the XML declaration, comments, PIs)."""
    i = 0
    while True:
        i = head.find(b"<", i)
        if i < 0 or i + 1 >= len(head):
            return -1
        nxt = head[i + 1 : i + 2]
        if nxt == b"?":
            i = head.find(b"?>", i)
        elif head.startswith(b"<!--", i):
            i = head.find(b"-->", i)
        elif nxt == b"!":
            return -1  # a DOCTYPE (or other declaration): the whole head is prolog
        else:
            return i
        if i < 0:
            return -1
        i += 1


def _read_part(path: Path, archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as part:
            data = part.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise ImportRefused(path, f"corrupt package part {name} ({exc})") from None
    if len(data) > limit:
        raise ImportRefused(path, f"part {name} is larger than a workbook needs; refused")
    return data


_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_parts(path: Path, archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Worksheet part -> sheet name, from the workbook part and its relationships."""
    try:
        book = SafeET.fromstring(_read_part(path, archive, "xl/workbook.xml", 16 * 1024 * 1024)) \
            if "xl/workbook.xml" in names else None
        rels = SafeET.fromstring(_read_part(path, archive, "xl/_rels/workbook.xml.rels", 16 * 1024 * 1024)) \
            if "xl/_rels/workbook.xml.rels" in names else None
    except ImportRefused:
        raise
    except Exception as exc:  # defusedxml refusals and malformed XML alike
        raise ImportRefused(path, f"the workbook's sheet list cannot be read ({type(exc).__name__}: {exc})") from None
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels:
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id", "")] = target
    named: dict[str, str] = {}
    if book is not None:
        for element in book.iter():
            if element.tag.endswith("}sheet") or element.tag == "sheet":
                named[targets.get(element.get(_REL_NS + "id", ""), "")] = element.get("name", "")
    return named


def _check_ooxml_sheets(path: Path, archive: zipfile.ZipFile, names: set[str]) -> dict[str, SheetCheck]:
    """Sheet name -> declared extent and uncached formulas, refusing absurd dimensions."""
    named = _sheet_parts(path, archive, names)
    sheets: dict[str, SheetCheck] = {}
    for name in sorted(names):
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and "/_rels/" not in name:
            sheet = scan_sheet(path, archive, name)
            sheets[named.get(name, name)] = sheet
    return sheets
