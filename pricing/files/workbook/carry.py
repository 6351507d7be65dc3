"""Sheets a user added to a plan workbook, carried into the next save.

What is kept: each extra sheet's cells (values, formulas, text), its number formats, column
widths, merged cells, frozen panes and data validations; its position after the plan's own
sheets; hidden state.  What is not: anything a sheet reaches through relationships
(charts, pictures, comments, tables, external hyperlinks), fonts, fills and borders, and
workbook-level defined names.  Shared-string indices stay valid because the old string
table is kept, entry for entry, at the start of the new one.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from pricing.files.workbook.layout import OWN_SHEETS
from pricing.files.workbook.styles import Styles

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SI = re.compile(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si/>", re.S)
_CELL_STYLE = re.compile(r'(<(?:c|row)\b[^>]*?\ss=")(\d+)(")')
_COL_STYLE = re.compile(r'(<col\b[^>]*?\sstyle=")(\d+)(")')
_WITH_REL = re.compile(
    r"<(drawing|legacyDrawing|legacyDrawingHF|picture|tableParts|oleObjects|controls|hyperlinks)\b.*?(?:/>|</\1>)", re.S)


@dataclass
class Carried:
    strings: list[str] = field(default_factory=list)  # raw <si> bodies
    sheets: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, xml text, hidden)
    formats: dict[int, str] = field(default_factory=dict)
    xf_formats: list[int] = field(default_factory=list)

    def restyle(self, xml: str, styles: Styles) -> str:
        mapping: dict[int, int] = {}

        def new_index(old: int) -> int:
            if old not in mapping:
                fmt = self.xf_formats[old] if old < len(self.xf_formats) else 0
                mapping[old] = styles.carry(self.formats.get(fmt), fmt if fmt < 164 else 0)
            return mapping[old]

        xml = _CELL_STYLE.sub(lambda m: f"{m.group(1)}{new_index(int(m.group(2)))}{m.group(3)}", xml)
        return _COL_STYLE.sub(lambda m: f"{m.group(1)}{new_index(int(m.group(2)))}{m.group(3)}", xml)


def extra_sheets(path: Path) -> Carried | None:
    """The sheets of the workbook at ``path`` that are not the plan's own; None if it is no workbook."""
    try:
        with zipfile.ZipFile(path) as zf:
            return _read(zf)
    except (OSError, zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError):
        return None


def _read(zf: zipfile.ZipFile) -> Carried:
    names = set(zf.namelist())
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("p:Relationship", _NS)}
    out = Carried()
    own = {s.lower() for s in OWN_SHEETS}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        name = sheet.get("name", "")
        if name.lower() in own:
            continue
        target = targets.get(sheet.get(_R_ID), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part not in names:
            continue
        xml = zf.read(part).decode("utf-8")
        xml = _WITH_REL.sub("", xml).replace(' tabSelected="1"', "")
        out.sheets.append((name, xml, sheet.get("state", "visible") != "visible"))
    if not out.sheets:
        return out
    if "xl/sharedStrings.xml" in names:
        out.strings = [(m.group(1) or b"").decode("utf-8") for m in _SI.finditer(zf.read("xl/sharedStrings.xml"))]
    style_part = next((n for n in ("xl/styles.xml",) if n in names), None)
    if style_part:
        styles = ElementTree.fromstring(zf.read(style_part))
        for fmt in styles.findall("m:numFmts/m:numFmt", _NS):
            out.formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "General")
        out.xf_formats = [int(xf.get("numFmtId", "0")) for xf in styles.findall("m:cellXfs/m:xf", _NS)]
    return out
