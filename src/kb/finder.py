""""Find en indsats": every initiative in one list, filterable in the browser.

Without JavaScript the page lists every initiative: its title, linked, and its headline result. With
JavaScript, ``book/_static/kb-filter.js`` shows each one's facts and badges, hides what does not
match the chosen filters, announces the count and keeps the filters in the address, so a filtered
view can be shared as a link. Filter values in the address are vocabulary slugs; the page's HTML
comes from the autoescaped template templates/html/finder.html.

Light at a thousand records (issue 18): each label is on the page once, in its filter's options, and
an initiative carries codes that point to them (``data-v="r2 t0 t5 g75"``: the region select's value 2,
counted from 0, the type select's values 0 and 5, 75 years), from which kb-filter.js writes its facts.
A list of labels per initiative would weigh twice the 300 kB a page may.

``alder`` is the citizen's age: an initiative matches if it has no lower age limit or
one at or below that age. ``kommune`` is where the citizen lives: it keeps what ``kb.geography`` says
concerns that municipality (an initiative carries a code for each municipality it names, "c12"; an
option carries its cluster). Every other filter keeps the initiatives whose values include the chosen one.
``ressourcer`` keeps those whose sources state staff, cost, prerequisites or materials
(``GettingStarted.states_resources``).
"""

from __future__ import annotations

from . import layout
from .counts import FINDINGS, designs, found, outcomes
from .findings import FLAGS, flags, headline, headline_design
from .html import render
from .model import NATIONAL, Initiative, KnowledgeBase
from .text import danish_order, page

SCREENING = {"ja": "Med screeningsgrænse", "nej": "Uden screeningsgrænse"}
RESOURCES = {"oplyst": "Oplyst i kilden"}  # staff, cost, prerequisites or materials
NO_RESULTS = "Ingen resultater"
# Each filter's letter in an initiative's codes; "b" is its strongest design, "f" a flag (kb-filter.js).
CODES = {"region": "r", "klynge": "k", "type": "t", "aktoer": "a", "alder": "g", "diagnose": "d",
         "miljoe": "m", "screening": "s", "udfald": "u", "design": "e", "fund": "x", "kommune": "c",
         "ressourcer": "p"}


def _facets(kb: KnowledgeBase, r: Initiative) -> dict[str, list[str]]:
    """Filter name -> the record's values (slugs), as data attributes of its list item."""
    tg = r.target_group
    return {
        "region": [r.region],
        "klynge": [r.cluster] if r.cluster else [],
        "type": r.intervention.types,
        "aktoer": sectors(kb, r),
        "alder": [str(tg.min_age)] if tg.min_age is not None else [],
        "diagnose": tg.diagnoses,
        "miljoe": tg.settings,
        "screening": ["ja" if tg.screening else "nej"],
        "udfald": outcomes(r),  # kb.counts: the front page counts through the same definitions
        "design": designs(r),
        "fund": found(kb, r),
        "ressourcer": ["oplyst"] if r.getting_started.states_resources else [],
    }


def sectors(kb: KnowledgeBase, r: Initiative) -> list[str]:
    """The sectors taking part (lanes with 'group: sektor'): the actors' own, and its blueprint's."""
    actors = kb.vocabularies["actors"]
    lanes = {actors[a].group for a in r.intervention.actors if actors[a].group}
    if r.blueprint:
        lanes |= {step.lane for step in r.blueprint.steps}
    return [lane for lane in sector_lanes(kb) if lane in lanes]


def sector_lanes(kb: KnowledgeBase) -> list[str]:
    """The blueprint lanes that are sectors (hospital, municipality, general practice), in order."""
    return [lane for lane, term in kb.vocabularies["blueprint_lanes"].items() if term.group == "sektor"]


