"""A foreign budget as openpyxl writes one: formulas with no cached values, streamed to disk.

    python -m benchmarks.budgets OUT.xlsx [ROWS]

Two sheets.  Rates: one row per model (model, provider, $ per 1M input and output tokens).
Workloads: the inputs of each workload (name, model, requests per month, tokens per request,
monthly growth), a cost-per-request formula that looks the model's prices up on Rates with
INDEX/MATCH, and 36 month columns, each last month's cost grown by the workload's growth.
That is 6 input columns and 37 formula columns, 43 in all (/work/shared/spec/measured.md's
plan-like workbook), and none of the formula cells holds a value: the file was never calculated.
"""

from __future__ import annotations

import random
import sys
import zipfile
from pathlib import Path

from pricing.importer.sheets import column_letter

#: (model id, provider, $ per 1M input, $ per 1M output) of the Rates sheet.
RATE_MODELS = [(f"budget-model-{i:02d}", ("acme", "globex", "initech")[i % 3], f"{0.1 + 0.15 * i:.2f}",
                f"{0.4 + 0.6 * i:.2f}") for i in range(45)]
WORKLOAD_HEADER = ["Workload", "Model", "Requests per month", "Avg input tokens", "Avg output tokens",
                   "Monthly growth", "Cost per request"]
MONTHS = [f"{name}-{year % 100:02d}" for year in (2026, 2027, 2028)
          for name in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Rates" sheetId="1" r:id="rId1"/><sheet name="Workloads" sheetId="2" r:id="rId2"/></sheets>'
             '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
              'Target="worksheets/sheet1.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
              'Target="worksheets/sheet2.xml"/></Relationships>')
_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_SHEET_TAIL = b"</sheetData></worksheet>"


_LETTERS = [column_letter(i) for i in range(len(WORKLOAD_HEADER) + len(MONTHS))]


def _text(ref: str, value: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _number(ref: str, value) -> str:
    return f'<c r="{ref}" t="n"><v>{value}</v></c>'


def _formula(ref: str, formula: str) -> str:
    return f"<c r=\"{ref}\"><f>{formula.replace('&', '&amp;').replace('<', '&lt;')}</f><v /></c>"


def _header_row(r: int, values: list[str]) -> str:
    return f'<row r="{r}">' + "".join(_text(f"{_LETTERS[c]}{r}", v) for c, v in enumerate(values)) + "</row>"


def _rates_sheet() -> bytes:
    rows = [_header_row(1, ["Model", "Provider", "Input $/1M tokens", "Output $/1M tokens"])]
    for r, (model, provider, price_in, price_out) in enumerate(RATE_MODELS, start=2):
        rows.append(f'<row r="{r}">{_text(f"A{r}", model)}{_text(f"B{r}", provider)}'
                    f'{_number(f"C{r}", price_in)}{_number(f"D{r}", price_out)}</row>')
    return _SHEET_HEAD + "".join(rows).encode() + _SHEET_TAIL


def _workload_row(r: int, i: int, rnd: random.Random) -> str:
    last = len(RATE_MODELS) + 1
    model = RATE_MODELS[rnd.randrange(len(RATE_MODELS))][0]
    lookup = f"MATCH(B{r},Rates!$A$2:$A${last},0)"
    cost = f"(D{r}*INDEX(Rates!$C$2:$C${last},{lookup})+E{r}*INDEX(Rates!$D$2:$D${last},{lookup}))/1000000"
    cells = [_text(f"A{r}", f"workload {i}"), _text(f"B{r}", model),
             _number(f"C{r}", rnd.randint(1_000, 5_000_000)), _number(f"D{r}", rnd.randint(100, 8000)),
             _number(f"E{r}", rnd.randint(10, 2000)), _number(f"F{r}", f"0.0{rnd.randint(0, 5)}"),
             _formula(f"G{r}", cost), _formula(f"H{r}", f"C{r}*G{r}")]
    for c in range(8, len(_LETTERS)):
        cells.append(_formula(f"{_LETTERS[c]}{r}", f"{_LETTERS[c - 1]}{r}*(1+$F{r})"))
    return f'<row r="{r}">' + "".join(cells) + "</row>"


def write_formula_budget_xlsx(path: Path | str, n: int, seed: int = 0) -> Path:
    """Rates (45 models) and Workloads (``n`` rows × 43 columns, 37 of them formulas with no cached value)."""
    path = Path(path)
    rnd = random.Random(seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", _rates_sheet())
        with z.open("xl/worksheets/sheet2.xml", "w") as sheet:
            sheet.write(_SHEET_HEAD)
            sheet.write(_header_row(1, WORKLOAD_HEADER + MONTHS).encode())
            chunk: list[str] = []
            for i in range(n):
                chunk.append(_workload_row(i + 2, i, rnd))
                if len(chunk) >= 2000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            sheet.write(_SHEET_TAIL)
    return path


if __name__ == "__main__":
    out = write_formula_budget_xlsx(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")
