"""The usage statistics of a log read as ``read_usage`` reads it (its quick readings) and through
the general reading alone, for tests that hold the one to the other."""

from __future__ import annotations

import pytest

from pricing.usage import sources, stats as stats_module
from pricing.usage.stats import read_usage


def general_view(con, path, by, quick=False):
    """``normalized_view`` without its quick readings (``quick`` ignored)."""
    return sources.normalized_view(con, path, by)


def quick_and_general(path, by=()) -> tuple[object, object]:
    """What the quick reading and the general reading give for ``path``: statistics or the error message."""
    def one():
        try:
            return read_usage(path, by).as_dict()
        except stats_module.UsageLogError as exc:
            return f"error: {exc}"

    quick = one()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(stats_module, "normalized_view", general_view)
        return quick, one()
