"""The validator on good records and on a corpus of bad ones.

Every message must name the file, the line and the field, say what was expected
and what was found, and never be a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO
from kb import yamlsafe
from kb.cli import github_annotation
from kb.loader import DataError, load
from kb.messages import describe, slugify
from kb.model import SLUG_RE, Initiative
from kb.yamlsafe import PARALLEL_FROM, Problem

BAD = FIXTURES / "bad"


def problems_for(data: Path, *files: tuple[str, bytes]):
    for name, content in files:
        (data / "projects" / name).write_bytes(content)
    with pytest.raises(DataError) as info:
        load(data)
    return info.value.problems


def bad_file(name: str) -> tuple[str, bytes]:
    return name, (BAD / name).read_bytes()


def test_fixture_records_are_valid(fixture_data):
    kb = load(fixture_data)
    assert [r.id for r in kb.initiatives] == ["horsens-hoftebrud", "injektion", "vest-video"]
    video = kb.by_id()["vest-video"]
    assert video.results[2].value == 7.9 and video.results[2].comparison.value == 17


@pytest.mark.real_data
def test_real_records_are_valid():
    kb = load(REPO / "data")
    assert len(kb.initiatives) >= 3


# The bad-input corpus, one small file per class: file, line, field path, words the message must contain.
CASES = [
    # syntax, in Danish with the fix
    ("syntaksfejl.yml", 4, "", ["ugyldig YAML"]),
    ("tabulator.yml", 12, "", ["brug mellemrum, ikke tabulator"]),
    ("kolon-i-tekst.yml", 2, "", ["sæt anførselstegn om tekst, der indeholder ': '"]),
    ("ukendt-escape.yml", 2, "", ["skriv \\\\ for en omvendt skråstreg"]),
    ("dublet-noegle.yml", 3, "title", ["to gange", "linje 2"]),
    # what YAML may not carry: tags, aliases, control characters, impossible values, depth
    ("python-tag.yml", 2, "title", ["python/object", "ikke tilladt"]),
    ("int-maerke.yml", 12, "target_group.min_age", ["'femogtres'", "!!int"]),
    ("dato-maerke.yml", 87, "measurement.effect_measured", ["'delvist' findes ikke"]),
    ("bool-maerke.yml", 10, "status", ["'ukendt' kan ikke læses som !!bool"]),
    ("maerke-paa-liste.yml", 5, "organisations", ["!!str passer ikke", "slet mærket"]),
    ("umulig-dato.yml", 11, "updated", ["'2024-02-30' findes ikke"]),
    ("kaempe-heltal.yml", 60, "results[2].n", ["kan ikke læses som !!int"]),
    ("dyb-indlejring.yml", 36, "intervention.timing" + "[0]" * 19, ["indlejret for dybt", "højst 20"]),
    ("alias-bombe.yml", 3, "", ["aliaser"]),
    ("nul-i-titel.yml", 2, "title", ["U+0000", "styretegn"]),
    ("styretegn-i-fil.yml", 2, "", ["U+0007", "styretegn"]),
    # strict values: no coercion, finite numbers, percentages within bounds
    ("dansk-decimal.yml", 58, "results[2].value", ["forventede et tal", "'7,9'", "skriv 7.9"]),
    ("tal-i-anfoerselstegn.yml", 58, "results[2].value", ["forventede et tal", "skriv 7.9 uden anførselstegn"]),
    ("antal-i-anfoerselstegn.yml", 60, "results[2].n", ["forventede et helt tal", "'63'"]),
    ("sandt-som-alder.yml", 12, "target_group.min_age", ["forventede et helt tal", "fandt true"]),
    ("ja-som-antal.yml", 60, "results[2].n", ["forventede et helt tal", "fandt yes"]),
    ("forkert-type.yml", 12, "target_group.min_age", ["forventede et helt tal", "'femogtres'"]),
    ("ikke-et-tal.yml", 58, "results[2].value", ["endeligt tal", ".nan"]),
    ("uendelig.yml", 58, "results[2].value", ["endeligt tal", ".inf"]),
    ("procent-over-100.yml", 58, "results[2].value", ["fra 0 til 100 (procent)", "fandt 107.9"]),
    ("procent-sammenligning.yml", 63, "results[2].comparison.value", ["fra 0 til 100 (procent)", "fandt 170"]),
    ("tusindtal-punktum.yml", 60, "results[2].n", ["fandt 1.250", "skriv 1250"]),
    ("tusindtal-komma.yml", 60, "results[2].n", ["'1,250'", "skriv 1250"]),
    ("negativt-antal.yml", 60, "results[2].n", ["forventede mindst 0, fandt -3"]),
    ("for-hoej-alder.yml", 12, "target_group.min_age", ["forventede højst 120, fandt 130"]),
    # fields: unknown, missing (said where to add it), the key's own line
    ("stavefejl-felt.yml", 2, "titel", ["ukendt felt", "mente du 'title'"]),
    ("mangler-felt.yml", 1, "measurement", ["påkrævet", "øverst i posten"]),
    ("mangler-indlejret-felt.yml", 86, "measurement.effect_measured",
     ["tilføj 'effect_measured:' under 'measurement'"]),
    ("blok-noegle-linje.yml", 17, "target_group.screening", ["forventede en tabel af felter, fandt en liste"]),
    # terms and ids, with suggestions from ids, labels and symbols
    ("ukendt-klynge.yml", 4, "cluster", ["'nordklyngen'", "aarhus, horsens, midt, randers, vest"]),
    ("region-navn.yml", 3, "region", ["'Region Midtjylland'", "mente du 'midtjylland'?"]),
    ("klynge-navn.yml", 4, "cluster", ["'Vestklyngen'", "mente du 'vest'?"]),  # only the label is like it
    ("procent-tegn.yml", 59, "results[2].unit", ["'%'", "mente du 'procent'?"]),
    ("forkert-id.yml", 1, "id", ["'forkert-id'", "'et-andet-id'"]),
    ("id-uden-bogstaver.yml", 98, "related[0]", ["forventede små bogstaver", "fandt '---'"]),
    ("ukendt-relation.yml", 101, "related[0]", ["'vest-vidoe'", "ikke findes"]),
    ("selv-relation.yml", 98, "related[0]", ["henviser til sig selv"]),
    ("omvendt-periode.yml", 10, "period.end", ["slutår 2016 ligger før startår 2019"]),
    ("blueprint-ukendt-bane.yml", 106, "blueprint.steps[0].phase", ["'udskrivningen'", "udskrivelse"]),
    ("blueprint-ukendt-bane.yml", 107, "blueprint.steps[0].lane", ["'kommunen'", "borger, hospital, kommune"]),
    ("blueprint-overlevering.yml", 107, "blueprint.steps[0].lane", ["banen 'kommune'", "'hjemmesygeplejerske'"]),
    ("blueprint-overlevering.yml", 112, "blueprint.steps[0].handoff_to[0]",
     ["'samtalen'", "mente du 'samtale'"]),
    ("blueprint-overlevering.yml", 113, "blueprint.steps[0].handoff_to[1]", ["samme bane ('hospital')"]),
    ("blueprint-overlevering.yml", 124, "blueprint.steps[3].id", ["'samtale' står to gange", "linje 119"]),
    # "Sådan kommer I i gang": each fact is a text with its source, never a bare figure
    ("pris-som-tekst.yml", 101, "getting_started.cost",
     ["forventede en tabel af felter", "'250.000 kr. om året'"]),
    ("start-uden-kilde.yml", 101, "getting_started.staff.source", ["påkrævet", "tilføj 'source:'"]),
]
ENGLISH = ["Input should", "greater than", "less than", "valid", "required", "found", "expected", "Error"]


@pytest.mark.parametrize("name, line, path, words", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_bad_record_message_names_file_line_and_field(empty_data, name, line, path, words):
    problems = problems_for(empty_data, bad_file(name))
    match = [p for p in problems if p.line == line and p.path == path]
    assert match, f"no problem at line {line}, field {path!r}: {[str(p) for p in problems]}"
    assert match[0].file == f"data/projects/{name}"
    text = str(match[0])
    assert text.startswith(f"data/projects/{name}:{line}: ")
    for word in words:
        assert word in text
    assert [word for word in ENGLISH if word in match[0].message] == []


def test_corpus_fixtures_are_each_in_a_case():
    assert {path.name for path in BAD.glob("*.yml")} == {case[0] for case in CASES} | {"flere-fejl.yml"}


def test_cli_refuses_the_whole_corpus_with_exit_1_and_every_line(empty_data):
    for path in BAD.glob("*.yml"):
        shutil.copy(path, empty_data / "projects" / path.name)
    proc = run_cli("--data", str(empty_data), "validate")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "intern fejl" not in proc.stderr
    for name, line, path, _ in CASES:
        assert f"data/projects/{name}:{line}: {path + ': ' if path else ''}" in proc.stderr, (name, line)


def test_all_problems_of_all_files_are_reported_at_once(empty_data):
    problems = problems_for(empty_data, bad_file("flere-fejl.yml"), bad_file("ukendt-klynge.yml"))
    paths = {(p.file.rsplit("/", 1)[-1], p.path) for p in problems}
    assert ("flere-fejl.yml", "titel") in paths
    assert ("flere-fejl.yml", "status") in paths
    assert ("flere-fejl.yml", "sources[0].document") in paths
    assert ("ukendt-klynge.yml", "cluster") in paths
    status = next(p for p in problems if p.path == "status")
    assert "eller 'ukendt'" in status.message and "'slut'" in status.message


def test_alias_bomb_is_refused_quickly(empty_data):
    start = time.monotonic()
    problems_for(empty_data, bad_file("alias-bombe.yml"))
    assert time.monotonic() - start < 1


def test_huge_file_is_refused_without_parsing(empty_data):
    big = b"id: stor\ntitle: " + b"x" * (600 * 1024) + b"\n"
    [problem] = problems_for(empty_data, ("stor.yml", big))
    assert problem.line == 1 and "bytes" in problem.message


def test_non_utf8_names_the_line(empty_data):
    content = (FIXTURES / "projects" / "vest-video.yml").read_bytes().replace(b"id: vest-video", b"id: latin")
    content = content.replace("Målgruppe".encode(), "Målgruppe".encode("latin-1"))
    content = content.replace("Før udskrivelsen".encode(), "Før udskrivelsen".encode("latin-1"))
    [problem] = problems_for(empty_data, ("latin.yml", content))
    assert "UTF-8" in problem.message
    assert problem.line == content[: content.index(b"F\xf8r")].count(b"\n") + 1


def test_bom_and_crlf_are_accepted(empty_data):
    text = (FIXTURES / "projects" / "vest-video.yml").read_text(encoding="utf-8")
    text = text.replace("id: vest-video", "id: bom-crlf").replace("  - horsens-hoftebrud\n", "")
    text = text.replace("related:\n", "")
    (empty_data / "projects" / "bom-crlf.yml").write_bytes(
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    [record] = load(empty_data).initiatives
    assert record.id == "bom-crlf" and record.title == "Udskrivelsessamtaler via video"


def test_yaml_extension_would_be_ignored(empty_data):
    shutil.copy(FIXTURES / "projects" / "horsens-hoftebrud.yml",
                empty_data / "projects" / "horsens-hoftebrud.yaml")
    [problem] = problems_for(empty_data)
    assert problem.file == "data/projects/horsens-hoftebrud.yaml"
    assert "horsens-hoftebrud.yml" in problem.message


def test_duplicate_vocabulary_term(empty_data):
    path = empty_data / "vocab" / "clusters.yml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: vest\n  label: Igen\n  region: midtjylland\n",
                    encoding="utf-8")
    problems = problems_for(empty_data)
    assert any(p.file == "data/vocab/clusters.yml" and "to gange" in p.message for p in problems)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb.cli", *args],
                          capture_output=True, text=True, cwd=REPO)


def test_cli_validate_exits_nonzero_without_traceback(empty_data):
    for name in ("flere-fejl.yml", "python-tag.yml", "syntaksfejl.yml"):
        shutil.copy(BAD / name, empty_data / "projects" / name)
    proc = run_cli("--data", str(empty_data), "validate")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "data/projects/python-tag.yml:2: title:" in proc.stderr
    assert "data/projects/syntaksfejl.yml:4:" in proc.stderr
    assert "intet er bygget" in proc.stderr


def test_cli_validate_ok(fixture_data):
    proc = run_cli("--data", str(fixture_data), "validate")
    assert proc.returncode == 0, proc.stderr
    assert "3 indsatser" in proc.stdout


def test_cli_output_to_a_closed_pipe_is_not_an_error(fixture_data):
    read, write = os.pipe()
    os.close(read)  # the reader has gone, as `kb validate | head -0` leaves it
    try:
        proc = subprocess.run([sys.executable, "-m", "kb.cli", "--data", str(fixture_data), "validate"],
                              stdout=write, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write)
    assert proc.returncode == 141 and proc.stderr == ""


def test_coverage_and_context_name_records_that_exist(fixture_data):
    (fixture_data / "coverage").mkdir()
    (fixture_data / "coverage" / "tidlig.yml").write_text(
        "document: tidlig-opfoelgning-2020\nentries:\n"
        "  - heading: Vestklyngen\n    records: [vest-video, vest-vidoe, horsens-hoftebrud, injektion]\n",
        encoding="utf-8")
    (fixture_data / "coverage" / "tema.yml").write_text(
        "document: daemp-temadag-2016\nentries:\n  - heading: Typer af indsatser\n", encoding="utf-8")
    texts = sorted(str(p) for p in problems_for(fixture_data))
    assert texts == [
        "data/coverage/tema.yml:3: entries[0]: forventede 'records' eller en begrundelse "
        "i 'left_out', fandt ingen af dem",
        "data/coverage/tidlig.yml:4: entries[0].records[1]: forventede id'et på en indsats, "
        "fandt 'vest-vidoe', som ikke findes; mente du 'vest-video'?",
    ]


def test_parsing_in_workers_reports_exactly_what_one_process_does(fixture_data):
    """Many records are parsed in forked workers (kb validate); the problems must not change."""
    source = (fixture_data / "projects" / "horsens-hoftebrud.yml").read_text(encoding="utf-8")
    for i in range(PARALLEL_FROM):
        (fixture_data / "projects" / f"kopi-{i:03}.yml").write_text(
            source.replace("id: horsens-hoftebrud", f"id: kopi-{i:03}"), encoding="utf-8")
    (fixture_data / "projects" / "kopi-007.yml").write_text("id: kopi-007\nid: igen\n", encoding="utf-8")
    (fixture_data / "projects" / "kopi-150.yml").write_text(
        source.replace("id: horsens-hoftebrud", "id: kopi-150").replace("region:", "regio:"), encoding="utf-8")
    found = []
    for jobs in (1, 2):
        yamlsafe._PARSED.clear()  # else the second load would parse nothing
        with pytest.raises(DataError) as err:
            load(fixture_data, jobs)
        found.append([str(p) for p in err.value.problems])
    assert found[0] == found[1]
    assert any("kopi-007.yml:2: id: nøglen 'id' står to gange" in p for p in found[1])
    assert any("kopi-150.yml" in p and "mente du 'region'?" in p for p in found[1])


def test_loading_again_parses_only_what_changed_and_still_checks_every_file(fixture_data, monkeypatch):
    """The live preview loads the records on every save: a text parsed before is not parsed again,
    but every file is read and checked again, and a changed one is parsed and judged anew."""
    parsed = []
    real = yamlsafe.parse_yaml
    monkeypatch.setattr(yamlsafe, "parse_yaml", lambda text, name: parsed.append(name) or real(text, name))
    yamlsafe._PARSED.clear()
    first = load(fixture_data)
    count = len(parsed)
    assert count >= 3 and load(fixture_data) == first and len(parsed) == count
    record = fixture_data / "projects" / "vest-video.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("region:", "regio:", 1), encoding="utf-8")
    assert any("mente du 'region'?" in str(p) for p in problems_for(fixture_data))
    assert parsed[count:] == ["data/projects/vest-video.yml"]
    record.unlink()
    record.mkdir()  # the text parsed before is no excuse to read a folder
    assert any("navnet tilhører en mappe" in str(p) for p in problems_for(fixture_data))
    record.rmdir()
    record.write_text(text, encoding="utf-8")
    assert load(fixture_data) == first and parsed[count + 1:] == []


# --- file kinds: only regular files inside data/ are read, and never without a size check ---------


def _symlink_to_dev_zero(projects: Path) -> None:
    (projects / "nul.yml").symlink_to("/dev/zero")


def _symlink_outside(projects: Path) -> None:
    outside = projects.parents[1] / "udenfor.yml"
    shutil.copy(FIXTURES / "projects" / "horsens-hoftebrud.yml", outside)
    (projects / "nul.yml").symlink_to(outside)


def _dangling_symlink(projects: Path) -> None:
    (projects / "nul.yml").symlink_to(projects / "findes-ikke.yml")


def _symlink_loop(projects: Path) -> None:
    (projects / "nul.yml").symlink_to(projects / "ring.yml")
    (projects / "ring.yml").symlink_to(projects / "nul.yml")


FILE_KINDS = [
    (_symlink_to_dev_zero, "genvej (symbolsk link) til /dev/zero"),
    (_symlink_outside, "uden for data-mappen"),
    (_dangling_symlink, "findes ikke"),
    (_symlink_loop, "peger i ring"),
    (lambda projects: os.mkfifo(projects / "nul.yml"), "ikke en almindelig fil"),
    (lambda projects: (projects / "nul.yml").mkdir(), "en mappe, ikke en fil"),
]


@pytest.mark.parametrize("make, words", FILE_KINDS, ids=["dev-zero", "udenfor", "dinglende", "ring", "fifo",
                                                           "mappe"])
def test_a_record_that_is_not_a_regular_file_inside_data_is_refused(empty_data, make, words):
    make(empty_data / "projects")
    problem = next(p for p in problems_for(empty_data) if p.file == "data/projects/nul.yml")
    assert (problem.line, problem.path) == (1, "")
    assert words in problem.message
    proc = run_cli("--data", str(empty_data), "validate")
    assert proc.returncode == 1 and f"data/projects/nul.yml:1: {problem.message}" in proc.stderr


def test_a_symlink_inside_data_is_followed(empty_data):
    shutil.copy(FIXTURES / "projects" / "horsens-hoftebrud.yml", empty_data / "horsens-hoftebrud.yml")
    (empty_data / "projects" / "horsens-hoftebrud.yml").symlink_to(empty_data / "horsens-hoftebrud.yml")
    assert [r.id for r in load(empty_data).initiatives] == ["horsens-hoftebrud"]


def test_a_context_file_that_is_a_folder_is_refused(fixture_data):
    shutil.rmtree(fixture_data / "context")
    (fixture_data / "context" / "glossary.yml").mkdir(parents=True)
    [problem] = problems_for(fixture_data)
    assert problem.file == "data/context/glossary.yml" and "mappe" in problem.message


# --- shared lists: one bad entry loses only itself; every list of ids is checked for duplicates ----


def _add_field_to_entry(path: Path, entry_id: str) -> int:
    """Give the entry ``entry_id`` a field no model has; return the entry's index in the list."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"- id: {entry_id}\n", f"- id: {entry_id}\n  forfatter: Ukendt\n", 1),
                    encoding="utf-8")
    return [entry["id"] for entry in yaml.safe_load(text)].index(entry_id)


