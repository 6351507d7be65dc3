"""Explain: the arithmetic behind one workload's figures, step by step, as the pricing guide
writes it, so an auditor can follow every number.

    Input Cost  = (3,000 / 1,000,000) × $0.90 = $0.0027

Every number on a line is a field of the engine's ``RequestCost`` or of the projection;
this module only writes them out.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import display
from pricing.capacity.report import capacity_report
from pricing.plan.models import DeploymentMode, GpuCluster
from pricing.plan.money import MILLION


def explain_lines(document, index: int, month: int | None = None) -> list[str]:
    """The worked arithmetic for workload ``index`` in ``month`` (default: its first month with traffic)."""
    projection = document.projection
    row = projection.rows[index]
    w = row.workload
    cur = document.currency
    if month is None:
        month = projection.first_month(index)
    when = display.month(projection.months[month])
    lines = [f"Workload: {w.name}", f"Model: {row.rate.id if row.rate else w.model}    Mode: {w.mode.label}", ""]
    for f in document.findings_for_row(index):
        lines.append(f"{f.severity.value.capitalize()}: {f.message}")
    if not row.priceable:
        lines.append("Not priced until the findings above are fixed.")
        return lines
    requests = projection.requests(index, month)
    million = display.count(MILLION)
    if not w.mode.per_token:
        lines += [f"{w.mode.label} capacity {w.capacity!r} is billed for its hours, not per token.", ""]
        lines += capacity_lines(document, index, month, when)
        lines += total_lines(projection, index, cur)
        return lines
    cost = projection.request_cost(index, month)
    version = cost.version
    since = f"from {version.effective_from:%d %b %Y}" if version and version.effective_from else "published"
    lines.append(f"Rates in force on 1 {when} ({since}), per 1M tokens:")
    lines += terms_lines(document, row, projection.months[month])
    published = cost.tier or version
    if cost.tier:
        lines.append(
            f"  Prompt of {display.count(w.input_tokens)} tokens is above {display.count(Decimal(cost.tier.above_input_tokens))}:"
            " every token of the request is billed at the long-prompt tier."
        )
    if cost.mode is DeploymentMode.BATCH:
        pct = display.share(cost.discount)
        lines.append(f"  Batch: {pct} off the published rates")
        lines.append(f"  Input rate  = {display.small_money(published.input_mtok, cur)} × (1 − {pct}) = "
                     f"{display.small_money(cost.input_rate, cur)}")
        lines.append(f"  Output rate = {display.small_money(published.output_mtok, cur)} × (1 − {pct}) = "
                     f"{display.small_money(cost.output_rate, cur)}")
    else:
        lines.append(f"  Input {display.small_money(cost.input_rate, cur)}, output {display.small_money(cost.output_rate, cur)}"
                     + (f", cached input {display.small_money(cost.cached_input_rate, cur)}" if cost.cached_input_tokens else ""))
    lines.append("")
    lines.append(f"Input Cost  = ({display.count(cost.uncached_input_tokens)} / {million}) × "
                 f"{display.small_money(cost.input_rate, cur)} = {display.request_money(cost.input, cur)}")
    if cost.cached_input_tokens:
        lines.append(f"Cached Input Cost = ({display.count(cost.cached_input_tokens)} / {million}) × "
                     f"{display.small_money(cost.cached_input_rate, cur)} = {display.request_money(cost.cached_input, cur)}")
    if cost.cache_write_tokens:
        lines.append(f"Cache Write Cost (5 min) = ({display.count(cost.cache_write_tokens)} / {million}) × "
                     f"{display.small_money(cost.cache_write_rate, cur)} = {display.request_money(cost.cache_write, cur)}")
    if cost.cache_write_1h_tokens:
        lines.append(f"Cache Write Cost (1 h) = ({display.count(cost.cache_write_1h_tokens)} / {million}) × "
                     f"{display.small_money(cost.cache_write_1h_rate, cur)} = {display.request_money(cost.cache_write_1h, cur)}")
    lines.append(f"Output Cost = ({display.count(cost.output_tokens)} / {million}) × "
                 f"{display.small_money(cost.output_rate, cur)} = {display.request_money(cost.output, cur)}")
    if cost.reasoning_tokens:
        lines.append(f"Reasoning Cost = ({display.count(cost.reasoning_tokens)} / {million}) × "
                     f"{display.small_money(cost.reasoning_rate, cur)} = {display.request_money(cost.reasoning, cur)}")
    if cost.request_fee:
        lines.append(f"Request Fee = {display.small_money(cost.request_fee * 1000, cur)} per 1,000 requests = "
                     f"{display.request_money(cost.request_fee, cur)}")
    if cost.off_peak_share:
        lines.append(f"  (rates blend {display.share(1 - cost.off_peak_share)} at the standard price and "
                     f"{display.share(cost.off_peak_share)} at the off-peak price)")
    parts = [cost.input] + ([cost.cached_input] if cost.cached_input_tokens else [])
    parts += [p for p, n in ((cost.cache_write, cost.cache_write_tokens), (cost.cache_write_1h, cost.cache_write_1h_tokens)) if n]
    parts += [cost.output] + ([cost.reasoning] if cost.reasoning_tokens else []) + ([cost.request_fee] if cost.request_fee else [])
    lines.append(f"Total / Request = {' + '.join(display.request_money(p, cur) for p in parts)} = "
                 f"{display.request_money(cost.total, cur)}")
    lines.append("")
    k = month - row.start
    if w.monthly_growth and k > 0:
        lines.append(f"Requests in {when} = {display.count(w.requests_per_month)} × (1 + {display.share(w.monthly_growth)})^{k}"
                     f" = {display.volume(requests)}")
    else:
        lines.append(f"Requests in {when} = {display.count(requests)}")
    lines.append(f"Monthly Cost ({when}) = {display.volume(requests)} × "
                 f"{display.request_money(cost.total, cur)} = {display.money(row.costs[month], cur)}")
    lines += total_lines(projection, index, cur)
    return lines


def capacity_lines(document, index: int, month: int, when: str) -> list[str]:
    """How the capacity's spend in ``month`` was computed and how this workload's share of it was."""
    projection, cur = document.projection, document.currency
    row = projection.rows[index]
    fig = next((f for f in capacity_report(document.plan, projection, month) if f.capacity_id == row.workload.capacity), None)
    item = next((c for c in (*document.plan.endpoints, *document.plan.clusters) if c.id == row.workload.capacity), None)
    if fig is None or item is None:
        return []
    hours = document.plan.hours_per_month(item)
    money = lambda v: display.money(v, cur)  # noqa: E731
    rate = lambda v: display.small_money(v, cur)  # noqa: E731
    if isinstance(item, GpuCluster):
        spend = (f"{item.gpu_count} GPUs × {rate(item.gpu_hour_rate)}/GPU-hour × {display.count(hours)} h"
                 f" + {money(item.storage_monthly)} storage + {money(item.networking_monthly)} networking")
    elif item.monthly_commitment is not None:
        spend = f"{money(item.monthly_commitment)} monthly commitment"
        if item.overage_mtok is not None and item.included_tokens is not None:
            spend += (f" + overage beyond {display.count(item.included_tokens)} tokens at "
                      f"{rate(item.overage_mtok)}/1M")
    else:
        spend = (f"{item.replicas} replicas × {item.gpus_per_replica} GPUs × {rate(item.gpu_hour_rate)}/GPU-hour"
                 f" × {display.count(hours)} h")
    tokens = projection.tokens(index, month)
    lines = [f"Spend of {item.id!r} in {when} = {spend} = {money(fig.monthly_spend)}",
             f"Tokens of this workload in {when} = {display.count(projection.requests(index, month))} requests × "
             f"{display.count(row.workload.input_tokens + row.workload.output_tokens + row.workload.reasoning_tokens)}"
             f" tokens = {display.count(tokens)}",
             f"Tokens served by {item.id!r} in {when} = {display.count(fig.tokens_served)}"
             f" ({len(fig.workloads)} workload{'s' if len(fig.workloads) != 1 else ''})"]
    if fig.tokens_served > 0:
        lines.append(f"Share = {money(fig.monthly_spend)} × {display.count(tokens)} / {display.count(fig.tokens_served)}"
                     + (f" × (1 − {display.share(row.workload.discount)})" if getattr(row.workload, "discount", 0) else "")
                     + f" = {money(row.costs[month])} (rounded to the cent)")
        if fig.effective_rate_per_mtok is not None:
            lines.append(f"Effective rate = {money(fig.monthly_spend)} / ({display.count(fig.tokens_served)} / "
                         f"{display.count(MILLION)}) = {display.small_money(fig.effective_rate_per_mtok, cur)}/1M")
    else:
        lines.append(f"It serves nothing in {when}: its whole spend is idle cost, on a line of its own.")
    return lines


def total_lines(projection, index: int, cur: str) -> list[str]:
    """How the workload's total adds up: the sum of its monthly amounts, each already in cents."""
    costs = projection.rows[index].costs
    priced = [c for c in costs if c]
    first = " + ".join(display.money(c, cur) for c in priced[:3]) + (" + …" if len(priced) > 3 else "")
    return [f"Total over {projection.horizon} months = {first or display.money(Decimal(0), cur)} "
            f"({len(priced)} monthly amount{'s' if len(priced) != 1 else ''}) = {display.money(projection.row_total(index), cur)}"]


