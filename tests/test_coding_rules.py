"""The coding manual's design-rank rules at their boundaries (kb.loader, kb.findings), and the fidelity
check holding every figure a result carries (kb.fidelity). Fast: no build.

The designs are taken by rank from the fixture vocabulary, so the tests name the rule, not a term."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES
from kb.fidelity import check_sources
from kb.findings import effect, key_results
from kb.loader import DataError, load

RECORD = "vest-video"
# The coding manual's ranks, as the method page states them: a survey (rank 1) measures, a before-after
# comparison (rank 2) compares. Written out here, so moving a threshold in kb.model turns a test red too.
MEASURED, COMPARES = 1, 2
DESIGNS = yaml.safe_load((FIXTURES / "vocab" / "evidence_designs.yml").read_text(encoding="utf-8"))


def design_at(rank: int) -> str:
    return next(t["id"] for t in DESIGNS if (t.get("rank") or 0) == rank)


def result(rank: int, *, figure: bool) -> dict:
    # outside 'Indlæggelse og død': the comparability fields have rules of their own (test_comparable.py)
    res = {"outcome": "funktionsevne", "text": "Et resultat.", "design": design_at(rank),
           "direction": "bedre" if rank >= MEASURED else "uklart",
           "source": {"document": "tidlig-opfoelgning-2020", "locator": "Resultater"}}
    return {**res, "value": 7.9, "unit": "procent"} if figure else res


def rewrite(data: Path, change) -> Path:
    """The fixture record with ``change`` applied to its parsed YAML."""
    path = data / "projects" / f"{RECORD}.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def with_results(data: Path, results: list[dict], measured: str = "delvist") -> Path:
    def change(record):
        record["results"] = results
        record["measurement"] = {"effect_measured": measured, "text": "Om målingen."}
    return rewrite(data, change)


def problems(data: Path) -> list[str]:
    try:
        load(data)
    except DataError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_the_lowest_comparing_design_needs_a_figure_and_the_one_below_does_not(fixture_data):
    found = problems(with_results(fixture_data, [result(COMPARES, figure=False),
                                                 result(COMPARES - 1, figure=False)]))
    assert len(found) == 1 and "results[0].design: forventede et tal ('value')" in found[0]
    assert f"ved design: {design_at(COMPARES)}" in found[0]


@pytest.mark.parametrize("measured, lowest", [("ja", COMPARES), ("delvist", MEASURED)])
def test_effect_measured_rests_on_a_result_of_its_lowest_rank_and_not_one_below(fixture_data, measured, lowest):
    at = with_results(fixture_data, [result(lowest, figure=True)], measured)
    assert problems(at) == []
    below = with_results(fixture_data, [result(lowest - 1, figure=True)], measured)
    found = problems(below)
    assert len(found) == 1 and "measurement.effect_measured: forventede mindst ét resultat med et design af " \
                               f"rang {lowest} eller derover" in found[0]


def test_a_result_of_the_lowest_measuring_rank_reads_as_measured_and_one_below_as_stated(fixture_data):
    kb = load(with_results(fixture_data, [result(MEASURED - 1, figure=True), result(MEASURED, figure=True)]))
    assert effect(kb, design_at(MEASURED), ["bedre"]).startswith("Målt: forbedring")
    assert effect(kb, design_at(MEASURED - 1), ["bedre"]).startswith("Angivet: forbedring")
    record = kb.by_id()[RECORD]
    assert [res.design for res in key_results(kb, record)] == [design_at(MEASURED)]  # only the measured one


# --- fidelity: every figure a result carries stands in its text -----------------------------------

FIGURES = {"value": 42.5, "n": 4321, "comparison.value": 42.5, "comparison.n": 4321,
           "statistics": "p = 0,0123"}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_of_a_result_is_held_to_its_text(fixture_data, name):
    def change(record):
        res = next(r for r in record["results"] if r.get("value") is not None)
        holder, key = (res["comparison"], name.split(".")[1]) if "." in name else (res, name)
        holder[key] = FIGURES[name]
        if name == "comparison.n":  # both groups' n given: the source no longer leaves them unstated
            res.pop("group_sizes", None)

    kb = load(rewrite(fixture_data, change))
    index = next(i for i, r in enumerate(kb.by_id()[RECORD].results) if r.value is not None)
    failures = check_sources(kb, FIXTURES / "sources").failures
    assert [f for f in failures if f.startswith(f"data/projects/{RECORD}.yml: results[{index}].{name}: ")], \
        failures
    assert len(failures) == 1, failures
