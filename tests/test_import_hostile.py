"""Hostile and broken files are refused whole, quickly, with one message naming file and reason."""

from __future__ import annotations

import hashlib
import struct
import zipfile

import pytest

from pricing.importer import ImportRefused, import_file, scan
from tests.import_helpers import handwritten_xlsx, private_mapping_store, titled_per_1k_budget  # noqa: F401


def refused(path, match: str) -> ImportRefused:
    with pytest.raises(ImportRefused, match=match) as caught:
        import_file(path)
    assert path.name in str(caught.value)
    return caught.value


def test_a_text_file_named_xlsx_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("just some notes, not a workbook")
    refused(path, "not a spreadsheet")


def test_an_html_page_saved_as_xls_is_refused(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("<html><body><table><tr><td>Model</td></tr></table></body></html>")
    refused(path, "HTML or XML file")


def test_a_truncated_workbook_is_refused(tmp_path):
    whole = titled_per_1k_budget(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    refused(path, "corrupt or truncated zip")


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * 50_000_000 + b"</worksheet>")
    assert path.stat().st_size < 200_000
    refused(path, "compressed .* to 1, as zip bombs are")


def test_a_huge_declared_total_is_refused(tmp_path, monkeypatch):
    import pricing.files.safety as safety

    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 1_000_000)
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for i in range(3):
            z.writestr(f"xl/media/image{i}.bin", b"x" * 400_000)
    refused(path, "would unpack to")


def test_an_xml_entity_bomb_is_refused_before_reading(tmp_path):
    path = tmp_path / "laughs.xlsx"
    handwritten_xlsx(path, [[("s", None, "Model")]])
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    rebuilt = tmp_path / "rebuilt.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for item in src.infolist():
            data = bomb.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item, data)
    refused(rebuilt, "DOCTYPE")


def test_a_sheet_asking_for_billions_of_cells_is_refused_before_allocation(tmp_path):
    path = tmp_path / "far.xlsx"
    handwritten_xlsx(path, [[("s", None, "Model"), ("n", None, "1")]])
    far = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
           '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>')
    rebuilt = tmp_path / "rebuilt.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, far.encode() if item.filename.endswith("sheet1.xml") else src.read(item))
    refused(rebuilt, "17,179,869,184 cells")


def _ole_with_stream(name: str) -> bytes:
    """A compound file whose first directory entry is named ``name`` (enough for the check)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    directory = bytearray(128)
    encoded = name.encode("utf-16-le")
    directory[: len(encoded)] = encoded
    struct.pack_into("<H", directory, 64, len(encoded) + 2)
    return bytes(header) + bytes(directory) + bytes(512 - 128)


def test_a_password_protected_xlsx_is_refused(tmp_path):
    path = tmp_path / "secret.xlsx"
    path.write_bytes(_ole_with_stream("EncryptionInfo"))
    refused(path, "password-protected")


def test_refused_files_are_left_untouched(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ImportRefused):
        scan(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_workbook_without_budget_tables_says_so(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Temperature", "City"])
    wb.active.append([21.5, "Paris"])
    path = tmp_path / "weather.xlsx"
    wb.save(path)
    refused(path, "no rates or workloads found")
    assert scan(path).tables == []


def test_the_reader_runs_under_a_memory_limit(tmp_path, monkeypatch):
    import pricing.importer.sources as sources
    from benchmarks.bench_import import write_workloads_xlsx

    path = write_workloads_xlsx(tmp_path / "budget.xlsx", 30_000)
    assert len(sources.read_source(path).sheets[0].rows) > 30_000  # reads under the default limit
    monkeypatch.setattr(sources, "READ_MEMORY", 4 * 1024 * 1024)  # far too little for 30,000 rows of cells
    refused(path, "needed more memory than an import allows")


def test_the_reader_runs_under_a_time_limit(tmp_path, monkeypatch):
    import pricing.importer.sources as sources

    monkeypatch.setattr(sources, "READ_TIMEOUT", 0.001)
    refused(titled_per_1k_budget(tmp_path / "budget.xlsx"), "took longer than")


def test_a_negative_price_on_a_rate_sheet_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("Model,Input $/1M,Output $/1M\nok-model,1,2\nbad-model,-1,2\n")
    from pricing.importer import import_file

    result = import_file(path)
    assert [r.model_id for r in result.plan.rates] == ["ok-model"]
    (finding,) = result.report.findings
    assert finding.cell == "A3" and "input_mtok" in finding.field


def test_an_ods_whose_repeated_cells_would_need_gigabytes_is_refused_by_the_limited_reader(tmp_path):
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="60000">'
               '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1">'
               '<text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    path = tmp_path / "repeated.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    refused(path, "more memory than an import allows|took longer than|more cells than")
