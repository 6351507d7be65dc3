"""The Batch-limit ledger: each model's Batch tokens per month against the enqueued-token limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.costing.batch_limit import BatchLimitLedger
from pricing.costing.projection import Projection
from pricing.plan.findings import Severity
from pricing.plan.models import DeploymentMode
from pricing.plan.months import add_months
from pricing.costing.rows import Row
from tests.conftest import MAESTRO, plan_of, workload

D = Decimal
B = D(1_000_000_000)
MONTHS = [add_months(date(2026, 1, 1), i) for i in range(3)]
OTHER = MAESTRO.model_copy(update={"model_id": "other/model"})
#: Each test row's tokens per month, by workload name: what ``tokens_of`` answers.
TOKENS: dict[str, list[Decimal]] = {}


def row(name: str, tokens: list[Decimal], mode=DeploymentMode.BATCH, rate=MAESTRO, priceable=True) -> Row:
    r = Row(workload(name=name, mode=mode), rate, [], priceable, 0, [])
    TOKENS[name] = tokens
    return r


def ledger(limit: Decimal = 30 * B) -> BatchLimitLedger:
    return BatchLimitLedger(MONTHS, limit, lambda r: TOKENS[r.workload.name])


def test_a_model_crossing_the_limit_in_a_month_warns_every_batch_workload_of_that_model():
    rows = [
        row("a", [10 * B, 20 * B, 25 * B]),
        row("elsewhere", [1 * B, 1 * B, 1 * B], rate=OTHER),
        row("b", [5 * B, 5 * B, 6 * B]),
    ]
    book = ledger()
    for r in rows:
        book.add(r)
    found = book.findings(rows)
    assert [(f.workload, f.row, f.severity, f.field) for f in found] == [
        ("a", 0, Severity.WARNING, "requests_per_month"),
        ("b", 2, Severity.WARNING, "requests_per_month"),
    ]
    assert found[0].message == (
        f"{MAESTRO.id} has 31,000,000,000 Batch tokens in Mar 2026, beyond the 30,000,000,000 "
        "enqueued-token limit per model; split the jobs across the month or another model"
    )
    assert book.first_over(MAESTRO.id) == (date(2026, 3, 1), 31 * B)
    assert book.first_over(OTHER.id) is None
    assert book.warning_count == 2
    assert [book.finding(i, r) for i, r in enumerate(rows)] == [found[0], None, found[1]]


def test_tokens_exactly_at_the_limit_are_not_over_it():
    rows = [row("a", [30 * B, 30 * B, 30 * B])]
    book = ledger()
    book.add(rows[0])
    assert book.findings(rows) == []
    assert book.warning_count == 0


def test_taking_a_row_away_brings_the_model_back_under_the_limit():
    a, b = row("a", [10 * B, 20 * B, 25 * B]), row("b", [5 * B, 5 * B, 6 * B])
    book = ledger()
    book.add(a)
    book.add(b)
    assert len(book.findings([a, b])) == 2
    book.remove(b)
    assert book.findings([a]) == []
    assert book.warning_count == 0
    assert book.tokens(MAESTRO.id) == [10 * B, 20 * B, 25 * B]


def test_serverless_and_unpriced_rows_never_count_against_the_limit():
    huge = [100 * B] * 3
    rows = [
        row("serverless", huge, mode=DeploymentMode.SERVERLESS),
        row("unpriceable", huge, priceable=False),
        row("unknown model", huge, rate=None),
    ]
    asked = []
    book = BatchLimitLedger(MONTHS, 30 * B, lambda r: asked.append(r) or huge)
    for r in rows:
        book.add(r)
    assert asked == []
    assert book.tokens(MAESTRO.id) == [0, 0, 0]
    assert book.findings(rows) == []
    assert [book.finding(i, r) for i, r in enumerate(rows)] == [None, None, None]


def test_running_totals_stay_exact_through_adds_and_removes():
    # Two 28-digit token counts 27 orders of magnitude apart: in the default 28-digit context
    # big + small - big would come back as 0, losing the small row altogether.
    big = D("1234567890123456789012345678")
    small = D("0.1234567890123456789012345678")
    rows = [row("big", [big, big, small]), row("small", [small, small, big])]
    book = ledger(limit=D(10) ** 40)
    for r in rows:
        book.add(r)
    book.remove(rows[0])
    assert book.tokens(MAESTRO.id) == [small, small, big]


def test_warnings_name_the_new_row_numbers_after_rows_move():
    over = row("over", [31 * B] * 3)
    book = ledger()
    book.add(over)
    assert [f.row for f in book.findings([over])] == [0]
    inserted = row("inserted", [0] * 3, mode=DeploymentMode.SERVERLESS)
    book.add(inserted)
    book.rows_moved()
    assert [f.row for f in book.findings([inserted, over])] == [1]


def test_counting_many_rows_at_once_gives_the_tallies_and_warnings_of_counting_them_one_by_one():
    rows = [
        row("a", [10 * B, 20 * B, 25 * B]),
        row("elsewhere", [1 * B, D("0.5") * B, 40 * B], rate=OTHER),
        row("serverless", [50 * B, 50 * B, 50 * B], mode=DeploymentMode.SERVERLESS),
        row("b", [5 * B, D("5.000001") * B, 6 * B]),
        row("unpriced", [50 * B, 50 * B, 50 * B], priceable=False),
    ]
    one_by_one, at_once = ledger(), ledger()
    one_by_one.add(rows[0])  # a ledger that already counts a row
    at_once.add(rows[0])
    for r in rows[1:]:
        one_by_one.add(r)
    at_once.add_many(rows[1:])
    for model_id in (MAESTRO.id, OTHER.id):
        assert at_once.tokens(model_id) == one_by_one.tokens(model_id)
        assert at_once.first_over(model_id) == one_by_one.first_over(model_id)
    assert at_once.findings(rows) == one_by_one.findings(rows) and at_once.findings(rows)
    assert at_once.warning_count == one_by_one.warning_count == 3


_GROWTHS = st.sampled_from([D("0"), D("0.01"), D("0.010"), D("0.05"), D("-0.02"), D("0.123456789")])
_TOKENS = st.sampled_from([D(0), D(1), D("1500"), D("1.5E+3"), D("333.25"), D("999999999999")])
_REQUESTS = st.sampled_from([D(0), D(1), D("2000000"), D("7.5"), D("1E+6"), D("999999999999")])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_GROWTHS, st.integers(-3, 14), _TOKENS, _TOKENS, _REQUESTS, st.booleans()),
                min_size=1, max_size=12))
def test_a_whole_plan_counted_by_growth_and_start_gives_the_digits_of_counting_row_by_row(specs):
    workloads = [workload(name=f"w{i}", mode=DeploymentMode.BATCH, monthly_growth=growth,
                          start_month=add_months(date(2026, 1, 1), start), input_tokens=inp, output_tokens=out,
                          requests_per_month=requests, model=(MAESTRO if first else OTHER).id)
                 for i, (growth, start, inp, out, requests, first) in enumerate(specs)]
    projection = Projection(plan_of(*workloads, rates=(MAESTRO, OTHER), horizon=12))
    row_by_row = BatchLimitLedger(projection.months, projection.batch_ledger.limit, projection._tokens)
    for r in projection.rows:
        row_by_row.add(r)
    for model_id in (MAESTRO.id, OTHER.id):
        assert [str(t) for t in projection.batch_ledger.tokens(model_id)] == [str(t) for t in row_by_row.tokens(model_id)]


def test_taking_many_rows_away_at_once_leaves_the_same_tallies_as_one_by_one():
    rows = [row(f"m{i}", [D(i) * B, D(i + 1) * B, D(2 * i) * B], rate=MAESTRO if i % 2 else OTHER) for i in range(1, 7)]
    rows.append(row("s", [40 * B] * 3, mode=DeploymentMode.SERVERLESS))
    one, many = ledger(), ledger()
    one.add_many(rows)
    many.add_many(rows)
    for r in rows[2:5]:
        one.remove(r)
    many.remove_many(rows[2:5])
    kept = rows[:2] + rows[5:]
    for model in (MAESTRO.id, OTHER.id):
        assert many.tokens(model) == one.tokens(model)
    assert many.findings(kept) == one.findings(kept) and many.warning_count == one.warning_count
    many.add_many(rows[2:5])
    assert many.tokens(MAESTRO.id) == ledger_of(rows).tokens(MAESTRO.id)


def ledger_of(rows) -> BatchLimitLedger:
    book = ledger()
    for r in rows:
        book.add(r)
    return book
