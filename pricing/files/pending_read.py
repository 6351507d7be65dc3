"""A workbook's bounded read, started as early as the package checks allow.

The reader process (``pricing.files.cells_worker`` through ``pricing.files.isolated``) takes
seconds on a large workbook and uses a core of its own; whatever this process does before
starting it (loading the importer, the catalog, the month names of every language) adds to
the import's time.  ``tokenbudget import`` therefore checks the package and starts the
reader before it loads the importer, and hands the started read to ``import_file``, which
scans the worksheets' cells and prepares the rest of the import while the reader works.
The checks are the same ones ``read_source`` makes: no reader starts before they pass.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pricing.files.isolated import finish_child, start_child, stop_child
from pricing.files.safety import FileCheck, check_file

#: Seconds the reader may take on a workbook before the import is refused.
READ_TIMEOUT = float(os.environ.get("TOKENBUDGET_IMPORT_TIMEOUT", "20"))  # float ok: seconds
#: Address space the reader process may add, beyond what it has mapped once started, to read a workbook.
READ_MEMORY = int(os.environ.get("TOKENBUDGET_IMPORT_MEMORY", str(2 * 1024**3)))
WORKER_MODULE = "pricing.files.cells_worker"
WORKER_FLAG = "--import-worker"


@dataclass
class PendingRead:
    """A reader process started on ``path`` once ``check`` (the package checks) passed."""

    path: Path
    check: FileCheck
    child: subprocess.Popen
    timeout: float

    def finish(self, cancel=None, meanwhile=None) -> dict:
        """The reader's result (``{"refused": ...}`` when it broke a limit), ``meanwhile`` run first."""
        return finish_child(self.child, self.path, timeout=self.timeout, cancel=cancel,
                            meanwhile=meanwhile)

    def close(self) -> None:
        """Stop the reader if its result was never taken."""
        if self.child.returncode is None:
            stop_child(self.child)

    def __enter__(self) -> PendingRead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_read(path: Path | str) -> PendingRead | None:
    """Check ``path`` as an import does and start its reader; None for a text file (read in this
    process).  Raises ImportRefused for a file the checks refuse."""
    path = Path(path)
    check = check_file(path, scan_cells=False)
    if check.kind in ("text", "disguised-text"):
        return None
    child = start_child(WORKER_MODULE, WORKER_FLAG, path, timeout=READ_TIMEOUT, memory=READ_MEMORY)
    return PendingRead(path, check, child, READ_TIMEOUT)
