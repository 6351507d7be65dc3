"""The rotating log file: opened at the first record (commands that log nothing never load
``logging.handlers``), written with the log's format, and rotated at 1 MB."""

from __future__ import annotations

import logging

from pricing import diagnostics


def _configured(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKENBUDGET_LOG_DIR", str(tmp_path))
    monkeypatch.setattr(diagnostics, "_configured", {})
    path = diagnostics.configure()
    handler = next(h for h in logging.getLogger(diagnostics.LOGGER).handlers if getattr(h, "_tokenbudget", False))
    return path, handler


def test_the_log_file_is_made_at_the_first_record_in_the_logs_format(tmp_path, monkeypatch):
    path, handler = _configured(tmp_path, monkeypatch)
    try:
        assert path == tmp_path / diagnostics.LOG_FILE and not path.exists()
        diagnostics.logger("probe").warning("plan %s opened", "a.json")
        handler.flush()
        line = path.read_text(encoding="utf-8")
        assert " WARNING tokenbudget.probe [pid " in line and line.rstrip().endswith("plan a.json opened")
    finally:
        logging.getLogger(diagnostics.LOGGER).removeHandler(handler)
        handler.close()


def test_the_log_file_is_rotated_at_a_megabyte_keeping_five(tmp_path, monkeypatch):
    path, handler = _configured(tmp_path, monkeypatch)
    try:
        log = diagnostics.logger("probe")
        for _ in range(7 * 1100):
            log.info("x" * 1000)
        handler.flush()
        kept = sorted(p.name for p in tmp_path.glob(diagnostics.LOG_FILE + "*"))
        assert kept == [diagnostics.LOG_FILE] + [f"{diagnostics.LOG_FILE}.{k}" for k in range(1, 6)]
        assert all(p.stat().st_size <= 1_000_000 for p in tmp_path.glob(diagnostics.LOG_FILE + "*"))
    finally:
        logging.getLogger(diagnostics.LOGGER).removeHandler(handler)
        handler.close()
