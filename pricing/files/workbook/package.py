"""The .xlsx package: zip parts, relationships, content types, sheets streamed row by row.

Each sheet is written straight into its deflated zip entry, so a 100,000-row sheet never
sits in memory as XML.  Tables, drawings and charts are small parts written whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pricing.files.workbook.cells import Row, StringTable, xml_escape
from pricing.files.workbook.parts import PartWriter
from pricing.files.workbook.styles import Styles
from pricing.yielding import EVERY, give_way

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_SHEET = NS_REL + "/worksheet"
REL_TABLE = NS_REL + "/table"
REL_DRAWING = NS_REL + "/drawing"
REL_CHART = NS_REL + "/chart"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass
class Validation:
    sqref: str
    formula: str  # a quoted list ("a,b") or a range
    prompt: str = ""


@dataclass
class SheetSpec:
    name: str
    dimension: str = "A1"
    frozen_rows: int = 0
    frozen_cols: int = 0
    widths: list[float] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    tables: list[bytes] = field(default_factory=list)
    drawing: bytes | None = None
    charts: list[bytes] = field(default_factory=list)
    hidden: bool = False
    tab_color: str | None = None
    #: Print on one page (the Summary); otherwise one page wide and as many tall as it needs.
    print_one_page: bool = False
    #: Rows below the last data row the print area takes in too (the Summary's charts).
    print_extra_rows: int = 0


#: Column width (Excel's character units) a bold header of ``n`` characters needs, with a table's
#: filter button beside it.
def header_width(text: str) -> float:
    return round(len(text) * 1.2 + 3.5, 1)


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class Package:
    def __init__(self, zf: PartWriter, strings: StringTable | None = None, currency: str = "USD",
                 locale: str | None = None) -> None:
        #: Where the parts go: a zip file's writer thread (pricing.files.workbook.parts).
        self.zf = zf
        self.strings = strings or StringTable()
        self.styles = Styles(currency, locale)
        self.sheets: list[tuple[str, str, bool]] = []  # (name, part, hidden)
        self.overrides: dict[str, str] = {}
        self._tables = 0
        self._drawings = 0
        self._charts = 0
        #: (sheet index, print area, print titles) of every sheet written here.
        self.print_names: list[tuple[int, str, str | None]] = []

    def next_sheet_part(self) -> str:
        return f"xl/worksheets/sheet{len(self.sheets) + 1}.xml"

    def sheet(self, spec: SheetSpec) -> SheetStream:
        part = self.next_sheet_part()
        if not spec.hidden:
            self.print_names.append((len(self.sheets), _print_area(spec), _print_titles(spec)))
        self.sheets.append((spec.name, part, spec.hidden))
        self.overrides["/" + part] = CT_SHEET
        rels: list[tuple[str, str, str]] = []
        table_ids = []
        for body in spec.tables:
            self._tables += 1
            n = self._tables
            self.zf.writestr(f"xl/tables/table{n}.xml", body.replace(b'id="0"', f'id="{n}"'.encode(), 1))
            self.overrides[f"/xl/tables/table{n}.xml"] = CT_TABLE
            rid = f"rId{len(rels) + 1}"
            rels.append((rid, REL_TABLE, f"../tables/table{n}.xml"))
            table_ids.append(rid)
        drawing_rid = None
        if spec.drawing is not None:
            self._drawings += 1
            d = self._drawings
            drawing_rels = []
            for i, chart in enumerate(spec.charts, start=1):
                self._charts += 1
                c = self._charts
                self.zf.writestr(f"xl/charts/chart{c}.xml", chart)
                self.overrides[f"/xl/charts/chart{c}.xml"] = CT_CHART
                drawing_rels.append((f"rId{i}", REL_CHART, f"../charts/chart{c}.xml"))
            self.zf.writestr(f"xl/drawings/drawing{d}.xml", spec.drawing)
            self.zf.writestr(f"xl/drawings/_rels/drawing{d}.xml.rels", rels_xml(drawing_rels))
            self.overrides[f"/xl/drawings/drawing{d}.xml"] = CT_DRAWING
            drawing_rid = f"rId{len(rels) + 1}"
            rels.append((drawing_rid, REL_DRAWING, f"../drawings/drawing{d}.xml"))
        if rels:
            name = part.rsplit("/", 1)[1]
            self.zf.writestr(f"xl/worksheets/_rels/{name}.rels", rels_xml(rels))
        return SheetStream(self, part, spec, table_ids, drawing_rid)

    def raw_sheet(self, name: str, body: bytes, hidden: bool = False) -> None:
        """A sheet carried over from a previous file, as finished XML."""
        part = self.next_sheet_part()
        self.sheets.append((name, part, hidden))
        self.overrides["/" + part] = CT_SHEET
        self.zf.writestr(part, body)

    def _defined_names(self) -> str:
        names = []
        for i, area, titles in self.print_names:
            names.append(f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">{xml_escape(area)}</definedName>')
            if titles:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{xml_escape(titles)}</definedName>')
        return f"<definedNames>{''.join(names)}</definedNames>" if names else ""

    def finish(self, active: int = 0) -> None:
        zf = self.zf
        strings = zf.open("xl/sharedStrings.xml")  # in pieces: no one C call over the whole table
        for piece in self.strings.xml_pieces():
            give_way()
            strings.write(piece)
        strings.close()
        zf.writestr("xl/styles.xml", self.styles.xml())
        sheets = "".join(
            f'<sheet name="{xml_escape(name)}" sheetId="{i}"{" state=" + chr(34) + "hidden" + chr(34) if hidden else ""} r:id="rId{i}"/>'
            for i, (name, _part, hidden) in enumerate(self.sheets, start=1)
        )
        zf.writestr(
            "xl/workbook.xml",
            XML_HEAD + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><workbookPr/>'
            f'<bookViews><workbookView activeTab="{active}"/></bookViews><sheets>{sheets}</sheets>'
            f'{self._defined_names()}<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>',
        )
        rels = [(f"rId{i}", REL_SHEET, part.removeprefix("xl/")) for i, (_n, part, _h) in enumerate(self.sheets, 1)]
        n = len(rels)
        rels.append((f"rId{n + 1}", NS_REL + "/styles", "styles.xml"))
        rels.append((f"rId{n + 2}", NS_REL + "/sharedStrings", "sharedStrings.xml"))
        zf.writestr("xl/_rels/workbook.xml.rels", rels_xml(rels))
        zf.writestr(
            "_rels/.rels",
            rels_xml([
                ("rId1", NS_REL + "/officeDocument", "xl/workbook.xml"),
                ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                 "docProps/core.xml"),
                ("rId3", NS_REL + "/extended-properties", "docProps/app.xml"),
            ]),
        )
        zf.writestr(
            "docProps/core.xml",
            XML_HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Token Budget</dc:creator></cp:coreProperties>',
        )
        zf.writestr(
            "docProps/app.xml",
            XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Token Budget</Application></Properties>",
        )
        overrides = dict(self.overrides)
        overrides["/xl/workbook.xml"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        overrides["/xl/styles.xml"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
        overrides["/xl/sharedStrings.xml"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
        overrides["/docProps/core.xml"] = "application/vnd.openxmlformats-package.core-properties+xml"
        overrides["/docProps/app.xml"] = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
        body = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
        zf.writestr(
            "[Content_Types].xml",
            XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + body + "</Types>",
        )


def _print_area(spec: SheetSpec) -> str:
    first, _, last = spec.dimension.partition(":")
    last = last or first
    col = "".join(ch for ch in last if ch.isalpha())
    row = int("".join(ch for ch in last if ch.isdigit()) or 1) + spec.print_extra_rows
    return f"{_quoted(spec.name)}!$A$1:${col}${row}"


def _print_titles(spec: SheetSpec) -> str | None:
    """The header rows, repeated at the top of every printed page."""
    return f"{_quoted(spec.name)}!$1:${spec.frozen_rows}" if spec.frozen_rows else None


def rels_xml(rels: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{xml_escape(target)}"/>' for i, t, target in rels)
    return XML_HEAD + f'<Relationships xmlns="{NS_PKG_REL}">{body}</Relationships>'


_HEADER_CELL = re.compile(r'<c r="([A-Z]+)\d+" s="1" t="s"><v>(\d+)</v></c>')  # Style.HEADER text


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class SheetStream:
    """Write rows of one sheet into its zip entry; use as a context manager."""

    #: Rows joined and written at a time (a multiple of ``EVERY``).  Joining and encoding them is one
    #: C call that keeps the interpreter lock: at 2,048 rows (~3 MB of a Projection sheet) a window's
    #: GUI thread waited 149-225 ms for it in slow hours (named by the desktop benchmark's stack
    #: dump); at 256 the save takes as long (8.5-10.3 s against 8.8-11.1 s, alternated).
    FLUSH_EVERY = 8 * EVERY

    def __init__(self, package: Package, part: str, spec: SheetSpec, table_rids: list[str], drawing_rid: str | None):
        self.package = package
        self.part = part
        self.spec = spec
        self.table_rids = table_rids
        self.drawing_rid = drawing_rid
        self._buffer: list[str] = []
        self._handle = None
        #: Until the first row below the header rows, rows wait here: the column widths
        #: (written before the rows) are widened to fit the header texts.
        self._waiting: list[Row | str] | None = []
        self._header_rows = max(spec.frozen_rows, 1)
        self._header_texts: dict[str, int] = {}

    def __enter__(self) -> SheetStream:
        self._handle = self.package.zf.open(self.part)
        return self

    def _start(self) -> None:
        """Write the sheet's head, with column widths fitting the header texts, then the waiting rows."""
        spec = self.spec
        waiting, self._waiting = self._waiting or [], None
        widths = list(spec.widths)
        if self._header_texts:
            ids = set(self._header_texts.values())
            wanted = {i: t for t, i in self.package.strings.index.items() if i in ids}
            for letters, i in self._header_texts.items():
                col = _col_number(letters)
                need = header_width(wanted.get(i, ""))
                if col > len(widths):
                    widths += [0] * (col - len(widths))
                widths[col - 1] = max(widths[col - 1] or 0, need)
        head = [XML_HEAD, f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">']
        tab = f'<tabColor rgb="{spec.tab_color}"/>' if spec.tab_color else ""
        head.append(f'<sheetPr>{tab}<pageSetUpPr fitToPage="1"/></sheetPr>')
        head.append(f'<dimension ref="{spec.dimension}"/>')
        head.append("<sheetViews><sheetView workbookViewId=\"0\">")
        if spec.frozen_rows or spec.frozen_cols:
            from pricing.files.workbook.cells import ref

            top_left = ref(spec.frozen_cols + 1, spec.frozen_rows + 1)
            pane = "bottomRight" if spec.frozen_rows and spec.frozen_cols else ("bottomLeft" if spec.frozen_rows else "topRight")
            split = (f' xSplit="{spec.frozen_cols}"' if spec.frozen_cols else "") + (
                f' ySplit="{spec.frozen_rows}"' if spec.frozen_rows else "")
            head.append(f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                        f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>')
        head.append("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
        if any(widths):
            head.append("<cols>")
            head.extend(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1) if w)
            head.append("</cols>")
        head.append("<sheetData>")
        self._handle.write("".join(head).encode("utf-8"))
        for row in waiting:
            self._buffer.append(row if isinstance(row, str) else row.xml())

    def row(self, r: int) -> Row:
        return Row(r, self.package.strings)

    def write(self, row: Row | str) -> None:
        if self._waiting is not None:
            if isinstance(row, Row) and row.r <= self._header_rows:
                for cell in row.cells:
                    found = _HEADER_CELL.match(cell)
                    if found:
                        self._header_texts[found.group(1)] = int(found.group(2))
                self._waiting.append(row)
                return
            self._start()
        buffer = self._buffer
        buffer.append(row if isinstance(row, str) else row.xml())
        if not len(buffer) % EVERY:  # a window's paint goes first (pricing.yielding): a save runs on a worker
            give_way()
            if len(buffer) >= self.FLUSH_EVERY:
                self.flush()

    def flush(self) -> None:
        if self._waiting is not None:
            return
        if self._buffer:
            self._handle.write("".join(self._buffer).encode("utf-8"))
            self._buffer.clear()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._handle.close()
            return
        if self._waiting is not None:
            self._start()
        self.flush()
        tail = ["</sheetData>"]
        spec = self.spec
        if spec.validations:
            tail.append(f'<dataValidations count="{len(spec.validations)}">')
            for v in spec.validations:
                prompt = f' showInputMessage="1" prompt="{xml_escape(v.prompt)}"' if v.prompt else ""
                tail.append(f'<dataValidation type="list" allowBlank="1" showErrorMessage="1"{prompt} sqref="{v.sqref}">'
                            f"<formula1>{xml_escape(v.formula)}</formula1></dataValidation>")
            tail.append("</dataValidations>")
        tail.append('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>')
        tail.append(f'<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="{1 if spec.print_one_page else 0}"/>')
        tail.append('<headerFooter><oddHeader>&amp;L&amp;A</oddHeader><oddFooter>&amp;LToken Budget&amp;RPage &amp;P of &amp;N</oddFooter></headerFooter>')
        if self.drawing_rid:
            tail.append(f'<drawing r:id="{self.drawing_rid}"/>')
        if self.table_rids:
            tail.append(f'<tableParts count="{len(self.table_rids)}">')
            tail.extend(f'<tablePart r:id="{rid}"/>' for rid in self.table_rids)
            tail.append("</tableParts>")
        tail.append("</worksheet>")
        self._handle.write("".join(tail).encode("utf-8"))
        self._handle.close()


def table_xml(name: str, ref: str, headers: list[str]) -> bytes:
    """An Excel table over ``ref`` (header row + data); its id is set when the part is written."""
    cols = "".join(f'<tableColumn id="{i}" name="{xml_escape(h)}"/>' for i, h in enumerate(headers, 1))
    return (
        XML_HEAD + f'<table xmlns="{NS_MAIN}" id="0" name="{name}" displayName="{name}" ref="{ref}" totalsRowShown="0">'
        f'<autoFilter ref="{ref}"/><tableColumns count="{len(headers)}">{cols}</tableColumns>'
        '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" '
        'showColumnStripes="0"/></table>'
    ).encode("utf-8")
