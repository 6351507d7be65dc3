"""tokenbudget import SRC -o PLAN: a foreign budget (.xlsx/.xlsm/.xls/.xlsb/.ods/.csv) to a plan."""

from __future__ import annotations

from pathlib import Path

from pricing.cli.common import CliError, OutputError, UsageError, print_json, refuse_if_held
from pricing.cli.progress import Progress


def arguments(p) -> None:
    p.description = ("Find the rates, workloads, endpoints and GPU clusters in a spreadsheet "
                     "(.xlsx .xlsm .xls .xlsb .ods .csv .tsv), and write them as a plan "
                     "(.xlsx workbook or .json). Problems are reported per cell, never dropped.")
    p.add_argument("source", help="the spreadsheet or CSV to import (never modified)")
    p.add_argument("-o", "--output", required=True, help="plan to write: PLAN.xlsx or PLAN.json")
    p.add_argument("--mapping", help="a JSON or TOML mapping: which sheet, header row and columns hold what")
    p.add_argument("--save-mapping", metavar="FILE", help="write the mapping used (to edit and pass back with --mapping)")
    p.add_argument("--provider", help="the provider of model ids several providers list (together, openai, ...)")
    p.add_argument("--report", action="store_true", help="print every decision and finding of the import")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--force", action="store_true",
                   help="overwrite PLAN even when someone has it open (a LibreOffice, Excel or Token Budget lock)")
    p.set_defaults(func=run)


def run(args) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in (".xlsx", ".json"):
        raise UsageError(f"{output}: the plan is written as .xlsx or .json")
    source = Path(args.source)
    if output.resolve() == source.resolve():
        raise UsageError(f"{output}: would overwrite the source; choose another output file")
    refuse_if_held(output, args.force)
    # The workbook's reader process starts before the importer is loaded, so that loading it
    # (and the catalog) takes none of the import's time; a file the checks refuse is refused
    # by import_file below, as ever.
    from pricing.files.pending_read import start_read

    try:
        pending = start_read(source)
    except Exception:  # noqa: BLE001 - import_file checks the file again and says why
        pending = None
    try:
        return _run(args, source, output, pending)
    finally:
        if pending is not None:
            pending.close()


def _run(args, source: Path, output: Path, pending) -> int:
    from pricing.importer import ImportMapping, ImportRefused, import_file

    saver = _saver(output)
    mapping = None
    if args.mapping:
        try:
            mapping = ImportMapping.load(args.mapping)
        except (OSError, ValueError) as exc:
            raise CliError(f"{args.mapping}: not a usable mapping ({str(exc).splitlines()[0]})") from None
    with Progress(f"importing {source.name}"):
        try:
            result = import_file(source, mapping, provider=args.provider, pending=pending)
        except ImportRefused as exc:
            raise CliError(str(exc)) from None
    ambiguous = sorted({f.message.split(";")[0] for f in result.report.findings
                        if f.field == "model" and "listed by several providers" in f.message})
    if ambiguous:  # never a plan of workloads it cannot price: say whose models they are
        raise CliError(f"{source.name}: {ambiguous[0]}{f' (and {len(ambiguous) - 1} more)' if len(ambiguous) > 1 else ''}"
                       "; pass --provider to say which; no plan written")
    try:
        with Progress(f"writing {output.name}") as progress:
            _save(saver, result.plan, output, progress)
    except OSError as exc:
        raise OutputError(f"{output}: cannot write ({exc})") from None
    if args.save_mapping:
        result.mapping.save(args.save_mapping)
    report = result.report
    if args.json:
        print_json(report.as_dict() | {"output": str(output), "workloads": len(result.plan.workloads),
                                       "rates": len(result.plan.rates)})
    elif args.report:
        print(report.as_text())
    else:
        errors = len(report.errors)
        print(f"{source.name}: {report.rows_imported} row(s) imported to {output} "
              f"({len(result.plan.workloads)} workloads, {len(result.plan.rates)} rates, "
              f"{len(result.plan.endpoints)} endpoints, {len(result.plan.clusters)} clusters); "
              f"{report.rows_skipped} skipped, {len(report.findings)} finding(s)"
              f"{f', {errors} error(s)' if errors else ''}. Use --report for details.")
    return 0


def _save(saver, plan, output: Path, progress: Progress) -> None:
    if output.suffix.lower() == ".xlsx":
        saver(plan, output, progress=progress.fraction)
    else:
        saver(plan, output)


def _saver(output: Path):
    if output.suffix.lower() == ".json":
        from pricing.files.planfile import save_plan_json

        return save_plan_json
    from pricing.files.workbook import save_plan

    return save_plan
