"""Cell values into plan values, with a finding for every cell that will not go.

Numbers come back from the file as doubles; a Decimal the writer could not store exactly is
restored from the hidden TokenBudget sheet, provided the cell still holds the same double
(an edited cell is taken as typed).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import ValidationError

from pricing.plan.findings import Finding, Severity
from pricing.plan.models import DeploymentMode
from pricing.plan.months import parse_month
from pricing.plan.numbers import parse_number
from pricing.files.workbook import layout as L
from pricing.files.workbook.cells import col_letter, from_serial
from pricing.files.workbook.sheetdata import Sheet
from pricing.plan.money import D

_TRUE = {"true", "yes", "y", "1", "x", "✓"}
_FALSE = {"false", "no", "n", "0", ""}


class Cells:
    def __init__(self, sheets: dict[str, Sheet], file: str):
        """``sheets``: the raw values of the input sheets the workbook has (``sheetdata``)."""
        self.sheets = sheets
        self.file = file
        self.findings: list[Finding] = []
        self.exact: dict[tuple[str, str], str] = {}
        if L.META in sheets:
            for _r, row in self.rows(L.META)[3:]:
                if len(row) >= 3 and all(isinstance(v, str) and v for v in row[:3]):
                    self.exact[(row[0], row[1])] = row[2]

    def rows(self, sheet: str) -> list[tuple[int, list]]:
        """(Excel row number, values from column A) of every row of ``sheet``."""
        return [(r, row) for r, row in enumerate(self.sheets[sheet].rows(), start=1)]

    def _exact_rows(self) -> dict[tuple[str, str], set[int]]:
        """The row numbers of the cells with an exact text, per (sheet, column letters)."""
        if getattr(self, "_exact_by_column", None) is None:
            found: dict[tuple[str, str], set[int]] = {}
            for sheet, cell in self.exact:
                letters = cell.rstrip("0123456789")
                if letters and cell[len(letters):].isdigit():
                    found.setdefault((sheet, letters), set()).add(int(cell[len(letters):]))
            self._exact_by_column = found
        return self._exact_by_column

    def convert_column(self, sheet: str, j: int, raw: list, kind: str, field: str,
                       first: int = 2) -> tuple[list, dict[int, list[Finding]], list]:
        """``convert`` of each cell of column ``j`` (0-based) from Excel row ``first`` down; the
        findings about its cells by row number, taken out of ``findings`` for the caller to place;
        and the objects the column holds, each at least once (its distinct values).

        A value converts the same wherever it stands unless its cell has an exact text on the
        TokenBudget sheet, so each distinct value is converted once; a value that draws a finding
        is converted cell by cell, so each of its cells is named."""
        letter = col_letter(j + 1)
        exact_rows = self._exact_rows().get((sheet, letter), ())
        by_row: dict[int, list[Finding]] = {}
        if len(set(map(type, raw))) == 1:  # one type: a value's key is itself (no 1 == 1.0 == True)
            mapping: dict | None
            if kind == "text" and raw[0].__class__ is str:  # a text is itself (``_text``), an empty one None
                distinct = dict.fromkeys(raw)
                if len(distinct) == len(raw) and "" not in distinct:  # every text its own (names): as they are
                    out = list(raw)
                    return self._exact_cells(sheet, letter, raw, kind, field, first, exact_rows, out, out)
                mapping = dict(zip(distinct, distinct))  # equal texts: one object, the first
                if "" in mapping:
                    mapping[""] = None
            else:
                mapping = self._each_distinct(sheet, letter, raw, kind, field)
            if mapping is not None:
                if len(mapping) == 1:  # one value all the way down
                    out = [next(iter(mapping.values()))] * len(raw)
                else:
                    out = list(map(mapping.__getitem__, raw))
                return self._exact_cells(sheet, letter, raw, kind, field, first, exact_rows, out,
                                         list(mapping.values()))
        cache: dict = {}
        out = []
        held = [None]
        for r, value in enumerate(raw, first):
            if value is None or value.__class__ is str and value == "":
                out.append(None)
                continue
            key = (value.__class__, value)
            got = cache.get(key, _MISSING)
            if got is _MISSING or r in exact_rows:
                got, found = self._convert_at(sheet, letter, r, value, kind, field)
                held.append(got)
                if found:
                    by_row[r] = found
                elif got is not UNUSABLE and r not in exact_rows:
                    cache[key] = got
            out.append(got)
        return out, by_row, held

    def _exact_cells(self, sheet: str, letter: str, raw: list, kind: str, field: str, first: int, exact_rows,
                     out: list, held: list) -> tuple[list, dict[int, list[Finding]], list]:
        """``out``, a column converted a distinct value at a time, with each cell that has an exact
        text converted on its own (``convert_column``'s answer)."""
        by_row: dict[int, list[Finding]] = {}
        if exact_rows and held is out:
            held = list(out)
        for r in sorted(exact_rows):
            if first <= r < first + len(out):
                got, found = self._convert_at(sheet, letter, r, raw[r - first], kind, field)
                out[r - first] = got
                held.append(got)
                if found:
                    by_row[r] = found
        return out, by_row, held

    def _each_distinct(self, sheet: str, letter: str, raw: list, kind: str, field: str) -> dict | None:
        """Each distinct value of a column of one type -> its ``convert``; None when a value draws
        a finding (its cells are then converted one by one)."""
        findings = self.findings
        mapping = {}
        for value in dict.fromkeys(raw):
            if value is None or value.__class__ is str and value == "":
                mapping[value] = None
                continue
            start = len(findings)
            got = self.convert(sheet, letter, value, kind, field)
            if len(findings) > start or got is UNUSABLE:
                del findings[start:]
                return None
            mapping[value] = got
        return mapping

    def _convert_at(self, sheet: str, letter: str, r: int, value, kind: str, field: str):
        """``convert`` of one cell, and the findings it drew (taken out of ``findings``)."""
        start = len(self.findings)
        got = self.convert(sheet, f"{letter}{r}", value, kind, field)
        found = self.findings[start:]
        del self.findings[start:]
        return got, found

    @staticmethod
    def ref(j: int, r: int) -> str:
        return f"{col_letter(j + 1)}{r}"

    def finding(self, sheet: str, cell: str | None, field: str | None, message: str,
                severity: Severity = Severity.ERROR) -> None:
        self.findings.append(Finding(message, severity, field, file=self.file, sheet=sheet, cell=cell))

    def row_error(self, sheet: str, r: int, exc: Exception, columns, where: dict[str, int]) -> None:
        if isinstance(exc, ValidationError):
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else None
                j = where.get(field) if field else None
                cell = self.ref(j, r) if j is not None else f"A{r}"
                message = str(err["msg"]).removeprefix("Value error, ")
                self.finding(sheet, cell, field, f"{message}; row {r} is left out of the plan")
        else:
            self.finding(sheet, f"A{r}", None, f"{exc}; row {r} is left out of the plan")

    # ------------------------------------------------------------------ conversion
    def convert(self, sheet: str, cell: str, raw, kind: str, field: str):
        """The plan value of ``raw`` (None when empty or unusable; unusable adds a finding)."""
        if raw is None or (isinstance(raw, str) and raw == ""):
            return None
        try:
            if kind == "text":
                return self._text(raw)
            if kind == "mode":
                return DeploymentMode.parse(str(raw))
            if kind == "modes":
                return tuple(DeploymentMode.parse(part) for part in str(raw).split(",") if part.strip())
            if kind in ("date", "month"):
                return self._date(raw, kind)
            if kind == "bool":
                return self._bool(raw)
            value = self._number(sheet, cell, raw)
            if kind == "int":
                if value != value.to_integral_value():
                    raise ValueError(f"{value} is not a whole number")
                return int(value)
            if field in ("input_tokens", "output_tokens", "requests_per_month") and value < 0:
                self.finding(sheet, cell, field, f"must not be negative (is {value:,})")
            return value
        except (ValueError, TypeError) as exc:
            self.finding(sheet, cell, field, f"{_shown(raw)} is not usable here: {exc}")
            return UNUSABLE

    @staticmethod
    def _text(raw) -> str:
        if isinstance(raw, str):
            return raw  # calamine has already undone the _xHHHH_ escapes
        if isinstance(raw, bool):
            return "TRUE" if raw else "FALSE"
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        if isinstance(raw, (date, datetime)):
            return raw.isoformat()
        return str(raw)

    def _number(self, sheet: str, cell: str, raw) -> Decimal:
        if isinstance(raw, bool):
            raise ValueError("a yes/no value is not a number")
        if isinstance(raw, float):
            exact = self.exact.get((sheet, cell))
            if exact is not None and float(exact) == raw:  # float ok: Excel stores doubles
                return D(exact)
            if raw.is_integer() and abs(raw) < 1e15:
                return Decimal(int(raw))
            return parse_number(raw)
        if isinstance(raw, int):
            return D(raw)
        if isinstance(raw, str):
            return parse_number(raw)
        raise ValueError(f"a {type(raw).__name__} is not a number")

    @staticmethod
    def _date(raw, kind: str) -> date:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return from_serial(raw)
        text = str(raw).strip()
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            if kind == "month":
                return parse_month(text)
            raise ValueError("not a date (write it as 2026-10-19)") from None

    @staticmethod
    def _bool(raw) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (int, float)):
            return bool(raw)
        key = str(raw).strip().lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError("write TRUE or FALSE")


class _Unusable:
    """A cell that could not be converted: the record it belongs to is left out."""

    def __repr__(self) -> str:
        return "<unusable cell>"


UNUSABLE = _Unusable()
_MISSING = object()


def _shown(raw) -> str:
    text = repr(raw) if isinstance(raw, str) else str(raw)
    return text if len(text) <= 40 else text[:37] + "..."
