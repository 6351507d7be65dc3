"""The PyInstaller bundle runs on a machine with no Python packages: build it with packaging/build,
then run the bundled executable with an empty environment (``env -i``: no PATH, no PYTHONPATH, no
venv, a fresh HOME, cwd outside the checkout) and check what it prints and draws.

Runs with the rest of the suite (``python -m pytest``, hence .ci/run); deselect with
``-m 'not bundle'``. A missing PyInstaller is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.costing.catalog import load_catalog_file, sample_plan_path
from pricing.cli.common import money_str
from pricing.files.planfile import open_plan
from pricing.costing.projection import Projection

pytestmark = [pytest.mark.bundle, pytest.mark.skipif(not sys.platform.startswith("linux"),
                                                     reason="the smoke test drives the Linux bundle")]

ROOT = Path(__file__).resolve().parents[2]
MAX_BUNDLE_MB = 300  # 122 MB, 191 MB with duckdb (usage logs); a stray QtWebEngine (200+ MB) trips this


class Bundle:
    def __init__(self, dist: Path, scratch: Path, build_log: str):
        self.dist = dist
        self.exe = dist / "TokenBudget"
        self.internal = dist / "_internal"
        self.scratch = scratch
        self.build_log = build_log

    def commands(self) -> str:
        return self.run("--help").stdout

    def run(self, *args: str, timeout: int = 120, display: str | None = None,
            extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        # Exactly what a user's machine offers: nothing but HOME and either an X display or,
        # for a build server without one, the offscreen Qt platform.
        screen = f"DISPLAY={display}" if display else "QT_QPA_PLATFORM=offscreen"
        return subprocess.run(
            ["env", "-i", f"HOME={self.scratch}", screen, *extra, str(self.exe), *args],
            cwd=self.scratch, capture_output=True, text=True, timeout=timeout,
        )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Bundle:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is not installed: pip install -e '.[test]' (or deselect with -m 'not bundle')")
    out = tmp_path_factory.mktemp("bundle")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PYTHON=sys.executable, DISTPATH=str(out / "dist"), WORKPATH=str(out / "work"), DROP_CACHES="0")
    built = subprocess.run([str(ROOT / "packaging" / "build")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=900)
    log = built.stdout + built.stderr
    print(log)  # the build's size and cold-start figures, shown with pytest -s or on failure
    assert built.returncode == 0, log[-4000:]
    scratch = out / "home"
    scratch.mkdir()
    return Bundle(out / "dist" / "TokenBudget", scratch, log)


def test_build_prints_size_and_cold_start_times(bundle):
    for label in ("bundle size:", "build time:", "summary --json:", "gui <sample> --screenshot:"):
        assert label in bundle.build_log


def test_bundle_carries_resources_metadata_and_needed_qt_plugins(bundle):
    resources = bundle.internal / "resources"
    for name in ("catalog.json", "catalog_extra.json", "sample-plan.json", "icons/tokenbudget-256.png"):
        assert (resources / name).is_file(), name
    for source in (ROOT / "resources").glob("*.json"):
        assert (resources / source.name).read_bytes() == source.read_bytes(), source.name
    assert list(bundle.internal.glob("tokenbudget-*.dist-info/METADATA"))
    plugins = bundle.internal / "PySide6" / "Qt" / "plugins"
    for plugin in ("platforms/libqoffscreen.so", "platforms/libqxcb.so",
                   "xcbglintegrations/libqxcb-glx-integration.so"):
        assert (plugins / plugin).is_file(), plugin
    assert list((bundle.internal / "PySide6").glob("QtCharts*"))


def test_bundle_leaves_out_unused_qt_and_python_packages(bundle):
    names = {p.name for p in bundle.dist.rglob("*")}
    for unwanted in ("libQt6WebEngineCore.so.6", "libQt6Qml.so.6", "libQt6Quick.so.6", "libQt6Pdf.so.6",
                     "libQt6Multimedia.so.6", "libQt63DCore.so.6", "libQt6Designer.so.6", "libqwayland-generic.so",
                     "libqgtk3.so", "libgtk-3.so.0", "QtWebEngineCore.abi3.so", "QtQml.abi3.so", "QtOpenGL.abi3.so"):
        assert unwanted not in names, unwanted
    assert not (bundle.internal / "PySide6" / "Qt" / "translations").exists()
    for package in ("numpy", "pandas", "tkinter", "pytest", "hypothesis", "genai_prices", "PIL"):
        assert not (bundle.internal / package).exists(), package
    size_mb = sum(p.stat().st_size for p in bundle.dist.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    assert size_mb < MAX_BUNDLE_MB, f"bundle is {size_mb:.0f} MB"


def test_bundle_has_no_dangling_links(bundle):
    dangling = [str(p) for p in bundle.dist.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []


def test_summary_json_from_empty_environment_matches_the_core(bundle):
    done = bundle.run("summary", "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    projection = Projection(open_plan(sample_plan_path())[0])
    # money_str is how the command line writes the core's Decimal; compare the exact strings.
    assert report["total"] == money_str(projection.total)
    assert report["month_totals"] == [money_str(t) for t in projection.month_totals]
    assert Decimal(report["total"]) > 0
    assert len(report["workloads"]) == len(projection.rows)


def _checkout(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The same command from the checkout's Python, for comparison."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "desktop.launcher", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _needs(bundle: Bundle, command: str) -> None:
    if f"    {command} " not in bundle.commands():
        pytest.skip(f"this checkout has no '{command}' command yet")


def test_exported_workbook_reads_back_in_bundle(bundle):
    """openpyxl (writing) and the workbook reader made it into the bundle."""
    _needs(bundle, "export")
    book = bundle.scratch / "sample.xlsx"
    done = bundle.run("export", "-o", str(book))
    assert done.returncode == 0, done.stderr
    assert book.stat().st_size > 5_000
    again = bundle.run("summary", str(book), "--json")
    assert again.returncode == 0, again.stderr
    expected = _checkout("summary", str(book), "--json", cwd=bundle.scratch)
    assert expected.returncode == 0, expected.stderr
    assert json.loads(again.stdout)["total"] == json.loads(expected.stdout)["total"]


def test_usage_log_is_read_in_bundle_without_network(bundle):
    """duckdb (and the JSON reader it needs) works from the bundle with a fresh HOME."""
    _needs(bundle, "usage")
    log = bundle.scratch / "usage.jsonl"
    day = 86_400
    records = [{"created": 1_767_225_600 + i * day, "model": "gpt-4o", "metadata": {"feature": "chat"},
                "usage": {"prompt_tokens": 100 * (i + 1), "completion_tokens": 10 * (i + 1)}} for i in range(4)]
    log.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    done = bundle.run("usage", str(log), "--by", "feature", "--json")
    assert done.returncode == 0, done.stderr
    expected = _checkout("usage", str(log), "--by", "feature", "--json", cwd=bundle.scratch)
    assert expected.returncode == 0, expected.stderr
    assert json.loads(done.stdout) == json.loads(expected.stdout)
    assert json.loads(done.stdout)["records"] == 4


def test_bad_plan_gives_one_line_error_not_a_traceback(bundle):
    done = bundle.run("summary", str(bundle.scratch / "no-such-plan.json"))
    assert done.returncode == 3  # bad data: a file that cannot be found (README, exit statuses)
    assert "Traceback" not in done.stderr
    assert "no-such-plan.json" in done.stderr


def test_gui_screenshot_from_empty_environment_draws_the_window(bundle):
    sample = bundle.internal / "resources" / "sample-plan.json"
    out = bundle.scratch / "window.png"
    done = bundle.run("gui", str(sample), "--screenshot", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 640 and height >= 400, (width, height)
    assert len(data) > 20_000  # a blank or text-less window compresses to a few kB
    assert _distinct_colours(out) > 64  # anti-aliased text and charts, not a flat fill


@pytest.fixture
def x_display():
    """A real X server (Xvfb), so the bundled xcb platform plugin and its libraries are loaded."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (.ci/run installs it)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    try:
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_gui_on_an_x11_display_loads_the_bundled_xcb_plugin(bundle, x_display):
    out = bundle.scratch / "x11.png"
    done = bundle.run("gui", "--tab", "summary", "--screenshot", str(out), display=x_display,
                      extra=("QT_DEBUG_PLUGINS=1",))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "could not load the qt platform plugin" not in done.stderr.lower()
    loaded = [line for line in done.stderr.splitlines() if "loaded library" in line and "/platforms/" in line]
    assert loaded and all(str(bundle.internal) in line and "libqxcb.so" in line for line in loaded), loaded
    assert _distinct_colours(out) > 64


