"""The reviews beside the Danish results (kb.reviews): which estimates match, when windows compare, when a
local effect lies far outside, and how an estimate reads in Danish; the type page's box, the initiative
page's line, and the review figures' fidelity checks.

Every review and record here is a fixture (tests/fixtures/reviews, tests/fixtures/projects); the wording
cases are worked out by hand."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from kb import reviews
from kb.effects import Effect
from kb.fidelity import check_sources, figure
from kb.loader import load
from kb.model import Comparison, Window
from kb.pages import render_all, type_page


@pytest.fixture
def kb(fixture_data):
    return load(fixture_data)


def review(kb, review_id):
    return next(r for r in kb.reviews if r.id == review_id)


def record(kb, record_id):
    return next(r for r in kb.initiatives if r.id == record_id)


def readmission(r):
    return next(res for res in r.results if res.outcome == "genindlaeggelser")


def with_shares(res, share, comparison_share):
    """The result as a randomised comparison of two groups of 100."""
    return res.model_copy(update={"value": share, "n": 100, "group_sizes": None, "comparison": Comparison(
        text="kontrolgruppe", value=comparison_share, n=100, kind="randomiseret")})


def days(value, after="udskrivelse"):
    return Window(days=value, after=after)


@pytest.mark.parametrize("local, pooled, comparable", [
    (days(30), days(30), True),
    (days(28), days(30), True),  # within the tolerance of 7 days
    (days(37), days(30), True),
    (days(38), days(30), False),
    (days(30), days(90), False),
    (days([30, 84]), days(90), True),  # one of the local windows is near enough
    (days("ikke-oplyst"), days(30), False),
    (None, days(30), False),
    (days(30), None, False),
])
def test_comparable_window(local, pooled, comparable):
    assert reviews.comparable_window(local, pooled) is comparable


def effect(ratio, low, high):
    return Effect(10, 100, 20, 100, -10, False, ratio, low, high)


@pytest.mark.parametrize("local, far", [
    (effect(0.5, 0.3, 0.7), True),  # wholly below 0,73–0,91
    (effect(1.05, 0.77, 1.42), False),  # overlaps
    (effect(0.6, 0.4, 0.73), False),  # touches the pooled interval's edge: they overlap
    (effect(1.5, 1.2, 1.9), True),  # wholly above
    (Effect(0, 100, 20, 100, -20, False), False),  # no ratio to compare
    (None, False),
])
def test_far_outside_means_the_intervals_do_not_overlap(kb, local, far):
    rr = review(kb, "fiktiv-kol-hjemkomst").estimates[0]
    assert (rr.measure, rr.low, rr.high) == ("RR", 0.73, 0.91)
    assert reviews.far_outside(local, rr) is far


def test_a_local_risk_ratio_is_set_only_beside_a_pooled_risk_ratio(kb):
    odds = review(kb, "fiktiv-kol-hjemkomst").estimates[1]
    assert odds.measure == "OR" and not reviews.far_outside(effect(0.2, 0.1, 0.3), odds)


# Worked by hand: 1 - 0,82 = 0,18 -> "18 % lavere"; 1,25 - 1 -> "25 % højere"; an interval holding 1 (a
# ratio) or 0 (a difference) -> "ingen sikker forskel"; an odds ratio is about odds, a hazard ratio about
# hazard, never "risiko"; a difference keeps its sign and unit, and its interval is written with "til".
@pytest.mark.parametrize("index, update, expected", [
    (0, {}, "18 % lavere risiko (RR 0,82; 95 % CI 0,73–0,91)"),
    (0, {"value": 1.25, "low": 1.1, "high": 1.4}, "25 % højere risiko (RR 1,25; 95 % CI 1,10–1,40)"),
    (0, {"value": 0.95, "low": 0.85, "high": 1.0}, "ingen sikker forskel (RR 0,95; 95 % CI 0,85–1,00)"),
    (0, {"measure": "IRR"}, "18 % lavere rate (IRR 0,82; 95 % CI 0,73–0,91)"),
    (1, {}, "ingen sikker forskel (OR 1,10; 95 % CI 0,90–1,35)"),
    (1, {"value": 0.6, "low": 0.5, "high": 0.7}, "40 % lavere odds (OR 0,60; 95 % CI 0,50–0,70)"),
    (2, {}, "25 % lavere hazard (HR 0,75; 95 % CI 0,60–0,94)"),
    (3, {}, "middelforskel −1,50 dage (MD; 95 % CI −2,50 til −0,50)"),
    (3, {"unit": None}, "middelforskel −1,50 (MD; 95 % CI −2,50 til −0,50); enheden står ikke i vidensbasen"),
    (3, {"high": 0.5}, "ingen sikker forskel (MD −1,50; 95 % CI −2,50 til 0,50)"),
])
def test_effect_wording(kb, index, update, expected):
    est = review(kb, "fiktiv-kol-hjemkomst").estimates[index].model_copy(update=update)
    assert reviews.effect_text(kb, est) == expected


def test_estimate_lines(kb):
    rr, _, hr, md = review(kb, "fiktiv-kol-hjemkomst").estimates
    assert reviews.estimate_text(kb, rr) == ("Genindlæggelser inden for 30 dage efter udskrivelsen: 18 % lavere "
                                             "risiko (RR 0,82; 95 % CI 0,73–0,91), 42 forsøg med 12.000 deltagere")
    assert reviews.estimate_text(kb, hr) == ("Dødelighed og overlevelse, 12 måneder: 25 % lavere hazard "
                                             "(HR 0,75; 95 % CI 0,60–0,94)")
    assert reviews.estimate_text(kb, md).startswith("Liggetid, tidsvindue ikke oplyst: middelforskel −1,50 dage")
    grouped = rr.model_copy(update={"group": "hjemmebesøg", "window": days(30, "ikke-oplyst"),
                                    "participants": None})
    assert reviews.estimate_text(kb, grouped) == (
        "Genindlæggelser (hjemmebesøg) inden for 30 dage (hvorfra, er ikke oplyst i kilden): 18 % lavere risiko "
        "(RR 0,82; 95 % CI 0,73–0,91), 42 forsøg")


def test_matches_share_outcome_and_type_and_put_the_comparable_window_first(kb):
    video = record(kb, "vest-video")
    res = readmission(video)
    found = reviews.matches(kb, video, res)
    assert [(m.review.id, m.estimate.measure) for m in found] == [("fiktiv-kol-hjemkomst", "RR"),
                                                                  ("fiktiv-kol-hjemkomst", "OR")]
    at_90 = res.model_copy(update={"window": days(90)})
    assert [m.estimate.measure for m in reviews.matches(kb, video, at_90)] == ["OR", "RR"]
    other_type = video.model_copy(update={"intervention": video.intervention.model_copy(
        update={"types": ["modtagebesoeg"]})})
    assert reviews.matches(kb, other_type, res) == []
    assert reviews.matches(kb, video, res.model_copy(update={"kind": "forventning"})) == []


def test_warnings_name_window_design_population_and_a_far_effect(kb):
    video = record(kb, "vest-video")
    res = readmission(video)
    best = reviews.matches(kb, video, res)[0]
    assert reviews.warnings(kb, video, res, best) == [
        "oversigten gælder kun patienter med KOL",
        "tidsvinduet er et andet (her: tidsvindue ikke oplyst; i oversigten: inden for 30 dage efter "
        "udskrivelsen)",
        "resultatet her er ikke fra et randomiseret forsøg, men 'registertal uden justering'",
    ]
    kol = video.model_copy(update={"target_group": video.target_group.model_copy(update={"diagnoses": ["kol"]})})
    trial = res.model_copy(update={"window": days(30), "design": "rct"})
    assert reviews.warnings(kb, kol, trial, best) == []
    # 5 of 100 against 20 of 100: risk ratio 0,25 (95 % CI 0,10–0,64), wholly below 0,73–0,91
    far = with_shares(trial, 5, 20)
    assert reviews.warnings(kb, kol, far, best) == [
        "den beregnede risikoratio her (0,25; 95 % CI 0,1–0,64) ligger langt uden for oversigtens interval: "
        "de to intervaller overlapper ikke"]


def test_a_near_local_effect_is_said_to_overlap(kb):
    video = record(kb, "vest-video")
    best = reviews.matches(kb, video, readmission(video))[0]
    # 22 of 100 against 25 of 100, worked by hand: RR 0,88; SE(ln RR) = √(1/22 − 1/100 + 1/25 − 1/100) = 0,2558;
    # exp(ln 0,88 ± 1,96 × 0,2558) = 0,53 to 1,45, which overlaps 0,73–0,91
    near = with_shares(readmission(video), 22, 25)
    assert reviews.overlap_text(near, best.estimate) == (
        "den beregnede risikoratio her (0,88; 95 % CI 0,53–1,45) overlapper oversigtens interval")
    assert reviews.overlap_text(readmission(video), best.estimate) == ""  # no ratio from a population figure


def test_an_unmeasured_result_says_so_instead_of_window_and_design(kb):
    hip = record(kb, "horsens-hoftebrud")
    res = readmission(hip)
    best = reviews.matches(kb, hip, res)[0]
    assert reviews.warnings(kb, hip, res, best) == ["effekten er ikke målt her",
                                                    "oversigten gælder kun patienter med KOL"]


def test_danish_records_of_the_type_beside_an_estimate(kb):
    rr, _, hr, _ = review(kb, "fiktiv-kol-hjemkomst").estimates
    assert reviews.danish_text(kb, "udskrivelsessamtale-video", rr) == (
        "Danske indsatser af typen: 1 resultat om genindlæggelser fra 1 indsats; ingen med et sammenligneligt "
        "tidsvindue; design: registertal uden justering (1).")
    assert reviews.danish_text(kb, "udskrivelsessamtale-video", hr) == (
        "Ingen dansk indsats af denne type i vidensbasen har et resultat om dødelighed og overlevelse.")


# --- the pages ------------------------------------------------------------------------------------


@pytest.fixture
def pages(kb):
    return render_all(kb)


def test_every_type_page_has_the_box_and_a_type_without_review_says_so(kb, pages):
    types = {p for p in pages if p.startswith("typer/")}
    assert types and all("## Hvad finder international forskning?" in pages[p] for p in types)
    assert "ingen systematisk oversigt over denne type" in pages["typer/modtagebesoeg.md"]
    box = pages["typer/udskrivelsessamtale-video.md"]
    assert "18 \\% lavere risiko \\(RR 0\\,82\\; 95 \\% CI 0\\,73–0\\,91\\)" in box
    assert 'href="https://doi.org/10.5555/fiktiv.2024.1"' in box  # the review's document, by its DOI
    assert "Sikkerhed \\(GRADE\\)\\: lav" in box and "Population: Opdigtede patienter indlagt med KOL" in box


def test_each_figure_says_where_it_was_read_and_whether_it_was_checked(pages):
    box = pages["typer/udskrivelsessamtale-video.md"]
    read = [line for line in box.splitlines() if line.startswith("- ")]
    # read in the review's own document, linked above the list: the section is enough
    assert len(read) == 4 and all(x.endswith("Læst i: Abstract – Results") for x in read)
    assert all("Tallene tjekkes mod en lokal kopi af kilden" in x for x in read)  # the document has a file



def test_figures_without_a_local_text_are_shown_unchecked_and_a_narrative_review_in_words(fixture_data):
    path = fixture_data / "reviews" / "fiktiv-metaanalyse.yml"  # its second estimate read in another document
    last = 'rammepapir-forloebskoordination-2012, locator: "Abstract – Results"}\nsummary'
    text = path.read_text(encoding="utf-8")
    assert last in text
    path.write_text(text.replace(last, last.replace("rammepapir-forloebskoordination-2012", "daemp-temadag-2016")),
                    encoding="utf-8")
    kb = load(fixture_data)
    # No fixture initiative has these types, so their pages are not in the site: asked for directly.
    phone = type_page(kb, "telefonstoette")
    assert "Ikke tjekket: ingen lokal tekst. Læst i: Abstract – Results\n" in phone
    assert "Ikke tjekket: ingen lokal tekst. Læst i: {ref}`kilde-daemp-temadag-2016`, Abstract – Results" in phone
    narrative = type_page(kb, "tvaersektoriel-koordination")
    assert "De opdigtede studier peger i forskellige retninger" in narrative
    assert not [line for line in narrative.splitlines() if line.startswith("- ")]  # no estimates


def test_an_initiative_result_links_the_estimate_in_one_click(pages):
    page = pages["indsatser/vest-video.md"]
    line = next(x for x in page.splitlines() if x.startswith("- **International forskning:**"))
    assert "{ref}`alle oversigter om typen <forskning-udskrivelsessamtale-video>`" in line
    assert "(forskning-udskrivelsessamtale-video)=" in pages["typer/udskrivelsessamtale-video.md"]
    assert "**Kan ikke sammenlignes direkte:**" in line


# --- fidelity -------------------------------------------------------------------------------------


def test_figures_as_danish_and_english_texts_write_them():
    assert figure(0.82) == ("0,82", "0.82")
    assert figure(12000) == ("12.000", "12,000", "12000")
    assert figure(42) == ("42",)


def test_a_review_figure_missing_from_its_text_fails(fixture_data):
    path = fixture_data / "reviews" / "fiktiv-kol-hjemkomst.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 0.82", "value: 0.83"), encoding="utf-8")
    report = check_sources(load(fixture_data), FIXTURES / "sources")
    assert report.failures == ["data/reviews/fiktiv-kol-hjemkomst.yml: estimates[0].value: forventede '0,83' "
                               "eller '0.83' i teksten til 'fiktiv-oversigt-2024', fandt det ikke"]
