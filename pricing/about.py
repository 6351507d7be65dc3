"""What the About dialog shows: the application's version and the rate catalog's snapshot.

The version comes from the installed distribution's metadata (``importlib.metadata``); the
PyInstaller bundle carries that metadata too (``copy_metadata('tokenbudget')`` in the spec).
A checkout that was never pip-installed falls back to reading ``pyproject.toml``.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "tokenbudget"
UNKNOWN = "0+unknown"


def _pyproject_candidates() -> list[Path]:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "pyproject.toml")
    candidates.append(Path(__file__).resolve().parent.parent / "pyproject.toml")
    return candidates


def pyproject_version(path: Path) -> str | None:
    """The ``[project] version`` of a pyproject.toml, or None when absent or unreadable."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    project = data.get("project", {})
    if project.get("name") != DISTRIBUTION:
        return None
    version = project.get("version")
    return version if isinstance(version, str) and version else None


def version() -> str:
    """Token Budget's version, e.g. ``0.1.0``."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    for candidate in _pyproject_candidates():
        found = pyproject_version(candidate)
        if found:
            return found
    return UNKNOWN


def catalog_snapshot() -> str:
    """Where the bundled rates come from and when they were taken, e.g.
    ``genai-prices 0.2.3, built 2026-11-25 (412 models)``."""
    from pricing.costing.catalog import load_catalog_file

    catalog = load_catalog_file()
    return (f"genai-prices {catalog.genai_prices_version}, built {catalog.built.isoformat()} "
            f"({len(catalog.models)} models)")


def about_text() -> str:
    """Two lines for an About box or ``--version``."""
    return f"Token Budget {version()}\nRate catalog: {catalog_snapshot()}"
