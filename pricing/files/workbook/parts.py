"""The zip parts of a workbook, written in order on a thread of their own.

Deflating (ISA-L), checksumming (zlib's crc32) and writing the file all release the GIL, and a
100,000-workload plan is ~650 MB of sheet XML: done where the rows are formatted they were about a
third of a save.  Here the formatting thread only hands each encoded chunk over (a bounded queue,
so a few chunks wait at most) and goes on with the next rows while this thread deflates and
writes the last ones.  The parts come out in the order they were handed over, exactly the bytes
of writing them in line.
"""

from __future__ import annotations

import queue
import threading
import zipfile


class PartWriter:
    """``writestr`` and ``open`` of a ``zipfile.ZipFile`` opened for writing, done on a thread;
    use as a context manager: leaving it waits for every part, and raises what writing one
    raised (unless the block itself is raising)."""

    #: Chunks handed over but not yet written (a chunk is 256 rows of a sheet, a few hundred KB).
    DEPTH = 4

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self._jobs: queue.Queue = queue.Queue(self.DEPTH)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="workbook parts", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fn, args, cleanup = job
            if self._error is not None and not cleanup:
                continue  # a part failed: the rest is dropped, only open entries are closed
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the formatting thread
                if self._error is None:
                    self._error = exc

    def _put(self, fn, *args, cleanup: bool = False) -> None:
        if self._error is not None and not cleanup:
            raise self._error
        self._jobs.put((fn, args, cleanup))

    def writestr(self, name: str, data: str | bytes) -> None:
        self._put(self.zf.writestr, name, data)

    def open(self, part: str) -> PartStream:
        """A part streamed in chunks (ISA-L deflate); ``close`` it when done."""
        stream = PartStream(self)
        self._put(stream._open, part)
        return stream

    def close(self) -> None:
        """Wait until every part handed over is written; raise what writing one raised."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
            return
        try:
            self.close()
        except BaseException:  # noqa: BLE001 - the block's own exception is the one to raise
            pass


class PartStream:
    """One zip entry being written by a PartWriter."""

    def __init__(self, writer: PartWriter) -> None:
        self._writer = writer
        self._handle = None

    def _open(self, part: str) -> None:
        self._handle = fast_deflate(self._writer.zf.open(part, "w", force_zip64=True))

    def write(self, data: bytes) -> None:
        self._writer._put(self._write, data)

    def _write(self, data: bytes) -> None:
        self._handle.write(data)

    def close(self) -> None:
        self._writer._put(self._close, cleanup=True)

    def _close(self) -> None:
        if self._handle is not None:
            handle, self._handle = self._handle, None
            handle.close()


def fast_deflate(handle):
    """Deflate a zip entry opened for writing with ISA-L (python-isal) instead of zlib: the same
    deflate format, at level 1 about four times as fast and a little smaller.  A sheet of a
    100,000-workload plan is hundreds of megabytes of XML; zlib alone took ~4 s of a save."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a dependency; zlib still writes the same format
        return handle
    zinfo = getattr(handle, "_zinfo", None)  # the zip module's private parts: elsewhere zlib goes on
    if getattr(handle, "_compressor", None) is not None and getattr(zinfo, "compress_type", None) == zipfile.ZIP_DEFLATED:
        handle._compressor = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)
    return handle
