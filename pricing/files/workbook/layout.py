"""Where everything sits in a plan workbook: sheet names, input columns and their formats.

The writer and the reader share these tables, so a column is named, formatted and parsed
in one place.  Input sheets are read by header text, not by position, so a user may
reorder or add columns; the computed sheets' formulas point at the positions written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pricing.files.workbook.styles import Style

FORMAT_MARK = "tokenbudget-plan-workbook/1"

ASSUMPTIONS = "Assumptions"
RATES = "Rates"
WORKLOADS = "Workloads"
ENDPOINTS = "Endpoints"
CLUSTERS = "Clusters"
COSTS = "Costs"
PROJECTION = "Projection"
SUMMARY = "Summary"
MODES = "Modes"
CAPACITY = "Capacity"
SCENARIOS = "Scenarios"
ACTIVE = "Active workloads"
SCENARIO_TOTALS = "Scenario totals"
META = "TokenBudget"
TERMS = "Terms"
COMMITMENTS = "Commitments"
CREDITS = "Credits"
RESERVATIONS = "Reservations"
FX = "FX"
BILLING = "Billing"
TERMS_SHEETS = (TERMS, COMMITMENTS, CREDITS, RESERVATIONS, FX)

BUDGETS = "Budgets"
ACTUALS = "Actuals"
VARIANCE = "Variance"

INPUT_SHEETS = (ASSUMPTIONS, RATES, WORKLOADS, ENDPOINTS, CLUSTERS, SCENARIOS) + TERMS_SHEETS + (BUDGETS, ACTUALS)
COMPUTED_SHEETS = (COSTS, PROJECTION, SUMMARY, MODES, CAPACITY, ACTIVE, SCENARIO_TOTALS, BILLING, VARIANCE)
OWN_SHEETS = INPUT_SHEETS + COMPUTED_SHEETS + (META,)

MODE_LABELS = ("Serverless", "Batch", "Dedicated", "GPU cluster")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # text, count, rate, money, percent, date, month, bool, int, number, modes
    width: float = 14
    required: bool = False

    @property
    def style(self) -> int:
        return _STYLE_OF_KIND[self.kind]


_STYLE_OF_KIND = {
    "text": Style.TEXT, "mode": Style.TEXT, "modes": Style.TEXT, "count": Style.COUNT, "int": Style.COUNT,
    "rate": Style.RATE, "money": Style.MONEY, "percent": Style.PERCENT, "date": Style.DATE, "month": Style.MONTH,
    "bool": Style.BOOL, "number": Style.NUMBER,
}


# Assumptions: one setting per row (label, field, kind); the value sits in column B.
ASSUMPTION_ROWS = (
    ("Plan name", "name", "text"),
    ("Currency", "currency", "text"),
    ("Locale", "locale", "text"),
    ("Rate sheet currency", "rates_currency", "text"),
    ("First month", "first_month", "month"),
    ("Horizon (months)", "horizon_months", "int"),
    ("Hours per month", "hours_per_month", "number"),
    ("Batch discount", "batch_discount", "percent"),
    ("Batch token limit per model", "batch_token_limit", "count"),
    ("Fiscal year starts in month", "fiscal_year_start", "int"),
)
ASSUMPTION_NOTES = {
    "currency": "ISO 4217 code; every figure is in it (the FX sheet converts USD rates)",
    "locale": "How figures are written: en_US, de_DE, fr_FR ...",
    "rates_currency": "The currency of the Rates, Endpoints and Clusters sheets (the catalog's: USD)",
    "first_month": "The projection's first month",
    "horizon_months": "12 to 36",
    "hours_per_month": "GPU-hour billing: 730 by the cloud calculators' convention",
    "batch_discount": "Default Batch discount; a model's own discount on the Rates sheet wins",
    "batch_token_limit": "Enqueued Batch tokens allowed per model",
    "fiscal_year_start": "1 = January",
}


def assumption_cell(field: str) -> str:
    """Absolute reference of an assumption's value, for formulas."""
    for i, (_label, name, _kind) in enumerate(ASSUMPTION_ROWS):
        if name == field:
            return f"{ASSUMPTIONS}!$B${i + 2}"
    raise KeyError(field)


