"""Putting the extracted rows together into a plan, each workload tied to a rate.

A workload's model is looked up first on the file's own rate sheet (or the prices written
on its row), then in the bundled catalog, whose rate is copied into the plan; a model
found in neither is reported and the workload kept.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import ValidationError

from pricing.plan.checked_workloads import made_from
from pricing.plan.findings import Severity
from pricing.plan.money import ZERO
from pricing.importer.report import ImportReport
from pricing.importer.tables import Extracted, RateRow
from pricing.plan.terms import Terms
from pricing.plan.models import Assumptions, DeploymentMode, ModelRate, Plan, RateVersion, Workload
from pricing.costing.rates import MAKERS, AmbiguousModel, RateBook, UnknownModel

IMPORTED = "imported"
_validate = Workload.__pydantic_validator__.validate_python
#: The maker of a model family, preferred when several providers list the same model id.
_MAKERS = MAKERS


def _workload(data: dict, row, report: ImportReport) -> Workload:
    """The row's workload; a figure the plan cannot hold (beyond its bounds, e.g. requests worked
    out from a month series) is reported on the row and left at 0, so the row is kept and flagged.

    A row whose values were not all checked by column (``WorkloadRow.held``) is validated here."""
    try:
        return _validate(data)  # Workload(**data), without the keyword arguments
    except ValidationError as exc:
        fixed = dict(data)
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            if field not in fixed:
                raise
            message = str(err["msg"]).removeprefix("Value error, ")
            report.find(f"{message}; 0 is used", workload=data.get("name"), **row.place, field=field)
            fixed[field] = ZERO
        return Workload(**fixed)


def build_plan(extracted: Extracted, report: ImportReport, catalog: RateBook | None, name: str,
               currency: str = "USD", today: date | None = None, provider: str | None = None) -> Plan:
    rates = _rates_from_rows(extracted.rates, report)
    for row in extracted.workloads:
        if row.prices:
            _rate_from_workload(row, rates, report)
    local = RateBook.of(rates.values())
    by_name = {r.display_name.lower(): r for r in rates.values() if r.display_name}
    chosen: dict[str, ModelRate] = dict(rates)
    workloads = []
    catalog_used: dict[str, int] = {}  # what the report says of a catalog rate used -> the workloads using it
    local_index = {key: r for r in rates.values() for key in (r.id.lower(), r.model_id.lower())}
    local_index.update(by_name)
    looked_up: dict[tuple[str, str], tuple[ModelRate | None, str | None]] = {}

    def resolve(provider_given: str, model: str) -> tuple[ModelRate | None, str | None, str | None]:
        """The rate of a row's model, what the report says of a catalog rate used, and why there is none."""
        reference = f"{provider_given}/{model}" if provider_given and "/" not in model else model
        rate = local_index.get(reference.lower()) or local_index.get(model.lower())
        if rate is None and len(rates) and local.get(reference) is not None:
            rate = local.get(reference)
        if rate is None and catalog is not None and model != "(no model)":
            key = (reference, model)
            if key not in looked_up:
                looked_up[key] = _from_catalog(catalog, reference, model, provider_given or provider)
            rate, problem = looked_up[key]
            if rate is not None:
                chosen.setdefault(rate.id.lower(), rate)
                return rate, f"{model!r} → {rate.id}", None
            if problem:
                return None, None, f"{problem}; the workload is kept and cannot be priced until you pick a model"
        return rate, None, None

    # A row's rate depends only on its provider and model: each pair is resolved once.
    resolved: dict[tuple[str, str], tuple[dict | None, str | None, str | None]] = {}
    append = workloads.append
    for row in extracted.workloads:
        data = row.workload
        model = data["model"]
        got = resolved.get((row.provider, model))
        if got is None:
            rate, used, problem = resolve(row.provider, model)
            if used is not None:
                catalog_used.setdefault(used, 0)
            got = resolved[(row.provider, model)] = ({"model": rate.id} if rate is not None else None, used,
                                                     problem if used is None else None)
        renamed, used, problem = got
        if used is not None:
            catalog_used[used] += 1
        if problem is not None:
            report.find(problem, severity=Severity.ERROR, workload=data["name"], **row.place, field="model")
        if row.held is not None:  # each value one a Workload holds as it is: made without validating
            append(made_from(data, row.held, renamed))
        else:
            append(_workload(data | renamed if renamed is not None else data, row, report))
    for text, count in catalog_used.items():
        report.decide(f"model {text}: not on a rate sheet in the file, priced from the bundled catalog "
                      f"({count} workload(s))")
    starts = [w.start_month for w in workloads if w.start_month]
    today = today or date.today()
    columns = extracted.month_columns_from
    if columns and (not starts or min(columns) <= min(starts)):
        first, why = min(columns), "the earliest month column in the file"
    elif starts:
        first, why = min(starts), "the earliest start month in the file"
    else:
        first, why = today.replace(day=1), "this month: no start month in the file"
    report.decide(f"first month {first:%Y-%m} ({why}); horizon 36 months")
    terms = _currency_terms(currency, bool(rates), catalog_used, report)
    return Plan(
        name=name,
        terms=terms,
        assumptions=Assumptions(first_month=first, horizon_months=36, currency=currency),
        rates=tuple(chosen.values()),
        workloads=tuple(workloads),
        endpoints=tuple(extracted.endpoints),
        clusters=tuple(extracted.clusters),
    )


