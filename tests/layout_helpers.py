"""Budgets laid out the way people write them (parameter blocks, comparisons, prose, logs,
price lists, text saved as .xlsx), built with openpyxl for the import tests.

A formula cell gets the value Excel would have saved with it (``cached``), so the importer
reads what a real file holds: openpyxl writes formulas without their results.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal as D
from pathlib import Path

import openpyxl


def with_cached_values(path: Path, cached: dict[tuple[str, str], object]) -> Path:
    """Write the results of formula cells into the saved workbook, as Excel does on save."""
    wb = openpyxl.load_workbook(path)
    parts = {ws.title: f"xl/worksheets/sheet{n}.xml" for n, ws in enumerate(wb.worksheets, start=1)}
    with zipfile.ZipFile(path) as src:
        contents = {name: src.read(name) for name in src.namelist()}
    for (sheet, ref), value in cached.items():
        part = parts[sheet]
        xml = contents[part].decode()
        text = str(value)
        kind = "" if isinstance(value, (int, float, D)) else ' t="str"'
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>')
        xml, n = pattern.subn(lambda m: f'<c r="{ref}"{m.group(1)}{kind}><f>{m.group(2)}</f><v>{text}</v>', xml)
        assert n == 1, f"no formula in {sheet}!{ref}"
        contents[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in contents.items():
            out.writestr(name, data)
    return path


# --------------------------------------------------------------------------- a parameter block
def parameter_budget(path: Path, stated_total: float = 1900.8) -> Path:
    """An 'Assumptions' sheet of label | value | unit rows: per-1K prices of two models, a per-day
    volume and a 30-day month, 70/30 routing (the 30% a formula), cache hits at 90% off, a 1.1×
    cross-region multiplier, and the budget's own results (per model, total, savings, ratio)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Assumptions"
    rows = [
        ["Support assistant — LLM cost model"],                                   # 1
        [],                                                                       # 2
        ["PRICING"],                                                              # 3
        ["Parameter", "Value", "Unit"],                                           # 4
        ["Haiku input price per 1K tokens", 0.001, "USD per 1K tokens"],          # 5
        ["Haiku output price per 1K tokens", 0.005, "USD per 1K tokens"],         # 6
        ["Sonnet input price per 1K tokens", 0.003, "USD per 1K tokens"],         # 7
        ["Sonnet output price per 1K tokens", 0.015, "USD per 1K tokens"],        # 8
        [],                                                                       # 9
        ["VOLUME"],                                                               # 10
        ["Requests per day", "10,000", "requests"],                               # 11
        ["Days per month", 30, "days"],                                           # 12
        ["Input tokens per request", 2000, "tokens"],                             # 13
        ["Output tokens per request", 500, "tokens"],                             # 14
        [],                                                                       # 15
        ["ROUTING AND CACHING"],                                                  # 16
        ["Share routed to Haiku", 0.7, "%"],                                      # 17
        ["Share routed to Sonnet", "=1-B17", "%"],                                # 18
        ["Cache hit rate", "50%"],                                                # 19
        ["Cache discount", 0.9, "%"],                                             # 20
        ["Cross-region multiplier", 1.1, "×"],                                    # 21
        [],                                                                       # 22
        ["RESULTS"],                                                              # 23
        ["Haiku monthly cost", "=B11*B12*B17*0.00396"],                           # 24
        ["Sonnet monthly cost", "=B11*B12*B18*0.01188"],                          # 25
        ["Total monthly cost", "=B24+B25"],                                       # 26
        ["Monthly savings from caching", "=475.2"],                               # 27
        ["Cost ratio Sonnet / Haiku", "=B25/B24"],                                # 28
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)
    return with_cached_values(path, {("Assumptions", "B18"): 0.3, ("Assumptions", "B24"): 831.6,
                                     ("Assumptions", "B25"): 1069.2, ("Assumptions", "B26"): stated_total,
                                     ("Assumptions", "B27"): 475.2, ("Assumptions", "B28"): 1.2857142857})