RATE_COLUMNS = (
    Column("Provider", "provider", "text", 12, True),
    Column("Model ID", "model_id", "text", 34, True),
    Column("Display name", "display_name", "text", 28),
    Column("Context length", "context_length", "int", 12),
    Column("Modes", "modes", "modes", 28),
    Column("Effective from", "effective_from", "date", 12),
    Column("Input $/1M", "input_mtok", "rate", 11, True),
    Column("Cached input $/1M", "cached_input_mtok", "rate", 11),
    Column("Cache write $/1M", "cache_write_mtok", "rate", 11),
    Column("Output $/1M", "output_mtok", "rate", 11, True),
    Column("Batch discount", "batch_discount", "percent", 10),
    Column("Batch discounts cached input", "batch_discounts_cached_input", "bool", 10),
    Column("Source", "source", "text", 30),
    Column("Cache write 1 h $/1M", "cache_write_1h_mtok", "rate", 11),
    Column("Reasoning $/1M", "reasoning_mtok", "rate", 11),
    Column("Request fee $/1K requests", "request_fee_kcount", "rate", 11),
    Column("Time windows (UTC)", "windows", "text", 30),
)
TIER_FIELDS = (
    ("above tokens", "above_input_tokens", "int"),
    ("inclusive", "inclusive", "bool"),
    ("input $/1M", "input_mtok", "rate"),
    ("cached input $/1M", "cached_input_mtok", "rate"),
    ("cache write $/1M", "cache_write_mtok", "rate"),
    ("output $/1M", "output_mtok", "rate"),
    ("cache write 1 h $/1M", "cache_write_1h_mtok", "rate"),
    ("reasoning $/1M", "reasoning_mtok", "rate"),
)
# Helper columns the writer adds after the inputs (formulas; the reader ignores them).
RATE_KEY = "Key (provider/model)"
RATE_FROM = "From (serial)"
RATE_VERSION_NO = "Version #"
RATE_VERSIONS = "Versions"
#: The engine's price lists of a version with time windows (pricing.costing.engine.price_sets): the
#: standard (dearest of the day) and off-peak (cheapest) per-1M rates, fallbacks applied, and the fee
#: per request; written after the other helpers, only when some version of the plan has windows.  A
#: blank rate is the version's own (its prompt tiers apply); "Off-peak" says whether there is one.
PRICE_SET_RATES = (("input", "input $/1M"), ("cached", "cached input $/1M"), ("write", "cache write $/1M"),
                   ("write_1h", "cache write 1 h $/1M"), ("output", "output $/1M"), ("reasoning", "reasoning $/1M"),
                   ("fee", "fee / request"))
PRICE_SETS = (("standard", "Standard"), ("off_peak", "Off-peak"))


def price_set_columns() -> list[Column]:
    return [Column("Off-peak (time windows)", "off_peak.has", "int", 10)] + [
        Column(f"{label} {header} (time windows)", f"{name}.{key}", "rate", 11)
        for name, label in PRICE_SETS for key, header in PRICE_SET_RATES]


def tier_columns(count: int) -> list[Column]:
    cols = []
    for t in range(1, count + 1):
        for label, name, kind in TIER_FIELDS:
            cols.append(Column(f"Tier {t} {label}", f"tier{t}.{name}", kind, 11))
    return cols


WORKLOAD_COLUMNS = (
    Column("Workload", "name", "text", 30, True),
    Column("Model", "model", "text", 36, True),
    Column("Mode", "mode", "mode", 12),
    Column("Input tokens", "input_tokens", "count", 12, True),
    Column("Output tokens", "output_tokens", "count", 12, True),
    Column("Cached share", "cached_share", "percent", 10),
    Column("Requests / month", "requests_per_month", "count", 14, True),
    Column("Monthly growth", "monthly_growth", "percent", 10),
    Column("Start month", "start_month", "month", 11),
    Column("Tenant", "tenant", "text", 18),
    Column("Feature", "feature", "text", 18),
    Column("Environment", "environment", "text", 12),
    Column("Capacity", "capacity", "text", 14),
    Column("Discount", "discount", "percent", 10),
    Column("Notes", "notes", "text", 30),
    Column("Cache write share", "cache_write_share", "percent", 10),
    Column("Cache write 1 h share", "cache_write_1h_share", "percent", 10),
    Column("Reasoning tokens", "reasoning_tokens", "count", 12),
    Column("Off-peak share", "off_peak_share", "percent", 10),
)

# Scenarios: one change per row; a row without a change declares a scenario with none.
SCENARIO_COLUMNS = (
    Column("Scenario", "scenario", "text", 22, True),
    Column("Applies to", "applies_to", "text", 12),
    Column("Name", "name", "text", 30),
    Column("Change", "change", "text", 24),
    Column("Value", "value", "text", 30),
)
SCENARIO_NAMES_COL = 8  # column H of the Scenarios sheet lists Base and the scenarios for the dropdown
ACTIVE_SCENARIO = "Active scenario"
ACTIVE_SCENARIO_NO = "Active scenario #"


def active_scenario_cell(number: bool = False) -> str:
    """Assumptions cell holding the active scenario's name (or, ``number``, its position: 1 = Base)."""
    return f"{ASSUMPTIONS}!$B${len(ASSUMPTION_ROWS) + 2 + (1 if number else 0)}"

