"""Budgets written the ways people write them import to the right plan and monthly total."""

from __future__ import annotations

import codecs
import hashlib
from datetime import date
from decimal import Decimal

import pytest

from pricing.importer import import_file, scan
from pricing.plan.models import DeploymentMode
from pricing.plan.money import round_cents
from tests.import_helpers import (  # noqa: F401 - private_mapping_store is an autouse fixture
    first_month_total, formula_budget, formula_expected_first_month, handwritten_xlsx, private_mapping_store,
    soffice_convert, titled_per_1k_budget, titled_per_1k_expected_first_month, two_sheet_budget,
    two_sheet_expected_first_month,
)


def test_title_rows_per_1k_prices_and_totals_rows_import_to_the_right_monthly_total(tmp_path):
    path = titled_per_1k_budget(tmp_path / "budget.xlsx")
    result = import_file(path)
    plan = result.plan
    assert [w.name for w in plan.workloads] == ["Support bot", "Ticket triage", "Doc search"]
    assert first_month_total(plan) == titled_per_1k_expected_first_month()
    support = plan.workloads[0]
    assert support.requests_per_month == 2_000_000 and support.input_tokens == 3000
    assert support.tenant == "Retail" and support.start_month == date(2026, 1, 1)
    assert plan.workloads[2].start_month == date(2026, 2, 1) and plan.workloads[2].input_tokens == 6000
    assert plan.assumptions.first_month == date(2026, 1, 1) and plan.assumptions.horizon_months == 36
    rate = next(r for r in plan.rates if r.model_id == "acme-chat-large")
    assert rate.current.input_mtok == Decimal("0.9") and rate.current.output_mtok == Decimal("3.3")
    report = result.report
    assert report.rows_imported == 3 and not report.findings
    decisions = "\n".join(report.decisions)
    assert "per 1K tokens (from the note above the table)" in decisions
    assert "skipped 2 total or subtotal row(s): 8, 12" in decisions
    assert "section title or note row(s): 5, 10" in decisions


def test_scan_reports_header_row_kind_columns_units_and_preview(tmp_path):
    found = scan(titled_per_1k_budget(tmp_path / "budget.xlsx"))
    (table,) = found.tables
    assert (table.sheet, table.header_row, table.kind) == ("FY26 LLM budget", 4, "workloads")
    by_letter = {c.letter: c for c in table.columns}
    assert by_letter["C"].field == "model" and by_letter["E"].field == "requests_per_month"
    assert by_letter["H"].field == "input_mtok" and by_letter["H"].unit == "per_1k"
    assert by_letter["J"].field == "stated_monthly_cost"  # "Cost / month" is the budget's own figure, checked, not an input
    assert by_letter["H"].index == 7 and "per 1K" in by_letter["H"].reason
    assert table.preview_rows[1][:3] == ["Support bot", "Retail", "acme-chat-large"]


def test_rate_sheet_per_token_and_workloads_in_another_order(tmp_path):
    result = import_file(two_sheet_budget(tmp_path / "two.xlsx"))
    plan = result.plan
    kinds = {(t.sheet, t.kind) for t in result.scan.tables}
    assert kinds == {("Rates", "rates"), ("Workloads", "workloads")}
    maestro = next(r for r in plan.rates if r.model_id == "arcee-ai/maestro-reasoning")
    assert maestro.provider == "together" and maestro.current.input_mtok == Decimal("0.9")
    assert maestro.context_length == 131072
    assert [w.mode for w in plan.workloads] == [DeploymentMode.SERVERLESS, DeploymentMode.BATCH,
                                                DeploymentMode.SERVERLESS]
    tiny = plan.workloads[2]
    assert tiny.cached_share == Decimal("0.5") and tiny.monthly_growth == Decimal("0.05")
    assert tiny.tenant == "Beta" and tiny.environment == "dev" and tiny.model == "acme/tiny"
    assert first_month_total(plan) == two_sheet_expected_first_month()


