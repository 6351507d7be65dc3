"""Combining the settings of a parameter sheet into rates and workloads, saying how.

Volumes are taken as stated (per day × days per month — the budget's own, else the
calendar's average month —, per working day × working days, per user × users, per agent
step × steps, per week, per month, per year); a share of traffic routed to each model makes
one workload per model; a cache hit rate with a discount gives the cached share and the
cached rate; a multiplier or surcharge multiplies the rates it names.
"""

from __future__ import annotations

from decimal import Decimal

from pricing.importer.parameters import ParameterSheet
from pricing.importer.report import ImportReport
from pricing.importer.tables import DAYS_PER_MONTH, Extracted, RateRow, WorkloadRow
from pricing.importer.units import UNIT_NAMES
from pricing.plan.findings import Severity
from pricing.plan.models import DeploymentMode
from pricing.plan.money import ZERO

#: Weekdays in an average month (261 a year / 12), for volumes given per working day.
WORKING_DAYS_PER_MONTH = Decimal("21.75")
WEEKS_PER_MONTH = Decimal("365.25") / 7 / 12
_PRICES = ("input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok")
_PRICE_NAMES = {"input_mtok": "input", "output_mtok": "output", "cached_input_mtok": "cached input",
                "cache_write_mtok": "cache write"}


def _n(value: Decimal) -> str:
    """A figure as a person writes it: 300,000; 0.7; 1.1."""
    value = value.normalize() if value == value.to_integral_value() else value
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return format(value.normalize(), "f")


def _pct(value: Decimal) -> str:
    return _n(value * 100) + "%"


def plan_from_parameters(block: ParameterSheet, file: str, report: ImportReport, out: Extracted) -> None:
    """Add the rates and workloads ``block`` describes to ``out``; every step is a decision in ``report``."""
    sheet = block.sheet
    where = dict(file=file, sheet=sheet)
    report.decide(f"sheet {sheet!r}: a parameter sheet (label | value | unit rows): {len(block.settings)} setting(s) "
                  f"read, {len(block.skipped)} row(s) set aside")
    for cell, label, why in block.skipped:
        report.skip(f"sheet {sheet!r} cell {cell} ({label!r}): {why}")
    report.rows_skipped += len(block.skipped)
    report.rows_imported += len(block.settings)
    rates = _rates(block, report, where)
    requests = _requests(block, report, where)
    tokens = {}
    for side in ("input", "output"):
        found = [s for s in block.of("tokens") if s.field == side]
        if found:
            tokens[side] = found[0].value
            report.decide(f"sheet {sheet!r} cell {found[0].cell} ({found[0].label!r}): {_n(found[0].value)} {side} "
                          "tokens per request")
        else:
            tokens[side] = ZERO
            if requests is not None:
                report.find(f"no {side} tokens per request in the parameter sheet; 0 is used", **where,
                            field=f"{side}_tokens")
    cached_share = _cache(block, rates, report, where)
    _multiply(block, rates, report, where)
    for model, prices in rates.items():
        first = prices.pop("_cell")
        if "input_mtok" not in prices or "output_mtok" not in prices:
            missing = "input" if "input_mtok" not in prices else "output"
            report.find(f"{model}: the parameter sheet gives no {missing} price; 0 is used", **where, cell=first,
                        field=f"{missing}_mtok")
        out.rates.append(RateRow(
            provider="", model=model, display_name="", context_length=None,
            modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH), effective_from=None,
            input_mtok=prices.get("input_mtok", ZERO), output_mtok=prices.get("output_mtok", ZERO),
            cached_input_mtok=prices.get("cached_input_mtok"), cache_write_mtok=prices.get("cache_write_mtok"),
            batch_discount=None, place=dict(where, cell=first)))
    if requests is None:
        return
    growth = block.of("growth")
    for model, share, cell in _routes(block, list(rates), report, where):
        volume = requests[0] * share
        name = model if model else f"{sheet} workload"
        out.workloads.append(WorkloadRow(dict(
            name=name, model=model or "(no model)", mode=DeploymentMode.SERVERLESS,
            input_tokens=tokens["input"], output_tokens=tokens["output"], cached_share=cached_share,
            requests_per_month=volume, tenant="", feature="", environment="", start_month=None,
            monthly_growth=growth[0].value if growth else ZERO,
            notes=f"from the parameter sheet {sheet!r}: {requests[1]}" + (f" × {_pct(share)}" if share != 1 else ""),
            capacity=None), "", dict(where, cell=cell)))


