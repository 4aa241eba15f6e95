"""Light pages (issue 20): what a first visit costs a nurse's phone or a hospital PC whose cache
is cleared every day. Part of the kb.theme extension; the page layout is templates/layout.html.

- One stylesheet, ``_static/kb-site.css``: Sphinx's basic.css, the themes' and extensions'
  stylesheets and ours, in their cascade order, without the rules that name a class or id found
  on no page and in no script a page loads. The theme's 390 KB (all of Bootstrap and Font
  Awesome) shrink to what the site uses. It is written when the build has finished, from every
  page in the output folder, so a page added later brings its rules back.
- No Font Awesome: neither its 1.4 MB script nor its icon fonts. The dozen icons the theme
  shows come from kb-icons.css, as SVG masks.
- Scripts are deferred: none holds up the first paint, and those only some pages use load
  only there (the charts', the finder's, the copy button of code, toggles, tabs). The search
  index and Sphinx's search scripts are loaded by the search page only (the theme loads them
  everywhere for a search-as-you-type this site has switched off).
- Every page has a meta description: an initiative page its summary, another page its first
  paragraph, in plain text.
"""

from __future__ import annotations

import functools
import hashlib
import html
import pickle
import posixpath
import re
from pathlib import Path

import tinycss2
from docutils import nodes

SITE_CSS = "kb-site.css"
DESCRIPTION_LENGTH = 160
# Scripts that inline scripts use while the page is parsed: documentation_options.js
# (DOCUMENTATION_OPTIONS), kb-charts.js (each chart of a fixed size fits itself at once).
NOT_DEFERRED = {"documentation_options.js", "kb-charts.js"}
# Scripts that only some pages need, and what on a page needs them: ours, the copy button of
# code (the analyses' Python), sphinx-togglebutton's (toggles, dropdowns) and sphinx-design's
# tabs (no page has one yet). Elsewhere each would be one more file a phone fetches for nothing.
ONLY_WHERE = {
    "kb-charts.js": re.compile('class="kb-chart"'), "kb-filter.js": re.compile('id="kb-filter"'),
    **dict.fromkeys(["clipboard.min.js", "copybutton.js"], re.compile('<div class="highlight">')),
    "togglebutton.js": re.compile(r'class="(?:[^"]*\s)?(?:toggle|dropdown)[\s"]'),
    "design-tabs.js": re.compile("sd-tab-set"),
}
ICON_FONTS = "Font Awesome"
ATTRIBUTES = re.compile(r'\s(?:class|id)="([^"]*)"')
SCRIPTS = re.compile(r'<script\b[^>]*\ssrc="([^"?#]+)')
NAMES = re.compile(r"[A-Za-z_][\w-]*")
VARIABLES = re.compile(r"var\(\s*(--[\w-]+)")
NESTED = ("media", "supports", "layer", "container")  # at-rules that hold rules
DATA_SCRIPTS = {"searchindex.js", "language_data.js"}  # words of the pages, not code that adds classes
# Sphinx loads its translations after sphinx_highlight.js (priority 200), which, deferred, writes its
# "Hide Search Matches" link as soon as it runs: the Danish catalogue goes before it, after doctools.js.
FIRST = {"doctools.js": 198, "translations.js": 199}


def page_context(app, pagename, templatename, context, doctree) -> None:
    """One bundled stylesheet instead of the theme's list; deferred scripts; a description."""
    context["css_files"] = []
    context["kb_site_css"] = SITE_CSS
    body = context.get("body", "")
    scripts = [js for js in context.get("script_files", []) if needed(js, body)]
    if pagename != "search":  # its own search scripts, not deferred, use doctools.js at once
        scripts = [_deferred(js) for js in scripts]
    context["script_files"] = scripts
    context["kb_description"] = description(doctree, context.get("title", ""), app.config.html_title)


def _name(js) -> str:
    return posixpath.basename(str(getattr(js, "filename", "") or ""))


def needed(js, body: str) -> bool:
    marker = ONLY_WHERE.get(_name(js))
    return marker is None or bool(marker.search(body))


def _deferred(js):
    if not getattr(js, "filename", "") or _name(js) in NOT_DEFERRED:
        return js  # an inline script runs where it stands
    attributes = {k: v for k, v in js.attributes.items() if k != "async"}
    return type(js)(js.filename, priority=FIRST.get(_name(js), js.priority), **{**attributes, "defer": "defer"})


