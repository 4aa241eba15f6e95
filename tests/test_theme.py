"""kb.theme's escapes, held in seconds: Sphinx's own test application builds a two-page book with the book
theme and kb.theme in process, and the page title and a section title carry markup.

The theme prints the page title unescaped into its print-only header, and Sphinx 7.4's search page
inserts section titles from the search index with innerHTML; the browser test sees the same on the
fixture site, but only in a run of minutes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

PAGE_TITLE = 'Titel <img src=x onerror="alert(1)">'
SECTION_TITLE = "Afsnit <script>alert(2)</script>"
PAGES = {
    "index.rst": "Forside\n=======\n\n.. toctree::\n\n   side\n",
    "side.rst": f"{PAGE_TITLE}\n{'=' * 40}\n\nTekst.\n\n{SECTION_TITLE}\n{'-' * 40}\n\nMere tekst.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("bog")
    for name, text in PAGES.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "conf.py").write_text('extensions = ["kb.theme"]\nhtml_theme = "sphinx_book_theme"\n'
                                 'language = "da"\nsmartquotes = False\n', encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir)


def test_the_print_header_shows_the_page_title_as_text(built):
    page = (built / "side.html").read_text(encoding="utf-8")
    header = re.search(r'<div id="jb-print-docs-body"[^>]*>\s*<h1>(.*?)</h1>', page, re.S)
    assert header, "the theme's print header is missing"
    assert header[1] == 'Titel &lt;img src=x onerror=&#34;alert(1)&#34;&gt;'


def test_the_search_index_keeps_section_titles_as_html_text(built):
    index = (built / "searchindex.js").read_text(encoding="utf-8")
    titles = json.loads(index[index.index("(") + 1:index.rindex(")")])["alltitles"]
    assert "Afsnit &lt;script&gt;alert(2)&lt;/script&gt;" in titles
    assert not [t for t in titles if "<" in t], titles