def _rates(block: ParameterSheet, report: ImportReport, where: dict) -> dict[str, dict]:
    rates: dict[str, dict] = {}
    default = block.texts.get("model", ("", ""))[0]
    for s in block.of("price"):
        model = s.model or default or "(no model)"
        prices = rates.setdefault(model, {"_cell": s.cell})
        if s.field in prices:
            report.find(f"{model}: a second {_PRICE_NAMES[s.field]} price ({s.label!r}); the first is kept",
                        severity=Severity.WARNING, **where, cell=s.cell, field=s.field)
            continue
        prices[s.field] = s.value
        report.decide(f"sheet {where['sheet']!r} cell {s.cell} ({s.label!r}): {model} {_PRICE_NAMES[s.field]} "
                      f"${_n(s.value)} per 1M tokens (written {UNIT_NAMES.get(s.unit, s.unit)}, the unit {s.how})")
    return rates


def _requests(block: ParameterSheet, report: ImportReport, where: dict) -> tuple[Decimal, str] | None:
    """Requests a month and how they were worked out, or None (and a finding) when no volume is given."""
    volumes = block.of("volume")
    sheet = where["sheet"]
    if not volumes:
        report.find("the parameter sheet gives no volume (requests per day, per month ...): rates only, "
                    "no workloads", **where, field="requests_per_month")
        return None
    chosen = next((v for v in volumes if v.field != "month"), volumes[0])
    value, how = chosen.value, [f"{_n(chosen.value)} {chosen.label!r} ({chosen.cell})"]
    if chosen.per_user:
        users = block.of("users")
        if users:
            value *= users[0].value
            how.append(f"{_n(users[0].value)} users ({users[0].cell})")
        else:
            report.find(f"{chosen.label!r} is per user and the sheet gives no number of users; 1 is used",
                        **where, cell=chosen.cell, field="requests_per_month")
    steps = block.of("steps")
    if steps:
        value *= steps[0].value
        how.append(f"{_n(steps[0].value)} {steps[0].label!r} ({steps[0].cell}): each step is one request")
    days = {d.field: d for d in block.of("days")}
    if chosen.field == "day":
        if "calendar" in days:
            value *= days["calendar"].value
            how.append(f"{_n(days['calendar'].value)} days a month ({days['calendar'].cell}, the budget's own)")
        else:
            value *= DAYS_PER_MONTH
            how.append(f"{DAYS_PER_MONTH} days a month (the calendar's average month, 365.25 / 12: "
                       "the budget gives no days per month)")
    elif chosen.field == "working_day":
        if "working" in days:
            value *= days["working"].value
            how.append(f"{_n(days['working'].value)} working days a month ({days['working'].cell}, the budget's own)")
        else:
            value *= WORKING_DAYS_PER_MONTH
            how.append(f"{WORKING_DAYS_PER_MONTH} working days a month (261 weekdays a year / 12: "
                       "the budget gives no working days per month)")
    elif chosen.field == "week":
        value *= WEEKS_PER_MONTH
        how.append("52.18 weeks a year / 12")
    elif chosen.field == "year":
        value /= 12
        how.append("1/12 (a year's volume spread over its months)")
    text = " × ".join(how) + f" = {_n(value.quantize(Decimal('0.01')))} requests a month"
    report.decide(f"sheet {sheet!r}: requests a month = {text}")
    for other in volumes:
        if other is chosen or other.field != "month":
            continue
        if abs(other.value - value) > max(Decimal(1), value / 1000):
            report.find(f"{other.label!r} says {_n(other.value)} requests a month, but {text}; the plan uses "
                        f"{_n(value)}", severity=Severity.WARNING, **where, cell=other.cell, field="requests_per_month")
        else:
            report.decide(f"sheet {sheet!r} cell {other.cell} ({other.label!r}, {_n(other.value)}) agrees")
    return value, text


