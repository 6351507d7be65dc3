"""Saving a plan as a workbook and opening it again gives the same plan, field for field."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing.costing.catalog import sample_plan_path
from pricing.plan.models import (
    Assumptions, DedicatedEndpoint, DeploymentMode, GpuCluster, ModelRate, Plan, PromptTier, RateVersion, Workload,
)
from pricing.files.planfile import PlanFileError, open_plan
from pricing.files.workbook import load_plan, save_plan
from tests.workbook_helpers import rich_plan

INJECTIONS = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"), max_size=12)
user_text = st.one_of(text, st.sampled_from(INJECTIONS))
# Exact decimals, including ones a double cannot hold (kept on the hidden sheet).
amount = st.decimals(min_value=0, max_value=10**6, places=6,
                     allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal("0.1234567890123456789"), Decimal("0.90"), Decimal("3.30"), Decimal("1E-7"), Decimal("12345678901234567")])
# Rates within the plan's bound ($100,000 per 1M), again with digits a double cannot hold.
rate_amount = st.decimals(min_value=0, max_value=10**5, places=6, allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal("0.1234567890123456789"), Decimal("0.90"), Decimal("3.30"), Decimal("1E-7"), Decimal("12345.678901234567")])
share = st.decimals(min_value=0, max_value=1, places=4)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
months = days.map(lambda d: d.replace(day=1))
counts = st.integers(0, 10**9).map(Decimal) | st.sampled_from([Decimal("-3"), Decimal("2.5")])


@st.composite
def rates(draw, i: int):
    n = draw(st.integers(1, 3))
    starts = draw(st.lists(days, min_size=n, max_size=n, unique=True))
    if draw(st.booleans()):
        starts[0] = None
    versions = tuple(
        RateVersion(effective_from=s, input_mtok=draw(rate_amount), output_mtok=draw(rate_amount),
                    cached_input_mtok=draw(st.none() | rate_amount), cache_write_mtok=draw(st.none() | rate_amount),
                    tiers=tuple(PromptTier(above_input_tokens=t, inclusive=draw(st.booleans()), input_mtok=draw(rate_amount),
                                           output_mtok=draw(rate_amount), cached_input_mtok=draw(st.none() | rate_amount),
                                           cache_write_mtok=draw(st.none() | rate_amount))
                                for t in draw(st.lists(st.integers(0, 10**7), max_size=2, unique=True))))
        for s in starts
    )
    return ModelRate(provider=draw(st.sampled_from(["together", "acme", "=evil"])), model_id=f"m{i}/{draw(text)}x",
                     display_name=draw(user_text), context_length=draw(st.none() | st.integers(1, 10**7)),
                     modes=tuple(draw(st.lists(st.sampled_from(list(DeploymentMode)), min_size=1, max_size=4,
                                               unique=True))),
                     versions=versions, batch_discount=draw(st.none() | share),
                     batch_discounts_cached_input=draw(st.booleans()), source=draw(user_text))


@st.composite
def plans(draw):
    rate_list = [draw(rates(i)) for i in range(draw(st.integers(0, 3)))]
    models = [r.id for r in rate_list] + ["unknown/model"]
    workloads = tuple(
        Workload(name=draw(user_text), model=draw(st.sampled_from(models)), mode=draw(st.sampled_from(list(DeploymentMode))),
                 input_tokens=draw(counts), output_tokens=draw(counts), cached_share=draw(share),
                 requests_per_month=draw(counts), tenant=draw(user_text), feature=draw(user_text),
                 environment=draw(user_text), start_month=draw(st.none() | months),
                 monthly_growth=draw(st.decimals(min_value=-0.5, max_value=0.5, places=4)),
                 notes=draw(user_text), capacity=draw(st.none() | st.sampled_from(["ep", "cl"])))
        for _ in range(draw(st.integers(0, 4)))
    )
    endpoints = tuple(
        DedicatedEndpoint(id=f"ep{k}" if k else "ep", name=draw(user_text), model=draw(st.sampled_from(models)),
                          gpus_per_replica=draw(st.integers(1, 8)), replicas=draw(st.integers(1, 4)),
                          gpu_hour_rate=draw(amount), monthly_commitment=draw(st.none() | amount),
                          included_tokens=draw(st.none() | amount), overage_mtok=draw(st.none() | amount),
                          hours_per_month=draw(st.none() | amount), throughput_tokens_per_s=draw(amount),
                          notes=draw(user_text))
        for k in range(draw(st.integers(0, 2)))
    )
    clusters = tuple(
        GpuCluster(id="cl", name=draw(user_text), gpu_count=draw(st.integers(1, 64)), gpu_hour_rate=draw(amount),
                   hours_per_month=draw(st.none() | amount), storage_monthly=draw(amount),
                   networking_monthly=draw(amount), throughput_tokens_per_s_per_gpu=draw(amount))
        for _ in range(draw(st.integers(0, 1)))
    )
    assumptions = Assumptions(first_month=draw(months), horizon_months=draw(st.integers(12, 36)),
                              hours_per_month=draw(amount.filter(lambda d: d > 0)), batch_discount=draw(share),
                              batch_token_limit=draw(st.integers(1, 10**12).map(Decimal)),
                              fiscal_year_start=draw(st.integers(1, 12)), currency=draw(st.sampled_from(["USD", "EUR"])))
    return Plan(name=draw(user_text), assumptions=assumptions, rates=tuple(rate_list), workloads=workloads,
                endpoints=endpoints, clusters=clusters)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan=plans())
def test_any_plan_comes_back_identical_every_decimal_exact(tmp_path_factory, plan):
    path = tmp_path_factory.mktemp("rt") / "plan.xlsx"
    save_plan(plan, path)
    loaded, findings = load_plan(path)
    assert [f for f in findings if "negative" not in f.message] == []
    assert loaded == plan
    for a, b in zip(loaded.workloads, plan.workloads):
        assert str(a.requests_per_month.normalize()) == str(b.requests_per_month.normalize())


def test_sample_plan_round_trips(tmp_path):
    plan = open_plan(sample_plan_path())[0]
    save_plan(plan, tmp_path / "sample.xlsx")
    assert open_plan(tmp_path / "sample.xlsx") == (plan, [])


def test_formula_like_names_come_back_as_the_same_text_and_are_text_cells(tmp_path):
    plan = rich_plan()
    workloads = tuple(w.model_copy(update={"name": name, "tenant": name, "notes": name})
                      for w, name in zip(plan.workloads, INJECTIONS))
    plan = plan.model_copy(update={"workloads": workloads + plan.workloads[len(INJECTIONS):], "name": "=1+2"})
    path = tmp_path / "injection.xlsx"
    save_plan(plan, path)
    loaded, _ = load_plan(path)
    assert [w.name for w in loaded.workloads[:len(INJECTIONS)]] == INJECTIONS
    assert loaded == plan
    book = openpyxl.load_workbook(path)
    sheet = book["Workloads"]
    for r, name in enumerate(INJECTIONS, start=2):
        header = [c.value for c in sheet[1]]
        for col in (1, header.index("Tenant") + 1, header.index("Notes") + 1):
            cell = sheet.cell(row=r, column=col)
            assert cell.data_type == "s" and cell.value == name, (r, col, cell.data_type, cell.value)
    assert book["Assumptions"]["B2"].data_type == "s"
    # Nowhere in the input sheets is user text inside a formula element.
    with zipfile.ZipFile(path) as zf:
        for part in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):
            assert "HYPERLINK" not in zf.read(part).decode()


def test_bad_cells_are_findings_naming_sheet_and_cell(tmp_path):
    path = tmp_path / "plan.xlsx"
    save_plan(open_plan(sample_plan_path())[0], path)
    book = openpyxl.load_workbook(path)
    sheet = book["Workloads"]
    sheet["D2"] = -3000          # input tokens of the first workload
    sheet["E3"] = "lots"         # output tokens of the second
    sheet["G4"] = "2.5M"         # requests of the third, as people type it
    sheet["C5"] = "teleport"     # an unknown mode
    book["Rates"]["G2"] = "cheap"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    plan, findings = load_plan(edited)
    places = {(f.sheet, f.cell) for f in findings}
    assert ("Workloads", "D2") in places and ("Workloads", "E3") in places and ("Workloads", "C5") in places
    assert ("Rates", "G2") in places
    assert all(f.file == str(edited) for f in findings)
    assert plan.workloads[0].input_tokens == -3000  # kept, so the engine reports it too
    research = next(w for w in plan.workloads if w.name == "Long-context research")
    assert research.requests_per_month == 2_500_000
    assert "Ticket summaries (offline)" not in [w.name for w in plan.workloads]  # its row is left out, and said so
    assert "lots" in next(f.message for f in findings if f.cell == "E3")


def test_a_file_that_is_not_a_plan_workbook_raises_a_clear_error(tmp_path):
    other = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Budget"
    book.save(other)
    with pytest.raises(PlanFileError, match="not a Token Budget plan workbook.*Workloads|Assumptions"):
        load_plan(other)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(PlanFileError, match="junk.xlsx: not an Excel workbook"):
        open_plan(junk)


def test_workbook_keeps_undefined_optional_fields_empty(tmp_path):
    plan = rich_plan()
    path = tmp_path / "p.xlsx"
    save_plan(plan, path)
    sheet = openpyxl.load_workbook(path)["Rates"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("Effective from") + 1).value is None
    assert header.count("Tier 2 above tokens") == 1 and "Tier 3 above tokens" not in header


def test_months_argument_sets_the_projection_width(tmp_path):
    path = tmp_path / "p.xlsx"
    save_plan(rich_plan(), path, months=6)
    from tests.workbook_helpers import sheet_values

    header = sheet_values(path, "Projection")[0]
    assert header.index("Total") == 6 + 6
    assert load_plan(path)[0] == rich_plan()


def test_loading_a_large_plan_reads_only_what_it_needs(tmp_path):
    from benchmarks.plans import make_plan

    plan = make_plan(500)
    path = Path(tmp_path / "big.xlsx")
    save_plan(plan, path)
    assert load_plan(path) == (plan, [])


def test_price_versions_moved_out_of_order_are_read_and_flagged(tmp_path):
    path = tmp_path / "plan.xlsx"
    plan = rich_plan()
    save_plan(plan, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Rates"]
    # Swap the first two rows' values (both versions of acme/long-context): dates no longer ascend.
    for col in range(1, sheet.max_column - 4 + 1):  # every input column, tiers included
        a, b = sheet.cell(row=2, column=col), sheet.cell(row=3, column=col)
        a.value, b.value = b.value, a.value
    book.save(path)
    loaded, findings = load_plan(path)
    assert loaded.rates == plan.rates
    assert [(f.sheet, f.cell, f.severity) for f in findings] == [("Rates", "A2", "warning")]
