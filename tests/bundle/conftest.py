"""Registers the ``bundle`` marker for the packaging smoke test (kept here, beside the test,
so the shared pyproject.toml and tests/conftest.py stay untouched)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "bundle: builds dist/TokenBudget with PyInstaller and runs it with an empty environment "
        "(about 30 s; deselect with -m 'not bundle')",
    )
