"""Price lists of every kind: duplicate models, prices that look wrong, and GPU hourly rates.

* A model listed twice: one price is kept — the one that matches the bundled catalog when
  exactly one does, else the first listed — and the report shows both with their cells.
* A price that looks wrong is flagged on its cell: an output price far below the input
  price (columns swapped?), or a price 10× or more off the catalog's for the same model
  (a per-1K price read per 1M?).
* A GPU price list (``GPU Name | VRAM | Cost/hr``) becomes GPU rates the plan's endpoints
  and clusters can use: one GPU cluster of 1 GPU and 0 hours per row, which costs nothing
  until it is given hours.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pricing.importer.report import ImportReport
from pricing.importer.sources import SheetData
from pricing.importer.tables import RateRow
from pricing.importer.units import cell_text, is_blank, to_number
from pricing.plan.findings import Severity
from pricing.plan.models import GpuCluster

#: An output price below input ÷ this is flagged (output normally costs 1–8× input).
INVERTED_BY = Decimal(2)
#: A price this many times off the catalog's for the same model (either way) is flagged.
CATALOG_OFF_BY = Decimal(10)

_GPU_NAME = re.compile(r"(?i)^\s*(?:gpu(?:\s*(?:name|type|model|sku))?|instance(?:\s*type)?|accelerator|hardware|card)\s*$")
_HOURLY = re.compile(r"(?i)(?:cost|price|rate|\$|usd|eur).*(?:/\s*h(?:ou)?r|per\s*(?:gpu\s*)?h(?:ou)?r|hourly)|"
                     r"^\s*(?:hourly|\$\s*/\s*h(?:ou)?r|per\s*hour)")
_MEMORY = re.compile(r"(?i)vram|memory|\bgpu ram\b|\bgb\b|hbm")
_PROVIDER = re.compile(r"(?i)provider|vendor|cloud|platform")


def gpu_price_list(sheet: SheetData, file: str, report: ImportReport, taken: set[str]) -> list[GpuCluster] | None:
    """The GPU rates of ``sheet`` when it is a GPU hourly price list, else None."""
    for r, row in enumerate(sheet.rows[:30]):
        texts = {c: cell_text(v) for c, v in enumerate(row) if isinstance(v, str) and v.strip()}
        name = next((c for c, t in texts.items() if _GPU_NAME.match(t)), None)
        rate = next((c for c, t in texts.items() if _HOURLY.search(t)), None)
        if name is None or rate is None:
            continue
        memory = next((c for c, t in texts.items() if _MEMORY.search(t) and c not in (name, rate)), None)
        provider = next((c for c, t in texts.items() if _PROVIDER.search(t) and c not in (name, rate)), None)
        clusters = []
        for i in range(r + 1, len(sheet.rows)):
            cells = sheet.rows[i]
            get = lambda c: cells[c] if c is not None and c < len(cells) else None  # noqa: E731
            if is_blank(get(name)):
                if any(not is_blank(v) for v in cells):
                    continue
                if clusters:
                    break
                continue
            gpu, ref = cell_text(get(name)), sheet.ref(i, rate)
            try:
                hourly = to_number(get(rate))
            except ValueError as exc:
                report.find(f"{gpu}: cannot read the hourly price {cell_text(get(rate))!r} ({exc}); the GPU is left out",
                            file=file, sheet=sheet.name, cell=ref, field="gpu_hour_rate")
                continue
            if hourly <= 0:
                report.find(f"{gpu}: an hourly price of {hourly} is not a price; the GPU is left out",
                            file=file, sheet=sheet.name, cell=ref, field="gpu_hour_rate")
                continue
            ident, n = gpu, 2
            while ident in taken:
                ident, n = f"{gpu}-{n}", n + 1
            taken.add(ident)
            facts = [f"VRAM {cell_text(get(memory))}" if not is_blank(get(memory)) else "",
                     f"provider {cell_text(get(provider))}" if not is_blank(get(provider)) else ""]
            notes = "; ".join(f for f in facts if f)
            clusters.append(GpuCluster(
                id=ident, name=f"{gpu} GPU rate", gpu_type=gpu, gpu_count=1, gpu_hour_rate=hourly,
                hours_per_month=Decimal(0),
                notes=(notes + "; " if notes else "") + f"GPU rate from {file} ({sheet.name} {ref}): give it GPUs and "
                      "hours to plan a cluster, or use its rate on a dedicated endpoint"))
        if not clusters:
            return None
        header = " | ".join(texts.values())
        report.decide(f"sheet {sheet.name!r}: a GPU hourly price list (header row {r + sheet.row_offset + 1}: "
                      f"{header}): {len(clusters)} GPU rate(s) — " +
                      ", ".join(f"{c.gpu_type} ${c.gpu_hour_rate}/h" for c in clusters) +
                      "; each is a GPU cluster of 1 GPU and 0 hours a month, a rate for endpoints and clusters "
                      "that costs nothing until it is given hours")
        report.rows_imported += len(clusters)
        return clusters
    return None


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"${value.normalize():f}"


def _cells(row: RateRow, columns: dict[str, str]) -> dict[str, str]:
    number = re.sub(r"^[A-Z]+", "", row.place.get("cell", ""))
    return {name: f"{letter}{number}" for name, letter in columns.items()}


def check_rate_rows(rows: list[RateRow], columns: dict[tuple[str, str], dict[str, str]], catalog, file: str,
                    report: ImportReport) -> list[RateRow]:
    """Drop duplicate models (saying which price is kept and why) and flag prices that look wrong.

    ``columns`` maps (sheet, header row) ... here (sheet, '') to {price field: column letter} so a
    finding names the price's own cell.
    """
    from pricing.importer.assembly import _from_catalog

    catalog_rate: dict[str, object] = {}

    def listed(model: str):
        if model not in catalog_rate:
            rate, _ = _from_catalog(catalog, model, model, explain=False) if catalog is not None else (None, None)
            catalog_rate[model] = rate
        return catalog_rate[model]

    groups: dict[tuple[str, str, object], list[RateRow]] = {}
    for row in rows:
        groups.setdefault((row.provider.strip().lower(), row.model.strip().lower(), row.effective_from), []).append(row)
    kept: list[RateRow] = []
    for (_, model, _), group in groups.items():
        choice, why = group[0], "it is listed first"
        if len(group) > 1:
            official = listed(group[0].model)
            if official is not None:
                current = official.current
                matching = [r for r in group if r.input_mtok == current.input_mtok and r.output_mtok == current.output_mtok]
                if len(matching) == 1:
                    choice, why = matching[0], f"it matches the bundled catalog ({official.id})"
            shown = "; ".join(f"{r.place.get('cell')}: input {_money(r.input_mtok)}, output {_money(r.output_mtok)}"
                              for r in group)
            report.find(f"{group[0].model} is listed {len(group)} times ({shown}); the price in {choice.place.get('cell')} "
                        f"is kept because {why}", severity=Severity.WARNING, **choice.place, field="model")
        kept.append(choice)
    for row in kept:
        cells = _cells(row, columns.get((row.place.get("sheet", ""), ""), {}))
        where = {k: v for k, v in row.place.items() if k != "cell"}
        if row.input_mtok > 0 and row.output_mtok * INVERTED_BY < row.input_mtok:
            report.find(f"{row.model}: output {_money(row.output_mtok)} per 1M is far below input "
                        f"{_money(row.input_mtok)} (output usually costs more than input): are the columns swapped?",
                        severity=Severity.WARNING, **where, cell=cells.get("output_mtok", row.place.get("cell")),
                        field="output_mtok")
        official = listed(row.model)
        if official is None:
            continue
        current = official.current
        for name, mine, theirs in (("input_mtok", row.input_mtok, current.input_mtok),
                                   ("output_mtok", row.output_mtok, current.output_mtok)):
            if not mine or not theirs:
                continue
            ratio = mine / theirs
            if ratio >= CATALOG_OFF_BY or ratio * CATALOG_OFF_BY <= 1:
                times = ratio if ratio >= 1 else 1 / ratio
                report.find(f"{row.model}: {name.split('_')[0]} {_money(mine)} per 1M is {times.quantize(Decimal('0.1'))}× "
                            f"{'above' if ratio > 1 else 'below'} the catalog's {_money(theirs)} for {official.id} "
                            "(a price per 1K read per 1M, or the wrong model?)",
                            severity=Severity.WARNING, **where, cell=cells.get(name, row.place.get("cell")), field=name)
    return kept
