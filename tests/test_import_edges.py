"""Budgets at the edges: a file too large is refused whole (never cut to a partial total), total
rows in other languages are skipped, and the decimal mark of '1.000' is decided from the file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.costing.projection import project
from pricing.importer import ImportRefused, import_file

ROOT = Path(__file__).resolve().parents[1]


def _fifty_megabytes(path: Path) -> int:
    row = "gpt-4o,1000,500,100,a note of some words, to fill the row\n"
    rows = 50_000_000 // len(row)
    with open(path, "w") as handle:
        handle.write("Model,Requests per month,Avg input tokens,Avg output tokens,Notes\n")
        handle.write(row * rows)
    return rows


def test_a_50_mb_csv_budget_is_refused_whole_naming_its_size_and_the_limit_in_under_1_gb(tmp_path):
    path = tmp_path / "huge.csv"
    rows = _fifty_megabytes(path)
    assert rows > 800_000
    script = textwrap.dedent(f"""
        import resource, sys
        from pricing.importer import ImportRefused, import_file
        try:
            import_file({str(path)!r}, remember=False)
        except ImportRefused as exc:
            print(exc)
        else:
            print("imported")
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=600)
    message, peak_kb = result.stdout.strip().splitlines()
    assert message.startswith("huge.csv: ") and "refused whole" in message
    assert "50.0 MB" in message and f"{rows + 1:,} rows" in message and "200,000" in message
    assert int(peak_kb) < 1024 * 1024


def test_a_sheet_beyond_the_row_limit_is_refused_not_cut(tmp_path, monkeypatch):
    import pricing.importer.sources as sources
    import pricing.importer.tables as tables

    monkeypatch.setattr(sources, "MAX_ROWS", 50)
    monkeypatch.setattr(tables, "MAX_ROWS", 50)
    path = tmp_path / "budget.csv"
    path.write_text("Model,Requests per month,Input tokens,Output tokens\n" + "gpt-4o,1000,500,100\n" * 400)
    with pytest.raises(ImportRefused, match="401 rows, more than the 50 rows"):
        import_file(path, remember=False)


@pytest.mark.parametrize("word", ["Summe", "Gesamt", "Gesamtsumme", "Total général", "Totale", "Totale complessivo",
                                  "Zwischensumme", "Sous-total", "Insgesamt", "Totaal", "Totalt", "Suma", "Summa"])
def test_a_total_row_in_another_language_is_skipped_not_imported(tmp_path, word):
    path = tmp_path / "budget.csv"
    path.write_text("Workload,Model,Requests per month,Input tokens,Output tokens\n"
                    "Chat,gpt-4o,1000,500,100\nSearch,gpt-4o,3000,500,100\n"
                    f"{word},,4000,1000,200\n")
    result = import_file(path, remember=False)
    assert [w.name for w in result.plan.workloads] == ["Chat", "Search"]
    assert any("total or subtotal" in d for d in result.report.decisions)


def test_a_workload_whose_name_starts_like_a_total_word_is_kept(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Workload,Model,Requests per month,Input tokens,Output tokens\n"
                    "Summary bot,gpt-4o,1000,500,100\nSommelier,gpt-4o,1000,500,100\n")
    result = import_file(path, remember=False)
    assert [w.name for w in result.plan.workloads] == ["Summary bot", "Sommelier"]


def test_one_thousand_written_with_a_dot_is_1000_in_a_file_that_writes_decimal_commas(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Modell;Anfragen pro Monat;Input tokens;Output tokens;Input $/1M;Output $/1M\n"
                    "maestro;1.000;3.000;1.000;0,90;3,30\n", encoding="utf-8")
    (w,) = import_file(path, remember=False).plan.workloads
    assert (w.requests_per_month, w.input_tokens, w.output_tokens) == (1000, 3000, 1000)


def test_one_point_zero_zero_zero_is_one_in_a_file_that_writes_decimal_points(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Model,Requests per month,Input tokens,Output tokens,Input $/1M,Output $/1M\n"
                    "maestro,1000,3000,1000,1.000,3.30\n")
    result = import_file(path, remember=False)
    (rate,) = result.plan.rates
    assert rate.versions[0].input_mtok == Decimal("1.000")
    assert project(result.plan).rows[0].costs[0] == Decimal(1000) * (3000 + 1000 * Decimal("3.30")) / 1_000_000


def test_text_numbers_in_a_workbook_follow_the_same_rule_as_a_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Modell", "Anfragen pro Monat", "Input tokens", "Output tokens", "Input $/1M", "Output $/1M"])
    sheet.append(["maestro", "1.000", "3.000", "1.000", "0,90", "3,30"])
    path = tmp_path / "budget.xlsx"
    book.save(path)
    result = import_file(path, remember=False)
    (w,) = result.plan.workloads
    assert (w.requests_per_month, w.input_tokens, w.output_tokens) == (1000, 3000, 1000)
    assert any("'1.500' is 1500" in d for d in result.report.decisions)


def test_typed_into_the_app_1_000_is_one_and_1_000_000_is_a_million():
    from pricing.plan.numbers import parse_number

    assert parse_number("1.000") == 1 and parse_number("1,000") == 1000 and parse_number("1.000.000") == 1_000_000
