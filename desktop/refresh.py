"""Small pieces the views share: refresh-when-visible, and contiguous row runs for dataChanged."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import QTimer


class RefreshWhenVisible:
    """A view that recomputes after edits only while shown, coalescing bursts with a timer.

    Call ``_init_refresh(document, delay_ms)`` from ``__init__``; define ``refresh()``.
    """

    def _init_refresh(self, document, delay_ms: int) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh)
        self._stale = True
        self._refresh_document = document
        document.workloadsChanged.connect(lambda *_: self.schedule())
        document.planReset.connect(self.schedule)

    def _figures_current(self) -> bool:
        """False while a worker re-prices the plan: the view waits for the new figures (planReset)."""
        return not getattr(self._refresh_document, "repricing", False)

    def schedule(self) -> None:
        self._stale = True
        if self.isVisible() and self._figures_current():
            self._timer.start()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale and self._figures_current():
            self.refresh()


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
