"""The Danish results beside what international systematic reviews find (issue 27, items 4 and 5).

``gaps()`` is the one definition of the gap that matters: a cell of the evidence map (intervention type ×
outcome) where a review of that type finds an effect (its pooled 95 % interval leaves out "no difference")
while no Danish initiative of the type has measured the outcome (no result with a design of rank MEASURED
or above). The evidence map draws and names these cells, and the front page counts them.

``map_cells()`` and ``map_table()`` give the evidence map its cells and the table a phone reads in its
place; ``forest()``, ``forest_chart()`` and ``forest_table()`` give the analysis "Dansk og international"
its rows, one figure per outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import layout
from .counts import measured_effects
from .effects import NOT_A_GROUP, SHARES
from .html import inline, render
from .model import MEASURED, RATIOS, KnowledgeBase, PooledEstimate, SystematicReview
from .reviews import figure, finds_effect, interval
from .text import lower_first, md, number

if TYPE_CHECKING:  # pandas and altair are imported on use: the front page needs only gaps()
    import altair as alt
    import pandas as pd

    from .frames import Frames

# The states of a map cell, in the order the phone's table lists them.
STATES = {
    "maalt": "Målt",
    "angivet": "Kun angivet eller vurderet, ikke målt",
    "hul": "International effekt, ikke målt i Danmark",
    "intet": "Intet resultat",
}
NO_WINDOW = "tidsvindue ikke oplyst i kilden"
DANISH, DANISH_NO_INTERVAL, POOLED = (
    "Dansk, beregnet med 95 % CI", "Dansk, uden interval", "International oversigt, 95 % CI")


@dataclass(frozen=True)
class Gap:
    """An intervention type × outcome that reviews find an effect on and no Danish initiative measured."""

    type: str
    outcome: str
    evidence: tuple[tuple[SystematicReview, PooledEstimate], ...]  # the estimates that find the effect


def measured(kb: KnowledgeBase) -> set[tuple[str, str]]:
    """The (intervention type, outcome) pairs a Danish initiative has measured (kb.counts' definition)."""
    return {(t, res.outcome) for r in kb.initiatives for res in measured_effects(kb, r)
            for t in r.intervention.types}


def gaps(kb: KnowledgeBase) -> list[Gap]:
    """The gaps that matter, in the vocabularies' order of types, then outcomes."""
    done, found = measured(kb), {}
    for review in kb.reviews:
        for estimate in filter(finds_effect, review.estimates):
            for kind in review.intervention.types:
                if (kind, estimate.outcome) not in done:
                    found.setdefault((kind, estimate.outcome), []).append((review, estimate))
    types, outcomes = (list(kb.vocabularies[v]) for v in ("intervention_types", "outcomes"))
    return [Gap(t, o, tuple(found[t, o]))
            for t, o in sorted(found, key=lambda cell: (types.index(cell[0]), outcomes.index(cell[1])))]


def gap_finding(kb: KnowledgeBase) -> list[str]:
    """The front page's line on the gaps (none while no review finds an effect), linking to the map."""
    if not any(map(finds_effect, (e for r in kb.reviews for e in r.estimates))):
        return []
    count = len(gaps(kb))
    return [f"For **{number(count) if count else 'ingen'}** {'kombination' if count == 1 else 'kombinationer'} af "
            "indsatstype og udfald finder international forskning en effekt, som ingen dansk indsats af samme "
            f"type har målt ({layout.analysis('evidenskort').link})."]


def citation(review: SystematicReview, kb: KnowledgeBase) -> str:
    """'Leppin m.fl. 2014', 'Van Spall m.fl. 2017', 'Ellis m.fl. 2017' (written 'Ellis G'); a review
    whose document names no authors goes by its own title."""
    doc = kb.documents[review.document]
    if not doc.authors:
        return review.title
    words = doc.authors[0].split()
    if len(words) > 1 and words[-1].isupper():  # 'Ellis G': the surname first, then initials
        surname = words[:-1]
    else:  # the words after the last initial ('Harriette G.C. Van Spall'), else the last word
        dotted = [i for i, w in enumerate(words) if w.endswith(".")]
        surname = words[dotted[-1] + 1:] if dotted else words[-1:]
    return f"{' '.join(surname)}{' m.fl.' if len(doc.authors) > 1 else ''} {doc.year}"


def address(review: SystematicReview, kb: KnowledgeBase) -> str | None:
    """Where a reader finds the review: its DOI, else its url."""
    doc = kb.documents[review.document]
    return f"https://doi.org/{doc.doi}" if doc.doi else doc.url


def estimate_text(measure: str, value: float, low: float | None = None, high: float | None = None) -> str:
    """'RR 0,82 (95 % CI 0,73–0,91)', 'MD −0,73 (95 % CI −1,33 til −0,12)', or 'RR 0,46' without an interval;
    a Danish ratio computed here to two decimals, a review's figures as kb.reviews writes them."""
    if low is None:
        return f"{measure} {figure(round(value, 2))}"
    return f"{measure} {figure(round(value, 2))} (95 % CI {interval(round(low, 2), round(high, 2))})"


def gap_list(kb: KnowledgeBase) -> str:
    """The gaps in words, as HTML for under the map: each type linked to its page, each review to its DOI."""
    types = {t for t in kb.vocabularies["intervention_types"]
             if any(t in r.intervention.types for r in kb.initiatives)}  # a type with initiatives has a page
    items = [{
        "type": kb.label("intervention_types", g.type),
        "type_url": layout.intervention_type(g.type).url(layout.ANALYSES) if g.type in types else "",
        "outcome": lower_first(kb.label("outcomes", g.outcome)),
        "evidence": [{"citation": citation(r, kb), "url": address(r, kb) or "", "group": e.group or "",
                      "text": e.text,
                      "estimate": estimate_text(e.measure, e.value, e.low, e.high),
                      "trials": f"{number(e.trials)} forsøg" if e.trials else ""} for r, e in g.evidence],
    } for g in gaps(kb)]
    return render("review-gaps.html", items=items)


def map_cells(data: Frames) -> pd.DataFrame:
    """Every intervention type × outcome in the vocabularies' order: how many initiatives have a result
    there, the strongest design and its rank, the cell's state (STATES) in code and words, and its link to
    the finder."""
    from .frames import finder

    results = data.results.merge(data.types, on="initiative")
    found = (results.sort_values("design_rank").groupby(["type", "outcome"])
             .agg(antal=("initiative", "nunique"), design=("design_label", "last"), rang=("design_rank", "max"))
             .reset_index())
    vocabulary = data.vocabulary.sort_values("order")
    types, outcomes = (vocabulary[vocabulary.vocabulary == v][["id", "label"]]
                       for v in ("intervention_types", "outcomes"))
    cells = types.merge(outcomes, how="cross", suffixes=("_type", "_outcome")).rename(columns={
        "id_type": "type", "label_type": "type_label", "id_outcome": "outcome", "label_outcome": "outcome_label"})
    cells = cells.merge(found, how="left", on=["type", "outcome"])
    cells["antal"] = cells["antal"].fillna(0).astype(int)
    holes = {(g.type, g.outcome) for g in gaps(data.kb)}
    cells["state"] = [
        "maalt" if rank >= MEASURED else "hul" if (t, o) in holes else "angivet" if n else "intet"
        for t, o, n, rank in zip(cells.type, cells.outcome, cells.antal, cells.rang.fillna(-2), strict=True)]
    cells["status"] = cells.state.map(STATES)
    cells["link"] = [finder(type=t, udfald=o) for t, o in zip(cells.type, cells.outcome, strict=True)]
    return cells


def map_table(cells: pd.DataFrame) -> pd.DataFrame:
    """The map as a phone reads it, two narrow columns: per intervention type a row naming it, then a row
    per state it has, naming the outcomes (with the number of initiatives and the strongest design where
    there is a result)."""
    import pandas as pd

    rows = []
    for kind, of_type in cells.groupby("type_label", sort=False):
        rows.append(("Indsatstype", kind))
        for state, words in STATES.items():
            chosen = of_type[of_type.state == state]
            named = [o if not n else f"{o} ({n}; {lower_first(d)})"
                     for o, n, d in zip(chosen.outcome_label, chosen.antal, chosen.design, strict=True)]
            if named:
                rows.append((words, ", ".join(named)))
    return pd.DataFrame(rows, columns=["Hvad kilderne viser", "Udfald (antal indsatser; stærkeste design)"])


def forest(data: Frames) -> pd.DataFrame:
    """One row per Danish result with a risk ratio and per pooled ratio of a review, for each outcome a
    review gives a ratio for, grouped by intervention type and window. A Danish ratio comes with its 95 %
    interval where kb.effects could compute one from the source's counts; otherwise it is the ratio of the
    two shares the source gives, marked as without an interval."""
    import pandas as pd

    kb, reviews = data.kb, data.reviews
    pooled = reviews[reviews.measure.isin(RATIOS)]
    outcomes = set(pooled.outcome)
    by_id = {r.id: r for r in kb.reviews}
    rows = [{
        "outcome": p.outcome, "type": t, "window": p.window_label,
        "days": p.window_days, "kind": POOLED,
        "who": citation(by_id[p.review], kb) + (f" ({p.group})" if isinstance(p.group, str) else ""),
        "measure": p.measure, "value": p.value, "low": p.low, "high": p.high,
        "note": "international oversigts samlede estimat"
                + (f", {number(p.trials)} forsøg" if pd.notna(p.trials) else ""),
        "link": address(by_id[p.review], kb) or "",
    } for p in pooled.itertuples() for t in by_id[p.review].intervention.types]
    danish = data.results[data.results.outcome.isin(outcomes)].merge(data.types, on="initiative")
    pages = data.initiatives.set_index("id").page
    for r in danish.itertuples():
        ratio, low, high, note = _danish_ratio(r)
        if ratio is None:
            continue
        # The source's own finding: where it counts survivors, not deaths, a ratio above 1 is the good one.
        note = f"{note}; kildens fund: {lower_first(r.direction_label)}"
        rows.append({"outcome": r.outcome, "type": r.type, "window": r.window_label,
                     "days": r.window_days, "kind": DANISH if low is not None else DANISH_NO_INTERVAL,
                     "who": r.title, "measure": "RR", "value": ratio, "low": low, "high": high, "note": note,
                     "link": pages[r.initiative]})
    table = pd.DataFrame(rows, columns=["outcome", "type", "window", "days", "kind", "who", "measure", "value",
                                        "low", "high", "note", "link"])
    table["window"] = table.window.fillna(NO_WINDOW)
    order = {v: {t: i for i, t in enumerate(kb.vocabularies[v])} for v in ("outcomes", "intervention_types")}
    table["outcome_label"] = table.outcome.map(lambda o: kb.label("outcomes", o))
    table["type_label"] = table.type.map(lambda t: kb.label("intervention_types", t))
    table["estimate"] = [estimate_text(m, v, lo if pd.notna(lo) else None, hi)
                         for m, v, lo, hi in zip(table.measure, table.value, table.low, table.high, strict=True)]
    table = table.assign(_o=table.outcome.map(order["outcomes"]), _t=table.type.map(order["intervention_types"]),
                         _d=table.days.astype("Float64").fillna(1e9), _k=table.kind != POOLED)
    return (table.sort_values(["_o", "_t", "_d", "window", "_k", "who"]).drop(columns=["_o", "_t", "_d", "_k"])
            .reset_index(drop=True))


def _danish_ratio(r) -> tuple[float | None, float | None, float | None, str]:
    """A Danish result's risk ratio, its interval (None where it cannot be computed) and a note saying how."""
    import pandas as pd

    if pd.notna(r.computed_rr):
        return r.computed_rr, r.computed_rr_low, r.computed_rr_high, "dansk; beregnet ud fra kildens antal"
    if r.unit != SHARES or pd.isna(r.value) or pd.isna(r.comparison_value) or 0 in (r.value, r.comparison_value):
        return None, None, None, ""
    why = ("sammenlignet med et tal for en hel befolkning" if r.comparison_kind in NOT_A_GROUP
           else "kilden giver ikke antallet i begge grupper")
    note = f"dansk; forholdet mellem kildens to procenter; uden interval: {why}"
    return r.value / r.comparison_value, None, None, note


def forest_chart(rows: pd.DataFrame) -> alt.LayerChart:
    """One outcome's rows as a forest plot: a rule for each 95 % interval and a point for each ratio on a
    log axis, with a dashed line at 1 (no difference). Each row names who over type and window."""
    import altair as alt
    import pandas as pd

    from .charts import PALETTE

    # Every other intervention type on a grey band, so a type's rows read as one group.
    shown = rows.assign(row=rows.who + "\n" + rows.type_label + " · " + rows.window,
                        band=(rows.type != rows.type.shift()).cumsum() % 2 == 0)[
        ["row", "band", "kind", "value", "low", "high", "estimate", "note", "who", "type_label", "window"]]
    low, high = min(shown.low.min(), shown.value.min()), max(shown.high.max(), shown.value.max())
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    domain = [max([t for t in ticks if t <= min(low, 0.5)], default=low),
              min([t for t in ticks if t >= max(high, 2)], default=high)]
    scale = alt.Scale(type="log", domain=domain, nice=False)
    axis = alt.Axis(values=[t for t in ticks if domain[0] <= t <= domain[1]], format="~g")
    title = "Forholdstal, indsats mod sammenligning (logaritmisk akse)"
    row = alt.Chart(shown).encode(
        y=alt.Y("row:N", title=None, sort=list(shown.row),
                axis=alt.Axis(labelLimit=290, ticks=False, labelExpr="split(datum.label, '\\n')", labelOffset=-7)))
    intervals = row.transform_filter("isValid(datum.low)").mark_rule(color="#555", strokeWidth=1.5).encode(
        x=alt.X("low:Q", title=title, scale=scale, axis=axis), x2="high:Q")
    kinds = [POOLED, DANISH, DANISH_NO_INTERVAL]
    legend = alt.Legend(orient="bottom", direction="vertical", title=None)
    look = {"shape": ["diamond", "circle", "circle"], "fill": [PALETTE[0], PALETTE[5], "white"],
            "stroke": [PALETTE[0], PALETTE[5], PALETTE[5]]}  # hollow: no interval
    points = row.mark_point(size=90, strokeWidth=2, opacity=1).encode(
        x=alt.X("value:Q", title=title, scale=scale, axis=axis),
        **{channel: getattr(alt, channel.title())("kind:N", legend=legend,
                                                  scale=alt.Scale(domain=kinds, range=values))
           for channel, values in look.items()},
        tooltip=[alt.Tooltip("who:N", title="Kilde"), alt.Tooltip("type_label:N", title="Indsatstype"),
                 alt.Tooltip("window:N", title="Tidsvindue"), alt.Tooltip("estimate:N", title="Estimat"),
                 alt.Tooltip("note:N", title="Hvordan")],
    )
    bands = row.transform_filter("datum.band").mark_rect(color="#eeeeee")
    none = alt.Chart(pd.DataFrame({"x": [1]})).mark_rule(strokeDash=[4, 3], color="#333").encode(
        x=alt.X("x:Q", title=title, scale=scale, axis=axis))
    # Drawn once, as wide as a wide column holds beside the labels; on a phone the table stands in (kb.charts).
    return alt.layer(bands, none, intervals, points).properties(
        width=330, height=alt.Step(38, **{"for": "position"}))


def forest_table(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows in two columns a phone reads without scrolling sideways: a row naming each type and window
    (in the first column, whose long words would otherwise widen both), then one per source with its
    estimate and how it was found; and the address each source links to."""
    import pandas as pd

    table, links = [], []
    for (kind, window), group in rows.groupby(["type_label", "window"], sort=False):
        table.append((f"{kind}, {window}", ""))
        links.append("")
        table += [(who, f"{estimate}; {note}")
                  for who, estimate, note in zip(group.who, group.estimate, group.note, strict=True)]
        links += group.link.tolist()
    return pd.DataFrame(table, columns=["Indsatstype og tidsvindue; kilde", "Estimat og hvordan"]), links


def forest_summary(data: Frames, rows: pd.DataFrame) -> str:
    """What the figures leave out, in MyST: the Danish results on the same outcomes with no ratio, the
    pooled estimates that are no ratio (a mean difference has no place on a ratio's axis), and the
    narrative reviews, each with its own words."""
    kb = data.kb
    danish = data.results[data.results.outcome.isin(set(rows.outcome))]
    unratioed = sum(_danish_ratio(r)[0] is None for r in danish.itertuples())
    lines = [f"**Ikke i figurerne.** {number(unratioed)} af de {number(len(danish))} danske resultater om de "
             "samme udfald giver ikke to andele at sætte over for hinanden (fx kun en retning, en "
             "procentvis ændring eller et gennemsnit); de står under "
             + inline("link", href=layout.analysis("effekter").url(layout.ANALYSES), text="Rapporterede effekter")
             + "."]
    for review in kb.reviews:
        named = _linked(review, kb)
        for e in (e for e in review.estimates if e.measure not in RATIOS):
            lines.append(f"{named}: {md(kb.label('outcomes', e.outcome)).lower()}, "
                         f"{estimate_text(e.measure, e.value, e.low, e.high)}. {md(e.text)}")
        if not review.estimates:
            lines.append(f"{named} lægger ikke forsøgenes tal sammen: {md(review.summary)}")
    return "\n".join(f"- {line}" for line in lines) + "\n"


def _linked(review: SystematicReview, kb: KnowledgeBase) -> str:
    """The review's short citation as a MyST link to its DOI or address."""
    url = address(review, kb)
    return f"[{md(citation(review, kb))}]({url})" if url else md(citation(review, kb))
