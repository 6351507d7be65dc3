"""A rate book writes its 'did you mean' hint for an unknown model when the message is read, and
the import's checks that only ask whether a model is listed never search for one: the same rates,
the same messages."""

from __future__ import annotations

import pickle
import random

import pytest

from pricing.costing.catalog import load_catalog
from pricing.costing.rates import UnknownModel
from pricing.importer.assembly import _from_catalog


def test_an_unknown_model_s_message_names_the_close_ids():
    with pytest.raises(UnknownModel) as caught:
        load_catalog().resolve("gpt-4oo")
    assert str(caught.value).startswith("model 'gpt-4oo' is not in the catalog; did you mean ")
    assert "gpt-4o" in str(caught.value)
    assert str(caught.value) == str(caught.value)  # the search once, the same text after


def test_an_unknown_model_pickles_with_its_whole_message():
    with pytest.raises(UnknownModel) as caught:
        load_catalog().resolve("gpt-4oo")
    assert str(pickle.loads(pickle.dumps(caught.value))) == str(caught.value)


def _names(seed: int) -> list[str]:
    rng = random.Random(seed)
    ids = sorted(r.id for r in load_catalog())
    out = []
    for _ in range(40):
        name = rng.choice(ids)
        kind = rng.randrange(5)
        if kind == 1:
            name = name.split("/", 1)[-1]  # the model id alone
        elif kind == 2:
            name = name.upper().replace("-", " ")  # a loose spelling
        elif kind == 3:
            name = name[:-1] + "x"  # a near miss
        elif kind == 4:
            name = f"in-house-model-{rng.randrange(100)}"
        out.append(name)
    return out


@pytest.mark.parametrize("seed", range(3))
def test_asking_only_whether_a_model_is_listed_finds_the_rate_the_full_look_up_finds(seed):
    catalog = load_catalog()
    for name in _names(seed):
        rate, problem = _from_catalog(catalog, name, name)
        quiet_rate, quiet_problem = _from_catalog(catalog, name, name, explain=False)
        assert quiet_rate == rate, name
        assert quiet_problem is None or quiet_problem == problem, name
