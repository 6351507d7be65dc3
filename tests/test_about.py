"""The About dialog's data: version from the package metadata (pyproject as fallback) and the
catalog snapshot."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from pricing import about
from pricing.costing.catalog import load_catalog_file

ROOT = Path(__file__).resolve().parents[1]


def test_version_is_the_pyproject_version():
    assert about.version() == about.pyproject_version(ROOT / "pyproject.toml")


def test_version_falls_back_to_pyproject_when_not_installed(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(about.metadata, "version", missing)
    assert about.version() == about.pyproject_version(ROOT / "pyproject.toml")


def test_version_is_unknown_without_metadata_or_pyproject(monkeypatch, tmp_path):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(about.metadata, "version", missing)
    monkeypatch.setattr(about, "_pyproject_candidates", lambda: [tmp_path / "pyproject.toml"])
    assert about.version() == about.UNKNOWN


def test_pyproject_of_another_project_is_ignored(tmp_path):
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "something-else"\nversion = "9.9"\n', encoding="utf-8")
    assert about.pyproject_version(other) is None
    broken = tmp_path / "broken.toml"
    broken.write_text("[project\n", encoding="utf-8")
    assert about.pyproject_version(broken) is None


def test_catalog_snapshot_names_genai_prices_version_and_build_date():
    catalog = load_catalog_file()
    text = about.catalog_snapshot()
    assert f"genai-prices {catalog.genai_prices_version}" in text
    assert catalog.built.isoformat() in text
    assert f"{len(catalog.models)} models" in text


def test_about_text_has_version_and_snapshot():
    text = about.about_text()
    assert text.splitlines()[0] == f"Token Budget {about.version()}"
    assert about.catalog_snapshot() in text
