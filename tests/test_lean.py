"""Light pages (kb.lean, issue 20): the purged stylesheet, what each page loads, its description."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from types import SimpleNamespace

from kb import lean
from kb.lean import ONLY_WHERE, _words, description, names_used, purge, site_css, unused_properties_dropped


def test_purge_keeps_what_a_page_can_match_and_drops_the_rest():
    css = (".used{color:red}.unused{color:blue}.used .unused{x:1}a,.unused b{y:2}"
           "#menu{z:3}#gone{z:4}p:not(.unused){w:5}"
           "@media (max-width:10px){.unused{a:1}.used{a:2}}@media print{.unused{b:1}}"
           "@font-face{font-family:Font Awesome\\ 6 Free;src:url(../vendor/fa.woff2)}"
           "@font-face{font-family:Other;src:url(../fonts/o.woff2)}@import url(x.css);")
    out = purge(css, {"used", "menu"}, "styles")
    assert ".used{color:red}" in out and "a{y:2}" in out and "#menu{z:3}" in out
    assert "p:not(.unused){w:5}" in out  # matches without the class
    assert "@media (max-width:10px){.used{a:2}}" in out and "@media print" not in out
    assert "blue" not in out and "#gone" not in out and ".used .unused" not in out
    assert "Font Awesome" not in out and "@import" not in out
    assert "url(fonts/o.woff2)" in out  # relative to _static, where the bundle lies


def test_unused_custom_properties_go_and_what_they_read_with_them():
    css = ":root{--a:1px;--b:var(--c);--c:2px;--d:var(--e);--e:3px}.x{width:var(--a)}"
    assert unused_properties_dropped(css, set()) == ":root{--a:1px}\n.x{width:var(--a)}"
    # a name a script uses (element.style.setProperty) stays
    assert "--d:var(--e)" in unused_properties_dropped(css, {"d"})


def test_description_is_short_plain_text():
    from docutils.core import publish_doctree

    doctree = publish_doctree("Title\n=====\n\n" + "Et *langt* afsnit om indsatsen & dens mål. " * 10)
    text = description(doctree, "Titel", "Sitet")
    assert len(text) <= 160 and text.endswith("…") and "*" not in text and text.startswith("Et langt afsnit")
    assert description(None, "Søg &amp; find", "Sitet") == "Søg & find – Sitet"


def test_names_are_read_again_from_a_rewritten_page_only(tmp_path, monkeypatch):
    """Every build purges: a page rewritten since the last build gives its new names, the others
    are not read again, and a removed page's names are gone."""
    site, memo = tmp_path / "html", tmp_path / "names.pickle"
    (site / "sub").mkdir(parents=True)
    (site / "a.html").write_text('<p class="eins zwei">', encoding="utf-8")
    (site / "sub" / "b.html").write_text('<p id="drei"><script src="../s.js"></script>', encoding="utf-8")
    (site / "c.html").write_text('<p class="fem">', encoding="utf-8")
    (site / "s.js").write_text("el.classList.add('seks')", encoding="utf-8")
    assert names_used(site, memo) == {"eins", "zwei", "drei", "fem", "seks", "el", "classList", "add"}
    reads = []
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, **kw: reads.append(self.name) or real(self, **kw))
    (site / "a.html").write_text('<p class="eins vier">', encoding="utf-8")
    (site / "c.html").unlink()
    assert names_used(site, memo) == {"eins", "vier", "drei", "seks", "el", "classList", "add"}
    assert reads == ["a.html", "s.js"]  # the script's words are taken afresh: it may have changed



def test_names_the_stylesheets_do_not_mention_leave_the_site_stylesheet_as_it_is(fixture_site):
    """The live preview purges again only when a name the stylesheets mention comes or goes (a
    retitled page's new id is not one). A theme whose selectors escaped their names would break
    that shortcut: this would say so."""
    html = fixture_site[0] / "_build" / "html"
    static = html / "_static"
    rels = re.findall(r"^/\* (\S+) \*/$", (static / "kb-site.css").read_text(encoding="utf-8"), re.M)
    sources = tuple((rel, (static / rel).read_text(encoding="utf-8")) for rel in rels)
    used = frozenset(names_used(html))
    assert len(sources) >= 3 and len(used - _words(sources)) > 10
    assert site_css(sources, used) == site_css(sources, used & _words(sources))



