"""The UTF-8 check of a usage log: the quick ASCII pass answers exactly as the line-by-line decoding."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.usage import encoding

_LINES = st.lists(st.one_of(st.text(alphabet=st.characters(max_codepoint=0x7F, exclude_characters="\n"), max_size=12),
                            st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n"), max_size=6),
                            st.binary(max_size=8).map(lambda b: b.replace(b"\n", b""))),
                  max_size=12)


def _as_bytes(line) -> bytes:
    return line if isinstance(line, bytes) else line.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(lines=_LINES, chunk=st.integers(1, 9), final_newline=st.booleans())
def test_the_ascii_pass_gives_the_line_by_line_result(lines, chunk, final_newline):
    data = b"\n".join(_as_bytes(line) for line in lines) + (b"\n" if final_newline and lines else b"")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.jsonl"
        path.write_bytes(data)
        old = encoding._ASCII_CHUNK, encoding._CHUNK
        encoding._ASCII_CHUNK, encoding._CHUNK = chunk, chunk + 2  # chunk edges inside lines and characters
        try:
            fast, reference = encoding.scan(path), encoding._scan_lines(path)
        finally:
            encoding._ASCII_CHUNK, encoding._CHUNK = old
    assert fast == reference
    try:
        data.decode("utf-8")
        assert fast.utf8 and fast.bad_lines == 0
    except UnicodeDecodeError:
        assert not fast.utf8 and fast.bad_lines >= 1