@pytest.mark.parametrize("file, entry_id", [("documents.yml", "tidlig-opfoelgning-2020"),
                                            ("vocab/clusters.yml", "vest")])
def test_one_bad_entry_in_a_shared_list_is_the_only_problem(fixture_data, file, entry_id):
    """The fixture records cite this document and cluster: they must not be reported as well."""
    index = _add_field_to_entry(fixture_data / file, entry_id)
    [problem] = problems_for(fixture_data)
    assert (problem.file, problem.path) == (f"data/{file}", f"[{index}].forfatter")
    assert "ukendt felt 'forfatter'" in problem.message


def test_a_field_missing_from_a_list_entry_is_added_in_that_entry(fixture_data):
    path = fixture_data / "vocab" / "clusters.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  label: Vestklyngen\n", "", 1), encoding="utf-8")
    [problem] = problems_for(fixture_data)
    assert problem.path.endswith("].label") and problem.message.endswith(
        "tilføj 'label:' i punktet, med samme indrykning som 'id:'")


@pytest.mark.parametrize("file", ["documents.yml", "vocab/clusters.yml", "context/recommendations.yml",
                                  "context/action_plans.yml"])
def test_every_list_of_ids_refuses_a_duplicate(fixture_data, file):
    path = fixture_data / file
    text = path.read_text(encoding="utf-8")
    first = text[text.index("- id:"):]
    first = first[:first.index("\n- ") + 1] if "\n- " in first else first
    path.write_text(text.rstrip("\n") + "\n" + first, encoding="utf-8")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = problems_for(fixture_data)
    assert [(p.file, p.path) for p in problems] == [(f"data/{file}", f"[{len(entries) - 1}].id")]
    first_line = text[:text.index("- id:")].count("\n") + 1
    assert f"'{entries[0]['id']}' står to gange (første gang i linje {first_line})" in problems[0].message


