"""Service blueprints and recommendations: the grid on an initiative page and the two chapters.

The grid is plain HTML (a table: lanes as rows, phases as columns) with every
record string passed through ``html.escape``; it needs no JavaScript, and
``book/_static/kb.css`` stacks it by phase on a phone and keeps it whole in print.
"""

from __future__ import annotations

import html

from .load import KnowledgeBase
from .model import Blueprint, BlueprintStep, Initiative, Recommendation
from .text import md, page, plural, ref

ADDRESSEES = {"hospital": "Hospital", "kommune": "Kommune", "almen-praksis": "Almen praksis",
              "ledelse": "Ledelse"}
KINDS = {"generel": "Generel anbefaling", "udbredelsespotentiale": "Udbredelsespotentiale",
         "projektanbefaling": "Projektets anbefaling", "udvalgt-til-udbredelse": "Udvalgt til udbredelse"}


def _esc(text: str) -> str:
    return html.escape(" ".join(text.split()))


def _used(kb: KnowledgeBase, vocabulary: str, values: set[str]) -> list[str]:
    """Terms of ``vocabulary`` that occur in ``values``, in the vocabulary's order."""
    return [t for t in kb.vocabularies[vocabulary] if t in values]


def _anchor(record_id: str, step_id: str) -> str:
    return f"trin-{record_id}-{step_id}"


def _step(kb: KnowledgeBase, record_id: str, bp: Blueprint, s: BlueprintStep) -> str:
    lanes = {x.id: x.lane for x in bp.steps}
    parts = [_esc(s.text)]
    if s.actor:
        parts.append(f'<span class="kb-actor">{_esc(kb.label("actors", s.actor))}</span>')
    if s.timing:
        parts.append(f'<span class="kb-timing">{_esc(s.timing)}</span>')
    if s.basis == "udledt":
        parts.append('<span class="kb-basis">Udledt af redaktionen</span>')
    for target in s.handoff_to:
        lane = _esc(kb.label("blueprint_lanes", lanes[target]))
        parts.append(f'<a class="kb-handoff" href="#{_anchor(record_id, target)}">'
                     f"Overleveres til {lane.lower()}</a>")
    return f'<li id="{_anchor(record_id, s.id)}" class="kb-step kb-{s.basis}">{" ".join(parts)}</li>'


def _table(kb: KnowledgeBase, div: str, caption: str, corner: str, phases: list[str],
           rows: list[tuple[str, dict[str, list[str]]]]) -> str:
    """The grid both views share: one raw-HTML block (no blank line, so MyST keeps it whole).

    ``rows`` are (row header HTML, phase -> step <li> items); ``data-phase`` labels each cell
    for the stacked phone layout."""
    labels = {p: _esc(kb.label("blueprint_phases", p)) for p in phases}
    head = "".join(f'<th scope="col">{labels[p]}</th>' for p in phases)
    body = []
    for header, steps in rows:
        cells = "".join(f'<td data-phase="{labels[p]}">'
                        + (f"<ul>{''.join(steps[p])}</ul>" if steps.get(p) else "") + "</td>" for p in phases)
        body.append(f'<tr><th scope="row">{header}</th>{cells}</tr>')
    return (
        f"<div {div}>\n"
        f'<table class="kb-blueprint-grid"><caption>{caption}</caption>\n'
        f'<thead><tr><th scope="col">{corner}</th>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body) + "\n</tbody></table>\n</div>\n"
    )


def grid(kb: KnowledgeBase, r: Initiative) -> str:
    """The blueprint of ``r``: lanes as rows, phases as columns."""
    bp = r.blueprint
    phases = _used(kb, "blueprint_phases", {s.phase for s in bp.steps})
    rows = [
        (_esc(kb.label("blueprint_lanes", lane)),
         {p: [_step(kb, r.id, bp, s) for s in bp.steps if s.lane == lane and s.phase == p] for p in phases})
        for lane in _used(kb, "blueprint_lanes", {s.lane for s in bp.steps})
    ]
    caption = f"Service blueprint: {_esc(r.title)}. Baner som rækker, faser som kolonner."
    return _table(kb, f'class="kb-blueprint" id="blueprint-{r.id}"', caption, "Bane", phases, rows)


def blueprint_section(kb: KnowledgeBase, r: Initiative) -> str:
    """The "Forløbet" section of an initiative page, or nothing without a blueprint."""
    if r.blueprint is None:
        return ""
    bp = r.blueprint
    inferred = sum(s.basis == "udledt" for s in bp.steps)
    handoffs = sum(len(s.handoff_to) for s in bp.steps)
    intro = (f"{len(bp.steps)} trin, {plural(handoffs, 'overlevering', 'overleveringer')} mellem sektorer. "
             + (f"{inferred} trin er udledt af redaktionen og markeret; resten står i kilden.\n"
                if inferred else "Alle trin står i kilden.\n"))
    note = f"**Forbehold:** {md(bp.note)}\n" if bp.note else ""
    return f"## Forløbet\n\n{intro}\n{grid(kb, r)}\n{note}\n**Kilde:** {ref(bp.source)}\n"


