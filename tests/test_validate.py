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

from conftest import FIXTURES, REPO
from kb.load import DataError, load
from kb.yamlsafe import PARALLEL_FROM

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


def test_real_records_are_valid():
    kb = load(REPO / "data")
    assert len(kb.initiatives) >= 3


# file, line, field path, words the message must contain
CASES = [
    ("dublet-noegle.yml", 3, "title", ["to gange", "linje 2"]),
    ("stavefejl-felt.yml", 2, "titel", ["ukendt felt", "mente du 'title'"]),
    ("dansk-decimal.yml", 56, "results[2].value", ["forventede et tal", "'7,9'", "skriv 7.9"]),
    ("ukendt-klynge.yml", 4, "cluster", ["'nordklyngen'", "aarhus, horsens, midt, randers, vest"]),
    ("forkert-type.yml", 12, "target_group.min_age", ["forventede et helt tal", "'femogtres'"]),
    ("forkert-id.yml", 1, "id", ["'forkert-id'", "'et-andet-id'"]),
    ("ukendt-relation.yml", 88, "related[0]", ["'vest-vidoe'", "ikke findes"]),
    ("mangler-felt.yml", 1, "measurement", ["påkrævet"]),
    ("python-tag.yml", 2, "title", ["python/object", "ikke tilladt"]),
    ("alias-bombe.yml", 3, "", ["aliaser"]),
    ("syntaksfejl.yml", 4, "", ["ugyldig YAML"]),
    ("blueprint-ukendt-bane.yml", 93, "blueprint.steps[0].phase", ["'udskrivningen'", "udskrivelse"]),
    ("blueprint-ukendt-bane.yml", 94, "blueprint.steps[0].lane", ["'kommunen'", "borger, hospital, kommune"]),
    ("blueprint-overlevering.yml", 94, "blueprint.steps[0].lane", ["banen 'kommune'", "'hjemmesygeplejerske'"]),
    ("blueprint-overlevering.yml", 99, "blueprint.steps[0].handoff_to[0]",
     ["'samtalen'", "mente du 'samtale'"]),
    ("blueprint-overlevering.yml", 100, "blueprint.steps[0].handoff_to[1]", ["samme bane ('hospital')"]),
    ("blueprint-overlevering.yml", 111, "blueprint.steps[3].id", ["'samtale' findes to gange"]),
]


@pytest.mark.parametrize("name, line, path, words", CASES, ids=[c[0] for c in CASES])
def test_bad_record_message_names_file_line_and_field(empty_data, name, line, path, words):
    problems = problems_for(empty_data, bad_file(name))
    match = [p for p in problems if p.line == line and p.path == path]
    assert match, f"no problem at line {line}, field {path!r}: {[str(p) for p in problems]}"
    assert match[0].file == f"data/projects/{name}"
    text = str(match[0])
    assert text.startswith(f"data/projects/{name}:{line}: ")
    for word in words:
        assert word in text


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
    path.write_text(path.read_text(encoding="utf-8") + "- id: vest\n  label: Igen\n", encoding="utf-8")
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
        with pytest.raises(DataError) as err:
            load(fixture_data, jobs)
        found.append([str(p) for p in err.value.problems])
    assert found[0] == found[1]
    assert any("kopi-007.yml:2: id: nøglen 'id' står to gange" in p for p in found[1])
    assert any("kopi-150.yml" in p and "mente du 'region'?" in p for p in found[1])
