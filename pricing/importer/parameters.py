"""Parameter sheets: budgets written as label | value | unit rows, not as tables.

An "Assumptions" or "Inputs" block (``Haiku input price per 1K tokens | 0.001``,
``Requests per day | 10,000``, ``Days per month | 30``, ``Share routed to Haiku | 70%``,
``Cache hit rate | 50%``, ``Cross-region multiplier | 1.1``) is read row by row into
:class:`Setting` values, each with its unit and cell.  A formula's value is its cached result
(the reader never recalculates).  Section labels ("PRICING"), the budget's own results
("Total monthly cost", "Monthly savings", "Cost ratio") and labels the plan has no use for
are set aside with the reason; :mod:`pricing.importer.parameter_plan` turns the settings into
rates and workloads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pricing.importer.sources import SheetData
from pricing.importer.units import cell_text, is_blank, price_unit_in, to_number

#: At least this many label | value rows, most of them understood, make a parameter sheet.
MIN_SETTINGS = 4
#: A sheet longer than this is a table, not a block of settings.
MAX_ROWS = 400

_COST = r"\b(?:cost|costs|spend|spending|bill|billing|budget|expense)\b"
_PRICE_WORD = r"\b(?:price|prices|pricing|rate|rates|cost|costs)\b|\$|\busd\b|\beur\b|€|£"
_IO = r"\b(?:input|prompt|output|completion|completions|response|cached|cache)\b"
_RESULT = re.compile(r"\b(?:savings?|saved|ratio|difference|delta|break.?even|roi|payback|margin|cheapest|"
                     r"most expensive|best value|recommend\w*)\b")
_TOTAL = re.compile(r"\b(?:total|subtotal|sum|overall)\b")
_MONTHLY = re.compile(r"\bmonthly\b|\bper month\b|/\s*mo(?:nth)?\b|\ba month\b|\bmonth\b")
_COUNT_WORDS = (r"requests?|calls?|queries|query|conversations?|messages?|sessions?|tasks?|runs?|tickets?|"
                r"documents?|docs|chats?|interactions?|invocations?|jobs?|questions?|e-?mails?|searches|prompts")
_PERIODS = [
    ("working_day", re.compile(r"\b(?:per|/|a|each)\s*(?:working|business|work)\s*day|\bper\s*workday|\bworkday")),
    ("day", re.compile(r"\bper\s*day\b|/\s*day\b|\bdaily\b|\ba day\b|/\s*d\b|\beach day\b")),
    ("week", re.compile(r"\bper\s*week\b|/\s*week\b|\bweekly\b|\ba week\b")),
    ("month", re.compile(r"\bper\s*month\b|/\s*mo(?:nth)?\b|\bmonthly\b|\ba month\b|\beach month\b")),
    ("year", re.compile(r"\bper\s*(?:year|annum)\b|/\s*y(?:ea)?r\b|\bannual(?:ly)?\b|\byearly\b|\ba year\b")),
]
_PER_USER = re.compile(r"\bper\s*(?:user|seat|employee|agent|customer|member|head|person|active user)\b|/\s*user\b")
_USERS = re.compile(r"^(?:number of |# ?(?:of )?|total |active |daily active |monthly active )?"
                    r"(?:users|seats|employees|agents|customers|members|headcount|people|licen[cs]es)\b|\b(?:dau|mau)\b")
_STEPS = re.compile(r"\b(?:steps?|llm calls?|model calls?|calls?|turns?|iterations?|tool calls?|hops?)\s*(?:per|/|each)\s*"
                    r"(?:task|run|conversation|session|ticket|job|request|interaction|query|question|chat|workflow)\b|"
                    r"\bagent steps?\b")
_SHARE = re.compile(r"\b(?:share|routed|routing|route|split|mix|traffic|fraction|portion|allocation|sent to|goes to)\b|%\s*of\b")
_MULTIPLIER = re.compile(r"\b(?:multiplier|surcharge|uplift|mark-?up|premium|factor|overhead|adjustment|cross.?region|"
                         r"regional|data residency)\b")

#: Words of a label that are not the model's name.
_NOT_MODEL = set("""input inputs output outputs prompt prompts completion completions response responses cached cache caching
read reads write writes hit hits price prices pricing cost costs rate rates per 1k 1m 1000 1,000 1000000 1,000,000 k m mtok
ktok million thousand token tokens tok usd eur $ € £ share routed routing route to of for traffic requests request the sent
going goes % percent pct multiplier surcharge uplift markup mark-up premium factor in on a model via calls call split mix
fraction portion allocation cross-region cross region regional data residency overhead adjustment tier api""".split())


@dataclass
class Setting:
    """One label | value row understood: what it sets, its value (scaled to the plan's unit) and where."""

    kind: str          # price, share, cache_hit, cache_discount, multiplier, days, users, steps, tokens, volume, growth
    label: str
    value: Decimal
    cell: str
    model: str = ""
    #: price: input_mtok / output_mtok / cached_input_mtok / cache_write_mtok; tokens: input / output;
    #: volume: the period (day, working_day, week, month, year); days: calendar / working.
    field: str = ""
    per_user: bool = False
    unit: str = ""
    #: How a price's unit was known: 'from the label', 'from the unit cell' or 'assumed from its size'.
    how: str = ""


@dataclass
class ParameterSheet:
    sheet: str
    settings: list[Setting] = field(default_factory=list)
    #: (cell, label, reason) of each row read and not used.
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    #: Text settings ('Model | claude-3-haiku'): label -> (value, cell).
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)

    def of(self, kind: str) -> list[Setting]:
        return [s for s in self.settings if s.kind == kind]


