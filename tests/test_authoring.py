"""Authoring: `kb new`, the JSON Schema for editors and the messages an author sees for a new record."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from conftest import REPO, kb
from kb.loader import load
from kb.pages import render_all
from kb.schema import MODELINE, SCHEMA_FILE, schema_text

# What an author fills in after `kb new`: template line -> the line written instead.
FILLED = {
    "title:": "title: Tryg hjem fra hospitalet",
    "region:": "region: syddanmark",
    "  types: []": "  types:\n    - opfoelgende-hjemmebesoeg",
    "  description:\n  # Hvem": "  description: Sygeplejersken kommer dagen efter udskrivelsen.\n  # Hvem",
    "  effect_measured:": "  effect_measured: nej",
    "  # text:": "  text: Kilden nævner ingen måling.",
    "  - document:": "  - document: syddanmark-kortlaegning",
    "    locator:\n": "    locator: Opfølgende hjemmebesøg\n",
}


def test_validate_writes_the_schema_for_editors_and_keeps_it_in_step(fixture_data):
    path = fixture_data / SCHEMA_FILE
    assert not path.exists()  # generated, not kept in git
    assert kb("--data", str(fixture_data), "validate").returncode == 0
    assert path.read_text(encoding="utf-8") == schema_text(load(fixture_data))
    with (fixture_data / "vocab" / "regions.yml").open("a", encoding="utf-8") as f:
        f.write("- id: ny-region\n  label: En ny region\n")
    assert kb("--data", str(fixture_data), "schema", "--check").returncode == 1
    assert kb("--data", str(fixture_data), "validate").returncode == 0  # no `kb schema` needed
    assert kb("--data", str(fixture_data), "schema", "--check").returncode == 0
    assert "ny-region" in json.loads(path.read_text(encoding="utf-8"))["properties"]["region"]["enum"]


def test_validate_names_records_that_do_not_point_editors_to_the_schema(fixture_data):
    record = fixture_data / "projects" / "vest-video.yml"
    record.write_text(MODELINE + "\n" + record.read_text(encoding="utf-8"), encoding="utf-8")
    proc = kb("--data", str(fixture_data), "validate")
    assert proc.returncode == 0  # a convenience for editors, not an error
    named = re.findall(r"^kb: data/projects/([\w-]+)\.yml: sæt '# yaml-language-server", proc.stdout, re.M)
    assert named == sorted(p.stem for p in (fixture_data / "projects").glob("*.yml") if p != record)


def _as_json(path):
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.real_data
def test_real_records_pass_the_json_schema_and_mistakes_do_not():
    validator = jsonschema.Draft202012Validator(json.loads(schema_text(load(REPO / "data"))))
    paths = sorted((REPO / "data" / "projects").glob("*.yml"))
    for path in paths:
        assert not list(validator.iter_errors(_as_json(path))), path.name
    record = _as_json(paths[0])
    record["titel"] = record.pop("title")
    record["region"] = "ingen-region"
    messages = sorted(e.message for e in validator.iter_errors(record))
    assert any("'title' is a required property" in m for m in messages), messages
    assert any("'ingen-region' is not one of" in m for m in messages), messages


def test_new_record_lists_what_to_fill_then_appears_everywhere(fixture_data):
    data = fixture_data
    regions = ", ".join(sorted(load(data).vocabularies["regions"]))
    made = kb("--data", str(data), "new", "syd-tryg-hjem")
    assert made.returncode == 0, made.stderr
    path = data / "projects" / "syd-tryg-hjem.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(MODELINE + "\n") and "id: syd-tryg-hjem\n" in text
    assert max(map(len, text.splitlines())) <= 100

    empty = kb("--data", str(data), "validate")
    assert empty.returncode == 1 and "Traceback" not in empty.stderr
    fields = re.findall(r"^data/projects/syd-tryg-hjem\.yml:\d+: ([\w.\[\]]+): ", empty.stderr, re.M)
    assert fields == ["title", "region", "intervention.types", "intervention.description",
                      "measurement.effect_measured", "sources[0].document", "sources[0].locator"]
    assert f"ordlisten 'regions': {regions}" in empty.stderr
    assert "en af 'ja', 'delvist', 'afventer', 'nej'" in empty.stderr

    for blank, filled in FILLED.items():
        assert text.count(blank) == 1, blank
        text = text.replace(blank, filled)
    path.write_text(text, encoding="utf-8")
    ok = kb("--data", str(data), "validate")
    assert ok.returncode == 0, ok.stderr
    pages = render_all(load(data))
    assert "indsatser/syd-tryg-hjem.md" in pages
    for overview in ("oversigt.md", "find.md", "typer/opfoelgende-hjemmebesoeg.md"):
        assert "indsatser/syd-tryg-hjem" in pages[overview], overview


@pytest.mark.parametrize(("record_id", "words"), [
    ("Tryg Hjem", "fx 'tryg-hjem'"),
    ("syd--hjem", "enkelte bindestreger"),
    ("vest-video", "findes allerede"),
])
def test_new_refuses_an_id_that_cannot_be_a_file_name(fixture_data, record_id, words):
    data = fixture_data
    before = sorted(p.name for p in (data / "projects").iterdir())
    proc = kb("--data", str(data), "new", record_id)
    assert proc.returncode == 1 and words in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in (data / "projects").iterdir()) == before
