"""How to cite the knowledge base: read from CITATION.cff at the book's root.

The same facts give the page "Sådan citerer du" and the citation line at the
end of every initiative page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import ConfigDict, Field

from .history import History
from .load import DataError, KnowledgeBase, read_file
from .model import Strict, Text
from .text import day, md, page
from .yamlsafe import Problem

CITATION_FILE = "CITATION.cff"


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

    def line(self, changed: date | None, title: str | None = None) -> str:
        """One citation as MyST text: the authors, the (page) title, the version and the date."""
        parts = [md(", ".join(map(str, self.authors))) + ":"]
        if title:
            parts.append(f"»{md(title)}«. I: {md(self.title)}")
        else:
            parts.append(md(self.title))
        if self.version:
            parts[-1] += f", version {md(self.version)}"
        text = " ".join(parts) + "."
        return text + (f" Senest ændret {day(changed)}." if changed else "")


def read_citation(root: Path) -> Citation:
    path = root / CITATION_FILE
    if not path.is_file():
        raise DataError([Problem(CITATION_FILE, 1, "", "filen mangler; den beskriver, hvordan sitet citeres")])
    problems: list[Problem] = []
    loaded = read_file(root / "data", path, Citation, {}, problems)
    if loaded is None:
        raise DataError(problems)
    return loaded.value


def citation_page(kb: KnowledgeBase, citation: Citation, history: History) -> str:
    newest = history.newest(kb.initiatives)
    example = kb.initiatives[0] if kb.initiatives else None
    whole = (
        "## Hele vidensbasen\n\n"
        f"> {citation.line(newest)} Hentet [dato for dit opslag].\n"
    )
    single = (
        "## En enkelt indsats\n\n"
        "Nederst på hver indsats' side står en færdig henvisning med den dato, posten sidst blev ændret"
        + (f", fx:\n\n> {citation.line(history.last_changed(example)[0], example.title)}\n" if example else ".\n")
    )
    figures = (
        "## Tal fra kilderne\n\n"
        "Bruger du et tal, så citér også det dokument, tallet stammer fra. Hvert resultat angiver "
        "kilde og afsnit, og alle dokumenter står under {ref}`kilder`.\n"
    )
    machine = (
        "## Til referenceværktøjer\n\n"
        f"Oplysningerne står i filen `{CITATION_FILE}` i vidensbasens repositorium "
        "(formatet Citation File Format), som fx GitHub og Zotero kan læse.\n"
    )
    return page("saadan-citerer-du", "Sådan citerer du", md(citation.message) + "\n",
                whole, single, figures, machine)
