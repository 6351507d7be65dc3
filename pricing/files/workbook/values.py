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
from pricing.plan.money import D

_TRUE = {"true", "yes", "y", "1", "x", "✓"}
_FALSE = {"false", "no", "n", "0", ""}


class Cells:
    def __init__(self, book, file: str):
        self.book = book
        self.file = file
        self.findings: list[Finding] = []
        self.exact: dict[tuple[str, str], str] = {}
        if L.META in book.sheet_names:
            for _r, row in self.rows(L.META)[3:]:
                if len(row) >= 3 and all(isinstance(v, str) and v for v in row[:3]):
                    self.exact[(row[0], row[1])] = row[2]

    def rows(self, sheet: str) -> list[tuple[int, list]]:
        """(Excel row number, values from column A) of every row of ``sheet``."""
        data = self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return [(r, row) for r, row in enumerate(data, start=1)]

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


def _shown(raw) -> str:
    text = repr(raw) if isinstance(raw, str) else str(raw)
    return text if len(text) <= 40 else text[:37] + "..."
