"""Faithfulness to the five source documents in ../shared/seeds/.

Every figure in a record's results, in the budget table and in the mapping must
stand in the text of the document it cites, and every initiative heading of each
source must be covered by a record (or explicitly left out, with a reason).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from conftest import REPO, SEEDS
from kb.load import load
from kb.text import number

KB = load(REPO / "data")


@cache
def seed_text(document: str) -> str:
    path = SEEDS / KB.documents[document].file
    assert path.is_file(), f"source text missing: {path} (CI has ../shared/seeds beside the clone)"
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def result_figures():
    for record in KB.initiatives:
        for i, res in enumerate(record.results):
            c = res.comparison
            for name, value in (("value", res.value), ("n", res.n),
                                ("comparison.value", c and c.value), ("comparison.n", c and c.n)):
                if value is not None:
                    yield pytest.param(res.source.document, value,
                                       id=f"{record.id}.results[{i}].{name}")


@pytest.mark.parametrize("document, value", list(result_figures()))
def test_result_figure_stands_in_the_cited_document(document, value):
    assert number(value) in seed_text(document)


def test_there_are_figures_to_check():
    assert len(list(result_figures())) >= 10


def test_budget_amounts_stand_in_the_framework_paper():
    budget = KB.context.budget
    assert budget is not None and len(budget.rows) == 15
    text = seed_text(budget.source.document)
    for row in budget.rows:
        assert number(row.amount) in text, row
    totals = {r.year: r.amount for r in budget.rows if r.party == "I alt"}
    assert totals[None] == 97.4


def test_mapping_counts_stand_in_the_syddanmark_document():
    mapping = KB.context.syddanmark_mapping
    text = seed_text(mapping.source.document)
    assert f"{mapping.mapped} tværsektorielle indsatser" in text
    assert "otte velevaluerede indsatser" in text and mapping.selected_stated == 8
    assert sum(len(g.initiatives) for g in mapping.groups) == 7  # the text lists seven


def test_every_document_has_a_coverage_list():
    assert sorted(c.document for c in KB.coverage) == sorted(KB.documents)


def coverage_entries():
    for cov in KB.coverage:
        for entry in cov.entries:
            yield pytest.param(cov.document, entry, id=f"{cov.document}: {entry.heading[:40]}")


@pytest.mark.parametrize("document, entry", list(coverage_entries()))
def test_coverage_heading_stands_in_its_document(document, entry):
    assert re.sub(r"\s+", " ", entry.heading) in seed_text(document)


@pytest.mark.parametrize("document, entry", list(coverage_entries()))
def test_covering_records_cite_the_document(document, entry):
    by_id = KB.by_id()
    for record_id in entry.records:
        cited = {s.document for s in by_id[record_id].sources}
        cited |= {res.source.document for res in by_id[record_id].results}
        assert document in cited, f"{record_id} covers '{entry.heading}' but does not cite {document}"


def test_every_record_is_in_some_coverage_list():
    covered = {x for cov in KB.coverage for e in cov.entries for x in e.records}
    assert sorted({r.id for r in KB.initiatives} - covered) == []


def test_thirteen_early_follow_up_projects():
    cov = next(c for c in KB.coverage if c.document == "tidlig-opfoelgning-2020")
    projects = {x for e in cov.entries if ":" in e.heading for x in e.records}
    assert len(projects) >= 13


def test_not_measured_is_said_with_a_reason():
    for record in KB.initiatives:
        m = record.measurement
        if m.effect_measured == "nej":
            assert m.gap_reasons or m.text, record.id


def test_quality_parameters_are_the_six_of_the_framework_paper():
    params = KB.vocabularies["quality_parameters"]
    assert len(params) == 6
    text = seed_text("rammepapir-forloebskoordination-2012")
    assert "Udskrivningsbrev/epikrise sendes rettidigt" in text


def test_statistics_stand_in_the_cited_document_as_given():
    for record in KB.initiatives:
        for i, res in enumerate(record.results):
            if res.statistics:
                stated = re.sub(r"\s+", " ", res.statistics)
                assert stated in seed_text(res.source.document), f"{record.id}.results[{i}].statistics"