def inputs_above_results(path: Path) -> Path:
    """The same budget on one sheet: the inputs block on top, the budget's own results table below it
    (model, share, requests and cost a month, a total row), as many cost models are laid out."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cost model"
    for row in [
        ["Support assistant — inputs"],
        ["Haiku input price per 1K tokens", 0.001], ["Haiku output price per 1K tokens", 0.005],
        ["Sonnet input price per 1K tokens", 0.003], ["Sonnet output price per 1K tokens", 0.015],
        ["Requests per day", 10_000], ["Days per month", 30], ["Input tokens per request", 2000],
        ["Output tokens per request", 500], ["Share routed to Haiku", 0.7], ["Share routed to Sonnet", 0.3],
        ["Cache hit rate", 0.5], ["Cache discount", 0.9], ["Cross-region multiplier", 1.1],
        [],
        ["Model", "Share", "Monthly requests", "Monthly cost"],                       # row 16
        ["Haiku", "=B11", "=B7*B8*B17", "=C17*0.00396"],
        ["Sonnet", "=B12", "=B7*B8*B18", "=C18*0.01188"],
        ["Total", None, "=C17+C18", "=D17+D18"],
    ]:
        ws.append(row)
    wb.save(path)
    return with_cached_values(path, {
        ("Cost model", "B17"): 0.7, ("Cost model", "C17"): 210000, ("Cost model", "D17"): 831.6,
        ("Cost model", "B18"): 0.3, ("Cost model", "C18"): 90000, ("Cost model", "D18"): 1069.2,
        ("Cost model", "C19"): 300000, ("Cost model", "D19"): 1900.8})


def inputs_above_a_year(path: Path) -> Path:
    """The inputs block on top and, below it on the same sheet, the budget's month-by-month results."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Forecast"
    for row in [
        ["Haiku input price per 1K tokens", 0.001], ["Haiku output price per 1K tokens", 0.005],
        ["Sonnet input price per 1K tokens", 0.003], ["Sonnet output price per 1K tokens", 0.015],
        ["Requests per day", 10_000], ["Days per month", 30], ["Input tokens per request", 2000],
        ["Output tokens per request", 500], ["Share routed to Haiku", 0.7], ["Share routed to Sonnet", 0.3],
        ["Cache hit rate", 0.5], ["Cache discount", 0.9], ["Cross-region multiplier", 1.1],
        [],
        ["Month", "Model", "Monthly requests", "Monthly cost"],                          # row 15
    ]:
        ws.append(row)
    for n in range(1, 7):
        ws.append([f"2026-{n:02d}", "Haiku", 210_000, 831.6])
        ws.append([f"2026-{n:02d}", "Sonnet", 90_000, 1069.2])
    wb.save(path)
    return path


def parameter_budget_by_hand() -> dict[str, D]:
    """The parameter budget's month, worked out by hand (rates per 1M tokens)."""
    requests = D(10_000) * 30
    out = {}
    for model, share, price_in, price_out in (("Haiku", D("0.7"), D(1), D(5)), ("Sonnet", D("0.3"), D(3), D(15))):
        rate_in, rate_out = price_in * D("1.1"), price_out * D("1.1")          # the 1.1× surcharge
        cached = rate_in * (1 - D("0.9"))                                     # cache hits at 90% off
        per_request = (D(1000) * rate_in + D(1000) * cached + D(500) * rate_out) / D(1_000_000)  # 50% of 2,000 cached
        out[model] = per_request * requests * share
    out["total"] = out["Haiku"] + out["Sonnet"]
    return out  # Haiku 831.60, Sonnet 1,069.20, total 1,900.80


# --------------------------------------------------------------------------- a comparison beside a glossary
COMPARISON = [  # model, input $/1M, output $/1M
    ("gpt-4o", "2.50", "10.00"), ("gpt-4o-mini", "0.15", "0.60"), ("gpt-4.1", "2.00", "8.00"),
    ("gpt-4.1-mini", "0.40", "1.60"), ("gpt-4.1-nano", "0.10", "0.40"), ("o3-mini", "1.10", "4.40"),
    ("claude-3-5-haiku", "0.80", "4.00"), ("claude-sonnet-4", "3.00", "15.00"), ("claude-opus-4", "15.00", "75.00"),
    ("gemini-1.5-flash", "0.075", "0.30"), ("gemini-1.5-pro", "1.25", "5.00"), ("mistral-large", "2.00", "6.00"),
    ("mistral-small", "0.10", "0.30"), ("deepseek-chat", "0.27", "1.10"),
]
COMPARISON_VOLUME = (1_000_000, 1500, 500)  # requests a month, input and output tokens per request


