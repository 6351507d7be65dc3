"""The wheel that ``python -m build`` makes installs into a fresh virtual environment, runs, and
carries every resource the app and the Linux menu entry need.

The environment sees the machine's packages (``--system-site-packages``: PySide6, DuckDB… are
large and come from PyPI as they are) but not this checkout: the wheel is installed into the
venv with ``--no-deps`` and run from a folder outside the checkout, and the test checks that the
code it ran came from the venv.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = [pytest.mark.bundle, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "org.tokenbudget.TokenBudget"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (found,) = out.glob("tokenbudget-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return env_dir


def test_the_wheel_carries_every_resource_the_app_and_the_menu_entry_need(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = ["resources/catalog.json", "resources/catalog_extra.json", "resources/gpu_rates.json",
              "resources/sample-plan.json", "resources/sample-capacity-plan.json",
              "resources/icons/tokenbudget.svg", "resources/icons/tokenbudget-256.png",
              f"resources/linux/{APP_ID}.desktop", f"resources/linux/{APP_ID}.metainfo.xml",
              "resources/licenses/NOTICE.txt", "resources/licenses/LGPL-3.0.txt"]
    assert [n for n in needed if n not in names] == []
    assert not any(n.startswith("tests/") for n in names)


def test_the_installed_wheel_runs_summary_json_from_its_own_files(installed, tmp_path):
    tokenbudget = installed / "bin" / "tokenbudget"
    out = subprocess.run([str(tokenbudget), "summary", "--json"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert Decimal(data["total"]) > 0 and data["workloads"]
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import pricing; print(pricing.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert str(installed) in where.stdout, where.stdout


def test_the_installed_wheel_prints_its_version(installed, tmp_path):
    out = subprocess.run([str(installed / "bin" / "tokenbudget"), "--version"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.startswith("tokenbudget 0.")
