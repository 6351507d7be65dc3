"""The ``tokenbudget`` command line: pricing commands that need no window.

Each command lives in its own module with ``register(subparsers)``; the desktop shell adds
its own commands (``gui``, ``open``) through ``main(extra=...)``.  A problem exits with one
line on stderr and a status that says which kind (``common.EXIT_CODES_HELP``), never a
traceback; an unexpected error's traceback goes to the log file (:mod:`pricing.diagnostics`).
"""

from __future__ import annotations

import argparse
import contextvars
import sys
from collections.abc import Callable, Sequence

from pricing.cli import (
    actuals_cmd,
    budget_cmd,
    catalog_cmd,
    compare_cmd,
    cost_cmd,
    export_cmd,
    import_cmd,
    modes_cmd,
    scenarios_cmd,
    schema_cmd,
    summary_cmd,
    usage_cmd,
)
from pricing.cli.common import EXIT_CODES_HELP, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, CliError

COMMANDS = [
    cost_cmd,
    catalog_cmd,
    summary_cmd,
    scenarios_cmd,
    compare_cmd,
    export_cmd,
    import_cmd,
    usage_cmd,
    modes_cmd,
    actuals_cmd,
    budget_cmd,
    schema_cmd,
]

Registrar = Callable[[argparse._SubParsersAction], None]


def build_parser(extra: Sequence[Registrar] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokenbudget",
        description="Plan what large-language-model inference will cost, month by month.",
        epilog=EXIT_CODES_HELP,
    )
    parser.add_argument("--version", action=_Version, help="print the version and the rate catalog's snapshot, and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    for registrar in extra:
        registrar(sub)
    completion = sub.add_parser("completion", help="print a shell completion script (bash, zsh or tcsh)",
                                description="Print a completion script generated from this command line's own "
                                            "parser. Bash: tokenbudget completion bash > "
                                            "~/.local/share/bash-completion/completions/tokenbudget")
    completion.add_argument("shell", choices=["bash", "zsh", "tcsh"])
    completion.set_defaults(func=lambda args: _print_completion(parser, args.shell))
    return parser


class _Version(argparse.Action):
    """``--version``: read only when asked for, so other commands never load the catalog for it."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from pricing.about import about_text

        print(about_text().replace("Token Budget", "tokenbudget", 1))
        parser.exit()


def _print_completion(parser: argparse.ArgumentParser, shell: str) -> int:
    import shtab

    print(shtab.complete(parser, shell=shell))
    return 0


def main(argv: Sequence[str] | None = None, extra: Sequence[Registrar] = (), default: Callable[[], int] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv, extra, default)
    except BrokenPipeError:  # `tokenbudget catalog | head`: the reader left, which is no error
        _silence_stdout()
        return 0


def _run(argv: list[str], extra: Sequence[Registrar], default: Callable[[], int] | None) -> int:
    parser = build_parser(extra)
    if not argv:
        if default is not None:
            return default()
        argv = ["summary"]
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from pricing import diagnostics

    log_file = diagnostics.configure()
    try:
        # In a context of its own: the plan a command loads sets how money is written (its currency
        # and locale), and that setting ends with the command.
        return int(contextvars.copy_context().run(args.func, args) or 0)
    except CliError as exc:
        print(f"tokenbudget: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tokenbudget: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as exc:  # a bug: one line here, the traceback in the log
        diagnostics.logger("cli").exception("tokenbudget %s failed", " ".join(argv))
        where = f" (the details are in {log_file})" if log_file else ""
        print(f"tokenbudget: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
