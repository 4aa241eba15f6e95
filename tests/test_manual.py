"""The coding manual and the rules the validator holds for it, on the fixture records.

Each rule is broken once in a copy of a fixture record; the validator must refuse it with the file,
the line, the field and a Danish message, and the manual on the method page must state the rule.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from kb import frames
from kb.findings import flags, headline, key_results, verdict
from kb.history import History
from kb.loader import DataError, load
from kb.manual import RULES, field_title
from kb.model import MANUAL_VERSION, RESULT_KINDS, Initiative
from kb.pages import NOT_READ_NOTE, render_all
from kb.text import md

HISTORY = History()


def _record(data: Path, name: str) -> dict:
    return yaml.safe_load((data / "projects" / f"{name}.yml").read_text(encoding="utf-8"))


def _write(data: Path, record: dict) -> None:
    (data / "projects" / f"{record['id']}.yml").write_text(yaml.safe_dump(record, allow_unicode=True),
                                                          encoding="utf-8")


def _problems(data: Path) -> list:
    """The problems in the records; a record refused as a whole leaves references to it dangling too."""
    with pytest.raises(DataError) as info:
        load(data)
    return [p for p in info.value.problems if p.file.startswith("data/projects/")]


def _line_of(data: Path, name: str, text: str) -> int:
    lines = (data / "projects" / f"{name}.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _compared(record: dict) -> tuple[int, dict]:
    """The record's first result whose design compares (it has a figure or a comparison)."""
    return next((i, res) for i, res in enumerate(record["results"])
                if res["design"] in ("registertal-uden-justering", "foer-efter", "kontrolleret-sammenligning"))


def test_a_comparing_design_without_figure_or_comparison_is_refused(fixture_data):
    record = _record(fixture_data, "vest-video")
    i, res = _compared(record)
    for key in ("value", "unit", "n", "comparison", "statistics"):
        res.pop(key, None)
    _write(fixture_data, record)
    # without its comparison, the result also lacks the comparison's kind (test_comparable.py)
    [problem] = [p for p in _problems(fixture_data) if not p.path.startswith(f"results[{i}].comparison")]
    assert (problem.file, problem.path) == ("data/projects/vest-video.yml", f"results[{i}].design")
    assert problem.line == _line_of(fixture_data, "vest-video", f"design: {res['design']}")
    assert "forventede et tal ('value') eller en navngiven sammenligning ('comparison')" in problem.message
    assert "'ikke-oplyst-design'" in problem.message


def test_a_named_comparison_without_a_figure_is_enough(fixture_data):
    record = _record(fixture_data, "vest-video")
    _, res = _compared(record)
    for key in ("value", "unit", "n", "statistics"):
        res.pop(key, None)
    res["comparison"] = {"text": "Alle udskrevne året før", "kind": "historisk"}
    _write(fixture_data, record)
    load(fixture_data)


@pytest.mark.parametrize("answer, lowest", [("ja", 2), ("delvist", 1)])
def test_effect_measured_needs_a_result_that_measures(fixture_data, answer, lowest):
    record = _record(fixture_data, "vest-video")
    for res in record["results"]:  # the strongest design left is 'Vurdering og erfaring' (rank 0)
        if res.get("kind") != "forventning" and res["design"] != "erfaring":
            res.update(design="ikke-oplyst-design")
            for key in ("value", "unit", "n", "comparison", "statistics"):
                res.pop(key, None)
    record["measurement"]["effect_measured"] = answer
    _write(fixture_data, record)
    # without its comparison, a result on readmissions also lacks the comparison's kind (test_comparable.py)
    [problem] = [p for p in _problems(fixture_data) if ".comparison" not in p.path]
    assert problem.path == "measurement.effect_measured"
    assert problem.line == _line_of(fixture_data, "vest-video", "effect_measured:")
    assert f"design af rang {lowest} eller derover" in problem.message and "svaret 'nej'" in problem.message
    assert ("'resultater-ikke-laest'" in problem.message) == (answer == "ja")


def test_a_study_whose_results_were_not_read_is_measured_without_results(fixture_data):
    """'ja' with the gap reason 'resultater-ikke-laest' needs no result: the record keeps no figure it did not
    read, gets no verdict and no flag, and its summary and results say the results were not read (not that the
    source has none)."""
    record = _record(fixture_data, "vest-video")
    record.pop("blueprint", None)
    record.update(results=[], measurement={"effect_measured": "ja", "gap_reasons": ["resultater-ikke-laest"],
                                           "text": "Forsøget målte; resultatafsnittet er ikke læst."})
    _write(fixture_data, record)
    kb = load(fixture_data)
    r = kb.by_id()["vest-video"]
    assert not r.effects and verdict(kb, r) == "" and flags(r) == []
    page = render_all(kb, HISTORY)["indsatser/vest-video.md"]
    summary, results = page.split("## Resultater")
    assert md(NOT_READ_NOTE) in summary and md(NOT_READ_NOTE) in results and "ingen resultater" not in page
    record["measurement"]["gap_reasons"] = []
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == "measurement.effect_measured"


