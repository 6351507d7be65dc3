"""The pricing core stays free of Qt and of the desktop shell."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pricing


def test_importing_every_pricing_module_loads_no_qt():
    names = [m.name for m in pkgutil.walk_packages(pricing.__path__, "pricing.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'desktop'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_import_linter_contract_holds():
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 kept, 0 broken" in out.stdout
