"""International evidence beside the Danish results: which pooled estimates of the systematic reviews
(data/reviews/) belong to an intervention type or to an initiative's result, when the two can be compared,
and how an estimate reads in plain Danish.

Pure functions over the validated model; kb.pages places what they return. The rules, each in one place:

- A review belongs to a type when its ``intervention.types`` names the type.
- An estimate matches a result when it is on the same outcome and its review shares a type with the
  initiative (``matches``); the comparable ones come first.
- Two windows are comparable when both are given in days and some pair lies within ``WINDOW_TOLERANCE``
  days of each other (``comparable_window``).
- A local effect lies far outside a pooled one when the local risk ratio's own 95 % interval does not
  overlap the pooled interval (``far_outside``); only a pooled risk ratio is set beside a local one.
- A ratio is read as "X % lavere/højere" only as what it is a ratio of: risk (RR), rate (IRR), odds (OR),
  hazard (HR); an interval that holds 1 (or 0 for a difference) reads "ingen sikker forskel".
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .effects import Effect, compute
from .findings import days_text
from .model import (
    CERTAINTY,
    EXPECTATION,
    NOT_MEASURED,
    NOT_STATED,
    RATIOS,
    WINDOW_AFTER,
    Initiative,
    KnowledgeBase,
    PooledEstimate,
    Result,
    SystematicReview,
    Window,
)
from .text import lower_first, number, plural

WINDOW_TOLERANCE = 7  # days: 28 and 30 days count as one window, 30 and 90 do not
RCT = "rct"  # the design of a randomised trial, the kind of study the pooled estimates mostly rest on
# What a ratio is a ratio of, as the reader is told: "18 % lavere risiko"
RATIO_OF = {"RR": "risiko", "IRR": "rate", "OR": "odds", "HR": "hazard"}
LEGEND = {  # what the reader is told each measure is, under the box
    "RR": "relativ risiko", "IRR": "rate-ratio (hændelser pr. tid)",
    "OR": "odds ratio (odds er ikke det samme som risiko; ved hyppige hændelser overdriver den forskellen)",
    "HR": "hazard ratio (risiko pr. tidsenhed)", "MD": "middelforskel i udfaldets enhed",
    "SMD": "standardiseret middelforskel (uden enhed)", "RD": "risikoforskel",
}
DIFFERENCES = {"MD": "middelforskel", "SMD": "standardiseret middelforskel", "RD": "risikoforskel"}


@dataclass(frozen=True)
class Match:
    review: SystematicReview
    estimate: PooledEstimate


# --- which estimates belong where ---------------------------------------------------------------


def reviews_of_type(kb: KnowledgeBase, kind: str) -> list[SystematicReview]:
    return sorted((r for r in kb.reviews if kind in r.intervention.types), key=lambda r: r.id)


def window_days(window: Window | None) -> tuple[int, ...]:
    """The window's days, () when it gives none."""
    if window is None or window.days == NOT_STATED:
        return ()
    return (window.days,) if isinstance(window.days, int) else tuple(window.days)


def comparable_window(local: Window | None, pooled: Window | None) -> bool:
    """Both windows in days, and some day count of one within WINDOW_TOLERANCE days of one of the other."""
    return any(abs(a - b) <= WINDOW_TOLERANCE for a in window_days(local) for b in window_days(pooled))


def matches(kb: KnowledgeBase, r: Initiative, res: Result) -> list[Match]:
    """The estimates on the result's outcome from the reviews that share a type with the initiative:
    comparable windows first, then the estimates resting on more trials."""
    if res.kind == EXPECTATION:
        return []
    shared = [review for review in kb.reviews if set(review.intervention.types) & set(r.intervention.types)]
    found = [Match(review, est) for review in shared for est in review.estimates if est.outcome == res.outcome]
    return sorted(found, key=lambda m: (not comparable_window(res.window, m.estimate.window),
                                        -(m.estimate.trials or 0), m.review.id))


