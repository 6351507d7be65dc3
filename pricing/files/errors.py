"""The one error a plan file that cannot be opened raises, whatever its format."""

from __future__ import annotations


class PlanFileError(Exception):
    """A plan file that cannot be opened; the message names the file and the reason."""
