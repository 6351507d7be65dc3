"""The house rules of the source tree: short modules, subjects in packages, no import circles."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
LINE_LIMIT = 450
TOP_LEVEL_MODULES_ALLOWED = 5


def _modules() -> list[str]:
    import desktop
    import pricing

    names = []
    for package in (pricing, desktop):
        names.append(package.__name__)
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
                  if not m.name.endswith(".__main__")]  # importing it runs the program
    return names


def test_no_module_in_pricing_or_desktop_is_over_450_lines():
    long = {str(p.relative_to(ROOT)): n for folder in ("pricing", "desktop") for p in (ROOT / folder).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LINE_LIMIT}
    assert long == {}


def test_pricing_holds_packages_and_only_a_handful_of_modules():
    modules = sorted(p.name for p in (ROOT / "pricing").glob("*.py") if p.name != "__init__.py")
    packages = sorted(p.name for p in (ROOT / "pricing").iterdir() if (p / "__init__.py").is_file())
    assert len(modules) <= TOP_LEVEL_MODULES_ALLOWED, modules
    assert {"plan", "costing", "capacity", "usage", "files", "importer", "cli"} <= set(packages)


def _circles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), imports inside functions included."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_import_circles_between_modules():
    graph = grimp.build_graph("pricing", "desktop", cache_dir=None, exclude_type_checking_imports=True)
    assert _circles(graph) == []


@pytest.mark.slow
def test_every_module_imports_first_in_a_fresh_process():
    """Each module is the first of ours imported in a process of its own, forked from one that
    has loaded only third-party libraries, so a circle that breaks at import time shows.

    The plan's records (``pricing.plan``, the bottom layer, which the layers contract keeps from
    importing anything above it) are each imported first that way; every other module is then
    imported first in a process forked after ``pricing.plan`` is loaded, which is far cheaper.
    """
    names = _modules()
    code = f"""
import importlib, os, sys, traceback
# Third-party libraries only, loaded (and pydantic's plugin scan done) once before forking.
import argparse, csv, decimal, difflib, gzip, json, pickle, socket, tomllib, uuid, zipfile
import openpyxl, platformdirs, pydantic, shiboken6
import PySide6.QtCharts, PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
from pydantic.plugin._loader import get_plugins
list(get_plugins())
assert not [m for m in sys.modules if m.split('.')[0] in ('pricing', 'desktop')]

def first_import(names):
    failed = []
    for name in names:
        pid = os.fork()
        if pid == 0:
            try:
                importlib.import_module(name)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        if status:
            failed.append(name)
    return failed

names = {names!r}
bottom = [n for n in names if n == 'pricing.plan' or n.startswith('pricing.plan.')]
failed = first_import(bottom)
for name in bottom:
    importlib.import_module(name)
failed += first_import([n for n in names if n not in bottom])
print('failed:', failed)
sys.exit(1 if failed else 0)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr[-4000:]
