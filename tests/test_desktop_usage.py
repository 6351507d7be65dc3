"""File > Import usage log adds measured workloads (and the catalog rates they need) as one
undo step; pricing.usage.stats reads a real JSON Lines log with DuckDB.  A large log is read on a
worker thread behind a progress dialog whose Cancel leaves the plan as it was."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from desktop_helpers import data_dir, plan_path, window  # noqa: F401

LOG = [
    {"model": "openai/gpt-oss-120b", "usage": {"prompt_tokens": 1000, "completion_tokens": 200}},
    {"model": "openai/gpt-oss-120b", "usage": {"prompt_tokens": 3000, "completion_tokens": 400}},
    {"model": "deepseek-ai/DeepSeek-V4.1-Flash", "usage": {"prompt_tokens": 500, "completion_tokens": 50}},
]


@pytest.fixture
def usage_module():
    import pricing.usage.stats

    return pricing.usage.stats


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "usage.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in LOG))
    return path


def test_usage_log_adds_measured_workloads_and_their_rates_in_one_step(window, usage_module, log):
    doc = window.document
    rates_before = len(doc.plan.rates)
    total_before = doc.projection.total
    assert window.files.import_usage(log)
    assert window.prompts.asked[-1][0] == "confirm" and "usage.jsonl" in window.prompts.asked[-1][2]
    added = doc.plan.workloads[12:]
    assert len(added) == 2
    gpt = next(w for w in added if "gpt-oss-120b" in w.model)
    assert gpt.input_tokens == Decimal(2000)
    # DeepSeek is not on the sample's rate sheet: its catalog rate comes with it, so it prices.
    assert len(doc.plan.rates) == rates_before + 1
    rows = {r.workload.name: r for r in doc.projection.rows[12:]}
    assert all(r.priceable for r in rows.values())
    assert doc.projection.total > total_before
    doc.undo_stack.undo()
    assert len(doc.plan.workloads) == 12 and len(doc.plan.rates) == rates_before


def test_a_log_that_cannot_be_read_is_reported(window, usage_module, tmp_path):
    bad = tmp_path / "missing.jsonl"
    assert not window.files.import_usage(bad)
    assert window.prompts.errors and "missing.jsonl" in window.prompts.errors[-1]
    assert window.document.undo_stack.count() == 0


def test_a_large_usage_log_is_read_on_a_worker_then_confirmed(window, qtbot, usage_module, log, monkeypatch):
    from desktop import importing

    monkeypatch.setattr(importing, "USAGE_IN_BACKGROUND_BYTES", 0)
    doc = window.document
    assert window.files.import_usage(log)  # started, not yet done
    assert window.files.usage_task is not None and len(doc.plan.workloads) == 12
    qtbot.waitUntil(lambda: window.files.usage_task is None, timeout=20000)
    assert window.prompts.asked[-1][0] == "confirm"
    assert len(doc.plan.workloads) == 14 and doc.undo_stack.count() == 1


def test_cancelling_a_background_usage_read_leaves_the_plan_as_it_was(window, qtbot, usage_module, log, monkeypatch):
    from desktop import importing

    monkeypatch.setattr(importing, "USAGE_IN_BACKGROUND_BYTES", 0)
    real_read = usage_module.read_usage

    def slow_read(path, by=(), *, cancel=None, **kw):  # a log still being read when Cancel is pressed
        while not cancel():
            time.sleep(0.01)
        return real_read(path, by, cancel=cancel, **kw)

    monkeypatch.setattr(usage_module, "read_usage", slow_read)
    doc = window.document
    before = doc.plan
    assert window.files.import_usage(log)
    window.files.usage_task.cancel.set()  # what the progress dialog's Cancel button does
    qtbot.waitUntil(lambda: window.files.usage_task is None, timeout=20000)
    assert doc.plan is before and doc.undo_stack.count() == 0
    assert not window.prompts.errors and not any(a[0] == "confirm" for a in window.prompts.asked)
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_bucketed_export_is_confirmed_with_its_requests_and_count_column(window, usage_module, tmp_path):
    path = tmp_path / "completions_usage.csv"
    path.write_text("start_time,end_time,model,num_model_requests,input_tokens,output_tokens,input_cached_tokens\n"
                    "1767225600,1767312000,openai/gpt-oss-120b,40,60000,8000,20000\n")
    assert window.files.import_usage(path)
    text = window.prompts.asked[-1][2]
    assert "40 request(s) in 1 row(s)" in text and "over 1 day(s)" in text
    assert "counted from column 'num_model_requests'" in text
    gpt = window.document.plan.workloads[-1]
    assert (gpt.input_tokens, gpt.output_tokens) == (Decimal(1500), Decimal(200))
    assert gpt.requests_per_month == Decimal(1218)  # 40 a day × 30.4375
