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


#: The maker a model id's prefix names: a bare id several providers list is its maker's own when a
#: usage log or a budget names it without saying whose API served it ('claude-sonnet-4-5').
MAKERS = {"gpt": "openai", "o1": "openai", "o3": "openai", "o4": "openai", "chatgpt": "openai",
          "claude": "anthropic", "gemini": "google", "gemma": "google", "mistral": "mistral",
          "mixtral": "mistral", "codestral": "mistral", "command": "cohere", "grok": "x-ai",
          "deepseek": "deepseek", "sonar": "perplexity", "kimi": "moonshotai"}


def maker_of(model: str) -> str | None:
    key = model.lower().split("/")[-1]
    return next((maker for prefix, maker in MAKERS.items() if key.startswith(prefix)), None)


class UnknownModel(LookupError):
    """A model a rate book does not list.  ``hint`` (a callable) writes the end of the message, a
    'did you mean' from a fuzzy search of every id, when the message is first read: a caller that
    only asks whether a model is listed never pays for the search."""

    def __init__(self, message: str = "", hint=None):
        super().__init__(message)
        self._hint = hint

    def __str__(self) -> str:
        if self._hint is not None:
            hint, self._hint = self._hint, None
            self.args = (f"{self.args[0]}{hint()}",)
        return super().__str__()

    def __reduce__(self):
        return (UnknownModel, (str(self),))


class AmbiguousModel(LookupError):
    def __init__(self, reference: str, candidates: list[str], hint: str = "name it as provider/model-id"):
        self.reference = reference
        self.candidates = candidates
        super().__init__(
            f"model {reference!r} is listed by several providers: {', '.join(candidates[:6])}"
            f"{' …' if len(candidates) > 6 else ''}; {hint}"
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
        raise UnknownModel(f"model {reference!r} is not in the {self.kind}", lambda: self._did_you_mean(key))

    def _did_you_mean(self, key: str) -> str:
        close = difflib.get_close_matches(key, list(self._by_id) + list(self._by_model), n=3, cutoff=0.6)  # type: ignore[attr-defined]
        return f"; did you mean {' or '.join(close)}?" if close else ""

    def resolve_logged(self, name: str, provider: str | None = None) -> ModelRate:
        """The model a usage log or someone else's budget names: the model id as sent to a
        provider's API (Together's ``openai/gpt-oss-120b``), or a full id.

        Unlike :meth:`resolve`, a full id does not win here: a log's ``openai/gpt-oss-120b`` may be
        Together's model as well as OpenAI's, so that name is ambiguous unless ``provider`` says
        whose it is.
        """
        key = name.strip().lower()
        if provider:
            prov = provider.strip().lower()
            mine = [r for r in self._by_model.get(key, []) if r.provider.lower() == prov]  # type: ignore[attr-defined]
            found = self._by_id.get(f"{prov}/{key}") or self._by_id.get(key)  # type: ignore[attr-defined]
            if found is not None and found.provider.lower() == prov:
                return found
            if len(mine) == 1:
                return mine[0]
            raise UnknownModel(f"provider {provider!r} lists no model {name!r} in the {self.kind}")
        candidates = {r.id: r for r in self._by_model.get(key, [])}  # type: ignore[attr-defined]
        full = self._by_id.get(key)  # type: ignore[attr-defined]
        if full is not None:
            candidates.setdefault(full.id, full)
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        if len(candidates) > 1:
            maker = maker_of(name)
            own = [r for r in candidates.values() if r.provider == maker]
            if full is None and len(own) == 1:
                return own[0]  # a bare id: its maker's own API
            raise AmbiguousModel(name, sorted(candidates), hint="say which provider served it (--provider)")
        return self.resolve(name)

    def providers(self) -> list[str]:
        return sorted({r.provider for r in self.rates})
