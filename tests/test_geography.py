"""Which initiatives concern a citizen in a municipality (kb.geography): the one rule behind the finder's
'Borgerens kommune' and the region pages' municipality tables. On the fixture vocabularies: Odder lies in
the Horsens cluster, Aarhus in no cluster a source gives."""

from __future__ import annotations

import pytest

from kb import geography
from kb.loader import DataError, load
from kb.pages import render_all


@pytest.fixture
def kb(fixture_data):
    return load(fixture_data)


def record(kb, **where):
    """A fixture record moved to ``where`` (region, cluster, municipalities)."""
    base = kb.by_id()["horsens-hoftebrud"]
    return base.model_copy(update={"cluster": None, "municipalities": [], **where})


@pytest.mark.parametrize("where, municipality, expected", [
    ({"region": "midtjylland", "municipalities": ["odder"]}, "odder", "kommune"),
    ({"region": "midtjylland", "municipalities": ["aarhus"]}, "odder", None),  # another municipality's
    ({"region": "midtjylland", "cluster": "horsens", "municipalities": ["aarhus"]}, "odder", None),
    ({"region": "midtjylland", "cluster": "horsens"}, "odder", "klynge"),
    ({"region": "midtjylland", "cluster": "vest"}, "odder", None),  # another cluster's
    ({"region": "midtjylland", "cluster": "horsens"}, "aarhus", None),  # Aarhus's cluster is not known
    ({"region": "midtjylland"}, "odder", "region"),
    ({"region": "midtjylland"}, "aarhus", "region"),
    ({"region": "syddanmark"}, "odder", None),
    ({"region": "nationalt"}, "odder", "national"),
    ({"region": "nationalt", "municipalities": ["aarhus"]}, "odder", None),  # national, but for Aarhus
])
def test_an_initiative_concerns_a_municipality_for_one_reason_or_none(kb, where, municipality, expected):
    assert geography.reason(kb, record(kb, **where), municipality) == expected


def test_the_region_page_lists_each_initiative_under_its_reason(kb):
    page = render_all(kb)["regioner/midtjylland.md"]
    odder = next(line for line in page.splitlines() if "kommune-odder" in line)
    cells = [cell.strip() for cell in odder.strip("|").split("|")]
    assert cells[1] == "Horsensklyngen" and cells[2] == "Ingen" and "horsens-hoftebrud" in cells[3]
    aarhus = next(line for line in page.splitlines() if "kommune-aarhus" in line)
    assert [cell.strip() for cell in aarhus.strip("|").split("|")][1:] == ["Ikke oplyst", "Ingen", "Ingen"]


def test_a_municipality_in_a_cluster_of_another_region_is_refused(fixture_data):
    vocab = fixture_data / "vocab" / "municipalities.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace(
        "  region: nordjylland\n", "  region: nordjylland\n  cluster: horsens\n"), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load(fixture_data)
    problems = [str(p) for p in exc.value.problems]
    assert len(problems) == 1 and problems[0].startswith("data/vocab/municipalities.yml:")
    assert "[6].cluster: forventede en klynge i kommunens region 'nordjylland', fandt 'horsens' i " \
           "'midtjylland'" in problems[0]
