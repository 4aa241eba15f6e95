"""Service blueprints ("Hvem gør hvad hvornår" to readers) and recommendations: the grid on an
initiative page and the two chapters.

The grid is plain HTML (a table: lanes as rows, phases as columns) from an autoescaped template
(templates/html/blueprint-grid.html); it needs no JavaScript, and
``book/_static/kb.css`` stacks it by phase on a phone and keeps it whole in print.
"""

from __future__ import annotations

from functools import partial

from . import layout
from .finder import sector_lanes
from .findings import headline_design
from .html import render
from .model import (
    ADDRESSEES,
    PLACEMENTS,
    RECOMMENDATION_KINDS,
    STEP_STAGES,
    Blueprint,
    BlueprintStep,
    Initiative,
    KnowledgeBase,
    Recommendation,
    Responsibility,
)
from .text import fold, lower_first, md, number, page, plural, ref

# What readers see for a service blueprint: the chapter's title, its pages' and each grid's caption.
TITLE = "Hvem gør hvad hvornår"


def _used(kb: KnowledgeBase, vocabulary: str, values: set[str]) -> list[str]:
    """Terms of ``vocabulary`` that occur in ``values``, in the vocabulary's order."""
    return [t for t in kb.vocabularies[vocabulary] if t in values]


def _label(kb: KnowledgeBase, vocabulary: str, term: str) -> str:
    return fold(kb.label(vocabulary, term))


def grid(kb: KnowledgeBase, r: Initiative) -> str:
    """The blueprint of ``r``: every lane as a row (an empty one says so), phases as columns, and the
    treatment responsibility as a row of its own across the phases it covers."""
    bp = r.blueprint
    duty = bp.responsibility
    phases = _used(kb, "blueprint_phases", {s.phase for s in bp.steps} | set(duty.phases if duty else ()))
    rows = []
    for lane in kb.vocabularies["blueprint_lanes"]:
        steps = [s for s in bp.steps if s.lane == lane]
        rows.append((lane, {p: [s for s in steps if s.phase == p] for p in phases} if steps else None))
    return render("blueprint-grid.html", title=TITLE, record=r, phases=phases, rows=rows,
                  duty=duty and _spanning(kb, phases, duty), lanes={s.id: s.lane for s in bp.steps},
                  stages=STEP_STAGES, label=partial(_label, kb))


def _spanning(kb: KnowledgeBase, phases: list[str], duty: Responsibility) -> dict:
    """The responsibility's cell over the phases it covers (consecutive columns), empty cells around it."""
    first = min(phases.index(p) for p in duty.phases)
    last = max(phases.index(p) for p in duty.phases)
    label = " – ".join(dict.fromkeys(_label(kb, "blueprint_phases", phases[i]) for i in (first, last)))
    return {"before": first, "colspan": last - first + 1, "after": len(phases) - last - 1, "phases": label,
            "text": _duty(kb, duty)}


def _duty(kb: KnowledgeBase, duty: Responsibility) -> str:
    lane = _label(kb, "blueprint_lanes", duty.lane)
    return f"{fold(duty.holder)} ({lower_first(lane)}): {fold(duty.period)}"


def blueprint_section(kb: KnowledgeBase, r: Initiative) -> str:
    """The "Forløbet" section of an initiative page, or nothing without a blueprint."""
    if r.blueprint is None:
        return ""
    bp = r.blueprint
    note = f"**Forbehold:** {md(bp.note)}\n" if bp.note else ""
    return f"## Forløbet\n\n{basis_sentence(bp)}\n\n{grid(kb, r)}\n{note}\n**Kilde:** {ref(bp.source)}\n"


def basis_sentence(bp: Blueprint) -> str:
    """What of the blueprint the source gives: its steps, and when they happen ("Alle trin står i kilden"
    only when every step and its placement do)."""
    n, inferred = len(bp.steps), sum(s.basis == "udledt" for s in bp.steps)
    handoffs = sum(len(s.handoff_to) for s in bp.steps)
    counts = f"{plural(n, 'trin', 'trin')}, {plural(handoffs, 'overlevering', 'overleveringer')} mellem sektorer."
    if not inferred and bp.placement == "kilde":
        return f"{counts} Alle trin står i kilden, også hvornår de sker."
    steps = ("Alle trin står i kilden." if not inferred else
             f"{number(n - inferred)} af dem står i kilden; {number(inferred)} er udledt af redaktionen og "
             "markeret *Udledt*.")
    return f"{counts} {steps} {PLACEMENTS[bp.placement]}"


