"""A small Sphinx extension that mends the book theme where it fails its readers.

- The theme's sidebar renders each expandable chapter as ``<details><summary>`` with
  only an icon inside: a screen reader announces an unnamed control (axe:
  "summary-name", serious). The label is added where the theme builds that HTML.
- The theme puts the whole table of contents, every initiative included, into the
  sidebar of every page. With a thousand records that is a thousand links on each of
  a thousand pages: the build grows with the square of the records and each page
  carries hundreds of kilobytes of links. Pages matching ``kb_short_sidebar`` get the
  chapters only, rendered once per folder and reused; the others open only the
  reader's branch (the theme's ``collapse_navbar``).
- The theme hard-codes its sidebar buttons' tooltips and some labels ("Main", "Page") in
  English; the templates folder has the same buttons and labels in Danish (the theme's other
  words are in book/_locale).
- Sphinx rewrites only the pages whose source changed, so a renamed, added or removed
  page would keep its old title in other pages' sidebars and "previous/next" links
  until a clean build. When a title changes, those pages are written again; a removed
  page's HTML is deleted, which Sphinx leaves behind.
- Record text must stay text wherever a title lands. The theme writes the page title
  unescaped into its print-only header, and Sphinx 7's search index keeps section
  titles as plain text that its ``searchtools.js`` inserts with ``innerHTML`` (Sphinx 8.2
  escapes them itself). Both are escaped here, where they are written.
- The search page ranks a page whose title is exactly the query first and summarises each
  result from its prose, without code or field names (search.js, Sphinx's ``html_search_scorer``).
- Light pages: one purged stylesheet, no icon font, deferred scripts, a description (kb.lean).
"""

from __future__ import annotations

import hashlib
import posixpath
from fnmatch import fnmatchcase
from pathlib import Path

from docutils.writers._html_base import HTMLTranslator
from markupsafe import escape

from . import lean

TOGGLE_LABEL = "Vis eller skjul underpunkter"
SEARCH_JS = Path(__file__).with_name("search.js")
TEMPLATES = Path(__file__).parent / "templates"
THEME_NAV = "sbt-sidebar-nav.html"
SHORT_NAV = "kb-chapters.html"


def _label_toggles(app, pagename, templatename, context, doctree) -> None:
    build = context.get("generate_toctree_html")
    if build is None:
        return

    def labelled(*args, **kwargs):
        html = str(build(*args, **kwargs))
        return html.replace("<summary>", f'<summary aria-label="{TOGGLE_LABEL}">')

    context["generate_toctree_html"] = labelled


def _parents(env) -> dict[str, str]:
    return {child: parent for parent, children in env.toctree_includes.items() for child in children}


def _chapter(parents: dict[str, str], root: str, pagename: str) -> str | None:
    """The top-level entry the page hangs under: the one the chapter list marks current."""
    chapter = None
    while pagename in parents and parents[pagename] != root:
        chapter = pagename = parents[pagename]
    return chapter


def _chapter_list(app):
    # One chapter list per (folder, chapter): the links are relative to the page's
    # folder and the current mark follows the chapter, so pages sharing both share it.
    rendered: dict[tuple[str, str | None], str] = {}
    parents: dict[str, str] = {}

    def handler(app, pagename, templatename, context, doctree) -> None:
        build = context.get("generate_toctree_html")
        if build is None or not _short(app, pagename):
            return
        if not parents:
            parents.update(_parents(app.env))
        key = (posixpath.dirname(pagename), _chapter(parents, app.config.root_doc, pagename))
        if key not in rendered:
            rendered[key] = str(
                build("sidebar", startdepth=0, maxdepth=1, collapse=True, includehidden=True,
                      titles_only=True, show_nav_level=1)
            )
        context["kb_chapters"] = rendered[key]

    return handler


def _swap_sidebar(app, pagename, templatename, context, doctree) -> None:
    # Before the theme renders each sidebar template once to drop empty ones (priority 500):
    # that test render of the theme's navigation would cost what the short sidebar saves.
    if _short(app, pagename):
        # A new list: Sphinx hands every page the same sidebars object.
        context["sidebars"] = [SHORT_NAV if s == THEME_NAV else s for s in context.get("sidebars", [])]


def _short(app, docname: str) -> bool:
    return any(fnmatchcase(docname, p) for p in app.config.kb_short_sidebar)


