"""Child process that reads a workbook's values and pickles them to stdout.

Run by ``pricing.importer.sources``, under a timeout, and limits its own memory and CPU time:
``python -m pricing.importer.worker PATH``.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    import gc

    gc.disable()  # a short-lived process building many small values
    import python_calamine  # noqa: F401 - loaded before the limit, which is for the file's cells

    from pricing.files.isolated import limit_this_process, write_result
    from pricing.importer.sources import read_workbook_values

    limit_this_process()  # before the reader touches the file
    write_result(read_workbook_values(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
