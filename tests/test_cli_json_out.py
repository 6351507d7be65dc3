"""The command line's JSON writer and money strings: the same text as the straightforward way."""

from __future__ import annotations

import io
import json
from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.cli.common import money_str
from pricing.cli.json_out import write_json
from pricing.plan.money import SUM_CONTEXT

_scalars = (st.none() | st.booleans() | st.integers() | st.text()
            | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(["ü€\n\"\\", "\u2028", "\x00"]))
_keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_documents = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                          | st.dictionaries(st.text(max_size=5), inner, max_size=5)
                          | st.dictionaries(_keys, inner, max_size=3), max_leaves=40)


def _written(data: object) -> str:
    out = io.StringIO()
    write_json(data, out)
    return out.getvalue()


@settings(max_examples=400, deadline=None)
@given(_documents)
def test_json_output_is_what_json_dump_with_indent_2_writes(data):
    expected = io.StringIO()
    json.dump(data, expected, indent=2, ensure_ascii=False)
    assert _written(data) == expected.getvalue()


def test_json_output_of_a_summary_shaped_document_is_what_json_dump_writes():
    data = {"plan": "Plän", "months": ["2026-01-01", "2026-02-01"],
            "workloads": [{"name": f"w{i}", "cost_per_request": None, "monthly_cost": ["1.00", "2.50"]}
                          for i in range(3)],
            "groups": {}, "findings": [], "nested": {"a": {"b": [[], {}, [1, 2.5, True]]}}}
    assert _written(data) == json.dumps(data, indent=2, ensure_ascii=False)


def _reference_money_str(value: Decimal, min_places: int = 2) -> str:
    with localcontext(SUM_CONTEXT):
        normalized = value.normalize()
        if normalized.as_tuple().exponent > -min_places:
            normalized = normalized.quantize(Decimal(1).scaleb(-min_places))
    return format(normalized, "f")


_decimals = st.decimals(allow_nan=False, allow_infinity=False) | st.builds(
    lambda digits, exponent, sign: Decimal((sign, tuple(int(d) for d in digits), exponent)),
    st.text("0123456789", min_size=1, max_size=90), st.integers(-6, 4), st.integers(0, 1))


@settings(max_examples=1000, deadline=None)
@given(_decimals, st.sampled_from([2, 4]))
def test_money_str_is_the_normalized_figure_with_at_least_its_places(value, places):
    assert money_str(value, places) == _reference_money_str(value, places)


def test_money_str_of_cents_keeps_their_two_decimals():
    assert [money_str(Decimal(v)) for v in ("12.50", "-0.00", "0.00", "1200.00", "1.2E+3")] == [
        "12.50", "-0.00", "0.00", "1200.00", "1200.00"]
