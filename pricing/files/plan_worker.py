"""Child process that reads a plan workbook and pickles the plan and its findings to stdout.

Run by ``pricing.files.planfile.open_plan`` through ``pricing.files.isolated`` (a timeout, and
limits on its own memory and CPU time): ``python -m pricing.files.plan_worker PATH``.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    import python_calamine  # noqa: F401 - loaded before the limit, which is for the file's cells

    from pricing.files.isolated import limit_this_process, short, write_result
    from pricing.files.planfile import PlanFileError
    from pricing.files.workbook.reader import load_plan

    limit_this_process()  # before the reader touches the file
    try:
        plan, findings = load_plan(argv[0])
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
    write_result({"plan": plan, "findings": findings})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
