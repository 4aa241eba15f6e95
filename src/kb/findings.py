"""A record's results in a few plain, honest words: for its summary, its lists and the finder.

One helper words every effect (``effect``): a design of rank 1 or higher is a measurement ("Målt:
ingen forskel (sammenligning med kontrolgruppe)"); a lower one is only stated or assessed ("Angivet:
forbedring (design ikke oplyst)"), so a null result or an unquantified claim never reads as a measured
success. An expectation ("Forventning (ikke målt)") is shown as one and counts nowhere as a result; a count
of participants or reach ("Optælling, ikke en effekt") is shown, but only effect results (``Initiative.effects``)
make the flags, the verdict and the results to read first.
The headline result (``headline_result``: the strongest design, a figure before none) is the one rule for a
record in brief: its summary's first result and badge, its line in lists, its finder card and what the
recommendations call the strongest design behind them. A flag never contradicts it: the validator refuses
'nej' to effect_measured beside a measured effect result (``kb.loader``).
All text here is plain: pages pass it through ``md()``, HTML through the autoescaped templates of ``kb.html``.
"""

from __future__ import annotations

from .model import (
    ADJUSTED,
    COMPARISON_KINDS,
    DATA_SOURCES,
    DENOMINATORS,
    DIRECTIONS,
    EVENTS,
    EXPECTATION,
    MEASURED,
    NOT_STATED,
    NOT_STATED_LABEL,
    REACH,
    RESULT_KINDS,
    WINDOW_AFTER,
    Initiative,
    KnowledgeBase,
    Result,
    VocabTerm,
)
from .text import lower_first, number, quantity

FLAGS = {  # flag -> (label, the rule, as the method page states it)
    "kun-omtalt": ("Kun omtalt", "posten har ingen resultater om en effekt (højst forventninger og tal for, "
                                 "hvor mange der er nået), og effekten er ikke målt ('nej'): kilderne omtaler "
                                 "indsatsen uden at gengive en effekt"),
    "ikke-maalt": ("Ikke målt", "posten angiver, at effekten ikke er målt ('nej')"),
    "afventer": ("Resultater afventer", "posten angiver, at resultaterne ikke var offentlige, da kilden blev "
                                        "skrevet ('afventer')"),
}


def flags(r: Initiative) -> list[str]:
    """The record's flags (keys of FLAGS), computed from its fields alone."""
    measured = r.measurement.effect_measured
    found = ["kun-omtalt"] if measured == "nej" and not r.effects else []
    return found + (["ikke-maalt"] if measured == "nej" else ["afventer"] if measured == "afventer" else [])


def effect(kb: KnowledgeBase, design: str, directions: list[str]) -> str:
    """How results of one design went, e.g. 'Målt: ingen forskel (sammenligning med kontrolgruppe)'."""
    if design == "ikke-maalt":
        return "Ikke målt"
    term = kb.vocabularies["evidence_designs"][design]
    clear = [DIRECTIONS[d][0].lower() for d in DIRECTIONS if d != "uklart" and d in directions]
    how = "Målt" if (term.rank or 0) >= MEASURED else "Angivet"
    return f"{how}: {', '.join(clear) or 'uden klar retning'} ({lower_first(term.label)})"


REACH_FINDING = "Optælling, ikke en effekt"  # how a result on reach reads: a count, with no direction


def finding(kb: KnowledgeBase, res: Result) -> str:
    if res.kind == EXPECTATION:
        return RESULT_KINDS[EXPECTATION][0]
    if res.outcome == REACH:
        return REACH_FINDING
    return effect(kb, res.design, [res.direction])


def verdict(kb: KnowledgeBase, r: Initiative) -> str:
    """The record's effect in one phrase: the wording of its effect results of the headline's design.
    Empty without effect results (the flags then say it)."""
    best = headline_design(kb, r)
    if best is None:
        return ""
    return effect(kb, best.id, [res.direction for res in r.effects if res.design == best.id])


def key_results(kb: KnowledgeBase, r: Initiative, limit: int = 3) -> list[Result]:
    """The results to read first: strongest design first, one with a figure before one without, else in
    the record's order; when any is measured, only measured ones; only effect results (never an
    expectation or a count of reach)."""
    designs = kb.vocabularies["evidence_designs"]

    def rank(res: Result) -> int:
        return designs[res.design].rank or 0
    ordered = sorted(r.effects, key=lambda res: (rank(res), res.value is not None), reverse=True)
    if ordered and rank(ordered[0]) >= MEASURED:
        ordered = [res for res in ordered if rank(res) >= MEASURED]
    return ordered[:limit]


def headline_result(kb: KnowledgeBase, r: Initiative) -> Result | None:
    """The headline result: the one with the strongest evidence behind it (the first of ``key_results``).
    Every page that shows a record's result or badge in brief shows this one; None without effect results."""
    first = key_results(kb, r, limit=1)
    return first[0] if first else None


def headline_design(kb: KnowledgeBase, r: Initiative) -> VocabTerm | None:
    """The design of the headline result: what the record's evidence badge says."""
    res = headline_result(kb, r)
    return kb.vocabularies["evidence_designs"][res.design] if res else None


