"""Contract terms applied to a plan: negotiated rates, commitments, credits, reservations and FX.

The records live with the plan (``pricing.plan.terms``); this package prices with them:
``TermsPricer`` rewrites the rate sheet and capacity prices month by month (the projection uses
it), ``build_ledger`` turns a projection into billed and effective cost, ``read_fx_csv`` reads an
FX table from a CSV.
"""

from pricing.terms.fx import FxTable, read_fx_csv
from pricing.terms.ledger import Ledger, LedgerLine, build_ledger, usage_by_provider
from pricing.terms.pricer import Step, TermsPricer, matches
from pricing.terms.prices import is_price, output_side, price_paths, scale_prices

__all__ = ["FxTable", "Ledger", "LedgerLine", "Step", "TermsPricer", "build_ledger", "is_price", "matches",
           "output_side", "price_paths", "read_fx_csv", "scale_prices", "usage_by_provider"]
