"""Recognising header rows by the words budgets use, in any order, below title rows.

``field_for(header)`` names the plan field a header means ("Avg prompt tokens" ->
input_tokens, "$/1M input" -> input_mtok, "Monthly calls" -> requests_per_month, ...);
``find_header_rows(sheet)`` finds the rows that read as the header of a rates, workloads,
endpoints or clusters table, and which kind each is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from pricing.importer.units import cell_text, is_blank
from pricing.plan.months import find_month, find_month_name

KINDS = ("workloads", "rates", "endpoints", "clusters")
#: Rows searched for headers from the top of a sheet (titles and notes come first).
HEADER_SEARCH_ROWS = 60

_PRICE = (r"price|cost|\brate\b|\$|usd|eur|€|£|"
          r"per\s*(?:1\s*)?(?:k|m|mm|mtok|ktok|million|thousand|token|tok)\b|"
          r"/\s*(?:1\s*)?(?:k|m|mtok|ktok|million|token|tok)\b|per\s*1[,.]?000|mtok|ktok")
_AVG = r"avg|average|mean|per request|per call|/\s*req|/\s*call|per req|typical"
_INPUT = r"\b(?:input|prompt|in)\b"
_OUTPUT = r"\b(?:output|completion|response|generated|out)\b"

#: (field, pattern, reason); the first rule that matches a header wins.
_RULES: list[tuple[str, str, str]] = [
    ("stated_request_cost", r"(?:cost|price|spend)\s*(?:/|per|a)\s*(?:request|call|req)\b|"
                            r"\$\s*/\s*(?:request|call|req)\b", "the budget's own cost per request"),
    ("stated_monthly_cost", r"^(?:monthly|est\.?|estimated)\s*(?:cost|spend)(?:\s*\(?(?:\$|usd)\)?)?$|"
                            r"^(?:cost|spend)\s*(?:/|per|a)\s*mo(?:nth)?\b", "the budget's own monthly cost"),
    ("", r"(?:cost|spend|amount|budget|total)\b.*(?:request|month|year|annual|call)|^(?:sub)?total|^(?:monthly |annual )?"
         r"(?:cost|spend|budget)$|cost/|^#$|^no\.?$|^row$", "a computed or index column"),
    ("cache_write_mtok", r"cache\s*(?:write|creation)|cache writes", "cache write price"),
    ("cached_share", r"(?:cache|cached).*(?:%|share|ratio|hit rate|percent|fraction|hits?$)|"
                     r"(?:%|share|ratio|percent).*(?:cache|cached)|cache hit", "share of input from the prompt cache"),
    ("cached_input_mtok", r"cache|cached", "cached-input price"),
    ("gpu_hour_rate", r"gpu.?h(?:ou)?r|per\s*(?:gpu\s*)?hour|/\s*h(?:ou)?r\b|hourly|\$\s*/\s*h\b", "price per GPU-hour"),
    ("throughput", r"throughput|tokens?\s*/\s*s(?:ec)?\b|tok/s|tokens per sec|\btps\b", "tokens per second"),
    ("batch_discount", r"batch\s*(?:discount|%|saving)", "batch discount"),
    ("input_mtok", rf"(?=.*{_INPUT})(?=.*(?:{_PRICE}))", "input price"),
    ("output_mtok", rf"(?=.*{_OUTPUT})(?=.*(?:{_PRICE}))", "output price"),
    ("requests_per_day", r"(?=.*(?:request|call|quer|\breq\b|invocation|message|conversation|volume))"
                         r"(?=.*(?:per day|/\s*day|daily|a day|/\s*d\b|\bper d\b))|\brpd\b", "requests per day"),
    ("input_tokens_per_month", rf"(?=.*{_INPUT})(?=.*tok)(?=.*(?:per month|/\s*mo(?:nth)?\b|monthly|a month|per mo\b))",
     "input tokens per month (all requests)"),
    ("output_tokens_per_month", rf"(?=.*{_OUTPUT})(?=.*tok)(?=.*(?:per month|/\s*mo(?:nth)?\b|monthly|a month|per mo\b))",
     "output tokens per month (all requests)"),
    ("input_tokens", rf"{_INPUT}", "input tokens per request"),
    ("output_tokens", rf"{_OUTPUT}", "output tokens per request"),
    ("requests_per_month", r"request|requ[eê]te|anfragen|solicitudes|appels|\bcalls?\b|quer(?:y|ies)|volume|invocation|\breqs?\b|transactions|"
                           r"\bmessages\b|conversations|\brpm\b", "requests per month"),
    ("monthly_growth", r"growth|\bmom\b|increase|wachstum|croissance|crecimiento", "monthly growth"),
    ("start_month", r"^start|start (?:month|date)|go.?live|launch|^begin|^from$|first month|^month$", "first month"),
    ("effective_from", r"effective|valid from|price date|as of", "date the rate takes effect"),
    ("context_length", r"context|max tokens|window", "context length"),
    ("gpus_per_replica", r"gpus?\s*(?:per|/)\s*replica", "GPUs per replica"),
    ("replicas", r"replica|\binstances?\b|\bnodes?\b", "replicas"),
    ("gpu_type", r"gpu\s*(?:type|model|sku|kind)|hardware|accelerator|instance type|^gpu$", "GPU type"),
    ("gpu_count", r"gpus?|gpu count", "number of GPUs"),
    ("hours_per_month", r"\bhours?\b|\bhrs\b", "hours per month"),
    ("monthly_commitment", r"commit|monthly fee|reserved fee|flat fee|subscription", "monthly commitment"),
    ("included_tokens", r"included", "tokens included"),
    ("overage_mtok", r"overage", "overage price"),
    ("storage_monthly", r"storage", "storage per month"),
    ("networking_monthly", r"network|egress|bandwidth", "networking per month"),
    ("provider", r"provider|vendor|supplier|\bplatform\b", "provider"),
    ("model", r"\bmodel\b|\bllm\b|model.?id|model.?name|\bengine\b|\bmod[eèé]le\b|\bmodell\b|\bmodelo\b", "model"),
    ("mode", r"\bmode\b|deployment|serving|inference type|pricing type|\btier\b|billing", "deployment mode"),
    ("tenant", r"tenant|customer|account|client|\bteam\b|business unit|\bbu\b|department|cost cent|mandant|kunde|abteilung|"
               r"kostenstelle|\bcliente\b", "tenant"),
    ("environment", r"environment|\benv\b|\bstage\b|umgebung|environnement|entorno", "environment"),
    ("feature", r"feature|product|application|\bapp\b|service", "feature"),
    ("notes", r"notes?|comments?|remarks?|assumptions?", "notes"),
    ("id", r"^id$|endpoint|cluster", "endpoint or cluster id"),
    ("name", r"workload|^name$|description|line item|^item$|scenario|use.?case|display name|label|anwendung|"
             r"bezeichnung|cas d.usage|caso de uso", "name"),
]
_COMPILED = [(f, re.compile(p, re.IGNORECASE), why) for f, p, why in _RULES]

#: Fields of each kind of table; ``*_mtok`` price fields may also sit in a workloads table.
KIND_FIELDS = {
    "workloads": {"name", "model", "provider", "mode", "input_tokens", "output_tokens", "cached_share",
                  "requests_per_month", "requests_per_day", "tenant", "feature", "environment", "start_month",
                  "monthly_growth", "notes", "capacity", "input_mtok", "output_mtok", "cached_input_mtok",
                  "cache_write_mtok", "context_length", "input_tokens_per_month", "output_tokens_per_month",
                  "requests_in_month", "stated_request_cost", "stated_monthly_cost"},
    "rates": {"provider", "model", "display_name", "context_length", "mode", "input_mtok", "output_mtok",
              "cached_input_mtok", "cache_write_mtok", "effective_from", "batch_discount", "notes"},
    "endpoints": {"id", "name", "model", "gpu_type", "gpus_per_replica", "replicas", "gpu_hour_rate",
                  "monthly_commitment", "included_tokens", "overage_mtok", "hours_per_month",
                  "throughput_tokens_per_s", "throughput_tokens_per_s_per_gpu", "notes"},
    "clusters": {"id", "name", "gpu_type", "gpu_count", "gpu_hour_rate", "hours_per_month", "storage_monthly",
                 "networking_monthly", "throughput_tokens_per_s_per_gpu", "notes"},
}
PRICE_FIELDS = {"input_mtok", "output_mtok", "cached_input_mtok", "cache_write_mtok", "overage_mtok"}
COUNT_FIELDS = {"input_tokens", "output_tokens", "requests_per_month", "requests_per_day", "included_tokens",
                "input_tokens_per_month", "output_tokens_per_month", "requests_in_month"}
#: A column holding the requests of one calendar month (a budget with the months across its columns).
REQUESTS_IN_MONTH = "requests_in_month"
FRACTION_FIELDS = {"cached_share", "monthly_growth", "batch_discount"}
DATE_FIELDS = {"start_month", "effective_from"}


def normalize(text: str) -> str:
    return " ".join(str(text).replace("_", " ").replace("\n", " ").lower().split())


def field_for(header: object) -> tuple[str | None, str]:
    """The generic field a header names, and why; (None, '') when it names none."""
    if not isinstance(header, str) or len(header) > 200:
        return None, ""
    return _field_for(header)


@lru_cache(maxsize=8192)
def _field_for(header: str) -> tuple[str | None, str]:
    h = normalize(header)
    if not h or len(h) > 80 or re.fullmatch(r"[\d\s.,%$€£-]+", h):
        return None, ""
    for field, pattern, why in _COMPILED:
        if pattern.search(h):
            return (field or None), f"header {header.strip()!r} reads as {why}"
    return None, ""


def month_of_header(value: object) -> tuple[date, str] | None:
    """The calendar month a header cell names, and the words around it (normalized).

    A date cell is its month ('Jan-26' typed into Excel is stored as a date); text names a
    month as 'Jan-26', 'Jan 2026', 'January 2026', '2026-01' or 'Requests Jan-26' (words
    'requests').  None when the header names no month, or names one inside a long text.
    """
    if isinstance(value, datetime):
        return value.date().replace(day=1), ""
    if isinstance(value, date):
        return value.replace(day=1), ""
    if not isinstance(value, str) or len(value) > 80:
        return None
    found = find_month(value)
    if found is None:
        return None
    month, start, end = found
    rest = _words_around(value, start, end)
    return None if rest is None else (month, rest)


def month_name_of_header(value: object) -> tuple[int, str] | None:
    """The month number a header cell names without a year ('Jan', 'January', 'Sept.',
    'Requests Jan'), and the words around it (normalized); None otherwise, and for any header
    :func:`month_of_header` reads (a month with its year)."""
    if not isinstance(value, str) or len(value) > 80:
        return None
    found = find_month_name(value)
    if found is None:
        return None
    number, start, end = found
    rest = _words_around(value, start, end)
    return None if rest is None else (number, rest)


def _words_around(value: str, start: int, end: int) -> str | None:
    """The header's words besides the month at ``value[start:end]`` (normalized), or None when
    they are too many for a month column's header."""
    rest = normalize(re.sub(r"[\s:|,;–—-]+", " ", value[:start] + " " + value[end:])).strip(" -:")
    return rest if len(rest) <= 40 else None


