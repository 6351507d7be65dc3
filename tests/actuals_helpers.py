"""Shared by the actuals tests: the sample plan and the example export files."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from pricing.costing.catalog import sample_plan_path
from pricing.files.planfile import load_plan_json

FILES = Path(__file__).parent / "actuals_files"


def sample_plan():
    return load_plan_json(sample_plan_path())


def per_month_and_model(lines) -> dict[tuple[str, str], Decimal]:
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        out[(line.month.strftime("%Y-%m"), line.model)] += line.cost
    return dict(out)


def unmatched(lines) -> dict[tuple[str, str], Decimal]:
    return per_month_and_model([l for l in lines if l.workload is None])


def month(text: str) -> date:
    y, m = text.split("-")
    return date(int(y), int(m), 1)
