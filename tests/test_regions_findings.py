"""Regions, municipalities and clusters belong together; every result says which way its finding went.

The tests take their ids from the fixture records and the loaded vocabularies, never from a list of
today's regions or municipalities.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from kb.loader import DataError, load
from kb.model import NATIONAL, REGIONAL
from kb.pages import render_all


def _rewrite(data: Path, record: str, old: str, new: str) -> Path:
    path = data / "projects" / f"{record}.yml"
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.M), old
    path.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")
    return path


def _problems(data: Path):
    with pytest.raises(DataError) as info:
        load(data)
    return info.value.problems


def _line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(start))


def _other_region(kb, region: str) -> str:
    return next(r for r in kb.vocabularies["regions"] if r not in (region, NATIONAL))


# --- validation -------------------------------------------------------------


def test_every_cluster_and_municipality_names_a_region():
    kb = load(REPO / "data")
    regions = kb.vocabularies["regions"]
    for name in REGIONAL:
        assert kb.vocabularies[name], name
        assert all(term.region in regions for term in kb.vocabularies[name].values()), name


def test_a_cluster_term_without_region_is_refused(fixture_data):
    path = fixture_data / "vocab" / "clusters.yml"
    first = re.search(r"^  region: .*\n", path.read_text(encoding="utf-8"), flags=re.M)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:first.start()] + text[first.end():], encoding="utf-8")
    problems = _problems(fixture_data)
    assert any(p.file.endswith("vocab/clusters.yml") and p.path == "[0].region" and "påkrævet" in p.message
               for p in problems), [str(p) for p in problems]


def test_cluster_outside_the_records_region_is_refused(fixture_data):
    kb = load(fixture_data)
    record = next(r for r in kb.initiatives if r.cluster)
    elsewhere = _other_region(kb, record.region)
    path = _rewrite(fixture_data, record.id, r"^region: .*$", f"region: {elsewhere}")
    problems = [p for p in _problems(fixture_data) if p.path == "cluster"]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == f"data/projects/{record.id}.yml"
    assert problem.line == _line_of(path, "cluster:")
    assert f"forventede en klynge i postens region, {kb.label('regions', elsewhere)}" in problem.message
    assert f"'{record.cluster}'" in problem.message and f"ret 'region' til '{record.region}'" in problem.message


def test_municipality_outside_the_records_region_is_refused_unless_national(fixture_data):
    kb = load(fixture_data)
    record = next(r for r in kb.initiatives if r.municipalities and not r.cluster)
    _rewrite(fixture_data, record.id, r"^region: .*$", f"region: {_other_region(kb, record.region)}")
    assert [p.path for p in _problems(fixture_data)] == ["municipalities[0]"]
    _rewrite(fixture_data, record.id, r"^region: .*$", f"region: {NATIONAL}")
    assert load(fixture_data).by_id()[record.id].municipalities == record.municipalities


@pytest.mark.parametrize("replacement, words", [
    ("", "påkrævet"),
    ("    direction: maaske\n", "forventede en af"),
])
def test_every_result_needs_a_direction_from_the_list(fixture_data, replacement, words):
    kb = load(fixture_data)
    record = next(r for r in kb.initiatives if r.results)
    _rewrite(fixture_data, record.id, r"^    direction: .*\n", replacement)
    [problem] = [p for p in _problems(fixture_data) if p.file == f"data/projects/{record.id}.yml"]
    assert problem.path == "results[0].direction" and words in problem.message


# --- pages ------------------------------------------------------------------


def test_region_pages_list_the_national_initiatives_and_say_when_a_region_has_none(fixture_data):
    kb = load(fixture_data)
    model = next(r for r in kb.initiatives if r.cluster)
    path = fixture_data / "projects" / "landsdaekkende.yml"
    path.write_text((fixture_data / "projects" / f"{model.id}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    _rewrite(fixture_data, "landsdaekkende", r"^id: .*$", "id: landsdaekkende")
    _rewrite(fixture_data, "landsdaekkende", r"^region: .*$", f"region: {NATIONAL}")
    _rewrite(fixture_data, "landsdaekkende", r"^cluster: .*\n", "")
    kb = load(fixture_data)
    pages = render_all(kb)
    link = "{doc}`/book/generated/indsatser/landsdaekkende`"
    used = {r.region for r in kb.initiatives}
    for region in kb.vocabularies["regions"]:
        page = pages[f"regioner/{region}.md"]
        assert link in page, region
        if region != NATIONAL:
            national = page.index("## Nationale indsatser")
            assert page.index(link) > national
        if region not in used:
            section = page[:page.index("## Nationale indsatser")]
            assert "endnu ingen indsatser" in section and "| Indsats |" not in section
    assert "{doc}`/book/generated/regioner/" + model.region + "`" in pages["regioner.md"]


def test_region_page_groups_by_cluster_and_finds_each_municipality(fixture_data):
    kb = load(fixture_data)
    pages = render_all(kb)
    for record in kb.initiatives:
        page = pages[f"regioner/{record.region}.md"]
        if record.cluster:
            heading = page.index(f"### {kb.label('clusters', record.cluster)}")
            assert page.index(f"indsatser/{record.id}`", heading) > heading
        for m in record.municipalities:
            row = next(line for line in page.splitlines() if f'id="kommune-{m}"' in line)
            assert f"indsatser/{record.id}`" in row
            assert f'regioner/{record.region}.html#kommune-{m}"' in pages[f"indsatser/{record.id}.md"]
    for m, term in kb.vocabularies["municipalities"].items():
        assert f'id="kommune-{m}"' in pages[f"regioner/{term.region}.md"]
        assert f'href="regioner/{term.region}.html#kommune-{m}"' in pages["regioner.md"]


SUCCESS = re.compile(r"forbedring|bedre|succes|målt effekt", re.I)


def test_a_null_result_never_reads_as_success(fixture_data):
    kb = load(fixture_data)
    record = next(r for r in kb.initiatives if r.measurement.effect_measured in ("ja", "delvist") and r.results)
    null = record.model_copy(update={
        "measurement": record.measurement.model_copy(update={"effect_measured": "ja"}),
        "results": [res.model_copy(update={"direction": "ingen-forskel"}) for res in record.results],
    })
    kb.initiatives = [null if r.id == record.id else r for r in kb.initiatives]
    pages = render_all(kb)
    page = pages[f"indsatser/{record.id}.md"]
    results = page[page.index("## Resultater"):page.index("## Konklusion")]
    facts = "\n".join(line for line in results.splitlines() if line.startswith("- **"))
    assert not SUCCESS.search(facts), facts
    assert sum("**Fund:**" in line and "ingen forskel" in line for line in facts.splitlines()) \
        == len(record.reported) + 1  # an expectation reads "Forventning (ikke målt)"
    row = next(line for line in pages["oversigt.md"].splitlines() if f'href="indsatser/{record.id}.html"' in line)
    effect = row[row.index("<p>"):]  # the overview's line under the title (a list since issue 18)
    assert "ingen forskel" in effect and not SUCCESS.search(row)


def test_an_improvement_and_its_statistics_are_shown_beside_the_result(fixture_data):
    kb = load(fixture_data)
    record = next(r for r in kb.initiatives if r.results and r.results[0].design != "ikke-maalt")
    better = record.model_copy(update={"results": [
        record.results[0].model_copy(update={"direction": "bedre", "statistics": "p = 0,04"}),
        *record.results[1:]]})
    kb.initiatives = [better if r.id == record.id else r for r in kb.initiatives]
    page = render_all(kb)[f"indsatser/{record.id}.md"]
    first = page[page.index("### ", page.index("## Resultater")):]
    first = first[:first.index("- **Kilde:**")]
    assert re.search(r"- \*\*Fund:\*\* (Målt|Angivet)\\: forbedring \\\(", first), first
    assert "- **Statistik:** p \\= 0\\,04" in first


def test_a_result_that_is_not_measured_has_no_direction(fixture_data):
    kb = load(fixture_data)
    record, i = next((r, i) for r in kb.initiatives for i, res in enumerate(r.results)
                     if res.design == "ikke-maalt")
    path = fixture_data / "projects" / f"{record.id}.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = [n for n, line in enumerate(lines) if line.startswith("    direction: ")][i]
    lines[at] = "    direction: bedre\n"
    path.write_text("".join(lines), encoding="utf-8")
    [problem] = [p for p in _problems(fixture_data) if p.file == f"data/projects/{record.id}.yml"]
    assert problem.path == f"results[{i}].direction" and problem.line == at + 1
    assert "forventede direction: uklart, fandt 'bedre'" in problem.message