_COST_WORDS = re.compile(r"(?i)\bcosts?\b|spend|\$|\busd\b|\beur\b|\bgbp\b|€|£|dollars?|euros?|\bprice|amount|"
                         r"\bbudget\b|\bfees?\b|invoice|\bbill|\bexpense|revenue")
_TOKEN_WORDS = re.compile(r"(?i)\btok(?:en)?s?\b|\bmtok|\bktok")
_OTHER_WORDS = re.compile(r"(?i)\busers?\b|\bseats?\b|licen[cs]es?|headcount|\bfte\b|employees|\bhours?\b|\bhrs\b|"
                          r"\bgpus?\b|\bminutes\b|\bpages\b|\bimages\b|\bcharacters\b|\bchars\b|\bwords\b")
_REQUEST_WORDS = re.compile(r"(?i)request|\bcalls?\b|quer(?:y|ies)|volume|invocation|\breqs?\b|transactions|"
                            r"\bmessages?\b|conversations?|\bchats?\b|\bsessions?\b|\busage\b")


def measure_of(text: str) -> str | None:
    """What the figures a text describes are: 'requests', 'tokens', 'cost', 'other' (users,
    hours, GPUs...), or None when it does not say.

    Cost, tokens and other counts win over requests ('Cost of requests' is money): a figure
    that is not a request count must never be read as one.
    """
    if _COST_WORDS.search(text):
        return "cost"
    if _TOKEN_WORDS.search(text):
        return "tokens"
    if _OTHER_WORDS.search(text):
        return "other"
    if _REQUEST_WORDS.search(text):
        return "requests"
    return None


