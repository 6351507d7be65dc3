"""Budgets written the ways people write them, generated for the import tests."""

from __future__ import annotations

import shutil
import subprocess
import uuid
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from pricing.costing.projection import Projection


@pytest.fixture(autouse=True)
def private_mapping_store(tmp_path, monkeypatch):
    """Remembered mappings go to a temporary folder, never the user's data folder."""
    store = tmp_path / "mappings"
    monkeypatch.setenv("TOKENBUDGET_IMPORT_MAPPINGS", str(store))
    return store


def first_month_total(plan) -> object:
    return Projection(plan).month_totals[0]


def titled_per_1k_budget(path: Path) -> Path:
    """Title rows, a unit note, per-1K prices on the rows, text numbers, a section title,
    a blank row, a subtotal and a total row: what a finance team's sheet looks like."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "FY26 LLM budget"
    ws["A1"] = "ACME Corp — LLM inference budget FY2026"
    ws["A2"] = "Prices in USD per 1K tokens; volumes per month"
    ws.append([])
    ws.append(["Use case", "Team", "LLM", "Start", "Monthly calls", "Avg prompt tokens", "Avg completion tokens",
               "Input price", "Output price", "Cost / month"])
    ws.append(["Customer support"])  # section title
    ws.append(["Support bot", "Retail", "acme-chat-large", date(2026, 1, 15), "2M", "3,000", 1000, 0.0009, 0.0033,
               "=E6*0.006"])
    ws.append(["Ticket triage", "Retail", "acme-chat-small", "2026-01", "150k", 1200, "200", "$0.00018", "0.00059",
               "=E7*1"])
    ws.append(["Subtotal", None, None, None, "=E6+E7"])
    ws.append([])
    ws.append(["Internal tools"])
    ws.append(["Doc search", "Legal", "acme-chat-small", "Feb 2026", "40,000", "6k", 500, 0.00018, 0.00059])
    ws.append(["Total", None, None, None, "=E8+E11"])
    wb.save(path)
    return path


def titled_per_1k_expected_first_month() -> object:
    from decimal import Decimal as D

    support = D(2_000_000) * (D(3000) * D("0.9") + D(1000) * D("3.3")) / D(1_000_000)
    triage = D(150_000) * (D(1200) * D("0.18") + D(200) * D("0.59")) / D(1_000_000)
    return support + triage  # doc search starts in February


def two_sheet_budget(path: Path) -> Path:
    """A rate sheet priced per token and a workloads sheet in another column order."""
    wb = openpyxl.Workbook()
    rates = wb.active
    rates.title = "Rates"
    rates.append(["Model rates (price per token)"])
    rates.append(["Provider", "Model ID", "Input", "Output", "Cached input", "Context window"])
    rates.append(["together", "arcee-ai/maestro-reasoning", 0.0000009, 0.0000033, None, 131072])
    rates.append(["acme", "tiny", "0.0000001", "0.0000004", "0.00000005", 32768])
    work = wb.create_sheet("Workloads")
    work.append(["Monthly requests", "Model", "Prompt tokens per request", "Output tokens per request",
                 "Customer", "Env", "Cached %", "Deployment", "Growth"])
    work.append([2_000_000, "arcee-ai/maestro-reasoning", 3000, 1000, "Acme", "prod", "0%", "Serverless", 0])
    work.append([2_000_000, "arcee-ai/maestro-reasoning", 3000, 1000, "Acme", "prod", 0, "Batch API", "0%"])
    work.append(["1.5M", "tiny", 1000, 100, "Beta", "dev", "50%", "serverless", "5%"])
    wb.save(path)
    return path


def two_sheet_expected_first_month() -> object:
    from decimal import Decimal as D

    serverless = D(12_000)
    batch = D(6_000)
    tiny = D(1_500_000) * (D(500) * D("0.1") + D(500) * D("0.05") + D(100) * D("0.4")) / D(1_000_000)
    return serverless + batch + tiny


def formula_budget(path: Path) -> Path:
    """Volumes and prices computed by formulas (as openpyxl writes them: no cached values)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Inputs"])
    ws.append(["Daily users", 20000])
    ws.append(["Calls per user per day", 3])
    ws.append([])
    ws.append(["Workload", "Model", "Requests per month", "Avg input tokens", "Avg output tokens",
               "$/1M input", "$/1M output"])
    ws.append(["Assistant", "acme-chat", "=B2*B3*30", "=1000*3", 1000, "=0.3*3", 3.3])
    ws.append(["Nightly batch", "acme-chat", "=B2*10", 4000, "=500*2", 0.9, "=1.1*3"])
    wb.save(path)
    return path


def formula_expected_first_month() -> object:
    from decimal import Decimal as D

    assistant = D(20000 * 3 * 30) * (D(3000) * D("0.9") + D(1000) * D("3.3")) / D(1_000_000)
    nightly = D(200_000) * (D(4000) * D("0.9") + D(1000) * D("3.3")) / D(1_000_000)
    return assistant + nightly


def soffice_convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Open ``source`` in LibreOffice headless (private profile), recalculate, save as ``fmt``."""
    from tests.workbook_helpers import require_libreoffice

    require_libreoffice()
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    profile = Path("/tmp") / f"lo-import-{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), str(source)],
                       check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (source.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


def handwritten_xlsx(path: Path, rows: list[list[tuple[str, str | None, str | None]]], sheet: str = "Budget") -> Path:
    """A minimal .xlsx written XML by hand; each cell is (kind, formula, cached value):
    kind 's' inline string, 'n' number.  A formula with cached value None has no <v>."""
    def cell(ref: str, kind: str, formula: str | None, value: str | None) -> str:
        f = f"<f>{formula}</f>" if formula else ""
        if kind == "s":
            return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        v = f"<v>{value}</v>" if value is not None else ""
        return f'<c r="{ref}">{f}{v}</c>'

    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell(f"{chr(65 + c)}{r}", *spec) for c, spec in enumerate(row) if spec)
        body.append(f'<row r="{r}">{cells}</row>')
    sheet_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 f'<sheetData>{"".join(body)}</sheetData></worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path