def _options(kb: KnowledgeBase) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(filter name, Danish label, [(value, label)]) for the values that occur, in vocabulary order."""
    used: dict[str, set[str]] = {}
    for r in kb.initiatives:
        for name, values in _facets(kb, r).items():
            used.setdefault(name, set()).update(values)

    def vocab(name: str, vocabulary: str) -> list[tuple[str, str]]:
        return [(t, kb.label(vocabulary, t)) for t in kb.vocabularies[vocabulary] if t in used[name]]

    return [
        ("region", "Region", vocab("region", "regions")),
        ("klynge", "Klynge", vocab("klynge", "clusters")),
        ("type", "Indsatstype", vocab("type", "intervention_types")),
        ("aktoer", "Sektor, der deltager", vocab("aktoer", "blueprint_lanes")),
        ("diagnose", "Diagnose", vocab("diagnose", "diagnoses")),
        ("miljoe", "Hvor borgeren er", vocab("miljoe", "settings")),
        ("screening", "Screening", [(k, v) for k, v in SCREENING.items() if k in used["screening"]]),
        ("udfald", "Resultater om", vocab("udfald", "outcomes")),
        ("design", "Evidensdesign", vocab("design", "evidence_designs")),
        ("fund", "Fund", [(k, v) for k, v in FINDINGS.items() if k in used["fund"]]),
        ("ressourcer", "Ressourcer og pris", [(k, v) for k, v in RESOURCES.items() if k in used["ressourcer"]]),
    ]


def _municipalities(kb: KnowledgeBase) -> list[tuple[str, str, list]]:
    """(region, its label, its municipalities in Danish order) for each region that has any."""
    groups = []
    for region, term in kb.vocabularies["regions"].items():
        members = sorted((m for m in kb.vocabularies["municipalities"].values() if m.region == region),
                         key=lambda m: danish_order(m.label))
        if members:
            groups.append((region, term.label, members))
    return groups


def _item(kb: KnowledgeBase, r: Initiative, places: dict[str, dict[str, int]]) -> dict:
    """The initiative's title, linked, its codes (see the module's note) and its headline result."""
    codes = [f"g{v}" if name == "alder" else f"{CODES[name]}{places[name][v]}"
             for name, values in _facets(kb, r).items() for v in values]
    codes += [f"{CODES['kommune']}{places['kommune'][m]}" for m in r.municipalities]
    best, marks = badges(kb, r)
    codes += [f"b{places['design'][best]}"] if best else []
    codes += [f"f{list(FLAGS).index(f)}" for f in marks]
    return {"codes": codes, "href": layout.initiative(r.id).url(layout.FINDER), "title": r.title,
            "result": headline(kb, r)}


def target_summary(kb: KnowledgeBase, r: Initiative) -> str:
    """The target group in a few words: age limit, diagnoses, where the citizen is."""
    tg = r.target_group
    parts = [f"{tg.min_age} år og derover"] if tg.min_age is not None else []
    parts += [kb.label("diagnoses", d) for d in tg.diagnoses]
    parts += [kb.label("settings", s) for s in tg.settings]
    return " · ".join(parts)


def badges(kb: KnowledgeBase, r: Initiative) -> tuple[str | None, list[str]]:
    """The design of the headline result (None: it has none, the badge says NO_RESULTS), and the flags
    shown beside it: "Ikke målt" once."""
    best = headline_design(kb, r)
    label = best.label if best is not None else NO_RESULTS
    return (best.id if best else None), [f for f in flags(r) if FLAGS[f][0] != label]


def finder_page(kb: KnowledgeBase) -> str:
    options = _options(kb)
    places = {name: {v: i for i, (v, _) in enumerate(values)} for name, _, values in options}
    regions = _municipalities(kb)
    places["kommune"] = {m.id: i for i, m in enumerate(m for _, _, members in regions for m in members)}
    items = [_item(kb, r, places) for r in sorted(kb.initiatives, key=lambda r: r.title.lower())]
    intro = (
        "Vælg et eller flere filtre; listen viser kun de indsatser, der passer på dem alle. "
        "Adressen i browseren gemmer valget, så du kan dele den filtrerede liste som et link.\n"
    )
    return page("find", "Find en indsats", intro, render(
        "finder.html", options=options, regions=regions, items=items, codes=CODES,
        national=NATIONAL, overview=layout.OVERVIEW.url(layout.FINDER), no_results=NO_RESULTS,
        flags=[label for label, _ in FLAGS.values()]))
