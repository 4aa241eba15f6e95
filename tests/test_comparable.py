"""Comparable results on admissions, readmissions, mortality and length of stay (issue 26, item 2).

Each rule is broken once in a copy of a fixture record; the validator must refuse it with the file, the
line, the field and a Danish message saying what it expected and what it found. Which outcomes the rules
cover comes from the outcomes vocabulary (the group 'Indlæggelse og død'), never from a list in the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb.findings import comparability
from kb.loader import DataError, load
from kb.pages import render_all

RECORD = "vest-video"
GROUP = "Indlæggelse og død"


def _path(data: Path) -> Path:
    return data / "projects" / f"{RECORD}.yml"


def _readmissions(record: dict) -> tuple[int, dict]:
    """The fixture record's result on readmissions (a registry figure against the whole hospital)."""
    return next((i, res) for i, res in enumerate(record["results"]) if res["outcome"] == "genindlaeggelser")


def change(data: Path, edit) -> int:
    """Apply ``edit`` to the readmission result of the fixture record; its index."""
    record = yaml.safe_load(_path(data).read_text(encoding="utf-8"))
    i, res = _readmissions(record)
    edit(res)
    _path(data).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return i


def problems(data: Path) -> list:
    try:
        load(data)
    except DataError as exc:
        return [p for p in exc.problems if p.file.startswith("data/projects/")]
    return []


def line_of(data: Path, text: str, after: int = 0) -> int:
    lines = _path(data).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > after and text in line)


def test_the_fixture_result_states_every_field_and_is_valid(fixture_data):
    kb = load(fixture_data)
    res = _readmissions(kb.by_id()[RECORD].model_dump())[1]
    assert res["window"] == {"days": "ikke-oplyst", "after": "ikke-oplyst", "text": None}
    assert res["comparison"]["kind"] == "befolkning" and res["group_sizes"] == "ikke-oplyst"


@pytest.mark.parametrize("field", ["window", "events", "denominator", "data_source", "adjusted",
                                   "comparison.kind"])
def test_each_field_is_required_on_an_outcome_of_the_group(fixture_data, field):
    def drop(res):
        holder, key = (res["comparison"], "kind") if field == "comparison.kind" else (res, field)
        del holder[key]
    i = change(fixture_data, drop)
    [problem] = problems(fixture_data)
    assert (problem.file, problem.path) == (f"data/projects/{RECORD}.yml", f"results[{i}].{field}")
    # the line of the field where it stands (the comparison), else of the result it belongs to
    start = line_of(fixture_data, "- outcome: genindlaeggelser")
    expected = line_of(fixture_data, "comparison:", start) if field == "comparison.kind" else start
    assert problem.line == expected
    assert problem.message.startswith(f"forventede '{field}' ved outcome: genindlaeggelser (Genindlæggelser, "
                                      f"et udfald i gruppen '{GROUP}'), fandt det ikke")
    assert "'ikke-oplyst' for det, kilden ikke siger" in problem.message


def test_all_missing_fields_are_named_in_one_message(fixture_data):
    def drop(res):
        for key in ("window", "events", "adjusted"):
            del res[key]
    change(fixture_data, drop)
    [problem] = problems(fixture_data)
    assert "forventede 'window', 'events', 'adjusted' ved outcome" in problem.message
    assert "fandt dem ikke" in problem.message


