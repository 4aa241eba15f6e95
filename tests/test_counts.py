"""Issue 28, items 2, 3 and 6 on the fixture records: one headline result behind every badge, a flag that
never contradicts a result line, and every number a page shows counted by one definition (kb.counts).

The counts are recomputed here from the records' own fields, not through kb.counts, and compared with
what the generated pages say; a changed definition in kb.counts must turn these red.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from conftest import REPO
from kb.blueprints import strongest_design
from kb.citation import read_citation
from kb.findings import headline, headline_result
from kb.frontpage import key_findings_page
from kb.history import History
from kb.loader import DataError, load
from kb.opendata import DOWNLOADS, downloads_page
from kb.pages import render_all
from kb.text import lower_first, md

HEADLINED = "vest-video"  # its strongest design (registertal) is its third result, after two 'erfaring'


def _record(data: Path, name: str) -> dict:
    return yaml.safe_load((data / "projects" / f"{name}.yml").read_text(encoding="utf-8"))


def _write(data: Path, record: dict) -> None:
    (data / "projects" / f"{record['id']}.yml").write_text(yaml.safe_dump(record, allow_unicode=True),
                                                          encoding="utf-8")


def _rank(kb, res) -> int:
    return kb.vocabularies["evidence_designs"][res.design].rank or 0


# --- item 2: the headline result and its badge ----------------------------------------------------


def test_the_headline_is_the_strongest_result_everywhere_not_the_first(fixture_data):
    """A count of reach from a randomised trial is added first: it is no effect result, so neither the badge
    nor the recommendations may call the record's evidence randomised."""
    record = _record(fixture_data, HEADLINED)
    reach = {"outcome": "raekkevidde", "text": "Så mange fik tilbuddet.", "value": 63, "unit": "antal",
             "design": "rct", "direction": "uklart", "source": dict(record["results"][0]["source"])}
    record["results"].insert(0, reach)
    _write(fixture_data, record)
    kb = load(fixture_data)
    r = kb.by_id()[HEADLINED]
    strongest = max(r.effects, key=lambda res: _rank(kb, res))
    assert r.effects.index(strongest) > 0 and headline_result(kb, r) is strongest
    label = kb.label("evidence_designs", strongest.design)
    pages = render_all(kb, History(), read_citation(REPO))
    summary = pages[f"indsatser/{HEADLINED}.md"].split("## ", 1)[0]
    assert re.findall(r"Evidens: ([^<]+)</a>", summary) == [label]
    assert f"**Resultat:** {md(headline(kb, r))}" in summary
    finder = pages["find.md"]
    card = re.search(rf'<li data-v="[^"]*"><a href="indsatser/{HEADLINED}.html">.*?</li>', finder).group(0)
    assert f"<p>Resultat: {html.escape(headline(kb, r))}</p>" in card
    design_options = re.search(r'<select id="kb-filter-design".*?</select>', finder).group(0)
    values = re.findall(r'<option value="([^"]+)"', design_options)
    assert f" b{values.index(strongest.design)} " in card.split('"')[1] + " "  # the card's badge
    lists = ["oversigt.md", f"regioner/{r.region}.md", *(f"typer/{t}.md" for t in r.intervention.types)]
    for listing in lists:  # each list's line on the record names the headline's design
        row = next(line for line in pages[listing].splitlines() if f"indsatser/{HEADLINED}" in line)
        assert f"({lower_first(label)})" in row.replace("\\", ""), listing
    rec = next(rec for rec in kb.context.recommendations if HEADLINED in rec.initiatives)
    assert strongest_design(kb, rec) == label


@pytest.mark.parametrize("answer", ["nej", "afventer"])
def test_an_answer_of_not_measured_beside_a_measured_result_is_refused(fixture_data, answer):
    record = _record(fixture_data, HEADLINED)
    record["measurement"] = {"effect_measured": answer, "gap_reasons": ["resultater-afventer"]}
    if answer == "nej":
        record["measurement"] = {"effect_measured": "nej", "text": "Kilden siger, at effekten ikke er målt."}
    _write(fixture_data, record)
    with pytest.raises(DataError) as info:
        load(fixture_data)
    [problem] = [p for p in info.value.problems if p.file == f"data/projects/{HEADLINED}.yml"]
    index = next(i for i, res in enumerate(record["results"]) if res["design"] == "registertal-uden-justering")
    assert problem.path == "measurement.effect_measured" and problem.line > 1
    assert problem.message.startswith(f"forventede effect_measured: delvist eller ja, fandt '{answer}'; "
                                      f"results[{index}] er målt (design: registertal-uden-justering")


# --- items 3 and 6: each count, recomputed from the records -----------------------------------------

def _measured(kb, r) -> list:
    """Said again from the records: results on an effect (no expectation, no reach) of a measuring design."""
    return [res for res in r.results
            if res.kind != "forventning" and res.outcome != "raekkevidde" and _rank(kb, res) >= 1]


