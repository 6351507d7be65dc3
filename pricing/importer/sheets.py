"""The cells read from a source (each sheet's values and where they sit), and how the cells
of a text file are decoded: its encoding, its delimiter, and numbers written with a decimal comma."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


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


@lru_cache(maxsize=1024)
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


# --------------------------------------------------------------------------- text cells
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
