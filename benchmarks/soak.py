"""A seeded soak of the window: random user actions, and a check that nothing drifts.

``Soak(window, seed).run(actions)`` types valid and invalid values, changes models and modes,
pastes, fills down, inserts and deletes rows, edits rates and adds price changes on any model,
undoes and redoes in runs, sorts and filters; every ``check_every`` actions it compares the
totals strip and every cost cell with a fresh projection of the window's plan (``check``).
tests/test_desktop_soak.py runs a few hundred actions; ``python -m benchmarks.soak N [SEED]``
runs as many as you like and prints the actions per second.
"""

from __future__ import annotations

import random
import sys
import time

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop import display
from desktop.workloads_model import COLUMNS
from pricing.costing.projection import project
from pricing.plan.months import add_months

_EDITABLE = [i for i, c in enumerate(COLUMNS) if c.editable]
_COST_COLUMNS = [i for i, c in enumerate(COLUMNS) if not c.editable]
_VALID = {
    "count": ["0", "1", "750", "3k", "2.5k", "12,000", "1M", "2.5M", "40000"],
    "share": ["0", "10%", "25%", "0.5", "90%"],
    "growth": ["0", "1%", "2.5%", "-3%", "10%", "0.04"],
    "text": ["Acme Retail", "Globex Bank", "", "production", "staging", "Search", "Nouveau ✓"],
    "month": ["", "2026-03", "2026-09", "2027-01", "2028-06"],
    "capacity": ["", "ep-1"],
}
_INVALID = {
    "count": ["abc", "$0.50", "50%", "1e40", "inf", "nan", "-5", "1e30000"],
    "share": ["150%", "-10%", "x", "inf"],
    "growth": ["1e40", "-200%", "nan", "2000%"],
    "text": [],
    "month": ["2026-13", "someday"],
    "capacity": [],
    "model": [""],
    "mode": ["", "teleport"],
}


class Drift(AssertionError):
    """The window's figures differ from a fresh projection of its plan."""


