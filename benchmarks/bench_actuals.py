"""Benchmark: a FOCUS bill as a hive-partitioned Parquet folder, aggregated by the app and by bare DuckDB.

    python benchmarks/bench_actuals.py [ROWS]        (default 10,000,000)

The folder is generated here (not kept in git): ROWS FOCUS 1.2 charge rows over twelve months,
partitioned by billing_year / billing_month, with JSON ``Tags`` (tenant, feature, environment,
model), ``SkuPriceDetails`` (model, token kind), decimal costs and token quantities.  The app reads
it as ``tokenbudget actuals`` does (``pricing.actuals.reading.read_spend``: detection, the one
aggregate query, Decimals, matching left out); the peer is the query a person would write in
DuckDB for the same aggregate (per month, model, tenant, feature, environment, resource and currency: cost
and tokens by kind).  Target: the app within 1.5× of the bare query.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BARE = """
SELECT date_trunc('month', ChargePeriodStart) AS month,
       json_extract_string(Tags, '$.model') AS model,
       json_extract_string(Tags, '$.tenant') AS tenant,
       json_extract_string(Tags, '$.feature') AS feature,
       json_extract_string(Tags, '$.environment') AS environment,
       ResourceId AS resource,
       BillingCurrency AS currency,
       sum(EffectiveCost) AS cost,
       sum(CASE WHEN json_extract_string(SkuPriceDetails, '$.token_type') = 'input' THEN ConsumedQuantity END) AS input_tokens,
       sum(CASE WHEN json_extract_string(SkuPriceDetails, '$.token_type') = 'cached_input' THEN ConsumedQuantity END) AS cached_tokens,
       sum(CASE WHEN json_extract_string(SkuPriceDetails, '$.token_type') = 'output' THEN ConsumedQuantity END) AS output_tokens,
       count(*) AS rows
FROM read_parquet('{glob}', hive_partitioning = true)
GROUP BY ALL
"""


def generate(folder: Path, rows: int) -> float:
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          SELECT 'USD' AS BillingCurrency,
                 TIMESTAMP '2026-01-01' + INTERVAL (i % 12) MONTH + INTERVAL (i % 28) DAY AS ChargePeriodStart,
                 'Usage' AS ChargeCategory, 'Usage-Based' AS ChargeFrequency,
                 CAST(0 AS DECIMAL(18, 10)) AS BilledCost,
                 CAST((i % 997) / 1000.0 AS DECIMAL(18, 10)) AS EffectiveCost,
                 'Together AI' AS ServiceProviderName, 'Together AI Inference' AS ServiceName,
                 'ep-' || (i % 40) AS ResourceId,
                 CAST(1000 + i % 5000 AS DECIMAL(18, 2)) AS ConsumedQuantity, 'Tokens' AS ConsumedUnit,
                 '{{"model": "' || (['openai/gpt-oss-120b', 'arcee-ai/maestro-reasoning', 'guide/typical-chat-model',
                   'zai-org/GLM-5.3-Flash'])[1 + i % 4] || '", "token_type": "'
                   || (['input', 'cached_input', 'output'])[1 + (i // 4) % 3] || '"}}' AS SkuPriceDetails,
                 '{{"tenant": "tenant ' || (i % 20) || '", "feature": "feature ' || (i % 7)
                   || '", "environment": "' || (['production', 'staging'])[1 + (i // 7) % 2]
                   || '", "model": "' || (['openai/gpt-oss-120b', 'arcee-ai/maestro-reasoning',
                   'guide/typical-chat-model', 'zai-org/GLM-5.3-Flash'])[1 + i % 4] || '"}}' AS Tags,
                 2026 AS billing_year, 1 + i % 12 AS billing_month
          FROM range({rows}) t(i))
        TO '{folder}' (FORMAT parquet, PARTITION_BY (billing_year, billing_month), ROW_GROUP_SIZE 1000000)""")
    con.close()
    return time.perf_counter() - start


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(sizes=(10_000_000,)) -> list[dict]:
    import duckdb

    from pricing.actuals.reading import read_spend
    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import load_plan_json

    plan = load_plan_json(sample_plan_path())
    out = []
    for rows in sizes:
        tmp = Path(tempfile.mkdtemp(prefix="focus-bench-"))
        try:
            folder = tmp / "focus"
            made = generate(folder, rows)
            glob = str(folder / "**" / "*.parquet")

            def bare():
                con = duckdb.connect()
                con.execute("SET memory_limit = '2GB'")
                result = con.execute(BARE.format(glob=glob)).fetchall()
                con.close()
                return result

            def app():
                return read_spend([folder], plan, rules_dir=tmp / "rules", remember=False)

            groups = len(app().groups)
            assert groups == len(bare()), "the app and the bare query disagree on the groups"
            t_app, t_bare = best_of(app), best_of(bare)
            out.append({"area": "actuals", "what": "FOCUS hive-partitioned Parquet aggregated", "rows": rows,
                        "groups": groups, "generate_s": round(made, 2), "app_s": round(t_app, 3),
                        "bare_duckdb_s": round(t_bare, 3), "ratio": round(t_app / t_bare, 2)})
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


if __name__ == "__main__":
    sizes = [int(a.replace("_", "")) for a in sys.argv[1:]] or [10_000_000]
    for row in run(sizes):
        print(f"{row['rows']:,} FOCUS rows in a hive-partitioned Parquet folder ({row['groups']:,} groups): "
              f"app {row['app_s']:.3f} s, bare DuckDB {row['bare_duckdb_s']:.3f} s, "
              f"ratio {row['ratio']:.2f}× (target ≤ 1.5×; generated in {row['generate_s']:.1f} s)")