def finds_effect(estimate: PooledEstimate) -> bool:
    """Whether the pooled 95 % interval leaves out no difference (1 for a ratio, 0 for a difference)."""
    none = 1 if estimate.measure in RATIOS else 0
    return estimate.high < none or estimate.low > none


def far_outside(effect: Effect | None, estimate: PooledEstimate) -> bool:
    """The local risk ratio's 95 % interval and the pooled risk ratio's do not overlap."""
    if effect is None or effect.ratio is None or estimate.measure != "RR":
        return False
    return effect.high < estimate.low or effect.low > estimate.high


# --- wording ------------------------------------------------------------------------------------


def _percent(ratio: float) -> str:
    """|1 - ratio| in whole percent, half up: 0.82 -> '18'."""
    return number(math.floor(abs(1 - ratio) * 100 + 0.5))


def figure(value: float) -> str:
    """A ratio or difference as reviews print it: at least two decimals (0,70, not 0,7), more where the
    record has them, and a minus sign that is not a hyphen: 0.7 -> '0,70'; -0.125 -> '−0,125'."""
    whole, _, decimals = number(value).partition(",")
    return f"{whole},{decimals.ljust(2, '0')}".replace("-", "−")


def interval(low: float, high: float) -> str:
    """'0,73–0,91'; with a negative bound '−1,33 til −0,12', where a dash would read as a minus."""
    return f"{figure(low)}{' til ' if low < 0 else '–'}{figure(high)}"


def effect_text(kb: KnowledgeBase, est: PooledEstimate) -> str:
    """What the estimate says, e.g. '18 % lavere risiko (RR 0,82; 95 % CI 0,73–0,91)'."""
    figures = f"({est.measure} {figure(est.value)}; 95 % CI {interval(est.low, est.high)})"
    if not finds_effect(est):
        return f"ingen sikker forskel {figures}"
    if est.measure in RATIOS:
        way = "lavere" if est.value < 1 else "højere"
        return f"{_percent(est.value)} % {way} {RATIO_OF[est.measure]} {figures}"
    unit = f" {kb.vocabularies['units'][est.unit].symbol}" if est.unit else ""
    missing = "; enheden står ikke i vidensbasen" if est.measure == "MD" and not est.unit else ""
    figures = f"({est.measure}; 95 % CI {interval(est.low, est.high)})"
    return f"{DIFFERENCES[est.measure]} {figure(est.value)}{unit} {figures}{missing}"


def window_text(window: Window | None) -> str:
    """'inden for 30 dage efter udskrivelsen'; the source's words when it gives no days."""
    if window is None:
        return "tidsvindue ikke oplyst"
    if window.days == NOT_STATED:
        return window.text or "tidsvindue ikke oplyst"
    return f"inden for {days_text(window.days)} dage {WINDOW_AFTER[window.after][0]}"


def estimate_text(kb: KnowledgeBase, est: PooledEstimate) -> str:
    """One estimate in a line: 'Genindlæggelser inden for 30 dage efter udskrivelsen: 18 % lavere risiko
    (RR 0,82; 95 % CI 0,73–0,91), 42 forsøg'."""
    head = kb.label("outcomes", est.outcome)
    if est.group:
        head += f" ({est.group})"
    window = window_text(est.window)
    head += f" {window}" if window.startswith("inden for") else f", {lower_first(window)}"
    size = ""
    if est.trials:
        size = ", " + plural(est.trials, "forsøg", "forsøg")
        if est.participants:
            size += f" med {plural(est.participants, 'deltager', 'deltagere')}"
    return f"{head}: {effect_text(kb, est)}{size}"


def legend(estimates: list[PooledEstimate]) -> str:
    """What the measures among ``estimates`` are, in the order of LEGEND: 'RR: relativ risiko; …'."""
    used = {est.measure for est in estimates}
    return "; ".join(f"{m}: {meaning}" for m, meaning in LEGEND.items() if m in used)