def field_in_kind(field: str, kind: str, header: str) -> str | None:
    """The generic field as the table kind spells it (None when the kind has no such field)."""
    h = normalize(header)
    if field == "throughput":
        per_gpu = kind == "clusters" or re.search(r"(?:per|/|each)\s*gpu\b", h)
        field = "throughput_tokens_per_s_per_gpu" if per_gpu else "throughput_tokens_per_s"
    elif field == "name" and kind == "rates":
        field = "display_name"
    elif field == "id" and kind == "workloads":
        field = "capacity"
    elif field == "gpu_count" and kind == "endpoints":
        field = "gpus_per_replica"
    elif field == "input_tokens" and kind == "rates" and not re.search(_AVG + "|token", h):
        field = "input_mtok"  # a bare "Input" on a rate sheet is its price
    elif field == "output_tokens" and kind == "rates" and not re.search(_AVG + "|token", h):
        field = "output_mtok"
    return field if field in KIND_FIELDS[kind] else None


@dataclass
class HeaderRow:
    row: int            # index into SheetData.rows
    kind: str
    fields: dict[int, tuple[str, str]]  # column -> (field, reason)


BARE = {"input", "output", "prompt", "completion", "in", "out"}


def kind_of(fields: set[str], bare_tokens: bool = False) -> str | None:
    has_model = "model" in fields
    if has_model and {"input_tokens_per_month", "output_tokens_per_month"} & fields:
        return "workloads"
    if bare_tokens and not {"requests_per_month", "requests_per_day"} & fields:
        fields = (fields - {"input_tokens", "output_tokens"}) | {"input_mtok"}
    if {"requests_per_month", "requests_per_day"} & fields and (has_model or {"input_tokens", "output_tokens"} & fields):
        return "workloads"
    if has_model and {"input_tokens", "output_tokens"} <= fields:
        return "workloads"
    if "gpu_hour_rate" in fields or "monthly_commitment" in fields:
        if has_model:
            return "endpoints"
        if "gpu_count" in fields or "gpu_type" in fields:
            return "clusters"
    if has_model and ({"input_mtok", "output_mtok"} & fields or {"input_tokens", "output_tokens"} <= fields):
        return "rates"
    if has_model and {"input_mtok", "output_mtok"} <= fields | {"input_tokens", "output_tokens"}:
        return "rates"
    return None


