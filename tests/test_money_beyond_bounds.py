"""Money written from figures beyond a plan's bounds (a budget's stated cost of 1e300 being
imported): written in full, never an InvalidOperation from rounding wider than 80 digits."""

from __future__ import annotations

from decimal import Decimal

from pricing.importer import import_file
from pricing.plan.money import format_money, money_writer

HUGE = Decimal("1e300")


def test_format_money_writes_a_figure_of_over_80_digits_in_full():
    assert format_money(HUGE) == "$1" + ",000" * 100 + ".00"


def test_format_money_rounds_a_figure_of_over_80_digits_half_up_at_the_cent():
    assert format_money(Decimal("9" * 90 + ".995")) == "$1" + ",000" * 30 + ".00"


def test_a_money_writer_writes_a_figure_of_over_80_digits_as_format_money_does():
    assert money_writer(2, "EUR", "de_DE")(-HUGE) == format_money(-HUGE, 2, "EUR", "de_DE")


def test_format_money_writes_an_infinity_instead_of_raising():
    assert format_money(Decimal("-Infinity")) == "-$∞"


def test_a_stated_monthly_cost_of_1e300_is_a_warning_at_its_cell_not_a_failed_import(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Workload,Model,Requests per month,Avg input tokens,Avg output tokens,Monthly cost\n"
                    "chat,gpt-4o,1000,500,200,1e300\n", encoding="utf-8")
    result = import_file(path, remember=False)
    stated = [f for f in result.report.findings if f.field == "stated_monthly_cost"]
    assert len(result.plan.workloads) == 1
    assert [f.cell for f in stated] == ["F2"] and "$1" + ",000" * 100 + ".00" in stated[0].message