def _match(name: str, models: list[str]) -> str | None:
    key = name.lower()
    exact = [m for m in models if m.lower() == key]
    if exact:
        return exact[0]
    loose = [m for m in models if key in m.lower() or m.lower() in key]
    return loose[0] if len(loose) == 1 else None


def _routes(block: ParameterSheet, models: list[str], report: ImportReport, where: dict) -> list[tuple[str, Decimal, str]]:
    sheet = where["sheet"]
    shares = block.of("share")
    if shares:
        routes = []
        for s in shares:
            model = _match(s.model, models) or s.model
            routes.append((model, s.value, s.cell))
            report.decide(f"sheet {sheet!r} cell {s.cell} ({s.label!r}): {_pct(s.value)} of the requests go to {model}: "
                          "one workload")
        total = sum((s.value for s in shares), ZERO)
        if abs(total - 1) > Decimal("0.001"):
            report.find(f"the shares of traffic add up to {_pct(total)}, not 100%: each workload takes its share "
                        "as written", severity=Severity.WARNING, **where, cell=shares[0].cell, field="requests_per_month")
        return routes
    if len(models) > 1:
        report.find(f"{len(models)} models are priced ({', '.join(models)}) and no share of traffic is given: the "
                    f"workload runs on {models[0]}, the others are rates only", severity=Severity.WARNING, **where,
                    field="model")
    model = models[0] if models else block.texts.get("model", ("", ""))[0]
    return [(model, Decimal(1), block.of("volume")[0].cell)]


def _cache(block: ParameterSheet, rates: dict[str, dict], report: ImportReport, where: dict) -> Decimal:
    sheet = where["sheet"]
    hits, discounts = block.of("cache_hit"), block.of("cache_discount")
    share = hits[0].value if hits else ZERO
    if hits:
        report.decide(f"sheet {sheet!r} cell {hits[0].cell} ({hits[0].label!r}): {_pct(share)} of each prompt is "
                      "read from the cache (the cached share)")
    if discounts:
        off = discounts[0].value
        for model, prices in rates.items():
            if "cached_input_mtok" in prices or "input_mtok" not in prices:
                continue
            prices["cached_input_mtok"] = prices["input_mtok"] * (1 - off)
        report.decide(f"sheet {sheet!r} cell {discounts[0].cell} ({discounts[0].label!r}): cached input costs "
                      f"{_pct(1 - off)} of the input price ({_pct(off)} off)")
    elif hits and share:
        report.find("a cache hit rate without a cache discount or cached price: cached input is priced at the "
                    "model's input rate", severity=Severity.WARNING, **where, cell=hits[0].cell, field="cached_share")
    return share


def _multiply(block: ParameterSheet, rates: dict[str, dict], report: ImportReport, where: dict) -> None:
    for m in block.of("multiplier"):
        named = [_match(word, list(rates)) for word in [m.model] if word]
        targets = [n for n in named if n] or list(rates)
        label = m.label.lower()
        fields = [f for f in _PRICES if ("input" not in label and "output" not in label)
                  or (f == "output_mtok" and "output" in label) or (f != "output_mtok" and "input" in label)]
        touched = []
        for model in targets:
            for f in fields:
                if f in rates[model]:
                    rates[model][f] = rates[model][f] * m.value
                    touched.append(f)
        what = ", ".join(_PRICE_NAMES[f] for f in _PRICES if f in touched)
        report.find(f"{m.label!r} = {_n(m.value)}: the {what} rates of {', '.join(targets)} are multiplied by "
                    f"{_n(m.value)} (a surcharge on the list prices, as the budget applies it)",
                    severity=Severity.INFO, **where, cell=m.cell, field="input_mtok")
