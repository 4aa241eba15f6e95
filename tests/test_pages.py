"""Golden-file tests of the page generator, and its guarantees.

Regenerate the expected output after an intended change with
``UPDATE_GOLDEN=1 pytest tests/test_pages.py`` and review the diff.
"""

from __future__ import annotations

import html
import os
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import REPO, make_book_root
from kb.citation import read_citation
from kb.findings import FLAGS
from kb.generate import generate
from kb.history import Change, History
from kb.loader import DataError, load
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
    generated = root / "book" / "generated"  # pages and downloads (CSV, Excel, …)
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
    assert not (root / "book/generated/_extra/data/projects/injektion.yml").exists()
    assert (root / "book/generated/_extra/data/projects/vest-video.yml").exists()


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


def test_every_document_with_an_address_is_linked_on_kilder_and_in_each_record(fixture_data, pages):
    """Each document's entry on "Kilder" links its address and its DOI; each record's "Kilder" links every
    document it cites that has either."""
    kb = load(fixture_data)
    kilder = pages["kilder.md"]
    addressed = [d for d in kb.documents.values() if d.url or d.doi]
    assert addressed and len(addressed) < len(kb.documents)  # the fixtures have both kinds
    for d in kb.documents.values():
        entry = kilder.split(f"(kilde-{d.id})=\n", 1)[1].split("\n(kilde-", 1)[0]
        hrefs = [h for h in (d.url, d.doi and f"https://doi.org/{d.doi}") if h]
        assert [h for h in hrefs if f'<a href="{html.escape(h)}"' not in entry] == [], d.id
    for r in kb.initiatives:
        own = pages[f"indsatser/{r.id}.md"].split("\n## Kilder\n", 1)[1].split("\n## ", 1)[0]
        for s in r.sources:
            d = kb.documents[s.document]
            if d.url or d.doi:
                assert f'<a href="{html.escape(d.url or f"https://doi.org/{d.doi}")}"' in own, (r.id, d.id)


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


# --- the summary first, flags and honest effect wording (issue 15, items 1 and 2) ---------------


def summary(page: str) -> str:
    """The page's kb-summary block; it must open the page, between the title and the first section."""
    start = page.index(":::{container} kb-summary\n")
    end = page.index("\n:::\n", start)
    assert page.index("\n# ") < start and end < page.index("\n## "), "the summary is not before the first section"
    return page[start:end]


def test_every_initiative_page_opens_with_its_summary(pages):
    initiatives = [rel for rel in pages if rel.startswith("indsatser/")]
    assert len(initiatives) == 3
    for rel in initiatives:
        text = summary(pages[rel])
        for fact in ("**Hvad og for hvem:**", "**Hvor:**", "**Status og periode:**", "**Sektorer:**", "**Kilde"):
            assert fact in text, (rel, fact)
        assert "**Resultat" in text and "{ref}`kilde-" in text, rel


