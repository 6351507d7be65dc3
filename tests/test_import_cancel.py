"""Stopping a long import or usage read: the core's ``cancel=`` callables.

The desktop runs these on a worker thread and sets the callable from its Cancel button; the
core must stop soon (killing the reader process), raise its own "cancelled" error, and leave
nothing behind — no reader process, no remembered mapping, no DuckDB thread.
"""

from __future__ import annotations

import json
import subprocess
import threading

import pytest

from import_helpers import private_mapping_store, titled_per_1k_budget  # noqa: F401
from pricing.importer import ImportCancelled, ImportMapping, import_file, scan


class CancelAfter:
    """A cancel callable that answers True from its ``n``-th question on."""

    def __init__(self, n: int):
        self.n = n
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked >= self.n


def budget_csv(path, rows: int):
    lines = ["Use case,LLM,Prompt tokens,Completion tokens,Calls per month"]
    lines += [f"use {i},together/openai/gpt-oss-120b,{900 + i % 7},60,{1000 + i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_scan_cancelled_while_the_reader_runs_stops_and_reaps_the_reader(tmp_path, monkeypatch):
    children = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        child = real_popen(*args, **kwargs)
        children.append(child)
        return child

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    path = titled_per_1k_budget(tmp_path / "budget.xlsx")
    cancel = CancelAfter(2)  # the first look is before the read starts; the second is while it runs
    with pytest.raises(ImportCancelled, match="budget.xlsx: import cancelled"):
        scan(path, cancel=cancel)
    assert len(children) == 1 and children[0].returncode is not None  # reaped, not left running


def test_an_import_cancelled_among_its_rows_raises_and_remembers_no_mapping(tmp_path, private_mapping_store):
    path = budget_csv(tmp_path / "big.csv", 12_000)
    mapping = scan(path).to_mapping()
    cancel = CancelAfter(3)  # polled at the start of the read, every 20,000 lines, then every 5,000 rows
    with pytest.raises(ImportCancelled):
        import_file(path, mapping, cancel=cancel)
    assert cancel.asked == 3
    assert ImportMapping.recall_signature(scan(path).signature, private_mapping_store) is None
    assert not private_mapping_store.exists() or not any(private_mapping_store.iterdir())


def test_an_import_that_is_never_cancelled_asks_and_completes(tmp_path):
    path = budget_csv(tmp_path / "big.csv", 12_000)
    cancel = CancelAfter(10**9)
    result = import_file(path, remember=False, cancel=cancel)
    assert result.report.rows_imported == 12_000 and cancel.asked >= 3


def test_importing_what_a_scan_read_does_not_read_the_file_again(tmp_path):
    path = titled_per_1k_budget(tmp_path / "budget.xlsx")
    expected = import_file(path, remember=False).plan
    scanned = scan(path)
    path.unlink()  # the import must work from the cells the scan already holds
    result = import_file(path, scanned.to_mapping(), source=scanned.source, remember=False)
    assert result.plan.workloads == expected.workloads and result.plan.rates == expected.rates


def test_a_usage_read_cancelled_raises_usage_cancelled_and_stops_its_watcher(tmp_path):
    from pricing.usage.stats import UsageCancelled, read_usage

    log = tmp_path / "usage.jsonl"
    record = {"model": "openai/gpt-oss-120b", "usage": {"prompt_tokens": 1000, "completion_tokens": 200}}
    log.write_text("".join(json.dumps(record) + "\n" for _ in range(1000)))
    threads_before = threading.active_count()
    with pytest.raises(UsageCancelled, match="usage.jsonl"):
        read_usage(log, cancel=lambda: True)
    assert threading.active_count() == threads_before
    assert read_usage(log, cancel=lambda: False).records == 1000
