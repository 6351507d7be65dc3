"""Small pieces the views share: refresh-when-visible, and contiguous row runs for dataChanged."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import shiboken6
from PySide6.QtCore import QTimer

from desktop.gui_first import painting
from desktop.jobs import Job, figures_pool


class RefreshWhenVisible:
    """A view that recomputes after edits only while shown, coalescing bursts with a timer.

    Call ``_init_refresh(document, delay_ms)`` from ``__init__``; define ``refresh()``.
    """

    def _init_refresh(self, document, delay_ms: int) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._refresh_first)
        self._stale = True
        self._refresh_document = document
        document.workloadsChanged.connect(lambda *_: self.schedule())
        document.planReset.connect(self.schedule)

    def _refresh_first(self) -> None:
        """``refresh`` with the gate shut (``gui_first.painting``): a worker working meanwhile (a
        scenario's projection, another view's figures) waits at its next give-way, instead of taking
        the interpreter lock back at each of the hundreds of Qt calls a table's layout makes (the
        Summary of 2,000 workloads: 38 ms of work, 85-93 ms of pause)."""
        with painting():
            self.refresh()

    def _figures_current(self) -> bool:
        """False while a worker re-prices the plan: the view waits for the new figures (planReset)."""
        return not getattr(self._refresh_document, "repricing", False)

    def schedule(self) -> None:
        self._stale = True
        if self.isVisible() and self._figures_current():
            self._timer.start()

    def showEvent(self, event):
        super().showEvent(event)
        held, self._held_figures = self._held_figures, None
        if self._stale and self._figures_current():
            self._refresh_first()
        elif held is not None:
            self._deliver(*held)  # figures a worker made while the view was hidden, still current

    # Figures made on a worker (large plans): one job at a time; a refresh asked for while it runs
    # follows once it lands.  The view defines ``_set_updating(bool)``.
    job: Job | None = None
    _again = False
    #: (show, figures) a worker made while the view was hidden: laid out when it is shown, not before.
    _held_figures = None

    def _worker_busy(self) -> bool:
        """True (and a refresh noted for later) while the view's worker is still making figures."""
        if self.job is not None:
            self._again = True
            return True
        return False

    def _refresh_figures(self, away: bool, compute: Callable[[object], object], show: Callable[[object], None],
                         failed: Callable[[str], None]) -> None:
        """``show(compute(projection))`` with the document's projection: here when not ``away`` (a small
        plan), else on the figures thread from a snapshot of it (``pricing.costing.held.snapshot``: edits
        go on, the worker reads this moment's figures), one job at a time."""
        projection = self._refresh_document.projection
        if not away:
            show(compute(projection))
            return
        if self._worker_busy():
            return
        from pricing.costing.held import snapshot

        held = snapshot(projection)
        self._start_worker(lambda: compute(held), show, failed)

    def _start_worker(self, compute: Callable[[], object], show: Callable[[object], None],
                      failed: Callable[[str], None]) -> None:
        """Run ``compute()`` on a worker and ``show`` its result on the GUI thread, the view greyed meanwhile."""
        self.job = Job(lambda _cancel: compute())
        self.job.on_outcome(self._landed, lambda figures: self._deliver(show, figures), failed, lambda: None)
        self.job.start(figures_pool())
        self._set_updating(True)

    def _deliver(self, show: Callable[[object], None], figures) -> None:
        """Lay the figures out now if the view is shown; a hidden view keeps them for its showEvent
        (laying out a 100,000-workload Summary nobody sees held the window up to a tenth of a second)."""
        if self.isVisible():
            self._held_figures = None
            with painting():  # laid out without a worker taking the interpreter lock in between
                show(figures)
        else:
            self._held_figures = (show, figures)

    def _landed(self) -> bool:
        """A worker's figures are back: shown unless the view has gone; a refresh asked for meanwhile follows."""
        if not shiboken6.isValid(self):
            return False
        self.job = None
        self._set_updating(False)
        # A refresh asked for meanwhile follows after the view's usual delay (as after an edit), not
        # at once: the figures that landed are painted before the next worker competes with them.
        again, self._again = self._again, False
        if again:
            self.schedule()
        return True


def row_runs(rows: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each run of consecutive rows in sorted ``rows``: [1,2,3,7] -> (1,3), (7,7)."""
    start = prev = None
    for row in rows:
        if prev is not None and row == prev + 1:
            prev = row
            continue
        if start is not None:
            yield start, prev
        start = prev = row
    if start is not None:
        yield start, prev
