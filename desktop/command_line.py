"""The window's command-line entry points: ``tokenbudget gui FILE [--screenshot OUT.png]
[--tab NAME]``, ``tokenbudget open FILE`` and plain ``tokenbudget`` (the bundled sample plan).

(The undo commands of the window are in ``desktop.undo``.)  A refusal here prints one line
on stderr and exits with the command line's documented statuses (3 bad data, 4 output not
written), as the core's commands do, without borrowing their error.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from desktop.tabs import TABS
from pricing.cli.common import EXIT_DATA, EXIT_OUTPUT

TAB_NAMES = [name.lower() for name in TABS]


class Refused(Exception):
    """One line for stderr; the command exits with ``status``."""

    def __init__(self, message: str, status: int = EXIT_DATA):
        super().__init__(message)
        self.status = status


def _refusing(func):
    @functools.wraps(func)
    def run(*args, **kwargs) -> int:
        try:
            return func(*args, **kwargs)
        except Refused as exc:
            print(f"tokenbudget: {exc}", file=sys.stderr)
            return exc.status

    return run


def register(sub) -> None:
    gui = sub.add_parser("gui", help="open the window on a plan, or render it to a PNG and exit")
    gui.add_argument("file", nargs="?", help="plan workbook or JSON (default: the bundled sample plan)")
    gui.add_argument("--screenshot", metavar="OUT.png", help="render the window offscreen to OUT.png and exit")
    gui.add_argument("--tab", default="Workloads", type=str.lower, choices=TAB_NAMES, metavar="NAME",
                     help=f"tab to show: {', '.join(TAB_NAMES)}")
    gui.add_argument("--size", default="1400x850", help="window size for the screenshot (WxH)")
    gui.add_argument("--dark", action="store_true", help="use a dark palette (to check a dark system theme)")
    gui.set_defaults(func=_gui)
    opener = sub.add_parser("open", help="open a plan (or any spreadsheet, through the import wizard) in the window")
    opener.add_argument("file")
    opener.set_defaults(func=_open)


def _check(path: str | None):
    if path and not Path(path).exists():
        raise Refused(f"{path}: no such file")
    return Path(path) if path else None


@_refusing
def _gui(args) -> int:
    path = _check(args.file)
    if args.screenshot:
        return screenshot(path, Path(args.screenshot), args.tab, args.size, dark=args.dark)
    from desktop.app import application, open_window

    app = application()
    window = open_window(path)
    window.show_tab(args.tab)
    window.show()
    return app.exec()


@_refusing
def _open(args) -> int:
    from desktop.app import run

    return run(_check(args.file))


def open_sample() -> int:
    from desktop.app import run

    return run(None)


def _wait_until_opened(window, timeout: float = 600.0) -> None:
    """A large plan opens on a worker: wait for it, so the picture is of that plan and not of the
    sample shown meanwhile with "Opening…" in the status bar."""
    import time

    from PySide6.QtWidgets import QApplication

    from desktop.jobs import running_jobs

    deadline = time.monotonic() + timeout
    # Then the tab shown may make its figures on a worker (Summary, Modes, Terms on a large plan):
    # wait for those too, so the picture never shows "Updating…".
    while window.files.jobs or running_jobs() or window.document.repricing:
        if time.monotonic() > deadline:
            raise Refused("the plan did not finish opening in time for the screenshot")
        QApplication.processEvents()
        time.sleep(0.02)


def _grab(window, out: Path) -> bool:
    return window.grab().save(str(out))


@_refusing
def screenshot(path: Path | None, out: Path, tab: str = "workloads", size: str = "1400x850", *,
               dark: bool = False) -> int:
    from desktop.app import ensure_offscreen_for_screenshots

    ensure_offscreen_for_screenshots()
    from PySide6.QtWidgets import QApplication

    from desktop.app import application, open_window
    from pricing.files.planfile import PlanFileError, open_plan

    if path is not None and path.suffix.lower() in (".json", ".xlsx", ".xlsm"):
        try:
            open_plan(path)  # refuse a bad plan here: a screenshot run must never wait on a dialog
        except PlanFileError as exc:
            raise Refused(str(exc)) from None
    app = application()
    if dark:
        from desktop.colours import dark_palette

        app.setPalette(dark_palette())
    window = open_window(path, offer_recovery=False)
    _wait_until_opened(window)
    width, height = (int(v) for v in size.lower().split("x"))
    window.resize(width, height)
    window.show_tab(tab)
    if tab == "explain":
        window.explain.show_workload(0)
    view = window.workloads_view
    if tab == "workloads" and window.workloads_proxy.rowCount():
        view.setCurrentIndex(window.workloads_proxy.index(0, 0))
    window.show()
    QApplication.processEvents()
    if tab == "modes" and window.modes.model.rowCount():
        window.modes.table.setCurrentIndex(window.modes.model.index(0, 0))
    for _ in range(5):
        QApplication.processEvents()
    _wait_until_opened(window)  # and until the tab's figures are made
    for _ in range(5):
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not _grab(window, out):
        raise Refused(f"{out}: cannot write the screenshot", EXIT_OUTPUT)
    window.files.shutdown()
    window.document.undo_stack.setClean()
    window.close()
    print(f"wrote {out} ({width}×{height}, tab {tab})", file=sys.stderr)
    return 0