# --- the chapter --------------------------------------------------------------

DISCHARGE = "udskrivelse"  # the phase after which "who comes, how soon" is read


def blueprint_pages(kb: KnowledgeBase) -> dict[str, str]:
    """The chapter and, as its sections, one compact table per intervention type (who comes, how soon,
    who holds the responsibility, which sector has no role); every row links the full grid on the
    initiative's page. A page per type keeps each light however many records there are."""
    with_bp = [r for r in kb.initiatives if r.blueprint]
    by_kind = {kind: [r for r in with_bp if kind in r.intervention.types]
               for kind in kb.vocabularies["intervention_types"]}
    by_kind = {kind: records for kind, records in by_kind.items() if records}
    pages = {layout.blueprint_comparison(kind).source: _comparison_page(kb, kind, records)
             for kind, records in by_kind.items()}
    intro = (
        f"{plural(len(with_bp), 'indsats', 'indsatser')} har en oversigt over, hvem der gør hvad hvornår: "
        "forløbet fase for fase, fordelt på borger, hospital, kommune, almen praksis og støttesystemer. "
        "For hver indsatstype står indsatserne i én tabel, så man kan se, hvor de adskiller sig: hvem der "
        "kommer efter udskrivelsen, hvor hurtigt, hvem der har behandlingsansvaret, og hvilke sektorer "
        "kilden ikke giver en rolle i forløbet (et trin, kilden kun anbefaler, tæller ikke med). "
        "Indsatsens navn fører til hele forløbet på dens side.\n"
    )
    kinds = "".join(f"- {layout.blueprint_comparison(kind).link} "
                    f"({plural(len(records), 'indsats', 'indsatser')})\n" for kind, records in by_kind.items())
    pages[layout.BLUEPRINTS.source] = page("blueprints", TITLE, intro, kinds)
    return pages


def _comparison_page(kb: KnowledgeBase, kind: str, records: list[Initiative]) -> str:
    label = kb.label("intervention_types", kind)
    intro = (f"{plural(len(records), 'indsats', 'indsatser')} af typen {md(lower_first(label))} har en oversigt "
             "over, hvem der gør hvad hvornår. Indsatsens navn fører til hele forløbet på dens side.\n")
    return page(f"blueprints-{kind}", f"{TITLE}: {label}", intro, _comparison(kb, kind, records))


COMPARISON = ("Indsats", "Hvem kommer efter udskrivelsen", "Hvor hurtigt", "Behandlingsansvar",
              "Uden rolle i forløbet")


def _comparison(kb: KnowledgeBase, kind: str, records: list[Initiative]) -> str:
    here = layout.blueprint_comparison(kind)
    rows = [{"href": layout.initiative(r.id).url(here, f"blueprint-{r.id}"), "title": r.title,
             "cells": _compared(kb, r)} for r in records]
    return render("blueprint-comparison.html", headers=COMPARISON, rows=rows)


def _compared(kb: KnowledgeBase, r: Initiative) -> list[str]:
    """Who comes after the discharge, how soon, who holds the responsibility, which sectors have no role."""
    bp = r.blueprint
    sectors = sector_lanes(kb)
    phases = list(kb.vocabularies["blueprint_phases"])
    after = phases[phases.index(DISCHARGE) + 1:] if DISCHARGE in phases else phases
    later = [s for s in bp.steps if s.phase in after and s.lane in sectors and s.stage == "i-brug"]
    first = min((after.index(s.phase) for s in later), default=None)
    who = ", ".join(dict.fromkeys(_who(kb, s) for s in later)) or "Ikke beskrevet i kilden"
    if first is None:
        soon = "Ingen trin efter udskrivelsen i kilden"
    else:
        timing = next((s.timing for s in later if after.index(s.phase) == first and s.timing), None)
        soon = _label(kb, "blueprint_phases", after[first]) + (f": {fold(timing)}" if timing
                                                              else " (tidspunkt ikke oplyst)")
    duty = _duty(kb, bp.responsibility) if bp.responsibility else "Ikke oplyst"
    missing = ", ".join(_label(kb, "blueprint_lanes", lane) for lane in sectors
                        if not any(s.lane == lane and s.stage == "i-brug" for s in bp.steps)) or "–"
    return [who, soon, duty, missing]


