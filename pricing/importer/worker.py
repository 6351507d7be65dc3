"""Child process that reads a workbook's values and pickles them to stdout.

Run by ``pricing.importer.sources`` under a memory limit and a timeout:
``python -m pricing.importer.worker PATH``.
"""

from __future__ import annotations

import pickle
import sys


def main(argv: list[str]) -> int:
    import gc

    gc.disable()  # a short-lived process building many small values
    from pricing.importer.sources import read_workbook_values

    payload = read_workbook_values(argv[0])
    sys.stdout.buffer.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
