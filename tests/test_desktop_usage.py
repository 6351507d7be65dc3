"""File > Import usage log adds measured workloads (and the catalog rates they need) as one
undo step.  Until pricing.usage is merged, a stand-in honouring its interface
(read_usage → stats, usage_to_workloads → workloads) reads a real JSON Lines log."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_helpers import data_dir, plan_path, window  # noqa: F401
from pricing.models import Workload

LOG = [
    {"model": "openai/gpt-oss-120b", "usage": {"prompt_tokens": 1000, "completion_tokens": 200}},
    {"model": "openai/gpt-oss-120b", "usage": {"prompt_tokens": 3000, "completion_tokens": 400}},
    {"model": "deepseek-ai/DeepSeek-V4.1-Flash", "usage": {"prompt_tokens": 500, "completion_tokens": 50}},
]


@pytest.fixture
def usage_module(monkeypatch):
    try:
        import pricing.usage as real
        return real
    except ImportError:
        pass
    module = types.ModuleType("pricing.usage")

    @dataclass
    class Stats:
        path: Path
        records: int
        skipped: int
        days_covered: int
        groups: dict
        convention_note: str = "OpenAI-compatible usage"

    def read_usage(path, by=()):
        records = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
        groups: dict[str, list] = {}
        for r in records:
            groups.setdefault(r["model"], []).append(r["usage"])
        return Stats(Path(path), len(records), 0, 1, groups)

    def usage_to_workloads(stats, *, catalog=None):
        out = []
        for model, items in stats.groups.items():
            rate = catalog.get(model) if catalog is not None else None
            n = Decimal(len(items))
            out.append(Workload(
                name=model, model=rate.id if rate else model,
                input_tokens=sum(Decimal(i["prompt_tokens"]) for i in items) / n,
                output_tokens=sum(Decimal(i["completion_tokens"]) for i in items) / n,
                requests_per_month=n * Decimal("30.4375"),
            ))
        return out

    module.read_usage = read_usage
    module.usage_to_workloads = usage_to_workloads
    monkeypatch.setitem(sys.modules, "pricing.usage", module)
    return module


def test_usage_log_adds_measured_workloads_and_their_rates_in_one_step(window, usage_module, tmp_path):
    log = tmp_path / "usage.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in LOG))
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
