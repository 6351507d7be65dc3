"""Entry point of ``tokenbudget``: the core's commands, plus the window when one is asked for.

Qt is imported only when a window is opened, so ``tokenbudget cost`` starts fast and runs
where no display libraries are installed.
"""

from __future__ import annotations

import sys

from pricing.cli import main as cli_main


def _registrars():
    try:
        from desktop.command_line import register
    except ImportError:
        return []
    return [register]


def _default() -> int:
    try:
        from desktop.command_line import open_sample
    except ImportError:
        return cli_main(["summary"])
    return open_sample()


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["--import-worker"]:
        # The bundled app re-runs itself as the importer's memory- and time-limited reader.
        from pricing.files.cells_worker import main as worker_main

        return worker_main(args[1:])
    if args[:1] == ["--plan-worker"]:
        # ... and as the memory- and time-limited reader of plan workbooks.
        from pricing.files.plan_worker import main as plan_worker_main

        return plan_worker_main(args[1:])
    return cli_main(argv, extra=_registrars(), default=_default)


if __name__ == "__main__":
    sys.exit(main())
