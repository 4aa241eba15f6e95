"""Which initiatives concern a citizen in a given municipality, and why: the one rule behind the finder's
``kommune`` filter (mirrored in book/_static/kb-filter.js) and the municipality tables on the region pages.

An initiative concerns the municipality when it names it; when it names the municipality's cluster
(sundhedsklynge) and no municipality; when it names only the municipality's region (no cluster, no
municipality); or when it is national. Nothing else: an initiative that names other municipalities, or
another cluster, is for their citizens, not this one's.
"""

from __future__ import annotations

from .model import NATIONAL, Initiative, KnowledgeBase

REASONS = {  # why an initiative concerns the municipality -> how a page says it
    "kommune": "nævner kommunen",
    "klynge": "nævner kommunens klynge og ingen kommuner",
    "region": "gælder hele regionen (nævner hverken klynge eller kommuner)",
    "national": "national",
}


def reason(kb: KnowledgeBase, r: Initiative, municipality: str) -> str | None:
    """The key in REASONS why ``r`` concerns a citizen of ``municipality``, or None if it does not."""
    term = kb.vocabularies["municipalities"][municipality]
    if r.region == NATIONAL and not r.municipalities:
        return "national"
    if r.municipalities:
        return "kommune" if municipality in r.municipalities else None
    if r.cluster:
        return "klynge" if term.cluster is not None and r.cluster == term.cluster else None
    return "region" if r.region == term.region else None
