"""The usage statistics' quick reading of JSON lines (strict first, the UTF-8 check only when records
without counts were found) gives the statistics and the messages of the general reading (skipping
bad lines, every record checked for UTF-8 first), on logs mixing conventions, bad records and bytes."""

from __future__ import annotations

import gzip
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing.usage import encoding, stats as stats_module
from pricing.usage.stats import read_usage
from tests.usage_readings import general_view, quick_and_general

MODELS = ["gpt-4o", "claude-sonnet-4", "Café-model"]


def _usage(draw) -> dict:
    kind = draw(st.sampled_from(["openai", "anthropic", "responses", "empty", "text"]))
    n = st.integers(-5, 3000)
    if kind == "openai":
        out = {"prompt_tokens": draw(n), "completion_tokens": draw(n)}
        if draw(st.booleans()):
            out["prompt_tokens_details"] = {"cached_tokens": draw(n)}
        if draw(st.booleans()):
            out["completion_tokens_details"] = {"reasoning_tokens": draw(n)}
        return out
    if kind == "anthropic":
        out = {"input_tokens": draw(n), "output_tokens": draw(n)}
        if draw(st.booleans()):
            out["cache_read_input_tokens"] = draw(n)
        if draw(st.booleans()):
            out["cache_creation_input_tokens"] = draw(n)
        return out
    if kind == "responses":
        return {"input_tokens": draw(n), "output_tokens": draw(n),
                "input_tokens_details": {"cached_tokens": draw(n)}}
    if kind == "text":
        return {"prompt_tokens": draw(st.sampled_from(["12", "x", "1.5"])), "completion_tokens": 3}
    return {}


@st.composite
def _line(draw) -> bytes:
    kind = draw(st.sampled_from(["record"] * 6 + ["wrapped", "malformed", "latin1", "blank", "array", "huge"]))
    if kind == "malformed":
        return b'{"model": "gpt-4o", "usage": {'
    if kind == "blank":
        return b""
    if kind == "array":
        return b"[1, 2]"
    if kind == "huge":
        return json.dumps({"model": "gpt-4o", "usage": {"prompt_tokens": 10**30, "completion_tokens": 1}}).encode()
    record: dict = {}
    if draw(st.integers(0, 9)):
        record["model"] = draw(st.sampled_from(MODELS))
    record["usage"] = _usage(draw)
    when = draw(st.sampled_from(["created", "created_at", "timestamp", "none"]))
    if when == "created":
        record["created"] = draw(st.integers(1_700_000_000, 1_800_000_000))
    elif when != "none":
        record[when] = draw(st.sampled_from(["2026-01-02T03:04:05Z", "2026-02-01", "1767225600", "soon"]))
    if draw(st.booleans()):
        record["metadata"] = {"feature": draw(st.sampled_from(["chat", "search", "résumé"]))}
    elif draw(st.booleans()):
        record["feature"] = draw(st.sampled_from(["chat", "agent"]))
    if kind == "wrapped":
        record = {"custom_id": "r1", "response": {"status_code": 200, "body": record}}
    text = json.dumps(record, ensure_ascii=draw(st.booleans())).encode()
    return text.replace("é".encode(), b"\xe9") if kind == "latin1" else text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line(), min_size=1, max_size=25), by=st.sampled_from([[], ["feature"]]))
def test_the_quick_reading_gives_the_general_readings_statistics_and_messages(tmp_path_factory, monkeypatch,
                                                                              lines, by):
    path = tmp_path_factory.mktemp("log") / "usage.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    quick = read_usage(path, by).as_dict()
    with monkeypatch.context() as patched:
        patched.setattr(stats_module, "normalized_view", general_view)
        general = read_usage(path, by).as_dict()
    assert quick == general


def _records(path, lines: list[bytes]):
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


GOOD = json.dumps({"model": "gpt-4o", "usage": {"prompt_tokens": 10, "completion_tokens": 5}}).encode()


def test_a_malformed_line_is_skipped_and_counted_though_the_first_reading_is_strict(tmp_path):
    stats = read_usage(_records(tmp_path / "log.jsonl", [GOOD, b'{"model": "gpt-4o", "usage": {', GOOD]))
    assert stats.records == 2 and stats.skipped_reasons == {"without model or token counts": 1}


def test_a_log_whose_records_all_have_counts_is_not_checked_byte_by_byte(tmp_path, monkeypatch):
    checked = []
    monkeypatch.setattr(encoding, "scan", lambda path: checked.append(path) or encoding.Encoding())
    read_usage(_records(tmp_path / "log.jsonl", [GOOD, GOOD]))
    assert checked == []


def test_a_record_that_is_not_utf8_is_named_by_its_line_before_the_batch_note(tmp_path):
    wrapped = json.dumps({"custom_id": "a", "response": {"status_code": 200, "body": {
        "model": "gpt-4o", "usage": {"prompt_tokens": 10, "completion_tokens": 5}}}}).encode()
    stats = read_usage(_records(tmp_path / "log.jsonl", [wrapped, wrapped.replace(b"gpt-4o", b"gpt-4o\xe9")]))
    assert stats.skipped_reasons == {"not UTF-8 text": 1}
    assert "not UTF-8 text (line 2)" in stats.notes[0] and "Batch API" in stats.notes[1]


def test_a_log_the_reader_cannot_read_gives_the_general_readings_message(tmp_path):
    data = gzip.compress((GOOD + b"\n") * 5000)
    path = tmp_path / "log.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    quick, general = quick_and_general(path)
    assert quick == general and str(quick).startswith(f"error: {path}: cannot read the log")


def test_a_line_too_long_to_read_is_skipped_as_the_general_reading_skips_it(tmp_path):
    huge = json.dumps({"model": "gpt-4o", "pad": "a" * (17 << 20)}).encode()
    quick, general = quick_and_general(_records(tmp_path / "log.jsonl", [GOOD, huge, GOOD]))
    assert quick == general and quick["skipped_reasons"] == {"without model or token counts": 1}
