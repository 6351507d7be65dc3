"""The window's tabs, in order: one list for the tab bar and for ``tokenbudget gui --tab``.

Kept free of Qt so the command line can offer the names without loading a window.
"""

TABS = ["Workloads", "Rates", "Projection", "Summary", "Scenarios", "Modes", "Explain", "Terms", "Actuals",
        "Variance"]
