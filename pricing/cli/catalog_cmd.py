"""tokenbudget catalog: list the bundled rates."""

from __future__ import annotations

from datetime import date

from pricing.costing.catalog import load_catalog_file
from pricing.cli.common import UsageError, money_str, print_json


def arguments(p) -> None:
    p.description = ("List models with their $/1M input, cached-input and output rates today.")
    p.add_argument("--provider", help="only this provider (e.g. together)")
    p.add_argument("--search", help="only models whose id contains this text")
    p.add_argument("--json", action="store_true", help="machine-readable output, with every dated version")
    p.set_defaults(func=run)


def run(args) -> int:
    catalog = load_catalog_file()
    rates = list(catalog.models)
    if args.provider:
        rates = [r for r in rates if r.provider.lower() == args.provider.lower()]
        if not rates:
            known = ", ".join(sorted({r.provider for r in catalog.models}))
            raise UsageError(f"no provider {args.provider!r} in the catalog (it has {known})")
    if args.search:
        rates = [r for r in rates if args.search.lower() in r.id.lower()]
    if args.json:
        print_json({
            "genai_prices_version": catalog.genai_prices_version,
            "built": catalog.built.isoformat(),
            "models": [r.model_dump(mode="json", exclude_defaults=True) | {"id": r.id} for r in rates],
        })
        return 0
    today = date.today()
    print(f"{'model':<58} {'context':>9} {'input':>9} {'cached':>9} {'output':>9}  modes")
    for r in rates:
        v = r.version_on(today)
        cached = money_str(v.cached_input_mtok) if v.cached_input_mtok is not None else "-"
        ctx = f"{r.context_length:,}" if r.context_length else "-"
        more = " (+tiers)" if v.tiers else ""
        dated = " (price changes)" if len(r.versions) > 1 else ""
        print(f"{r.id:<58} {ctx:>9} {money_str(v.input_mtok):>9} {cached:>9} {money_str(v.output_mtok):>9}  "
              f"{', '.join(m.label for m in r.modes)}{more}{dated}")
    print(f"{len(rates)} models; $ per 1M tokens; catalog from genai-prices {catalog.genai_prices_version}, "
          f"built {catalog.built.isoformat()}")
    return 0