EXPECTED = {  # (filter, value) -> which records the front page's link and the finder must give
    "fund": lambda kb, r, v: {"maalt": bool(_measured(kb, r)), "ikke-maalt": not _measured(kb, r),
                              **{key: any(res.direction in ds for res in _measured(kb, r)) for key, ds in (
                                  ("forbedring", {"bedre"}), ("ingen-forskel", {"ingen-forskel"}),
                                  ("forvaerring", {"daarligere"}), ("uklart", {"uklart", "blandet"}))}}[v],
    "design": lambda kb, r, v: any(res.design == v for res in r.results),
    "udfald": lambda kb, r, v: any(res.outcome == v and res.kind != "forventning" for res in r.results),
    "": lambda kb, r, v: True,
}


def _number(text: str) -> int:
    return int(re.search(r"\d[\d.]*", text).group(0).replace(".", ""))


def front_page_links(text: str) -> list[tuple[str, str, int]]:
    """(filter, value, the number in the link's text) for each link to the finder on the front page."""
    links = []
    for href, inner in re.findall(r'<a href="([^"]*find\.html[^"]*)">(.*?)</a>', text):
        query = dict(parse_qsl(urlsplit(html.unescape(href)).query))
        (name, value), = query.items() or [("", "")]
        links.append((name, value, _number(inner)))
    return links


def test_every_front_page_count_is_what_its_finder_link_keeps(fixture_data):
    kb = load(fixture_data)
    links = front_page_links(key_findings_page(kb))
    assert {name for name, _, _ in links} == set(EXPECTED)
    assert ("fund", "ingen-forskel") in {(name, value) for name, value, _ in links}
    for name, value, shown in links:
        assert shown == sum(EXPECTED[name](kb, r, value) for r in kb.initiatives), (name, value)


def test_the_finder_offers_each_finding_and_marks_exactly_its_records(fixture_data):
    kb = load(fixture_data)
    finder = render_all(kb, History(), read_citation(REPO))["find.md"]
    select = re.search(r'<select id="kb-filter-fund" data-k="x".*?</select>', finder).group(0)
    values = re.findall(r'<option value="([^"]+)"', select)
    for place, value in enumerate(values):
        marked = set(re.findall(rf'<li data-v="[^"]*\bx{place}\b[^"]*"><a href="indsatser/([^.]+)\.html"', finder))
        assert marked == {r.id for r in kb.initiatives if EXPECTED["fund"](kb, r, value)}, value


def test_the_data_page_counts_results_and_expectations_apart(fixture_data):
    kb = load(fixture_data)
    intro = downloads_page(kb, {name: b"" for name in DOWNLOADS}).split("\n\n")[1]
    reported = sum(res.kind != "forventning" for r in kb.initiatives for res in r.results)
    expected = sum(res.kind == "forventning" for r in kb.initiatives for res in r.results)
    assert expected and (f"{len(kb.initiatives)} indsatser, {reported} resultater og {expected} "
                         f"{'forventning' if expected == 1 else 'forventninger'}") in intro


def _text(path: Path) -> str:
    """A built page's text, tags dropped, spaces (also the non-breaking ones) made one."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())


@pytest.mark.slow
def test_the_built_pages_show_the_counts_of_the_records(fixture_site):
    """The front page, the data page and the analyses, as built, against the counts said again here."""
    root, data = fixture_site
    kb, built = load(data), root / "_build" / "html" / "book"
    front = (built / "index.html").read_text(encoding="utf-8")
    at = front.index("er samlet her")
    links = front_page_links(front[front.rindex("<ul", 0, at):front.index("</ul>", at)])  # the key findings
    assert {name for name, _, _ in links} == set(EXPECTED)
    for name, value, shown in links:
        assert shown == sum(EXPECTED[name](kb, r, value) for r in kb.initiatives), (name, value)
    reported = sum(res.kind != "forventning" for r in kb.initiatives for res in r.results)
    expected = sum(res.kind == "forventning" for r in kb.initiatives for res in r.results)
    n = len(kb.initiatives)
    assert f"{n} indsatser, {reported} resultater og {expected} " in _text(built / "generated" / "data.html")
    measured = sum(bool(_measured(kb, r)) for r in kb.initiatives)
    analyses = built / "generated" / "analyser"
    evidence_map = _text(analyses / "evidenskort.html")
    assert f"har tilsammen {reported} resultater" in evidence_map
    assert f"kun {measured} indsatser har et målt resultat om en effekt" in evidence_map
    with_results = sum(any(res.kind != "forventning" for res in r.results) for r in kb.initiatives)
    assert f"I alt {reported} resultater fra {with_results} indsatser" in _text(analyses / "effekter.html")
