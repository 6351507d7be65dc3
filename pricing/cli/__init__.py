"""The ``tokenbudget`` command line: pricing commands that need no window.

Each command lives in its own module with ``register(subparsers)``; the desktop shell adds
its own commands (``gui``, ``open``) through ``main(extra=...)``.  Bad input exits with
status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from pricing.cli import (
    actuals_cmd, budget_cmd, catalog_cmd, compare_cmd, cost_cmd, export_cmd, import_cmd, modes_cmd, scenarios_cmd,
    summary_cmd, usage_cmd,
)
from pricing.cli.common import CliError

COMMANDS = [cost_cmd, catalog_cmd, summary_cmd, scenarios_cmd, compare_cmd, export_cmd, import_cmd, usage_cmd, modes_cmd,
            actuals_cmd, budget_cmd]

Registrar = Callable[[argparse._SubParsersAction], None]


def build_parser(extra: Sequence[Registrar] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokenbudget",
        description="Plan what large-language-model inference will cost, month by month.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    for registrar in extra:
        registrar(sub)
    return parser


def main(argv: Sequence[str] | None = None, extra: Sequence[Registrar] = (), default: Callable[[], int] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(extra)
    if not argv:
        if default is not None:
            return default()
        argv = ["summary"]
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"tokenbudget: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tokenbudget: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
