"""Budgets with the months across the columns: each workload's requests written month by month.

Use case | Model | Avg input tokens | Avg output tokens | Jan-26 | Feb-26 | Mar-26 | Apr-26

Each workload becomes its first month with requests, that month's requests, and the one
constant monthly growth reaching its last month with requests; the report says where
that growth does not reproduce the file.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pricing.plan.money import round_cents

from pricing.plan.findings import Severity
from pricing.importer import ImportMapping, import_file, scan
from pricing.importer.series import MonthValue, fit_series
from pricing.costing.projection import Projection
from tests.import_helpers import private_mapping_store  # noqa: F401

HEADER = ["Use case", "Model", "Avg input tokens", "Avg output tokens"]
MONTHS = ["Jan-26", "Feb-26", "Mar-26", "Apr-26"]
ROWS = [
    ["Support bot", "gpt-4o-mini", 1200, 300, 100000, 120000, 150000, 180000],
    ["Search", "gpt-4o", 900, 60, 50000, 50000, 60000, 60000],
]
#: (180000 / 100000) ** (1/3) - 1 and (60000 / 50000) ** (1/3) - 1, to 6 decimal places.
SUPPORT_GROWTH = Decimal("0.216440")
SEARCH_GROWTH = Decimal("0.062659")


def budget(path: Path, months=MONTHS, rows=ROWS, title="LLM volume forecast FY26", header=HEADER) -> Path:
    """The finance layout: a title, a blank row, the header with a column per month, a row per use case."""
    lines = [[title], [], list(header) + list(months)] + [list(r) for r in rows]
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["" if v is None else v for v in line] for line in lines])
        return path
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Forecast"
    for line in lines:
        ws.append(line)
    for cell in ws[3]:
        if isinstance(cell.value, datetime):
            cell.number_format = "mmm-yy"  # how Excel stores "Jan-26" typed into a cell
    wb.save(path)
    return path


def workloads(result) -> dict:
    return {w.name: w for w in result.plan.workloads}


def warnings_for(result, name: str) -> list:
    return [f for f in result.report.findings if f.workload == name and f.severity is Severity.WARNING]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_months_across_the_columns_become_start_requests_and_growth(tmp_path, suffix):
    result = import_file(budget(tmp_path / f"forecast{suffix}"), remember=False)
    support, search = workloads(result)["Support bot"], workloads(result)["Search"]
    assert (support.start_month, support.requests_per_month, support.monthly_growth) == \
        (date(2026, 1, 1), Decimal(100000), SUPPORT_GROWTH)
    assert (search.start_month, search.requests_per_month, search.monthly_growth) == \
        (date(2026, 1, 1), Decimal(50000), SEARCH_GROWTH)
    assert isinstance(support.monthly_growth, Decimal) and isinstance(support.requests_per_month, Decimal)
    assert not result.report.errors


def test_the_growth_reaches_the_last_month_as_written(tmp_path):
    support = workloads(import_file(budget(tmp_path / "forecast.xlsx"), remember=False))["Support bot"]
    reached = support.requests_per_month * (1 + support.monthly_growth) ** 3
    assert abs(reached - 180000) / 180000 < Decimal("0.000005")  # only the 6-place rounding of the growth


def test_month_headers_stored_as_date_cells_are_months(tmp_path):
    months = [datetime(2026, 1, 1), datetime(2026, 2, 1), date(2026, 3, 1), datetime(2026, 4, 1)]
    result = import_file(budget(tmp_path / "dated.xlsx", months=months), remember=False)
    support = workloads(result)["Support bot"]
    assert (support.start_month, support.requests_per_month, support.monthly_growth) == \
        (date(2026, 1, 1), Decimal(100000), SUPPORT_GROWTH)


@pytest.mark.parametrize("months", [
    ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"],
    ["2026-01", "2026-02", "2026-03", "2026-04"],
    ["January 2026", "February 2026", "March 2026", "April 2026"],
    ["Requests Jan-26", "Requests Feb-26", "Requests Mar-26", "Requests Apr-26"],
    ["Jan '26", "Feb '26", "Mar '26", "Apr '26"],
    ["Jan 26", "Feb 26", "Mar 26", "Apr 26"],
    ["Anfragen Januar 2026", "Anfragen Februar 2026", "Anfragen März 2026", "Anfragen April 2026"],
    ["gennaio 2026", "febbraio 2026", "marzo 2026", "aprile 2026"],
    ["janeiro 2026", "fevereiro 2026", "março 2026", "abril 2026"],
    ["januari 2026", "februari 2026", "maart 2026", "april 2026"],
    ["styczeń 2026", "luty 2026", "marzec 2026", "kwiecień 2026"],
], ids=lambda m: m[0])
def test_month_headers_written_other_ways_are_months(tmp_path, months):
    result = import_file(budget(tmp_path / "forecast.xlsx", months=months), remember=False)
    support = workloads(result)["Support bot"]
    assert (support.start_month, support.requests_per_month, support.monthly_growth) == \
        (date(2026, 1, 1), Decimal(100000), SUPPORT_GROWTH)


def test_the_plan_starts_with_the_earliest_month_column(tmp_path):
    rows = [["Later bot", "gpt-4o-mini", 1200, 300, None, 0, 5000, 5000]]
    result = import_file(budget(tmp_path / "forecast.xlsx", rows=rows), remember=False)
    assert result.plan.assumptions.first_month == date(2026, 1, 1)
    assert "first month 2026-01 (the earliest month column in the file); horizon 36 months" in result.report.decisions


def test_blank_and_zero_months_before_the_first_requests_start_the_workload_later(tmp_path):
    rows = [["Later bot", "gpt-4o-mini", 1200, 300, None, 0, 5000, 5000]]
    result = import_file(budget(tmp_path / "forecast.xlsx", rows=rows), remember=False)
    later = workloads(result)["Later bot"]
    assert (later.start_month, later.requests_per_month, later.monthly_growth) == \
        (date(2026, 3, 1), Decimal(5000), Decimal(0))
    assert not result.report.findings


def test_a_flat_series_has_no_growth_and_no_warning(tmp_path):
    rows = [["Flat", "gpt-4o-mini", 1200, 300, 70000, 70000, 70000, 70000]]
    result = import_file(budget(tmp_path / "flat.xlsx", rows=rows), remember=False)
    assert workloads(result)["Flat"].monthly_growth == Decimal(0)
    assert not result.report.findings


def test_a_series_with_constant_growth_is_reproduced_without_a_warning(tmp_path):
    rows = [["Steady", "gpt-4o-mini", 1200, 300, 100000, 110000, 121000, 133100]]
    result = import_file(budget(tmp_path / "steady.xlsx", rows=rows), remember=False)
    assert workloads(result)["Steady"].monthly_growth == Decimal("0.1")
    assert not result.report.findings


def test_an_uneven_series_warns_naming_the_worst_month_cell_and_both_values(tmp_path):
    result = import_file(budget(tmp_path / "forecast.xlsx"), remember=False)
    [support] = warnings_for(result, "Support bot")
    # Feb: the file has 120,000; 100,000 × 1.21644 = 121,644 is 1.4% off, the worst of the months.
    assert support.cell == "F4" and support.sheet == "Forecast" and support.file == "forecast.xlsx"
    assert "120,000" in support.message and "121,644" in support.message
    [search] = warnings_for(result, "Search")
    assert search.cell == "F5" and "50,000" in search.message and "53,133" in search.message


def test_the_report_summarises_the_month_columns_once_per_table(tmp_path):
    result = import_file(budget(tmp_path / "forecast.xlsx"), remember=False)
    summaries = [d for d in result.report.decisions if "requests by month in columns E:H" in d]
    assert len(summaries) == 1
    assert "rounded to 6 decimal places" in summaries[0]
    assert "0 of 2 workload(s) match the file within 0.5%" in summaries[0]


def test_a_workload_that_stops_is_kept_running_with_a_warning(tmp_path):
    rows = [["Pilot", "gpt-4o-mini", 1200, 300, 40000, 40000, 0, 0]]
    result = import_file(budget(tmp_path / "pilot.xlsx", rows=rows), remember=False)
    pilot = workloads(result)["Pilot"]
    assert (pilot.start_month, pilot.requests_per_month, pilot.monthly_growth) == \
        (date(2026, 1, 1), Decimal(40000), Decimal(0))
    [stop] = warnings_for(result, "Pilot")
    assert stop.cell == "G4" and "keeps it running" in stop.message


@pytest.mark.parametrize("months, title", [
    (MONTHS, "LLM spend forecast FY26 (USD)"),
    (MONTHS, "All figures in $"),
    (["Cost Jan-26", "Cost Feb-26", "Cost Mar-26", "Cost Apr-26"], "LLM forecast"),
    (["Jan-26 ($)", "Feb-26 ($)", "Mar-26 ($)", "Apr-26 ($)"], "LLM forecast"),
    (["Tokens Jan-26", "Tokens Feb-26", "Tokens Mar-26", "Tokens Apr-26"], "LLM forecast"),
], ids=["note-spend", "note-dollar", "header-cost", "header-dollar", "header-tokens"])
def test_month_columns_of_cost_or_tokens_are_not_read_as_requests(tmp_path, months, title):
    result = import_file(budget(tmp_path / "spend.xlsx", months=months, title=title), remember=False)
    assert all(w.requests_per_month == 0 and w.monthly_growth == 0 for w in result.plan.workloads)
    [why] = [d for d in result.report.decisions if "month columns E:H" in d]
    assert "are not read as requests" in why
    table = scan(tmp_path / "spend.xlsx").tables[0]
    assert not table.month_columns()
    assert all("not read as requests" in c.reason for c in table.columns[4:])


def test_month_cells_written_as_money_are_not_read_as_requests(tmp_path):
    rows = [["Support bot", "gpt-4o-mini", 1200, 300, "$1,200", "$1,300", "$1,350", "$1,400"]]
    result = import_file(budget(tmp_path / "spend.csv", rows=rows), remember=False)
    assert result.plan.workloads[0].requests_per_month == 0
    assert any("are not read as requests: their cells are money" in d for d in result.report.decisions)


def test_a_requests_column_of_its_own_wins_over_month_columns(tmp_path):
    header = HEADER + ["Monthly calls"]
    rows = [["Support bot", "gpt-4o-mini", 1200, 300, 5000, 100000, 120000, 150000, 180000]]
    result = import_file(budget(tmp_path / "both.xlsx", rows=rows, header=header), remember=False)
    assert result.plan.workloads[0].requests_per_month == Decimal(5000)
    assert any("month columns F:I" in d and "requests column of its own" in d for d in result.report.decisions)


def test_a_unit_in_the_month_headers_scales_the_requests(tmp_path):
    months = ["Jan-26 (k)", "Feb-26 (k)"]
    rows = [["Support bot", "gpt-4o-mini", 1200, 300, 100, 100]]
    result = import_file(budget(tmp_path / "thousands.xlsx", months=months, rows=rows), remember=False)
    assert result.plan.workloads[0].requests_per_month == Decimal(100_000)


def test_an_unreadable_month_cell_is_reported_and_left_out(tmp_path):
    rows = [["Support bot", "gpt-4o-mini", 1200, 300, 100000, "lots", 100000, 100000]]
    result = import_file(budget(tmp_path / "bad.xlsx", rows=rows), remember=False)
    [bad] = result.report.errors
    assert bad.cell == "F4" and "lots" in bad.message
    support = result.plan.workloads[0]
    assert (support.requests_per_month, support.monthly_growth) == (Decimal(100000), Decimal(0))


def test_the_scan_shows_each_month_column_with_its_field_and_reason(tmp_path):
    [table] = scan(budget(tmp_path / "forecast.xlsx")).tables
    by_letter = {c.letter: c for c in table.columns}
    assert [by_letter[x].field for x in "EFGH"] == ["requests_in_month"] * 4
    assert by_letter["E"].reason == "header 'Jan-26' is a month: requests in Jan 2026"
    assert by_letter["H"].month == date(2026, 4, 1)
    assert by_letter["C"].field == "input_tokens"


def test_a_remembered_mapping_replays_the_month_columns(tmp_path, private_mapping_store):
    january = budget(tmp_path / "january.xlsx")
    guessed = scan(january).to_mapping()
    assert guessed.tables[0].months == {"E": "2026-01", "F": "2026-02", "G": "2026-03", "H": "2026-04"}
    assert "requests_in_month" not in guessed.tables[0].columns
    import_file(january, guessed)  # an explicit mapping is remembered for this layout
    rows = [["Support bot", "gpt-4o-mini", 1200, 300, 200000, 200000, 200000, 200000]]
    result = import_file(budget(tmp_path / "february.xlsx", rows=rows))
    assert "used the mapping remembered for files of this layout" in result.report.decisions
    support = result.plan.workloads[0]
    assert (support.start_month, support.requests_per_month, support.monthly_growth) == \
        (date(2026, 1, 1), Decimal(200000), Decimal(0))
    assert result.mapping.tables[0].months == guessed.tables[0].months


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_a_mapping_with_month_columns_round_trips_through_its_file(tmp_path, suffix):
    mapping = scan(budget(tmp_path / "forecast.xlsx")).to_mapping()
    mapping.save(tmp_path / f"mapping{suffix}")
    assert ImportMapping.load(tmp_path / f"mapping{suffix}") == mapping


def test_the_first_month_costs_requests_times_the_cost_of_a_request(tmp_path):
    plan = import_file(budget(tmp_path / "forecast.xlsx"), remember=False).plan
    projection = Projection(plan)
    rates = {r.id: r for r in plan.rates}
    for i, w in enumerate(plan.workloads):
        version = rates[w.model].version_on(plan.assumptions.first_month)
        per_request = (w.input_tokens * version.input_mtok + w.output_tokens * version.output_mtok) / Decimal(1_000_000)
        costs = projection.rows[i].costs
        assert costs[0] == round_cents(w.requests_per_month * per_request)
        assert costs[0] > 0
        assert costs[1] == round_cents(w.requests_per_month * per_request * (1 + w.monthly_growth))


def test_growth_counts_the_months_between_columns_that_skip_months():
    # Quarterly columns: Jan, Apr, Jul; 100 → 200 over 6 months is 2 ** (1/6) - 1 a month.
    points = [MonthValue(date(2026, 1, 1), Decimal(100), "E2"), MonthValue(date(2026, 4, 1), None, "F2"),
              MonthValue(date(2026, 7, 1), Decimal(200), "G2")]
    fit = fit_series(points)
    assert fit.growth == Decimal("0.122462")
    assert [p.cell for p in fit.gaps] == ["F2"]


def test_a_requests_column_after_requests_by_month_headers_is_still_the_requests_column(tmp_path):
    header = HEADER + ["Requests Jan-26", "Requests Feb-26", "Monthly requests"]
    rows = [["Support bot", "gpt-4o-mini", 1200, 300, 10, 20, 5000]]
    result = import_file(budget(tmp_path / "both.xlsx", months=[], rows=rows, header=header), remember=False)
    assert result.plan.workloads[0].requests_per_month == Decimal(5000)
    assert not result.report.errors


def test_absurd_month_values_are_findings_on_their_cells_not_crashes(tmp_path):
    rows = [["Huge", "gpt-4o-mini", 1200, 300, 1, 1e300, None, None],
            ["Crash", "gpt-4o-mini", 1200, 300, 1e300, 1, None, None]]
    result = import_file(budget(tmp_path / "absurd.xlsx", rows=rows), remember=False)
    beyond = [f for f in result.report.findings if "beyond the largest" in f.message]
    assert len({f.cell[-1] for f in beyond}) == 2  # one on each row, naming its cell
    assert all(w.requests_per_month <= 10**12 and w.monthly_growth <= 10 for w in result.plan.workloads)
    Projection(result.plan)  # nothing raises


# --------------------------------------------------------------------------- month names without a year
YEARLESS = ["Jan", "Feb", "Mar", "Apr"]


def yearless_budget(path: Path, months=YEARLESS, rows=ROWS, title="LLM volume forecast", above=None) -> Path:
    """A title, then ``above`` (a row over the month columns, e.g. the year), the header with
    month names and no year, a row per use case."""
    lines = [[title], list(above) if above is not None else [], list(HEADER) + list(months)] + [list(r) for r in rows]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Forecast"
    for line in lines:
        ws.append(line)
    wb.save(path)
    return path


def first_workload(result):
    w = workloads(result)["Support bot"]
    return w.start_month, w.requests_per_month, w.monthly_growth


def test_a_year_row_above_month_names_gives_their_year(tmp_path):
    above = [None, None, None, None, "FY2026 / 2026"]
    path = yearless_budget(tmp_path / "year_row.xlsx", above=above)
    assert first_workload(import_file(path, remember=False)) == (date(2026, 1, 1), Decimal(100000), SUPPORT_GROWTH)
    by_letter = {c.letter: c for c in scan(path).tables[0].columns}
    assert by_letter["E"].reason == "header 'Jan' is a month: requests in Jan 2026 (year from cell E2)"
    assert by_letter["H"].month == date(2026, 4, 1) and by_letter["H"].field == "requests_in_month"


def test_a_year_in_the_title_gives_the_month_names_their_year(tmp_path):
    path = yearless_budget(tmp_path / "title.xlsx", months=["January", "February", "March", "April"],
                           title="LLM volume forecast 2027")
    assert first_workload(import_file(path, remember=False)) == (date(2027, 1, 1), Decimal(100000), SUPPORT_GROWTH)
    [table] = scan(path).tables
    assert table.columns[4].reason == \
        "header 'January' is a month: requests in Jan 2027 (year from 'LLM volume forecast 2027' in cell A1)"


def test_a_fiscal_year_in_the_title_is_read_as_its_calendar_year(tmp_path):
    result = import_file(yearless_budget(tmp_path / "fy.xlsx", title="Budget FY26"), remember=False)
    assert first_workload(result) == (date(2026, 1, 1), Decimal(100000), SUPPORT_GROWTH)
    assert any("month headers E:H (Jan 2026 – Apr 2026) name no year" in d and "FY26 read as calendar 2026" in d
               for d in result.report.decisions)


def test_month_names_running_past_december_roll_into_the_next_year(tmp_path):
    months = ["Oct", "Nov", "Dec", "Jan"]
    path = yearless_budget(tmp_path / "year_end.xlsx", months=months, title="Forecast 2026")
    [table] = scan(path).tables
    assert [c.month for c in table.month_columns()] == \
        [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
    assert table.columns[7].reason.endswith("the months cross a year end)")
    assert first_workload(import_file(path, remember=False)) == (date(2026, 10, 1), Decimal(100000), SUPPORT_GROWTH)


def test_month_names_with_no_year_anywhere_are_not_read_and_the_report_says_how_to_fix_it(tmp_path):
    path = yearless_budget(tmp_path / "no_year.xlsx", title="LLM volume forecast")
    result = import_file(path, remember=False)
    assert all(w.requests_per_month == 0 for w in result.plan.workloads)
    [why] = [d for d in result.report.decisions if "month columns E:H" in d]
    assert "(Jan…Apr) have no year" in why and "write the year above them or in the header (Jan-26)" in why
    table = scan(path).tables[0]
    assert not table.month_columns()
    assert all(c.field is None and "month without a year" in c.reason for c in table.columns[4:])


def test_a_cost_note_still_keeps_month_names_with_a_year_from_being_read_as_requests(tmp_path):
    path = yearless_budget(tmp_path / "spend.xlsx", title="LLM spend forecast 2026 (USD)")
    result = import_file(path, remember=False)
    assert all(w.requests_per_month == 0 and w.monthly_growth == 0 for w in result.plan.workloads)
    [why] = [d for d in result.report.decisions if "month columns E:H" in d]
    assert "are not read as requests" in why and "note above the table" in why
    assert not scan(path).tables[0].month_columns()


def test_a_remembered_mapping_is_not_replayed_on_next_years_file_of_month_names(tmp_path, private_mapping_store):
    this_year = yearless_budget(tmp_path / "2026.xlsx", title="LLM volume forecast 2026")
    import_file(this_year, scan(this_year).to_mapping())  # remembered for this layout, its months as 2026-01...
    result = import_file(yearless_budget(tmp_path / "2027.xlsx", title="LLM volume forecast 2027"))
    assert "used the mapping remembered for files of this layout" not in result.report.decisions
    assert first_workload(result)[0] == date(2027, 1, 1)
    again = import_file(yearless_budget(tmp_path / "2026b.xlsx", title="LLM volume forecast 2026"))
    assert "used the mapping remembered for files of this layout" in again.report.decisions
