"""Rows told data column by column (their first three cells filled, none a total, their key cell
filled and not the header's) are exactly rows the row-by-row checks keep: the skip decisions and
the rows kept are the same either way."""

from __future__ import annotations

import random
from itertools import islice
from datetime import date

from pricing.importer import tables
from pricing.importer.headers import normalize

CELLS = ["", " ", "\t", None, "x", "gpt-4o", "Model", "model", " MODEL ", "Total", "Subtotal", "  total cost", "Summe",
         "totally", "sum", "Grand total", "Gesamt", 0, 0.0, 1, 1.0, True, False, date(2026, 1, 1), "0", "12", "n/a",
         float("nan"), "Tot", "ÜBERSICHT", "sous-total"]
NUMERIC = [(3, "requests_per_month", None), (4, "input_tokens", None)]


def _row(rnd: random.Random) -> list:
    if rnd.random() < 0.5:  # a plain data row now and then, so the fast telling has rows to tell
        return [f"w{rnd.randint(0, 9)}", rnd.choice(["gpt-4o", "acme"]), "t", rnd.choice(["1", 2.0]), "5"]
    return [rnd.choice(CELLS) for _ in range(rnd.randint(0, 6))]


def _decisions(rows, key_col, header_key):
    """Per row: the reason _skip_reason gives (None: kept), each row told alone."""
    out = []
    for k, cells in enumerate(rows):
        skipped: dict[str, list[int]] = {}
        kept = not tables._skip_reason(cells, key_col, header_key, {}, {}, NUMERIC, skipped, k)
        out.append(None if kept else next(iter(skipped)))
    return out


def test_rows_told_data_at_once_are_rows_the_checks_keep():
    rnd = random.Random(11)
    told = 0
    for trial in range(400):
        rows = [_row(rnd) for _ in range(rnd.randint(1, 60))]
        if trial % 3 == 0:  # every row long enough to be told at once
            rows = [r + ["pad"] * (5 - len(r)) for r in rows]
        key_col = rnd.choice([None, 0, 1, 2, 4])
        header_key = rnd.choice([None, normalize("Model"), normalize("Workload")])
        flags = list(islice(tables._ordinary_rows(rows, key_col, header_key, {}, {}), len(rows)))
        decisions = _decisions(rows, key_col, header_key)
        for flag, decision, row in zip(flags, decisions, rows):
            assert not flag or decision is None, (row, key_col, header_key, decision)
        told += sum(flags)
    assert told > 1000  # the fast telling is exercised


def test_a_total_a_blank_row_or_a_section_title_among_plain_rows_is_still_skipped(tmp_path):
    from pricing.importer import import_file

    path = tmp_path / "budget.csv"
    lines = ["Workload,Model,Requests per month,Avg input tokens,Avg output tokens"]
    lines += [f"w{i},gpt-4o,{1000 + i},100,10" for i in range(50)]
    lines[10] = "Total,,999,,"
    lines[20] = ",,,,"
    lines[40] = "Section two,,,,"
    lines[45] = "w45,Subtotal,5,1,1"  # a total among the first three filled cells
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(path, remember=False)
    skipped = [d for d in result.report.decisions if "skipped" in d]
    assert skipped == ["sheet 'budget': skipped 2 total or subtotal row(s): 11, 46",
                       "sheet 'budget': skipped 1 blank row(s): 21",
                       "sheet 'budget': skipped 1 section title or note row(s): 41"]
    assert len(result.plan.workloads) == 46


def test_a_blank_and_a_total_row_among_plain_rows_are_told_from_the_columns_the_conversion_took():
    from pricing.importer.converters import Columns

    rows = [[f"w{i}", "gpt-4o", "tenant", 5, 1] for i in range(300)]
    rows[100] = []  # blank: a short row, None in every tested column
    rows[200] = ["Total", "", "", 9]
    columns = Columns(rows)
    taken = [columns[i] for i in range(3)]
    flags = tables._ordinary_rows(rows, 1, normalize("Model"), {}, {}, columns)
    assert list(flags) == [i not in (100, 200) for i in range(300)]
    # the same columns, their types and values told once, not taken again for the short rows
    assert all(columns[i] is taken[i] for i in range(3)) and set(columns._kinds) == {0, 1, 2}


def test_a_long_column_of_texts_is_told_slice_by_slice_with_the_same_answers():
    # over several slices (a window imports on a worker; one pass over a whole column held the lock)
    n = 3 * tables.CELLS_A_PASS + 5
    rows = [[f"w{i}", "gpt-4o", "tenant", 5] for i in range(n)]
    rows[tables.CELLS_A_PASS] = ["Total", "gpt-4o", "tenant", 5]
    rows[2 * tables.CELLS_A_PASS + 1] = ["  ", "gpt-4o", "tenant", 5]
    flags = tables._ordinary_rows(rows, 1, None, {}, {})
    assert [i for i, flag in enumerate(flags) if not flag] == [tables.CELLS_A_PASS, 2 * tables.CELLS_A_PASS + 1]


def test_columns_of_ragged_rows_give_none_past_each_row_s_end_and_leave_the_rows_as_they_were():
    from pricing.importer.converters import Columns

    rows = [[f"w{i}", "gpt-4o", i, 0.5] for i in range(50)]
    rows[3], rows[7], rows[9] = [], ["Total"], ("t", "m", 1, 2, "extra")
    before = [list(row) for row in rows]
    columns = Columns(rows)
    for i in range(7):  # within every row, past the short ones, and past the widest
        assert columns[i] == [row[i] if i < len(row) else None for row in rows], i
    assert [list(row) for row in rows] == before
