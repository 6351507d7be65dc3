"""Validated workloads from rows whose values were converted column by column.

A reader that converts each distinct value of a column once hands the same object to every
row holding that value.  A workload's fields are validated each on its own (no rule spans
fields; tests/test_workbook_reading.py pins that), so a row each of whose numbers has already
passed validation in its column (on its own, or in an earlier row), and whose texts are plain
text, is a copy of a valid workload with those validated values and its own texts: the very
record validation would give, without validating the same numbers again.  A row with a value
its field refuses is validated whole, so its error is the one validation gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pricing.plan.models import Workload

_NOT_YET = object()
_VALIDATOR = Workload.__pydantic_validator__


class CheckedWorkloads:
    """``make(values)`` is ``build(**values)`` (a Workload, or the error validation raises).

    ``texts`` names the fields that take any text, each with the value an absent cell gives;
    ``build`` turns the values into a Workload (``Workload`` itself, or a function that also
    reads a mode's text, say).  Each value stays referenced while this object lives, so the
    identity of a value that passed stands for it."""

    def __init__(self, texts: Mapping[str, object], build: Callable[..., Workload] = Workload) -> None:
        self._texts = dict(texts)
        self._build = build
        self._template: Workload | None = None
        #: A workload only this object sees, whose fields validate one value at a time (when
        #: ``build`` is Workload itself: a build that reads texts first validates whole rows).
        self._scratch: Workload | None = None
        self._passed: dict[str, dict[int, tuple[object, object]]] = {}
        self._defaults = {name: info.get_default(call_default_factory=True)
                          for name, info in Workload.model_fields.items() if not info.is_required()}
        self._defaults.update(self._texts)
        self._required = [name for name in Workload.model_fields if name not in self._defaults]

    def make(self, values: dict) -> Workload:
        template = self._template
        if template is not None and all(name in values for name in self._required):
            update = dict(self._defaults)
            texts, passed = self._texts, self._passed
            for name, value in values.items():
                if name in texts:
                    if value.__class__ is not str and value != texts[name]:
                        break  # not plain text: validated below
                    update[name] = value
                    continue
                got = passed.get(name, _NO_VALUES).get(id(value), _NOT_YET)
                if got is _NOT_YET:
                    got = self._field(name, value)
                    if got is _NOT_YET:
                        break
                update[name] = got[1]  # type: ignore[index]
            else:
                return template.model_copy(update=update)
        record = self._build(**values)
        if template is None:
            self._template = record
            self._scratch = record.model_copy() if self._build is Workload else None
        for name, value in values.items():
            if name not in self._texts:
                self._passed.setdefault(name, {})[id(value)] = (value, getattr(record, name))
        return record

    def _field(self, name: str, value: object) -> object:
        """(value, its validated value) once ``value`` passes ``name``'s own validation (a field of
        a scratch workload validated on assignment, as the workload's constructor validates it),
        or _NOT_YET: the whole row is then validated, and the error it raises is the row's."""
        scratch = self._scratch
        if scratch is None or name not in Workload.model_fields:
            return _NOT_YET
        try:
            _VALIDATOR.validate_assignment(scratch, name, value)
        except ValueError:  # pydantic's ValidationError is one
            return _NOT_YET
        got = self._passed.setdefault(name, {})[id(value)] = (value, scratch.__dict__[name])
        return got


_NO_VALUES: dict = {}
