"""``python -m pricing.cli``: the command line's pricing commands, with no window."""

import sys

from pricing.cli import main

sys.exit(main())