def _add_record(data: Path, like: str, new: str, change) -> None:
    """A new fixture record made from ``like``, changed by ``change(record)``."""
    record = yaml.safe_load((data / "projects" / f"{like}.yml").read_text(encoding="utf-8"))
    record.update(id=new, title=f"Posten {new}", related=[])
    change(record)
    (data / "projects" / f"{new}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


def _only_named(record: dict) -> None:
    record.pop("blueprint", None)
    record.update(results=[], measurement={"effect_measured": "nej", "gap_reasons": ["ikke-oplyst"]})


def test_flags_show_on_the_page_in_every_list_and_in_the_finder(fixture_data):
    _add_record(fixture_data, "horsens-hoftebrud", "kun-navn", _only_named)
    kb = load(fixture_data)
    pages = render_all(kb, HISTORY, read_citation(REPO))
    named = summary(pages["indsatser/kun-navn.md"])
    assert '#metode-maerker">Kun omtalt</a>' in named and '#metode-maerker">Ikke målt</a>' in named
    assert "Kilderne gengiver ingen resultater" in named
    not_measured = summary(pages["indsatser/horsens-hoftebrud.md"])  # results, but effect not measured
    assert ">Ikke målt</a>" in not_measured and "Kun omtalt" not in not_measured
    assert "Kun omtalt" not in summary(pages["indsatser/vest-video.md"])
    flag = '<span class="kb-badge kb-flag">Kun omtalt</span>'
    lists = ["oversigt.md", "regioner/midtjylland.md", "klynger/horsens.md", "typer/foelgehjem-team.md"]
    for rel in lists:
        [row] = [line for line in pages[rel].splitlines() if _names(line, "kun-navn") and "kommune-" not in line]
        assert flag in row and "Ikke målt" in row, rel
        assert row.count("Ikke målt") == 1, rel  # the flag says it; the wording does not repeat it
    [card] = [line for line in pages["find.md"].splitlines() if 'href="indsatser/kun-navn.html"' in line]
    # The finder's card carries its flags as codes: "f" and the flag's place (kb.finder, kb-filter.js).
    shown = [list(FLAGS)[int(code[1:])] for code in _codes(card) if code.startswith("f")]
    assert shown == ["kun-omtalt", "ikke-maalt"] and not [c for c in _codes(card) if c.startswith("b")]
    method = pages["baggrund/metode.md"]
    assert "(metode-maerker)=" in method and "**Kun omtalt:** posten har ingen resultater" in method
    assert "(metode-evidensdesign)=\n### Evidensdesign" in method


def _names(line: str, record_id: str) -> bool:
    """The line is the record's row: a MyST link to its page, or a raw HTML one (the overview)."""
    return f"indsatser/{record_id}`" in line or f'href="indsatser/{record_id}.html"' in line


def _codes(card: str) -> list[str]:
    """A finder card's codes (kb.finder)."""
    return re.search(r' data-v="([^"]*)"', card)[1].split()


SUCCESS = ("forbedr", "bedre", "effekt målt: ja", "virker")


def _null(record: dict) -> None:
    for res in record["results"]:
        if res["design"] != "ikke-maalt":
            res["direction"] = "ingen-forskel"


def _claim(record: dict) -> None:
    for res in record["results"]:
        if res.get("kind") == "forventning":
            continue  # an expectation stays one: never measured
        res.update(design="ikke-oplyst-design", direction="bedre")
        for key in ("value", "unit", "n", "comparison", "statistics", "group_sizes"):
            res.pop(key, None)
        if "window" in res:  # a claim on readmissions says it names no comparison
            res["comparison"] = {"text": "Ikke oplyst i kilden", "kind": "ikke-oplyst"}
    record["measurement"] = {"effect_measured": "nej", "text": "Kilden angiver effekter, men ingen måling."}


def test_a_null_result_or_a_bare_claim_never_reads_as_a_measured_success(fixture_data):
    _add_record(fixture_data, "vest-video", "nul", _null)
    _add_record(fixture_data, "vest-video", "paastand", _claim)
    kb = load(fixture_data)
    pages = render_all(kb, HISTORY, read_citation(REPO))
    cards = {r: next(line for line in pages["find.md"].splitlines() if f'href="indsatser/{r}.html"' in line)
             for r in ("nul", "paastand")}
    rows = {r: next(line for line in pages["oversigt.md"].splitlines() if _names(line, r))
            for r in ("nul", "paastand")}
    null = summary(pages["indsatser/nul.md"])
    assert "målt\\: ingen forskel \\(registertal uden justering\\)" in null
    for text in (null, rows["nul"], cards["nul"]):
        assert not [w for w in SUCCESS if w in text.lower()], text
    claim = summary(pages["indsatser/paastand.md"])
    assert "angivet\\: forbedring \\(design ikke oplyst\\)" in claim and "Evidens: Design ikke oplyst" in claim
    for text in (claim, rows["paastand"], cards["paastand"]):
        assert "målt: forbedring" not in text.lower().replace("\\", ""), text
        assert "angivet: forbedring" in text.lower().replace("\\", ""), text


def test_hostile_text_stays_escaped_in_the_summary(pages):
    text = summary(pages["indsatser/injektion.md"])
    assert "**Parter:** \\<img src\\=x onerror\\=alert\\(1\\)\\>" in text
    assert not re.search(r"(?<!\\)<(img|script)", text)  # only escaped, as MyST text


# --- service blueprints and recommendations -------------------------------------------------


def _grid_rows(page: str, record_id: str) -> list[str]:
    grid = page[page.index(f'id="blueprint-{record_id}"'):]
    grid = grid[:grid.index("</table>")]
    return re.findall(r'<th scope="row">(.*?)</th>', grid)


def test_every_lane_is_shown_and_an_empty_one_says_so(fixture_data):
    kb = load(fixture_data)
    pages = render_all(kb)
    lanes = kb.vocabularies["blueprint_lanes"]
    for r in (r for r in kb.initiatives if r.blueprint):
        page = pages[f"indsatser/{r.id}.md"]
        assert _grid_rows(page, r.id)[:len(lanes)] == [html.escape(t.label) for t in lanes.values()]
        for lane, term in lanes.items():
            says = f"Kilden beskriver ingen rolle for {html.escape(term.label.lower())}."
            assert (says in page) == (not any(s.lane == lane for s in r.blueprint.steps)), (r.id, lane)


def test_treatment_responsibility_spans_its_phases_or_says_not_stated(fixture_data):
    kb = load(fixture_data)
    pages = render_all(kb)
    records = [r for r in kb.initiatives if r.blueprint]
    assert {r.blueprint.responsibility is None for r in records} == {True, False}, "fixtures need both"
    for r in records:
        page = pages[f"indsatser/{r.id}.md"]
        row = page[page.index('<span class="kb-duty">Behandlingsansvar</span>'):]
        row = row[:row.index("</tr>")]
        duty = r.blueprint.responsibility
        if duty is None:
            assert "Ikke oplyst i kilden." in row
        else:
            assert f'colspan="{len(duty.phases)}"' in row and html.escape(duty.period) in row


def test_all_steps_from_the_source_is_said_only_when_true(fixture_data):
    kb = load(fixture_data)
    pages = render_all(kb)
    claims = {}
    for r in (r for r in kb.initiatives if r.blueprint):
        true = r.blueprint.placement == "kilde" and all(s.basis == "kilde" for s in r.blueprint.steps)
        claims[r.id] = true
        assert ("Alle trin står i kilden, også hvornår de sker." in pages[f"indsatser/{r.id}.md"]) == true
    assert set(claims.values()) == {True, False}, "the fixtures need a blueprint of each kind"
    # Every step from the source, but placed in its phases by the editors: no claim.
    record = next(r for r, true in claims.items() if true)
    path = fixture_data / "projects" / f"{record}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("placement: kilde", "placement: udledt"),
                    encoding="utf-8")
    page = render_all(load(fixture_data))[f"indsatser/{record}.md"]
    assert "Alle trin står i kilden" in page and "også hvornår" not in page
    assert "placeringen i faserne er redaktionens" in page


