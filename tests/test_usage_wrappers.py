"""A JSON-lines log read without its wrappers' types gives the figures of the typed reading, digit for digit.

A log whose first lines have no ``response`` or ``result`` wrapper is read with them as JSON text; a
wrapped record further on makes the reader read the file again with their types.
"""

from __future__ import annotations

import json
import random

import pytest

from pricing.usage import json_lines
from pricing.usage.stats import read_usage

MODELS = ("gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5")


def _usage(rng):
    if rng.random() < 0.3:
        return {"input_tokens": rng.randint(0, 9000), "cache_read_input_tokens": rng.randint(0, 500),
                "output_tokens": rng.randint(0, 900)}
    prompt = rng.randint(0, 9000)
    return {"prompt_tokens": prompt, "completion_tokens": rng.randint(0, 900),
            "prompt_tokens_details": {"cached_tokens": rng.randint(0, prompt)}}


def _record(rng, i, wrapped: bool) -> str:
    created, model, tags = 1_767_225_600 + i * 37, rng.choice(MODELS), {"feature": rng.choice(["chat", "search"])}
    if not wrapped:
        return json.dumps({"created": created, "model": model, "usage": _usage(rng), "metadata": tags})
    kind = rng.randrange(6)
    if kind == 0:  # a logged response
        return json.dumps({"timestamp": "2026-01-05T12:00:00Z", "feature": "search",
                           "response": {"model": model, "created": created, "usage": _usage(rng)}})
    if kind == 1:  # an OpenAI Batch API output line
        return json.dumps({"custom_id": f"r{i}", "response": {"status_code": 200, "body": {
            "model": model, "created": created, "usage": _usage(rng)}}})
    if kind == 2:  # an Anthropic Message Batches result
        return json.dumps({"custom_id": f"r{i}", "result": {"type": "succeeded", "message": {
            "model": model, "usage": _usage(rng)}}})
    if kind == 3:  # a wrapper beside a usage of its own
        return json.dumps({"created": created, "model": model, "usage": _usage(rng),
                           "response": {"model": "other", "usage": _usage(rng)}})
    if kind == 4:  # wrappers that are not records
        return json.dumps({"created": created, "model": model, "usage": _usage(rng), "response": None,
                           "result": "text"})
    return json.dumps({"created": created, "response": {"usage": {"prompt_tokens": "many"}}, "model": model})


def _log(tmp_path, seed: int, first_wrapped: int | None):
    rng = random.Random(seed)
    count = rng.randint(1000, 1300)  # over 100 KB: wrapped records beyond the 64 KB looked at first too
    lines = [_record(rng, i, first_wrapped is not None and (i == first_wrapped or i > first_wrapped and rng.random() < 0.2))
             for i in range(count)]
    lines.insert(rng.randrange(len(lines)), "{not json")
    path = tmp_path / f"usage-{seed}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("where", ["none", "head", "after the head"])
def test_the_figures_equal_those_of_the_typed_reading(tmp_path, monkeypatch, seed, where):
    first_wrapped = {"none": None, "head": 0, "after the head": 800}[where]
    path = _log(tmp_path, seed, first_wrapped)
    assert json_lines._wrapped_head(path) == (where == "head")
    for by in ([], ["feature"]):
        quick = read_usage(path, by).as_dict()
        with monkeypatch.context() as typed_only:
            typed_only.setattr(json_lines, "_wrapped_head", lambda _path, _records=None: True)
            typed = read_usage(path, by).as_dict()
        assert quick == typed



def test_a_caller_that_does_not_count_wrapped_records_gets_the_typed_reading(tmp_path):
    """The actuals' usage-log pricing aggregates the view itself: it is never given the quick reading."""
    import duckdb

    from pricing.usage.sources import normalized_view

    path = _log(tmp_path, 0, 800)
    expected = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        wrapper = record.get("response") if isinstance(record.get("response"), dict) else {}
        result = record.get("result") if isinstance(record.get("result"), dict) else {}
        expected += bool(record.get("model") or wrapper.get("model") or (wrapper.get("body") or {}).get("model")
                         or (result.get("message") or {}).get("model"))
    con = duckdb.connect()
    try:
        source = normalized_view(con, path, [])
        assert not source.wrappers_unread
        assert con.execute("SELECT count(model) FROM u").fetchone()[0] == expected
    finally:
        con.close()
