"""Finding a model's rates by the names people use for it.

A reference is either the full id ``provider/model-id`` (``together/arcee-ai/maestro-reasoning``)
or a bare model id (``arcee-ai/maestro-reasoning``) when exactly one provider lists it.
A full id always wins: ``openai/gpt-oss-120b`` is OpenAI's gpt-oss-120b even though Together
lists a model whose id is ``openai/gpt-oss-120b`` (``together/openai/gpt-oss-120b``), so every
id the catalog prints can be priced.  Matching ignores case.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from pricing.plan.models import ModelRate


class UnknownModel(LookupError):
    pass


class AmbiguousModel(LookupError):
    def __init__(self, reference: str, candidates: list[str]):
        self.reference = reference
        self.candidates = candidates
        super().__init__(
            f"model {reference!r} is listed by several providers: {', '.join(candidates[:6])}"
            f"{' …' if len(candidates) > 6 else ''}; name it as provider/model-id"
        )


@dataclass(frozen=True)
class RateBook:
    """An index over a sequence of ModelRates for reference lookups."""

    rates: tuple[ModelRate, ...]
    #: What the book is, for messages: "rate sheet" or "catalog".
    kind: str = "rate sheet"

    def __post_init__(self) -> None:
        by_id: dict[str, ModelRate] = {}
        by_model: dict[str, list[ModelRate]] = {}
        for rate in self.rates:
            by_id[rate.id.lower()] = rate
            by_model.setdefault(rate.model_id.lower(), []).append(rate)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_model", by_model)

    @classmethod
    def of(cls, rates: Iterable[ModelRate], kind: str = "rate sheet") -> RateBook:
        return cls(tuple(rates), kind)

    def __len__(self) -> int:
        return len(self.rates)

    def __iter__(self):
        return iter(self.rates)

    def get(self, reference: str) -> ModelRate | None:
        """The rate for ``reference``, or None when unknown or ambiguous."""
        try:
            return self.resolve(reference)
        except LookupError:
            return None

    def resolve(self, reference: str) -> ModelRate:
        key = reference.strip().lower()
        found = self._by_id.get(key)  # type: ignore[attr-defined]
        candidates = self._by_model.get(key, [])  # type: ignore[attr-defined]
        if found is not None:
            return found
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise AmbiguousModel(reference, sorted(r.id for r in candidates))
        close = difflib.get_close_matches(key, list(self._by_id) + list(self._by_model), n=3, cutoff=0.6)  # type: ignore[attr-defined]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UnknownModel(f"model {reference!r} is not in the {self.kind}{hint}")

    def providers(self) -> list[str]:
        return sorted({r.provider for r in self.rates})