def test_a_source_number_given_twice_is_refused_where_it_repeats(fixture_data):
    path = fixture_data / "context" / "recommendations.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("number: 2", "number: 1"), encoding="utf-8")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    later = max(i for i, e in enumerate(entries) if e.get("number") == 1)
    [problem] = problems_for(fixture_data)
    assert problem.path == f"[{later}].number"
    assert problem.line == text.splitlines().index("  number: 1") + 1
    assert "nummer 1 for samme slags anbefaling i samme kilde står to gange" in problem.message


# --- what a nurse reads: suggestions never break the id rule; GitHub annotations -----------------


@pytest.mark.parametrize("text", ["Tryg Hjem", "---", "%", "Æblet på ø'en", "x" * 200, "a " * 100, "🏠"])
def test_an_id_suggestion_always_obeys_the_id_rule(text):
    suggestion = slugify(text)
    assert suggestion is None or (SLUG_RE.match(suggestion) and len(suggestion) <= 80)


def test_github_format_puts_each_problem_on_its_line(empty_data):
    shutil.copy(BAD / "kolon-i-tekst.yml", empty_data / "projects")
    shutil.copy(BAD / "procent-tegn.yml", empty_data / "projects")
    proc = run_cli("--data", str(empty_data), "validate", "--format", "github")
    assert proc.returncode == 1
    annotations = proc.stdout.splitlines()
    assert len(annotations) == 2
    assert annotations[0].startswith("::error file=data/projects/kolon-i-tekst.yml,line=2,title=kb validate::")
    assert annotations[1].startswith("::error file=data/projects/procent-tegn.yml,line=59,"
                                     "title=kb validate%3A results[2].unit::")


