"""The workbook's cell styles: number formats for money, rates, tokens, percentages and months.

Style indices are fixed (``Style.MONEY`` ...) so the sheet writers can use them as plain ints.
Sheets carried over from a previous file keep their number formats through extra styles
appended after the fixed ones (see ``Styles.carry``).
"""

from __future__ import annotations

from pricing.files.workbook.cells import xml_escape
from pricing.plan.money import excel_money_format


class Style:
    DEFAULT = 0
    HEADER = 1
    TEXT = 2
    COUNT = 3      # tokens, requests: thousands separators
    RATE = 4       # $ per 1M tokens: 2 to 6 decimals
    MONEY = 5      # $ with cents
    PERCENT = 6
    DATE = 7
    MONTH = 8
    NUMBER = 9
    UNIT_COST = 10  # $ per request: up to 8 decimals
    TOTAL = 11     # bold money
    TITLE = 12
    BOOL = 13
    TOTAL_LABEL = 14
    HELPER = 15    # grey italic helper figures


# (numFmtId, fontId, fillId) per fixed style; custom formats get ids from 164 on.
# The money formats (RATE 164, MONEY 165, UNIT_COST 169) come from Babel for the plan's currency
# and locale (``Styles(currency, locale)``): '"$"#,##0.00' for USD in en_US, '#,##0.00\\ "€"' for EUR in de_DE.
MONEY_FORMATS = {164: (2, 6), 165: (2, 2), 169: (2, 8)}
_CUSTOM = {
    166: "0.00##%",
    167: "yyyy-mm-dd",
    168: "mmm yyyy",
    170: "0.##########",
}
_FIXED = [
    (0, 0, 0),      # DEFAULT
    (49, 1, 2),     # HEADER: bold on a light fill, text
    (49, 0, 0),     # TEXT
    (3, 0, 0),      # COUNT  #,##0
    (164, 0, 0),    # RATE
    (165, 0, 0),    # MONEY
    (166, 0, 0),    # PERCENT
    (167, 0, 0),    # DATE
    (168, 0, 0),    # MONTH
    (170, 0, 0),    # NUMBER
    (169, 0, 0),    # UNIT_COST
    (165, 1, 0),    # TOTAL
    (0, 2, 0),      # TITLE
    (0, 0, 0),      # BOOL
    (0, 1, 0),      # TOTAL_LABEL
    (170, 3, 0),    # HELPER
]


def money_formats(currency: str = "USD", locale: str | None = None) -> dict[int, str]:
    return {i: excel_money_format(currency, locale, lo, hi) for i, (lo, hi) in MONEY_FORMATS.items()}


class Styles:
    def __init__(self, currency: str = "USD", locale: str | None = None) -> None:
        self.formats = dict(sorted((_CUSTOM | money_formats(currency, locale)).items()))
        self.extra: list[int] = []  # numFmtIds of styles appended for carried-over sheets
        self._by_code = {code: i for i, code in self.formats.items()}

    def carry(self, code: str | None, builtin_id: int) -> int:
        """A style index showing a carried-over cell with number format ``code`` (or a built-in id)."""
        if code is not None:
            fmt_id = self._by_code.get(code)
            if fmt_id is None:
                fmt_id = max(self.formats) + 1
                self.formats[fmt_id] = code
                self._by_code[code] = fmt_id
        else:
            fmt_id = builtin_id
        if fmt_id == 0:
            return Style.DEFAULT
        if fmt_id in self.extra:
            return len(_FIXED) + self.extra.index(fmt_id)
        self.extra.append(fmt_id)
        return len(_FIXED) + len(self.extra) - 1

    def xml(self) -> bytes:
        fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{xml_escape(c)}"/>' for i, c in sorted(self.formats.items()))
        xfs = []
        for fmt, font, fill in _FIXED + [(f, 0, 0) for f in self.extra]:
            apply = ' applyNumberFormat="1"' if fmt else ""
            apply += ' applyFont="1"' if font else ""
            apply += ' applyFill="1"' if fill else ""
            xfs.append(f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"{apply}/>')
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<numFmts count="{len(self.formats)}">{fmts}</numFmts>'
            '<fonts count="4">'
            '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
            '<font><i/><sz val="11"/><color rgb="FF808080"/><name val="Calibri"/><family val="2"/></font>'
            '</fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>'
            '</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>'
        ).encode("utf-8")
