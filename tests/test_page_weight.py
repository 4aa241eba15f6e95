"""No page over 300 kB at 1,000 records (issue 18), checked without building 1,000 records.

Every generated page is rendered for two synthetic knowledge bases (benchmarks/synth.py), and its
growth per record is carried on to 1,000 records. What reaches the reader is HTML: a raw HTML
block passes through as it is, MyST grows when Sphinx renders it (1.8 times for the lists and
tables, measured on the 1,000-record build; 2 is used here), and the theme adds its header and
sidebar (15–26 kB).
"""

from __future__ import annotations

import sys

import pytest

from conftest import FIXTURES, REPO, make_data_dir
from kb.loader import load
from kb.pages import render_all

sys.path.insert(0, str(REPO / "benchmarks"))
from synth import make_dataset  # noqa: E402

BASE = len(list((FIXTURES / "projects").glob("*.yml")))  # the fixture records, cloned: no real record counts
RECORDS = 1000
BUDGET = 300_000  # bytes of HTML
# The finder lists every record on one page by design; its share is its first visit's budget in
# tests/test_browser.py (500 KiB with its script and stylesheet), not the 300 kB of the other pages.
BUDGETS = {"find.md": 400_000}
CHROME = 30_000  # the theme's header, sidebar and footer
MYST_TO_HTML = 2.0


def html_bytes(myst: str) -> float:
    """The page's expected weight as HTML: raw HTML lines as they are, MyST grown."""
    raw = sum(len(line.encode()) + 1 for line in myst.splitlines() if line.startswith("<"))
    return raw + (len(myst.encode()) - raw) * MYST_TO_HTML + CHROME


@pytest.fixture(scope="module")
def at_1000(tmp_path_factory) -> dict[str, float]:
    """Generated page -> its expected HTML weight at 1,000 records."""
    base = make_data_dir(tmp_path_factory.mktemp("base"))
    sizes = (BASE, BASE + 100)
    weights = [{rel: html_bytes(text) for rel, text in
                render_all(load(make_dataset(n, tmp_path_factory.mktemp(f"data-{n}"), base))).items()}
               for n in sizes]
    per_record = {rel: (weights[1][rel] - weights[0][rel]) / (sizes[1] - sizes[0])
                  for rel in weights[1] if rel in weights[0]}
    return {rel: w + max(per_record.get(rel, 0), 0) * (RECORDS - sizes[1]) for rel, w in weights[1].items()}


def test_no_generated_page_passes_300_kb_at_1000_records(at_1000):
    over = {rel: f"{w / 1000:.0f} kB > {BUDGETS.get(rel, BUDGET) // 1000} kB" for rel, w in sorted(at_1000.items())
            if w > BUDGETS.get(rel, BUDGET)}
    assert not over, (f"for tunge ved {RECORDS} indsatser formet som testens: {over}; det, siden skriver pr. "
                      "indsats, skal fylde mindre")


def test_the_estimate_is_of_the_right_size(at_1000):
    """The model against a build of 1,000 records cloned from the fixtures, where the heaviest region page
    weighed 157 kB (and find.html 300 kB): the estimate errs on the heavy side, not by much."""
    heaviest_region = max(w for rel, w in at_1000.items() if rel.startswith("regioner/"))
    assert 157_000 <= heaviest_region < 300_000