def _currency_terms(currency: str, own_rates: bool, catalog_used: dict, report: ImportReport) -> Terms:
    """A budget priced in € becomes a EUR plan; it never silently mixes its € prices with USD catalog rates.

    Prices read from the file are in its currency (the rate sheet's currency); with none, the
    rate sheet is the catalog's USD and an FX table converts it (the projection says when it is missing).
    """
    if currency == "USD":
        return Terms()
    if not own_rates:
        report.decide(f"a {currency} plan priced from the USD catalog: enter an FX table ({currency} per USD) "
                      "on the Terms tab to convert its rates")
        return Terms()
    for text in catalog_used:
        report.find(f"model {text} comes from the USD catalog but this plan's rate sheet is in {currency}: "
                    f"its USD rates would be read as {currency}; type its {currency} rates on the Rates sheet",
                    severity=Severity.ERROR, field="model")
    return Terms(rates_currency=currency)


def _from_catalog(catalog: RateBook, reference: str, model: str, provider: str | None = None,
                  explain: bool = True) -> tuple[ModelRate | None, str | None]:
    """The catalog's rate for a model a budget names, or None and why not (``explain=False``:
    only whether it is listed, without the 'did you mean' search for one that is not)."""
    if provider:  # the file or the user says whose API the model id is
        try:
            return catalog.resolve_logged(model, provider), None
        except LookupError:
            pass
    elif "/" in model:
        try:
            catalog.resolve_logged(model)
        except AmbiguousModel as exc:
            # One provider's full id and another's model id ('openai/gpt-oss-120b'): ask, never guess.
            return None, str(exc).replace("(--provider)", "(--provider, or pick the model)")
        except UnknownModel:
            pass
    for ref in dict.fromkeys((reference, model)):
        try:
            return catalog.resolve(ref), None
        except AmbiguousModel as exc:
            maker = _maker(model)
            picks = [c for c in exc.candidates if maker and c.startswith(maker + "/")]
            if len(picks) == 1:
                return catalog.resolve(picks[0]), None
            return None, str(exc)
        except UnknownModel as exc:
            # Its message (and its 'did you mean' search) only if it is the answer; kept without its
            # traceback, whose frames hold this one (a cycle keeping the whole import alive).
            unknown = exc.with_traceback(None)
    loose = _loose_match(catalog, model)
    if loose is not None:
        return loose, None
    return None, str(unknown) if explain else None


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_LOOSE_INDEX: dict[int, tuple[RateBook, tuple[dict[str, list[ModelRate]], dict[str, list[ModelRate]]]]] = {}


