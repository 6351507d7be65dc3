"""The bundled catalog agrees with genai-prices, cent for cent and digit for digit."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

genai_prices = pytest.importorskip("genai_prices")
from genai_prices import Usage, calc_price  # noqa: E402
from genai_prices import data as genai_data  # noqa: E402

from pricing.costing.catalog import load_catalog, load_catalog_file  # noqa: E402
from pricing.costing.engine import price_request  # noqa: E402
from pricing.costing.rates import AmbiguousModel  # noqa: E402

D = Decimal
TOGETHER = [r for r in load_catalog_file().models if r.provider == "together" and r.source.startswith("genai-prices")]
DATES = [date(2026, 1, 15), date(2026, 10, 18), date(2026, 10, 19), date(2027, 6, 1)]


def _theirs(rate, day, tin, cached, tout):
    usage = Usage(input_tokens=tin, cache_read_tokens=cached, output_tokens=tout)
    when = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
    return calc_price(usage, rate.model_id, provider_id=rate.provider, genai_request_timestamp=when).total_price


def test_catalog_carries_every_together_model_genai_prices_lists():
    listed = {m.id for p in genai_data.providers if p.id == "together" for m in p.models}
    assert listed <= {r.model_id for r in TOGETHER}


def test_catalog_carries_the_guides_maestro_reasoning_with_its_source():
    rate = load_catalog().resolve("together/arcee-ai/maestro-reasoning")
    assert (rate.current.input_mtok, rate.current.output_mtok, rate.context_length) == (D("0.90"), D("3.30"), 131072)
    assert "pricing guide" in rate.source


def test_catalog_carries_dated_price_changes():
    rate = load_catalog().resolve("together/together/Tev1-4B-experimental")
    assert rate.version_on(date(2026, 10, 18)).input_mtok == D("0.04")
    assert rate.version_on(date(2026, 10, 19)).input_mtok == D("0.042")


@pytest.mark.parametrize("rate", TOGETHER, ids=lambda r: r.model_id)
def test_together_model_costs_equal_genai_prices(rate):
    for day in DATES:
        for tin, cached, tout in ((3000, 0, 1000), (10_000, 6_000, 500), (250_000, 50_000, 4_000)):
            version = rate.version_on(day)
            ours = price_request(rate, version, D(tin), D(tout), cached_share=D(cached) / D(tin)).total
            assert ours == _theirs(rate, day, tin, cached, tout), (day, tin, cached, tout)


def test_tiered_catalog_model_costs_equal_genai_prices_on_both_sides_of_the_threshold():
    tiered = [r for r in load_catalog_file().models if any(v.tiers for v in r.versions) and r.source.startswith("genai-prices")]
    assert tiered, "the catalog should carry some tiered models"
    checked = 0
    for rate in tiered[:25]:
        version = rate.version_on(date(2026, 1, 15))
        if not version.tiers:
            continue
        t = version.tiers[0].above_input_tokens
        for tin in (t, t + 1):
            ours = price_request(rate, version, D(tin), D(1000)).total
            assert ours == _theirs(rate, date(2026, 1, 15), tin, 0, 1000), (rate.id, tin)
            checked += 1
    assert checked >= 10


def test_bare_model_id_resolves_when_unambiguous():
    assert load_catalog().resolve("arcee-ai/maestro-reasoning").id == "together/arcee-ai/maestro-reasoning"


def test_bare_model_id_listed_by_two_providers_is_ambiguous():
    book = load_catalog()
    ids = {}
    for r in book:
        ids.setdefault(r.model_id.lower(), []).append(r)
    dupe = next(k for k, v in ids.items() if len(v) > 1)
    with pytest.raises(AmbiguousModel):
        book.resolve(dupe)


def test_catalog_rejects_unknown_fields(tmp_path):
    from pydantic import ValidationError

    from pricing.costing.catalog import CatalogFile

    data = json.loads(load_catalog_file().model_dump_json())
    data["models"][0]["surprise"] = 1
    with pytest.raises(ValidationError):
        CatalogFile.model_validate(data)


def test_catalog_build_script_reproduces_the_snapshot_models():
    out = subprocess.run([sys.executable, "-c", "import scripts.build_catalog as b; c=b.build(); print(len(c.models))"],
                         capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(load_catalog_file().models)


def test_a_full_id_wins_over_another_providers_model_id():
    book = load_catalog()
    assert book.resolve("openai/gpt-oss-120b").provider == "openai"
    assert book.resolve("together/openai/gpt-oss-120b").provider == "together"


def test_every_id_the_catalog_lists_resolves_to_itself():
    book = load_catalog()
    assert [book.resolve(r.id).id for r in book] == [r.id for r in book]
