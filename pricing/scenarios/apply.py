"""A scenario applied to its plan: plan in, plan out, so the one projection prices it.

Changes are applied in the order the scenario lists them, each to the workloads its scope
selects *as they stand after the changes before it* (swap a model, then discount the new
model).  A scope matches a tenant, feature, environment or workload name ignoring case and
surrounding spaces; a model scope matches a workload whose model resolves to the same rate.

* Requests ×, Tokens × multiply requests per month, or input and output tokens per request.
* Growth set to replaces the monthly growth; Growth shifted by adds to it (0.01 = one point).
* Start shifted by moves the first month by whole months (a workload starting with the plan
  starts from the plan's first month).
* Model swapped to: a model on the plan's rate sheet, else from the bundled catalog (its rate
  joins the scenario's rate sheet).  A model neither lists is a finding and the workload
  cannot be priced.  A context length or mode the new model does not offer is a finding.
* Mode changed to: Serverless or Batch, or the id of a dedicated endpoint or GPU cluster.
* Discount takes a share off the workload's cost; two discounts stack (10% then 10% is 19%).

A scenario without changes gives back the plan itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pricing.costing.rates import RateBook
from pricing.gc_pause import gc_paused
from pricing.plan.findings import Finding, Severity
from pricing.plan.models import DeploymentMode, ModelRate, Plan, Workload
from pricing.plan.months import add_months
from pricing.yielding import EVERY, giving_way
from pricing.plan.scenario_records import BASE, ChangeKind, Scenario, ScenarioChange, ScenarioScope


class UnknownScenario(LookupError):
    pass


@dataclass
class Applied:
    """A scenario's plan, and what applying it found."""

    plan: Plan
    scenario: Scenario | None
    findings: list[Finding] = field(default_factory=list)
    #: Each change that took effect, the workload rows it changed and, for a model or mode change,
    #: the fields it set (what the workbook's formulas restate).
    edits: list[tuple[ScenarioChange, list[int], dict]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.scenario.name if self.scenario else BASE


def find_scenario(plan: Plan, name: str | None) -> Scenario | None:
    """The plan's scenario called ``name`` (ignoring case); None for the base."""
    if name is None or name.strip().lower() in ("", BASE.lower()):
        return None
    for scenario in plan.scenarios:
        if scenario.name.lower() == name.strip().lower():
            return scenario
    known = ", ".join([BASE] + [s.name for s in plan.scenarios])
    raise UnknownScenario(f"the plan has no scenario {name!r} (it has {known})")


def apply_scenario(plan: Plan, scenario: Scenario | str | None, catalog: RateBook | None = None) -> Applied:
    """``plan`` with ``scenario``'s changes applied (a name is looked up in the plan)."""
    if scenario is None or isinstance(scenario, str):
        scenario = find_scenario(plan, scenario)
    if scenario is None or not scenario.changes:
        return Applied(plan, scenario)
    # A copy of every workload a change touches, none in a reference cycle: the cyclic collector's
    # passes over them only cost time, and a window applies a scenario on a worker, where a pass over
    # 100,000 workloads held the interpreter lock from its GUI thread 55-70 ms.
    with gc_paused(settle=True):
        state = _State(plan, scenario, catalog)
        for number, change in enumerate(scenario.changes, start=1):
            state.apply(number, change)
        return Applied(state.result(), scenario, state.findings, state.edits)


class _State:
    def __init__(self, plan: Plan, scenario: Scenario, catalog: RateBook | None):
        self.plan = plan
        self.scenario = scenario
        self.catalog = catalog
        self.workloads = list(plan.workloads)
        self.rates = list(plan.rates)
        self.book = RateBook.of(self.rates)
        self.findings: list[Finding] = []
        self.edits: list[tuple[ScenarioChange, list[int], dict]] = []

    def result(self) -> Plan:
        return self.plan.model_copy(update={"workloads": tuple(self.workloads), "rates": tuple(self.rates)})

    def note(self, number: int, change: ScenarioChange, message: str, severity=Severity.WARNING,
             workload: str | None = None, row: int | None = None) -> None:
        self.findings.append(Finding(f"scenario {self.scenario.name!r}, change {number} ({change.describe()}): {message}",
                                     severity, "scenario", workload, row))

    # ------------------------------------------------------------ scope
    def selects(self, w: Workload, change: ScenarioChange) -> bool:
        scope, name = change.applies_to, change.name.strip().lower()
        if scope is ScenarioScope.ALL:
            return True
        if scope is ScenarioScope.MODEL:
            if w.model.strip().lower() == name:
                return True
            mine, theirs = self.book.get(w.model), self.book.get(change.name)
            return mine is not None and mine is theirs
        attribute = "name" if scope is ScenarioScope.WORKLOAD else scope.value
        return str(getattr(w, attribute)).strip().lower() == name

    def apply(self, number: int, change: ScenarioChange) -> None:
        # Passes over every workload: a window applies a scenario on a worker while it paints (giving_way).
        rows = [i for i, w in enumerate(giving_way(self.workloads)) if self.selects(w, change)]
        if not rows:
            self.note(number, change, f"no workload has {change.applies_to} {change.name!r}; nothing changed")
            return
        try:
            edit = self._edit(number, change)
        except ValueError as exc:
            self.note(number, change, str(exc), Severity.ERROR)
            return
        self.edits.append((change, rows, edit(self.workloads[rows[0]]) if not change.change.numeric else {}))
        for i in giving_way(rows, EVERY * 8):  # a copy of a workload is ~10 µs: a few ms a slice
            update = edit(self.workloads[i])
            if update:
                self.workloads[i] = self.workloads[i].model_copy(update=update)
            if change.change is ChangeKind.MODEL:
                self._check_fit(number, change, i)

    def _edit(self, number: int, change: ScenarioChange):
        kind = change.change
        if kind is ChangeKind.MODEL:
            return self._swap(number, change)
        if kind is ChangeKind.MODE:
            return self._mode(change.value.strip())
        value = change.number
        first = self.plan.assumptions.first_month
        edits = {
            ChangeKind.REQUESTS: lambda w: {"requests_per_month": w.requests_per_month * value},
            ChangeKind.TOKENS: lambda w: {"input_tokens": w.input_tokens * value, "output_tokens": w.output_tokens * value},
            ChangeKind.GROWTH: lambda w: {"monthly_growth": value},
            ChangeKind.GROWTH_SHIFT: lambda w: {"monthly_growth": w.monthly_growth + value},
            ChangeKind.START_SHIFT: lambda w: {"start_month": add_months(w.start_month or first, int(value))},
            ChangeKind.DISCOUNT: lambda w: {"discount": 1 - (1 - w.discount) * (1 - value)},
        }
        return edits[kind]

    def _swap(self, number: int, change: ScenarioChange):
        target = change.value.strip()
        rate = self.book.get(target)
        if rate is None and self.catalog is not None:
            rate = self.catalog.get(target)
            if rate is not None:
                self.rates.append(rate)
                self.book = RateBook.of(self.rates)
                self.note(number, change, f"{rate.id} is not on the rate sheet; priced from the bundled catalog",
                          Severity.INFO)
        if rate is None:
            where = "the rate sheet or the bundled catalog" if self.catalog is not None else "the rate sheet"
            self.note(number, change, f"model {target!r} is not on {where}; the workloads it moves cannot be priced",
                      Severity.ERROR)
            return lambda w: {"model": target}
        return lambda w: {"model": rate.id}

    def _check_fit(self, number: int, change: ScenarioChange, i: int) -> None:
        w = self.workloads[i]
        rate: ModelRate | None = self.book.get(w.model)
        if rate is None:
            return
        tokens = w.input_tokens + w.output_tokens
        if rate.context_length is not None and tokens > rate.context_length:
            self.note(number, change, f"{tokens:,} tokens a request do not fit {rate.id}'s context length of "
                      f"{rate.context_length:,}", Severity.ERROR, w.name, i)
        if w.mode not in rate.modes:
            offered = ", ".join(m.label for m in rate.modes) or "no mode"
            self.note(number, change, f"{rate.id} does not offer {w.mode.label} (it offers {offered})",
                      Severity.WARNING, w.name, i)

    def _mode(self, value: str):
        endpoints = {e.id.lower(): e.id for e in self.plan.endpoints}
        clusters = {c.id.lower(): c.id for c in self.plan.clusters}
        key = value.lower()
        if key in endpoints:
            return lambda w: {"mode": DeploymentMode.DEDICATED, "capacity": endpoints[key]}
        if key in clusters:
            return lambda w: {"mode": DeploymentMode.GPU_CLUSTER, "capacity": clusters[key]}
        mode = DeploymentMode.parse(value)
        if mode.per_token:
            return lambda w: {"mode": mode, "capacity": None}
        pool = endpoints if mode is DeploymentMode.DEDICATED else clusters
        if len(pool) != 1:
            kind = "dedicated endpoint" if mode is DeploymentMode.DEDICATED else "GPU cluster"
            raise ValueError(f"name the {kind} by its id ({', '.join(pool.values()) or 'the plan has none'})")
        only = next(iter(pool.values()))
        return lambda w: {"mode": mode, "capacity": only}


def scenario_names(plan: Plan) -> list[str]:
    """The base, then the plan's scenarios in order."""
    return [BASE] + [s.name for s in plan.scenarios]


def applied_all(plan: Plan, catalog: RateBook | None = None) -> list[Applied]:
    return [apply_scenario(plan, None)] + [apply_scenario(plan, s, catalog) for s in plan.scenarios]


def reprice_with_catalog(plan: Plan, catalog: RateBook) -> tuple[Plan, list[Finding]]:
    """``plan`` with each rate-sheet model at the bundled catalog's rates ("what does the new price list do?")."""
    rates: list[ModelRate] = []
    findings: list[Finding] = []
    for rate in plan.rates:
        listed = catalog.get(rate.id)
        if listed is None:
            findings.append(Finding(f"{rate.id} is not in the bundled catalog; its rate-sheet rates are kept",
                                    Severity.INFO, "model"))
            rates.append(rate)
        else:
            rates.append(rate.model_copy(update={"versions": listed.versions, "batch_discount": listed.batch_discount,
                                                 "batch_discounts_cached_input": listed.batch_discounts_cached_input}))
    return plan.model_copy(update={"rates": tuple(rates)}), findings

