"""Explicit mappings (JSON/TOML, by letter or header text), remembered per layout; the import command."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from pricing.cli import main as cli_main
from pricing.importer import ImportMapping, TableMapping, import_file, scan
from pricing.files.planfile import load_plan_json
from tests.import_helpers import first_month_total, private_mapping_store, titled_per_1k_budget  # noqa: F401


def odd_budget(path, rows=(("maestro", 2_000_000, 3000, 1000, 0.9, 3.3),)):
    """Headers nobody's synonyms know: the guess finds nothing, a mapping says what is what."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Q1"
    ws.append(["Engine", "Hits", "Words in", "Words out", "Cost in", "Cost out"])
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


ODD_MAPPING = ImportMapping(tables=[TableMapping(
    sheet="Q1", header_row=1, kind="workloads",
    columns={"model": "Engine", "requests_per_month": "B", "input_tokens": "Words in", "output_tokens": "D",
             "input_mtok": "E", "output_mtok": "Cost out"},
    units={"input_mtok": "per_1m", "output_mtok": "per_1m"},
)])


def test_a_mapping_by_letter_and_header_text_imports_what_the_guess_cannot(tmp_path):
    path = odd_budget(tmp_path / "odd.xlsx")
    result = import_file(path, ODD_MAPPING)
    assert first_month_total(result.plan) == Decimal(12_000)
    assert result.mapping.tables[0].columns["requests_per_month"] == "B"


def test_an_explicit_mapping_is_remembered_for_the_next_file_of_the_same_layout(tmp_path, private_mapping_store):
    import_file(odd_budget(tmp_path / "january.xlsx"), ODD_MAPPING)
    february = odd_budget(tmp_path / "february.xlsx", rows=(("maestro", 1_000_000, 3000, 1000, 0.9, 3.3),))
    assert ImportMapping.recall(february) == ODD_MAPPING
    result = import_file(february)
    assert "used the mapping remembered for files of this layout" in result.report.decisions
    assert first_month_total(result.plan) == Decimal(6_000)
    assert list(private_mapping_store.iterdir())


def test_remember_and_recall_take_a_folder_parameter(tmp_path):
    path = odd_budget(tmp_path / "odd.xlsx")
    signature = scan(path).signature
    ODD_MAPPING.remember(signature, tmp_path / "elsewhere")
    assert ImportMapping.recall(path, tmp_path / "elsewhere") == ODD_MAPPING
    assert ImportMapping.recall(path) is None  # not in the default (private) store


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_mapping_files_round_trip(tmp_path, suffix):
    target = tmp_path / f"mapping{suffix}"
    ODD_MAPPING.save(target)
    assert ImportMapping.load(target) == ODD_MAPPING


def test_a_mapping_naming_a_missing_sheet_or_column_is_reported(tmp_path):
    path = odd_budget(tmp_path / "odd.xlsx")
    mapping = ImportMapping(tables=[
        ODD_MAPPING.tables[0].model_copy(update={"columns": ODD_MAPPING.tables[0].columns | {"tenant": "Nope"}}),
        TableMapping(sheet="Missing", header_row=1, kind="rates"),
    ])
    result = import_file(path, mapping, remember=False)
    messages = [f.message for f in result.report.findings]
    assert any("'Nope'" in m for m in messages) and any("'Missing'" in m for m in messages)
    assert first_month_total(result.plan) == Decimal(12_000)


def test_scan_with_a_mapping_shows_the_mapped_columns(tmp_path):
    found = scan(odd_budget(tmp_path / "odd.xlsx"), ODD_MAPPING)
    (table,) = found.tables
    assert {c.letter: c.field for c in table.columns}["C"] == "input_tokens"
    assert table.preview_rows == [["maestro", "2000000", "3000", "1000", "0.9", "3.3"]]


def test_import_command_writes_a_json_plan_and_the_report(tmp_path, capsys):
    source = titled_per_1k_budget(tmp_path / "budget.xlsx")
    out = tmp_path / "plan.json"
    saved = tmp_path / "used-mapping.toml"
    assert cli_main(["import", str(source), "-o", str(out), "--report", "--save-mapping", str(saved)]) == 0
    text = capsys.readouterr().out
    assert "3 row(s) imported" in text and "skipped 2 total or subtotal row(s)" in text
    plan = load_plan_json(out)
    assert len(plan.workloads) == 3
    assert ImportMapping.load(saved).tables[0].header_row == 4


def test_import_command_with_a_mapping_file_and_json_report(tmp_path, capsys):
    source = odd_budget(tmp_path / "odd.xlsx")
    mapping = tmp_path / "map.json"
    ODD_MAPPING.save(mapping)
    assert cli_main(["import", str(source), "-o", str(tmp_path / "p.json"), "--mapping", str(mapping), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows_imported"] == 1 and data["workloads"] == 1


def test_import_command_refuses_cleanly(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert cli_main(["import", str(bad), "-o", str(tmp_path / "p.json")]) == 3  # bad data
    err = capsys.readouterr().err
    assert err.startswith("tokenbudget: bad.xlsx: not a spreadsheet") and "Traceback" not in err
    assert not (tmp_path / "p.json").exists()


def test_import_command_never_overwrites_its_source(tmp_path, capsys):
    source = titled_per_1k_budget(tmp_path / "budget.xlsx")
    before = source.read_bytes()
    assert cli_main(["import", str(source), "-o", str(source)]) == 2
    assert source.read_bytes() == before
