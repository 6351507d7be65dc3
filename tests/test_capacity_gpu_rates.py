"""The GPU reference table: strictly validated, every rate sourced and dated, sizes mapped to classes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from pricing.costing.catalog import load_catalog
from pricing.capacity.gpu_rates import GpuRateTable, load_gpu_rates, params_from_model_id, reference_endpoint, table_path

D = Decimal


def test_bundled_table_lists_the_common_gpus_with_sourced_dated_rates():
    table = load_gpu_rates()
    names = {g.gpu_type for g in table.gpus}
    assert {"H100 80GB SXM", "H200 141GB", "B200 192GB", "A100 80GB SXM", "L40S 48GB"} <= names
    for r in table.rates:
        assert r.source.startswith("https://") and r.as_of.year >= 2024 and r.gpu_hour_rate > 0
    assert table.rate("H100").gpu_hour_rate == D("3.36")  # Together AI dedicated endpoints
    assert "planning assumption" in table.throughput_basis.lower()


def test_unknown_field_in_the_table_is_refused():
    data = json.loads(table_path().read_text(encoding="utf-8"))
    data["rates"][0]["discount"] = "0.2"
    with pytest.raises(ValidationError, match="discount"):
        GpuRateTable.model_validate(data)


def test_rate_for_a_gpu_the_table_does_not_list_is_refused():
    data = json.loads(table_path().read_text(encoding="utf-8"))
    data["rates"][0]["gpu_type"] = "Z999"
    with pytest.raises(ValidationError, match="unknown GPU type 'Z999'"):
        GpuRateTable.model_validate(data)


@pytest.mark.parametrize("model_id, params", [
    ("Llama-3.3-70B-Instruct-Turbo", D(70)), ("gpt-oss-120b", D(120)), ("Tev1-4B-experimental", D(4)),
    ("Qwen2.5-7B-Instruct", D(7)), ("maestro-reasoning", None), ("gemma-3n-E4B-it", None),
])
def test_model_size_is_read_from_the_model_id(model_id, params):
    assert params_from_model_id(model_id) == params


def test_reference_endpoint_uses_the_smallest_class_that_holds_the_model():
    rate = load_catalog().resolve("together/openai/gpt-oss-120b")
    ep, how = reference_endpoint(rate)
    assert (ep.gpus_per_replica, ep.gpu_type, ep.throughput_tokens_per_s) == (1, "H100 80GB SXM", D(6000))
    assert ep.gpu_hour_rate == D("3.36") and ep.model == rate.id
    assert "120B parameters" in how and "planning assumption" in how


def test_model_bigger_than_every_class_takes_the_biggest():
    rate = load_catalog().resolve("together/openai/gpt-oss-120b").model_copy(update={"model_id": "giant-2000B"})
    ep, _ = reference_endpoint(rate)
    assert ep.gpus_per_replica == 8