def result_line(kb: KnowledgeBase, res: Result) -> str:
    """A result in one line, with its window, figures, group sizes and kind of comparison where it has
    them, e.g. 'Genindlæggelser, 30 dage: 7,9 % mod 17 % (n = 63 mod 60, historisk sammenligning) –
    målt: forbedring (registertal uden justering)'."""
    window = window_label(res)
    head = kb.label("outcomes", res.outcome) + (f", {window}" if window else "")
    c = res.comparison
    sizes = f"n = {number(res.n)}" if res.n is not None else ""
    sizes += f" mod {number(c.n)}" if sizes and c and c.n is not None else ""
    details = ", ".join(x for x in (sizes, COMPARISON_KINDS[c.kind][0] if c and c.kind else "") if x)
    figures = _figures(kb, res)
    head = f"{head}: {figures}" if figures else head
    wording = lower_first(finding(kb, res))
    return f"{head} ({details}) – {wording}" if details else f"{head} – {wording}"


def headline(kb: KnowledgeBase, r: Initiative) -> str:
    """The headline result in one plain line. Empty when the sources give no result on an effect."""
    res = headline_result(kb, r)
    return result_line(kb, res) if res else ""


def _figures(kb: KnowledgeBase, res: Result) -> str:
    """The result's figure beside its comparison's, e.g. '7,9 % mod 17 %'."""
    if res.value is None:
        return ""
    symbol = kb.vocabularies["units"][res.unit].symbol or ""
    text = quantity(res.value, symbol)
    if res.comparison and res.comparison.value is not None:
        text += f" mod {quantity(res.comparison.value, symbol)}"
    return text


def comparability(res: Result) -> str:
    """What makes a result comparable, in one line: e.g. '30 dage efter udskrivelsen · alle tæller, uanset
    årsag · randomiseret, 270 mod 261 patienter · registerdata · ikke justeret'. Empty when the result
    states none of its window, events, denominator, data source and adjustment; a field the source leaves
    open reads 'ikke oplyst i kilden'."""
    c = res.comparison
    if not any([res.window, res.events, res.denominator, res.data_source, res.adjusted]):
        return ""  # not a result on admissions or mortality (a comparison's kind alone shows beside it)
    parts = []
    if res.window:
        w = res.window
        if w.days == NOT_STATED:
            window = f"tidsvindue {NOT_STATED_LABEL}"
            if w.after != NOT_STATED:
                window += f" (regnet {WINDOW_AFTER[w.after][0]})"
        else:
            window = f"{days_text(w.days)} dage {WINDOW_AFTER[w.after][0]}"
        parts.append(window + (f", i kildens ord: {w.text}" if w.text else ""))
    if res.events:
        parts.append(EVENTS[res.events][0])
    kind = COMPARISON_KINDS[c.kind][0] if c and c.kind else f"sammenligning {NOT_STATED_LABEL}"
    parts.append(f"{kind}, {_group_sizes(res)}")
    if res.data_source:
        parts.append(DATA_SOURCES[res.data_source][0])
    if res.adjusted:
        parts.append(ADJUSTED[res.adjusted][0])
    return " · ".join(parts)


def window_label(res: Result) -> str | None:
    """The window in a few words, for grouping results: '30 dage', '30 og 90 dage', 'tidsvindue ikke oplyst
    i kilden'; None for a result that states no window (not one on admissions or mortality)."""
    if res.window is None:
        return None
    days = res.window.days
    return f"tidsvindue {NOT_STATED_LABEL}" if days == NOT_STATED else f"{days_text(days)} dage"


def days_text(days: int | list[int]) -> str:
    """30 -> '30'; [30, 84] -> '30 og 84'; [7, 30, 90] -> '7, 30 og 90'."""
    shown = [number(d) for d in ([days] if isinstance(days, int) else days)]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} og {shown[-1]}"


def _group_sizes(res: Result) -> str:
    """E.g. '270 mod 261 patienter', 'n = 63 patienter (antal i hver gruppe ikke oplyst i kilden)'."""
    c = res.comparison
    unit = DENOMINATORS[res.denominator][0] if res.denominator not in (None, NOT_STATED) else ""
    if res.n is not None and c is not None and c.n is not None:
        sizes = f"{number(res.n)} mod {number(c.n)}"
    elif res.n is not None:
        sizes = f"n = {number(res.n)}"
    else:
        sizes = ""
    sizes = f"{sizes} {unit}" if sizes and unit else sizes
    if res.n is None or c is None or c.n is None:
        if res.group_sizes == NOT_STATED or res.n is None:
            missing = f"antal i hver gruppe {NOT_STATED_LABEL}"
        else:
            missing = "" if c and c.kind == "ingen" else f"sammenligningsgruppens antal {NOT_STATED_LABEL}"
        if res.n is None and unit:
            missing += f" (tal pr. {'patient' if res.denominator == 'patienter' else 'indlæggelse'})"
        sizes = f"{sizes} ({missing})" if sizes and missing else sizes or missing
    if res.denominator in (None, NOT_STATED):
        sizes += f"; {DENOMINATORS[NOT_STATED][0]}"
    return sizes
