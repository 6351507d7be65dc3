"""Importing a budget gives the plan, the report and every finding the straightforward reading
gave before the importer's fast paths (tests/import_reference.py): digit for digit, finding for
finding, on budgets full of odd cells (errors, dates, booleans, blanks, huge numbers, numbers
written as text, totals, repeated headers, section titles, month columns, stated costs)."""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, time

import openpyxl
import pytest

from pricing.files.planfile import plan_json_bytes
from pricing.importer import ImportRefused, assembly, converters, import_file, tables
from tests import import_reference
from tests.import_helpers import private_mapping_store  # noqa: F401

TEXT = ["a", "", None, "  ", "Total", "x" * 50, 12, 1.5, True, date(2026, 3, 4), "ñandú", "#N/A", "Sum", "Workload"]
MODEL = ["gpt-4o", "gpt-4o-mini", "acme-internal-llm", "arcee-ai/maestro-reasoning", "", None, "GPT 4o", "Model",
         "openai/gpt-oss-120b", 5, "claude-3-5-haiku-20241022", "tiny", "  gpt-4o  ", "#DIV/0!", "Total"]
NUM = [1000, 1000.0, 2.5, -5, 0, "1,000", "2M", "1.5k", " 12 ", "", None, "abc", 1e300, 1e16, 10**13, -0.0, "nan",
       True, "1.000", "12%", date(2026, 1, 1), 999999999999, "1e400", "١٢٣", "9" * 21, 7, 7, 7, 300, 300, "300"]
SHARE = ["65%", "0%", 0.5, 1.5, "", None, "-3%", 50, "half", True, "5%", 0.05, 11, -0.0, "0,5"]
DATES = ["2026-01", date(2026, 2, 15), datetime(2027, 5, 3, 12, 0), "", None, "Feb 2026", "garbage", 46000, 46000.5,
         "13/2026", time(12, 0)]
MODES = ["", None, "Batch API", "serverless", "weird", "Batch", "dedicated", 1, "flex"]
PRICES = [0.5, "$1.25", "", None, "abc", -1, 200000, "0,75", 0.0000009, 3, "1e-7"]
COLUMNS = [("Workload", TEXT), ("Model", MODEL), ("Tenant", TEXT), ("Feature", TEXT), ("Environment", TEXT),
           ("Provider", ["openai", "", None, "together", "acme"]), ("Deployment", MODES), ("Start month", DATES),
           ("Requests per month", NUM), ("Requests per day", NUM), ("Avg input tokens", NUM),
           ("Avg output tokens", NUM), ("Input tokens per month", NUM), ("Output tokens per month", NUM),
           ("Cached %", SHARE), ("Monthly growth", SHARE), ("Input price per 1M", PRICES),
           ("Output price per 1M", PRICES), ("Cost per request", PRICES), ("Monthly cost", PRICES),
           ("Notes", TEXT), ("Capacity", TEXT), ("Model", MODEL)]
MONTHS = [("Jan-26", NUM), ("Feb-26", NUM), ("Mar-26", NUM), ("Apr-26", NUM)]


def _budget(seed: int, rows: int) -> tuple[list[str], list[list]]:
    rnd = random.Random(seed)
    must = [COLUMNS[1], COLUMNS[8] if rnd.random() < 0.7 else COLUMNS[9], COLUMNS[10], COLUMNS[11]]
    chosen = must + rnd.sample([c for c in COLUMNS if c not in must], rnd.randint(2, 10))
    if seed % 4 == 0:  # requests written month by month
        chosen = [c for c in chosen if not c[0].startswith("Requests")] + MONTHS
    rnd.shuffle(chosen)
    header = [name for name, _ in chosen]
    body = []
    for i in range(rows):
        pick = rnd.random()
        if pick < 0.03:
            body.append([])
        elif pick < 0.05:
            body.append(["Total"] + [rnd.choice(NUM) for _ in header[1:]])
        elif pick < 0.06:
            body.append(list(header))
        elif pick < 0.07:
            body.append([f"Section {i}"])
        elif pick < 0.5:  # a plain row: its key filled, its figures plain
            body.append([f"w{i}" if name == "Workload" else rnd.choice(["gpt-4o", "acme-internal-llm"])
                         if name == "Model" else str(rnd.randint(1, 5000)) if pool is NUM else rnd.choice(pool)
                         for name, pool in chosen])
        else:
            body.append([rnd.choice(pool) for _, pool in chosen])
    return header, body


