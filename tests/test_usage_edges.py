"""Usage logs at the edges: negative or absurd token counts are skipped and counted with the
reason (they no longer pull the mean down), records that are not UTF-8 are reported as such, and
a CSV export saved as Latin-1 is read."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pricing.usage.stats import read_usage


def _lines(path, records, tail: bytes = b""):
    path.write_bytes("\n".join(json.dumps(r) for r in records).encode() + b"\n" + tail)
    return path


def _record(prompt, completion=100, model="gpt-4o"):
    return {"model": model, "usage": {"prompt_tokens": prompt, "completion_tokens": completion}}


def test_a_negative_prompt_count_is_skipped_with_its_reason_and_does_not_lower_the_mean(tmp_path):
    path = _lines(tmp_path / "log.jsonl", [_record(1000)] * 9 + [_record(-9000)])
    stats = read_usage(path)
    (group,) = stats.groups
    assert group.requests == 9 and group.input_mean == Decimal(1000)
    assert stats.skipped_reasons == {"with a negative token count": 1}
    assert "1 with a negative token count" in stats.skipped_text


def test_an_absurd_token_count_is_skipped_with_its_reason(tmp_path):
    path = _lines(tmp_path / "log.jsonl", [_record(1000), _record(10**15), _record(1000, 10**12)])
    stats = read_usage(path)
    assert stats.groups[0].requests == 1
    assert stats.skipped_reasons == {"with more tokens than any request can hold": 2}


def test_a_record_that_is_not_utf8_is_reported_as_such_with_its_line(tmp_path):
    bad = b'{"model": "gpt-4o\xe9", "usage": {"prompt_tokens": 5, "completion_tokens": 5}}\n'
    path = _lines(tmp_path / "log.jsonl", [_record(1000), _record(1200)], bad)
    stats = read_usage(path)
    assert stats.skipped_reasons == {"not UTF-8 text": 1}
    assert any("not UTF-8 text (line 3)" in note for note in stats.notes)
    assert stats.groups[0].requests == 2


@pytest.mark.parametrize("suffix", [".csv"])
def test_a_latin1_csv_log_is_read(tmp_path, suffix):
    path = tmp_path / ("usage" + suffix)
    path.write_bytes("model,prompt_tokens,completion_tokens,feature\n"
                     "gpt-4o,1000,100,Résumé\ngpt-4o,2000,200,Café\n".encode("latin-1"))
    stats = read_usage(path, ["feature"])
    assert sorted(g.tags["feature"] for g in stats.groups) == ["Café", "Résumé"]
    assert any("Latin-1" in note for note in stats.notes)


def test_the_usage_command_says_why_records_were_skipped(tmp_path, capsys):
    from pricing.cli import main

    path = _lines(tmp_path / "log.jsonl", [_record(1000), _record(-5)])
    assert main(["usage", str(path)]) == 0
    assert "1 record(s) skipped: 1 with a negative token count" in capsys.readouterr().out
