"""Effects computed from a result's own figures, never typed into a record.

Where a result gives two shares (``unit: procent``) or two counts of events, and the number in each group
(``n`` and ``comparison.n``), the absolute difference and the risk ratio with its 95 % confidence interval
follow from them. The ratio and its interval come from statsmodels' 2×2 table (the log method:
exp(ln RR ± 1.96·√(1/a − 1/n1 + 1/c − 1/n2))). From shares, the events are n × share / 100 rounded half
up, and the page says the interval is computed from rounded counts. The page shows the result beside the
source's own figures and estimate, marked "beregnet ud fra kildens tal", never in their place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .model import EXPECTATION, NOT_STATED, Result
from .text import number

COUNTS = "antal"  # the unit of a count of events
# A figure for a whole population, or none, is no group beside the result's: an interval would suggest one.
NOT_A_GROUP = ("befolkning", "ingen")
SHARES = "procent"  # the unit of a share of the group, in percent


@dataclass(frozen=True)
class Effect:
    """What the source's figures give: events and group sizes, the difference in percentage points,
    and the risk ratio with its 95 % interval (None with ``why`` when it cannot be computed)."""

    events: int  # in the result's group (a)
    n: int  # n1
    comparison_events: int  # c
    comparison_n: int  # n2
    difference: float  # percentage points, the result's group minus the comparison
    rounded: bool  # the events are rounded from shares
    ratio: float | None = None
    low: float | None = None
    high: float | None = None
    why: str = ""  # why there is no ratio


def events_from_share(n: int, share: float) -> int:
    """round(n × share / 100), half up (Python's round() would round 64.5 to 64)."""
    return math.floor(n * share / 100 + 0.5)


def compute(res: Result) -> Effect | None:
    """The effect the result's figures give, or None when they do not give one (no two figures, no n in
    each group, an expectation, a comparison with a population figure, or figures that are not shares or
    counts of events)."""
    c = res.comparison
    if res.kind == EXPECTATION or c is None or res.group_sizes == NOT_STATED or c.kind in NOT_A_GROUP:
        return None
    if None in (res.value, c.value, res.n, c.n) or 0 in (res.n, c.n):
        return None
    n1, n2 = res.n, c.n
    if res.unit == SHARES:
        a, cc = events_from_share(n1, res.value), events_from_share(n2, c.value)
        difference, rounded = res.value - c.value, True
    elif res.unit == COUNTS and res.denominator not in (None, NOT_STATED):
        if not (float(res.value).is_integer() and float(c.value).is_integer()) or res.value > n1 or c.value > n2:
            return None  # more events than people: a count of events per person, not of people with one
        a, cc = int(res.value), int(c.value)
        difference, rounded = 100 * (a / n1 - cc / n2), False
    else:
        return None
    effect = Effect(a, n1, cc, n2, difference, rounded)
    if a == 0 or cc == 0:
        group = "begge grupper" if a == cc == 0 else "interventionsgruppen" if a == 0 else "sammenligningsgruppen"
        return replace(effect, why=f"ingen hændelser i {group}, så risikoratioen og dens interval kan ikke "
                                 "beregnes (man kan ikke dividere med eller tage logaritmen af 0)")
    from statsmodels.stats.contingency_tables import Table2x2  # imported on use: validation never needs it

    table = Table2x2([[a, n1 - a], [cc, n2 - cc]], shift_zeros=False)
    low, high = table.riskratio_confint(alpha=0.05, method="normal")
    return replace(effect, ratio=float(table.riskratio), low=float(low), high=float(high))


def _decimals(value: float, places: int) -> str:
    return number(round(value, places))


def wording(effect: Effect) -> str:
    """E.g. 'forskel 1 procentpoint; risikoratio 1,05 (95 % CI 0,77–1,42) – 65 af 270 mod 60 af 261;
    antallene er afrundet fra procenterne, og intervallet er regnet på de afrundede antal'."""
    points = _decimals(effect.difference, 1)
    parts = [f"forskel {'+' if effect.difference > 0 else ''}{points} procentpoint"]
    if effect.ratio is not None:
        parts.append(f"risikoratio {_decimals(effect.ratio, 2)} (95 % CI {_decimals(effect.low, 2)}–"
                     f"{_decimals(effect.high, 2)})")
    else:
        parts.append(f"ingen risikoratio: {effect.why}")
    counts = (f"{number(effect.events)} af {number(effect.n)} mod {number(effect.comparison_events)} af "
              f"{number(effect.comparison_n)}")
    if effect.rounded:
        counts += "; antallene er afrundet fra kildens procenter, og intervallet er regnet på de afrundede antal"
    return "; ".join(parts) + f" – {counts}"
