"""The front page's key findings, counted from the records at build time.

book/index.md is hand-written and includes the fragment ``noegletal.md`` written here, so no
number on the front page is typed by hand. Each finding links to where a reader can check it:
an analysis page or the finder with the matching filter. The fragment is only ever included
from book/index.md, so its raw links are relative to that page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from . import layout
from .html import inline
from .international import gap_finding
from .model import Initiative, KnowledgeBase
from .text import lower_first, md, number

MEASURED = ("ja", "delvist")  # effect_measured values that mean some effect was measured
NOT_MEASURED = "ikke-maalt"  # the design of a result the source says was not measured
FINDER = layout.FINDER.url(layout.FRONT)  # the fragment is included from the front page


@dataclass(frozen=True)
class KeyFigures:
    initiatives: int
    measured: int  # effect measured, fully or partly
    improved: int  # of those, with at least one result showing an improvement
    no_difference: int  # of those, with at least one result showing no difference
    designs: tuple[tuple[str, int], ...]  # the two strongest designs in use -> initiatives with one
    outcomes: tuple[tuple[str, int], ...]  # the three outcomes most initiatives have measured


def key_figures(kb: KnowledgeBase) -> KeyFigures:
    records = kb.initiatives
    measured = [r for r in records if r.measurement.effect_measured in MEASURED]
    ranks = kb.vocabularies["evidence_designs"]
    used = sorted({res.design for r in records for res in r.results if res.design != NOT_MEASURED},
                  key=lambda d: (-(ranks[d].rank or 0), d))
    outcomes = Counter(o for r in records
                       for o in {res.outcome for res in r.effects if res.design != NOT_MEASURED})
    return KeyFigures(
        initiatives=len(records),
        measured=len(measured),
        improved=sum(_has(r, "bedre") for r in measured),
        no_difference=sum(_has(r, "ingen-forskel") for r in measured),
        designs=tuple((d, sum(any(res.design == d for res in r.results) for r in records)) for d in used[:2]),
        outcomes=tuple(sorted(outcomes.items(), key=lambda item: (-item[1], item[0]))[:3]),
    )


def _has(r: Initiative, direction: str) -> bool:
    return any(res.direction == direction for res in r.effects)


def _finder(name: str, value: str, text: str) -> str:
    return inline("link", href=f"{FINDER}?{name}={value}", text=text)


def _indsatser(count: int) -> str:
    return f"{number(count)} {'indsats' if count == 1 else 'indsatser'}"


def key_findings_page(kb: KnowledgeBase) -> str:
    """The key findings as a MyST list, for ``{include}`` in book/index.md."""
    f = key_figures(kb)
    lines = [
        f"**{_indsatser(f.initiatives)}** er samlet her. Effekten er målt, helt eller delvist, for "
        f"**{number(f.measured)}** af dem; for de øvrige {number(f.initiatives - f.measured)} er den ikke "
        f"målt, eller målingen afventer ({layout.analysis('datahuller').link}).",
    ]
    if f.measured:
        lines.append(
            f"Af de {number(f.measured)} indsatser med målt effekt angiver **{number(f.improved)}** en "
            f"forbedring og **{number(f.no_difference)}** ingen forskel på mindst ét udfald "
            f"({layout.analysis('effekter').link})."
        )
    if f.designs:
        designs = [_finder("design", d, lower_first(kb.label("evidence_designs", d))) + f" i {_indsatser(n)}"
                   for d, n in f.designs]
        lines.append("Stærkeste design: " + "; ".join(designs) + ".")
    if f.outcomes:
        # Counted from measured results only; the finder's filter also keeps "not measured" ones.
        outcomes = [f"{md(kb.label('outcomes', o))} ({_indsatser(n)})" for o, n in f.outcomes]
        lines.append("Oftest målte udfald: " + ", ".join(outcomes)
                     + f" ({layout.analysis('evidenskort').link}).")
    lines += gap_finding(kb)
    return "".join(f"- {line}\n" for line in lines)
