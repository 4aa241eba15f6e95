"""The fixture site built end to end with warnings as errors, and what a failed build leaves."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import snowballstemmer

from conftest import ENGLISH, FIXTURES, REPO, kb, make_book_root, make_data_dir
from kb import theme
from kb.build import build

pytestmark = pytest.mark.slow  # builds sites or drives Chromium: make test, not make check


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(fixture_site):
    return fixture_site


def page(root: Path, rel: str) -> str:
    return (root / "_build" / "html" / rel).read_text(encoding="utf-8")


def test_every_page_is_danish(site):
    root, _ = site
    html_files = [p for p in (root / "_build" / "html").rglob("*.html") if "_static" not in p.parts]
    assert len(html_files) >= 10
    for path in html_files:
        text = path.read_text(encoding="utf-8")
        assert re.search(r'<html lang="da"', text), path
        assert [words for words in ENGLISH if words in text] == [], path


# Words for developers and designers that readers met: the site says "Hvem gør hvad hvornår", "datafil"
# and where the files lie instead.
JARGON = ["Service blueprint", "Blueprints", "blueprints:", "repositori", "YAML-fil"]


def test_readers_meet_no_developer_words(site):
    found = {}
    for path in [p for p in (site[0] / "_build" / "html").rglob("*.html") if "_static" not in p.parts]:
        html = path.read_text(encoding="utf-8")
        text = (visible_text(html) if "<article" in html else "") + sidebar(html) if "bd-links" in html else ""
        if words := [w for w in JARGON if w in text]:
            found[path.name] = words
    assert found == {}
    nav = page(site[0], "book/generated/blueprints.html")
    assert '<h1>Hvem gør hvad hvornår' in nav and ">Hvem gør hvad hvornår</a>" in sidebar(nav)


def test_every_page_links_the_sites_own_icon(site):
    # Without a link, browsers ask the server for /favicon.ico: a 404 in every intranet's log.
    html = site[0] / "_build" / "html"
    favicon = (html / "_static" / "favicon.svg").resolve()  # html is a link to the published copy
    assert favicon.is_file()
    for path in [p for p in html.rglob("*.html") if "_static" not in p.parts]:
        icon = re.search(r'<link rel="icon" href="([^"]+)"', path.read_text(encoding="utf-8"))
        assert icon and (path.parent / icon.group(1)).resolve() == favicon, path


def test_initiative_page_shows_record_in_danish(site):
    text = page(site[0], "book/generated/indsatser/vest-video.html")
    assert "7,9 %" in text and "n = 63" in text and "17 %" in text
    headings = re.findall(r"<h2>(.*?)<a", text)
    assert headings == ["Målgruppe", "Intervention", "Forløbet", "Sådan kommer I i gang", "Resultater",
                        "Konklusion", "Anbefalinger, der bygger på indsatsen",
                        "Inklusions- og eksklusionskriterier", "Kilder", "Relaterede indsatser",
                        "Om posten"]
    assert text.count('class="kb-blueprint"') == 1 and 'href="#trin-vest-video-samtale-kommune"' in text
    assert 'href="../anbefalinger.html#anbefaling-tidlig-video"' in text
    assert "Søg i vidensbasen" in text
    assert '<a href="https://example.org/tidlig-opfoelgning.pdf">Læs dokumentet</a>' in text  # a plain link


def sidebar(html: str) -> str:
    return html[html.index('class="bd-links'):html.index("</nav>", html.index('class="bd-links'))]


def test_sidebars_list_chapters_and_open_only_the_readers_branch(site):
    root, _ = site
    short = sidebar(page(root, "book/generated/indsatser/vest-video.html"))
    assert re.search(r'class="toctree-l1 current active"><a [^>]*href="../oversigt.html"', short)
    assert "indsatser/" not in short and 'href="../anbefalinger.html"' in short
    overview = page(root, "book/generated/oversigt.html")  # the page lists them all; its sidebar need not
    assert "indsatser/" not in sidebar(overview) and 'href="indsatser/vest-video.html"' in overview
    elsewhere = sidebar(page(root, "book/generated/kilder.html"))
    assert 'href="oversigt.html"' in elsewhere and "indsatser/" not in elsewhere


def test_every_local_link_resolves_and_records_are_published_as_written(site):
    root, data = site
    html = root / "_build" / "html"
    broken, checked = [], 0
    for path in (p for p in html.rglob("*.html") if "_static" not in p.parts):
        for target in re.findall(r'(?:href|src)="([^"#?]+)', path.read_text(encoding="utf-8")):
            if not re.match(r"[a-z]+:", target):
                checked += 1
                if not (path.parent / target).resolve().exists():
                    broken.append((path.relative_to(html).as_posix(), target))
    assert broken == [] and checked > 1000
    text = page(root, "book/generated/indsatser/vest-video.html")
    assert 'href="../../../data/projects/vest-video.yml"' in text
    assert (html / "data" / "projects" / "vest-video.yml").read_bytes() == \
        (data / "projects" / "vest-video.yml").read_bytes()
    assert 'href="../../data/datapackage.json"' in page(root, "book/generated/data.html")


def test_record_text_cannot_inject_markup(site):
    text = page(site[0], "book/generated/indsatser/injektion.html")
    article = text[text.index("<article"):text.index("</article>")]
    assert "<script" not in article
    assert not re.search(r"<[^>]*\sonerror=", article)  # only as escaped text
    assert "<img" not in article and "<b>" not in article
    assert "javascript:" not in re.findall(r'href="([^"]*)"', article).__str__()
    assert "&lt;script&gt;alert(" in article and "&lt;/script&gt; *fed* {{ substitution }}" in article
    assert "```{raw} html" in article  # shown as text, not run as a directive
    assert 'class="admonition note"' not in article


def test_every_built_initiative_page_opens_with_its_summary(site):
    root, data = site
    folder = root / "_build" / "html" / "book" / "generated" / "indsatser"
    built = {p.stem: article(p.read_text(encoding="utf-8")) for p in folder.glob("*.html")}
    assert sorted(built) == sorted(p.stem for p in (data / "projects").glob("*.yml"))
    for name, text in built.items():
        start = text.index('class="kb-summary')
        assert text.index("<h1") < start < text.index("<h2"), name
    method = page(root, "book/generated/baggrund/metode.html")
    assert 'id="metode-evidensdesign"' in method and 'id="metode-maerker"' in method
    video = built["vest-video"]
    assert 'href="../baggrund/metode.html#metode-evidensdesign">Evidens: Registertal uden justering</a>' in video
    assert ">Ikke målt</a>" in built["horsens-hoftebrud"]
    hostile = built["injektion"]
    box = hostile[hostile.index('class="kb-summary'):hostile.index("<h2")]
    assert "&lt;img src=x onerror=alert(1)&gt;" in box and "<img" not in box


def test_site_loads_nothing_from_other_hosts(site):
    for path in (site[0] / "_build" / "html").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', text)
        assert external == [], (path, external)


def test_failed_validation_leaves_the_earlier_site(site):
    root, data = site
    before = snapshot(root / "_build" / "html")
    shutil.copy(FIXTURES / "bad" / "ukendt-klynge.yml", data / "projects" / "ukendt-klynge.yml")
    try:
        proc = kb("--root", str(root), "--data", str(data), "build")
    finally:
        (data / "projects" / "ukendt-klynge.yml").unlink()
    assert proc.returncode == 1
    assert "data/projects/ukendt-klynge.yml:4: cluster:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(root / "_build" / "html") == before


@pytest.mark.parametrize("source, addition, message", [
    ("book/index.md", "\nSe {doc}`findes-ikke`.\n", "findes-ikke"),  # a Sphinx warning
    ("book/analyser/datahuller.md", '\n```{code-cell} ipython3\nraise ValueError("analysen fejler")\n```\n',
     "analysen fejler"),  # a notebook cell that raises
], ids=["warning", "notebook-raises"])
def test_failed_sphinx_build_leaves_the_earlier_site(site, source, addition, message):
    root, data = site
    before = snapshot(root / "_build" / "html")
    path = root / source
    original = path.read_text(encoding="utf-8")
    path.write_text(original + addition, encoding="utf-8")
    try:
        proc = kb("--root", str(root), "--data", str(data), "build")
    finally:
        path.write_text(original, encoding="utf-8")
    assert proc.returncode == 2
    assert message in proc.stderr and "uændret" in proc.stderr
    assert "\x1b" not in proc.stderr  # Sphinx's terminal colours, in a CI log
    assert snapshot(root / "_build" / "html") == before


def test_search_index_uses_the_danish_stemmer(site):
    raw = page(site[0], "searchindex.js")
    index = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])
    stem = snowballstemmer.stemmer("danish").stemWord
    assert stem("genindlæggelser") == stem("genindlæggelse") == "genindlæg"
    assert "genindlæg" in index["terms"]
    assert "udskriv" in index["terms"]  # udskrivelse, udskrivelsen, udskrivelser
    assert "LANGUAGE: 'da'" in page(site[0], "_static/documentation_options.js")


def test_real_knowledge_base_builds_strictly(real_site):
    pages = list((real_site / "book" / "generated" / "indsatser").glob("*.html"))
    assert len(pages) == len(list((REPO / "data" / "projects").glob("*.yml")))


def test_analyses_rerun_when_a_record_changes_and_only_then(site):
    root, data = site
    notebooks = len(list((REPO / "book" / "analyser").glob("*.md"))) - 1  # index.md is prose
    unchanged = build(root, data)
    assert unchanged.ok and unchanged.executed == 0, unchanged.log
    assert "Executed notebook" not in unchanged.log
    record = data / "projects" / "vest-video.yml"
    original = record.read_text(encoding="utf-8")
    neighbour = root / "book" / "generated" / "indsatser" / "injektion.md"
    source = neighbour.read_text(encoding="utf-8")
    record.write_text(original.replace("title: ", "title: Ændret ", 1), encoding="utf-8")
    try:
        edited = build(root, data)
    finally:
        record.write_text(original, encoding="utf-8")
    # The page before it did not change, but its "next" link names the record.
    assert neighbour.read_text(encoding="utf-8") == source
    following = page(root, "book/generated/indsatser/injektion.html")
    assert "Ændret Udskrivelses" in following[following.index('class="right-next"'):]
    assert edited.ok and edited.executed == notebooks, edited.log
    # Run side by side before the book build; Sphinx takes every output from the cache.
    assert edited.log.count("Using cached notebook") == notebooks and "Executed notebook" not in edited.log
    assert "Ændret Udskrivelses" in page(root, "book/generated/analyser/effekter.html")


def test_a_changed_theme_extension_rewrites_every_page(site):
    """kb.theme's code hash is an 'html' setting: a new value (as a changed kb.theme would give)
    rewrites every page, with no stamp file of our own."""
    root, data = site
    written = root / "_build" / "staging" / "_build" / "html" / "book" / "generated" / "kilder.html"
    assert build(root, data).ok  # settles what a test before it left (a failed build rebuilds its pages)
    before = written.stat().st_mtime_ns
    assert build(root, data).ok and written.stat().st_mtime_ns == before
    config = root / "_config.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("  config:\n", "  config:\n    kb_theme_key: en ældre udgave\n", 1),
                      encoding="utf-8")
    try:
        assert build(root, data).ok and written.stat().st_mtime_ns > before
    finally:
        config.write_text(original, encoding="utf-8")
        assert build(root, data).ok


def test_an_edited_stylesheet_reaches_the_site_in_one_build(site):
    """kb-site.css is assembled from the copied static files: an edit of kb.css alone is in the next build,
    not the one after it."""
    root, data = site
    css = root / "book" / "_static" / "kb.css"
    original = css.read_text(encoding="utf-8")
    css.write_text(original + "\n.kb-summary { outline-offset: 7px; }\n", encoding="utf-8")
    try:
        assert build(root, data).ok
        assert ".kb-summary{outline-offset:7px}" in page(root, "_static/kb-site.css")
    finally:
        css.write_text(original, encoding="utf-8")
        assert build(root, data).ok


def test_the_theme_key_follows_the_theme_code_and_templates(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(theme.TEMPLATES, templates)
    monkeypatch.setattr(theme, "TEMPLATES", templates)
    key = theme.theme_key()
    next(templates.glob("*.html")).write_text("ændret", encoding="utf-8")
    assert theme.theme_key() != key


def test_a_renamed_page_is_renamed_in_the_sidebars_that_list_it(site):
    root, data = site
    vocab = data / "vocab" / "clusters.yml"
    original = vocab.read_text(encoding="utf-8")
    sibling = root / "book" / "generated" / "klynger" / "horsens.md"
    source = sibling.read_text(encoding="utf-8")
    vocab.write_text(original.replace("label: Vestklyngen", "label: Vestklyngen omdøbt"), encoding="utf-8")
    try:
        assert build(root, data).ok
        assert sibling.read_text(encoding="utf-8") == source  # Sphinx sees no reason to rewrite it
        assert "Vestklyngen omdøbt" in sidebar(page(root, "book/generated/klynger/horsens.html"))
        assert "Vestklyngen omdøbt" not in sidebar(page(root, "book/generated/kilder.html"))
    finally:
        vocab.write_text(original, encoding="utf-8")
        assert build(root, data).ok


def test_a_removed_record_leaves_the_site(site):
    root, data = site
    record = data / "projects" / "injektion.yml"
    published = root / "_build" / "html" / "book" / "generated" / "indsatser" / "injektion.html"
    assert published.is_file()
    kept = record.read_bytes()
    record.unlink()
    try:
        assert build(root, data).ok
        assert not published.exists()
        assert not (root / "_build" / "html" / "data" / "projects" / "injektion.yml").exists()
        assert "injektion" not in page(root, "book/generated/oversigt.html")
    finally:
        record.write_bytes(kept)
        assert build(root, data).ok
    assert published.is_file()


def article(html: str) -> str:
    """The page's own content, without the theme's navigation."""
    return html[html.index("<article"):html.index("</article>")]


def visible_text(html: str) -> str:
    import html as escapes

    content = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", article(html), flags=re.S)
    return escapes.unescape(re.sub(r"<[^>]+>", " ", content))


def test_front_page_leads_with_search_and_the_finder_and_links_every_part(site):
    root, _ = site
    html = root / "_build" / "html"
    text = article(page(root, "book/index.html"))
    first_section = text.index("<h2")
    search = re.search(r'<form [^>]*action="([^"]+)"[^>]*role="search"', text)
    assert search and search.start() < first_section
    assert (html / "book" / search.group(1)).resolve() == (html / "search.html").resolve()
    assert 'name="q"' in text  # what Sphinx's search page reads from the address
    assert text.index('href="generated/find.html"') < first_section
    for chapter in ("anbefalinger", "analyser/index", "blueprints", "data", "om", "regioner"):
        assert f'href="generated/{chapter}.html"' in text, chapter
    for sector in ("hospital", "kommune", "almen-praksis"):
        assert f'href="generated/find.html?aktoer={sector}"' in text, sector


def test_front_page_filters_are_ones_the_finder_offers(real_site):
    finder = (real_site / "book" / "generated" / "find.html").read_text(encoding="utf-8")
    offered = {(name, value) for name, options in re.findall(r'<select [^>]*name="(\w+)">(.*?)</select>', finder)
               for value in re.findall(r'<option value="([^"]+)"', options)}
    links = re.findall(r'href="generated/find\.html\?(\w+)=([^"&]+)"',
                       article((real_site / "book" / "index.html").read_text(encoding="utf-8")))
    assert len(links) >= 5 and set(links) <= offered


def test_analysis_code_is_a_download_not_on_the_page(site):
    """Readers see the analyses' figures and words; analysts fetch the code from a link at the foot."""
    notebooks = [p for p in sorted((REPO / "book" / "analyser").glob("*.md")) if "{code-cell}" in p.read_text()]
    assert len(notebooks) >= 5
    for path in notebooks:
        cells = re.findall(r"```\{code-cell\}[^\n]*\n(:tags: \[[^\]]*\])?", path.read_text(encoding="utf-8"))
        assert all(re.search(r"\b(remove-input|remove-cell)\b", tags) for tags in cells), path.name
        built = site[0] / "_build" / "html" / "book" / "generated" / "analyser" / f"{path.stem}.html"
        text = article(built.read_text(encoding="utf-8"))
        assert 'class="highlight' not in text and "above-input" not in text, path.name  # no code, none folded
        links = re.findall(r'<a class="reference download internal" download="" href="([^"]+)">'
                           r'<span[^>]*>Se koden bag analysen</span>', text)
        assert len(links) == 1, path.name
        assert (built.parent / links[0]).read_bytes() == path.read_bytes(), path.name


