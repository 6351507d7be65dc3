"""The computed sheets hold live formulas whose cached values are the core's figures, and
LibreOffice, recalculating them from the input sheets, gets the same figures."""

from __future__ import annotations

import math
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from benchmarks.plans import make_plan
from pricing.costing.catalog import sample_plan_path
from pricing.costing.engine import price_workload_request
from pricing.plan.models import DeploymentMode
from pricing.plan.money import round_cents
from pricing.files.planfile import open_plan
from pricing.costing.projection import BREAKDOWNS, Projection
from pricing.files.workbook import load_plan, save_plan
from tests.workbook_helpers import random_plan, recalculate_all, rich_plan, sheet_values

COMPUTED = ("Costs", "Projection", "Capacity", "Summary", "Modes")
MONTH0 = 6  # zero-based column G: first month on Projection and Capacity


def close(a: float, b: float) -> bool:
    """Within 1e-9 relative and to the cent."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) and abs(a - b) < 0.005


def formula_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """(row, column), zero-based, of every formula cell of the computed sheets (shared formulas included)."""
    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for name in COMPUTED:
        cells = set()
        for row in book[name].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    cells.add((cell.row - 1, cell.column - 1))
        out[name] = cells
    book.close()
    return out


def _edit_requests(src: Path, dst: Path) -> None:
    """What a user does in Excel: type a new requests/month into the Workloads sheet."""
    book = openpyxl.load_workbook(src)
    sheet = book["Workloads"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Requests / month") + 1, value=3_000_000)
    book.save(dst)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    if not shutil.which("soffice") and not Path("/usr/bin/soffice").exists():
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("workbooks")
    plans = {
        "sample": open_plan(sample_plan_path())[0],
        "rich": rich_plan(),
        "generated": make_plan(60, seed=3),
        "random1": random_plan(1),
        "random2": random_plan(2),
        "components": components_plan(),
    }
    paths = {}
    for name, plan in plans.items():
        paths[name] = tmp / f"{name}.xlsx"
        save_plan(plan, paths[name])
    paths["edited"] = tmp / "edited.xlsx"
    _edit_requests(paths["sample"], paths["edited"])
    outs = recalculate_all(list(paths.values()), tmp / "lo")
    return plans, paths, dict(zip(paths, outs))


CASES = ["sample", "rich", "generated", "random1", "random2", "components"]


def components_plan():
    """The sample plan with cache writes (5 min and 1 h), reasoning tokens and request fees in use."""
    from pricing.costing.catalog import load_catalog

    plan = open_plan(sample_plan_path())[0]
    book = load_catalog()
    extra = [book.resolve(i) for i in ("perplexity/sonar", "anthropic/claude-sonnet-4-5", "perplexity/sonar-deep-research")]
    ws = list(plan.workloads)
    ws[0] = ws[0].model_copy(update={"model": "perplexity/sonar", "reasoning_tokens": Decimal(250)})
    ws[2] = ws[2].model_copy(update={"model": "anthropic/claude-sonnet-4-5", "cached_share": Decimal("0.5"),
                                     "cache_write_share": Decimal("0.2"), "cache_write_1h_share": Decimal("0.25")})
    ws[3] = ws[3].model_copy(update={"model": "perplexity/sonar-deep-research", "reasoning_tokens": Decimal(4000)})
    return plan.model_copy(update={"rates": (*plan.rates, *extra), "workloads": tuple(ws)})


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES)
def test_every_formula_cell_is_recalculated_by_libreoffice_to_its_cached_value(recalculated, case):
    _plans, paths, outs = recalculated
    cells = formula_cells(paths[case])
    checked = 0
    for sheet in COMPUTED:
        ours, theirs = sheet_values(paths[case], sheet), sheet_values(outs[case], sheet)
        for r, c in cells[sheet]:
            cached = ours[r][c]
            lo = theirs[r][c] if r < len(theirs) and c < len(theirs[r]) else None
            if isinstance(cached, (int, float)) and not isinstance(cached, bool):
                assert isinstance(lo, (int, float)) and close(float(cached), float(lo)), (sheet, r + 1, c + 1, cached, lo)
            else:
                assert (cached or "") == (lo or ""), (sheet, r + 1, c + 1, cached, lo)
            checked += 1
    assert checked > 100


def _assert_figure(value, figure: Decimal, where) -> None:
    assert isinstance(value, (int, float)), where
    assert close(float(value), float(figure)), (where, value, figure)


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES)
def test_cached_and_recalculated_figures_are_the_core_projection(recalculated, case):
    plans, paths, outs = recalculated
    plan = plans[case]
    p = Projection(plan)
    for path in (paths[case], outs[case]):
        proj = sheet_values(path, "Projection")
        for i, row in enumerate(p.rows):
            for m, cost in enumerate(row.costs):
                _assert_figure(proj[2 + i][MONTH0 + m], cost, (path.name, "Projection", i, m))
            _assert_figure(proj[2 + i][MONTH0 + p.horizon], p.row_total(i), (path.name, "row total", i))
        total_row = proj[2 + len(p.rows) + len(plan.endpoints) + len(plan.clusters)]
        assert total_row[0] == "Total"
        for m, t in enumerate(p.month_totals):
            _assert_figure(total_row[MONTH0 + m], t, (path.name, "month total", m))
        _assert_figure(total_row[MONTH0 + p.horizon], p.total, (path.name, "grand total"))
        costs = sheet_values(path, "Costs")
        header = costs[0]
        shown = header.index("Cost per request")
        for i, row in enumerate(p.rows):
            rc = p.request_cost(i, p.first_month(i))
            if rc is None:
                assert costs[1 + i][shown] in ("", None)
            else:
                _assert_figure(costs[1 + i][shown], rc.total, (path.name, "cost per request", i))
        summary = sheet_values(path, "Summary")
        labels = {(section, row[0]): row for section, row in _sections(summary)}
        for by in BREAKDOWNS:
            for key, values in p.breakdown(by).items():
                row = labels[(by, key)]
                for m, v in enumerate(values):
                    _assert_figure(row[2 + m], v, (path.name, "summary", by, key, m))


def _sections(summary):
    section = None
    for row in summary:
        if isinstance(row[0], str) and row[0].startswith("By ") and row[1] == "Total":
            section = row[0][3:]
        elif section and row[0] not in ("", None):
            yield section, row


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", ["rich", "random1", "components"])
def test_modes_sheet_compares_serverless_and_batch_as_the_engine_prices_them(recalculated, case):
    plans, paths, outs = recalculated
    plan = plans[case]
    p = Projection(plan)
    for path in (paths[case], outs[case]):
        modes = sheet_values(path, "Modes")
        seen = 0
        for i, row in enumerate(p.rows):
            line = modes[1 + i]
            if not (row.priceable and row.rate and row.workload.mode.per_token):
                assert line[7] in ("", None)
                continue
            m0 = p.first_month(i)
            version = row.rate.version_on(p.months[m0])
            w = row.workload
            discount = plan.batch_discount_for(row.rate)
            serverless = price_workload_request(row.rate, version, w, DeploymentMode.SERVERLESS, discount)
            batch = price_workload_request(row.rate, version, w, DeploymentMode.BATCH, discount)
            _assert_figure(line[7], serverless.total, (path.name, i, "serverless"))
            _assert_figure(line[8], batch.total, (path.name, i, "batch"))
            _assert_figure(line[9], round_cents(p.requests(i, m0) * serverless.total), (path.name, i, "serverless month"))
            seen += 1
        assert seen


@pytest.mark.libreoffice
def test_capacity_spend_is_shared_by_tokens_and_idle_months_are_their_own_line(recalculated):
    plans, paths, outs = recalculated
    plan = plans["rich"]
    p = Projection(plan)
    idle = p.idle["ep-idle"]
    assert all(v == Decimal(20000) for v in idle)  # the endpoint nobody uses is idle all year
    for path in (paths["rich"], outs["rich"]):
        proj = sheet_values(path, "Projection")
        n = len(plan.workloads)
        for c, item in enumerate([*plan.endpoints, *plan.clusters]):
            line = proj[2 + n + c]
            assert line[0] == f"{item.id} (idle)"
            for m, v in enumerate(p.idle[item.id]):
                _assert_figure(line[MONTH0 + m], v, (path.name, item.id, m))
    # The cluster's workload starts in June: its months before that are idle spend.
    assert p.idle["gpu-1"][0] == Decimal(8 * 730) * Decimal("2.50") + 400 and p.idle["gpu-1"][6] == 0


@pytest.mark.libreoffice
def test_an_input_edited_in_a_spreadsheet_is_picked_up_on_reopening(recalculated):
    plans, _paths, outs = recalculated
    edited, findings = load_plan(outs["edited"])
    assert not findings
    assert edited.workloads[0].requests_per_month == 3_000_000
    assert edited.workloads[1:] == plans["sample"].workloads[1:]
    p = Projection(edited)
    proj = sheet_values(outs["edited"], "Projection")
    for m, cost in enumerate(p.rows[0].costs):
        _assert_figure(proj[2][MONTH0 + m], cost, ("edited", m))
    assert p.rows[0].costs[0] == Decimal("18000")  # 3M requests at $0.0060


def _cents(value) -> int:
    """A displayed money cell in cents (what a $#,##0.00 format shows)."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return int(round_cents(Decimal(repr(float(value)))) * 100)


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES)
def test_every_displayed_total_is_the_sum_of_the_displayed_amounts_above_it_and_the_apps_figure(recalculated, case):
    plans, _paths, outs = recalculated
    plan = plans[case]
    p = Projection(plan)
    proj = sheet_values(outs[case], "Projection")
    lines = proj[2: 2 + len(p.rows) + len(plan.endpoints) + len(plan.clusters)]
    total_row = proj[2 + len(lines)]
    months = range(MONTH0, MONTH0 + p.horizon)
    for line in lines:
        assert _cents(line[MONTH0 + p.horizon]) == sum(_cents(line[c]) for c in months), line[0]
    for m, c in enumerate(months):
        assert _cents(total_row[c]) == sum(_cents(line[c]) for line in lines) == int(p.month_totals[m] * 100)
    grand = _cents(total_row[MONTH0 + p.horizon])
    assert grand == sum(_cents(total_row[c]) for c in months) == int(p.total * 100)
    assert grand == sum(_cents(line[MONTH0 + p.horizon]) for line in lines)
    for i, row in enumerate(p.rows):
        assert [_cents(v) for v in lines[i][MONTH0: MONTH0 + p.horizon]] == [int(c * 100) for c in row.costs]
    summary = sheet_values(outs[case], "Summary")
    for section, row in _sections(summary):
        assert _cents(row[1]) == sum(_cents(v) for v in row[2: 2 + p.horizon]), (section, row[0])
    assert _cents(summary[3][1]) == int(p.total * 100)
