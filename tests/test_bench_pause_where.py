"""The desktop benchmark names where a long GUI pause was: the GUI thread's calls, and the other
threads that were working (one of which held the interpreter lock)."""

from __future__ import annotations

import faulthandler
import sys
import tempfile
import threading
import time
from contextlib import contextmanager

from benchmarks.pause_meter import where_paused


def _busy_until(stop: threading.Event, started: threading.Event) -> None:
    started.set()
    while not stop.is_set():
        sum(range(1000))


@contextmanager
def _a_busy_thread():
    """A thread working (``_busy_until``) for the length of the block."""
    stop, started = threading.Event(), threading.Event()
    worker = threading.Thread(target=_busy_until, args=(stop, started))
    worker.start()
    started.wait()
    try:
        yield
    finally:
        stop.set()
        worker.join()


def test_a_dump_of_every_thread_names_the_gui_threads_calls_and_the_working_thread():
    with _a_busy_thread(), tempfile.TemporaryFile(mode="w+", encoding="utf-8") as dump:
        faulthandler.dump_traceback(dump, all_threads=True)
        dump.seek(0)
        told = where_paused(dump.read())
    gui, _, others = told.partition("; working meanwhile: ")
    assert gui.startswith("GUI thread in tests/test_bench_pause_where.py:")
    assert "test_a_dump_of_every_thread_names" in gui
    assert "_busy_until" in others


def test_threads_that_only_wait_are_not_named():
    dump = ("Thread 0x00000000deadbeef (most recent call first):\n"
            '  File "/usr/lib/python3.11/threading.py", line 327 in wait\n'
            '  File "/usr/lib/python3.11/threading.py", line 629 in wait\n\n')
    assert where_paused(dump).endswith("; no other thread working")


def test_the_letting_go_thread_waiting_for_work_is_not_named(monkeypatch):
    from pricing import letting_go

    monkeypatch.setattr(letting_go, "DELAY_S", 0)
    letting_go.let_go([object()])
    assert letting_go.settle()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as dump:
        faulthandler.dump_traceback(dump, all_threads=True)
        dump.seek(0)
        text = dump.read()
    assert "letting_go.py" in text  # its thread is there, waiting
    assert where_paused(text).endswith("; no other thread working")


def _held_for(seconds: float) -> None:
    time.sleep(seconds)  # the GUI thread kept from its event loop


def test_the_stacks_a_watching_thread_takes_read_as_faulthandler_s():
    from benchmarks.pause_meter import stacks_text

    with _a_busy_thread():
        told = where_paused(stacks_text(sys._current_frames()))
    assert told.startswith("GUI thread in tests/test_bench_pause_where.py:")
    assert "test_the_stacks_a_watching_thread_takes" in told and "_busy_until" in told


def test_the_pause_meter_names_where_the_gui_thread_was_in_a_long_pause(qapp):
    from benchmarks.pause_meter import PauseMeter

    meter = PauseMeter()
    try:
        _seconds, pause, *_rest, where, _runnable = meter.measure(lambda: _held_for(0.2), settle=0.05)
    finally:
        meter.stop()
    assert pause >= 150
    assert where is not None and "_held_for" in where
