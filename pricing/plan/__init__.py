"""The plan's records: workloads, rates, capacity and assumptions, and the money, months and findings they use."""

import os

# Pydantic looks for plugins of its own by reading the entry points of every installed package
# when the first record class is built (a tenth of ``tokenbudget summary``'s start); the plan's
# records use none.  Set PYDANTIC_DISABLE_PLUGINS yourself to have them looked for.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