def test_workload_not_on_the_rate_sheet_is_priced_from_the_catalog_and_unknown_models_are_flagged(tmp_path, catalog):
    path = tmp_path / "catalog.csv"
    path.write_text("Model,Requests per month,Avg input tokens,Avg output tokens,Start month\n"
                    "gpt-4o,100000,1500,300,2026-03\n"
                    "no-such-model-xyz,5,10,10,2026-03\n", encoding="utf-8")
    result = import_file(path)
    gpt = catalog.resolve("gpt-4o")
    assert gpt in result.plan.rates
    assert result.plan.workloads[0].model == gpt.id
    version = gpt.version_on(date(2026, 3, 1))
    expected = Decimal(100000) * (1500 * version.input_mtok + 300 * version.output_mtok) / Decimal(1_000_000)
    assert first_month_total(result.plan) == expected
    (unknown,) = [f for f in result.report.findings if f.field == "model"]
    assert unknown.cell == "A3" and "no-such-model-xyz" in unknown.message
    assert result.plan.workloads[1].model == "no-such-model-xyz"  # kept, flagged


def test_unreadable_numbers_are_kept_as_zero_with_a_finding_naming_the_cell(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Model,Monthly calls,Avg input tokens,Avg output tokens,Input $/1M,Output $/1M\n"
                    "m1,lots,1000,100,1,2\n"
                    "m1,100,#DIV/0!,100,1,2\n", encoding="utf-8")
    result = import_file(path)
    assert len(result.plan.workloads) == 2
    assert result.plan.workloads[0].requests_per_month == 0
    assert result.plan.workloads[1].input_tokens == 0
    cells = {(f.cell, f.field) for f in result.report.findings}
    assert ("B2", "requests_per_month") in cells and ("C3", "input_tokens") in cells
    assert all(f.file == "bad.csv" and f.sheet == "bad" for f in result.report.findings)


def test_cp1252_semicolon_csv_with_euro_prices(tmp_path):
    path = tmp_path / "europe.csv"
    text = ("Modèle;Requêtes par mois;Avg input tokens;Avg output tokens;Input price per 1M;Output price per 1M\r\n"
            "maestro;2 000 000;3000;1000;0,90 €;3,30 €\r\n")
    path.write_bytes(text.encode("cp1252"))
    result = import_file(path)
    assert "CP1252" in result.report.decisions[0] and "semicolon" in result.report.decisions[0]
    assert result.plan.assumptions.currency == "EUR"
    assert first_month_total(result.plan) == Decimal(12_000)


def test_utf16_tab_separated_export(tmp_path):
    path = tmp_path / "excel-unicode.txt"
    text = ("Model\tRequests/month\tPrompt tokens\tCompletion tokens\tInput USD/1M\tOutput USD/1M\r\n"
            "maestro\t2,000,000\t3000\t1000\tUSD 0.90\tUSD 3.30\r\n")
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    result = import_file(path)
    assert "UTF-16" in result.report.decisions[0]
    assert first_month_total(result.plan) == Decimal(12_000)


def test_utf8_bom_csv_with_per_million_note_and_requests_per_day(tmp_path):
    path = tmp_path / "daily.csv"
    path.write_bytes(codecs.BOM_UTF8 + (
        "Prices are USD per million tokens\n\n"
        "Model,Daily requests,Input tokens per request,Output tokens per request,Input,Output\n"
        "maestro,1000,3000,1000,0.9,3.3\n").encode())
    result = import_file(path)
    (w,) = result.plan.workloads
    assert w.requests_per_month == Decimal("30437.5")
    assert first_month_total(result.plan) == round_cents(Decimal("30437.5") * Decimal("0.006"))


def test_formula_cells_without_cached_values_are_reported_per_cell(tmp_path):
    result = import_file(formula_budget(tmp_path / "formulas.xlsx"))
    uncached = sorted(f.cell for f in result.report.findings if "no cached value" in f.message)
    assert uncached == ["C6", "C7", "D6", "E7", "F6", "G7"]
    assert len(result.plan.workloads) == 2  # kept, flagged


def test_handwritten_cached_values_are_used_and_a_missing_one_is_flagged(tmp_path):
    s = lambda text: ("s", None, text)  # noqa: E731
    n = lambda value, formula=None: ("n", formula, value)  # noqa: E731
    rows = [
        [s("Model"), s("Requests per month"), s("Avg input tokens"), s("Avg output tokens"), s("$/1M input"),
         s("$/1M output")],
        [s("maestro"), n("2000000", "1000*2000"), n("3000"), n("1000", "500*2"), n("0.9"), n("3.3", "1.1*3")],
        [s("maestro"), n(None, "B2/2"), n("3000"), n("1000"), n("0.9"), n("3.3")],
    ]
    result = import_file(handwritten_xlsx(tmp_path / "cached.xlsx", rows))
    first, second = result.plan.workloads
    assert first.requests_per_month == 2_000_000 and first.output_tokens == 1000
    assert second.requests_per_month == 0
    (finding,) = result.report.findings
    assert (finding.sheet, finding.cell, finding.field) == ("Budget", "B3", "requests_per_month")
    assert first_month_total(result.plan) == Decimal(12_000)


