"""The GPU reference table (resources/gpu_rates.json): hourly rates and planning throughputs.

Rates are what the providers publish per GPU-hour, each with its source page and the date
it is known from; throughputs are planning assumptions (sustained input + output tokens/s
per replica) that users replace with their own figures.  The table only proposes a
*reference endpoint* for a workload whose model has no endpoint in the plan; an endpoint
in the plan always uses its own rate and throughput.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pricing.plan.models import DedicatedEndpoint, ModelRate

Offering = Literal["dedicated_endpoint", "gpu_cluster"]
Positive = Annotated[Decimal, Field(gt=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GpuType(_Strict):
    gpu_type: str = Field(min_length=1)
    memory_gb: int = Field(gt=0)
    aliases: tuple[str, ...] = ()


class GpuRate(_Strict):
    """One provider's published on-demand price for one GPU-hour."""

    gpu_type: str
    provider: str = Field(min_length=1)
    offering: Offering
    gpu_hour_rate: Positive
    source: str = Field(pattern=r"^https?://")
    as_of: date
    note: str = ""


class Throughput(_Strict):
    """A planning assumption: tokens/s one replica of a model class sustains on a GPU type."""

    model_class: str
    max_params_b: Positive
    gpu_type: str
    gpus_per_replica: int = Field(ge=1)
    tokens_per_s: Positive


class GpuRateTable(_Strict):
    title: str
    compiled: date
    note: str
    default_gpu: str
    default_provider: str
    default_offering: Offering
    gpus: tuple[GpuType, ...] = Field(min_length=1)
    rates: tuple[GpuRate, ...] = Field(min_length=1)
    throughput: tuple[Throughput, ...] = Field(min_length=1)
    throughput_basis: str
    #: Parameter count (billions) assumed for a model whose id does not say it.
    unknown_size_params_b: Positive

    @model_validator(mode="after")
    def _known_gpu_types(self) -> GpuRateTable:
        known = {g.gpu_type for g in self.gpus}
        for item in (*self.rates, *self.throughput):
            if item.gpu_type not in known:
                raise ValueError(f"unknown GPU type {item.gpu_type!r} (the table lists {', '.join(sorted(known))})")
        if self.default_gpu not in known:
            raise ValueError(f"default_gpu {self.default_gpu!r} is not in the table")
        return self

    def gpu_type(self, name: str) -> str | None:
        """The table's name for ``name`` ('H100', 'h100 sxm' -> 'H100 80GB SXM'), or None."""
        key = " ".join(name.lower().split())
        for gpu in self.gpus:
            if key == gpu.gpu_type.lower() or key in (a.lower() for a in gpu.aliases):
                return gpu.gpu_type
        return None

    def rate(self, gpu_type: str, provider: str | None = None, offering: Offering | None = None) -> GpuRate | None:
        provider = provider or self.default_provider
        offering = offering or self.default_offering
        name = self.gpu_type(gpu_type) or gpu_type
        for r in self.rates:
            if r.gpu_type == name and r.provider == provider and r.offering == offering:
                return r
        return None

    def throughput_for(self, params_b: Decimal, gpu_type: str | None = None) -> Throughput | None:
        """The smallest model class that holds ``params_b`` billion parameters, on ``gpu_type``."""
        name = self.gpu_type(gpu_type) if gpu_type else self.default_gpu
        fitting = [t for t in self.throughput if t.gpu_type == name and t.max_params_b >= params_b]
        return min(fitting, key=lambda t: t.max_params_b) if fitting else None


_PARAMS = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)\s*b(?![a-z])", re.IGNORECASE)


def params_from_model_id(model_id: str) -> Decimal | None:
    """Billions of parameters named in a model id: 'Llama-3.3-70B-Instruct' -> 70, 'gpt-oss-120b' -> 120."""
    sizes = [Decimal(m.group(1)) for m in _PARAMS.finditer(model_id.replace("_", "-").replace("/", "-"))]
    return max(sizes) if sizes else None


def table_path() -> Path:
    from pricing.costing.catalog import resources_dir

    return resources_dir() / "gpu_rates.json"


@lru_cache(maxsize=4)
def load_gpu_rates(path: Path | None = None) -> GpuRateTable:
    """The bundled table, or a user's own file of the same shape (validated just as strictly)."""
    target = Path(path) if path else table_path()
    return GpuRateTable.model_validate_json(target.read_text(encoding="utf-8"))


def reference_endpoint(rate: ModelRate, table: GpuRateTable | None = None, gpu_type: str | None = None) -> tuple[DedicatedEndpoint, str]:
    """A one-replica dedicated endpoint for ``rate``'s model from the reference table, and how it was chosen.

    The endpoint is billed per GPU-hour at the default provider's published rate; its
    throughput is the table's planning assumption for the model's size class.
    """
    table = table or load_gpu_rates()
    params = params_from_model_id(rate.model_id)
    assumed = params is None
    size = table.unknown_size_params_b if params is None else params
    throughput = table.throughput_for(size, gpu_type)
    if throughput is None:  # bigger than every class on that GPU: take the biggest class
        name = table.gpu_type(gpu_type) if gpu_type else table.default_gpu
        candidates = [t for t in table.throughput if t.gpu_type == name] or list(table.throughput)
        throughput = max(candidates, key=lambda t: t.max_params_b)
    price = table.rate(throughput.gpu_type) or min(
        (r for r in table.rates if r.gpu_type == throughput.gpu_type), key=lambda r: r.gpu_hour_rate
    )
    label = f"{throughput.gpus_per_replica}x {throughput.gpu_type}"
    endpoint = DedicatedEndpoint(
        id=f"reference: {label}",
        name=f"Reference {label} ({price.provider})",
        model=rate.id,
        gpu_type=throughput.gpu_type,
        gpus_per_replica=throughput.gpus_per_replica,
        replicas=1,
        gpu_hour_rate=price.gpu_hour_rate,
        throughput_tokens_per_s=throughput.tokens_per_s,
        notes=f"{price.source} as of {price.as_of.isoformat()}",
    )
    size_text = f"size not in its id, assumed {size}B" if assumed else f"{size}B parameters"
    how = (
        f"reference {label} at ${price.gpu_hour_rate}/GPU-hour ({price.provider}, {price.source}, as of "
        f"{price.as_of.isoformat()}), {throughput.tokens_per_s:,} tokens/s per replica for a {throughput.model_class} "
        f"model ({size_text}; a planning assumption)"
    )
    return endpoint, how