def description(doctree, title: str, site: str) -> str:
    """A short plain-text summary of the page: the initiative's summary box, else the first
    paragraph of the text, else the page's title and the site's."""
    text = ""
    if doctree is not None:
        box = next((n for n in doctree.findall(nodes.container) if "kb-summary" in n["classes"]), None)
        if box is not None:
            facts = next(box.findall(nodes.bullet_list), box)
            text = " ".join(item.astext() for item in facts.children)
        else:
            text = next((p.astext() for p in doctree.findall(nodes.paragraph)
                         if len(p.astext()) > 40 and not _in_cell(p)), "")
    if not text:
        title = html.unescape(re.sub(r"<[^>]+>", "", title))
        text = f"{title} – {site}" if title and title != site else site
    return _shorten(" ".join(text.split()))


def _in_cell(node) -> bool:
    """Notebook output and tables are not prose."""
    while node is not None:
        if isinstance(node, nodes.table) or (isinstance(node, nodes.Element) and "cell" in node["classes"]):
            return True
        node = node.parent
    return False


def _shorten(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[:DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,.;:–")
    return cut + "…"


# --- the site's stylesheet --------------------------------------------------------------------

# In Sphinx's doctree folder: the last stylesheet and what it was made from, and each page's names.
MEMO, NAMES_MEMO = "kb-site-css", "kb-page-names.pickle"


def write_site_css(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    # The theme's own two (theme.css only imports basic.css), then every registered stylesheet.
    registered = sorted(app.builder._css_files, key=lambda css: css.priority)  # Sphinx 7.4 (pinned)
    sources = ["_static/basic.css", "_static/styles/pydata-sphinx-theme.css",
               *(str(css.filename) for css in registered if "://" not in str(css.filename))]
    texts = []
    for source in sources:
        path = out / source
        if not path.is_file():
            raise FileNotFoundError(f"kb.lean: {path} mangler")  # a theme update moved it
        texts.append((posixpath.relpath(source, "_static"), path.read_text(encoding="utf-8")))
    # Purging takes seconds; a rebuild purges again only when a name the stylesheets mention
    # comes or goes (a retitled page's new id is not one), or a stylesheet changed.
    sources = tuple(texts)
    used = frozenset(names_used(out, Path(app.doctreedir) / NAMES_MEMO)) & _words(sources)
    key = hashlib.sha256(repr((sources, sorted(used))).encode()).hexdigest()
    memo = Path(app.doctreedir) / MEMO
    if memo.is_file() and (kept := memo.read_text(encoding="utf-8")).startswith(key + "\n"):
        text = kept[len(key) + 1:]
    else:
        text = site_css(sources, used)
        memo.write_text(f"{key}\n{text}", encoding="utf-8")
    target = static / SITE_CSS
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _words(sources: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(word for _, css in sources for word in NAMES.findall(css))


def site_css(sources: tuple[tuple[str, str], ...], used: frozenset[str]) -> str:
    """The stylesheets (path inside _static, text) as one, without what no page uses."""
    parts = [f"/* {rel} */\n{purge(css, used, posixpath.dirname(rel))}\n" for rel, css in sources]
    return unused_properties_dropped("".join(parts), used)


def names_used(out: Path, memo: Path | None = None) -> set[str]:
    """Every class and id on the site's pages, and every word in the scripts they load (a script
    may add a class to a page: Bootstrap's 'show', the search page's 'highlighted').

    ``memo`` keeps each page's names with its size and time from one build to the next (a page
    Sphinx did not write keeps both), so a rebuild reads only the pages written since."""
    known = _known_pages(memo)
    pages = {}
    for page in out.rglob("*.html"):
        rel = page.relative_to(out).as_posix()
        if not rel.startswith("_static/"):  # the themes' template fragments, copied as they are
            pages[rel] = _page_names(page, rel, known.get(rel))
    if memo is not None:
        memo.write_bytes(pickle.dumps(pages))
    used: set[str] = set().union(*(names for _, names, _ in pages.values()))
    for script in sorted(set().union(*(scripts for _, _, scripts in pages.values()))):
        path = out / script
        if path.is_file() and path.name not in DATA_SCRIPTS:
            used.update(NAMES.findall(path.read_text(encoding="utf-8")))
    return used


def _known_pages(memo: Path | None) -> dict:
    try:
        return pickle.loads(memo.read_bytes()) if memo is not None else {}
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return {}  # none yet, or unreadable: every page is read


def _page_names(page: Path, rel: str, known: tuple | None) -> tuple[tuple[int, int], set[str], set[str]]:
    """(size and time, the page's classes and ids, its local scripts relative to the site)."""
    info = page.stat()
    stamp = (info.st_mtime_ns, info.st_size)
    if known is not None and known[0] == stamp:
        return known
    text = page.read_text(encoding="utf-8")
    names = {name for value in ATTRIBUTES.findall(text) for name in value.split()}
    scripts = {posixpath.normpath(posixpath.join(posixpath.dirname(rel), src))
               for src in SCRIPTS.findall(text) if "://" not in src}
    return stamp, names, scripts


def purge(css: str, used: set[str], folder: str) -> str:
    """``css`` without the rules no page can match, and without the icon fonts; relative
    addresses rewritten from ``folder`` (inside _static) to _static itself."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "\n".join(filter(None, (_rule(rule, used, folder) for rule in rules)))


def _rule(rule, used: set[str], folder: str) -> str:
    if rule.type == "qualified-rule":
        selectors = [s for s in _split(rule.prelude) if _may_match(s, used)]
        if not selectors:
            return ""
        prelude = ",".join(tinycss2.serialize(s).strip() for s in selectors)
        return f"{prelude}{{{_body(rule.content, folder)}}}"
    if rule.type != "at-rule":
        return ""
    keyword = rule.lower_at_keyword
    if keyword in ("import", "charset"):
        return ""  # basic.css, theme.css's one import, is bundled itself
    if keyword == "font-face" and ICON_FONTS in tinycss2.serialize(rule.content or []):
        return ""
    if keyword in NESTED and rule.content is not None:
        inner = [_rule(r, used, folder) for r in tinycss2.parse_rule_list(rule.content, True, True)]
        inner = [r for r in inner if r]
        if not inner:
            return ""
        return f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}"
    if rule.content is not None:  # @font-face, @keyframes, @page: their addresses rebased
        return f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{_body(rule.content, folder)}}}"
    return tinycss2.serialize([rule])


def unused_properties_dropped(css: str, used: set[str]) -> str:
    """``css`` without the custom properties nothing reads: Bootstrap defines some 400 for
    components this site does not have. Repeated, as a dropped one may have read another."""
    while True:
        read = set(VARIABLES.findall(css)) | {f"--{name}" for name in used}
        rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True)
        shorter = "\n".join(filter(None, (_without_properties(rule, read) for rule in rules)))
        if shorter == css:
            return css
        css = shorter


def _without_properties(rule, read: set[str]) -> str:
    if rule.type == "qualified-rule":
        declarations = tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
        kept = [d for d in declarations if d.type != "declaration" or not d.name.startswith("--")
                or d.name in read]
        body = ";".join(_declaration(d) for d in kept)
        return f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}" if kept else ""
    if rule.type == "at-rule" and rule.lower_at_keyword in NESTED and rule.content is not None:
        inner = [_without_properties(r, read) for r in tinycss2.parse_rule_list(rule.content, True, True)]
        inner = [r for r in inner if r]
        return f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}" if inner else ""
    return tinycss2.serialize([rule])


def _declaration(node) -> str:
    if node.type != "declaration":
        return node.serialize().strip().rstrip(";")  # a nested rule, kept as it stands
    value = tinycss2.serialize(node.value).strip()
    return f"{node.name}:{value}{'!important' if node.important else ''}"


def _split(prelude) -> list[list]:
    """A selector list, split at its top-level commas."""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return [s for s in selectors if any(t.type != "whitespace" for t in s)]


def _may_match(selector: list, used: set[str]) -> bool:
    """False when the selector needs a class or id that no page has. What stands inside a
    function (:not(), :is(), :has()) is not checked: the selector may match without it."""
    for i, token in enumerate(selector):
        if token.type == "hash" and token.is_identifier and token.value not in used:
            return False
        if (token.type == "literal" and token.value == "." and i + 1 < len(selector)
                and selector[i + 1].type == "ident" and selector[i + 1].value not in used):
            return False
    return True


def _body(tokens, folder: str) -> str:
    return tinycss2.serialize(_rebased(tokens, folder)).strip()


def _rebased(tokens, folder: str) -> list:
    if not folder:
        return list(tokens)
    out = []
    for token in tokens:
        if token.type == "url" and not re.match(r"^(data:|[a-z]+://|/|#)", token.value):
            url = posixpath.normpath(posixpath.join(folder, token.value))
            token = tinycss2.ast.URLToken(token.source_line, token.source_column, url, f"url({url})")
        elif getattr(token, "arguments", None) is not None:
            token.arguments = _rebased(token.arguments, folder)
        elif getattr(token, "content", None) is not None and token.type.endswith("block"):
            token.content = _rebased(token.content, folder)
        out.append(token)
    return out
