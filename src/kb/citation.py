"""How to cite the knowledge base: read from CITATION.cff and _config.yml at the book's root.

CITATION.cff gives the title and the authors; _config.yml's ``kb_citation`` block gives the
publisher and the site's address, and its ``repository.url`` the repository's (one setting
each, also read by the page "Om vidensbasen"). The same facts give the page "Sådan citerer
du" and the citation line at the end of every initiative page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import ConfigDict, Field

from . import layout
from .history import History
from .html import inline
from .loader import DataError, read_file
from .model import KnowledgeBase, Strict, Text
from .text import day, md, page
from .yamlsafe import Problem

CITATION_FILE = "CITATION.cff"
CONFIG_FILE = "_config.yml"


class Author(Strict):
    model_config = ConfigDict(extra="allow", frozen=True)  # CFF's other person fields are welcome
    name: Text | None = None
    given_names: Text | None = Field(None, alias="given-names")
    family_names: Text | None = Field(None, alias="family-names")

    def __str__(self) -> str:
        return self.name or " ".join(filter(None, (self.given_names, self.family_names)))


class Citation(Strict):
    """The fields of CITATION.cff the site uses; CFF's other fields are allowed and ignored."""

    model_config = ConfigDict(extra="allow", frozen=True)
    cff_version: Text = Field(alias="cff-version")
    message: Text
    title: Text
    authors: list[Author] = Field(min_length=1)
    version: Text | None = None
    # From _config.yml (read_citation), not from CITATION.cff: one place for each setting.
    publisher: Text | None = None
    site_url: str | None = None  # the published site's address, ending in '/'
    repository_url: str | None = None
    repository_branch: str = "main"

    def repository_file(self, name: str) -> str:
        """A link to a file in the repository, or its name in code type where no address is set."""
        if not self.repository_url:
            return f"`{name}`"
        return link(f"{self.repository_url.rstrip('/')}/blob/{self.repository_branch}/{name}", name)

    def line(self, changed: date | None, title: str | None = None, path: str = "") -> str:
        """One citation as MyST text: the authors, the year, the (page) title, the publisher, the
        date of the last change and the address; ``path`` is the page's, from the site's root."""
        authors = md(", ".join(map(str, self.authors)))
        parts = [f"{authors} ({changed.year}):" if changed else f"{authors}:"]
        parts.append(f"»{md(title)}«. I: {md(self.title)}." if title else f"{md(self.title)}.")
        if self.publisher:
            parts.append(f"{md(self.publisher)}.")
        if changed:
            parts.append(f"Senest ændret {day(changed)}.")
        if self.site_url:
            parts.append(link(self.site_url + path) + ".")
        return " ".join(parts)


def link(href: str, text: str | None = None) -> str:
    """A raw HTML link to an address from _config.yml (a Markdown link to a non-page makes Sphinx warn)."""
    return inline("link", href=href, text=text or href)


def read_settings(root: Path) -> dict[str, str]:
    """The publisher and the site's and the repository's addresses from _config.yml; empty ones left out."""
    config = yaml.safe_load((root / CONFIG_FILE).read_text(encoding="utf-8")) or {}
    cite, repository = config.get("kb_citation") or {}, config.get("repository") or {}
    settings = {"publisher": cite.get("publisher"), "site_url": cite.get("site_url"),
                "repository_url": repository.get("url"), "repository_branch": repository.get("branch")}
    settings = {k: str(v).strip() for k, v in settings.items() if v and str(v).strip()}
    if "site_url" in settings and not settings["site_url"].endswith("/"):
        settings["site_url"] += "/"
    return settings


def read_citation(root: Path) -> Citation:
    path = root / CITATION_FILE
    if not path.is_file():
        raise DataError([Problem(CITATION_FILE, 1, "", "filen mangler; den beskriver, hvordan sitet citeres")])
    problems: list[Problem] = []
    loaded = read_file(root / "data", path, Citation, {}, problems)
    if loaded is None:
        raise DataError(problems)
    return loaded.value.model_copy(update=read_settings(root))


def citation_page(kb: KnowledgeBase, citation: Citation, history: History) -> str:
    newest = history.newest(kb.initiatives)
    example = kb.initiatives[0] if kb.initiatives else None
    cited = example and citation.line(history.last_changed(example)[0], example.title,
                                      layout.initiative(example.id).html)
    whole = (
        "## Hele vidensbasen\n\n"
        f"> {citation.line(newest)} Hentet [dato for dit opslag].\n"
    )
    single = (
        "## En enkelt indsats\n\n"
        "Nederst på hver indsats' side står en færdig henvisning med den dato, posten sidst blev ændret"
        + (f", fx:\n\n> {cited}\n" if example else ".\n")
    )
    figures = (
        "## Tal fra kilderne\n\n"
        "Bruger du et tal, så citér også det dokument, tallet stammer fra. Hvert resultat angiver "
        "kilde og afsnit, og alle dokumenter står under {ref}`kilder`.\n"
    )
    machine = (
        "## Til referenceværktøjer\n\n"
        f"Oplysningerne står i filen {citation.repository_file(CITATION_FILE)} blandt vidensbasens filer "
        "(formatet Citation File Format), som fx GitHub og Zotero kan læse.\n"
    )
    return page("saadan-citerer-du", "Sådan citerer du", md(citation.message) + "\n",
                whole, single, figures, machine)


def about_page(citation: Citation) -> str:
    """The page "Om vidensbasen": who writes it, how to contribute, where the repository is."""
    repository = (f"Vidensbasens filer ligger samlet på {link(citation.repository_url)}: posterne, "
                  "ordlisterne, koden, der bygger sitet, og analyserne." if citation.repository_url
                  else "Vidensbasens filer ligger samlet ét sted: posterne, ordlisterne, koden, der "
                  "bygger sitet, og analyserne.")
    authors = md(", ".join(map(str, citation.authors)))
    return page(
        "om-vidensbasen", "Om vidensbasen",
        f"{md(citation.title)} skrives og vedligeholdes af {authors}. " + repository + "\n",
        "## Bidrag til vidensbasen\n\n"
        f"Vejledningen for bidragydere, {citation.repository_file('CONTRIBUTING.md')}, forklarer, hvordan "
        "du foreslår en ny indsats eller retter en post, og hvilke felter en post har.\n",
        "## Se også\n\n"
        f"- {layout.DATA.link} – alle poster som åbne data\n"
        f"- {layout.CHANGES.link} – hvad der er ændret, og hvornår\n"
        f"- {layout.CITE.link} – sådan henviser du til vidensbasen\n",
    )
