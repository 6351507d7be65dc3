"""Child process that reads a plan workbook's input sheets and pickles their cells to stdout.

Run by ``pricing.files.planfile.open_plan`` through ``pricing.files.isolated`` (a timeout, and
limits on its own memory and CPU time): ``python -m pricing.files.plan_worker PATH``.  The child
does what a hostile file could make loop or allocate without bound (unzipping and parsing the
XML, in python-calamine) and sends back only the cell values of the input sheets, column by
column in the compact form of ``pricing.files.workbook.sheetdata``; the parent turns them into
the plan (``reader.plan_from_sheets``), which takes time in proportion to the cells it was sent.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    import python_calamine  # noqa: F401 - loaded before the limit, which is for the file's cells

    from pricing.files.isolated import limit_this_process, short, write_result
    from pricing.files.errors import PlanFileError
    from pricing.files.workbook.sheetdata import pack, read_input_sheets

    limit_this_process()  # before the reader touches the file
    try:
        names, sheets = read_input_sheets(argv[0])
        payload = pack(names, sheets)
    except PlanFileError as exc:
        write_result({"refused": str(exc)})
        return 0
    except MemoryError:
        raise
    except BaseException as exc:  # a reader panic surfaces as pyo3's PanicException (a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        write_result({"refused": f"{argv[0]}: the workbook cannot be read ({type(exc).__name__}: {short(exc)})"})
        return 0
    write_result({"cells": payload})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
