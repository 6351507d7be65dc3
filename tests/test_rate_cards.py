"""A rate card on its own (model, input and output prices; no volumes) imports as a plan's rate
sheet with no workloads, and File > Import into an open plan adds its prices as dated versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pricing.costing.rate_card import add_price_versions
from pricing.importer import import_file
from pricing.plan.models import ModelRate, RateVersion
from tests.desktop_helpers import ScriptedPrompts, data_dir, make_window  # noqa: F401 - fixture

CARDS = {
    "per_token": "Model,Input cost per token,Output cost per token\ngpt-4o,0.0000025,0.00001\nmini,0.00000015,0.0000006\n",
    "per_1k": "Model,Input price per 1K tokens,Output price per 1K tokens\ngpt-4o,0.0025,0.01\nmini,0.00015,0.0006\n",
    "per_1m": "Model,Input ($/1M tokens),Output ($/1M tokens)\ngpt-4o,2.50,10.00\nmini,0.15,0.60\n",
    "units_in_cells": "Model,Input,Output\ngpt-4o,$0.0025 / 1K tokens,$0.01 / 1K tokens\nmini,$0.15 / 1M tokens,$0.60 / MTok\n",
    "pricing_page": "Model,Base Input Tokens,Output Tokens\ngpt-4o,$2.50 / MTok,$10 / MTok\nmini,$0.15 / MTok,$0.60 / MTok\n",
}


@pytest.mark.parametrize("layout", sorted(CARDS))
def test_a_rate_card_imports_as_a_rate_sheet_with_no_workloads(tmp_path, layout):
    path = tmp_path / f"{layout}.csv"
    path.write_text(CARDS[layout])
    plan = import_file(path).plan
    assert plan.workloads == () and plan.endpoints == ()
    prices = {r.model_id: (r.versions[-1].input_mtok, r.versions[-1].output_mtok) for r in plan.rates}
    assert prices == {"gpt-4o": (Decimal("2.5"), Decimal("10")), "mini": (Decimal("0.15"), Decimal("0.6"))}


def test_a_rate_card_adds_dated_price_versions_to_the_plans_models(sample_plan):
    maestro = sample_plan.rates[0]
    card = [
        ModelRate(provider="card", model_id=maestro.model_id,
                  versions=(RateVersion(input_mtok=Decimal("1.10"), output_mtok=Decimal("4.00")),)),
        ModelRate(provider="card", model_id="brand-new", versions=(RateVersion(input_mtok=Decimal(1), output_mtok=Decimal(2)),)),
    ]
    merge = add_price_versions(sample_plan, card, date(2026, 12, 1))
    rate = next(r for r in merge.plan.rates if r.id == maestro.id)
    assert rate.versions[0] == maestro.versions[0]
    added = rate.versions[-1]
    assert (added.effective_from, added.input_mtok, added.output_mtok) == (date(2026, 12, 1), Decimal("1.10"), Decimal("4.00"))
    assert added.cached_input_mtok == maestro.versions[0].cached_input_mtok  # what the card does not say is kept
    assert merge.added == ["card/brand-new"] and len(merge.plan.rates) == len(sample_plan.rates) + 1
    assert merge.plan.workloads == sample_plan.workloads


def test_file_import_of_a_rate_card_into_an_open_plan_adds_price_versions_as_one_undo_step(qtbot, data_dir, tmp_path):  # noqa: F811
    prompts = ScriptedPrompts()
    prompts.wizard = lambda path: import_file(path).plan
    window = make_window(qtbot, None, prompts)
    doc = window.document
    before = doc.plan
    card = tmp_path / "prices.csv"
    card.write_text("Model,Input $/1M,Output $/1M\narcee-ai/maestro-reasoning,1.10,4.00\n")
    assert window.files.import_path(card)
    maestro = next(r for r in doc.plan.rates if r.model_id == "arcee-ai/maestro-reasoning")
    assert len(maestro.versions) == 2 and maestro.versions[-1].effective_from == date.today().replace(day=1)
    assert maestro.versions[-1].input_mtok == Decimal("1.10")
    assert doc.plan.workloads == before.workloads and len(doc.plan.rates) == len(before.rates)
    assert "1 price version(s)" in window.statusBar().currentMessage()
    doc.undo_stack.undo()
    assert doc.plan == before
    window.files.shutdown()
    doc.undo_stack.setClean()


def test_a_rate_whose_price_cannot_be_read_is_left_out_never_priced_at_zero(tmp_path):
    path = tmp_path / "card.csv"
    path.write_text("Model,Input $/1M,Output $/1M\nok-model,1,2\nbad-model,n/a,2\n")
    result = import_file(path)
    assert [r.model_id for r in result.plan.rates] == ["ok-model"]
    assert any("bad-model is left out" in f.message and f.cell == "A3" for f in result.report.findings)
    assert result.report.rows_skipped == 1
