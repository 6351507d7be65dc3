"""The benchmark table `python -m benchmarks.run` prints: each step beside its floor, measured in the same run."""

from benchmarks.run import format_table


def _body(table: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_a_step_with_a_floor_shows_the_floor_and_how_many_times_it_the_step_takes():
    rows = _body(format_table([{"step": "full projection", "workloads": 100_000, "seconds": 2.0,
                                "floor_seconds": 0.8, "floor": "bare Decimal multiply-adds", "target": "≤ 1.0 s"}]))
    assert rows == [["full projection", "100,000", "2.000", "bare Decimal multiply-adds", "0.800", "2.50", "≤ 1.0 s",
                     "", ""]]


def test_a_desktop_step_shows_its_longest_gui_pause():
    rows = _body(format_table([{"step": "edit a rate", "workloads": 100_000, "seconds": 0.05, "pause_ms": 42.4}]))
    assert rows[0][7] == "42"


def test_a_pause_over_the_target_shows_the_gui_thread_s_own_cpu_time_in_it():
    rows = _body(format_table([{"step": "edit one cell", "workloads": 100_000, "seconds": 0.004, "pause_ms": 1751.0,
                                "pause_cpu_ms": 3.2},
                               {"step": "edit a rate", "workloads": 100_000, "seconds": 0.3, "pause_ms": 54.0,
                                "pause_cpu_ms": 20.0}]))
    assert [row[7] for row in rows] == ["1751 (CPU 3)", "54"]


def test_a_pause_over_the_target_shows_the_kernel_s_part_of_that_cpu_time_and_the_pages_faulted():
    rows = _body(format_table([{"step": "edit one cell", "workloads": 100_000, "seconds": 0.9, "pause_ms": 967.0,
                                "pause_cpu_ms": 912.0, "pause_sys_ms": 640, "pause_faults": 181_000}]))
    assert rows[0][7] == "967 (CPU 912, sys 640, 181,000 faults)"


def test_a_step_without_a_floor_leaves_the_floor_columns_empty():
    rows = _body(format_table([{"step": "summary pivot", "workloads": 10, "seconds": None}]))
    assert rows[0][2:7] == ["–", "", "", "", ""]


def test_the_projections_cell_arithmetic_alone_gives_its_month_totals_digit_for_digit():
    """What bench_core times as "its cell arithmetic alone" is the projection's own arithmetic, no less."""
    from benchmarks.bench_core import cell_inputs, cell_totals
    from benchmarks.plans import make_plan
    from pricing.costing.projection import Projection

    projection = Projection(make_plan(400))
    totals = cell_totals(cell_inputs(projection), projection.horizon)
    assert [t.as_tuple() for t in totals] == [t.as_tuple() for t in projection.month_totals]