def _write(path, header, body):
    if path.suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in row] for row in body])
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget"
    sheet.append(["Budget FY26"])
    sheet.append(header)
    for row in body:
        sheet.append(row)
    for ref in ("B5", "C7"):  # error cells
        sheet[ref] = "#N/A"
        sheet[ref].data_type = "e"
    rates = book.create_sheet("Rates")
    rates.append(["Provider", "Model", "Input", "Output", "Context window"])
    rates.append(["acme", "acme-internal-llm", 0.5, "1.5", 32768])
    rates.append(["acme", "acme-internal-llm", 0.6, "bad", 0])
    rates.append(["acme", "tiny", "-1", "2", "x"])
    book.save(path)
    return path


def _outcome(path):
    try:
        result = import_file(path, remember=False)
    except ImportRefused as exc:
        return ("refused", str(exc))
    report = result.report
    records = [(list(w.__dict__.items()), w.model_fields_set) for w in result.plan.workloads]
    return (plan_json_bytes(result.plan), report.as_dict(), report.as_text(), [str(f) for f in report.findings],
            repr(result.mapping), records)


def _reference(monkeypatch, path):
    with monkeypatch.context() as patch:
        patch.setattr(tables, "extract", import_reference.extract)
        patch.setattr(assembly, "build_plan", import_reference.build_plan)
        patch.setattr(tables, "convert_column", import_reference.convert_column)
        return _outcome(path)


@pytest.mark.parametrize("seed", range(16))
def test_an_odd_budget_imports_as_the_straightforward_reading_imports_it(seed, tmp_path, monkeypatch):
    header, body = _budget(seed, 160)
    path = _write(tmp_path / f"budget{seed}.{'xlsx' if seed % 2 else 'csv'}", header, body)
    now = _outcome(path)
    assert now == _reference(monkeypatch, path)
    if now[0] != "refused":
        assert now[1]["findings"]  # odd cells are found, and compared


def test_a_large_plain_budget_imports_as_the_straightforward_reading_imports_it(tmp_path, monkeypatch):
    from benchmarks.bench_import import write_workloads_csv, write_workloads_xlsx

    for path in (write_workloads_csv(tmp_path / "w.csv", 6000), write_workloads_xlsx(tmp_path / "w.xlsx", 6000)):
        assert _outcome(path) == _reference(monkeypatch, path)


def test_the_reference_is_what_runs_when_patched_in(tmp_path, monkeypatch):
    """The comparison above compares two readings: the patched import runs the reference's code."""
    ran = []
    real = import_reference.convert_column
    monkeypatch.setattr(import_reference, "convert_column", lambda *a: ran.append(1) or real(*a))
    header, body = _budget(3, 30)
    _reference(monkeypatch, _write(tmp_path / "b.csv", header, body))
    assert ran
    assert converters.convert_column is not import_reference.convert_column


def test_the_rows_whose_values_were_checked_by_column_are_made_without_validating(tmp_path, monkeypatch):
    """The comparisons above cover both ways of making a record: most odd rows are validated, and
    every row of a plain budget is made from its checked columns."""
    from benchmarks.bench_import import write_workloads_csv

    validated = []
    real = assembly._validate
    monkeypatch.setattr(assembly, "_validate", lambda data: validated.append(1) or real(data))
    result = import_file(write_workloads_csv(tmp_path / "w.csv", 500), remember=False)
    assert len(result.plan.workloads) == 500 and validated == []
    header, body = _budget(1, 160)
    odd = import_file(_write(tmp_path / "odd.xlsx", header, body), remember=False)
    assert 0 < len(validated) < len(odd.plan.workloads)


def test_rows_checked_a_slice_at_a_time_are_the_rows_checked_at_once(monkeypatch):
    from decimal import Decimal

    from pricing.importer import workload_rows

    rnd = random.Random(3)
    pool = [Decimal(5), Decimal("NaN"), Decimal("1E+30"), 7, None, converters.ABSENT, converters.BAD, "x"]
    merged = {"input_tokens": [rnd.choice(pool) for _ in range(100)],
              "start_month": [rnd.choice([date(2026, 1, 1), date(2026, 1, 2), None]) for _ in range(100)]}
    whole = workload_rows._held(merged, 100)
    monkeypatch.setattr(workload_rows, "CELLS_A_PASS", 7)
    assert workload_rows._held(merged, 100) == whole
    # held: a Decimal within its bound or no value (worked out on the row), and a month's first day or none
    expected = [(v is None or v is converters.ABSENT or v is converters.BAD or v is pool[0])
                and merged["start_month"][i] != date(2026, 1, 2) for i, v in enumerate(merged["input_tokens"])]
    assert whole == expected and True in whole and False in whole
