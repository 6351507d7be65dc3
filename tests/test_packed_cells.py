"""A sheet's cells travel from the reader process in marshal blobs of a few thousand rows each
(reading one blob holds the interpreter lock); unpacked, they are the rows that were packed."""

from __future__ import annotations

from datetime import date, datetime

from pricing.files import cells


def test_rows_packed_in_pieces_come_back_the_same_with_dates_in_place(monkeypatch):
    monkeypatch.setattr(cells, "PIECE_ROWS", 7)
    rows = [[f"name {i}", i * 1.5, None, date(2026, 1 + i % 12, 1) if i % 5 == 0 else ""] for i in range(40)]
    rows[33][2] = datetime(2026, 3, 4, 5, 6)
    packed = cells.pack_rows(rows)
    assert len(packed["packed"]) == 6  # 40 rows in pieces of 7
    assert cells.unpack_sheet({"name": "Sheet1", **packed})["rows"] == rows
