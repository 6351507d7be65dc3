"""A window that never drifts: a seeded run of random actions (valid and invalid edits, model and
mode changes, paste, fill down, insert and delete rows, rate edits and price changes on any model,
runs of undo and redo, sort, filter) checked every 50 actions against a fresh projection of the
window's plan; undoing everything gives back the plan and its totals. ``python -m benchmarks.soak
2000`` runs a longer one."""

from __future__ import annotations

import pytest

from benchmarks.soak import Soak
from desktop_helpers import data_dir, plan_path, window  # noqa: F401
from pricing.costing.projection import project


@pytest.mark.parametrize("seed", [20, 7])
def test_random_actions_never_drift_from_a_fresh_projection_and_undo_restores_everything(window, seed):
    original = window.document.plan
    strip = [f.text() for f in window.totals.figures]
    soak = Soak(window, seed, check_every=50)
    soak.run(200)
    assert window.document.undo_stack.count() > 20  # the actions did change the plan
    soak.undo_all()
    assert window.document.plan == original
    assert window.document.projection.month_totals == project(original).month_totals
    assert [f.text() for f in window.totals.figures] == strip
    soak.check()
