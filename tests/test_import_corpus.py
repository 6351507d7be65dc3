"""Every real workbook of the shared corpus is imported or refused cleanly, each within 10 s."""

from __future__ import annotations

from pathlib import Path

import pytest

from pricing.importer import ImportRefused, import_file
from tests.import_helpers import private_mapping_store  # noqa: F401

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real-workbooks"  # shared/ beside the clone
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/real-workbooks")
FILES = sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []

#: Files the corpus README describes as password-protected, corrupt or hostile: refused.
MUST_REFUSE = {
    "pass_protected.xlsx": "password-protected", "pass_protected.xlsb": "password-protected",
    "pass_protected.ods": "password-protected", "issue_385.xls": "password-protected",
    "issue_594_dos.ods": "more cells than an import reads", "too_small.xls": "not a spreadsheet",
    "OOM_alloc3.xls": "cannot be read", "issue252.xlsx": "corrupt",
}


@pytest.mark.skipif(not FILES, reason="the shared corpus is not on this machine")
def test_the_corpus_has_all_its_files():
    assert len(FILES) == 132


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_workbook_is_imported_or_refused_cleanly(path):
    try:
        result = import_file(path, remember=False)
    except ImportRefused as exc:
        message = str(exc)
        assert message.startswith(path.name + ": ")
        assert "could not be imported (" not in message  # the last-resort net never fires on the corpus
        if path.name in MUST_REFUSE:
            assert MUST_REFUSE[path.name] in message
        else:
            assert "no rates or workloads found" in message
    else:
        assert path.name not in MUST_REFUSE
        assert result.plan.workloads or result.plan.rates or result.plan.endpoints or result.plan.clusters