def test_no_empty_general_index(site):
    html = site[0] / "_build" / "html"
    assert not (html / "genindex.html").exists()
    assert [p for p in html.rglob("*.html") if "genindex" in p.read_text(encoding="utf-8")] == []


def _internal_ids(data: Path) -> re.Pattern:
    import yaml

    documents = [d["id"] for d in yaml.safe_load((data / "documents.yml").read_text(encoding="utf-8"))]
    records = [p.stem for p in (data / "projects").glob("*.yml")]
    ids = [i for i in documents + records if "-" in i]  # a one-word id may be an ordinary word
    return re.compile(r"(?<![\w/.#-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_readers_see_no_internal_ids(which, request):
    if which == "fixture":
        root, data = request.getfixturevalue("fixture_site")
        html = root / "_build" / "html"
    else:
        html, data = request.getfixturevalue("real_site"), REPO / "data"
    ids = _internal_ids(data)
    seen = {}
    for path in sorted(p for p in html.rglob("*.html") if "_static" not in p.parts):
        text = path.read_text(encoding="utf-8")
        if "<article" not in text or path.name == "data.html":  # the data documentation may name fields
            continue
        if found := set(ids.findall(visible_text(text))):
            seen[path.relative_to(html).as_posix()] = sorted(found)
    assert seen == {}


# --- kb as a Sphinx extension: a plain `jupyter-book build .` ----------------------------------


def _jupyter_book(root: Path, data: Path) -> subprocess.CompletedProcess:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run([str(jupyter_book), "build", str(root)], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "KB_DATA_DIR": str(data)})


