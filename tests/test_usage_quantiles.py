"""Per-request quantiles of a usage log are DuckDB's own quantile_cont of the same values, digit for digit."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import duckdb
import pytest

from pricing.usage.stats import read_usage

MODELS = ("gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5")


def _reference(values: list[int], fraction: float) -> Decimal:
    """The straightforward query: one quantile_cont per fraction over the values alone."""
    con = duckdb.connect()
    con.execute("CREATE TABLE v (x BIGINT)")
    con.executemany("INSERT INTO v VALUES (?)", [(x,) for x in values])
    return Decimal(str(con.execute(f"SELECT quantile_cont(x, {fraction}) FROM v").fetchone()[0]))


@pytest.mark.parametrize("seed", range(4))
def test_p50_and_p95_per_model_and_for_all_models_equal_quantile_cont(tmp_path, seed):
    rng = random.Random(seed)
    records = []
    for i in range(rng.randint(5, 400)):
        model = rng.choice(MODELS)
        prompt, completion = rng.randint(0, 10 ** rng.randint(1, 7)), rng.randint(0, 5000)
        usage = ({"input_tokens": prompt, "output_tokens": completion} if model.startswith("claude")
                 else {"prompt_tokens": prompt, "completion_tokens": completion})
        records.append({"created": 1_767_225_600 + i * 60, "model": model, "usage": usage,
                        "metadata": {"feature": rng.choice("ab")}})
    path = tmp_path / "usage.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    stats = read_usage(path, ["feature"])

    def tokens(rows, key):
        return [r["usage"].get(f"{key[0]}_tokens", r["usage"].get(f"{key[1]}_tokens")) for r in rows]

    for group in stats.groups:
        rows = [r for r in records if r["model"] == group.model and r["metadata"]["feature"] == group.tags["feature"]]
        for fraction, got_in, got_out in ((0.5, group.input_p50, group.output_p50),
                                          (0.95, group.input_p95, group.output_p95)):
            assert got_in == _reference(tokens(rows, ("prompt", "input")), fraction)
            assert got_out == _reference(tokens(rows, ("completion", "output")), fraction)
    assert stats.total.input_p95 == _reference(tokens(records, ("prompt", "input")), 0.95)
    assert stats.total.output_p50 == _reference(tokens(records, ("completion", "output")), 0.5)
