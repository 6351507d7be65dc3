"""Validated workloads from rows whose values were converted column by column.

A reader that converts each distinct value of a column once hands the same object to every
row holding that value.  A workload's fields are validated each on its own (no rule spans
fields; tests/test_workbook_reading.py pins that), so a row each of whose numbers has already
passed validation in its column (in an earlier row), and whose texts are plain text, is a
valid workload with those validated values and its own texts: the very record validation would
give, made without validating the same numbers again.  Any other row is validated whole, so its
error, if any, is the one validation gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pricing.plan.models import Workload

_NOT_YET = object()
_new = Workload.__new__
_set = object.__setattr__


class CheckedWorkloads:
    """``make(values)`` is ``build(**values)`` (a Workload, or the error validation raises).

    ``texts`` names the fields that take any text, each with the value an absent cell gives;
    ``build`` turns the values into a Workload (``Workload`` itself, or a function that also
    reads a mode's text, say).  Each value that passed stays referenced while this object lives,
    so its identity stands for it."""

    def __init__(self, texts: Mapping[str, object], build: Callable[..., Workload] = Workload) -> None:
        self._texts = dict(texts)
        self._build = build
        self._passed: dict[str, dict[int, tuple[object, object]]] = {}
        defaults = {name: info.get_default(call_default_factory=True)
                    for name, info in Workload.model_fields.items() if not info.is_required()}
        defaults.update(self._texts)
        self._required = frozenset(name for name in _ORDER if name not in defaults)
        # Every field in the model's order (a required one holds a placeholder a row always
        # replaces): a copy filled in place is the record's ``__dict__`` as validation orders it.
        self._defaults = {name: defaults.get(name, _NOT_YET) for name in _ORDER}
        self._checks: dict[tuple[str, ...], tuple | None] = {}
        self._last: tuple = ((), None)  # the names asked for last, and their checks

    def make(self, values: dict) -> Workload:
        return self._make(tuple(values), tuple(values.values()), values)

    def make_row(self, names: tuple[str, ...], row: tuple) -> Workload:
        """``make(dict(zip(names, row)))`` without the dict: the rows of a sheet name the same
        fields, so what each field's check needs is found once for ``names``, not once a row."""
        return self._make(names, row, None)

    def _make(self, names: tuple[str, ...], row: tuple, values: dict | None) -> Workload:
        last_names, checks = self._last
        if names is not last_names:
            checks = self._checks.get(names, _NOT_YET)
            if checks is _NOT_YET:
                checks = self._checks[names] = self._checks_for(names)
            self._last = (names, checks)
        if checks is not None:
            fields = self._defaults.copy()
            for (name, text, seen), value in zip(checks[0], row):
                if seen is None:  # a text field: plain text, or the value of an empty cell
                    if value.__class__ is not str and value != text:
                        break  # not plain text: validated below
                    fields[name] = value
                    continue
                got = seen.get(id(value))
                if got is None:
                    break
                fields[name] = got[1]
            else:
                return _valid(fields, checks[1])
        if values is None:
            values = dict(zip(names, row))
        record = self._build(**values)
        for name, value in values.items():
            if name not in self._texts:
                self._passed.setdefault(name, {})[id(value)] = (value, getattr(record, name))
        return record

    def _checks_for(self, names: tuple[str, ...]) -> tuple | None:
        """Per field of ``names``: (name, its empty text, None) for a text field, (name, None, the
        values that passed in its column) for any other, and the names as a set; None when a row of
        ``names`` cannot be a copy (a required field missing, or a field named twice)."""
        given = frozenset(names)
        if len(given) != len(names) or not given >= self._required:
            return None
        return tuple((name, self._texts[name], None) if name in self._texts else
                     (name, None, self._passed.setdefault(name, {})) for name in names), given


def _valid(fields: dict, values) -> Workload:
    """The Workload of ``fields`` (every field, in the model's order), each already the value
    validation gives it: what pydantic's ``model_construct`` does, without its per-field look-ups."""
    record = _new(Workload)
    _set(record, "__dict__", fields)
    _set(record, "__pydantic_fields_set__", set(values))
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


_ORDER = tuple(Workload.model_fields)
