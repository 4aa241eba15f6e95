"""The knowledge base as tidy pandas DataFrames, for the analyses and for analysts.

``kb.load()`` validates the records exactly as ``kb validate`` does and returns
one long ("tidy") table per kind of fact: one row per initiative, per result,
per intervention type and so on. Labels come from the vocabularies, so a chart
never shows a slug. No notebook parses YAML itself.

``kb build`` runs several analyses one after another in one kernel; asked again for
files that have not changed since, ``load()`` hands out fresh copies of the tables it
made, instead of reading and validating a thousand records once per analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import layout, loader
from .findings import comparability, headline_design, window_label
from .model import COMPARISON_KINDS, DIRECTIONS, EFFECT_MEASURED, Initiative, KnowledgeBase, Result

if TYPE_CHECKING:  # pandas is imported on use, so `kb validate` does not pay for it
    import pandas as pd

def _residence(kb: KnowledgeBase, r) -> list[str]:
    """Where the target group must live, named one way (the records' own words name one place
    several ways): its municipalities, else its cluster, else its region."""
    if not r.target_group.residence:
        return []
    if r.municipalities:
        return [kb.label("municipalities", m) for m in r.municipalities]
    return [kb.label("clusters", r.cluster) if r.cluster else kb.label("regions", r.region)]


FACETS = {  # Frames.targets: dimension -> how a record names its values
    "alder": lambda kb, r: [f"{r.target_group.min_age}+ år"] if r.target_group.min_age else [],
    "diagnose": lambda kb, r: r.target_group.diagnoses,
    "bopæl": _residence,
    "miljø": lambda kb, r: r.target_group.settings,
    "screening": lambda kb, r: [_screening(r)] if r.target_group.screening else [],
}
VOCAB_OF = {"diagnose": "diagnoses", "miljø": "settings"}


@dataclass(frozen=True)
class Frames:
    """Tidy tables of the whole knowledge base; ``kb`` keeps the typed records."""

    kb: KnowledgeBase
    initiatives: pd.DataFrame  # one row per initiative
    results: pd.DataFrame  # one row per result the sources report (no expectation: it is no evidence)
    expectations: pd.DataFrame  # one row per expected or assessed effect ("Forventning (ikke målt)")
    types: pd.DataFrame  # initiative x intervention type
    targets: pd.DataFrame  # initiative x target-group dimension x value
    quality: pd.DataFrame  # initiative x national quality parameter
    gaps: pd.DataFrame  # initiative x reason the sources give for missing data
    sources: pd.DataFrame  # initiative x source document, with the document's year
    action_plans: pd.DataFrame  # one row per national or regional plan
    vocabulary: pd.DataFrame  # every vocabulary term in file order, with rank
    reviews: pd.DataFrame  # one row per pooled estimate of a systematic review; one row for a narrative one


_last: dict[tuple, Frames] = {}  # the files' names, sizes and times -> their tables


def load(data_dir: Path | str | None = None) -> Frames:
    """Validate ``data_dir`` (default: the repository's ``data/``) and return its tables.

    The tables are the caller's own; the typed records in ``.kb`` are shared with later
    calls for unchanged files, so treat them as read-only."""
    folder = Path(data_dir) if data_dir else loader.default_data_dir()
    key = _signature(folder)
    if key not in _last:
        _last.clear()
        _last[key] = frames(loader.load(folder))
    made = _last[key]
    return replace(made, **{f.name: getattr(made, f.name).copy() for f in fields(made) if f.name != "kb"})


def _signature(folder: Path) -> tuple:
    stats = ((p, p.stat()) for p in sorted(folder.resolve().rglob("*")) if p.is_file())
    return tuple((str(p), s.st_size, s.st_mtime_ns) for p, s in stats)


def frames(kb: KnowledgeBase) -> Frames:
    return Frames(
        kb=kb,
        initiatives=_initiatives(kb),
        results=_results(kb, lambda r: r.reported),
        expectations=_results(kb, lambda r: [res for res in r.results if res not in r.reported]),
        types=_table(["initiative", "type", "type_label", "type_group"], [
            (r.id, t, kb.label("intervention_types", t), kb.vocabularies["intervention_types"][t].group)
            for r in kb.initiatives for t in r.intervention.types]),
        targets=_table(["initiative", "dimension", "value", "label"], [
            (r.id, dim, value, kb.label(VOCAB_OF[dim], value) if dim in VOCAB_OF else value)
            for r in kb.initiatives for dim, values_of in FACETS.items() for value in values_of(kb, r)]),
        quality=_table(["initiative", "parameter", "parameter_label"], [
            (r.id, q, kb.label("quality_parameters", q)) for r in kb.initiatives for q in r.quality_parameters]),
        gaps=_table(["initiative", "effect_measured", "effect_label", "reason", "reason_label"], [
            (r.id, r.measurement.effect_measured, EFFECT_MEASURED[r.measurement.effect_measured][0], g,
             kb.label("gap_reasons", g))
            for r in kb.initiatives for g in r.measurement.gap_reasons]),
        sources=_table(["initiative", "document", "document_title", "year", "date", "locator"], [
            (r.id, s.document, kb.documents[s.document].title, kb.documents[s.document].year,
             kb.documents[s.document].date, s.locator) for r in kb.initiatives for s in r.sources]),
        action_plans=_table(["id", "title", "start", "end"], [
            (p.id, p.title, p.start, p.end) for p in kb.context.action_plans]),
        vocabulary=_table(["vocabulary", "id", "label", "rank", "order"], [
            (name, t.id, t.label, t.rank, i)
            for name, terms in kb.vocabularies.items() for i, t in enumerate(terms.values())]),
        reviews=_reviews(kb),
    )


REVIEW_COLUMNS = [
    "review", "title", "document", "document_title", "authors", "publisher", "year", "doi", "url", "synthesis",
    "population", "types", "comparison", "searched", "review_trials", "review_participants", "outcome",
    "outcome_label", "group", "text", "measure", "value", "low", "high", "trials", "participants", "i2",
    "certainty", "window_days", "window_label", "window_after", "window_text", "locator"]


def _reviews(kb: KnowledgeBase) -> pd.DataFrame:
    """One row per pooled estimate of each review in data/reviews/, with the review's citation; a narrative
    review (no pooled estimate) gets one row with the estimate's columns empty and its conclusion as text."""
    import pandas as pd

    rows = []
    for r in kb.reviews:
        doc = kb.documents[r.document]
        common = {
            "review": r.id, "title": r.title, "document": r.document, "document_title": doc.title,
            "authors": "; ".join(doc.authors), "publisher": doc.publisher, "year": doc.year, "doi": doc.doi,
            "url": doc.url, "synthesis": r.synthesis, "population": r.population,
            "types": ", ".join(r.intervention.types), "comparison": r.intervention.comparison,
            "searched": r.searched, "review_trials": r.trials, "review_participants": r.participants,
        }
        for e in r.estimates or [None]:
            w = e.window if e else None
            rows.append({**common, **({
                "outcome": e.outcome, "outcome_label": kb.label("outcomes", e.outcome), "group": e.group,
                "text": e.text, "measure": e.measure, "value": e.value, "low": e.low, "high": e.high,
                "trials": e.trials, "participants": e.participants, "i2": e.i2, "certainty": e.certainty,
                "window_days": w.days if w and isinstance(w.days, int) else None,
                # a window given in months is no number of days: the source's words say it
                "window_label": (w.text if isinstance(w.days, str) and w.text else window_label(e)) if w else None,
                "window_after": w.after if w else None,
                "window_text": w.text if w else None, "locator": e.source.locator,
            } if e else {"text": r.summary, "locator": r.source.locator})})
    table = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    return table.astype({"window_days": "Int64", "review_trials": "Int64", "review_participants": "Int64",
                         "trials": "Int64", "participants": "Int64"})


def _table(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame.from_records(rows, columns=columns)


def _screening(record) -> str:
    s = record.target_group.screening
    word = "over" if s.operator == ">" else "mindst"
    return f"{s.tool}: {word} {s.threshold:g}".replace(".", ",")


def _initiatives(kb: KnowledgeBase) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for r in kb.initiatives:
        best = headline_design(kb, r)  # the badge's design
        s = r.target_group.screening
        rows.append({
            "id": r.id, "title": r.title,
            "region": kb.label("regions", r.region),
            "cluster": kb.label("clusters", r.cluster) if r.cluster else None,
            "status": r.status, "start": r.period.start, "end": r.period.end,
            "min_age": r.target_group.min_age,
            "screening_threshold": s.threshold if s else None,
            "effect_measured": r.measurement.effect_measured,
            "effect_label": EFFECT_MEASURED[r.measurement.effect_measured][0],
            "results": len(r.reported),
            "quantified": sum(res.value is not None for res in r.reported),
            "strongest_design": best.label if best else None,
            "strongest_rank": best.rank if best else None,
            "page": layout.initiative(r.id).url(layout.ANALYSES),
        })
    return pd.DataFrame(rows)


def finder(**filters: str) -> str:
    """The address of "Find en indsats" with these filters chosen, from an analysis page."""
    from urllib.parse import urlencode

    return layout.FINDER.url(layout.ANALYSES) + (f"?{urlencode(filters)}" if filters else "")


def _results(kb: KnowledgeBase, chosen: Callable[[Initiative], list[Result]]) -> pd.DataFrame:
    """One row per ``chosen`` result of each record."""
    import pandas as pd

    designs, units = kb.vocabularies["evidence_designs"], kb.vocabularies["units"]
    rows = []
    for r in kb.initiatives:
        for res in chosen(r):
            c = res.comparison
            rows.append({
                "initiative": r.id, "title": r.title,
                "outcome": res.outcome, "outcome_label": kb.label("outcomes", res.outcome),
                "text": res.text, "value": res.value,
                "unit": res.unit, "unit_label": units[res.unit].label if res.unit else None,
                "n": res.n, "comparison": c.text if c else None,
                "comparison_value": c.value if c else None, "comparison_n": c.n if c else None,
                "period": res.period,
                "design": res.design, "design_label": designs[res.design].label,
                "design_rank": designs[res.design].rank,
                "direction": res.direction, "direction_label": DIRECTIONS[res.direction][0],
                "statistics": res.statistics,
                **_comparable(res),
                "document": res.source.document, "locator": res.source.locator,
            })
    table = pd.DataFrame(rows, columns=[
        "initiative", "title", "outcome", "outcome_label", "text", "value", "unit", "unit_label", "n",
        "comparison", "comparison_value", "comparison_n", "period", "design", "design_label",
        "design_rank", "direction", "direction_label", "statistics", *COMPARABLE_COLUMNS, "document", "locator"])
    return table.astype({"window_days": "Int64"})  # whole days, or missing


COMPARABLE_COLUMNS = [  # what makes a result comparable, and the effect kb.effects computes from its figures
    "window_days", "window_label", "window_after", "window_text", "events", "denominator", "data_source",
    "adjusted", "comparison_kind", "comparison_kind_label", "group_sizes", "comparability",
    "computed_difference", "computed_rr", "computed_rr_low", "computed_rr_high"]


def _comparable(res: Result) -> dict:
    """The comparability fields as codes (None where the result does not state them). ``window_days`` is
    the one window in days, so analyses can group by it; None when the source gives none or several
    (``window_text`` and the record say which)."""
    from .effects import compute

    w, c, effect = res.window, res.comparison, compute(res)
    kind = c.kind if c else None
    return {
        "window_days": w.days if w and isinstance(w.days, int) else None,
        "window_label": window_label(res),
        "window_after": w.after if w else None, "window_text": w.text if w else None,
        "events": res.events, "denominator": res.denominator, "data_source": res.data_source,
        "adjusted": res.adjusted, "comparison_kind": kind,
        "comparison_kind_label": COMPARISON_KINDS[kind][0] if kind else None, "group_sizes": res.group_sizes,
        "comparability": comparability(res) or None,
        "computed_difference": effect.difference if effect else None,
        "computed_rr": effect.ratio if effect else None,
        "computed_rr_low": effect.low if effect else None,
        "computed_rr_high": effect.high if effect else None,
    }
