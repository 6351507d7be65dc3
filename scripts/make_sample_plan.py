"""Write resources/sample-plan.json: a mid-size company's plan, with the guide's examples in it.

    python scripts/make_sample_plan.py
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pricing.costing.catalog import load_catalog  # noqa: E402
from pricing.plan.models import Assumptions, DeploymentMode, Plan, Workload  # noqa: E402
from pricing.files.planfile import save_plan_json  # noqa: E402

S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH
MAESTRO = "together/arcee-ai/maestro-reasoning"
CHAT = "together/guide/typical-chat-model"
GLM = "together/zai-org/GLM-5.3-Flash"
OSS = "together/openai/gpt-oss-120b"
TEV = "together/together/Tev1-4B-experimental"

ROWS = [
    # name, model, mode, in, out, cached, requests, tenant, feature, env, start, growth, notes
    ("Reasoning agent", MAESTRO, S, 3000, 1000, "0", 2_000_000, "Acme Retail", "AI Assistant", "production", None, "0",
     "Guide example: $0.0060 a request, $12,000.00 a month"),
    ("Ticket summaries (offline)", MAESTRO, B, 3000, 1000, "0", 2_000_000, "Acme Retail", "Support summaries", "production",
     None, "0", "Guide example on Batch at 50%: $6,000.00 a month"),
    ("Long-context research", MAESTRO, S, 4000, 1000, "0", 250_000, "Globex Bank", "Analyst research", "production",
     None, "0.03", "Guide example: $0.0069 a request"),
    ("Assistant chat", CHAT, S, 1200, 300, "0", 6_000_000, "Acme Retail", "AI Assistant", "production", None, "0.04", ""),
    ("Assistant chat (staging)", CHAT, S, 1200, 300, "0", 150_000, "Acme Retail", "AI Assistant", "staging", None, "0", ""),
    ("Code copilot", GLM, S, 6000, 400, "0.6", 3_500_000, "Globex Bank", "Code Copilot", "production", date(2026, 3, 1),
     "0.05", "60% of each prompt is a cached repository context"),
    ("Code copilot (staging)", GLM, S, 6000, 400, "0.6", 80_000, "Globex Bank", "Code Copilot", "staging", None, "0", ""),
    ("Statement classification", OSS, B, 900, 60, "0", 12_000_000, "Globex Bank", "Document classification",
     "production", None, "0.02", "Nightly batch"),
    ("Clinical note drafting", OSS, S, 2500, 700, "0", 900_000, "Initech Health", "Clinical notes", "production",
     date(2026, 4, 1), "0.06", ""),
    ("Clinical note drafting (staging)", OSS, S, 2500, 700, "0", 40_000, "Initech Health", "Clinical notes", "staging",
     None, "0", ""),
    ("Synthetic training data", CHAT, B, 800, 1500, "0", 4_000_000, "Initech Health", "Synthetic data", "production",
     date(2026, 2, 1), "0", "Offline generation"),
    ("Intake embeddings", TEV, S, 700, 0, "0", 5_000_000, "Initech Health", "Search", "production", None, "0.03",
     "Input-only model; its rate changes on 2026-10-19"),
]


def build() -> Plan:
    catalog = load_catalog()
    workloads = tuple(
        Workload(
            name=name, model=model, mode=mode, input_tokens=Decimal(tin), output_tokens=Decimal(tout),
            cached_share=Decimal(cached), requests_per_month=Decimal(req), tenant=tenant, feature=feature,
            environment=env, start_month=start, monthly_growth=Decimal(growth), notes=notes,
        )
        for name, model, mode, tin, tout, cached, req, tenant, feature, env, start, growth, notes in ROWS
    )
    rates = tuple(catalog.resolve(m) for m in dict.fromkeys(w.model for w in workloads))
    return Plan(
        name="Sample plan: three tenants, FY2026-2028",
        assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=36),
        rates=rates,
        workloads=workloads,
    )


if __name__ == "__main__":
    out = ROOT / "resources" / "sample-plan.json"
    save_plan_json(build(), out)
    out.with_name(out.name + ".bak").unlink(missing_ok=True)
    print(f"wrote {out.relative_to(ROOT)}")