def test_an_expectation_is_never_measured(fixture_data):
    record = _record(fixture_data, "vest-video")
    [i] = [i for i, res in enumerate(record["results"]) if res.get("kind") == "forventning"]
    record["results"][i]["design"] = "erfaring"
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == f"results[{i}].design"
    assert "forventede design: ikke-maalt, fandt 'erfaring'" in problem.message

def _alone(fixture_data, record_id: str, results: list[dict], why: str):
    """The fixture record as ``record_id`` with only ``results`` and effect_measured 'nej'; (kb, record)."""
    record = _record(fixture_data, "vest-video")
    record.pop("blueprint", None)
    record.update(id=record_id, title=f"Posten {record_id}", related=[], results=results,
                  measurement={"effect_measured": "nej", "text": why})
    _write(fixture_data, record)
    kb = load(fixture_data)
    return kb, kb.by_id()[record_id]


def test_an_expectation_is_no_evidence_anywhere(fixture_data):
    """Only expectations and 'nej': the record is 'Kun omtalt', has no verdict, no headline, no row in
    data.results and no outcome in the finder; the page shows the expectation as one."""
    results = [r for r in _record(fixture_data, "vest-video")["results"] if r.get("kind") == "forventning"]
    kb, expected = _alone(fixture_data, "forventet", results, "Kilden giver kun en forventning.")
    assert expected.results and not expected.reported
    assert "kun-omtalt" in flags(expected)
    assert verdict(kb, expected) == "" and headline(kb, expected) == "" and key_results(kb, expected) == []
    tables = frames.frames(kb)
    assert "forventet" not in set(tables.results.initiative)
    assert list(tables.expectations.initiative).count("forventet") == len(expected.results)
    pages = render_all(kb, HISTORY)
    page = pages["indsatser/forventet.md"]
    assert f"**Fund:** {RESULT_KINDS['forventning'][0]}".replace("(", "\\(").replace(")", "\\)") in page
    assert "Kun omtalt" in page and "Evidens:" not in page
    [card] = [line for line in pages["find.md"].splitlines() if 'href="indsatser/forventet.html"' in line]
    codes = re.search(r' data-v="([^"]*)"', card)[1].split()  # "u" and a place: an outcome (kb.finder)
    assert codes and not [c for c in codes if c.startswith("u")]


def test_a_review_names_a_manual_that_exists(fixture_data):
    record = _record(fixture_data, "vest-video")
    record["review"] = {"checked": date(2026, 11, 30), "manual": MANUAL_VERSION + 1}
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == "review.manual"
    assert f"forventede højst {MANUAL_VERSION}, fandt {MANUAL_VERSION + 1}" in problem.message


def test_the_page_says_when_the_record_was_checked_and_against_which_manual(fixture_data):
    kb = load(fixture_data)
    reviewed = [r for r in kb.initiatives if r.review]
    assert reviewed and len(reviewed) < len(kb.initiatives)  # the fixtures have both kinds
    pages = render_all(kb, HISTORY)
    for r in kb.initiatives:
        about = pages[f"indsatser/{r.id}.md"].split("## Om posten")[1]
        line = next(x for x in about.splitlines() if "**Kontrolleret mod kodemanualen:**" in x)
        assert "#metode-kodemanual" in line
        if r.review:
            assert f"{r.review.checked.day}. " in line and f"version {r.review.manual} af" in line
        else:
            assert "Ikke endnu" in line
    old = reviewed[0].model_copy(update={"review": reviewed[0].review.model_copy(update={"manual": 0})})
    kb.initiatives = [old if r.id == old.id else r for r in kb.initiatives]
    about = render_all(kb, HISTORY)[f"indsatser/{old.id}.md"].split("## Om posten")[1]
    assert f"den gældende er version {MANUAL_VERSION}" in about


def test_readers_never_see_a_document_id(fixture_data):
    record = _record(fixture_data, "vest-video")
    doc = record["sources"][0]["document"]
    record["conclusion"].append(f"Se også ({doc}).")
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == f"conclusion[{len(record['conclusion']) - 1}]"
    assert f"fandt id'et '{doc}'" in problem.message and "titel" in problem.message


CODED = {("intervention", "types"), ("results", "outcome"), ("results", "design"), ("results", "direction"),
         ("results", "kind"), ("measurement", "effect_measured"), ("intervention", "actors"),
         ("blueprint", "steps", "phase"), ("blueprint", "steps", "lane"), ("blueprint", "steps", "basis"),
         ("blueprint", "placement"), ("blueprint", "steps", "stage")}


