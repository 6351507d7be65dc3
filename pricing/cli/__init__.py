"""The ``tokenbudget`` command line: pricing commands that need no window.

Each command lives in its own module with ``arguments(parser)`` and ``run(args)``, imported only
when that command runs (``COMMANDS``); the desktop shell adds its own commands (``gui``,
``open``) through ``main(extra=...)``.  A problem exits with one line on stderr and a status
that says which kind (``common.EXIT_CODES_HELP``), never a traceback; an unexpected error's
traceback goes to the log file (:mod:`pricing.diagnostics`).
"""

from __future__ import annotations

import argparse
import contextvars
import importlib
import sys
from collections.abc import Callable, Sequence

from pricing.cli.common import EXIT_CODES_HELP, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, CliError, ends_with_process

#: Every command: its name, the module holding its ``arguments(parser)`` and ``run(args)``, and its line in
#: ``tokenbudget --help``.  A command's module is imported only when that command runs (or when the whole
#: parser is built, for ``completion``), so ``tokenbudget summary`` never loads what ``actuals`` needs.
COMMANDS: list[tuple[str, str, str]] = [
    ("cost", "pricing.cli.cost_cmd", "price a request (and a month of them) from the bundled catalog"),
    ("catalog", "pricing.cli.catalog_cmd", "list the bundled rate catalog"),
    ("summary", "pricing.cli.summary_cmd", "summarise a plan (the bundled sample plan when PLAN is omitted)"),
    ("scenarios", "pricing.cli.scenarios_cmd", "every scenario's totals side by side, and its difference to the base"),
    ("compare", "pricing.cli.compare_cmd", "what moved between two versions of a plan, with a bridge"),
    ("export", "pricing.cli.export_cmd", "write a plan workbook (.xlsx) with live formulas"),
    ("import", "pricing.cli.import_cmd", "import a budget spreadsheet or CSV into a plan"),
    ("usage", "pricing.cli.usage_cmd", "summarise a token usage log (JSON Lines, CSV or Parquet)"),
    ("modes", "pricing.cli.modes_cmd",
     "compare Serverless, Batch and dedicated capacity per workload (break-even, recommendation)"),
    ("actuals", "pricing.cli.actuals_cmd",
     "load actual spend (provider exports, FOCUS bills, usage logs) against a plan"),
    ("budget", "pricing.cli.budget_cmd", "budget lines: the month each is first exceeded and the year's landing"),
    ("schema", "pricing.cli.schema_cmd", "print the JSON Schema of a plan .json file"),
]

Registrar = Callable[[argparse._SubParsersAction], None]


def build_parser(extra: Sequence[Registrar] = (), only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, just that command's arguments (the others keep their help line)."""
    parser = argparse.ArgumentParser(
        prog="tokenbudget",
        description="Plan what large-language-model inference will cost, month by month.",
        epilog=EXIT_CODES_HELP,
    )
    parser.add_argument("--version", action=_Version, help="print the version and the rate catalog's snapshot, and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module, help_line in COMMANDS:
        command = sub.add_parser(name, help=help_line)
        if only is None or only == name:
            importlib.import_module(module).arguments(command)
    for registrar in extra:
        registrar(sub)
    completion = sub.add_parser("completion", help="print a shell completion script (bash, zsh or tcsh)",
                                description="Print a completion script generated from this command line's own "
                                            "parser. Bash: tokenbudget completion bash > "
                                            "~/.local/share/bash-completion/completions/tokenbudget")
    completion.add_argument("shell", choices=["bash", "zsh", "tcsh"])
    completion.set_defaults(func=lambda args: _print_completion(parser, args.shell))
    return parser


def _commands_to_load(argv: Sequence[str]) -> str | None:
    """Which command's arguments ``argv`` needs: its first word that is not an option, or every
    command's (None) for ``completion``, whose script is generated from the whole parser."""
    word = next((arg for arg in argv if not arg.startswith("-")), "")
    return None if word == "completion" else word


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
    whole_process = argv is None  # the process's own command line (the tokenbudget script, python -m)
    argv = list(sys.argv[1:] if argv is None else argv)
    if whole_process and argv:
        ends_with_process()
    try:
        code = _run(argv, extra, default)
    except BrokenPipeError:  # `tokenbudget catalog | head`: the reader left, which is no error
        _silence_stdout()
        code = 0
    if whole_process and argv:  # a command (not the window) has done all it does
        _end_process(code)
    return code


def _end_process(code: int) -> None:
    """End the process once its output is out, without the interpreter's teardown: a command on a
    100,000-workload plan leaves millions of objects (the plan, its projection, their cells) that
    the teardown would walk and free one by one, over a second on a busy machine; the system
    frees the process's memory at once.  The output and the log are flushed first."""
    import logging
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            _silence_stdout()
        except (OSError, ValueError, AttributeError):  # closed or replaced: nothing left to flush
            pass
    logging.shutdown()
    os._exit(code)


def _run(argv: list[str], extra: Sequence[Registrar], default: Callable[[], int] | None) -> int:
    if not argv:
        if default is not None:
            return default()
        argv = ["summary"]
    # Only the command that runs is loaded; the others are listed by name and help line.
    parser = build_parser(extra, only=_commands_to_load(argv))
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
