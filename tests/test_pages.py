"""Golden-file tests of the page generator, and its guarantees.

Regenerate the expected output after an intended change with
``UPDATE_GOLDEN=1 pytest tests/test_pages.py`` and review the diff.
"""

from __future__ import annotations

import html
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, make_book_root
from kb.build import generate
from kb.citation import read_citation
from kb.history import Change, History
from kb.load import DataError, load
from kb.pages import render_all

GOLDEN = Path(__file__).parent / "golden"
# A history as git would give it (newest first); injektion has only its own `updated`, horsens neither.
HISTORY = History(True, [
    Change(date(2026, 11, 2), "vest-video", "ændret"),
    Change(date(2026, 10, 1), "gammel-post", "fjernet"),
    Change(date(2026, 10, 1), "vest-video", "ny"),
])


@pytest.fixture
def pages(fixture_data):
    return render_all(load(fixture_data), HISTORY, read_citation(REPO))


def test_generated_pages_match_golden_files(pages):
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for rel, text in pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for rel, text in pages.items():
        assert text == expected[rel], f"{rel} differs from tests/golden/{rel}"


def test_initiative_page_sections_in_fixed_order(pages):
    page = pages["indsatser/vest-video.md"]
    order = ["## Målgruppe", "## Intervention", "## Resultater", "## Konklusion",
             "## Inklusions- og eksklusionskriterier", "## Kilder"]
    positions = [page.index(h) for h in order]
    assert positions == sorted(positions)


def test_figures_are_written_the_danish_way(pages):
    page = pages["indsatser/vest-video.md"]
    assert "**Tal:** 7,9 % (n = 63)" in page
    assert ": 17 %" in page
    assert "15.000" in pages["indsatser/injektion.md"]


def test_not_measured_is_said(pages):
    page = pages["indsatser/horsens-hoftebrud.md"]
    assert "Nej – effekten er ikke målt" in page
    assert "LPR3 gav ikke valide data" in page


def test_related_links_are_shown_both_ways(pages):
    assert "{doc}`/book/generated/indsatser/horsens-hoftebrud`" in pages["indsatser/vest-video.md"]
    assert "{doc}`/book/generated/indsatser/vest-video`" in pages["indsatser/horsens-hoftebrud.md"]


def test_same_input_gives_identical_files_and_rewrites_nothing(fixture_data, tmp_path):
    kb = load(fixture_data)
    assert render_all(kb) == render_all(load(fixture_data))
    root = make_book_root(tmp_path)
    assert generate(kb, root)[1] > 0
    generated = root / "book" / "generated"  # pages, downloads (CSV, Excel, …) and Vega
    before = {p: p.read_bytes() for p in generated.rglob("*") if p.is_file()}
    assert any(p.suffix == ".xlsx" for p in before)
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    assert generate(kb, root)[1] == 0
    assert {p: p.read_bytes() for p in generated.rglob("*") if p.is_file()} == before
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes


def test_stale_pages_are_removed(fixture_data, tmp_path):
    root = make_book_root(tmp_path)
    generate(load(fixture_data), root)
    (fixture_data / "projects" / "injektion.yml").unlink()
    generate(load(fixture_data), root)
    assert not (root / "book/generated/indsatser/injektion.md").exists()
    assert not (root / "book/generated/_extra/data/poster/injektion.yml").exists()
    assert (root / "book/generated/_extra/data/poster/vest-video.yml").exists()


def test_finder_cards_lead_with_the_headline_result(fixture_data):
    from kb.findings import headline

    kb = load(fixture_data)
    page = render_all(kb, HISTORY, read_citation(REPO))["find.md"]
    with_figure = next(r for r in kb.initiatives if any(res.value is not None and res.direction != "uklart"
                                                        for res in r.results))
    line = headline(kb, with_figure)
    assert any(ch.isdigit() for ch in line) and line.split(" – ")[1].split(" (")[0] in (
        "målt: forbedring", "målt: forværring", "målt: ingen forskel", "målt: blandet")
    assert f"Resultat: {html.escape(line)}" in page


def test_documents_are_linked_plainly_from_the_record_and_the_sources_page(pages):
    link = '<a href="https://example.org/tidlig-opfoelgning.pdf">Læs dokumentet</a>'
    assert link in pages["indsatser/vest-video.md"] and link in pages["kilder.md"]
    kilder = pages["kilder.md"]
    assert '<a href="https://example.org/syddanmark?side=1&amp;sprog=da" hreflang="en">' in kilder
    assert '<a href="https://doi.org/10.1234/ramme_papir(2012)*1" hreflang="da">' in kilder
    assert "**Forfattere:** Anne \\*Fed\\* Hansen; Bo Jensen" in kilder and "**Sprog:** engelsk" in kilder


@pytest.mark.parametrize("field, value, message", [
    ("url", "javascript:alert(1)", "forventede en adresse, der begynder med https://, fandt 'javascript:"),
    ("url", '"https://example.org/" onclick="x"', "forventede en adresse, der begynder med https://"),
    ("doi", "https://doi.org/10.1234/x", "forventede en DOI som 10.1186/1472-6963-15-1 (uden https://doi.org/)"),
    ("language", "dansk", "forventede en sprogkode på to små bogstaver"),
])
def test_a_document_link_is_a_web_address_or_a_doi(fixture_data, field, value, message):
    documents = fixture_data / "documents.yml"
    text = documents.read_text(encoding="utf-8")
    documents.write_text(text.replace("  year: 2016\n", f"  year: 2016\n  {field}: '{value}'\n", 1),
                         encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load(fixture_data)
    # (today one bad document empties the list, so its citations fail too: issue 14, item 7)
    [problem] = [p for p in exc.value.problems if p.file == "data/documents.yml"]
    assert (problem.file, problem.path) == ("data/documents.yml", f"[0].{field}") and message in problem.message
