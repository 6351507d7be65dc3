"""Regenerate resources/catalog.json from the installed genai-prices package.

    pip install -U genai-prices && python scripts/build_catalog.py

The app reads only the JSON snapshot; it never needs the network.  Rates the guide quotes
that genai-prices does not list live in resources/catalog_extra.json (each with its source)
and are merged in, never overwritten by the snapshot.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from genai_prices import __version__ as genai_prices_version
from genai_prices import data
from genai_prices.types import ConditionalPrice, ModelPrice, StartDateConstraint, TieredPrices, TimeOfDateConstraint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pricing.costing.catalog import CatalogFile  # noqa: E402
from pricing.plan.models import DeploymentMode, ModelRate, PromptTier, RateVersion, TimeWindow  # noqa: E402

#: Providers carried, with the modes their price pages offer.  Batch is 50% off at all of them.
PROVIDERS: dict[str, tuple[DeploymentMode, ...]] = {
    "together": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH, DeploymentMode.DEDICATED),
    "openai": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    "anthropic": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    "google": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    "mistral": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    "groq": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    "fireworks": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH, DeploymentMode.DEDICATED),
    "deepseek": (DeploymentMode.SERVERLESS,),
    "x-ai": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    "cohere": (DeploymentMode.SERVERLESS,),
    "cerebras": (DeploymentMode.SERVERLESS,),
    "perplexity": (DeploymentMode.SERVERLESS,),
    "moonshotai": (DeploymentMode.SERVERLESS,),
    "novita": (DeploymentMode.SERVERLESS,),
}
FIELDS = {
    "input_mtok": "input_mtok",
    "output_mtok": "output_mtok",
    "cache_read_mtok": "cached_input_mtok",
    "cache_write_mtok": "cache_write_mtok",
    "cache_write_1h_mtok": "cache_write_1h_mtok",
    "output_reasoning_mtok": "reasoning_mtok",
}
#: Charges per request rather than per token: genai-prices' $ per 1,000 requests.
REQUEST_FEE = "requests_kcount"


def _price_at(value: Decimal | TieredPrices | None, threshold: int | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if threshold is None:
        return value.base
    price = value.base
    for tier in value.tiers:
        if tier.start <= threshold:
            price = tier.price
    return price


def _window(prices: ModelPrice, constraint: TimeOfDateConstraint) -> TimeWindow | None:
    """A time-of-day price list (genai-prices has no prompt tiers inside one)."""
    values = prices._comparable_values()
    if values.get("input_mtok") is None and values.get("output_mtok") is None:
        return None
    flat = {ours: _price_at(values.get(theirs), None) for theirs, ours in FIELDS.items()}
    return TimeWindow(
        start=constraint.start_time.replace(tzinfo=None),
        end=constraint.end_time.replace(tzinfo=None),
        input_mtok=flat["input_mtok"] or Decimal(0),
        output_mtok=flat["output_mtok"] or Decimal(0),
        cached_input_mtok=flat["cached_input_mtok"],
        cache_write_mtok=flat["cache_write_mtok"],
        cache_write_1h_mtok=flat["cache_write_1h_mtok"],
        reasoning_mtok=flat["reasoning_mtok"],
        request_fee_kcount=values.get(REQUEST_FEE),
    )


def _version(prices: ModelPrice, start: date | None) -> RateVersion | None:
    values = prices._comparable_values()
    if values.get("input_mtok") is None and values.get("output_mtok") is None:
        return None
    thresholds = sorted(
        {t.start for key in FIELDS if isinstance(values.get(key), TieredPrices) for t in values[key].tiers}
    )
    base = {ours: _price_at(values.get(theirs), None) for theirs, ours in FIELDS.items()}
    tiers = []
    for threshold in thresholds:
        at = {ours: _price_at(values.get(theirs), threshold) for theirs, ours in FIELDS.items()}
        tiers.append(
            PromptTier(
                above_input_tokens=threshold,
                input_mtok=at["input_mtok"] or Decimal(0),
                output_mtok=at["output_mtok"] or Decimal(0),
                cached_input_mtok=at["cached_input_mtok"],
                cache_write_mtok=at["cache_write_mtok"],
                cache_write_1h_mtok=at["cache_write_1h_mtok"],
                reasoning_mtok=at["reasoning_mtok"],
            )
        )
    return RateVersion(
        effective_from=start,
        input_mtok=base["input_mtok"] or Decimal(0),
        output_mtok=base["output_mtok"] or Decimal(0),
        cached_input_mtok=base["cached_input_mtok"],
        cache_write_mtok=base["cache_write_mtok"],
        cache_write_1h_mtok=base["cache_write_1h_mtok"],
        reasoning_mtok=base["reasoning_mtok"],
        request_fee_kcount=values.get(REQUEST_FEE),
        tiers=tuple(tiers),
    )


def convert(provider_id: str, modes, model) -> ModelRate | None:
    conditions = model.prices if isinstance(model.prices, list) else [ConditionalPrice(prices=model.prices)]
    versions = []
    for i, cond in enumerate(conditions):
        if isinstance(cond.constraint, TimeOfDateConstraint):
            continue
        start = cond.constraint.start_date if cond.constraint else None
        version = _version(cond.prices, start)
        if version is None:
            continue
        # The last active condition wins: a time-of-day window listed after this version
        # overrides it in its hours; one listed before it is overridden by it.
        windows = tuple(
            w for later in conditions[i + 1:] if isinstance(later.constraint, TimeOfDateConstraint)
            for w in [_window(later.prices, later.constraint)] if w is not None
        )
        versions.append(version.model_copy(update={"windows": windows}) if windows else version)
    if not versions:
        return None
    notes = [f"genai-prices {genai_prices_version}"]
    if model.price_comments:
        notes.append(model.price_comments)
    return ModelRate(
        provider=provider_id,
        model_id=model.id,
        display_name=model.name or "",
        context_length=model.context_window,
        modes=modes,
        versions=tuple(versions),
        source="; ".join(notes),
    )


def build() -> CatalogFile:
    extra = json.loads((ROOT / "resources" / "catalog_extra.json").read_text(encoding="utf-8"))
    extra_models = [ModelRate.model_validate(m) for m in extra["models"]]
    taken = {m.id.lower() for m in extra_models}
    models = list(extra_models)
    for provider in data.providers:
        modes = PROVIDERS.get(provider.id)
        if modes is None:
            continue
        for model in provider.models:
            rate = convert(provider.id, modes, model)
            if rate is not None and rate.id.lower() not in taken:
                taken.add(rate.id.lower())
                models.append(rate)
    models.sort(key=lambda r: r.id.lower())
    return CatalogFile(
        genai_prices_version=genai_prices_version,
        built=date.today(),
        models=tuple(models),
    )


def main() -> None:
    catalog = build()
    out = ROOT / "resources" / "catalog.json"
    text = catalog.model_dump_json(indent=1, exclude_defaults=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}: {len(catalog.models)} models from genai-prices {genai_prices_version}")


if __name__ == "__main__":
    main()
