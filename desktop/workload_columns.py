"""The Workloads grid's columns: each plan field it shows (key, header, kind, width), the costs it
shows beside them, and how text typed into a cell becomes the field's value (``parse_cell``) or is
refused with where and why (``CellRefused``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop import display
from pricing.plan.models import DeploymentMode, Workload
from pricing.plan.months import parse_month
from pricing.plan.numbers import parse_count, parse_number

@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text, model, mode, count, share, growth, month, capacity, money, small_money (rates: rate, modes, date)
    editable: bool = True
    width: int = 110

    @property
    def numeric(self) -> bool:
        return self.kind in ("count", "share", "growth", "money", "small_money")


COLUMNS: list[Column] = [
    Column("name", "Workload", "text", width=178),
    Column("tenant", "Tenant", "text", width=98),
    Column("feature", "Feature", "text", width=112),
    Column("model", "Model", "model", width=228),
    Column("mode", "Mode", "mode", width=78),
    Column("input_tokens", "Input tokens", "count", width=84),
    Column("output_tokens", "Output tokens", "count", width=92),
    Column("cached_share", "Cached input", "share", width=84),
    Column("requests_per_month", "Requests / month", "count", width=110),
    Column("cost_per_request", "Cost / request", "small_money", editable=False, width=96),
    Column("first_month_cost", "First month", "money", editable=False, width=90),
    Column("horizon_cost", "Horizon total", "money", editable=False, width=108),
    Column("environment", "Environment", "text", width=88),
    Column("monthly_growth", "Growth / month", "growth", width=102),
    Column("start_month", "Start month", "month", width=85),
    Column("capacity", "Capacity", "capacity", width=80),
]
FIELD_COLUMN = {c.key: i for i, c in enumerate(COLUMNS)}


class CellRefused(ValueError):
    """A value a cell cannot take; ``row``/``column`` say where, the message says why."""

    def __init__(self, row: int, column: int, message: str):
        self.row = row
        self.column = column
        header = COLUMNS[column].header if 0 <= column < len(COLUMNS) else "?"
        super().__init__(f"{header}, row {row + 1}: {message}")


def parse_cell(column: Column, value: object) -> object:
    """Text (or a Decimal) typed into ``column`` → the plan field's value; ValueError says why not."""
    text = "" if value is None else value if isinstance(value, Decimal) else str(value).strip()
    kind = column.kind
    if kind == "text":
        return text
    if kind == "model":
        if not text:
            raise ValueError("name the model (provider/model-id)")
        return text
    if kind == "mode":
        if not text:
            raise ValueError("choose a mode: Serverless, Batch, Dedicated or GPU cluster")
        return DeploymentMode.parse(text)
    if kind == "capacity":
        return text or None
    if kind == "month":
        return parse_month(text) if text else None
    if isinstance(text, str) and not text:
        if kind in ("share", "growth"):
            return Decimal(0)
        raise ValueError("a number is needed")
    # Only reading happens here: a number the plan can hold but not price (a negative count, a
    # share above 100%) is held and reported by the engine as the plan's records say
    # (``pricing.costing.engine.check_workload``); beyond the bounds the record refuses it.
    return parse_count(text) if kind == "count" else parse_number(text)


def edit_text(column: Column, workload: Workload) -> str:
    """What an editor starts with: the plain value, not the formatted one."""
    value = getattr(workload, column.key)
    if value is None:
        return ""
    if column.kind in ("share", "growth"):
        return display.share(value)
    if column.kind == "mode":
        return value.label
    if column.kind == "month":
        return value.strftime("%Y-%m")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)
