"""Child process that reads a workbook's cell values and sends them to stdout.

Run by ``pricing.importer.sources`` through ``pricing.files.isolated`` (a timeout, and limits
on its own memory and CPU time): ``python -m pricing.files.cells_worker PATH``.  It imports
only the reader and this package's small modules, so it starts in the time the interpreter does.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    import gc

    gc.disable()  # a short-lived process building many small values
    import python_calamine  # noqa: F401 - loaded before the limit, which is for the file's cells

    from pricing.files.cells import read_workbook_values
    from pricing.files.isolated import limit_this_process, write_result

    limit_this_process()  # before the reader touches the file
    write_result(read_workbook_values(argv[0], packed=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