def test_endpoints_and_clusters_sheets(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Capacity"
    ws.append(["Dedicated endpoints"])
    ws.append(["Endpoint", "Model", "GPU type", "GPUs per replica", "Replicas", "$/GPU-hour", "Throughput tokens/s"])
    ws.append(["ep-chat", "maestro", "H100", 2, 1, 3.5, 2500])
    ws.append([])
    ws.append(["GPU clusters"])
    ws.append(["Cluster", "GPU type", "GPUs", "$/GPU-hour", "Storage", "Networking"])
    ws.append(["train-1", "H100", 8, 2.5, 300, 100])
    path = tmp_path / "capacity.xlsx"
    wb.save(path)
    plan = import_file(path).plan
    (endpoint,) = plan.endpoints
    assert (endpoint.id, endpoint.gpus_per_replica, endpoint.gpu_hour_rate) == ("ep-chat", 2, Decimal("3.5"))
    assert endpoint.throughput_tokens_per_s == 2500
    (cluster,) = plan.clusters
    assert (cluster.id, cluster.gpu_count, cluster.storage_monthly) == ("train-1", 8, 300)
    assert first_month_total(plan) == Decimal(2) * 730 * Decimal("3.5") + Decimal(8) * 730 * Decimal("2.5") + 400


def test_the_source_file_is_never_modified(tmp_path):
    path = titled_per_1k_budget(tmp_path / "budget.xlsx")
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    import_file(path)
    scan(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


# --------------------------------------------------------------------------- LibreOffice-saved files
@pytest.fixture(scope="module")
def libreoffice_saved(tmp_path_factory):
    """The formula budget recalculated and saved by LibreOffice, as .xlsx, .ods and .xls (BIFF8)."""
    directory = tmp_path_factory.mktemp("lo")
    source = formula_budget(directory / "formulas.xlsx")
    return {
        "xlsx": soffice_convert(source, "xlsx", directory / "xlsx"),
        "ods": soffice_convert(source, "ods", directory / "ods"),
        "xls": soffice_convert(source, "xls", directory / "xls"),
    }


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_libreoffice_saved_formulas_import_with_their_cached_values(libreoffice_saved, fmt, monkeypatch, tmp_path):
    monkeypatch.setenv("TOKENBUDGET_IMPORT_MAPPINGS", str(tmp_path / "m"))
    result = import_file(libreoffice_saved[fmt])
    assert not result.report.findings
    assistant, nightly = result.plan.workloads
    assert assistant.requests_per_month == 1_800_000 and assistant.input_tokens == 3000
    assert nightly.output_tokens == 1000
    assert first_month_total(result.plan) == formula_expected_first_month()


def test_monthly_token_totals_are_divided_by_requests(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("Model,Requests per month,Input tokens per month,Output tokens per month,Input $/1M,Output $/1M\n"
                    "maestro,2000000,6000000000,2000000000,0.9,3.3\n")
    result = import_file(path)
    (w,) = result.plan.workloads
    assert (w.input_tokens, w.output_tokens) == (3000, 1000)
    assert first_month_total(result.plan) == Decimal(12_000)


def test_monthly_token_totals_without_requests_price_as_one_request_a_month(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("Model,Input (M tokens/month),Output (M tokens/month),Input $/1M,Output $/1M\n"
                    "maestro,6000,2000,0.9,3.3\n")
    result = import_file(path)
    (w,) = result.plan.workloads
    assert w.requests_per_month == 1 and w.input_tokens == 6_000_000_000
    assert first_month_total(result.plan) == Decimal(12_000)
    assert not result.report.findings
    assert any("one request a month" in d for d in result.report.decisions)


def test_models_written_as_display_names_are_matched_in_the_catalog_and_the_report_says_so(tmp_path, catalog):
    path = tmp_path / "names.csv"
    path.write_text("Model,Requests per month,Avg input tokens,Avg output tokens\n"
                    "Claude Sonnet 4.5,1000,100,10\nGPT 4o,1000,100,10\n")
    result = import_file(path)
    assert [w.model for w in result.plan.workloads] == ["anthropic/claude-sonnet-4-5", "openai/gpt-4o"]
    assert any("'Claude Sonnet 4.5' → anthropic/claude-sonnet-4-5" in d for d in result.report.decisions)
    assert not result.report.findings


def _sheet(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_section_title_above_the_next_table_is_not_read_as_a_row_of_the_one_before(tmp_path):
    path = _sheet(tmp_path / "two-tables.xlsx", [
        ["Rates"], ["Model", "Input $/1M", "Output $/1M"], ["our-model", 1, 2], [],
        ["Workloads"], ["Name", "Model", "Req/month", "In tok", "Out tok"], ["A", "our-model", 1000, 100, 10]])
    result = import_file(path, remember=False)
    assert [r.model_id for r in result.plan.rates] == ["our-model"]
    assert not result.report.findings


@pytest.mark.parametrize("header, expected", [("Volume (k req/mo)", 250_000), ("Calls (000s)", 250_000),
                                              ("Requests (thousands of calls)", 250_000), ("Requests (M)", 250_000_000)])
def test_a_count_header_in_thousands_or_millions_scales_the_values(tmp_path, header, expected):
    path = _sheet(tmp_path / "units.xlsx", [["Use case", "Model", header, "Prompt tokens", "Completion tokens"],
                                            ["X", "gpt-4o", 250, 1000, 100]])
    assert import_file(path, remember=False).plan.workloads[0].requests_per_month == expected


GERMAN = ("Anwendung;Abteilung;Umgebung;Modell;Anfragen pro Monat;Input Tokens;Output Tokens;Wachstum\n"
          "Chat;Vertrieb;Prod;GPT-4o;1.200.000;1.500;300;5%\n"
          "Suche;Einkauf;Test;Claude 3.5 Sonnet;250.000;900;60;2,5%\n")


def test_a_csv_that_writes_decimal_commas_reads_dots_as_thousands(tmp_path):
    path = tmp_path / "budget-de.csv"
    path.write_text(GERMAN, encoding="utf-8")
    result = import_file(path, remember=False)
    chat, search = result.plan.workloads
    assert (chat.requests_per_month, chat.input_tokens, chat.monthly_growth) == (1_200_000, 1_500, Decimal("0.05"))
    assert (search.requests_per_month, search.monthly_growth) == (250_000, Decimal("0.025"))
    assert any("decimal mark" in d for d in result.report.decisions)


def test_german_headers_name_the_tenant_environment_and_growth(tmp_path):
    path = tmp_path / "budget-de.csv"
    path.write_text(GERMAN, encoding="utf-8")
    chat = import_file(path, remember=False).plan.workloads[0]
    assert (chat.name, chat.tenant, chat.environment) == ("Chat", "Vertrieb", "Prod")


def test_a_csv_with_decimal_points_keeps_them(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Use case,Model,Requests per month,Input tokens,Output tokens,Growth\n"
                    "Chat,gpt-4o,\"1,200,000\",1.5,300,0.05\n", encoding="utf-8")
    chat = import_file(path, remember=False).plan.workloads[0]
    assert (chat.requests_per_month, chat.input_tokens) == (1_200_000, Decimal("1.5"))


@pytest.mark.parametrize("written, expected", [("Gemini 1.5 Pro", "google/gemini-1.5-pro"),
                                               ("Claude 3.5 Sonnet", "anthropic/claude-3-5-sonnet"),
                                               ("GPT 4o", "openai/gpt-4o")])
def test_a_model_written_as_people_say_it_is_found_in_the_catalog(tmp_path, written, expected):
    path = tmp_path / "budget.csv"
    path.write_text(f"Use case,Model,Requests per month,Input tokens,Output tokens\nChat,{written},1000,100,10\n",
                    encoding="utf-8")
    assert import_file(path, remember=False).plan.workloads[0].model == expected


def test_a_cost_only_budget_is_refused_saying_which_volumes_are_missing(tmp_path):
    from pricing.importer import ImportRefused

    path = _sheet(tmp_path / "cost-only.xlsx", [["Team", "Model", "Monthly budget ($)"], ["Search", "gpt-4o", 12000]])
    with pytest.raises(ImportRefused, match=r"row 1 has 'Team', 'Model', 'Monthly budget \(\$\)' but no requests"):
        import_file(path, remember=False)