@dataclass
class _Row:
    label: str
    label_cell: str
    value: object
    value_cell: str
    unit: str
    numbers: int


def _rows(sheet: SheetData) -> list[_Row | None]:
    out: list[_Row | None] = []
    for r, cells in enumerate(sheet.rows):
        filled = [(c, v) for c, v in enumerate(cells) if not is_blank(v)]
        label = next(((c, v) for c, v in filled if isinstance(v, str) and not _numeric(v)), None)
        if label is None:
            out.append(None)
            continue
        after = [(c, v) for c, v in filled if c > label[0]]
        numbers = [(c, v) for c, v in after if _numeric(v)]
        value = numbers[0] if numbers else (after[0] if after else None)
        unit = next((cell_text(v) for c, v in after if value is not None and c > value[0] and isinstance(v, str)), "")
        out.append(_Row(cell_text(label[1]), sheet.ref(r, label[0]), value[1] if value else None,
                        sheet.ref(r, value[0]) if value else "", unit, len(numbers)))
    return out


def _numeric(value: object) -> bool:
    if isinstance(value, bool) or is_blank(value):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    try:
        _number(value)
    except ValueError:
        return False
    return True


def _number(value: object) -> Decimal:
    if isinstance(value, str):
        text = value.strip().replace("×", "").replace("x", "").strip() if re.fullmatch(
            r"\s*(?:×|x)?\s*[\d.,]+\s*(?:×|x)?\s*", value) else value
        return to_number(text)
    return to_number(value)


def read_parameters(sheet: SheetData) -> ParameterSheet | None:
    """The settings of ``sheet`` when it is a parameter sheet; None when it is laid out otherwise."""
    if len(sheet.rows) > MAX_ROWS:
        return None
    rows = [r for r in _rows(sheet) if r is not None]
    single = [r for r in rows if r.numbers == 1]
    tabular = [r for r in rows if r.numbers >= 2]
    if len(single) < MIN_SETTINGS or len(single) < 2 * len(tabular):
        return None
    block, understood = _read(rows, sheet.name)
    if understood < 3 or understood * 2 < len(single):
        return None
    return block


def read_parameter_block(sheet: SheetData) -> tuple[ParameterSheet, list[int]] | None:
    """A block of settings on a sheet that also holds tables (an 'Inputs' block above a results
    table): the longest run of rows with at most one figure each that gives both prices and a
    volume, and the indexes of its rows; None when there is none."""
    if len(sheet.rows) > MAX_ROWS:
        return None
    runs: list[list[tuple[int, _Row]]] = [[]]
    for index, row in enumerate(_rows(sheet)):
        if row is not None and row.numbers >= 2:
            runs.append([])
        elif row is not None:
            runs[-1].append((index, row))
    best = None
    for run in runs:
        while run and run[-1][1].numbers == 0:  # a header of the table below, not a setting
            run.pop()
        if sum(1 for _, r in run if r.numbers == 1) < MIN_SETTINGS:
            continue
        block, understood = _read([r for _, r in run], sheet.name)
        kinds = {s.kind for s in block.settings}
        if understood >= MIN_SETTINGS and {"price", "volume"} <= kinds and (best is None or understood > best[2]):
            best = (block, [i for i, _ in run], understood)
    return (best[0], best[1]) if best else None


def _read(rows: list[_Row], name: str) -> tuple[ParameterSheet, int]:
    block = ParameterSheet(name)
    understood = 0
    for row in rows:
        if row.numbers >= 2:
            block.skipped.append((row.label_cell, row.label, "a row of several figures in a parameter sheet: not read"))
            continue
        if row.value is None:
            block.skipped.append((row.label_cell, row.label, _why_text_only(row.label)))
            continue
        if row.numbers == 0:
            text = cell_text(row.value)
            if re.fullmatch(r"(?i)(?:default |primary |main )?(?:model|llm)(?: name| id)?", row.label.strip()) \
                    and not row.unit:
                block.texts["model"] = (text, row.value_cell)
            elif _RESULT.search(row.label.lower()):
                block.skipped.append((row.label_cell, row.label, f"a result of the budget ({text!r}), not an input"))
            else:
                block.skipped.append((row.label_cell, row.label, "a text column header or note, not a figure"))
            continue
        setting, why = _classify(row)
        if setting is None:
            block.skipped.append((row.label_cell, row.label, why))
        else:
            block.settings.append(setting)
            understood += 1
    return block, understood


def _why_text_only(label: str) -> str:
    words = label.split()
    if len(words) <= 4 and (label.isupper() or not re.search(r"[.:;!?]$", label)):
        return "a section label"
    if len(words) <= 10 and not re.search(r"[.;!?]$", label):
        return "a title"
    return "a note (text only)"


