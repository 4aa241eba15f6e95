"""Where everything lives on the site: the generated pages, the chapters and the downloads.

The one module that knows the site's folders. A renderer asks a ``Page`` for its Sphinx document
name (``{doc}`` links, checked by Sphinx), its source file in the generated folder, or, inside raw
HTML where Sphinx references cannot go, a relative address from the page it is writing.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

GENERATED = Path("book") / "generated"  # from the book's root: written by kb build, git-ignored
DOWNLOADS = "data"  # the downloads' folder at the site's root


def _href(target: str, start: Page, anchor: str) -> str:
    href = posixpath.relpath(target, posixpath.dirname(start.html))
    return f"{href}#{anchor}" if anchor else href


@dataclass(frozen=True)
class Page:
    """A page by its document name from the book's root, without suffix ("book/generated/find")."""

    name: str

    @property
    def doc(self) -> str:
        """The absolute document name for ``{doc}``."""
        return f"/{self.name}"

    @property
    def link(self) -> str:
        """A MyST link to the page under its own title."""
        return f"{{doc}}`{self.doc}`"

    @property
    def source(self) -> str:
        """The generated page's MyST file, relative to the generated folder."""
        return posixpath.relpath(self.name, GENERATED.as_posix()) + ".md"

    @property
    def html(self) -> str:
        """The page's HTML file from the site's root (what a citation's address ends in)."""
        return f"{self.name}.html"

    def url(self, start: Page, anchor: str = "") -> str:
        """A relative address of this page (at ``anchor``) from the page ``start``, for raw HTML."""
        return _href(self.html, start, anchor)


@dataclass(frozen=True)
class Download:
    """A file in the site's downloads folder, by its path in that folder ("projects/<id>.yml")."""

    name: str

    @property
    def path(self) -> str:
        """The file's path from the site's root."""
        return f"{DOWNLOADS}/{self.name}"

    def url(self, start: Page) -> str:
        return _href(self.path, start, "")


def _generated(name: str) -> Page:
    return Page(f"{GENERATED.as_posix()}/{name}")


FRONT = Page("book/index")  # hand-written; the key figures' fragment is included here, so its links start here

# The generated chapters.
FINDER = _generated("find")
OVERVIEW = _generated("oversigt")
REGIONS = _generated("regioner")
CLUSTERS = _generated("klynger")
TYPES = _generated("typer")
RECOMMENDATIONS = _generated("anbefalinger")
BLUEPRINTS = _generated("blueprints")
SOURCES = _generated("kilder")
CHANGES = _generated("aendringer")
CITE = _generated("citer")
DATA = _generated("data")
ANALYSES = _generated("analyser/index")  # every analysis sits beside it


def initiative(record_id: str) -> Page:
    return _generated(f"indsatser/{record_id}")


def region(slug: str) -> Page:
    return _generated(f"regioner/{slug}")


def cluster(slug: str) -> Page:
    return _generated(f"klynger/{slug}")


def intervention_type(slug: str) -> Page:
    return _generated(f"typer/{slug}")


def blueprint_comparison(kind: str) -> Page:
    """The comparison of one intervention type's blueprints (a section of BLUEPRINTS)."""
    return _generated(f"blueprints/{kind}")


def background(slug: str) -> Page:
    return _generated(f"baggrund/{slug}")


def analysis(slug: str) -> Page:
    return _generated(f"analyser/{slug}")


METHOD = background("metode")


def record_file(record_id: str) -> Download:
    """The record's YAML file, exactly as it lies in the knowledge base."""
    return Download(f"projects/{record_id}.yml")  # the folder name the repository has