# --- the chapters -------------------------------------------------------------


def blueprints_page(kb: KnowledgeBase) -> str:
    """Blueprints of the same intervention type side by side: rows are initiatives, columns phases."""
    with_bp = [r for r in kb.initiatives if r.blueprint]
    blocks = []
    for kind in kb.vocabularies["intervention_types"]:
        records = [r for r in with_bp if kind in r.intervention.types]
        if records:
            blocks.append(f"## {md(kb.label('intervention_types', kind))}\n\n{_side_by_side(kb, records)}")
    intro = (
        f"{plural(len(with_bp), 'indsats', 'indsatser')} har et service blueprint: forløbet fase for fase, "
        "fordelt på borger, "
        "hospital, kommune, almen praksis og støttesystemer. Her står indsatser af samme type side om side, "
        "så man kan se, hvor de adskiller sig: hvem der kommer, hvor hurtigt, og hvem der har ansvaret. "
        "Hele blueprintet står på hver indsats' side. Trin markeret *udledt* er redaktionens slutning.\n"
    )
    return page("blueprints", "Service blueprints", intro, *blocks)


def _side_by_side(kb: KnowledgeBase, records: list[Initiative]) -> str:
    phases = _used(kb, "blueprint_phases", {s.phase for r in records for s in r.blueprint.steps})
    rows = [
        (f'<a href="indsatser/{r.id}.html#blueprint-{r.id}">{_esc(r.title)}</a>',
         {p: [_compact_step(kb, s) for s in r.blueprint.steps if s.phase == p] for p in phases})
        for r in records
    ]
    return _table(kb, 'class="kb-blueprint kb-blueprint-compare"',
                  "Indsatser som rækker, faser som kolonner.", "Indsats", phases, rows)


def _compact_step(kb: KnowledgeBase, s: BlueprintStep) -> str:
    return (f'<li class="kb-step kb-{s.basis}"><span class="kb-lane">'
            f'{_esc(kb.label("blueprint_lanes", s.lane))}:</span> {_esc(s.text)}'
            + (f' <span class="kb-timing">{_esc(s.timing)}</span>' if s.timing else "")
            + (' <span class="kb-basis">Udledt</span>' if s.basis == "udledt" else "") + "</li>")


def strongest_design(kb: KnowledgeBase, rec: Recommendation) -> str | None:
    """The strongest evidence design among the results of the initiatives behind ``rec``."""
    by_id = kb.by_id()
    best = kb.strongest_design(res.design for i in rec.initiatives for res in by_id[i].results)
    return best.label if best else None


def recommendations_page(kb: KnowledgeBase) -> str:
    recs = kb.context.recommendations
    blocks = []
    for theme in kb.vocabularies["themes"]:
        items = [_recommendation(kb, rec) for rec in recs if rec.theme == theme]
        if items:
            blocks.append(f"## {md(kb.label('themes', theme))}\n\n" + "\n".join(items))
    linked = {i for rec in recs for i in rec.initiatives}
    intro = (
        f"{plural(len(recs), 'anbefaling', 'anbefalinger')} fra kilderne, ordnet efter tema. "
        f"{plural(len(linked), 'indsats', 'indsatser')} støtter "
        "mindst én af dem. Ved hver anbefaling står, hvem den retter sig til, hvilke indsatser der "
        "støtter den, og det stærkeste evidensdesign bag deres resultater.\n"
    )
    return page("anbefalinger", "Anbefalinger", intro, *blocks)


def _recommendation(kb: KnowledgeBase, rec: Recommendation) -> str:
    support = ", ".join(f"{{doc}}`/book/generated/indsatser/{i}`" for i in rec.initiatives)
    design = strongest_design(kb, rec)
    facts = [
        ("Slags", KINDS[rec.kind]),
        ("Retter sig til", ", ".join(ADDRESSEES[a] for a in rec.addresses)),
        ("Støttes af", support or "Ingen indsats i vidensbasen"),
        ("Stærkeste design bag", md(design) if design else "Ingen resultater"),
        ("Kilde", ref(rec.source)),
    ]
    lines = "".join(f"- **{k}:** {v}\n" for k, v in facts)
    return f"(anbefaling-{rec.id})=\n### {md(rec.text)}\n\n{lines}"


def recommendations_section(kb: KnowledgeBase, r: Initiative) -> str:
    """On an initiative page: the recommendations that cite it (the link back)."""
    recs = [rec for rec in kb.context.recommendations if r.id in rec.initiatives]
    if not recs:
        return ""
    items = "".join(f"- {{ref}}`anbefaling-{rec.id}` ({KINDS[rec.kind].lower()})\n" for rec in recs)
    return f"## Anbefalinger, der bygger på indsatsen\n\n{items}"
