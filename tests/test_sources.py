"""Faithfulness to the source documents (kb.fidelity), and the coverage lists.

The real data's figures are checked against the texts in the folder $KB_SOURCES names
(.ci/run points it at ../shared/seeds): one test per figure or heading. A document without a
local text gives one skipped test, "ikke tjekket: ingen lokal tekst". The mechanism itself is
tested on the fixtures and their texts in tests/fixtures/sources/.
"""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import FIXTURES, REPO, kb
from kb.fidelity import ENV, UNCHECKED, Check, check_sources, checks, failure, local_texts, runnable, source_folder
from kb.loader import DataError, load

REAL = load(REPO / "data")


def real_checks():
    folder = source_folder()
    if folder is not None and not folder.is_dir():
        yield pytest.param(None, id=f"{ENV}-mangler")
        return
    texts = local_texts(REAL, folder)
    for document, text in sorted(texts.items()):
        if text is None:
            yield pytest.param(None, id=document, marks=pytest.mark.skip(reason=f"{document}: {UNCHECKED}"))
    for check in checks(REAL):
        if runnable(check, texts):
            yield pytest.param(check, id=check.where)


@pytest.mark.real_data
@pytest.mark.parametrize("check", list(real_checks()))
def test_real_figures_and_headings_stand_in_their_local_text(check):
    folder = source_folder()
    assert check is not None, f"{ENV}={folder} er ikke en mappe"
    assert failure(check, local_texts(REAL, folder)) is None


# --- the mechanism, on the fixtures ---------------------------------------------------


def test_fixture_figures_stand_in_the_fixture_texts(fixture_data):
    report = check_sources(load(fixture_data), FIXTURES / "sources")
    assert report.failures == [] and report.checked > 10
    documents = set(load(fixture_data).documents)
    with_text = {"tidlig-opfoelgning-2020", "syddanmark-kortlaegning", "fiktiv-oversigt-2024"}
    assert report.unchecked == sorted(documents - with_text)


def test_a_figure_missing_from_its_text_fails(fixture_data):
    record = fixture_data / "projects" / "vest-video.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("value: 7.9", "value: 7.8"), encoding="utf-8")
    report = check_sources(load(fixture_data), FIXTURES / "sources")
    assert report.failures == ["data/projects/vest-video.yml: results[2].value: forventede '7,8' i teksten til "
                               "'tidlig-opfoelgning-2020', fandt det ikke"]


def test_every_number_in_getting_started_is_checked_against_its_text(fixture_data):
    """A cost in kroner that the source does not give fails, naming the field; the right one passes."""
    where = "data/projects/horsens-hoftebrud.yml: getting_started."
    started = [(c.where.removeprefix(where), c.needles) for c in checks(load(fixture_data))
               if c.where.startswith(where)]
    assert started == [("schedule.text", ("2",)), ("duration.text", ("7",)), ("duration.text", ("24",)),
                       ("staff.text", ("18",)), ("cost.text", ("250.000",))]  # 'To' is a word, not a figure
    record = fixture_data / "projects" / "horsens-hoftebrud.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("250.000 kr.", "275.000 kr."), encoding="utf-8")
    report = check_sources(load(fixture_data), FIXTURES / "sources")
    assert report.failures == [f"{where}cost.text: forventede '275.000' i teksten til 'tidlig-opfoelgning-2020', "
                               "fandt det ikke"]


@pytest.mark.parametrize("figure, text, found", [
    ("7", "rådgivning i 7 dage", True),
    ("7", "17 % af de udskrevne", False),  # a part of a larger number is not the number
    ("7", "7,9 % blev genindlagt", False),
    ("250.000", "koster 250.000 kr.", True),
    ("250", "koster 250.000 kr.", False),
])
def test_a_number_in_getting_started_must_stand_whole(figure, text, found):
    check = Check(("doc",), "data/projects/x.yml: getting_started.cost.text", (figure,), whole=True)
    assert (failure(check, {"doc": text}) is None) == found


def test_without_a_folder_nothing_is_checked_and_every_document_is_named(fixture_data):
    report = check_sources(load(fixture_data), None)
    assert report.checked == 0 and report.failures == []
    assert report.unchecked == sorted(load(fixture_data).documents)


def env(**values):
    """The environment without $KB_SOURCES, plus ``values``."""
    base = {k: v for k, v in os.environ.items() if k != ENV}
    return {**base, **values}


def test_kb_validate_checks_the_texts_it_finds_and_names_the_others(fixture_data, tmp_path):
    texts = tmp_path / "tekster"
    shutil.copytree(FIXTURES / "sources", texts)
    ok = kb("--data", str(fixture_data), "validate", env=env(KB_SOURCES=str(texts)))
    assert ok.returncode == 0, ok.stderr
    unchecked = sorted(set(load(fixture_data).documents)
                       - {"tidlig-opfoelgning-2020", "syddanmark-kortlaegning", "fiktiv-oversigt-2024"})
    assert [line for line in ok.stdout.splitlines() if UNCHECKED in line] == [
        f"kb: kilden '{d}': {UNCHECKED}" for d in unchecked]
    assert "tal og overskrifter står i deres kildetekst" in ok.stdout

    (texts / "kortlaegning.txt").write_text("Der er kortlagt 27 indsatser og otte udvalgt.", encoding="utf-8")
    bad = kb("--data", str(fixture_data), "validate", env=env(KB_SOURCES=str(texts)))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "data/context/syddanmark_mapping.yml: mapped: forventede '28'" in bad.stderr

    unset = kb("--data", str(fixture_data), "validate", env=env())
    assert unset.returncode == 0 and f"kilder: {UNCHECKED} ({ENV} er ikke sat)" in unset.stdout
    missing = kb("--data", str(fixture_data), "validate", env=env(KB_SOURCES=str(tmp_path / "findes-ikke")))
    assert missing.returncode == 1 and "ikke er en mappe" in missing.stderr


