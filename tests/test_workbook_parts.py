"""The workbook's zip parts are written on a thread of their own (pricing.files.workbook.parts):
the same parts, in the same order, as written in line; a failure there is the save's failure."""

from __future__ import annotations

import random
import threading
import zipfile

import pytest

from pricing.costing.catalog import sample_plan_path
from pricing.files.planfile import open_plan
from pricing.files.workbook import load_plan, save_plan
from pricing.files.workbook import parts as parts_module
from pricing.files.workbook.parts import PartWriter, fast_deflate


def _chunks(seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [("".join(f'<c r="A{rng.randrange(10**6)}"><v>{rng.random()!r}</v></c>' for _ in range(rng.randrange(1, 3000)))
             ).encode() for _ in range(12)]


def _write(zf, streamed: list[bytes], whole: bytes, open_part) -> None:
    zf.writestr("xl/tables/table1.xml", whole)
    out = open_part("xl/worksheets/sheet1.xml")
    for chunk in streamed:
        out.write(chunk)
    out.close()
    zf.writestr("xl/styles.xml", "<styleSheet/>")


def test_parts_written_on_the_thread_are_the_parts_written_in_line(tmp_path):
    streamed, whole = _chunks(1), b"<table/>" * 500
    with zipfile.ZipFile(tmp_path / "inline.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        _write(zf, streamed, whole, lambda part: fast_deflate(zf.open(part, "w", force_zip64=True)))
    with zipfile.ZipFile(tmp_path / "thread.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with PartWriter(zf) as parts:
            _write(parts, streamed, whole, parts.open)
    with zipfile.ZipFile(tmp_path / "inline.zip") as a, zipfile.ZipFile(tmp_path / "thread.zip") as b:
        assert a.namelist() == b.namelist()
        assert all(a.read(name) == b.read(name) for name in a.namelist())
        assert [i.compress_size for i in a.infolist()] == [i.compress_size for i in b.infolist()]


def test_a_part_that_fails_to_write_fails_the_save_and_keeps_the_previous_file(tmp_path, monkeypatch):
    sample = open_plan(sample_plan_path())[0]
    path = tmp_path / "plan.xlsx"
    save_plan(sample, path)
    before = path.read_bytes()
    written = []

    def disk_full(self, data):
        written.append(len(data))
        if len(written) > 2:
            raise OSError("disk full")
        self._handle.write(data)

    monkeypatch.setattr(parts_module.PartStream, "_write", disk_full)
    with pytest.raises(OSError, match="disk full"):
        save_plan(sample.model_copy(update={"name": "changed"}), path)
    assert path.read_bytes() == before and load_plan(path)[0] == sample
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]  # no temporary left
    assert not [t for t in threading.enumerate() if t.name == "workbook parts"]