def test_a_plain_jupyter_book_build_builds_the_whole_site(tmp_path):
    root, data = make_book_root(tmp_path), make_data_dir(tmp_path)
    proc = _jupyter_book(root, data)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    site = root / "_build" / "html"
    records = sorted(p.stem for p in (data / "projects").glob("*.yml"))
    assert sorted(p.stem for p in (site / "book" / "generated" / "indsatser").glob("*.html")) == records
    assert all((site / "data" / "projects" / f"{r}.yml").is_file() for r in records)  # the extra files
    assert '<html lang="da">' in (site / "index.html").read_text(encoding="utf-8")
    effects = (site / "book" / "generated" / "analyser" / "effekter.html").read_text(encoding="utf-8")
    assert "kb-chart" in effects and "Traceback" not in effects


def test_a_plain_build_stops_on_bad_data_with_the_danish_messages(tmp_path):
    root, data = make_book_root(tmp_path), make_data_dir(tmp_path)
    shutil.copy(FIXTURES / "bad" / "kolon-i-tekst.yml", data / "projects")
    proc = _jupyter_book(root, data)
    assert proc.returncode != 0
    assert "data/projects/kolon-i-tekst.yml:" in proc.stdout + proc.stderr
    assert not (root / "_build" / "html" / "book").exists()

