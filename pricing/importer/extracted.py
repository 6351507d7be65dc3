"""What the rows of a foreign budget's tables become before they are put together into a plan:
rate rows, workload rows (their fields not yet validated) and the capacity records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pricing.plan.models import DedicatedEndpoint, DeploymentMode, GpuCluster


@dataclass
class RateRow:
    provider: str
    model: str
    display_name: str
    context_length: int | None
    modes: tuple[DeploymentMode, ...]
    effective_from: date | None
    input_mtok: Decimal
    output_mtok: Decimal
    cached_input_mtok: Decimal | None
    cache_write_mtok: Decimal | None
    batch_discount: Decimal | None
    place: dict


@dataclass(slots=True)  # 100,000 of them in a large import
class WorkloadRow:
    #: Workload fields (validated as a Workload once its model is resolved).
    workload: dict
    provider: str
    place: dict
    #: Prices written next to the workload (a budget that keeps rates on the same row).
    prices: dict[str, Decimal] = field(default_factory=dict)
    #: The budget's own figures for the row: field -> (amount, cell), checked against the app's.
    stated: dict[str, tuple[Decimal, str]] = field(default_factory=dict)
    #: The fields ``workload`` gives, when each of its values is one a Workload holds as it is (text,
    #: a mode, a checked Decimal or month: ``pricing.plan.checked_workloads``): the record is then made
    #: without validating it.  None: it is validated.  What changes ``workload`` later keeps it true.
    held: set[str] | None = None


@dataclass
class Extracted:
    workloads: list[WorkloadRow] = field(default_factory=list)
    rates: list[RateRow] = field(default_factory=list)
    endpoints: list[DedicatedEndpoint] = field(default_factory=list)
    clusters: list[GpuCluster] = field(default_factory=list)
    #: The earliest month of each table whose month columns were read as requests.
    month_columns_from: list[date] = field(default_factory=list)