def certainty_text(est: PooledEstimate) -> str:
    return f"Sikkerhed (GRADE): {CERTAINTY[est.certainty]}" if est.certainty else "Sikkerhed (GRADE): ikke angivet"


# --- an initiative's result beside the pooled estimate -------------------------------------------


def warnings(kb: KnowledgeBase, r: Initiative, res: Result, match: Match) -> list[str]:
    """Why the result and the estimate cannot be set side by side, in plain words; [] when they can."""
    est, found = match.estimate, []
    if match.review.diagnoses and not set(match.review.diagnoses) & set(r.target_group.diagnoses):
        names = " og ".join(lower_first(kb.label("diagnoses", d)) for d in match.review.diagnoses)
        found.append(f"oversigten gælder kun patienter med {names}")
    if res.design == NOT_MEASURED:  # no figure here: the window and the design have nothing to differ from
        return ["effekten er ikke målt her", *found]
    if not comparable_window(res.window, est.window):
        found.append(f"tidsvinduet er et andet (her: {window_text(res.window)}; i oversigten: "
                     f"{window_text(est.window)})")
    if res.design != RCT:
        found.append(f"resultatet her er ikke fra et randomiseret forsøg, men "
                     f"'{lower_first(kb.label('evidence_designs', res.design))}'")
    effect = compute(res)
    if far_outside(effect, est):
        found.append(f"den beregnede {_local_ratio(effect)} ligger langt uden for oversigtens interval: de to "
                     "intervaller overlapper ikke")
    return found


def _local_ratio(effect: Effect) -> str:
    return (f"risikoratio her ({number(round(effect.ratio, 2))}; 95 % CI {number(round(effect.low, 2))}–"
            f"{number(round(effect.high, 2))})")


def overlap_text(res: Result, est: PooledEstimate) -> str:
    """'den beregnede risikoratio her (…) overlapper oversigtens interval' where a local risk ratio and a
    pooled one can be set side by side and are not far apart; else ''."""
    effect = compute(res)
    if effect is None or effect.ratio is None or est.measure != "RR" or far_outside(effect, est):
        return ""
    return f"den beregnede {_local_ratio(effect)} overlapper oversigtens interval"


# --- the Danish records of a type beside a pooled estimate ---------------------------------------


def danish_text(kb: KnowledgeBase, kind: str, est: PooledEstimate) -> str:
    """How the Danish records of the type measure the estimate's outcome: how many results, how many in
    a comparable window, from which designs, and how many local risk ratios lie far outside."""
    results = [(r, res) for r in kb.initiatives if kind in r.intervention.types for res in r.reported
               if res.outcome == est.outcome]
    outcome = lower_first(kb.label("outcomes", est.outcome))
    if not results:
        return f"Ingen dansk indsats af denne type i vidensbasen har et resultat om {outcome}."
    records = len({r.id for r, _ in results})
    text = (f"Danske indsatser af typen: {plural(len(results), 'resultat', 'resultater')} om {outcome} fra "
            f"{plural(records, 'indsats', 'indsatser')}; ")
    same = sum(comparable_window(res.window, est.window) for _, res in results)
    text += (f"{number(same)} med et sammenligneligt tidsvindue" if same
             else "ingen med et sammenligneligt tidsvindue")
    designs = Counter(kb.label("evidence_designs", res.design) for _, res in results)
    text += "; design: " + ", ".join(f"{lower_first(d)} ({number(n)})" for d, n in sorted(designs.items()))
    far = sum(far_outside(compute(res), est) for _, res in results)
    if far:
        text += (f"; {number(far)} beregnet risikoratio ligger langt uden for oversigtens interval" if far == 1
                 else f"; {number(far)} beregnede risikoratioer ligger langt uden for oversigtens interval")
    return text + "."
