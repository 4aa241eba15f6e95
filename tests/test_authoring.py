"""Authoring: `kb new`, the JSON Schema for editors and the messages an author sees for a new record."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest
import yaml

from conftest import REPO, kb
from kb.load import load
from kb.pages import render_all
from kb.schema import MODELINE, SCHEMA_FILE, schema_text

# What an author fills in after `kb new`: template line -> the line written instead.
FILLED = {
    "title:": "title: Tryg hjem fra hospitalet",
    "region:": "region: syddanmark",
    "  types: []": "  types:\n    - opfoelgende-hjemmebesoeg",
    "  description:\n  # Hvem": "  description: Sygeplejersken kommer dagen efter udskrivelsen.\n  # Hvem",
    "  effect_measured:": "  effect_measured: nej",
    "  - document:": "  - document: syddanmark-kortlaegning",
    "    locator:\n": "    locator: Opfølgende hjemmebesøg\n",
}


@pytest.fixture
def real_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    return data


def test_schema_file_matches_model_and_vocabularies():
    committed = (REPO / "data" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(load(REPO / "data")), "data/schema is stale: run `kb schema`"


def test_every_record_points_editors_to_the_schema():
    lines = {p.name: p.read_text(encoding="utf-8").split("\n", 1)[0]
             for p in sorted((REPO / "data" / "projects").glob("*.yml"))}
    assert lines and {name for name, line in lines.items() if line != MODELINE} == set()


def _as_json(path):
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_real_records_pass_the_json_schema_and_mistakes_do_not():
    schema = json.loads((REPO / "data" / SCHEMA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((REPO / "data" / "projects").glob("*.yml")):
        assert not list(validator.iter_errors(_as_json(path))), path.name
    record = _as_json(REPO / "data" / "projects" / "vest-udskrivelsessamtaler-video.yml")
    record["titel"] = record.pop("title")
    record["region"] = "nordjyland"
    messages = sorted(e.message for e in validator.iter_errors(record))
    assert any("'title' is a required property" in m for m in messages), messages
    assert any("'nordjyland' is not one of" in m for m in messages), messages


def test_schema_check_notices_a_new_vocabulary_term(real_copy):
    with (real_copy / "vocab" / "regions.yml").open("a", encoding="utf-8") as f:
        f.write("- id: groenland\n  label: Grønland\n")
    stale = kb("--data", str(real_copy), "schema", "--check")
    assert stale.returncode == 1 and "kør 'kb schema'" in stale.stderr
    assert kb("--data", str(real_copy), "schema").returncode == 0
    assert kb("--data", str(real_copy), "schema", "--check").returncode == 0
    schema = json.loads((real_copy / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert "groenland" in schema["properties"]["region"]["enum"]


def test_new_record_lists_what_to_fill_then_appears_everywhere(real_copy):
    regions = ", ".join(sorted(load(real_copy).vocabularies["regions"]))
    made = kb("--data", str(real_copy), "new", "syd-tryg-hjem")
    assert made.returncode == 0, made.stderr
    path = real_copy / "projects" / "syd-tryg-hjem.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(MODELINE + "\n") and "id: syd-tryg-hjem\n" in text
    assert max(map(len, text.splitlines())) <= 100

    empty = kb("--data", str(real_copy), "validate")
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
    ok = kb("--data", str(real_copy), "validate")
    assert ok.returncode == 0, ok.stderr
    pages = render_all(load(real_copy))
    assert "indsatser/syd-tryg-hjem.md" in pages
    for overview in ("oversigt.md", "find.md", "typer/opfoelgende-hjemmebesoeg.md"):
        assert "indsatser/syd-tryg-hjem" in pages[overview], overview


@pytest.mark.parametrize(("record_id", "words"), [
    ("Tryg Hjem", "fx 'tryg-hjem'"),
    ("syd--hjem", "enkelte bindestreger"),
    ("vest-udskrivelsessamtaler-video", "findes allerede"),
])
def test_new_refuses_an_id_that_cannot_be_a_file_name(real_copy, record_id, words):
    before = sorted(p.name for p in (real_copy / "projects").iterdir())
    proc = kb("--data", str(real_copy), "new", record_id)
    assert proc.returncode == 1 and words in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in (real_copy / "projects").iterdir()) == before
