"""The bundled offline rate catalog (resources/catalog.json), validated strictly."""

from __future__ import annotations

import sys
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pricing.plan.models import ModelRate
from pricing.costing.rates import RateBook


class CatalogFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    genai_prices_version: str
    built: date
    models: tuple[ModelRate, ...]


def resources_dir() -> Path:
    """resources/ in a checkout, an installed wheel, or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    candidates.append(Path(__file__).resolve().parents[2] / "resources")
    for candidate in candidates:
        if (candidate / "catalog.json").is_file():
            return candidate
    raise FileNotFoundError("the bundled rate catalog (resources/catalog.json) is missing")


@lru_cache(maxsize=1)
def load_catalog_file() -> CatalogFile:
    text = (resources_dir() / "catalog.json").read_text(encoding="utf-8")
    return CatalogFile.model_validate_json(text)


def load_catalog() -> RateBook:
    return RateBook.of(load_catalog_file().models, kind="catalog")


def sample_plan_path() -> Path:
    return resources_dir() / "sample-plan.json"