ENDPOINT_COLUMNS = (
    Column("ID", "id", "text", 16, True),
    Column("Name", "name", "text", 22),
    Column("Model", "model", "text", 34, True),
    Column("GPU type", "gpu_type", "text", 12),
    Column("GPUs per replica", "gpus_per_replica", "int", 10),
    Column("Replicas", "replicas", "int", 9),
    Column("GPU-hour rate", "gpu_hour_rate", "rate", 11),
    Column("Monthly commitment", "monthly_commitment", "money", 14),
    Column("Included tokens", "included_tokens", "count", 16),
    Column("Overage $/1M", "overage_mtok", "rate", 11),
    Column("Hours per month", "hours_per_month", "number", 10),
    Column("Throughput tokens/s per replica", "throughput_tokens_per_s", "count", 14),
    Column("Notes", "notes", "text", 30),
)

CLUSTER_COLUMNS = (
    Column("ID", "id", "text", 16, True),
    Column("Name", "name", "text", 22),
    Column("GPU type", "gpu_type", "text", 12),
    Column("GPU count", "gpu_count", "int", 9, True),
    Column("GPU-hour rate", "gpu_hour_rate", "rate", 11, True),
    Column("Hours per month", "hours_per_month", "number", 10),
    Column("Storage / month", "storage_monthly", "money", 12),
    Column("Networking / month", "networking_monthly", "money", 12),
    Column("Throughput tokens/s per GPU", "throughput_tokens_per_s_per_gpu", "count", 14),
    Column("Notes", "notes", "text", 30),
)


BUDGET_COLUMNS = (
    Column("Budget", "name", "text", 26),
    Column("Scope", "scope", "text", 12),
    Column("Tenant / feature / environment / model", "value", "text", 26),
    Column("Period", "period", "text", 12),
    Column("Amount", "amount", "money", 14, True),
    Column("Currency", "currency", "text", 9),
)

#: Actual spend as loaded: values with their source (the reader reads them back into Plan.actuals).
ACTUAL_COLUMNS = (
    Column("Source", "source", "text", 16, True),
    Column("File", "file", "text", 26),
    Column("Month", "month", "month", 11, True),
    Column("Workload", "workload", "text", 28),
    Column("Unmatched spend", "label", "text", 34),
    Column("Model", "model", "text", 30),
    Column("Cost", "cost", "money", 14, True),
    Column("Currency", "currency", "text", 9),
    Column("Requests", "requests", "count", 12),
    Column("Input tokens", "input_tokens", "count", 14),
    Column("Cached tokens", "cached_tokens", "count", 14),
    Column("Output tokens", "output_tokens", "count", 14),
)


def position(columns, field: str) -> int:
    """1-based column index of ``field`` in ``columns``."""
    for i, c in enumerate(columns, start=1):
        if c.field == field:
            return i
    raise KeyError(field)


# Contract terms (pricing.plan.terms): one table per sheet, read back on open.
DISCOUNT_COLUMNS = (
    Column("Provider", "provider", "text", 12),
    Column("Model or family", "model", "text", 30),
    Column("Starts", "starts", "month", 11),
    Column("Ends", "ends", "month", 11),
    Column("Percent off", "percent_off", "percent", 11),
    Column("Contract input /1M", "input_mtok", "rate", 12),
    Column("Contract output /1M", "output_mtok", "rate", 12),
    Column("Note", "note", "text", 40),
)
COMMITMENT_COLUMNS = (
    Column("Provider", "provider", "text", 12),
    Column("Amount", "amount", "money", 14, True),
    Column("Period", "period", "text", 9),
    Column("Starts", "starts", "month", 11, True),
    Column("Periods", "periods", "int", 9),
    Column("Note", "note", "text", 40),
)
CREDIT_COLUMNS = (
    Column("Provider", "provider", "text", 12),
    Column("Amount", "amount", "money", 14, True),
    Column("Starts", "starts", "month", 11, True),
    Column("Prepaid", "prepaid", "bool", 9),
    Column("Note", "note", "text", 40),
)
RESERVATION_COLUMNS = (
    Column("Capacity", "capacity", "text", 16, True),
    Column("Years", "years", "int", 8),
    Column("GPU-hour rate", "gpu_hour_rate", "rate", 12, True),
    Column("Starts", "starts", "month", 11, True),
    Column("Upfront", "upfront", "bool", 9),
    Column("Note", "note", "text", 40),
)
FX_COLUMNS = (
    Column("From month", "month", "month", 12, True),
    Column("Per USD", "per_usd", "number", 12, True),
)
#: (sheet, table name, columns, Terms field) of each terms sheet.
TERMS_TABLES = (
    (TERMS, "tblDiscounts", DISCOUNT_COLUMNS, "discounts"),
    (COMMITMENTS, "tblCommitments", COMMITMENT_COLUMNS, "commitments"),
    (CREDITS, "tblCredits", CREDIT_COLUMNS, "credits"),
    (RESERVATIONS, "tblReservations", RESERVATION_COLUMNS, "reservations"),
    (FX, "tblFx", FX_COLUMNS, "fx"),
)


def col_of(columns, field: str) -> str:
    """Column letter of ``field`` in ``columns`` as written (A, B, …)."""
    from pricing.files.workbook.cells import col_letter

    return col_letter(position(columns, field))
