"""A plan's rates under its terms, month by month: discounts first, then the FX conversion.

    price in a month = list price (rate sheet, ``terms.rates_currency``)
                       × (1 − the discount in force)          percentage terms
                       × FX (plan currency per USD that month) when the sheet is in USD

A contract-rate term replaces the first two steps: its input and output rates (in the plan's
currency, never converted) set a ratio to the list input and output prices, and every other
price scales by the ratio of its side (cached input, cache writes, input tiers and fees by the
input ratio; output prices by the output ratio; one given rate sets both).  When several terms
are in force for a model in a month, a contract-rate term wins, else the largest percentage;
terms never stack.

``rate_sheet`` rewrites each ModelRate with one version per run of months priced alike, so the
engine's month-by-month pricing applies the terms without knowing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fnmatch import fnmatchcase

from pricing.plan.findings import Finding, Severity
from pricing.plan.models import DedicatedEndpoint, GpuCluster, ModelRate, Plan, RateVersion
from pricing.plan.money import ONE, format_money, format_number, format_rate
from pricing.plan.months import add_months, label
from pricing.plan.terms import Discount, Reservation
from pricing.terms.fx import FxTable
from pricing.terms.prices import output_side, scale_prices


def matches(term: Discount, rate: ModelRate) -> bool:
    """Whether ``term`` names ``rate``: its provider, its model (full or bare id), or its family pattern."""
    if term.provider.strip() and term.provider.strip().lower() != rate.provider.lower():
        return False
    pattern = term.model.strip().lower()
    if not pattern:
        return True
    names = (rate.id.lower(), rate.model_id.lower())
    if "*" in pattern or "?" in pattern:
        return any(fnmatchcase(n, pattern) for n in names)
    return pattern in names


@dataclass(frozen=True)
class Step:
    """One step of a price under terms, for the Explain panel: 'list $3.00 × (1 − 20%) = $2.40'."""

    text: str
    value: Decimal


class TermsPricer:
    """Applies a plan's discounts, reservations and FX table over the projection's months."""

    def __init__(self, plan: Plan, months: list[date]):
        self.plan = plan
        self.months = months
        self.terms = plan.terms
        self.currency = plan.assumptions.currency
        self.locale = plan.assumptions.locale
        self.fx = FxTable(self.terms.fx)
        self.convert = self.terms.rates_currency != self.currency
        self.findings: list[Finding] = []
        if self.convert and self.terms.rates_currency != "USD" and self.currency != "USD":
            self.findings.append(Finding(
                f"the rate sheet is in {self.terms.rates_currency} and the plan in {self.currency}: the FX table "
                "gives rates per US dollar only, so the rates are shown unconverted", Severity.ERROR, "currency"))
            self.convert = False
        elif self.convert and not self.fx:
            self.findings.append(Finding(
                f"the rate sheet is in {self.terms.rates_currency} and the plan in {self.currency}, but the FX table "
                f"is empty: {self.terms.rates_currency} prices are shown as {self.currency} unconverted",
                Severity.ERROR, "currency"))
            self.convert = False
        elif self.convert and months and self.fx.before_first(months[0]):
            self.findings.append(Finding(
                f"the FX table starts in {label(self.fx.rates[0].month)}; earlier months use its first rate",
                Severity.WARNING, "currency"))

    # ---------------------------------------------------------------- factors
    def fx_factor(self, month: date) -> Decimal:
        """What one unit of the rate sheet's currency is in the plan's currency in ``month``."""
        if not self.convert:
            return ONE
        rate = self.fx.rate_on(month)
        assert rate is not None
        # USD sheet in a EUR plan: × EUR per USD; EUR sheet in a USD plan: ÷ EUR per USD.
        return rate if self.terms.rates_currency == "USD" else ONE / rate

    def term_for(self, rate: ModelRate, month: date) -> Discount | None:
        """The term pricing ``rate`` in ``month``: a contract-rate term, else the largest percentage."""
        best: Discount | None = None
        for term in self.terms.discounts:
            if not term.in_force(month) or not matches(term, rate):
                continue
            if best is None:
                best = term
            elif term.percent_off is None:  # contract rates win (the later one among several)
                best = term
            elif best.percent_off is not None and term.percent_off > best.percent_off:
                best = term
        return best

    def ratios(self, term: Discount, version: RateVersion) -> tuple[Decimal, Decimal] | None:
        """(input-side, output-side) ratio of a contract-rate term to ``version``'s list prices."""
        r_in = r_out = None
        if term.input_mtok is not None and version.input_mtok > 0:
            r_in = term.input_mtok / version.input_mtok
        if term.output_mtok is not None and version.output_mtok > 0:
            r_out = term.output_mtok / version.output_mtok
        if r_in is None and r_out is None:
            return None
        return (r_in if r_in is not None else r_out), (r_out if r_out is not None else r_in)

    def factors(self, rate: ModelRate, version: RateVersion, month: date) -> tuple[Decimal, Decimal]:
        """(input-side, output-side) factor from ``version``'s list prices to what ``month`` bills.

        A contract-rate term's ratios (its rates are in the plan's currency: no FX), else
        (1 − the percentage in force) × FX on both sides.  The workbook's Billing sheet restates this.
        """
        term = self.term_for(rate, month)
        if term is not None and term.percent_off is None:
            ratios = self.ratios(term, version)
            if ratios is not None:
                return ratios
        factor = self.fx_factor(month)
        if term is not None and term.percent_off:
            factor = (ONE - term.percent_off) * factor
        return factor, factor

    def version_in(self, rate: ModelRate, version: RateVersion, month: date) -> RateVersion:
        """``version``'s prices as billed in ``month`` under the terms, in the plan's currency."""
        f_in, f_out = self.factors(rate, version, month)
        if f_in == f_out == ONE:
            return version
        return scale_prices(version, lambda path, p: p * (f_out if output_side(path) else f_in))

    # ---------------------------------------------------------------- rate sheet
    def rate_sheet(self, rates: tuple[ModelRate, ...]) -> tuple[ModelRate, ...]:
        """The plan's rates with terms applied: one version per run of months priced alike."""
        if not self.months or (not self.terms.discounts and not self.convert):
            return rates
        return tuple(self.rate(r) for r in rates)

    def rate(self, rate: ModelRate) -> ModelRate:
        versions: list[RateVersion] = []
        last_key = None
        for i, month in enumerate(self.months):
            listed = rate.version_on(month)
            term = self.term_for(rate, month)
            self._note_contract_on_windows(rate, listed, term)
            key = (id(listed), id(term), self.fx_factor(month))
            if key == last_key:
                continue
            last_key = key
            priced = self.version_in(rate, listed, month)
            start = None if i == 0 else month
            versions.append(priced.model_copy(update={"effective_from": start}))
        if tuple(versions) == rate.versions:
            return rate
        return rate.model_copy(update={"versions": tuple(versions)})

    def _note_contract_on_windows(self, rate: ModelRate, version: RateVersion, term: Discount | None) -> None:
        """Contract rates are ratios to the version's own (base) prices; where the model is also
        priced by time of day, that base may be its off-peak price, so say how the others follow."""
        if term is None or term.percent_off is not None or not version.windows:
            return
        message = (f"{rate.id} has time-of-day prices: its contract rates are taken against its listed base "
                   f"price (input {version.input_mtok}, output {version.output_mtok} per 1M) and every window's "
                   "price is scaled by the same ratio; check that this is what the contract says")
        if all(f.message != message for f in self.findings):
            self.findings.append(Finding(message, Severity.WARNING, "terms"))

    # ---------------------------------------------------------------- capacity
    def reservation_for(self, capacity_id: str, month: date) -> Reservation | None:
        for res in self.terms.reservations:
            if res.capacity == capacity_id and res.starts <= month < add_months(res.starts, res.months):
                return res
        return None

    def capacity_in(self, item: DedicatedEndpoint | GpuCluster, month: date):
        """An endpoint or cluster as billed in ``month``: prices converted, a reserved GPU-hour rate in force."""
        factor = self.fx_factor(month)
        priced = item if factor == ONE else scale_prices(item, lambda path, p: p * factor)
        res = self.reservation_for(item.id, month)
        if res is not None:
            priced = priced.model_copy(update={"gpu_hour_rate": res.gpu_hour_rate, "monthly_commitment": None})
        return priced

    # ---------------------------------------------------------------- explanation
    def steps(self, rate: ModelRate, field: str, month: date) -> list[Step]:
        """How one price of ``rate`` (``input_mtok``, ``output_mtok``...) is billed in ``month``."""
        listed = rate.version_on(month)
        value = getattr(listed, field, None)
        if value is None:
            return []
        src = self.terms.rates_currency
        steps = [Step(f"list {format_rate(value, src, self.locale)}", value)]
        term = self.term_for(rate, month)
        if term is not None and term.percent_off is None:
            ratios = self.ratios(term, listed)
            if ratios is not None:
                r = ratios[1] if output_side(field) else ratios[0]
                new = value * r
                steps.append(Step(f"× contract {format_number(r, 8, self.locale)} ({term.label}) = "
                                  f"{format_rate(new, self.currency, self.locale)}", new))
                return steps
        if term is not None and term.percent_off:
            value = value * (ONE - term.percent_off)
            pct = format_number(term.percent_off * 100, 4, self.locale) + "%"
            steps.append(Step(f"× (1 − {pct}) = {format_rate(value, src, self.locale)}", value))
        if self.convert:
            fx = self.fx_factor(month)
            value = value * fx
            pair = f"{self.currency}/{src}" if src == "USD" else f"{src}/{self.currency} inverted"
            steps.append(Step(f"× {format_number(self.fx.rate_on(month), 8, self.locale)} {pair} = "
                              f"{format_money(value, 2, self.currency, self.locale, max_places=6)}", value))
        return steps

    def explain(self, rate: ModelRate, field: str, month: date) -> str:
        return "; ".join(s.text for s in self.steps(rate, field, month))

