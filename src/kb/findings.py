"""A record's results in a few plain words, for lists where a reader scans many initiatives."""

from __future__ import annotations

from .load import KnowledgeBase
from .model import DIRECTIONS, Initiative, Result
from .text import number, quantity


def headline(kb: KnowledgeBase, r: Initiative) -> str:
    """The result to read first, in plain text: the one with the strongest design, one with a figure
    before one without, e.g. 'Genindlæggelser: forbedring, 7,9 % mod 17 % (n = 63)'. Empty when the
    sources give no result."""
    if not r.results:
        return ""
    designs = kb.vocabularies["evidence_designs"]
    best = max(r.results, key=lambda res: (designs[res.design].rank or 0, res.value is not None))
    outcome = kb.label("outcomes", best.outcome)
    if best.design == "ikke-maalt":
        return f"{outcome}: ikke målt"
    figures = _figures(kb, best)
    if best.direction == "uklart":  # a count or a claim: the figure, or that there is no direction
        return f"{outcome}: {figures or 'uden klar retning'}"
    return f"{outcome}: {DIRECTIONS[best.direction][0].lower()}" + (f", {figures}" if figures else "")


def _figures(kb: KnowledgeBase, res: Result) -> str:
    if res.value is None:
        return ""
    symbol = kb.vocabularies["units"][res.unit].symbol or ""
    text = quantity(res.value, symbol)
    if res.comparison and res.comparison.value is not None:
        text += f" mod {quantity(res.comparison.value, symbol)}"
    return text + (f" (n = {number(res.n)})" if res.n is not None else "")
