"""One definition per count: what each number the site shows about the records counts.

The front page, the finder's filters, the data page and the analyses count through these functions,
so "6 indsatser" on one page and "9" in the finder cannot both be said of the same thing. A finder filter
keeps exactly the initiatives a count here counts (``initiatives_with``), so a count can link to them.

The words, once:
- a *result* is what a source reports (``Initiative.reported``): never an expectation ("Forventning (ikke
  målt)"), which is counted on its own (``expectations``);
- a *result on an effect* (``Initiative.effects``) is a result but a count of participants or reach;
- a result is *measured* when its design measures (a survey or stronger, ``model.MEASURED``);
- what an initiative *found* (``found``) comes from its measured results on an effect; "ikke målt" means it
  has none: the sources give no result on an effect, only ones they state or assess without measuring,
  only ones not measured, or the measurement is awaited.
"""

from __future__ import annotations

from .model import EXPECTATION, MEASURED, Initiative, KnowledgeBase, Result

FINDINGS = {  # the finder's "fund" value -> its label; each initiative has "maalt" or "ikke-maalt"
    "maalt": "Målt (alle fund)",
    "forbedring": "Forbedring på mindst ét udfald",  # its headline may be on another outcome
    "ingen-forskel": "Ingen forskel på mindst ét udfald",
    "forvaerring": "Forværring på mindst ét udfald",
    "uklart": "Uklart eller blandet på mindst ét udfald",
    "ikke-maalt": "Ikke målt (intet målt resultat om en effekt)",
}
BY_DIRECTION = {"bedre": "forbedring", "ingen-forskel": "ingen-forskel", "daarligere": "forvaerring",
                "blandet": "uklart", "uklart": "uklart"}


def measured_effects(kb: KnowledgeBase, r: Initiative) -> list[Result]:
    """The initiative's results on an effect whose design measures."""
    designs = kb.vocabularies["evidence_designs"]
    return [res for res in r.effects if (designs[res.design].rank or 0) >= MEASURED]


def found(kb: KnowledgeBase, r: Initiative) -> list[str]:
    """What the initiative found (keys of FINDINGS, in their order): 'maalt' and the direction of each
    measured result on an effect, or 'ikke-maalt' alone."""
    directions = {BY_DIRECTION[res.direction] for res in measured_effects(kb, r)}
    return ["maalt", *(k for k in FINDINGS if k in directions)] if directions else ["ikke-maalt"]


def outcomes(r: Initiative) -> list[str]:
    """The outcomes the initiative has results on, measured or not (a source saying an outcome was not
    measured reports on it; the evidence map draws it as a ring); an expectation is no result."""
    return sorted({res.outcome for res in r.reported})


def designs(r: Initiative) -> list[str]:
    """The evidence designs of the initiative's results and expectations (an expectation's is 'ikke målt')."""
    return sorted({res.design for res in r.results})


def initiatives_with(kb: KnowledgeBase, name: str, value: str) -> list[Initiative]:
    """The initiatives the finder keeps for ``?name=value``, for 'fund', 'udfald' and 'design'."""
    values = {"fund": lambda r: found(kb, r), "udfald": outcomes, "design": designs}[name]
    return [r for r in kb.initiatives if value in values(r)]


def results(kb: KnowledgeBase) -> list[Result]:
    """Every result the sources report ("resultater"); expectations are not results."""
    return [res for r in kb.initiatives for res in r.reported]


def effect_results(kb: KnowledgeBase) -> list[Result]:
    """Every result on an effect ("resultater om en effekt"): the results but counts of reach."""
    return [res for r in kb.initiatives for res in r.effects]


def expectations(kb: KnowledgeBase) -> list[Result]:
    """Every effect a source only expects ("forventninger"), never counted as a result."""
    return [res for r in kb.initiatives for res in r.results if res.kind == EXPECTATION]
