"""The desktop benchmark names where a long GUI pause was: the GUI thread's calls, and the other
threads that were working (one of which held the interpreter lock)."""

from __future__ import annotations

import faulthandler
import tempfile
import threading

from benchmarks.bench_desktop import where_paused


def _busy_until(stop: threading.Event, started: threading.Event) -> None:
    started.set()
    while not stop.is_set():
        sum(range(1000))


def test_a_dump_of_every_thread_names_the_gui_threads_calls_and_the_working_thread():
    stop, started = threading.Event(), threading.Event()
    worker = threading.Thread(target=_busy_until, args=(stop, started))
    worker.start()
    started.wait()
    try:
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as dump:
            faulthandler.dump_traceback(dump, all_threads=True)
            dump.seek(0)
            told = where_paused(dump.read())
    finally:
        stop.set()
        worker.join()
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