def model_of(label: str) -> str:
    """'Haiku input price per 1K tokens' -> 'Haiku'; 'Share routed to Claude 3.5 Sonnet' -> 'Claude 3.5 Sonnet'."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", label)
    words = [w.strip(":,;()[]") for w in re.split(r"[\s/]+", text)]
    kept = [w for w in words if w and w.lower().strip(".") not in _NOT_MODEL and not re.fullmatch(r"[$€£%×x*=:-]+", w)]
    return " ".join(kept).strip(" -–—:")


def _classify(row: _Row) -> tuple[Setting | None, str]:
    label = " ".join(row.label.lower().replace("_", " ").split())
    unit = row.unit.lower()
    both = f"{label} {unit}"
    make = lambda kind, value, **kw: Setting(kind, row.label, value, row.value_cell, unit=row.unit, **kw)  # noqa: E731
    try:
        number = _number(row.value)
    except ValueError as exc:  # pragma: no cover - _numeric said it was a number
        return None, str(exc)
    percent = "%" in unit or "percent" in unit or (isinstance(row.value, str) and "%" in row.value)
    fraction = number / 100 if percent and not (isinstance(row.value, str) and "%" in row.value) and number > 1 else number
    price_unit = price_unit_in(label) or price_unit_in(unit)
    if _TOTAL.search(label) and (re.search(_COST, label) or "$" in label):
        return None, "a total the budget computes, not an input (compared with the import's own when monthly)"
    if _RESULT.search(label):
        return None, "a result the budget computes, not an input"
    io = re.search(_IO, label)
    if io and (re.search(_PRICE_WORD, both) or price_unit) and "tokens per" not in label and not re.search(r"hit|share", label):
        return _price(row, label, number, price_unit), ""
    if re.search(_COST, label):
        return None, "a cost the budget computes, not an input"
    if re.search(r"\bcach", label) and re.search(r"discount|saving|\boff\b|reduction", both):
        return make("cache_discount", fraction), ""
    if re.search(r"\bcach", label) and re.search(r"hit|rate|share|ratio|%|fraction|percent|cached", both):
        return make("cache_hit", fraction), ""
    if _MULTIPLIER.search(label):
        factor = 1 + fraction if percent or (number < 1 and not re.search(r"multiplier|factor", label)) else number
        return make("multiplier", factor, model=model_of(row.label)), ""
    if _SHARE.search(label) and not re.search(r"\btokens?\b", label):
        model = model_of(row.label)
        if not model:
            return None, "a share of traffic that names no model"
        return make("share", fraction, model=model), ""
    if re.search(r"\bdays?\b", label) and re.search(r"month|/\s*mo\b", both):
        working = bool(re.search(r"working|business|work\s*days|weekdays", label))
        return make("days", number, field="working" if working else "calendar"), ""
    if re.search(r"\bweekdays\b", label):
        return make("days", number, field="working"), ""
    if _STEPS.search(label):
        return make("steps", number), ""
    if re.search(r"\btokens?\b", label):
        side = "output" if re.search(r"output|completion|response|generated", label) else (
            "input" if re.search(r"input|prompt|context", label) else "")
        if not side:
            return None, "a token count that says neither input nor output"
        if any(p.search(both) for n, p in _PERIODS if n != "day") and not re.search(r"per (?:request|call|step)", label):
            return None, "tokens per month for all requests: give tokens per request"
        return make("tokens", number, field=side), ""
    if _USERS.search(label) and not re.search(rf"\b(?:{_COUNT_WORDS})\b", label):
        return make("users", number), ""
    if re.search(rf"\b(?:{_COUNT_WORDS})\b", label) or re.search(r"\bvolume\b", label):
        period = next((n for n, p in _PERIODS if p.search(both)), None)
        if period is None:
            return None, "a count without a period (per day, per month ...): not read"
        return make("volume", number, field=period, per_user=bool(_PER_USER.search(both))), ""
    if re.search(r"\bgrowth\b", label):
        if re.search(r"annual|year|yoy", both):
            return None, "a yearly growth: the plan grows month by month; give a monthly growth"
        return make("growth", fraction), ""
    return None, "not a setting the plan uses"


def _price(row: _Row, label: str, number: Decimal, unit: str | None) -> Setting:
    if re.search(r"cache\s*(?:write|creation)|cache writes", label):
        name = "cache_write_mtok"
    elif re.search(r"\bcach", label):
        name = "cached_input_mtok"
    elif re.search(r"\b(?:output|completion|completions|response)\b", label):
        name = "output_mtok"
    else:
        name = "input_mtok"
    how = "from the label" if price_unit_in(label) else "from the unit cell"
    if unit is None:
        unit, how = ("per_token" if number < Decimal("0.0005") else "per_1m"), "assumed from its size"
    scale = {"per_token": Decimal(1_000_000), "per_1k": Decimal(1_000), "per_1m": Decimal(1)}[unit]
    return Setting("price", row.label, number * scale, row.value_cell, model=model_of(row.label), field=name,
                   unit=unit, how=how)
