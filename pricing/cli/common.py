"""What the commands share: errors, number parsing, money as exact strings."""

from __future__ import annotations

import json
import sys
from decimal import Decimal, localcontext
from pathlib import Path

from pricing.plan.models import Plan
from pricing.plan.money import SUM_CONTEXT


class CliError(Exception):
    """One line for stderr; the command exits with status 2."""


def money_str(value: Decimal, min_places: int = 2) -> str:
    """An exact decimal string with at least ``min_places`` decimals and no exponent.

    Trailing zeros beyond ``min_places`` are dropped, nothing is rounded:
    12000.0000 -> '12000.00', 0.0060 with min_places=4 -> '0.0060'.
    """
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
        raise CliError(f"{what}: {exc}") from None


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def load_plan_arg(path: str | None) -> tuple[Plan, list]:
    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import PlanFileError, open_plan

    target = Path(path) if path else sample_plan_path()
    try:
        return open_plan(target)
    except PlanFileError as exc:
        raise CliError(str(exc)) from None


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def refuse_if_held(path: Path, force: bool) -> None:
    """Refuse to overwrite a file someone has open (a LibreOffice, Excel or Token Budget lock) unless forced."""
    from pricing.files.locks import held_by

    owner = held_by(path)
    if owner is not None and not force:
        raise CliError(f"{path}: open in {owner.describe()}; not overwritten (--force overwrites it anyway)")
