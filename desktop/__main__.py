"""``python -m desktop``: the same command line as ``tokenbudget``, window commands included."""

import sys

from desktop.launcher import main

sys.exit(main())
