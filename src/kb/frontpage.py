"""The front page's key findings, counted from the records at build time.

book/index.md is hand-written and includes the fragment ``noegletal.md`` written here, so no
number on the front page is typed by hand. Every count links to the finder filtered to exactly the
initiatives it counts: each is counted by ``kb.counts.initiatives_with``, the definition the finder's
filter uses. The fragment is only ever included from book/index.md, so its raw links are relative to
that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import layout
from .counts import designs, initiatives_with, outcomes
from .html import inline
from .international import gap_finding
from .model import NOT_MEASURED, REACH, KnowledgeBase
from .text import lower_first, number

FINDER = layout.FINDER.url(layout.FRONT)  # the fragment is included from the front page


@dataclass(frozen=True)
class KeyFigures:
    initiatives: int
    measured: int  # with a measured result on an effect (kb.counts.found: 'maalt')
    not_measured: int  # with none ('ikke-maalt')
    improved: int  # with a measured result on an effect showing an improvement
    no_difference: int  # with one showing no difference
    designs: tuple[tuple[str, int], ...]  # the two strongest designs in use -> initiatives with one
    outcomes: tuple[tuple[str, int], ...]  # the three outcomes (not reach) most initiatives have results on


def key_figures(kb: KnowledgeBase) -> KeyFigures:
    records = kb.initiatives

    def count(name: str, value: str) -> int:
        return len(initiatives_with(kb, name, value))
    ranks = kb.vocabularies["evidence_designs"]
    used = sorted({d for r in records for d in designs(r) if d != NOT_MEASURED},
                  key=lambda d: (-(ranks[d].rank or 0), d))
    named = {o for r in records for o in outcomes(r) if o != REACH}
    return KeyFigures(
        initiatives=len(records),
        measured=count("fund", "maalt"),
        not_measured=count("fund", "ikke-maalt"),
        improved=count("fund", "forbedring"),
        no_difference=count("fund", "ingen-forskel"),
        designs=tuple((d, count("design", d)) for d in used[:2]),
        outcomes=tuple(sorted(((o, count("udfald", o)) for o in named), key=lambda x: (-x[1], x[0]))[:3]),
    )


def _finder(name: str, value: str, text: str) -> str:
    """A link to the finder keeping exactly what the count in ``text`` counts (no filter: all)."""
    return inline("link", href=f"{FINDER}?{name}={value}" if name else FINDER, text=text)


def _indsatser(count: int) -> str:
    return f"{number(count)} {'indsats' if count == 1 else 'indsatser'}"


def key_findings_page(kb: KnowledgeBase) -> str:
    """The key findings as a MyST list, for ``{include}`` in book/index.md."""
    f = key_figures(kb)
    lines = [
        f"**{_finder('', '', _indsatser(f.initiatives))}** er samlet her. Effekten er målt, helt eller delvist, "
        f"for **{_finder('fund', 'maalt', f'{number(f.measured)} af dem')}**; for de øvrige "
        f"**{_finder('fund', 'ikke-maalt', number(f.not_measured))}** er den ikke målt, eller målingen afventer "
        f"({layout.analysis('datahuller').link}).",
    ]
    if f.measured:
        lines.append(
            f"Af de {number(f.measured)} indsatser med målt effekt viser "
            f"**{_finder('fund', 'forbedring', f'{number(f.improved)} en forbedring')}** og "
            f"**{_finder('fund', 'ingen-forskel', f'{number(f.no_difference)} ingen forskel')}** på mindst ét "
            f"udfald ({layout.analysis('effekter').link})."
        )
    if f.designs:
        designs = [_finder("design", d, f"{lower_first(kb.label('evidence_designs', d))} i {_indsatser(n)}")
                   for d, n in f.designs]
        lines.append("Stærkeste design: " + "; ".join(designs) + ".")
    if f.outcomes:
        named = [_finder("udfald", o, f"{lower_first(kb.label('outcomes', o))} ({_indsatser(n)})")
                 for o, n in f.outcomes]
        lines.append("Flest indsatser har resultater, målt eller ej, om " + ", ".join(named)
                     + f" ({layout.analysis('evidenskort').link}).")
    lines += gap_finding(kb)
    return "".join(f"- {line}\n" for line in lines)
