"""The bits of SQL text the usage-log readers write: string literals, identifiers and epoch times."""

from __future__ import annotations


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _epoch(value: str) -> str:
    """Epoch seconds (or milli-, micro-, nanoseconds, told apart by size) as TIMESTAMPTZ.  Numbers below
    1e8 (before 1973: a latency, a day of the month) and absurd ones are NULL, not dates."""
    return (f"CASE WHEN {value} > 1e17 THEN try(to_timestamp({value} / 1e9)) "
            f"WHEN {value} > 1e14 THEN try(to_timestamp({value} / 1e6)) "
            f"WHEN {value} > 1e11 THEN try(to_timestamp({value} / 1e3)) "
            f"WHEN {value} >= 1e8 THEN try(to_timestamp({value})) END")
