"""Systematic reviews as data (data/reviews/): the fixture reviews load, broken ones give a Danish message
with file and line, and ``kb new --review`` writes a template that validates once filled in.

The reviews here are made up (tests/fixtures/reviews/); no test reads the real data/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from kb import frames
from kb.loader import DataError, load

REVIEWS = FIXTURES / "reviews"
GOOD = (REVIEWS / "fiktiv-metaanalyse.yml").read_text(encoding="utf-8")


def with_reviews(data: Path, **files: str) -> Path:
    folder = data / "reviews"
    folder.mkdir(exist_ok=True)
    for path in REVIEWS.glob("*.yml"):
        shutil.copy(path, folder / path.name)
    for name, text in files.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return data


def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load(data)
    return [str(p) for p in info.value.problems]


def test_fixture_reviews_load(fixture_data):
    kb = load(with_reviews(fixture_data))
    reviews = {r.id: r for r in kb.reviews}
    assert sorted(reviews) == ["fiktiv-kol-hjemkomst", "fiktiv-metaanalyse", "fiktiv-narrativ"]
    first = reviews["fiktiv-metaanalyse"].estimates[0]
    assert (first.measure, first.value, first.low, first.high, first.window.days) == ("RR", 0.8, 0.7, 0.9, 30)
    assert reviews["fiktiv-narrativ"].estimates == []


def test_reviews_frame(fixture_data):
    table = frames.load(with_reviews(fixture_data)).reviews
    assert len(table) == 7  # 4 + 2 estimates and the narrative review's one row
    rr = table[(table.measure == "RR") & (table.review == "fiktiv-metaanalyse")].iloc[0]
    assert (rr.review, rr.value, rr.low, rr.high, rr.window_days, rr.doi) == (
        "fiktiv-metaanalyse", 0.8, 0.7, 0.9, 30, "10.1234/ramme_papir(2012)*1")
    assert table[table.review == "fiktiv-narrativ"].measure.isna().all()


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, field, words", [
    ("outcome: genindlaeggelser", "outcome: genindlaeggelse", "estimates[0].outcome",
     ["forventede et term fra ordlisten 'outcomes', fandt 'genindlaeggelse'"]),
    ("    low: 0.7\n    high: 0.9", "    low: 0.9\n    high: 0.7", "estimates[0].low",
     ["nedre grænse 0.9 ligger over øvre grænse 0.7"]),
    ("    value: 0.8\n", "    value: 0.95\n", "estimates[0].value", ["uden for intervallet"]),
    ("document: rammepapir-forloebskoordination-2012\nsynthesis", "document: daemp-temadag-2016\nsynthesis",
     "document", ["hverken 'doi' eller 'url'"]),
    ("synthesis: meta-analyse", "synthesis: narrativ", "estimates", ["narrativ syntese"]),
    ("    measure: OR\n", "    measure: XX\n", "estimates[1].measure", []),
    ("    low: 0.85\n", "    low: -0.1\n", "estimates[1].low", ["et forholdstal (OR) er større end 0"]),
])
def test_broken_review_names_file_line_and_field(fixture_data, old, new, field, words):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    found = problems(with_reviews(fixture_data, **{"fiktiv-metaanalyse": text}))
    assert len(found) == 1, found
    line = line_of(text, "estimates:" if field == "estimates" else new.strip().splitlines()[0].strip())
    assert found[0].startswith(f"data/reviews/fiktiv-metaanalyse.yml:{line}: {field}:"), found
    assert all(w in found[0] for w in words), found


def test_meta_analysis_without_estimates_is_refused(fixture_data):
    text = (REVIEWS / "fiktiv-narrativ.yml").read_text(encoding="utf-8").replace(
        "synthesis: narrativ", "synthesis: meta-analyse")
    found = problems(with_reviews(fixture_data, **{"fiktiv-narrativ": text}))
    line = line_of(text, "synthesis:")
    assert found == [f"data/reviews/fiktiv-narrativ.yml:{line}: synthesis: en metaanalyse "
                     "(synthesis: meta-analyse) har mindst ét samlet estimat under 'estimates'; "
                     "lægger kilden intet sammen, så skriv 'synthesis: narrativ'"]


def test_review_file_name_is_its_id(fixture_data):
    found = problems(with_reviews(fixture_data, **{"andet-navn": GOOD}))
    assert found == ["data/reviews/andet-navn.yml:2: id: forventede id'et 'andet-navn' (= filnavnet), "
                     "fandt 'fiktiv-metaanalyse'"]


def fill(text: str, lines: dict[str, str]) -> str:
    """Each line of the template that is exactly a key, replaced by its value (every one must be there)."""
    out = [lines.get(line, line) for line in text.splitlines()]
    assert set(lines) <= set(text.splitlines()), set(lines) - set(text.splitlines())
    return "\n".join(out) + "\n"


def kb_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], capture_output=True, text=True, cwd=REPO)


def test_new_review_template_validates_once_filled(fixture_data):
    proc = kb_cli("--data", str(fixture_data), "new", "--review", "min-oversigt")
    assert proc.returncode == 0, proc.stderr
    path = fixture_data / "reviews" / "min-oversigt.yml"
    text = path.read_text(encoding="utf-8")
    assert "Traceback" not in proc.stderr and "id: min-oversigt" in text
    assert "genindlaeggelser" in text  # the outcomes are spelt out
    refused = kb_cli("--data", str(fixture_data), "validate")
    assert refused.returncode == 1 and "data/reviews/min-oversigt.yml:" in refused.stderr
    assert "Traceback" not in refused.stderr
    filled = fill(text, {
        "title:": "title: Fiktiv oversigt (testpost)",
        "document:": "document: rammepapir-forloebskoordination-2012",
        "population:": "population: Opdigtede ældre patienter",
        "  types: []": "  types: [telefonstoette]",
        "  description:": "  description: Opdigtet opfølgning pr. telefon",
        "  comparison:": "  comparison: sædvanlig udskrivelse",
        "searched:": "searched: 1. januar 2020",
        "trials:": "trials: 3", "participants:": "participants: 300",
        "  - outcome:": "  - outcome: genindlaeggelser",
        "    text:": "    text: Færre genindlæggelser (opdigtet)",
        "      days:": "      days: 30", "      after:": "      after: udskrivelse",
        "    measure:": "    measure: RR", "    value:": "    value: 0.9",
        "    low:": "    low: 0.8", "    high:": "    high: 1.01",
        "      document:": "      document: rammepapir-forloebskoordination-2012",
        "      locator:": "      locator: Abstract – Results",
        "summary:": "summary: Opdigtet konklusion",
        "  document:": "  document: rammepapir-forloebskoordination-2012",
        "  locator:": "  locator: Abstract",
    })
    path.write_text(filled, encoding="utf-8")
    proc = kb_cli("--data", str(fixture_data), "validate")
    assert proc.returncode == 0, proc.stderr + filled
    again = kb_cli("--data", str(fixture_data), "new", "--review", "min-oversigt")
    assert again.returncode == 1 and "findes allerede" in again.stderr