def comparison_budget(path: Path) -> Path:
    """'Which model?': the same volume priced on 14 models, a 'Cheapest' cell below; and a glossary sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Which model"
    ws.append(["Which model? The support bot's month on 14 models"])
    ws.append([])
    ws.append(["Model", "Requests / month", "Input tokens", "Output tokens", "Input $/1M", "Output $/1M",
               "Monthly cost"])
    requests, tokens_in, tokens_out = COMPARISON_VOLUME
    cached = {}
    for n, (model, price_in, price_out) in enumerate(COMPARISON, start=4):
        ws.append([model, requests, tokens_in, tokens_out, float(price_in), float(price_out),
                   f"=B{n}*(C{n}*E{n}+D{n}*F{n})/1000000"])
        cached[("Which model", f"G{n}")] = comparison_by_hand()[model]
    ws.append([])
    ws.append(["Cheapest", "=INDEX(A4:A17,MATCH(MIN(G4:G17),G4:G17,0))"])
    ws.append(["Savings vs gpt-4o", "=G4-MIN(G4:G17)"])
    costs = comparison_by_hand()
    cheapest = min(costs, key=costs.get)
    cached[("Which model", "B19")] = cheapest
    cached[("Which model", "B20")] = costs["gpt-4o"] - costs[cheapest]
    glossary = wb.create_sheet("Glossary")
    glossary.append(["Term", "Definition"])
    for term, text in (
        ("Input tokens", "The tokens you send to the model: the prompt, the system message and any documents."),
        ("Output tokens", "The tokens the model writes back; they usually cost several times more than input."),
        ("Context window", "The most tokens a model reads in one request, prompt and answer together."),
        ("Prompt caching", "A discount on the part of the prompt the provider has seen recently."),
        ("Batch", "Requests sent to run within a day, at about half the price of answering at once."),
        ("Model", "The language model that answers, such as a large or a small one of a family."),
        ("Requests per month", "How many times the application calls the model in a month."),
    ):
        glossary.append([term, text])
    wb.save(path)
    return with_cached_values(path, cached)


def comparison_by_hand() -> dict[str, D]:
    requests, tokens_in, tokens_out = COMPARISON_VOLUME
    return {model: D(requests) * (tokens_in * D(p_in) + tokens_out * D(p_out)) / D(1_000_000)
            for model, p_in, p_out in COMPARISON}


# --------------------------------------------------------------------------- an empty log template
def log_template(path: Path) -> Path:
    """An agent run log nobody has filled in: numbered rows, step labels, no tokens."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Run log"
    ws.append(["Agent run log (fill in one row per step)"])
    ws.append(["#", "Step", "Model", "Input tokens", "Output tokens", "Cost ($)", "Notes"])
    for n, step in enumerate(["PLAN", "SEARCH", "READ", "REFLECTION", "ANSWER"] * 4, start=1):
        ws.append([n, step])
    wb.save(path)
    return path


# --------------------------------------------------------------------------- a GPU price list
GPUS = [("H100 80GB", "80 GB", "$2.49"), ("A100 80GB", "80 GB", "$1.79"), ("A100 40GB", "40 GB", "$1.29"),
        ("L40S", "48 GB", "$0.99"), ("A10G", "24 GB", "$0.75")]


def gpu_price_list(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "GPU prices"
    ws.append(["On-demand GPU prices"])
    ws.append(["GPU Name", "VRAM", "Cost/hr"])
    for row in GPUS:
        ws.append(list(row))
    wb.save(path)
    return path


# --------------------------------------------------------------------------- a rate card with bad prices
RATE_CARD = [  # model, input, output (as written)
    ("gpt-4o", "$2.50", "$10.00"),
    ("gpt-4o-mini", "$0.15", "$0.60"),
    ("gpt-4o", "$5.00", "$15.00"),            # row 5: a duplicate (gpt-4o's old price)
    ("mistral-large-latest", "$8.00", "$2.00"),  # row 6: output far cheaper than input (columns swapped?)
    ("gemini-1.5-flash", "$0.75", "$3.00"),   # row 7: 10× the catalog's 0.075 / 0.30
]


def rate_card(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "API prices"
    ws.append(["API prices, USD per 1M tokens"])
    ws.append(["Model", "Input price", "Output price"])
    for row in RATE_CARD:
        ws.append(list(row))
    wb.save(path)
    return path


# --------------------------------------------------------------------------- Markdown saved as .xlsx
MARKDOWN = """# LLM budget (copied from the wiki)

| Workload | Model | Monthly requests | Input tokens | Output tokens | Input $/1M | Output $/1M | Monthly cost |
|---|---|---:|---:|---:|---:|---:|---:|
| Support bot | acme-large | 1,000,000 | 1,000 | 200 | $0.90 | $3.30 | $1,560.00 |
| Search | acme-small | 200,000 | 2,000 | 500 | $0.18 | $0.59 | $131.00 |
| **Total** | | | | | | | **$1,691.00** |
"""


def markdown_as_xlsx(path: Path) -> Path:
    path.write_text(MARKDOWN, encoding="utf-8")
    return path


def markdown_by_hand() -> dict[str, D]:
    support = D(1_000_000) * (1000 * D("0.90") + 200 * D("3.30")) / D(1_000_000)   # 1,560.00
    search = D(200_000) * (2000 * D("0.18") + 500 * D("0.59")) / D(1_000_000)      # 131.00
    return {"Support bot": support, "Search": search, "total": support + search}