class Soak:
    def __init__(self, window, seed: int, check_every: int = 50):
        self.w = window
        self.doc = window.document
        self.rng = random.Random(seed)
        self.check_every = check_every
        self.done = 0
        self.log: list[str] = []

    # ------------------------------------------------------------------ running
    def run(self, actions: int) -> None:
        kinds = [
            (self.edit_valid, 14), (self.edit_invalid, 5), (self.change_model, 4), (self.change_mode, 4),
            (self.paste, 5), (self.fill_down, 3), (self.insert_row, 3), (self.delete_rows, 3), (self.rate_edit, 4),
            (self.price_change, 3), (self.undo_run, 6), (self.redo_run, 4), (self.sort, 2), (self.filter, 2),
        ]
        actions_list = [a for a, _ in kinds]
        weights = [w for _, w in kinds]
        for _ in range(actions):
            action = self.rng.choices(actions_list, weights)[0]
            action()
            QApplication.processEvents()
            self.done += 1
            if self.done % self.check_every == 0:
                self.check()

    def undo_all(self) -> None:
        stack = self.doc.undo_stack
        while stack.canUndo():
            stack.undo()
            QApplication.processEvents()

    # ------------------------------------------------------------------ the check
    def check(self) -> None:
        """The totals strip, the grid's cost cells and the Projection's cells equal a fresh projection."""
        fresh = project(self.doc.plan)
        held = self.doc.projection
        where = f"after {self.done} actions (last: {self.log[-3:]})"
        if held.month_totals != fresh.month_totals:
            raise Drift(f"month totals drifted {where}")
        for i, (a, b) in enumerate(zip(held.rows, fresh.rows)):
            if a.costs != b.costs:
                raise Drift(f"row {i} costs drifted {where}")
        expected = self.strip_texts(fresh)
        shown = [f.text() for f in self.w.totals.figures]
        if shown != expected:
            raise Drift(f"totals strip shows {shown}, a fresh projection {expected} {where}")
        model = self.w.workloads_model
        for r in range(model.rowCount()):
            for c in _COST_COLUMNS:
                key = COLUMNS[c].key
                value = {"first_month_cost": fresh.rows[r].costs[0] if fresh.horizon else None,
                         "horizon_cost": fresh.row_total(r)}.get(key)
                if value is None:
                    continue
                text = model.index(r, c).data()
                if text != display.money(value, self.doc.currency) and fresh.rows[r].priceable:
                    raise Drift(f"row {r} {COLUMNS[c].header} shows {text}, fresh {value} {where}")
        projection = self.w.projection_model
        cur = self.doc.currency
        for r in range(projection.rowCount()):
            if projection.is_total_row(r):
                expected_row = list(fresh.month_totals) + [fresh.total]
            elif r < len(fresh.rows):
                expected_row = list(fresh.rows[r].costs) + [fresh.row_total(r)]
            else:
                continue  # idle-capacity lines
            for c, value in enumerate(expected_row, start=1):
                text = projection.index(r, c).data()
                if text != display.money(value, cur):
                    raise Drift(f"Projection cell ({r}, {c}) shows {text}, fresh {value} {where}")

    def strip_texts(self, projection) -> list[str]:
        this = self.doc.this_month_index()
        cur = self.doc.currency
        first12 = min(12, projection.horizon)
        values = [projection.month_totals[this], projection.total_for(0, first12), projection.total]
        return [display.money(v, cur) for v in values]

    # ------------------------------------------------------------------ actions
    def _row(self) -> int:
        return self.rng.randrange(self.w.workloads_proxy.rowCount() or 1)

    def _select(self, top: int, left: int, bottom: int, right: int) -> None:
        view, proxy = self.w.workloads_view, self.w.workloads_proxy
        view.setCurrentIndex(proxy.index(top, left))
        view.selectionModel().select(QItemSelection(proxy.index(top, left), proxy.index(bottom, right)),
                                     QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _set(self, column: int, text: str) -> None:
        proxy = self.w.workloads_proxy
        if proxy.rowCount() == 0:
            return
        self.log.append(f"set {COLUMNS[column].key}={text!r}")
        proxy.setData(proxy.index(self._row(), column), text)

    def edit_valid(self) -> None:
        column = self.rng.choice(_EDITABLE)
        kind = COLUMNS[column].kind
        if kind == "model":
            return self.change_model()
        if kind == "mode":
            return self.change_mode()
        self._set(column, self.rng.choice(_VALID.get(kind, ["1"])))

    def edit_invalid(self) -> None:
        column = self.rng.choice([c for c in _EDITABLE if _INVALID.get(COLUMNS[c].kind)])
        self._set(column, self.rng.choice(_INVALID[COLUMNS[column].kind]))

    def change_model(self) -> None:
        ids = [r.id for r in self.doc.plan.rates] + ["acme/unknown-model"]
        self._set([c.key for c in COLUMNS].index("model"), self.rng.choice(ids))

    def change_mode(self) -> None:
        self._set([c.key for c in COLUMNS].index("mode"), self.rng.choice(["Serverless", "Batch", "Batch", "Dedicated"]))

    def paste(self) -> None:
        proxy = self.w.workloads_proxy
        if proxy.rowCount() == 0:
            return
        first = [c.key for c in COLUMNS].index("input_tokens")
        rows = self.rng.randint(1, 3)
        cells = [[self.rng.choice(_VALID["count"]), self.rng.choice(_VALID["count"]), self.rng.choice(_VALID["share"])]
                 for _ in range(rows)]
        if self.rng.random() < 0.2:
            cells[-1][0] = self.rng.choice(_INVALID["count"])
        text = "".join("\t".join(row) + "\n" for row in cells)
        self.log.append(f"paste {text!r}")
        r = self._row()
        self._select(r, first, r, first)
        QApplication.clipboard().setText(text)
        QTest.keyClick(self.w.workloads_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    def fill_down(self) -> None:
        proxy = self.w.workloads_proxy
        if proxy.rowCount() < 2:
            return
        top = self.rng.randrange(proxy.rowCount() - 1)
        bottom = min(proxy.rowCount() - 1, top + self.rng.randint(1, 3))
        column = self.rng.choice(_EDITABLE)
        self.log.append(f"fill down {COLUMNS[column].key} {top}-{bottom}")
        self._select(top, column, bottom, column)
        QTest.keyClick(self.w.workloads_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)

    def insert_row(self) -> None:
        if self.w.workloads_proxy.rowCount() == 0:
            return
        r = self._row()
        self.log.append(f"insert at {r}")
        self._select(r, 0, r, 0)
        QTest.keyClick(self.w.workloads_view, Qt.Key.Key_Insert)

    def delete_rows(self) -> None:
        proxy = self.w.workloads_proxy
        if len(self.doc.plan.workloads) < 4 or proxy.rowCount() < 2:
            return
        top = self.rng.randrange(proxy.rowCount() - 1)
        bottom = top + self.rng.randint(0, 1)
        self.log.append(f"delete {top}-{bottom}")
        self._select(top, 0, bottom, 0)
        QTest.keyClick(self.w.workloads_view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)

    def rate_edit(self) -> None:
        from desktop.rates_model import RATE_COLUMNS

        keys = [c.key for c in RATE_COLUMNS]
        column = keys.index(self.rng.choice(["input_mtok", "output_mtok", "cached_input_mtok", "batch_discount"]))
        value = self.rng.choice(["$0.10", "0.90", "$2.50", "3.3", "0,45", "40%", "-1", "1e40", "abc"])
        model = self.w.rates_model
        row = self.rng.randrange(model.rowCount())
        self.log.append(f"rate {keys[column]} of row {row} = {value!r}")
        model.setData(model.index(row, column), value)

    def price_change(self) -> None:
        w = self.w
        rates = self.doc.plan.rates
        row = self.rng.randrange(len(rates))
        w.rates_view.setCurrentIndex(w.rates_proxy.mapFromSource(w.rates_model.index(row, 1)))
        QApplication.processEvents()
        first = self.doc.plan.assumptions.first_month
        day = add_months(first, self.rng.randrange(self.doc.projection.horizon)).replace(day=self.rng.choice([1, 1, 15]))
        panel = w.price_changes
        self.log.append(f"price change on {rates[row].id} from {day}")
        panel.day.setText(day.isoformat() if self.rng.random() < 0.9 else "not a date")
        panel.add_button.click()
        QApplication.processEvents()
        versions = panel.model
        if versions.rowCount() > 1 and self.rng.random() < 0.7:
            column = self.rng.choice([1, 2, 3, 4]) if versions.columnCount() > 4 else 1
            versions.setData(versions.index(versions.rowCount() - 1, column), self.rng.choice(["$0.20", "1.10", "x"]))

    def undo_run(self) -> None:
        stack = self.doc.undo_stack
        n = self.rng.randint(1, 6)
        self.log.append(f"undo ×{n}")
        for _ in range(n):
            if stack.canUndo():
                stack.undo()
                QApplication.processEvents()

    def redo_run(self) -> None:
        stack = self.doc.undo_stack
        n = self.rng.randint(1, 4)
        self.log.append(f"redo ×{n}")
        for _ in range(n):
            if stack.canRedo():
                stack.redo()
                QApplication.processEvents()

    def sort(self) -> None:
        column = self.rng.randrange(len(COLUMNS))
        order = self.rng.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
        self.log.append(f"sort {COLUMNS[column].key}")
        self.w.workloads_view.sortByColumn(column, order)

    def filter(self) -> None:
        text = self.rng.choice(["", "", "acme", "initech", "batch", "gpt", "zzz"])
        self.log.append(f"filter {text!r}")
        self.w.filter_box.setText(text)


def main(argv: list[str] | None = None) -> int:
    """python -m benchmarks.soak [ACTIONS] [SEED]: a long soak on the sample plan, with the figures."""
    import os
    import tempfile
    from pathlib import Path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TOKENBUDGET_DATA_DIR", tempfile.mkdtemp(prefix="soak-"))
    args = sys.argv[1:] if argv is None else argv
    actions = int(args[0]) if args else 2000
    seed = int(args[1]) if len(args) > 1 else 20
    from desktop.document import PlanDocument
    from desktop.main_window import MainWindow
    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import open_plan

    app = QApplication.instance() or QApplication([])
    plan, _ = open_plan(sample_plan_path())
    window = MainWindow(PlanDocument(plan, None))
    window.prompts.confirm = lambda *a, **k: True
    window.show()
    soak = Soak(window, seed)
    started = time.perf_counter()
    soak.run(actions)
    took = time.perf_counter() - started
    soak.undo_all()
    same = window.document.plan == plan
    print(f"{actions} actions (seed {seed}) in {took:.1f} s, {actions / took:.0f} a second; "
          f"undo of everything restores the plan: {same}")
    window.document.undo_stack.setClean()
    window.close()
    del app, Path
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