def test_the_stylesheet_is_purged_again_only_when_a_name_it_mentions_comes_or_goes(tmp_path, monkeypatch):
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"
    (out / "_static" / "styles").mkdir(parents=True)
    doctrees.mkdir()
    (out / "_static" / "basic.css").write_text(".eins{a:1}.zwei{b:2}", encoding="utf-8")
    (out / "_static" / "styles" / "pydata-sphinx-theme.css").write_text("#drei{c:3}", encoding="utf-8")
    page = out / "a.html"
    app = SimpleNamespace(outdir=str(out), doctreedir=str(doctrees),
                          builder=SimpleNamespace(format="html", _css_files=[]))
    purges = []
    real = lean.site_css
    monkeypatch.setattr(lean, "site_css", lambda *args: purges.append(1) or real(*args))

    def build(html: str) -> str:
        page.write_text(html, encoding="utf-8")
        lean.write_site_css(app, None)
        return (out / "_static" / lean.SITE_CSS).read_text(encoding="utf-8")

    assert ".eins{a:1}" in build('<p class="eins" id="titel">') and ".zwei" not in build('<p class="eins">')
    assert len(purges) == 1  # a retitled page: a new id no stylesheet mentions
    assert ".zwei{b:2}" in build('<p class="eins zwei">') and len(purges) == 2


def _pages(root: Path) -> dict[str, str]:
    html = root / "_build" / "html"
    return {str(p.relative_to(html)): p.read_text(encoding="utf-8")
            for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts}


def test_pages_load_one_stylesheet_no_icon_script_and_the_search_index_only_on_search(fixture_site):
    root, _ = fixture_site
    pages = _pages(root)
    assert len(pages) >= 10
    for rel, text in pages.items():
        if 'http-equiv="refresh"' in text:
            continue  # the root's redirect
        head = text.split("</head>", 1)[0]
        assert re.findall(r'<link[^>]*rel="stylesheet"[^>]*>', head) == [
            f'<link rel="stylesheet" href="{"../" * rel.count("/")}_static/kb-site.css" />'], rel
        for script in ("fontawesome.js", "bootstrap.js", "vega.js"):
            assert script not in text, (rel, script)
        assert ("searchindex.js" in text) == (rel == "search.html"), rel
        charts = 'class="kb-chart"' in text
        for script, marker in ONLY_WHERE.items():  # a script a page does not use is not fetched
            assert (f"/{script}" in head) == bool(marker.search(text.split("<body", 1)[1])), (rel, script)
        blocking = [s for s in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head) if "defer" not in s]
        allowed = ("documentation_options.js", "kb-charts.js") if charts else ("documentation_options.js",)
        if rel != "search.html":
            assert all(any(name in s for name in allowed) for s in blocking), (rel, blocking)
        meta = re.findall(r'<meta name="description" content="([^"]*)"', head)
        assert len(meta) == 1 and 0 < len(htmllib.unescape(meta[0])) <= 160, rel
    css = (root / "_build" / "html" / "_static" / "kb-site.css").read_text(encoding="utf-8")
    assert not re.search(r"@font-face\{[^}]*Font Awesome", css) and "webfonts" not in css  # no icon font
    assert ".fa-bars" in css and ".bd-sidebar-primary" in css  # the theme's own, still there
    assert ".popover" not in css and ".toast" not in css  # Bootstrap's, used by no page
    assert len(css) < 150_000


def test_initiative_page_is_described_by_its_summary(fixture_site):
    root, _ = fixture_site
    text = _pages(root)["book/generated/indsatser/injektion.html"]
    head = text.split("</head>", 1)[0]
    meta = htmllib.unescape(re.search(r'<meta name="description" content="([^"]*)"', head).group(1))
    assert meta.startswith("Hvad og for hvem:") and "Målgruppe" in meta
    # the record's hostile text may stand in it, as text: escaped in the attribute
    assert "<img" not in head and "<script>alert" not in head
