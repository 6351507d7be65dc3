"""Whatever people type into a budget's cells, the import keeps every data row and never crashes."""

from __future__ import annotations

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing.importer import ImportRefused, import_file
from pricing.importer.units import to_number

cell = st.one_of(
    st.integers(min_value=-10**9, max_value=10**12).map(str),
    st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False).map(str),
    st.sampled_from(["", "2M", "3k", "$0.90", "USD 0.90", "0,90 €", "50%", "1,200", "n/a", "#DIV/0!", "TBD", "—"]),
    st.text(alphabet="abc xyz-%$.,0123456789€", max_size=12),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["gpt-4o", "m1", "Some Model"]), cell, cell, cell),
                     min_size=1, max_size=12))
def test_every_data_row_is_kept_and_every_unreadable_number_is_a_finding(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("prop") / "budget.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Model", "Requests per month", "Avg input tokens", "Avg output tokens"])
        writer.writerows(rows)
    numbers = [v for row in rows for v in row[1:] if _is_number(v)]
    try:
        result = import_file(path, remember=False)
    except ImportRefused as exc:
        # Only a table with no number in any row (an empty template) is refused, and it says so.
        assert not numbers, str(exc)
        assert "empty log or template" in str(exc)
        return
    assert len(result.plan.workloads) == len(rows)
    bad = set()
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row[1:], start=1):
            if value.strip():
                try:
                    to_number(value)
                except ValueError:
                    bad.add(f"{'ABCD'[c]}{r}")
    flagged = {f.cell for f in result.report.findings if f.field != "model"}
    assert bad <= flagged


def _is_number(text: str) -> bool:
    try:
        to_number(text)
    except ValueError:
        return False
    return bool(text.strip())
