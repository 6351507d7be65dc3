"""Shared by the workbook tests: LibreOffice recalculation and generated plans."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from pricing.plan.models import (
    Assumptions, DedicatedEndpoint, DeploymentMode, GpuCluster, ModelRate, Plan, PromptTier, RateVersion, Workload,
)

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def require_libreoffice() -> None:
    """Skip, saying why, where LibreOffice is not installed, except in CI (.ci/run installs it,
    and a recalculation test that does not run there would be a test that cannot fail)."""
    import os

    import pytest

    if Path(SOFFICE).exists():
        return
    if os.environ.get("CI"):
        raise RuntimeError("LibreOffice (soffice) is missing in CI: .ci/run installs libreoffice-calc-nogui")
    pytest.skip("LibreOffice is not installed (Debian/Ubuntu: apt-get install libreoffice-calc-nogui); "
                "bash .ci/run installs it")
# Recalculate every formula when a file is loaded (0 = always), whoever wrote it.
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(path: Path, outdir: Path, timeout: float = 120, to: str = "xlsx") -> Path:
    """Open ``path`` in LibreOffice headless, recalculate, save as .xlsx (or ``to``: "pdf" prints it) in
    ``outdir``; return the new file."""
    require_libreoffice()
    profile = Path(tempfile.mkdtemp(prefix=f"lo-profile-{uuid.uuid4().hex[:8]}-"))
    try:
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS)
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", to, "--outdir", str(outdir), str(path)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        out = outdir / (Path(path).stem + "." + to)
        if not out.exists():
            raise RuntimeError(f"LibreOffice did not convert {path}: {done.stdout} {done.stderr}")
        return out
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def sheet_values(path: Path, sheet: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def rich_plan() -> Plan:
    """Every rule the formulas restate: dated prices, cache, batch, growth, starts, tiers, capacity."""
    tiered = ModelRate(
        provider="acme", model_id="long-context", display_name="Long context", context_length=2_000_000,
        modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
        versions=(
            RateVersion(input_mtok=Decimal("1.25"), output_mtok=Decimal("10"), cached_input_mtok=Decimal("0.125"),
                        tiers=(PromptTier(above_input_tokens=200_000, input_mtok=Decimal("2.5"), output_mtok=Decimal("15"),
                                          cached_input_mtok=Decimal("0.25")),
                               PromptTier(above_input_tokens=500_000, inclusive=True, input_mtok=Decimal("4"),
                                          output_mtok=Decimal("20")))),
            RateVersion(effective_from=date(2026, 4, 15), input_mtok=Decimal("1.1"), output_mtok=Decimal("9"),
                        tiers=(PromptTier(above_input_tokens=200_000, input_mtok=Decimal("2.2"),
                                          output_mtok=Decimal("13.5")),)),
        ),
        batch_discount=Decimal("0.4"), batch_discounts_cached_input=False,
    )
    dated = ModelRate(
        provider="together", model_id="dated/model", context_length=131072,
        modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH, DeploymentMode.DEDICATED),
        versions=(RateVersion(effective_from=date(2026, 3, 1), input_mtok=Decimal("0.20"), output_mtok=Decimal("0.60")),
                  RateVersion(effective_from=date(2026, 7, 2), input_mtok=Decimal("0.18"), output_mtok=Decimal("0.55"),
                              cached_input_mtok=Decimal("0.09")),
                  RateVersion(effective_from=date(2027, 1, 1), input_mtok=Decimal("0.15"), output_mtok=Decimal("0.5"),
                              cached_input_mtok=Decimal("0.05"), cache_write_mtok=Decimal("0.3"))),
    )
    plain = ModelRate(provider="together", model_id="plain-chat", versions=(
        RateVersion(input_mtok=Decimal("0.9"), output_mtok=Decimal("3.3")),),
        modes=(DeploymentMode.SERVERLESS, DeploymentMode.GPU_CLUSTER))
    W = Workload
    workloads = (
        W(name="Cliff below", model="acme/long-context", input_tokens=Decimal(200_000), output_tokens=Decimal(1000),
          requests_per_month=Decimal(1200), tenant="Acme", feature="Research"),
        W(name="Cliff above", model="long-context", input_tokens=Decimal(200_001), output_tokens=Decimal(1000),
          cached_share=Decimal("0.25"), requests_per_month=Decimal(800), tenant="Acme", monthly_growth=Decimal("0.07")),
        W(name="Cliff inclusive", model="acme/long-context", mode=DeploymentMode.BATCH, input_tokens=Decimal(500_000),
          output_tokens=Decimal(2000), cached_share=Decimal("0.5"), requests_per_month=Decimal(90), tenant="Globex"),
        W(name="Dated batch", model="together/dated/model", mode=DeploymentMode.BATCH, input_tokens=Decimal(3000),
          output_tokens=Decimal(700), cached_share=Decimal("0.6"), requests_per_month=Decimal(2_500_000),
          monthly_growth=Decimal("0.035"), start_month=date(2026, 2, 1), tenant="Globex", feature="Batch jobs",
          environment="production"),
        W(name="Dated late start", model="dated/model", input_tokens=Decimal(1500), output_tokens=Decimal(300),
          requests_per_month=Decimal(400_000), start_month=date(2026, 9, 1), monthly_growth=Decimal("-0.02"),
          tenant="Initech", environment="staging"),
        W(name="Started before plan", model="together/plain-chat", input_tokens=Decimal(1234), output_tokens=Decimal(321),
          requests_per_month=Decimal(10_000), start_month=date(2025, 10, 1), monthly_growth=Decimal("0.01")),
        W(name="=HYPERLINK(\"http://x\",\"y\")", model="together/plain-chat", input_tokens=Decimal(10),
          output_tokens=Decimal(10), requests_per_month=Decimal(10), tenant="@SUM(1)", feature="+1", environment="-1"),
        W(name="On the endpoint A", model="together/dated/model", mode=DeploymentMode.DEDICATED, capacity="ep-1",
          input_tokens=Decimal(2000), output_tokens=Decimal(500), requests_per_month=Decimal(1_000_000),
          monthly_growth=Decimal("0.1"), tenant="Acme"),
        W(name="On the endpoint B", model="together/dated/model", mode=DeploymentMode.DEDICATED, capacity="ep-1",
          input_tokens=Decimal(800), output_tokens=Decimal(200), requests_per_month=Decimal(3_000_000),
          start_month=date(2026, 5, 1), tenant="Globex"),
        W(name="On the cluster", model="together/plain-chat", mode=DeploymentMode.GPU_CLUSTER, capacity="gpu-1",
          input_tokens=Decimal(1000), output_tokens=Decimal(1000), requests_per_month=Decimal(500_000),
          start_month=date(2026, 6, 1), tenant="Initech"),
        W(name="Broken: unknown model", model="nobody/nothing", input_tokens=Decimal(10), output_tokens=Decimal(10),
          requests_per_month=Decimal(10)),
    )
    endpoints = (
        DedicatedEndpoint(id="ep-1", name="Dated model endpoint", model="together/dated/model", gpu_type="H100",
                          gpus_per_replica=2, replicas=2, gpu_hour_rate=Decimal("3.49"),
                          included_tokens=Decimal(5_000_000_000), overage_mtok=Decimal("0.05"),
                          throughput_tokens_per_s=Decimal(2500)),
        DedicatedEndpoint(id="ep-idle", model="together/plain-chat", monthly_commitment=Decimal(20000),
                          hours_per_month=Decimal(720)),
    )
    clusters = (GpuCluster(id="gpu-1", name="Own stack", gpu_type="A100", gpu_count=8, gpu_hour_rate=Decimal("2.50"),
                           storage_monthly=Decimal(250), networking_monthly=Decimal(150),
                           throughput_tokens_per_s_per_gpu=Decimal(1500)),)
    return Plan(name="Rich plan", assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=24,
                                                          batch_discount=Decimal("0.5")),
                rates=(tiered, dated, plain), workloads=workloads, endpoints=endpoints, clusters=clusters)


def random_plan(seed: int, n_workloads: int = 40) -> Plan:
    """A generated plan exercising every rule, deterministic for ``seed``."""
    import random

    rng = random.Random(seed)
    money = lambda lo, hi, places=3: Decimal(rng.randint(int(lo * 10**places), int(hi * 10**places))).scaleb(-places)  # noqa: E731
    rates = []
    for k in range(5):
        versions = []
        dates = sorted(rng.sample(range(0, 700), rng.randint(0, 2)))
        starts = ([None] if rng.random() < 0.6 or not dates else []) + [date(2026, 1, 1).fromordinal(
            date(2026, 1, 1).toordinal() + d) for d in dates]
        for start in starts:
            tiers = ()
            if rng.random() < 0.4:
                thresholds = sorted(rng.sample([1000, 2000, 4000, 8000], rng.randint(1, 2)))
                tiers = tuple(PromptTier(above_input_tokens=t, inclusive=rng.random() < 0.5, input_mtok=money(1, 5),
                                         output_mtok=money(2, 20),
                                         cached_input_mtok=money(0.1, 1) if rng.random() < 0.5 else None)
                              for t in thresholds)
            versions.append(RateVersion(effective_from=start, input_mtok=money(0.01, 3), output_mtok=money(0, 12),
                                        cached_input_mtok=money(0.001, 0.5) if rng.random() < 0.5 else None,
                                        tiers=tiers))
        rates.append(ModelRate(provider=rng.choice(["together", "acme"]), model_id=f"model-{seed}-{k}",
                               versions=tuple(versions),
                               modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH, DeploymentMode.DEDICATED,
                                      DeploymentMode.GPU_CLUSTER),
                               batch_discount=rng.choice([None, None, Decimal("0.3"), Decimal("0.25")]),
                               batch_discounts_cached_input=rng.random() < 0.7))
    endpoints = (DedicatedEndpoint(id="ep", model=rates[0].id, gpus_per_replica=rng.randint(1, 8), replicas=2,
                                   gpu_hour_rate=money(1, 6, 2), included_tokens=Decimal(10**9),
                                   overage_mtok=money(0.01, 0.2)),)
    clusters = (GpuCluster(id="cl", gpu_count=rng.randint(1, 16), gpu_hour_rate=money(1, 4, 2),
                           storage_monthly=money(0, 500, 2), networking_monthly=money(0, 300, 2)),)
    workloads = []
    for i in range(n_workloads):
        rate = rng.choice(rates)
        mode = rng.choice([DeploymentMode.SERVERLESS] * 3 + [DeploymentMode.BATCH] * 2
                          + [DeploymentMode.DEDICATED, DeploymentMode.GPU_CLUSTER])
        capacity = {DeploymentMode.DEDICATED: "ep", DeploymentMode.GPU_CLUSTER: "cl"}.get(mode)
        workloads.append(Workload(
            name=f"W{i} {rng.choice(['=1+1', '@x', '+y', '-z', 'plain', chr(9) + 'tab'])}",
            model=rate.id if rng.random() < 0.8 else rate.model_id, mode=mode, capacity=capacity,
            input_tokens=Decimal(rng.choice([500, 1000, 2000, 2001, 4000, 8000, 9000])),
            output_tokens=Decimal(rng.randint(0, 3000)), cached_share=rng.choice([Decimal(0), Decimal("0.35")]),
            requests_per_month=Decimal(rng.randint(0, 5_000_000)),
            monthly_growth=rng.choice([Decimal(0), Decimal("0.015"), Decimal("0.08"), Decimal("-0.03")]),
            start_month=rng.choice([None, date(2025, 11, 1), date(2026, 4, 1), date(2027, 6, 1)]),
            tenant=rng.choice(["Acme", "acme", "Globex", ""]), feature=rng.choice(["Chat", "Search", ""]),
            environment=rng.choice(["production", "staging"]),
        ))
    return Plan(name=f"Random plan {seed}", assumptions=Assumptions(first_month=date(2026, 1, 1),
                                                                     horizon_months=rng.choice([12, 24, 36])),
                rates=tuple(rates), workloads=tuple(workloads), endpoints=endpoints, clusters=clusters)


def recalculate_all(paths: list[Path], outdir: Path, timeout: float = 120) -> list[Path]:
    """One LibreOffice run for several files (start-up is most of the time)."""
    require_libreoffice()
    profile = Path(tempfile.mkdtemp(prefix=f"lo-profile-{uuid.uuid4().hex[:8]}-"))
    try:
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS)
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, paths)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        outs = [outdir / (Path(p).stem + ".xlsx") for p in paths]
        missing = [o for o in outs if not o.exists()]
        if missing:
            raise RuntimeError(f"LibreOffice did not convert {missing}: {done.stdout} {done.stderr}")
        return outs
    finally:
        shutil.rmtree(profile, ignore_errors=True)
