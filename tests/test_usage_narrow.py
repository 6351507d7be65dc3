"""The narrow reading of a log of chat completions (the chat-completion counts and ``created`` alone)
gives the statistics and messages of the general reading, which reads every convention's fields:
records that lack a count or time it reads, or whose other fields hold what the general reading
cannot convert, included."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing.usage import json_lines, sources
from tests.usage_readings import quick_and_general

MODELS = ["gpt-4o", "gpt-4o-mini", "Café-model"]


def chat(rng: random.Random, i: int, **extra) -> dict:
    """A complete chat completion: every count the narrow reading reads, and a ``created`` epoch."""
    prompt = rng.randint(0, 9000)
    record = {"id": f"c{i}", "created": 1_767_225_600 + i * 61, "model": rng.choice(MODELS),
              "usage": {"prompt_tokens": prompt, "completion_tokens": rng.randint(0, 2000),
                        "total_tokens": prompt, "prompt_tokens_details": {"cached_tokens": rng.randint(0, prompt)},
                        "completion_tokens_details": {"reasoning_tokens": rng.randint(0, 50)}},
              "metadata": {"feature": rng.choice(["chat", "search"])}}
    record.update(extra)
    return record


# What a record may carry beside (or instead of) the counts the narrow reading reads: other
# conventions' counts, times, values the general reading cannot convert, missing counts.
ODDITIES = {
    "nothing": lambda u, r: None,
    "anthropic counts": lambda u, r: u.update(input_tokens=7, cache_read_input_tokens=3,
                                                cache_creation_input_tokens=2, output_tokens=4),
    "responses details": lambda u, r: u.update(input_tokens_details={"cached_tokens": 9},
                                                 output_tokens_details={"reasoning_tokens": 8}),
    "details not objects": lambda u, r: u.update(input_tokens_details=5, output_tokens_details="x"),
    "input tokens as text": lambda u, r: u.update(input_tokens="abc", output_tokens=[1]),
    "input tokens too big": lambda u, r: u.update(input_tokens=10**30, cache_read_input_tokens=-(10**25)),
    "other counts not whole": lambda u, r: u.update(total_tokens="many", input_tokens=12.7, output_tokens=-0.5),
    "time as object": lambda u, r: r.update(created_at={"at": 1}, timestamp=[2026]),
    "time as text": lambda u, r: r.update(created_at="2026-03-01T00:00:00Z", timestamp="1767225600"),
    "no cached tokens": lambda u, r: u.pop("prompt_tokens_details", None),
    "cached tokens null": lambda u, r: u.update(prompt_tokens_details={"cached_tokens": None}),
    "no reasoning tokens": lambda u, r: u.pop("completion_tokens_details", None),
    "no completion tokens": lambda u, r: (u.pop("completion_tokens", None), u.update(output_tokens=12)),
    "no prompt tokens": lambda u, r: (u.pop("prompt_tokens", None), u.update(input_tokens=5)),
    "no created": lambda u, r: (r.pop("created", None), r.update(created_at="2026-02-03T04:05:06Z")),
    "created too small": lambda u, r: r.update(created=12345),
    "created as text": lambda u, r: r.update(created="1767225600"),
    "no usage": lambda u, r: r.pop("usage", None),
    "no model": lambda u, r: r.pop("model", None),
    "negative counts": lambda u, r: u.update(prompt_tokens=-3, completion_tokens=-1),
    "wrapped": lambda u, r: r.update(response={"model": "other", "usage": {"prompt_tokens": 1}}),
}


@st.composite
def _line(draw) -> bytes:
    kind = draw(st.sampled_from(["chat"] * 6 + ["malformed", "latin1", "blank", "array"]))
    if kind == "malformed":
        return b'{"model": "gpt-4o", "usage": {'
    if kind == "blank":
        return b""
    if kind == "array":
        return b"[1, 2]"
    record = chat(random.Random(draw(st.integers(0, 10**6))), draw(st.integers(0, 10**5)))
    for oddity in draw(st.lists(st.sampled_from(sorted(ODDITIES)), max_size=3)):
        if "usage" in record:
            ODDITIES[oddity](record["usage"], record)
    text = json.dumps(record, ensure_ascii=draw(st.booleans())).encode()
    return text.replace("é".encode(), b"\xe9") if kind == "latin1" else text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line(), min_size=1, max_size=25), by=st.sampled_from([[], ["feature"]]))
def test_the_narrow_reading_of_any_log_gives_the_general_readings_statistics(tmp_path_factory, monkeypatch,
                                                                           lines, by):
    """Read narrowly whatever its first lines hold (the head's look only saves reading twice)."""
    path = tmp_path_factory.mktemp("log") / "usage.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    monkeypatch.setattr(json_lines, "_chat_head", lambda _path, _records=None: True)
    quick, general = quick_and_general(path, by)
    assert quick == general


def _log(tmp_path, seed: int, odd_from: int | None, oddity: str = "nothing"):
    """Over 100 KB of chat completions (the head looked at is 64 KB); from line ``odd_from`` on, some odd."""
    rng = random.Random(seed)
    lines = []
    for i in range(rng.randint(500, 700)):
        record = chat(rng, i)
        if odd_from is not None and i >= odd_from and (i == odd_from or rng.random() < 0.1):
            ODDITIES[oddity](record["usage"], record)
        lines.append(json.dumps(record))
    path = tmp_path / f"usage-{seed}-{oddity}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_log_of_complete_chat_completions_is_read_narrowly_and_gives_the_general_figures(tmp_path):
    import duckdb

    path = _log(tmp_path, 1, None)
    con = duckdb.connect()
    try:
        source = sources.normalized_view(con, path, [], quick=True)
        assert source.narrow and source.wrappers_unread
        assert "created_at" not in con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'raw'").fetchone()[0]
    finally:
        con.close()
    for by in ([], ["feature"]):
        quick, general = quick_and_general(path, by)
        assert quick == general and quick["records"] > 500


def test_every_oddity_after_the_head_gives_the_general_figures(tmp_path):
    """A record the narrow reading cannot vouch for, beyond the lines looked at first, has the log read in
    full; one that only carries other fields it does not read is counted as read."""
    for k, oddity in enumerate(sorted(ODDITIES)):
        path = _log(tmp_path, k, 450, oddity)
        assert json_lines._chat_head(path)
        for by in ([], ["feature"]):
            quick, general = quick_and_general(path, by)
            assert quick == general, oddity


def test_logs_of_other_conventions_or_without_every_count_are_not_read_narrowly(tmp_path):
    rng = random.Random(3)
    anthropic = {"model": "claude", "created": 1_767_225_600,
                 "usage": {"input_tokens": 5, "output_tokens": 3, "cache_read_input_tokens": 1}}
    for records in ([anthropic], [chat(rng, 0), anthropic], [chat(rng, 1, created="2026-01-01")],
                    [{**chat(rng, 2), "usage": {"prompt_tokens": 4, "completion_tokens": 1}}],
                    [{**chat(rng, 3), "usage": {**chat(rng, 3)["usage"], "prompt_tokens": True}}]):
        path = tmp_path / "log.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        assert not json_lines._chat_head(path)
    path.write_text("", encoding="utf-8")
    assert not json_lines._chat_head(path)
