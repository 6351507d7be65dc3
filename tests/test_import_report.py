"""The import report a person reads: one line per distinct problem, however many rows have it."""

from __future__ import annotations

from pricing.importer.report import ImportReport


def test_the_same_problem_on_many_rows_is_one_line_naming_the_count_and_first_cells():
    report = ImportReport()
    for row in range(4, 1004):
        report.find("model 'acme-internal-llm' is not in the catalog", file="b.xlsx", sheet="Budget",
                    cell=f"B{row}", workload=f"use {row}", field="model")
    report.find("cannot read 'lots': not a number", file="b.xlsx", sheet="Budget", cell="D9", workload="use 9",
                field="input_tokens")
    lines = report.grouped_findings(cells_shown=3)
    assert lines == [
        "error: b.xlsx, sheet 'Budget', model: model 'acme-internal-llm' is not in the catalog — 1,000 times "
        "(cells B4, B5, B6 and 997 more)",
        "error: b.xlsx, sheet 'Budget', cell D9, workload 'use 9', input_tokens: cannot read 'lots': not a number",
    ]


def test_the_text_report_counts_every_finding_but_lists_each_problem_once():
    report = ImportReport()
    for row in (4, 5):
        report.find("no rate", file="b.csv", cell=f"C{row}")
    text = report.as_text()
    assert "2 finding(s):" in text and text.count("no rate") == 1 and "C4, C5" in text
