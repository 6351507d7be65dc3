"""A file that is not what its name says: text saved under a workbook's name.

A Markdown table copied from a wiki, or tab-separated text, saved as ``budget.xlsx`` is read
as the text table it is (pipe or tab separated; Markdown's ``|---|`` rule and ``**bold**``
marks dropped); text with no table in it is refused saying the file is text.
"""

from __future__ import annotations

import re
from pathlib import Path

from pricing.files.safety import MAX_COLS, MAX_ROWS, ImportRefused
from pricing.importer.sheets import SheetData, SourceData, _from_decimal_comma, decimal_comma, sniff_encoding

_HEAD = 64 * 1024
#: Largest text file read this way (a pasted table, not a data dump).
MAX_TEXT_BYTES = 20 * 1024 * 1024
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cells(line: str, separator: str) -> list[object]:
    if separator == "|":
        text = line.strip()
        if text.startswith("|"):
            text = text[1:]
        if text.endswith("|") and not text.endswith("\\|"):
            text = text[:-1]
        parts = re.split(r"(?<!\\)\|", text)
    else:
        parts = line.rstrip("\r\n").split("\t")
    return [re.sub(r"^\*\*(.*)\*\*$|^__(.*)__$", lambda m: m.group(1) or m.group(2) or "", p.strip()).replace("\\|", "|")
            for p in parts][:MAX_COLS]


def read_disguised_text(path: Path) -> SourceData:
    """Read a text file named like a workbook as its text table, or refuse it saying it is text."""
    suffix = path.suffix.lower() or "workbook"
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise ImportRefused(path, f"not a spreadsheet: the file is text, not a {suffix} workbook, and too large "
                                  "to read as a text table")
    data = path.read_bytes()
    encoding = sniff_encoding(data[:_HEAD])
    lines = data.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()
    piped = [n for n, line in enumerate(lines) if line.count("|") >= 2]
    tabbed = [n for n, line in enumerate(lines) if line.count("\t") >= 1]
    first = next((line.strip() for line in lines if line.strip()), "")[:80]
    if len(piped) < 2 and len(tabbed) < 2:
        raise ImportRefused(path, f"not a spreadsheet: the file is text, not a {suffix} workbook, and holds no table "
                                  f"(pipe or tab separated) to read (it begins {first!r}); save it from a "
                                  "spreadsheet as .xlsx or .csv")
    separator, used = ("|", piped) if len(piped) >= len(tabbed) else ("\t", tabbed)
    rows: list[list[object]] = []
    keep = set(used)
    rules = 0
    for n, line in enumerate(lines[:MAX_ROWS]):
        if n in keep and separator == "|" and _RULE.match(line):
            rules += 1
            rows.append([])
            continue
        if n in keep:
            rows.append(_cells(line, separator))
        else:
            text = line.strip().lstrip("#").strip()
            rows.append([text] if text else [])
    markdown = separator == "|" and rules > 0
    kind = "a Markdown table" if markdown else ("a bar-separated text table" if separator == "|" else
                                                "a tab-separated text table")
    notes = [f"the file is named {suffix} but holds text, not a workbook: read as {kind} "
             f"({len(used)} line(s) of cells, {encoding.replace('-sig', ' with BOM').upper()})"]
    if markdown:
        notes.append("Markdown's header rule (|---|) and **bold** marks are not cells: dropped")
    if decimal_comma(rows):
        rows = [[_from_decimal_comma(v) for v in row] for row in rows]
        notes.append("numbers read with ',' as the decimal mark and '.' between thousands")
    return SourceData(path, "text", [SheetData(path.stem, rows)], notes)
