"""Text is not data: prose sheets, empty log templates and the budget's own result cells.

A glossary, a checklist or a sheet of notes holds words like "Input tokens" and "Model" that
read as table headers; a log template nobody filled in has numbered rows and step labels but
no tokens; "Monthly savings" and "Cost ratio" rows are what a budget computes.  None of them
is a workload: each is skipped, and the report says where and why.
"""

from __future__ import annotations

import re

from pricing.importer.sources import SheetData
from pricing.importer.units import cell_text, is_blank, to_number

_PROSE_NAMES = [
    ("a glossary", re.compile(r"(?i)gloss|definition|terms|vocabulary|dictionary|lexi")),
    ("a checklist", re.compile(r"(?i)check\s*-?list|to.?do|tasks? list|readiness")),
    ("notes", re.compile(r"(?i)\bnotes?\b|read\s*me|instruction|about|\bfaq\b|change\s*log|how.?to|guide|method|"
                         r"sources?|references?|disclaimer|overview|intro|help|assumption notes|caveats?")),
]
_CHECK_MARKS = re.compile(r"^\s*(?:\[[ xX✓]?\]|[☐☑☒✓✔✗✘]|yes|no|done|todo|to do|open|n/?a)\s*$", re.IGNORECASE)
_NOT_APPLICABLE = re.compile(r"^\s*n/?a\s*$", re.IGNORECASE)
#: Labels of the cells a budget computes from its inputs: results, not inputs.
RESULT_LABEL = re.compile(r"(?i)^\W*(?:[\w.\-]+\s+){0,4}?(?:savings?|saved|cost ratio|ratio|difference|delta|break.?even|roi|"
                          r"payback|margin|cheapest|most expensive|best value|lowest cost|recommend\w*|winner)\b")


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or is_blank(value):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        to_number(value)
    except ValueError:
        return False
    return True


def prose_kind(sheet: SheetData) -> str | None:
    """'a glossary', 'a checklist' or 'notes' when ``sheet`` is text for people, not figures; else None."""
    cells = [v for row in sheet.rows[:400] for v in row if not is_blank(v)]
    if len(cells) < 3:
        return None
    numbers = sum(1 for v in cells if _is_number(v))
    texts = [cell_text(v) for v in cells if isinstance(v, str) and not _is_number(v)]
    long = sum(1 for t in texts if len(t.split()) >= 6 or len(t) >= 40)
    marks = sum(1 for t in texts if _CHECK_MARKS.match(t))
    if marks and all(_NOT_APPLICABLE.match(t) for t in texts if _CHECK_MARKS.match(t)):
        marks = 0  # 'n/a' alone is how a budget leaves a figure out, not a checklist's ticks
    named = next((kind for kind, pattern in _PROSE_NAMES if pattern.search(sheet.name)), None)
    if numbers > len(cells) // 10 and not (named and numbers <= len(cells) // 5):
        return None
    if named and (long >= 2 or marks >= 3):
        return named
    if marks >= 3 and marks * 4 >= len(texts):
        return "a checklist"
    if long >= 3 and long * 3 >= len(texts):
        header = " ".join(cell_text(v).lower() for v in next((r for r in sheet.rows if r), []))
        return "a glossary" if re.search(r"term|definition|meaning|glossary", header) else "notes"
    return None


def describe_prose(sheet: SheetData, kind: str) -> str:
    rows = sum(1 for r in sheet.rows if any(not is_blank(v) for v in r))
    return f"sheet {sheet.name!r}: prose ({kind}: {rows} row(s) of text, no figures to plan with)"


#: Fields whose figures make a row a workload; a table with none of them filled in is a template.
VOLUME_FIELDS = {"requests_per_month", "requests_per_day", "input_tokens", "output_tokens", "input_tokens_per_month",
                 "output_tokens_per_month", "requests_in_month"}


def empty_log(table) -> str | None:
    """Why a workloads table is a log template nobody filled in (numbered rows without tokens), or None."""
    sheet = table.data
    if sheet is None or table.kind != "workloads":
        return None
    columns = [c.index - sheet.col_offset for c in table.columns if c.field in VOLUME_FIELDS]
    if not columns:
        return None
    body = sheet.rows[table.first_index + 1:table.end_index]
    for row in body:  # a figure in any row: not a template (usually told by the first row)
        if any(col < len(row) and _is_number(row[col]) for col in columns):
            return None
    rows = [r for r in body if any(not is_blank(v) for v in r)]
    if not rows:
        return None
    firsts = [next((v for v in row if not is_blank(v)), None) for row in rows]
    numbered = sum(1 for v in firsts if _is_number(v))
    labels = sorted({cell_text(v) for row in rows for v in row if isinstance(v, str) and not _is_number(v)})[:4]
    what = f"{numbered} numbered row(s)" if numbered * 2 >= len(rows) else f"{len(rows)} row(s)"
    shown = f" (labels such as {', '.join(repr(x) for x in labels)})" if labels else ""
    return (f"sheet {table.sheet!r} rows {table.header_row + 1}–{table.header_row + table.end_index - table.first_index - 1}: "
            f"an empty log or template: {what}{shown} with no tokens or requests in any row — not workloads")


#: Rows looked at for labels at the top and at the bottom of a sheet (results and totals sit there, not in
#: the middle of a 100,000-row table).
LABEL_ROWS_TOP, LABEL_ROWS_BOTTOM = 2000, 200


def labels(sheet: SheetData):
    """(row index, first cell's text) of the rows that begin with a text cell, near the top or bottom."""
    count = len(sheet.rows)
    indexes = range(count) if count <= LABEL_ROWS_TOP + LABEL_ROWS_BOTTOM else (
        [*range(LABEL_ROWS_TOP), *range(count - LABEL_ROWS_BOTTOM, count)])
    for r in indexes:
        row = sheet.rows[r]
        first = next((v for v in row if v is not None and v != ""), None)
        if isinstance(first, str) and first.strip():
            yield r, first


def result_rows(sheet: SheetData) -> list[tuple[int, str]]:
    """(row index, what is skipped) for each row holding one of the budget's own results
    ('Monthly savings | 475.20', 'Cost ratio | 1.29', 'Cheapest | gpt-4.1-nano')."""
    out = []
    for r, first in labels(sheet):
        if len(first) > 60 or not RESULT_LABEL.match(first):
            continue
        row = sheet.rows[r]
        filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
        label = cell_text(first)
        if len(filled) <= 3:
            value = cell_text(filled[1][1]) if len(filled) > 1 else ""
            shown = f" = {value}" if value else ""
            out.append((r, f"sheet {sheet.name!r} row {r + sheet.row_offset + 1} ({label!r}{shown}): a result the "
                            "budget computes, not an input"))
    return out