def test_the_manual_covers_every_coded_field_and_the_method_page_prints_it(fixture_data):
    assert CODED <= {rule.field for rule in RULES}
    kb = load(fixture_data)
    method = render_all(kb, HISTORY)["baggrund/metode.md"]
    assert f"(metode-kodemanual)=\n## Kodemanual (version {MANUAL_VERSION})" in method
    for rule in RULES:
        field = ".".join(rule.field)
        assert f"### {field_title(rule)}\n\n:::{{container}} kb-field\nFeltet i posten: `{field}`." in method
    for label, _ in RESULT_KINDS.values():  # allowed values come from the model
        assert f"({label})" in method
    for term in kb.vocabularies["evidence_designs"].values():
        assert f"| {term.label} | {term.rank} |" in method.replace("\\", "")
    assert "pilotprojekt alene er ikke et design" in method and "'vurderes vil'" in method.replace("\\", "")


def test_a_rule_about_a_field_the_model_does_not_have_is_an_error():
    rule = RULES[0].__class__(("intervention", "kind"), "x")
    with pytest.raises(KeyError, match="intervention.kind"):
        field_title(rule)
    assert Initiative.model_fields["review"].title


# --- version 2 of the manual: reach, reference figures and results that await -----------------------

def test_a_count_of_reach_is_no_effect_and_does_not_lift_kun_omtalt(fixture_data):
    """A record whose only result is a count of participants reads 'Kun omtalt' with no verdict or headline;
    the count still stands on its page, worded as a count."""
    reach = {"outcome": "raekkevidde", "text": "63 udskrivningsmøder blev holdt.", "value": 63, "unit": "antal",
             "design": "erfaring", "direction": "uklart",
             "source": {"document": "tidlig-opfoelgning-2020", "locator": "Resultater"}}
    kb, counted = _alone(fixture_data, "optalt", [reach], "Kilden giver kun et deltagerantal.")
    assert counted.reported and not counted.effects
    assert "kun-omtalt" in flags(counted)
    assert verdict(kb, counted) == "" and headline(kb, counted) == "" and key_results(kb, counted) == []
    page = render_all(kb, HISTORY)["indsatser/optalt.md"]
    assert "Kun omtalt" in page and "**Fund:** Optælling, ikke en effekt" in page.replace("\\", "")


@pytest.mark.parametrize("answer", ["ja", "delvist"])
def test_a_count_of_reach_does_not_carry_effect_measured(fixture_data, answer):
    record = _record(fixture_data, "vest-video")
    for res in record["results"]:  # every result that measures becomes a count of reach
        if res.get("kind") != "forventning" and res["design"] != "erfaring":
            res.update(outcome="raekkevidde", direction="uklart")
    record["measurement"]["effect_measured"] = answer
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == "measurement.effect_measured" and "rækkevidde" in problem.message


def test_ja_needs_a_comparing_result_with_a_direction(fixture_data):
    record = _record(fixture_data, "vest-video")
    i, res = _compared(record)
    res["direction"] = "uklart"
    record["measurement"]["effect_measured"] = "ja"
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == "measurement.effect_measured" and "en retning (ikke 'uklart')" in problem.message


@pytest.mark.parametrize("change, word", [({"outcome": "raekkevidde"}, "raekkevidde"),
                                          ({"design": "referencetal"}, "referencetal")])
def test_reach_and_a_reference_figure_have_no_direction(fixture_data, change, word):
    record = _record(fixture_data, "vest-video")
    i, res = _compared(record)
    assert res["direction"] == "bedre"
    res.update(change)
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == f"results[{i}].direction"
    assert problem.line == _line_of(fixture_data, "vest-video", "direction: bedre")
    assert "forventede direction: uklart, fandt 'bedre'" in problem.message and word in problem.message
    res["direction"] = "uklart"
    if word == "raekkevidde":  # the count was the record's only measured result: nothing carries 'delvist'
        record["measurement"] = {"effect_measured": "nej", "text": "Kilden giver kun et deltagerantal."}
    _write(fixture_data, record)
    load(fixture_data)


@pytest.mark.parametrize("answer, reasons, at", [("nej", ["resultater-afventer"], "effect_measured"),
                                                 ("afventer", ["projektdesign"], "gap_reasons")])
def test_results_that_await_are_afventer_and_nothing_else(fixture_data, answer, reasons, at):
    record = _record(fixture_data, "vest-video")
    record["results"] = [r for r in record["results"] if r["design"] in ("erfaring", "ikke-maalt")]
    record["measurement"] = {"effect_measured": answer, "gap_reasons": reasons, "text": "Forskning i gang."}
    _write(fixture_data, record)
    [problem] = _problems(fixture_data)
    assert problem.path == f"measurement.{at}" and "resultater-afventer" in problem.message