_CLUSTER_WORDS = re.compile(r"(?i)\bclusters?\b|self.?host|own (?:gpus|stack)|raw gpus?|gpu (?:rental|fleet)")
_ENDPOINT_WORDS = re.compile(r"(?i)dedicated|endpoints?\b|model inference|container inference|provisioned|reserved")


def capacity_kind(kind: str, fields: set[str], id_header: str, context: str) -> tuple[str, str]:
    """Endpoints or clusters, as the table's own words say (its id column's header first, then
    a storage or networking column, which only a cluster bills, then the sheet's name and titles);
    and why, for the report ('' when the fields alone decided)."""
    for words, why in ((id_header, f"its id column is headed {id_header!r}"), ):
        if _CLUSTER_WORDS.search(words):
            return "clusters", why
        if _ENDPOINT_WORDS.search(words):
            return "endpoints", why
    if {"storage_monthly", "networking_monthly"} & fields:
        return "clusters", "it bills storage or networking by the month, as a GPU cluster does"
    if _CLUSTER_WORDS.search(context) and not _ENDPOINT_WORDS.search(context):
        return "clusters", f"the sheet or its title says {context.strip()!r}"
    if _ENDPOINT_WORDS.search(context):
        return "endpoints", f"the sheet or its title says {context.strip()!r}"
    return kind, ""