def _set_group(data: Path, outcome: str, group: str | None) -> None:
    path = data / "vocab" / "outcomes.yml"
    terms = yaml.safe_load(path.read_text(encoding="utf-8"))
    for term in terms:
        if term["id"] == outcome:
            term.pop("group", None)
            if group:
                term["group"] = group
    path.write_text(yaml.safe_dump(terms, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_which_outcomes_need_the_fields_comes_from_the_vocabulary(fixture_data):
    """Out of the group, a readmission result needs none of them; into it, another outcome needs all."""
    def strip(res):
        for key in ("window", "events", "denominator", "data_source", "adjusted"):
            del res[key]
        del res["comparison"]["kind"]
    change(fixture_data, strip)
    assert len(problems(fixture_data)) == 1
    _set_group(fixture_data, "genindlaeggelser", None)
    assert problems(fixture_data) == []
    _set_group(fixture_data, "borgeroplevelse", GROUP)  # the record's first result, by experience
    [problem] = problems(fixture_data)
    assert problem.path == "results[0].window" and "outcome: borgeroplevelse" in problem.message


def test_an_expectation_or_an_unmeasured_result_needs_none_of_them(fixture_data):
    def expectation(res):
        for key in ("window", "events", "denominator", "data_source", "adjusted", "value", "unit", "n",
                    "comparison", "group_sizes", "statistics"):
            res.pop(key, None)
        res.update(kind="forventning", design="ikke-maalt", direction="uklart")
    change(fixture_data, expectation)
    record = yaml.safe_load(_path(fixture_data).read_text(encoding="utf-8"))
    record["measurement"] = {"effect_measured": "nej", "text": "Kun forventninger og erfaringer."}
    _path(fixture_data).write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    assert problems(fixture_data) == []
    change(fixture_data, lambda res: res.pop("kind"))  # a result the source says was not measured
    assert problems(fixture_data) == []


def _randomised(res: dict) -> None:
    """An RCT without shares: the group-size rule of the trial, not the one for two percentages."""
    for key in ("value", "unit", "group_sizes", "statistics"):
        res.pop(key, None)
    res["comparison"] = {"text": "Kontrolgruppen", "kind": "randomiseret", "n": 58}
    res.update(design="rct", direction="ingen-forskel")


def test_a_randomised_design_needs_a_randomised_comparison(fixture_data):
    assert change(fixture_data, _randomised) is not None and problems(fixture_data) == []
    i = change(fixture_data, lambda res: res["comparison"].update(kind="samtidig"))
    [problem] = problems(fixture_data)
    assert problem.path == f"results[{i}].comparison.kind"
    assert problem.line == line_of(fixture_data, "kind: samtidig")
    assert problem.message.startswith("forventede comparison.kind: randomiseret ved design: rct (Randomiseret "
                                      "forsøg), fandt 'samtidig'")


@pytest.mark.parametrize("missing", ["n", "comparison.n"])
def test_a_randomised_design_needs_n_in_each_group_or_says_the_source_gives_none(fixture_data, missing):
    def drop(res):
        _randomised(res)
        holder, key = (res["comparison"], "n") if missing == "comparison.n" else (res, "n")
        del holder[key]
    i = change(fixture_data, drop)
    [problem] = problems(fixture_data)
    assert problem.path == f"results[{i}].{missing}"
    assert problem.message.startswith(f"forventede antallet i hver gruppe ('n' og 'comparison.n') ved design: "
                                      f"rct, fandt ikke '{missing}'")
    assert "'group_sizes: ikke-oplyst'" in problem.message
    change(fixture_data, lambda res: res.update(group_sizes="ikke-oplyst"))
    assert problems(fixture_data) == []


def test_two_percentages_need_the_comparisons_n_or_say_the_source_gives_none(fixture_data):
    i = change(fixture_data, lambda res: res.pop("group_sizes"))
    [problem] = problems(fixture_data)
    assert problem.path == f"results[{i}].comparison"
    assert problem.line == line_of(fixture_data, "comparison:", line_of(fixture_data, "genindlaeggelser"))
    assert problem.message.startswith("forventede 'comparison.n' (antal i sammenligningsgruppen) ved to "
                                      "procenttal (7,9 % mod 17 %), fandt det ikke")
    change(fixture_data, lambda res: res["comparison"].update(n=4321))
    assert problems(fixture_data) == []


def test_not_stated_beside_both_group_sizes_is_a_contradiction(fixture_data):
    i = change(fixture_data, lambda res: res["comparison"].update(n=4321))  # group_sizes: ikke-oplyst stays
    [problem] = problems(fixture_data)
    assert problem.path == f"results[{i}].group_sizes"
    assert "fandt begge (63 og 4321)" in problem.message and "slet 'group_sizes'" in problem.message


def test_no_comparison_has_no_figure(fixture_data):
    i = change(fixture_data, lambda res: res["comparison"].update(kind="ingen"))
    [problem] = problems(fixture_data)
    assert problem.path == f"results[{i}].comparison.value"
    assert problem.message.startswith("forventede intet tal ved kind: ingen (ingen sammenligning), fandt "
                                      "value: 17")


@pytest.mark.parametrize("days, ok", [(30, True), ([30, 90], True), ("ikke-oplyst", True), ([30], False),
                                      (-1, False), ("30 dage", False)])
def test_the_window_is_days_several_days_or_not_stated(fixture_data, days, ok):
    change(fixture_data, lambda res: res["window"].update(days=days))
    assert (problems(fixture_data) == []) == ok


def test_the_page_states_window_comparison_and_n_in_one_line_with_not_stated_shown(fixture_data):
    kb = load(fixture_data)
    res = next(r for r in kb.by_id()[RECORD].results if r.outcome == "genindlaeggelser")
    line = comparability(res)
    assert line == ("tidsvindue ikke oplyst i kilden · hvilke der tæller, er ikke oplyst i kilden · "
                    "sammenlignet med et befolkningstal, n = 63 patienter (antal i hver gruppe ikke oplyst i "
                    "kilden) · datakilde ikke oplyst i kilden · ikke justeret")
    page = render_all(kb)[f"indsatser/{RECORD}.md"]
    assert "**Sammenlignelighed:** tidsvindue ikke oplyst i kilden · " in page


def test_a_stated_window_reads_as_the_reader_would_say_it(fixture_data):
    def trial(res):
        _randomised(res)
        res.update(n=270, window={"days": 30, "after": "udskrivelse"}, events="alle", data_source="register")
        res["comparison"]["n"] = 261
    change(fixture_data, trial)
    kb = load(fixture_data)
    res = next(r for r in kb.by_id()[RECORD].results if r.outcome == "genindlaeggelser")
    assert comparability(res) == ("30 dage efter udskrivelsen · alle tæller, uanset årsag · randomiseret, 270 "
                                  "mod 261 patienter · registerdata · ikke justeret")


def test_a_comparison_kind_on_another_outcome_stands_beside_the_comparison(fixture_data):
    record = yaml.safe_load(_path(fixture_data).read_text(encoding="utf-8"))
    other = next(res for res in record["results"] if res["outcome"] == "samarbejde")
    other["comparison"] = {"text": "Året før", "kind": "historisk"}
    _path(fixture_data).write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = load(fixture_data)
    assert comparability(next(r for r in kb.by_id()[RECORD].results if r.outcome == "samarbejde")) == ""
    page = render_all(kb)[f"indsatser/{RECORD}.md"]
    assert "- **Sammenlignet med:** Året før (historisk sammenligning)\n" in page