def test_github_annotations_escape_what_github_reads_as_syntax():
    problem = Problem("data/a,b:c.yml", 3, "x", "100% rigtigt\r\nny linje: ja, nej")
    assert github_annotation(problem) == ("::error file=data/a%2Cb%3Ac.yml,line=3,title=kb validate%3A x"
                                          "::100%25 rigtigt%0D%0Any linje: ja, nej")


def test_pull_requests_show_validation_errors_as_annotations():
    workflow = (REPO / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "make validate FORMAT=github" in workflow
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "kb validate --format $(FORMAT)" in makefile


def test_an_unreadable_shared_list_is_one_problem_not_one_per_reference(fixture_data):
    (fixture_data / "documents.yml").write_text("- id: a\n  title: [ikke lukket\n", encoding="utf-8")
    [problem] = problems_for(fixture_data)
    assert problem.file == "data/documents.yml" and "ikke lukket" in problem.message


@pytest.mark.parametrize("old, new, words", [
    ("status: ukendt", 'status: ukendt\nupdated: "2024-05-31"', "skriv den uden anførselstegn"),
    ("title: Udskrivelsessamtaler via video", "title: 2024-05-31", "sæt anførselstegn om den"),
])
def test_a_quoted_date_or_an_unquoted_title_says_what_to_change(empty_data, old, new, words):
    text = (BAD / "dansk-decimal.yml").read_text(encoding="utf-8").replace('"7,9"', "7.9").replace(old, new)
    [problem] = problems_for(empty_data, ("dansk-decimal.yml", text.encode()))
    assert words in problem.message
    assert problem.line == text[:text.index(new.splitlines()[-1])].count("\n") + 1


def test_a_pydantic_error_without_a_danish_message_is_still_danish():
    err = {"type": "json_type", "loc": ("title",), "msg": "JSON input should be string, bytes or bytearray",
           "input": 7}
    message = describe(err, Initiative)
    assert message.startswith("værdien passer ikke her, fandt 7") and "JSON" not in message
