"""Which records of a usage log are not UTF-8 text, read without decoding the whole file in Python.

DuckDB reads UTF-8 only: a CSV export saved as Latin-1 (Excel on Windows, accented tags) stops
it at the first accented byte, and a JSON-lines record with such a byte is dropped with the
malformed ones.  ``scan`` finds them: a CSV that is not UTF-8 is then read as Latin-1, and the
JSON records that are not UTF-8 are counted apart, with their line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

_CHUNK = 16 * 1024 * 1024
#: The ASCII check reads into one reused buffer of this size (no new bytes object, no page faults, per chunk).
_ASCII_CHUNK = 1024 * 1024
#: Line numbers kept for the message.
_SHOWN = 5


@dataclass
class Encoding:
    utf8: bool = True
    #: Lines (records) that are not UTF-8, and the first few line numbers.
    bad_lines: int = 0
    first_bad: list[int] = field(default_factory=list)

    def where(self) -> str:
        shown = ", ".join(str(n) for n in self.first_bad)
        return f"line {shown}" + (" …" if self.bad_lines > len(self.first_bad) else "")


def scan(path: Path) -> Encoding:
    """Check ``path`` (plain text, not gzip) for bytes that are not UTF-8, line by line where needed."""
    if _all_ascii(path):  # ASCII is UTF-8: the usual log, checked at the speed of reading it
        return Encoding()
    return _scan_lines(path)


def _all_ascii(path: Path) -> bool:
    """True when every byte of ``path`` is below 0x80; stops at the first chunk holding one that is not."""
    buffer = bytearray(_ASCII_CHUNK)
    with open(path, "rb", buffering=0) as handle:
        while True:
            size = handle.readinto(buffer)
            if not size:
                return True
            if not (buffer.isascii() if size == len(buffer) else bytes(buffer[:size]).isascii()):
                return False


def _scan_lines(path: Path) -> Encoding:
    """Decode ``path`` chunk by chunk, and the lines of a chunk that does not decode one by one."""
    result = Encoding()
    line_no = 0
    carry = b""
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk and not carry:
                break
            data = carry + chunk
            if chunk:
                cut = data.rfind(b"\n") + 1
                data, carry = (data[:cut], data[cut:]) if cut else (b"", data)
            else:
                carry = b""
            try:
                data.decode("utf-8")
                line_no += data.count(b"\n")
            except UnicodeDecodeError:
                for line in data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n"):
                    line_no += 1
                    try:
                        line.decode("utf-8")
                    except UnicodeDecodeError:
                        result.utf8 = False
                        result.bad_lines += 1
                        if len(result.first_bad) < _SHOWN:
                            result.first_bad.append(line_no)
            if not chunk:
                break
    return result


def csv_option(path: Path, source) -> str:
    """DuckDB's encoding option for a CSV: Latin-1 when the file is not UTF-8 (said in ``source.notes``)."""
    if path.suffix.lower() == ".gz" or scan(path).utf8:
        return ""
    source.notes.append("the file is not UTF-8 text: read as Latin-1 (ISO-8859-1)")
    return ", encoding='latin-1'"


def count_not_utf8(path: Path, source) -> None:
    """Count the JSON-lines records that are not UTF-8 into ``source.not_utf8``, with a note."""
    if path.suffix.lower() == ".gz":
        return
    found = scan(path)
    if found.bad_lines:
        source.not_utf8 = found.bad_lines
        source.notes.append(f"{found.bad_lines:,} record(s) are not UTF-8 text ({found.where()}): skipped")