def test_comparison_chapter_is_one_compact_row_per_initiative_linking_its_grid(fixture_data):
    kb = load(fixture_data)
    pages = render_all(kb)
    for r in (r for r in kb.initiatives if r.blueprint):
        for kind in r.intervention.types:  # on its type's page, which the chapter lists
            assert f"{{doc}}`/book/generated/blueprints/{kind}`" in pages["blueprints.md"]
            page = pages[f"blueprints/{kind}.md"]
            assert "kb-blueprint-grid" not in page  # the grids stay on the initiative pages
            assert page.count(f'<a href="../indsatser/{r.id}.html#blueprint-{r.id}">') == 1


def test_numbered_recommendations_come_first_in_the_source_order_each_with_a_title(fixture_data):
    kb = load(fixture_data)
    page = render_all(kb)["anbefalinger.md"]
    headings = re.findall(r"^### (.*)$", page, re.M)
    numbered = sorted((r for r in kb.context.recommendations if r.number), key=lambda r: r.number)
    assert numbered and [h.replace("\\", "") for h in headings[:len(numbered)]] == [
        f"{r.number}. {r.title}" for r in numbered]
    assert len(headings) == len(kb.context.recommendations)


def test_a_recommended_step_is_marked_and_not_counted_as_part_of_the_tried_pathway(fixture_data):
    kb = load(fixture_data)
    pages = render_all(kb)
    [(record, step)] = [(r, s) for r in kb.initiatives if r.blueprint for s in r.blueprint.steps
                        if s.stage == "anbefalet"]
    grid = pages[f"indsatser/{record.id}.md"]
    item = grid[grid.index(f'id="trin-{record.id}-{step.id}"'):]
    assert "Anbefalet, ikke afprøvet" in item[:item.index("</li>")]
    for kind in record.intervention.types:
        row = pages[f"blueprints/{kind}.md"]
        row = row[row.index(f'href="../indsatser/{record.id}.html'):]
        row = row[:row.index("</tr>")]
        assert kb.label("actors", step.actor) not in row and "Almen praksis" in row.split("Uden rolle")[-1]

