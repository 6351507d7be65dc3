"""The import's row loop: its fast paths give what the straightforward reading gives."""

from __future__ import annotations

import gc
from decimal import Decimal

from pricing.importer import import_file


def _csv(path, rows: int):
    lines = ["Workload,Model,Requests per month,Avg input tokens,Avg output tokens"]
    lines += [f"w{i},gpt-4o,{1000 + i},{100 + i % 7},{10 + i % 5}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_imported_workloads_wait_in_the_oldest_generation_not_the_youngest(tmp_path):
    result = import_file(_csv(tmp_path / "budget.csv", 2000), remember=False)
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(w) in oldest for w in result.plan.workloads)
    assert gc.get_freeze_count() == 0


def test_a_model_resolved_once_still_flags_every_row_naming_its_own_cell(tmp_path):
    """Each provider and model is looked up once; every row with a model the catalog lacks keeps its finding."""
    path = tmp_path / "models.csv"
    path.write_text("Workload,Provider,Model,Requests per month,Avg input tokens,Avg output tokens\n"
                    "a,openai,gpt-4o,10,100,10\n"
                    "b,,acme-internal-llm,10,100,10\n"
                    "c,openai,gpt-4o,20,100,10\n"
                    "d,,acme-internal-llm,30,100,10\n", encoding="utf-8")
    result = import_file(path, remember=False)
    unknown = [f for f in result.report.findings if f.field == "model"]
    assert [(f.cell, f.workload) for f in unknown] == [("C3", "b"), ("C5", "d")]
    assert all("acme-internal-llm" in f.message and f.file == "models.csv" for f in unknown)
    models = [w.model for w in result.plan.workloads]
    assert models[0] == models[2] == "openai/gpt-4o" and models[1] == models[3] == "acme-internal-llm"


def test_a_mode_read_once_still_warns_on_every_row_that_writes_it(tmp_path):
    path = tmp_path / "modes.csv"
    path.write_text("Workload,Model,Mode,Requests per month,Avg input tokens,Avg output tokens\n"
                    "a,gpt-4o,weird,10,100,10\n"
                    "b,gpt-4o,Batch API,10,100,10\n"
                    "c,gpt-4o,weird,20,100,10\n", encoding="utf-8")
    result = import_file(path, remember=False)
    warned = [(f.cell, f.message) for f in result.report.findings if f.field == "mode"]
    assert [cell for cell, _ in warned] == ["B2", "B4"]
    assert all(message.startswith("unknown deployment mode 'weird'") and message.endswith("; Serverless is used")
               for _, message in warned)
    assert [str(w.mode) for w in result.plan.workloads] == ["serverless", "batch", "serverless"]


def test_a_total_among_a_rows_first_three_filled_cells_skips_it_and_a_fourth_does_not(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("Workload,Tenant,Feature,Model,Requests per month,Avg input tokens,Avg output tokens\n"
                    "a,,t1,gpt-4o,10,100,10\n"
                    ",x,Total,gpt-4o,99,100,10\n"  # third filled cell: a total row
                    "b,c,d,Total,20,100,10\n", encoding="utf-8")  # fourth: a row (whose model is 'Total')
    result = import_file(path, remember=False)
    assert [w.requests_per_month for w in result.plan.workloads] == [10, 20]
    assert any("skipped 1 total or subtotal row(s): 3" in d for d in result.report.decisions)


def test_a_blank_cell_leaves_its_field_at_the_default_and_its_neighbours_read(tmp_path):
    path = tmp_path / "blanks.csv"
    path.write_text("Workload,Model,Requests per month,Avg input tokens,Avg output tokens,Cached %,Tenant\n"
                    "a,gpt-4o,10,100,10,,t\n"
                    "b,gpt-4o,20,100,10,50%,\n", encoding="utf-8")
    first, second = import_file(path, remember=False).plan.workloads
    assert (first.cached_share, first.tenant) == (0, "t") and (second.cached_share, second.tenant) == (Decimal("0.5"), "")


def test_an_import_naming_a_model_the_catalog_lacks_leaves_nothing_to_the_cyclic_collector(tmp_path):
    """Freed by reference counting alone: the window freezes what the collector holds after an
    import, so anything left in a reference cycle (an exception kept with its traceback, whose
    frames hold the whole import) would stay in memory for the rest of the session."""
    path = tmp_path / "models.csv"
    path.write_text("Workload,Model,Requests per month,Avg input tokens,Avg output tokens\n"
                    "a,gpt-4o,10,100,10\n"
                    "b,acme-internal-llm,10,100,10\n", encoding="utf-8")
    import_file(path, remember=False)  # modules and the catalog loaded, their caches filled
    gc.collect()
    gc.disable()
    try:
        result = import_file(path, remember=False)
        assert any("acme-internal-llm" in f.message for f in result.report.findings)
        del result
        assert gc.collect() == 0
    finally:
        gc.enable()
