""""Find en indsats": every initiative in one list, filterable in the browser.

The page is complete without JavaScript (the whole list, with its facts). With
JavaScript, ``book/_static/kb-filter.js`` hides what does not match the chosen
filters, announces the count and keeps the filters in the address, so a filtered
view can be shared as a link. Filter values are vocabulary slugs, labels are escaped.
"""

from __future__ import annotations

import html

from .load import KnowledgeBase
from .model import Initiative
from .text import page

SCREENING = {"ja": "Med screeningsgrænse", "nej": "Uden screeningsgrænse"}


def _facets(kb: KnowledgeBase, r: Initiative) -> dict[str, list[str]]:
    """Filter name -> the record's values (slugs), as data attributes of its list item."""
    tg = r.target_group
    return {
        "region": [r.region],
        "klynge": [r.cluster] if r.cluster else [],
        "type": r.intervention.types,
        "alder": [str(tg.min_age)] if tg.min_age else ["ingen"],
        "diagnose": tg.diagnoses,
        "miljoe": tg.settings,
        "screening": ["ja" if tg.screening else "nej"],
        "udfald": sorted({res.outcome for res in r.results}),
        "design": sorted({res.design for res in r.results}),
    }


def _options(kb: KnowledgeBase) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(filter name, Danish label, [(value, label)]) for the values that occur, in vocabulary order."""
    used: dict[str, set[str]] = {}
    for r in kb.initiatives:
        for name, values in _facets(kb, r).items():
            used.setdefault(name, set()).update(values)

    def vocab(name: str, vocabulary: str) -> list[tuple[str, str]]:
        return [(t, kb.label(vocabulary, t)) for t in kb.vocabularies[vocabulary] if t in used[name]]

    ages = sorted((a for a in used["alder"] if a != "ingen"), key=int)
    return [
        ("region", "Region", vocab("region", "regions")),
        ("klynge", "Klynge", vocab("klynge", "clusters")),
        ("type", "Indsatstype", vocab("type", "intervention_types")),
        ("alder", "Aldersgrænse", [(a, f"{a} år og derover") for a in ages] + [("ingen", "Ingen angivet")]),
        ("diagnose", "Diagnose", vocab("diagnose", "diagnoses")),
        ("miljoe", "Hvor borgeren er", vocab("miljoe", "settings")),
        ("screening", "Screening", [(k, v) for k, v in SCREENING.items() if k in used["screening"]]),
        ("udfald", "Udfald med resultat", vocab("udfald", "outcomes")),
        ("design", "Evidensdesign", vocab("design", "evidence_designs")),
    ]


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    items = "".join(f'<option value="{v}">{html.escape(text)}</option>' for v, text in options)
    return (f'<div class="kb-filter-field"><label for="kb-filter-{name}">{label}</label>'
            f'<select id="kb-filter-{name}" name="{name}"><option value="">Alle</option>{items}</select></div>')


def _item(kb: KnowledgeBase, r: Initiative) -> str:
    data = " ".join(f'data-{k}="{" ".join(v)}"' for k, v in _facets(kb, r).items())
    types = ", ".join(kb.label("intervention_types", t) for t in r.intervention.types)
    where = kb.label("regions", r.region) + (f", {kb.label('clusters', r.cluster)}" if r.cluster else "")
    return (f'<li class="kb-filter-item" {data}><a href="indsatser/{r.id}.html">{html.escape(r.title)}</a>'
            f'<span class="kb-filter-facts">{html.escape(where)} · {html.escape(types)}</span></li>')


def finder_page(kb: KnowledgeBase) -> str:
    fields = "".join(_select(*option) for option in _options(kb))
    items = "\n".join(_item(kb, r) for r in sorted(kb.initiatives, key=lambda r: r.title.lower()))
    total = len(kb.initiatives)
    intro = (
        "Vælg et eller flere filtre; listen viser kun de indsatser, der passer på dem alle. "
        "Adressen i browseren gemmer valget, så du kan dele den filtrerede liste som et link.\n"
    )
    return page("find", "Find en indsats", intro, (
        '<div class="kb-filter" id="kb-filter">\n'
        f'<form class="kb-filter-form" aria-label="Filtre">{fields}'
        '<button type="reset" class="kb-filter-reset">Nulstil filtrene</button></form>\n'
        f'<p class="kb-filter-count" role="status" aria-live="polite">'
        f'<span id="kb-filter-shown">{total}</span> af {total} indsatser</p>\n'
        f'<ul class="kb-filter-list" id="kb-filter-list">\n{items}\n</ul>\n'
        "</div>\n"
    ))
