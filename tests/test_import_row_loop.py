"""The import's row loop: its fast paths give what the straightforward reading gives."""

from __future__ import annotations

import gc

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