# --- coverage lists: optional, and checked by kb validate -------------------------------


def write_coverage(data, document: str, records: list[str]) -> None:
    (data / "coverage").mkdir(exist_ok=True)
    entries = "".join(f"  - heading: Punkt {i}\n    records: [{r}]\n" for i, r in enumerate(records))
    (data / "coverage" / f"{document}.yml").write_text(f"document: {document}\nentries:\n{entries}",
                                                       encoding="utf-8")


def problems(data) -> list[str]:
    with pytest.raises(DataError) as exc:
        load(data)
    return [str(p) for p in exc.value.problems]


def test_coverage_is_optional(fixture_data):
    assert not (fixture_data / "coverage").exists()
    assert load(fixture_data).coverage == []


def test_a_document_with_a_coverage_list_names_every_record_that_cites_it(fixture_data):
    citing = sorted(r.id for r in load(fixture_data).initiatives
                    if "tidlig-opfoelgning-2020" in {s.document for s in r.sources})
    write_coverage(fixture_data, "tidlig-opfoelgning-2020", citing[1:])
    found = problems(fixture_data)
    assert len(found) == 1 and found[0].startswith(f"data/projects/{citing[0]}.yml:")
    assert found[0].endswith(": sources: posten står ikke i dækningslisten for de dokumenter, den henviser "
                             "til; tilføj den i data/coverage/tidlig-opfoelgning-2020.yml under det punkt, "
                             "den bygger på")
    write_coverage(fixture_data, "tidlig-opfoelgning-2020", citing)
    assert load(fixture_data).coverage


def test_a_coverage_list_names_only_records_that_cite_its_document(fixture_data):
    write_coverage(fixture_data, "daemp-temadag-2016", ["vest-video"])
    found = problems(fixture_data)
    assert len(found) == 1 and found[0].startswith(
        "data/coverage/daemp-temadag-2016.yml:4: entries[0].records[0]: "
        "forventede en indsats, der henviser til 'daemp-temadag-2016'")


# --- a document's text lies inside the sources folder (issue 29: an oracle on any readable file) ---------


@pytest.mark.parametrize("path", ["../../../../../../etc/passwd", "/etc/passwd", "tekster/../../hemmelig.txt",
                                  "~/hemmelig.txt", "C:\\Windows\\win.ini", "..\\hemmelig.txt"])
def test_a_file_outside_the_sources_folder_is_refused_with_its_line(fixture_data, path):
    documents = fixture_data / "documents.yml"
    documents.write_text(documents.read_text(encoding="utf-8").replace(
        "file: kortlaegning.txt", f"file: '{path}'"), encoding="utf-8")
    found = problems(fixture_data)
    assert len(found) == 1 and found[0].startswith("data/documents.yml:25: [2].file: ")
    assert "forventede et filnavn i mappen med kildetekster ($KB_SOURCES)" in found[0]
    assert f"fandt '{path}'" in found[0]
    proc = kb("--data", str(fixture_data), "validate", env=env(KB_SOURCES=str(FIXTURES / "sources")))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "data/documents.yml:25" in proc.stderr


def test_a_file_in_a_subfolder_of_the_sources_is_read(fixture_data, tmp_path):
    texts = tmp_path / "tekster"
    shutil.copytree(FIXTURES / "sources", texts / "artikler")
    documents = fixture_data / "documents.yml"
    documents.write_text(documents.read_text(encoding="utf-8").replace(
        "file: kortlaegning.txt", "file: artikler/kortlaegning.txt"), encoding="utf-8")
    assert "syddanmark-kortlaegning" not in check_sources(load(fixture_data), texts).unchecked


def test_a_link_out_of_the_sources_folder_is_refused(fixture_data, tmp_path):
    """The model keeps paths relative; a link in the folder could still lead out of it."""
    texts = tmp_path / "tekster"
    shutil.copytree(FIXTURES / "sources", texts)
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("Der er kortlagt 28 indsatser og otte udvalgt.", encoding="utf-8")
    (texts / "kortlaegning.txt").unlink()
    (texts / "kortlaegning.txt").symlink_to(secret)
    proc = kb("--data", str(fixture_data), "validate", env=env(KB_SOURCES=str(texts)))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert ("data/documents.yml: dokumentet 'syddanmark-kortlaegning': file 'kortlaegning.txt' fører til"
            in proc.stderr)
    assert "uden for mappen med kildetekster" in proc.stderr and "står i deres kildetekst" not in proc.stdout
