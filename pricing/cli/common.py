"""What the commands share: errors, number parsing, money as exact strings."""

from __future__ import annotations

import sys
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING

from pricing.plan.money import SUM_CONTEXT

if TYPE_CHECKING:
    from pricing.plan.models import Plan


#: Exit statuses, documented in the README and in ``tokenbudget --help``.
EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug: the traceback is in the log file
EXIT_USAGE = 2  # bad usage: an unknown command or option, or an option value out of range
EXIT_DATA = 3  # bad data: a file or value that cannot be read, found or priced
EXIT_OUTPUT = 4  # the output cannot be written: no such folder, no permission, held by someone else
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = (f"exit status: {EXIT_OK} done, {EXIT_USAGE} bad usage, {EXIT_DATA} bad data (a file or value that "
                   f"cannot be read or priced), {EXIT_OUTPUT} output not written, {EXIT_INTERNAL} internal error "
                   f"(details in the log file), {EXIT_INTERRUPTED} interrupted")


#: What commands leave for the process's end to free, when a command runs as its own process
#: (``ends_with_process``); None otherwise.
_left_for_exit: list[object] | None = None


def ends_with_process() -> None:
    """This process ends when its command is done, without the interpreter's teardown
    (``pricing.cli.main``): what a command leaves with ``leave_for_exit`` is freed by the system."""
    global _left_for_exit
    if _left_for_exit is None:
        _left_for_exit = []


def leave_for_exit(*objects: object) -> None:
    """Keep ``objects`` (a plan, its projection) alive until the process ends, when the command runs as
    its own process: freed object by object as the command returns, a 100,000-workload projection
    and its plan (millions of Decimals) take 0.3-0.4 s, while the system frees the process's memory
    at once.  A command called in the same process as other work (tests, the window) keeps nothing."""
    if _left_for_exit is not None:
        _left_for_exit.extend(objects)


class CliError(Exception):
    """One line for stderr; the command exits with ``exit_code`` (bad data unless a subclass says)."""

    exit_code = EXIT_DATA


class UsageError(CliError):
    """The command line itself is wrong: an option's value is out of range or malformed."""

    exit_code = EXIT_USAGE


class OutputError(CliError):
    """The result cannot be written where it was asked to go."""

    exit_code = EXIT_OUTPUT


def money_str(value: Decimal, min_places: int = 2) -> str:
    """An exact decimal string with at least ``min_places`` decimals and no exponent.

    Trailing zeros beyond ``min_places`` are dropped, nothing is rounded:
    12000.0000 -> '12000.00', 0.0060 with min_places=4 -> '0.0060'.
    """
    if min_places == 2:
        # A figure already in cents (a month amount) is its own text: str() writes exactly two
        # decimals, no exponent, for a Decimal of exponent -2, which is what the general path gives.
        text = str(value)
        if len(text) < SUM_CONTEXT.prec and text[-3:-2] == ".":
            return text
    with localcontext(SUM_CONTEXT):  # normalize() must not round
        normalized = value.normalize()
        if normalized.as_tuple().exponent > -min_places:
            normalized = normalized.quantize(Decimal(1).scaleb(-min_places))
    return format(normalized, "f")


def parse_quantity(text: str, what: str) -> Decimal:
    from pricing.plan.numbers import parse_number

    try:
        return parse_number(text)
    except ValueError as exc:
        raise UsageError(f"{what}: {exc}") from None


def print_json(data: object) -> None:
    """``json.dump(data, sys.stdout, indent=2, ensure_ascii=False)`` and a line break (``json_out``: the same text)."""
    from pricing.cli.json_out import write_json

    write_json(data, sys.stdout)
    sys.stdout.write("\n")


def load_plan_arg(path: str | None) -> tuple[Plan, list]:
    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import PlanFileError, open_plan

    from pricing.cli.progress import Progress

    from pricing.plan.money import use_money_format

    target = Path(path) if path else sample_plan_path()
    try:
        with Progress(f"opening {target.name}"):
            plan, findings = open_plan(target)
    except PlanFileError as exc:
        raise CliError(str(exc)) from None
    use_money_format(plan.assumptions.currency, plan.assumptions.locale)  # this command's figures
    leave_for_exit(plan)
    return plan, findings


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def refuse_if_held(path: Path, force: bool) -> None:
    """Refuse to overwrite a file someone has open (a LibreOffice, Excel or Token Budget lock) unless forced."""
    from pricing.files.locks import held_by

    owner = held_by(path)
    if owner is not None and not force:
        raise OutputError(f"{path}: open in {owner.describe()}; not overwritten (--force overwrites it anyway)")