def _who(kb: KnowledgeBase, s: BlueprintStep) -> str:
    lane = _label(kb, "blueprint_lanes", s.lane)
    return f"{_label(kb, 'actors', s.actor)} ({lower_first(lane)})" if s.actor else lane


def strongest_design(kb: KnowledgeBase, rec: Recommendation) -> str | None:
    """The strongest of the designs the badges of the initiatives behind ``rec`` state (their headline results)."""
    by_id = kb.by_id()
    best = kb.strongest_design(d.id for i in rec.initiatives if (d := headline_design(kb, by_id[i])))
    return best.label if best else None


def recommendations_page(kb: KnowledgeBase) -> str:
    """Numbered recommendations first, one list per source and kind in the source's order; then the
    others by theme. Every recommendation is a heading with its short title, so pages can link it."""
    recs = kb.context.recommendations
    numbered: dict[tuple[str, str], list[Recommendation]] = {}
    for rec in recs:
        if rec.number is not None:
            numbered.setdefault((rec.source.document, rec.kind), []).append(rec)
    blocks = [_numbered(kb, document, kind, sorted(group, key=lambda x: x.number))
              for (document, kind), group in numbered.items()]
    for theme in kb.vocabularies["themes"]:
        items = [_recommendation(kb, rec) for rec in recs if rec.theme == theme and rec.number is None]
        if items:
            blocks.append(f"## {md(kb.label('themes', theme))}\n\n" + "\n".join(items))
    linked = {i for rec in recs for i in rec.initiatives}
    order = ("Først de anbefalinger, som kilden selv nummererer, i kildens rækkefølge; derefter de øvrige "
             "efter tema. " if numbered else "Ordnet efter tema. ")
    intro = (
        f"{plural(len(recs), 'anbefaling', 'anbefalinger')} fra kilderne. {order}"
        f"{plural(len(linked), 'indsats', 'indsatser')} i vidensbasen ligger bag mindst én af dem. Ved hver "
        "anbefaling står, hvem den retter sig til, hvilke indsatser der ligger bag, og det stærkeste "
        "evidensdesign bag deres resultater.\n"
    )
    return page("anbefalinger", "Anbefalinger", intro, *blocks)


def _numbered(kb: KnowledgeBase, document: str, kind: str, recs: list[Recommendation]) -> str:
    doc = kb.documents[document]
    heading = f"## {RECOMMENDATION_KINDS[kind][1]} fra {doc.year}\n\n"
    intro = (f"{plural(len(recs), 'anbefaling', 'anbefalinger')}, nummereret som i kilden: "
             f"{{ref}}`kilde-{document}`.\n\n")
    return heading + intro + "\n".join(_recommendation(kb, rec) for rec in recs)


def _recommendation(kb: KnowledgeBase, rec: Recommendation) -> str:
    """Heading (number and short title), the recommendation, then its facts on one line."""
    support = ", ".join(layout.initiative(i).link for i in rec.initiatives)
    design = strongest_design(kb, rec)
    facts = [
        *([("Type", RECOMMENDATION_KINDS[rec.kind][0])] if rec.number is None else []),
        ("Retter sig til", ", ".join(ADDRESSEES[a] for a in rec.addresses)),
        ("Indsatser bag", support or "ingen i vidensbasen"),
        *([("Stærkeste design bag", md(design) if design else "ingen resultater")] if support else []),
        ("Kilde", ref(rec.source)),
    ]
    line = " · ".join(f"**{k}:** {v}" for k, v in facts)
    number = f"{rec.number}. " if rec.number is not None else ""
    return f"(anbefaling-{rec.id})=\n### {md(number + rec.title)}\n\n{md(rec.text)}\n\n{line}\n"


def recommendations_section(kb: KnowledgeBase, r: Initiative) -> str:
    """On an initiative page: the recommendations that cite it (the link back)."""
    recs = [rec for rec in kb.context.recommendations if r.id in rec.initiatives]
    if not recs:
        return ""
    items = "".join(f"- {{ref}}`anbefaling-{rec.id}` ({lower_first(RECOMMENDATION_KINDS[rec.kind][0])})\n"
                    for rec in recs)
    return f"## Anbefalinger, der bygger på indsatsen\n\n{items}"
