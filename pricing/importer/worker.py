"""Child process that reads a workbook's values and pickles them to stdout.

Run by ``pricing.importer.sources``, under a timeout, and limits its own memory and CPU time:
``python -m pricing.importer.worker PATH``.
"""

from __future__ import annotations

import pickle
import sys


def main(argv: list[str]) -> int:
    import gc

    gc.disable()  # a short-lived process building many small values
    import python_calamine  # noqa: F401 - loaded before the limit, which is for the file's cells

    from pricing.importer.sources import limit_this_process, read_workbook_values

    limit_this_process()  # before the reader touches the file

    payload = read_workbook_values(argv[0])
    sys.stdout.buffer.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
