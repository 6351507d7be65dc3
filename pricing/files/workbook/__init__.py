"""The plan workbook: ``save_plan`` and ``load_plan``.

Sheets, in tab order:

* Summary - monthly cost by tenant, feature, environment, model and mode; stacked charts by model and tenant.
* Workloads, Rates, Assumptions, Endpoints, Clusters - the inputs, as Excel tables (one Rates row per
  price version; a model's versions on consecutive rows in date order; prompt tiers as extra columns).
* Costs - per workload: the rate row it resolves to, each version's effective rates and cost per request.
* Projection - workloads x months (plus idle-capacity lines), with row and month totals.
* Modes - Serverless against Batch per per-token workload, in its first month.
* Capacity - tokens each endpoint or cluster serves and what it costs, month by month.
* TokenBudget (hidden) - the format mark and the exact text of Decimals a double cannot hold.

Every computed cell is a live Excel 2010 formula with the pricing core's figure as its cached value.
"""

from __future__ import annotations

__all__ = ["SaveCancelled", "load_plan", "save_plan"]


def __getattr__(name: str):
    """The reader and the writer load on first use: the bounded reader process imports only
    ``sheetdata`` and ``layout`` from here, not pydantic's models or the projection."""
    if name == "load_plan":
        from pricing.files.workbook.reader import load_plan

        return load_plan
    if name in ("save_plan", "SaveCancelled"):
        from pricing.files.workbook import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