def read_header(cells: list[object], context: str = "") -> tuple[str | None, dict[int, tuple[str, str]]]:
    """The table kind a row heads (or None) and its recognised columns; ``context`` is the
    sheet's name and the titles above the row, which may say what capacity a table lists."""
    generic: dict[int, tuple[str, str]] = {}
    numbers = 0
    for col, value in enumerate(cells):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers += 1
            continue
        field, why = field_for(value)
        if field:
            generic[col] = (field, why)
    bare = any(normalize(cell_text(cells[c])) in BARE for c, (f, _) in generic.items()
               if f in ("input_tokens", "output_tokens"))
    kind = kind_of({f for f, _ in generic.values()}, bare)
    if kind is None or len(generic) < 2 or numbers >= len(generic):
        return None, {}
    if kind in ("endpoints", "clusters"):
        id_header = next((cell_text(cells[c]) for c, (f, _) in generic.items() if f == "id"), "")
        kind, _why = capacity_kind(kind, {f for f, _ in generic.values()}, id_header, context)
    fields: dict[int, tuple[str, str]] = {}
    taken: set[str] = set()
    for col, (field, why) in generic.items():
        specific = field_in_kind(field, kind, cell_text(cells[col]))
        if specific in taken and specific in ("input_tokens", "output_tokens") and \
                normalize(cell_text(cells[col])) in BARE:
            specific = "input_mtok" if specific == "input_tokens" else "output_mtok"
            why = f"{why}; token counts have their own column, so this is the price"
        if specific and specific not in taken:
            taken.add(specific)
            if specific != field:
                why = f"{why}; in a {kind} table that is {specific}"
            fields[col] = (specific, why)
    return kind, fields


def find_header_rows(rows: list[list[object]], sheet_name: str = "") -> list[HeaderRow]:
    """Header rows in the first rows of a sheet, best first per stretch of rows."""
    found: list[HeaderRow] = []
    limit = min(len(rows), HEADER_SEARCH_ROWS)
    titles: list[str] = []
    for index in range(limit):
        cells = rows[index]
        filled = [v for v in cells if not is_blank(v)]
        if len(filled) == 1 and isinstance(filled[0], str):
            titles = [*titles[-2:], filled[0]]  # a title line: the last few say what the next table is
        if len(filled) < 2:
            continue
        kind, fields = read_header(cells, " ".join([sheet_name, *titles]))
        if kind is None:
            continue
        if found and index == found[-1].row + 1 and found[-1].kind == kind:
            if len(fields) > len(found[-1].fields):  # a two-line header: keep the richer line
                found[-1] = HeaderRow(index, kind, fields)
            continue
        found.append(HeaderRow(index, kind, fields))
    return found