def _loose_match(catalog: RateBook, model: str) -> ModelRate | None:
    """'Claude Sonnet 4.5', 'claude sonnet 4.5', 'GPT 4o': the catalog's display names and ids
    with case, spaces and punctuation ignored; the maker breaks ties between providers."""
    cached = _LOOSE_INDEX.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        by_id: dict[str, list[ModelRate]] = {}
        by_name: dict[str, list[ModelRate]] = {}
        for rate in catalog:
            by_id.setdefault(_loose(rate.model_id.split("/")[-1]), []).append(rate)
            if _loose(rate.display_name):
                by_name.setdefault(_loose(rate.display_name), []).append(rate)
        cached = _LOOSE_INDEX[id(catalog)] = (catalog, (by_id, by_name))
    key = _loose(model.split("/")[-1])
    maker = _maker(model)
    # An id that matches beats a display name that does ('Gemini 1.5 Pro' is gemini-1.5-pro, not gemini-pro-1.5).
    for index in cached[1]:
        found = index.get(key, [])
        if len(found) > 1:
            found = [r for r in found if r.provider == maker]
        if len(found) == 1:
            return found[0]
    return None


def _maker(model: str) -> str | None:
    key = model.lower().split("/")[-1]
    for prefix, maker in _MAKERS.items():
        if key.startswith(prefix):
            return maker
    return None


def _rates_from_rows(rows: list[RateRow], report: ImportReport) -> dict[str, ModelRate]:
    grouped: dict[str, list[RateRow]] = {}
    for row in rows:
        provider = row.provider.strip().lower().replace(" ", "-") or IMPORTED
        model = row.model.strip()
        if model.lower().startswith(provider + "/"):
            model = model[len(provider) + 1:]
        grouped.setdefault(f"{provider}/{model}".lower(), []).append(row)
        row.provider, row.model = provider, model
    rates: dict[str, ModelRate] = {}
    for key, group in grouped.items():
        versions: dict[date | None, RateVersion] = {}
        for row in group:
            if row.effective_from in versions:
                report.find(f"{row.model} has two rates from {row.effective_from or 'the same date'}; the first is kept",
                            severity=Severity.WARNING, **row.place, field="effective_from")
                continue
            version = _version(report, row.place, effective_from=row.effective_from, input_mtok=row.input_mtok,
                               output_mtok=row.output_mtok, cached_input_mtok=row.cached_input_mtok,
                               cache_write_mtok=row.cache_write_mtok)
            if version is not None:
                versions[row.effective_from] = version
        if not versions:
            continue
        first = group[0]
        discount = first.batch_discount if first.batch_discount is not None and 0 <= first.batch_discount <= 1 else None
        rates[key] = ModelRate(provider=first.provider, model_id=first.model, display_name=first.display_name,
                               context_length=first.context_length, modes=first.modes,
                               versions=tuple(versions.values()), batch_discount=discount,
                               source=f"imported from {first.place.get('file')}")
    return rates


def _version(report: ImportReport, place: dict, **fields) -> RateVersion | None:
    """A rate version, or None and a finding when the prices cannot be one (a negative price)."""
    try:
        return RateVersion(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        report.find(f"this rate cannot be used: {name}: {first['msg']}", **(place | {"field": name}))
        return None


def _rate_from_workload(row, rates: dict[str, ModelRate], report: ImportReport) -> None:
    model = row.workload["model"]
    provider = (row.provider or IMPORTED).strip().lower().replace(" ", "-")
    key = f"{provider}/{model}".lower()
    prices = row.prices
    version = _version(report, row.place, input_mtok=prices.get("input_mtok", 0),
                       output_mtok=prices.get("output_mtok", 0), cached_input_mtok=prices.get("cached_input_mtok"),
                       cache_write_mtok=prices.get("cache_write_mtok"))
    if version is None:
        return
    existing = rates.get(key)
    if existing is not None:
        if existing.current.input_mtok != version.input_mtok or existing.current.output_mtok != version.output_mtok:
            report.find(f"{model} is priced differently on another row; the first price is kept",
                        severity=Severity.WARNING, **row.place, field="input_mtok")
        return
    if "input_mtok" not in prices or "output_mtok" not in prices:
        report.find(f"{model}: only part of its price is written on the row; the missing rate is 0",
                    severity=Severity.WARNING, **row.place, field="output_mtok" if "input_mtok" in prices else "input_mtok")
    rates[key] = ModelRate(provider=provider, model_id=model, versions=(version,),
                           modes=tuple(dict.fromkeys((DeploymentMode.SERVERLESS, DeploymentMode.BATCH,
                                                      row.workload["mode"]))),
                           source=f"prices written on the workload rows of {row.place.get('file')}")