def _title_watch():
    before: dict[str, str | None] = {}  # title of each page read or removed, before this build
    neighbours: list[dict] = []  # (parent, previous, next) of every page, before this build

    def title(env, docname: str) -> str | None:
        node = env.titles.get(docname)
        return None if node is None else node.astext()

    def note(env, docnames) -> None:
        if not neighbours:
            neighbours.append(env.collect_relations())
        for docname in docnames:
            before.setdefault(docname, title(env, docname))

    def removed(app, env, docname) -> None:  # Sphinx purges removed pages before reading
        note(env, [docname])

    def reading(app, env, docnames) -> None:  # new pages have no title yet
        note(env, docnames)

    def rewrite(app, env) -> list[str]:
        renamed = [d for d, old in before.items() if title(env, d) != old]
        old = neighbours.pop() if neighbours else {}
        before.clear()
        if not renamed:
            return []
        parents, new = _parents(env), env.collect_relations()
        pages = set().union(*(_listing(app, env, parents, d) for d in renamed))
        for docname in renamed:  # "previous/next" links name it, before and after this build
            for relations in (old, new):
                pages.update(d for d in relations.get(docname, [None])[1:] if d)
        return sorted(pages & env.found_docs)

    return removed, reading, rewrite


def _listing(app, env, parents: dict[str, str], docname: str) -> set[str]:
    """The pages whose sidebar lists ``docname``."""
    parent = parents.get(docname)
    if parent == app.config.root_doc:  # a chapter: on every sidebar, short ones included
        return set(env.found_docs)
    full = {d for d in env.found_docs if not _short(app, d)}
    if parent is None or not app.config.html_theme_options.get("collapse_navbar"):
        return full  # a removed page, or a theme that lists every page everywhere
    # A collapsed sidebar opens only the branch the reader is in: the parent and below it.
    return {d for d in full if parent in _ancestors(parents, d)}


def _ancestors(parents: dict[str, str], docname: str) -> set[str]:
    """The page itself and every page above it in the table of contents."""
    found = {docname}
    while docname in parents:
        docname = parents[docname]
        found.add(docname)
    return found


def _escape_print_title(app, pagename, templatename, context, doctree) -> None:
    # The theme sets ``pagetitle`` to the title's plain text (priority 500) and its layout
    # prints it unescaped; Markup keeps a later ``|e`` from escaping it twice.
    if "pagetitle" in context:
        context["pagetitle"] = escape(context["pagetitle"])


def _escape_search_titles(app) -> None:
    """Section titles enter the search index as plain text; store them as HTML, as Sphinx
    already stores page titles, so the search page shows them as text. Only freshly read
    pages pass through here: those loaded from the previous index were escaped then."""
    builder = app.builder
    if not hasattr(builder, "index_page"):
        return
    index_page = builder.index_page

    def escaped(pagename, doctree, title) -> None:
        index_page(pagename, doctree, title)
        if builder.indexer is None:  # search switched off
            return
        titles = builder.indexer._all_titles  # Sphinx 7.4's; pinned (pyproject.toml)
        if pagename in titles:
            titles[pagename] = [(_html(text), anchor) for text, anchor in titles[pagename]]

    builder.index_page = escaped


def _html(text: str) -> str:
    """Text as docutils writes it into HTML, so a page's own title matches its index entry."""
    return text.translate(HTMLTranslator.special_characters)


def _drop_removed_pages(app, env, added, changed, removed) -> list[str]:
    # Sphinx forgets a removed page but leaves its HTML in the output folder, where readers
    # would still find a deleted record.
    for docname in removed:
        if hasattr(app.builder, "get_outfilename"):
            Path(app.builder.get_outfilename(docname)).unlink(missing_ok=True)
    return []


def _add_templates(app, config) -> None:
    # First: the themes add their component folders to the same list, and ours override them.
    config.templates_path.insert(0, str(TEMPLATES))
    # Absolute: Sphinx 7.4 opens this file relative to the working directory, not the book's.
    config.html_search_scorer = config.html_search_scorer or str(SEARCH_JS)


def theme_key() -> str:
    """A hash of this module's code, templates and search script. Sphinx rewrites a page when its
    source, its templates or an 'html' setting changes, not when an extension's code does: as a
    setting's value, the hash makes a changed kb.theme rewrite every page (and so copy the search
    script into language_data.js again)."""
    digest = hashlib.sha256()
    code = [Path(__file__), Path(__file__).with_name("lean.py"), SEARCH_JS]
    for path in [*code, *sorted(TEMPLATES.glob("*.html"))]:
        digest.update(f"{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def setup(app):
    app.add_config_value("kb_short_sidebar", [], "html", types=[list])
    app.add_config_value("kb_theme_key", theme_key(), "html", types=[str])
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _escape_search_titles)
    app.connect("html-page-context", _escape_print_title, priority=600)
    # After the theme (priority 500) has put its own function into the page context.
    app.connect("html-page-context", _label_toggles, priority=900)
    app.connect("html-page-context", _swap_sidebar, priority=400)
    app.connect("html-page-context", _chapter_list(app), priority=950)
    app.connect("html-page-context", lean.page_context, priority=990)  # after every extension's
    app.connect("build-finished", lean.write_site_css)
    removed, reading, rewrite = _title_watch()
    app.connect("env-purge-doc", removed, priority=100)  # before Sphinx forgets the title
    app.connect("env-before-read-docs", reading)
    app.connect("env-get-updated", rewrite)
    app.connect("env-get-outdated", _drop_removed_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
