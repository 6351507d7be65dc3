"""Write resources/sample-capacity-plan.json: a plan with dedicated endpoints and a GPU cluster.

    python scripts/make_capacity_plan.py

It holds the guide's capacity examples: an endpoint billed $20,000 a month serving
10,000,000,000 tokens ($2.00 per 1M) and a cluster of 8 GPUs × 730 h × $2.50 + $400 of
storage and networking = $15,000 a month generating 6,000,000,000 tokens ($2.50 per 1M);
an endpoint shared by two workloads that outgrows its one replica in Aug 2026; an endpoint
with included tokens and overage that is idle until its workload starts in April.
Throughputs are planning assumptions (see resources/gpu_rates.json), not measurements.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pricing.costing.catalog import load_catalog  # noqa: E402
from pricing.plan.models import Assumptions, DedicatedEndpoint, DeploymentMode, GpuCluster, Plan, Workload  # noqa: E402
from pricing.files.planfile import save_plan_json  # noqa: E402

S, B, DED, GPU = (DeploymentMode.SERVERLESS, DeploymentMode.BATCH, DeploymentMode.DEDICATED,
                  DeploymentMode.GPU_CLUSTER)
MAESTRO = "together/arcee-ai/maestro-reasoning"
CHAT = "together/guide/typical-chat-model"
OSS = "together/openai/gpt-oss-120b"

ENDPOINTS = (
    DedicatedEndpoint(
        id="ep-maestro", name="Maestro reserved endpoint", model=MAESTRO, gpu_type="H100 80GB SXM",
        gpus_per_replica=2, replicas=2, monthly_commitment=Decimal(20_000), throughput_tokens_per_s=Decimal(3000),
        notes="Guide example: $20,000 a month; at 10,000,000,000 tokens that is $2.00 per 1M",
    ),
    DedicatedEndpoint(
        id="ep-chat", name="Chat endpoint (1x H100)", model=CHAT, gpu_type="H100 80GB SXM", gpus_per_replica=1,
        replicas=1, gpu_hour_rate=Decimal("3.36"), throughput_tokens_per_s=Decimal(10_000),
        notes="Shared by two support workloads; outgrows one replica in Aug 2026",
    ),
    DedicatedEndpoint(
        id="ep-voice", name="Voice pilot endpoint", model=CHAT, gpu_type="L40S 48GB", replicas=1,
        monthly_commitment=Decimal(1500), included_tokens=Decimal(2_000_000_000), overage_mtok=Decimal("0.10"),
        throughput_tokens_per_s=Decimal(5000),
        notes="Commitment with 2B included tokens and $0.10/1M overage; idle until its workload starts in April",
    ),
)
CLUSTERS = (
    GpuCluster(
        id="cluster-h100", name="Self-hosted H100 cluster", gpu_type="H100 80GB SXM", gpu_count=8,
        gpu_hour_rate=Decimal("2.50"), storage_monthly=Decimal(250), networking_monthly=Decimal(150),
        throughput_tokens_per_s_per_gpu=Decimal(400),
        notes="Guide example: 8 GPUs x 730 h x $2.50 + $400 = $15,000 a month; 6,000,000,000 tokens -> $2.50 per 1M",
    ),
)

ROWS = [
    # name, model, mode, in, out, requests, capacity, tenant, feature, start, growth, notes
    ("Analyst copilot", MAESTRO, DED, 3000, 1000, 2_500_000, "ep-maestro", "Globex Bank", "Analyst research", None, "0",
     "2,500,000 requests x 4,000 tokens = 10,000,000,000 tokens a month"),
    ("Reasoning agent", MAESTRO, S, 3000, 1000, 2_000_000, None, "Acme Retail", "AI Assistant", None, "0",
     "Guide example: $12,000.00 a month on Serverless"),
    ("Support chat", CHAT, DED, 1200, 300, 12_000_000, "ep-chat", "Acme Retail", "Support", None, "0.03", ""),
    ("Support chat (EU)", CHAT, DED, 1200, 300, 3_000_000, "ep-chat", "Acme Retail", "Support", None, "0", ""),
    ("Assistant chat", CHAT, S, 1200, 300, 30_000_000, None, "Initech Health", "AI Assistant", None, "0.02", ""),
    ("Ticket summaries (offline)", CHAT, B, 3000, 500, 8_000_000, None, "Acme Retail", "Support summaries", None, "0",
     "Offline: results needed next morning"),
    ("Voice agent pilot", CHAT, DED, 1200, 300, 2_000_000, "ep-voice", "Initech Health", "Voice", date(2026, 4, 1), "0",
     "3,000,000,000 tokens a month: 1,000,000,000 beyond the included tokens"),
    ("Statement classification (self-hosted)", OSS, GPU, 900, 60, 5_000_000, "cluster-h100", "Globex Bank",
     "Document classification", None, "0", "Nightly; 4,800,000,000 tokens a month"),
    ("Clinical notes (self-hosted)", OSS, GPU, 2500, 700, 375_000, "cluster-h100", "Initech Health", "Clinical notes",
     None, "0", "1,200,000,000 tokens a month"),
]


def build() -> Plan:
    catalog = load_catalog()
    workloads = tuple(
        Workload(
            name=name, model=model, mode=mode, input_tokens=Decimal(tin), output_tokens=Decimal(tout),
            requests_per_month=Decimal(req), capacity=capacity, tenant=tenant, feature=feature, environment="production",
            start_month=start, monthly_growth=Decimal(growth), notes=notes,
        )
        for name, model, mode, tin, tout, req, capacity, tenant, feature, start, growth, notes in ROWS
    )
    rates = tuple(catalog.resolve(m) for m in dict.fromkeys(w.model for w in workloads))
    # Open weights can be self-hosted: list GPU clusters for the model the cluster runs.
    rates = tuple(
        r.model_copy(update={"modes": (*r.modes, GPU)}) if r.id == OSS and GPU not in r.modes else r for r in rates
    )
    return Plan(
        name="Sample capacity plan: endpoints and a GPU cluster, 2026",
        assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=12),
        rates=rates,
        workloads=workloads,
        endpoints=ENDPOINTS,
        clusters=CLUSTERS,
    )


if __name__ == "__main__":
    out = ROOT / "resources" / "sample-capacity-plan.json"
    save_plan_json(build(), out)
    out.with_name(out.name + ".bak").unlink(missing_ok=True)
    print(f"wrote {out.relative_to(ROOT)}")
