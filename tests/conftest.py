"""Shared fixtures: a small data set of its own (tests/fixtures/), independent of the real data/."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
# Debian's Chromium, as the browser tests drive it (Playwright cannot download its own here); without
# the background-networking flags it keeps trying to reach Google's hosts.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

# The English words the themes, Sphinx, myst-nb, sphinx-togglebutton and Vega write when left alone;
# kb's templates, catalogue (book/_locale) and settings say them in Danish. test_build looks for them in
# every built page, test_browser in what the scripts write too.
ENGLISH = ["Skip to main content", "Back to top", "On this page", "previous page", "next page",
           "Toggle primary sidebar", "Toggle secondary sidebar", "Link to this heading", "Color mode",
           "Hide Search Matches", "Toggle hidden content", "Click to show", "Click to hide", "Version warning",
           'aria-label="Main"', 'aria-label="Page"', "Contents", "Print to PDF", "Download this page",
           "Search Results", "Search finished", "Preparing search", "Searching", "Copy to clipboard",
           "X-axis", "Y-axis", "Symbol legend", "Title text", "Show code", "Hide code"]


def make_data_dir(target: Path, projects: Path | None = FIXTURES / "projects") -> Path:
    """A data/ folder with the fixture vocabularies and documents, the given records and,
    with the fixture records, the fixture context and reviews. Nothing in it comes from the real data/."""
    data = target / "data"
    shutil.copytree(FIXTURES / "vocab", data / "vocab")
    shutil.copy(FIXTURES / "documents.yml", data / "documents.yml")
    (data / "projects").mkdir()
    if projects is not None:
        for path in sorted(projects.glob("*.yml")):
            shutil.copy(path, data / "projects" / path.name)
        shutil.copytree(FIXTURES / "context", data / "context")
        shutil.copytree(FIXTURES / "reviews", data / "reviews")
    return data


def make_book_root(target: Path) -> Path:
    """A copy of the real book configuration, citation file and hand-written pages, without generated output."""
    root = target / "site"
    root.mkdir()
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "book", root / "book",
                    ignore=shutil.ignore_patterns("generated", "_build", ".jupyter_cache"))
    return root


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path)


@pytest.fixture
def empty_data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path, projects=None)


def kb(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command-line tool as an author would. Unless ``env`` says otherwise, without
    $KB_SOURCES: fixture and synthetic figures stand in no real source text."""
    env = env if env is not None else {k: v for k, v in os.environ.items() if k != "KB_SOURCES"}
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture records built strictly, once per test session; returns (book root, data folder).
    Tests that change a file restore it."""
    base = tmp_path_factory.mktemp("build")
    root, data = make_book_root(base), make_data_dir(base)
    proc = kb("--root", str(root), "--data", str(data), "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "sitet ligger i" in proc.stdout
    return root, data


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real knowledge base built strictly, once per test run (the workers of `make test` share it:
    no test writes into it); returns the built html folder."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with open(shared / "real-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker builds; the others wait for it
        root = shared / "real-site" / "site"
        if not (root / "_build" / "html" / "index.html").is_file():
            shutil.rmtree(root.parent, ignore_errors=True)  # a build that failed before
            (shared / "real-site").mkdir()
            root = make_book_root(shared / "real-site")
            proc = kb("--root", str(root), "--data", str(REPO / "data"), "build")
            assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "_build" / "html"


SLOW_FIXTURES = {"fixture_site", "real_site", "odd_site"}  # each builds a whole site
REAL_FIXTURES = {"real_site", "server"}  # the real records, built

# Shown under a failed test that reads the real records: the one kind of test an author's pull request
# can turn red. What it failed on is in the lines above; this says what to do about it.
FOR_AUTHORS = """Testen kører på de rigtige poster i data/, så en ny eller ændret post kan være årsagen.
Sådan kommer du videre:
1. Kør `make validate` og ret det, den nævner (fil:linje står ved hver fejl).
2. Kør `make site`, og åbn den side, testen nævner, i en browser (også smal, som på en telefon):
   en meget lang adresse eller et langt ord uden mellemrum kan gøre siden for bred.
3. Står du fast, så skriv testens navn og de første linjer af fejlen i din pull request;
   redaktionen hjælper. Slet ikke tal fra posten for at få testen grøn."""


def pytest_collection_modifyitems(items) -> None:
    """A test that needs a built site is slow wherever it stands: make check leaves it to make test."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        if REAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.real_data)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and item.get_closest_marker("real_data"):
        report.sections.append(("Til forfattere", FOR_AUTHORS))
    return report
