"""Workloads made from columns whose distinct values were checked once.

The plan workbook reader converts each distinct value of a column once, so it knows the objects
each column holds (``Cells.convert_column``).  A workload's fields are validated each on its own
(no rule spans fields; tests/test_workbook_reading.py pins that), so a row each of whose values
is of a type validation hands back unchanged (a Decimal, not an int; a str, not a subclass; a
date on the 1st, not a datetime) and within its field's bounds is valid, and validation would
hold exactly those values: that record is made here without validating the same values again
row after row.  Whether a value passes is asked once per distinct value of a column.  Any other
row is validated whole, so its error, if any, is the one validation gives.
"""

from __future__ import annotations

from collections import deque
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat
from operator import or_

from pricing.plan import bounds
from pricing.yielding import give_way
from pricing.plan.models import DeploymentMode, Workload

_new = Workload.__new__
_set = object.__setattr__


def _decimal(field: str, low: Decimal | None = None, high: Decimal | None = None) -> Callable[[object], bool]:
    """A finite Decimal within ``field``'s bound (pricing.plan.bounds), or ``low``..``high`` (a
    ``Field(ge, le)``)."""
    top = bounds.limit(field) if high is None else high

    def check(v) -> bool:
        return v.__class__ is Decimal and v.is_finite() and (top is None or v <= top) and (low is None or v >= low)
    return check


def _text(v) -> bool:
    return v.__class__ is str


def _month(v) -> bool:
    return v.__class__ is date and v.day == 1  # another day is moved to the 1st by validation


#: Per field of a Workload, whether a value is held as it is.  A field not here (a new one) makes
#: every row naming it go through validation: a row is never passed on a check that is missing.
_CHECKS: dict[str, Callable[[object], bool]] = {
    "name": _text, "model": _text, "tenant": _text, "feature": _text, "environment": _text, "notes": _text,
    "capacity": _text,
    "mode": lambda v: v.__class__ is DeploymentMode,
    "start_month": _month,
    **{field: _decimal(field) for field in ("input_tokens", "output_tokens", "requests_per_month", "cached_share",
                                            "cache_write_share", "cache_write_1h_share", "reasoning_tokens",
                                            "off_peak_share", "monthly_growth")},
    "discount": _decimal("discount", Decimal(0), Decimal(1)),
}
#: The fields a row must give.
REQUIRED = frozenset(name for name, info in Workload.model_fields.items() if info.is_required())
#: Every field in the model's order, each with its default (a required one with a placeholder a
#: row always replaces): a copy updated in place is a record's ``__dict__`` as validation orders it.
_DEFAULTS = {name: None if info.is_required() else info.get_default(call_default_factory=True)
             for name, info in Workload.model_fields.items()}


_NONE = type(None)


def failing(field: str, held: Sequence) -> set[int] | None:
    """The ids of the objects of ``held`` (the distinct values of a column of ``field``; None, an
    empty cell, is a field left out, not a value) that a Workload does not hold as they are; None
    when ``field`` has no check here (every row then goes through validation)."""
    check = _CHECKS.get(field)
    if check is None:
        return None
    if check is _text and set(map(type, held)) <= {str, _NONE}:  # a column of names: all text at once
        return set()
    return {id(v) for v in held if v is not None and not check(v)}


def can_make(names: Iterable[str]) -> bool:
    """Whether a row giving the fields ``names`` may be made by :func:`made_valid`: each named once,
    every required one among them, each with a check here."""
    names = tuple(names)
    given = frozenset(names)
    return len(given) == len(names) and REQUIRED <= given and all(name in _CHECKS for name in names)


def made_valid(names: Iterable[str], values: Iterable) -> Workload:
    """The Workload of ``names`` with ``values`` (a row :func:`can_make` allows, each of whose values
    :func:`failing` passed): what validation gives, made without validating."""
    fields = _DEFAULTS.copy()  # updating a key keeps its place: the model's order
    fields.update(zip(names, values))
    return _record(fields, set(names))