def _distinct_colours(png: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull()
    step = max(1, image.width() // 400)
    return len({image.pixel(x, y) for y in range(0, image.height(), step) for x in range(0, image.width(), step)})


def test_about_data_in_bundle_matches_checkout(bundle):
    """The bundle's version (dist-info) and catalog snapshot are the checkout's."""
    from pricing.about import pyproject_version

    metadata = next(bundle.internal.glob("tokenbudget-*.dist-info"))
    assert metadata.name == f"tokenbudget-{pyproject_version(ROOT / 'pyproject.toml')}.dist-info"
    bundled = json.loads((bundle.internal / "resources" / "catalog.json").read_text(encoding="utf-8"))
    catalog = load_catalog_file()
    assert bundled["genai_prices_version"] == catalog.genai_prices_version
    assert bundled["built"] == catalog.built.isoformat()


def test_linux_install_puts_menu_entry_icons_and_command_in_prefix(bundle, tmp_path):
    prefix = tmp_path / "prefix"
    script = ROOT / "packaging" / "linux" / "install.sh"
    installed = subprocess.run(["sh", str(script), "--prefix", str(prefix), "--bundle", str(bundle.dist)],
                               capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr
    app_id = "org.tokenbudget.TokenBudget"
    entry = (prefix / "share" / "applications" / f"{app_id}.desktop").read_text(encoding="utf-8")
    assert f"Exec={prefix}/bin/tokenbudget gui %f" in entry.splitlines()
    assert (prefix / "share" / "metainfo" / f"{app_id}.metainfo.xml").is_file()
    for size in (16, 32, 48, 128, 256):
        assert (prefix / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{app_id}.png").is_file()
    command = ["env", "-i", f"HOME={bundle.scratch}", str(prefix / "bin" / "tokenbudget"), "summary", "--json"]
    done = subprocess.run(command, cwd=bundle.scratch, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"]
    removed = subprocess.run(["sh", str(script), "--prefix", str(prefix), "--uninstall"],
                             capture_output=True, text=True, timeout=120)
    assert removed.returncode == 0, removed.stderr
    assert not (prefix / "lib" / "tokenbudget").exists()
    assert not (prefix / "bin" / "tokenbudget").exists()
    assert not (prefix / "share" / "applications" / f"{app_id}.desktop").exists()
