"""The record history read from git, and the citation file."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import pytest
import yaml

from conftest import REPO, kb, make_book_root
from kb.citation import about_page, read_citation
from kb.history import read_history
from kb.loader import DataError, load


def git(repo, *args, when="2026-01-01T12:00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_history_from_git_newest_first(fixture_data):
    video_record = next(r for r in load(fixture_data).initiatives if r.id == "vest-video")
    repo = fixture_data.parent
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "start", when="2026-03-01T09:00:00")
    video = fixture_data / "projects" / "vest-video.yml"
    video.write_text(video.read_text(encoding="utf-8").replace("via video", "over video"), encoding="utf-8")
    git(repo, "commit", "-qam", "edit", when="2026-05-02T09:00:00")
    git(repo, "mv", "data/projects/horsens-hoftebrud.yml", "data/projects/horsens-hofte.yml")
    git(repo, "commit", "-qm", "rename", when="2026-05-02T15:00:00")
    (fixture_data / "projects" / "injektion.yml").write_text("changed, not committed", encoding="utf-8")

    history = read_history(fixture_data)
    assert history.tracked
    assert [(c.day.isoformat(), c.record, c.kind) for c in history.changes] == [
        ("2026-05-02", "horsens-hofte", "ny"),
        ("2026-05-02", "horsens-hoftebrud", "fjernet"),
        ("2026-05-02", "vest-video", "ændret"),
        ("2026-03-01", "horsens-hoftebrud", "ny"),
        ("2026-03-01", "injektion", "ny"),
        ("2026-03-01", "vest-video", "ny"),
    ]
    assert history.last_changed(video_record) == (date(2026, 5, 2), "ifølge versionshistorikken")


def test_no_git_means_no_history_and_the_records_own_date(fixture_data):
    history = read_history(fixture_data)
    records = {r.id: r for r in load(fixture_data).initiatives}
    assert not history.tracked and history.changes == []
    assert history.last_changed(records["injektion"]) == (date(2026, 9, 15), "angivet i posten")
    assert history.last_changed(records["vest-video"]) == (None, "")


def test_citation_file_is_read_and_a_broken_one_is_reported(tmp_path):
    citation = read_citation(REPO)
    assert citation.title and citation.authors and citation.cff_version == "1.2.0"
    root = make_book_root(tmp_path)
    (root / "CITATION.cff").write_text("cff-version: 1.2.0\nmessage: x\ntitel: y\nauthors: []\n",
                                       encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_citation(root)
    text = str(err.value)
    assert "CITATION.cff:3: titel: ukendt felt" not in text  # CFF allows other fields
    assert "CITATION.cff:1: title: forventede feltet 'title'" in text
    assert "CITATION.cff:4: authors: forventede mindst ét element" in text


def test_build_refuses_a_missing_citation_file(tmp_path, fixture_data):
    root = make_book_root(tmp_path)
    (root / "CITATION.cff").unlink()
    proc = kb("--root", str(root), "--data", str(fixture_data), "build")
    assert proc.returncode == 1 and "CITATION.cff:1: filen mangler" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_citation_gives_title_publisher_year_date_and_the_sites_address(tmp_path):
    root = make_book_root(tmp_path)
    config = root / "_config.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    publisher = settings["kb_citation"]["publisher"]
    assert publisher
    config.write_text(config.read_text(encoding="utf-8")
                      .replace('  site_url: ""', "  site_url: https://vidensbase.example/kb")
                      .replace('  url: ""', "  url: https://git.example/redaktion/kb"), encoding="utf-8")
    citation = read_citation(root)
    line = citation.line(date(2026, 11, 2), "Følge hjem", "book/generated/indsatser/foelge-hjem.html")
    assert line.startswith(f"{citation.authors[0]} (2026): »Følge hjem«. I: {citation.title}. {publisher}. "
                           "Senest ændret 2. november 2026.")
    assert line.endswith('<a href="https://vidensbase.example/kb/book/generated/indsatser/foelge-hjem.html">'
                         "https://vidensbase.example/kb/book/generated/indsatser/foelge-hjem.html</a>.")
    assert "version" not in line
    about = about_page(citation)
    assert '<a href="https://git.example/redaktion/kb/blob/main/CONTRIBUTING.md">CONTRIBUTING.md</a>' in about
    assert '<a href="https://git.example/redaktion/kb">' in about


def test_without_addresses_the_citation_and_guide_link_are_plain_text():
    citation = read_citation(REPO).model_copy(update={"site_url": None, "repository_url": None})
    assert "<a " not in citation.line(date(2026, 11, 2)) and "`CONTRIBUTING.md`" in about_page(citation)