def made_from(data: dict, given: set[str], also: dict | None = None) -> Workload:
    """:func:`made_valid` of the values of ``data`` (then ``also``), whose keys are ``given`` (a
    set :func:`can_make` allows, shared by the records made from it): each a value :func:`failing`
    passed or a str, None on a field that may be None, or a mode."""
    fields = _DEFAULTS.copy()
    fields.update(data)
    if also is not None:
        fields.update(also)
    return _record(fields, given)


def _record(fields: dict, given: set[str]) -> Workload:
    """The Workload holding ``fields`` (every field, in the model's order) and given ``given``: what
    pydantic's ``model_construct`` does, without its per-field look-ups."""
    record = _new(Workload)
    _set(record, "__dict__", fields)
    _set(record, "__pydantic_fields_set__", given)
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


#: Rows made in one slice: each of a slice's steps is one C call that holds the interpreter lock
#: (a few milliseconds at most), and a window's worker lets the GUI thread go between slices.
SLICE_ROWS = 2048


def made_valid_rows(names: tuple[str, ...], columns: Sequence[Sequence],
                    gaps: Mapping[str, Sequence[int]] | None = None) -> list[Workload]:
    """:func:`made_valid` of every row of ``columns`` (each the column of a field of ``names``),
    ``SLICE_ROWS`` at a time: each step is one C call over a slice's rows, none a Python call a
    row.  The caller keeps the rows each of whose values passed (and drops the others' records).

    ``gaps`` gives, per field, the rows (ascending) whose cell is empty (None): such a row leaves
    that field out, as validation of the row without it would (the field takes its default and is
    not among the fields given).  A row with a required field left out is made with a placeholder:
    the caller drops it.

    Rows that leave out the same fields share one set of the fields given: pydantic copies it
    before it adds to it (in ``model_copy``), and a frozen record is never assigned to."""
    rows = len(columns[0]) if columns else 0
    given = set(names)
    gaps = {name: rows_ for name, rows_ in (gaps or {}).items() if rows_ and name in given}
    if len(names) == len(_DEFAULTS) and given == _DEFAULTS.keys():  # every field: zipped in the model's order
        at = {name: i for i, name in enumerate(names)}
        names, columns = tuple(_DEFAULTS), [columns[at[name]] for name in _DEFAULTS]
        every = True
    else:  # the defaults, each given field replaced in its place
        every = False
    bits = {name: 1 << k for k, name in enumerate(gaps)}
    given_sets = {0: given}  # per pattern of fields left out (a bit each), the fields given
    records: list[Workload] = []
    for start in range(0, rows, SLICE_ROWS):
        give_way()
        end = min(start + SLICE_ROWS, rows)
        part = zip(*[column[start:end] for column in columns])
        if every:
            fields = list(map(dict, map(zip, repeat(names), part)))
        else:
            fields = list(map(dict.copy, repeat(_DEFAULTS, end - start)))
            deque(map(dict.update, fields, map(zip, repeat(names), part)), maxlen=0)
        left_out: list[int] | None = None
        for name, rows_ in gaps.items():
            here = [i - start for i in rows_[bisect_left(rows_, start):bisect_left(rows_, end)]]
            if not here:
                continue
            # the field's default in its place, and the field's bit in the row's pattern
            deque(map(dict.__setitem__, map(fields.__getitem__, here), repeat(name), repeat(_DEFAULTS[name])),
                  maxlen=0)
            if left_out is None:
                left_out = [0] * len(fields)
            deque(map(left_out.__setitem__, here, map(or_, map(left_out.__getitem__, here), repeat(bits[name]))),
                  maxlen=0)
        if left_out is None:
            sets: Iterable[set[str]] = repeat(given)
        else:
            for pattern in set(left_out) - given_sets.keys():
                given_sets[pattern] = given - {name for name, bit in bits.items() if pattern & bit}
            sets = map(given_sets.__getitem__, left_out)
        made = list(map(_new, repeat(Workload, len(fields))))
        for slot, values in (("__dict__", fields), ("__pydantic_fields_set__", sets),
                             ("__pydantic_extra__", repeat(None)), ("__pydantic_private__", repeat(None))):
            deque(map(_set, made, repeat(slot), values), maxlen=0)
        records += made
    return records