def terms_lines(document, row, month) -> list[str]:
    """Each contract term's step on the input and output prices: 'list $3.00 × (1 − 20%) = $2.40; × 0.92 ...'."""
    pricer = document.projection.terms
    listed = next((r for r in document.plan.rates if row.rate is not None and r.id == row.rate.id), None)
    if listed is None:
        return []
    out = []
    for field, label in (("input_mtok", "Input"), ("cached_input_mtok", "Cached input"),
                         ("cache_write_mtok", "Cache write"), ("output_mtok", "Output")):
        text = pricer.explain(listed, field, month)
        if " × " in text:
            out.append(f"  {label} under the plan's terms: {text}")
    return out


class WorkloadNames(QAbstractListModel):
    """The plan's workload names for the chooser, read when shown: a reset costs nothing however
    many workloads the plan has (a list of 100,000 names was rebuilt at every change)."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._count = len(document.plan.workloads)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole) and 0 <= index.row() < self._count:
            return self.document.plan.workloads[index.row()].name
        return None

    def reset(self) -> None:
        self.beginResetModel()
        self._count = len(self.document.plan.workloads)
        self.endResetModel()

    def row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row), self.index(row))


class ExplainView(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.workload = QComboBox()
        self.workload.setMinimumWidth(320)
        self.names = WorkloadNames(document, self)
        self.workload.setModel(self.names)
        # Sized by a number of characters, never by reading every name.
        self.workload.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.workload.setMinimumContentsLength(30)
        self.month = QComboBox()
        top = QHBoxLayout()
        top.addWidget(QLabel("Workload"))
        top.addWidget(self.workload)
        top.addWidget(QLabel("Month"))
        top.addWidget(self.month)
        top.addStretch(1)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(font.pointSize(), 11))
        self.text.setFont(font)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        self._month_auto = True
        self.workload.currentIndexChanged.connect(self._on_workload)
        self.month.currentIndexChanged.connect(self._on_month)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self.refresh)
        document.workloadsChanged.connect(lambda *_: self._timer.start())
        document.planReset.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        current = max(self.workload.currentIndex(), 0)
        for combo in (self.workload, self.month):
            combo.blockSignals(True)
        self.month.clear()
        self.names.reset()
        self.month.addItem("First month with traffic", None)
        for i, m in enumerate(self.document.months):
            self.month.addItem(display.month(m), i)
        if self.workload.count():
            self.workload.setCurrentIndex(min(current, self.workload.count() - 1))
        for combo in (self.workload, self.month):
            combo.blockSignals(False)
        self.refresh()

    def show_workload(self, index: int) -> None:
        if 0 <= index < self.workload.count():
            self.workload.setCurrentIndex(index)

    def _on_workload(self, _i) -> None:
        self.refresh()

    def _on_month(self, _i) -> None:
        self.refresh()

    def refresh(self) -> None:
        index = self.workload.currentIndex()
        if index < 0 or index >= len(self.document.plan.workloads):
            self.text.setPlainText("No workload selected.")
            return
        if self.workload.itemText(index) != self.document.plan.workloads[index].name:
            self.names.row_changed(index)
        self.text.setPlainText("\n".join(explain_lines(self.document, index, self.month.currentData())))
