"""Generated background chapters: national context, method, glossary, cross-cutting lessons.

They read ``data/context/`` and the vocabularies, so a change in the data changes
the page and nothing is typed twice.
"""

from __future__ import annotations

from collections import defaultdict

from . import layout, reviews
from .findings import FLAGS
from .manual import GENERAL, RULES, field_title
from .model import (
    DIRECTIONS,
    EFFECT_MEASURED,
    EXPECTATION,
    MANUAL_VERSION,
    MEASURED,
    PLACEMENTS,
    RESULT_KINDS,
    KnowledgeBase,
)
from .text import md, number, page, plural, quantity, ref


def background_pages(kb: KnowledgeBase) -> dict[str, str]:
    return {
        layout.background("national-kontekst").source: national_context(kb),
        layout.background("erfaringer").source: lessons(kb),
        layout.METHOD.source: method(kb),
        layout.background("ordliste").source: glossary(kb),
    }


def national_context(kb: KnowledgeBase) -> str:
    ctx = kb.context
    out = ["## Handlingsplaner og rammer\n"]
    for plan in ctx.action_plans:
        years = "–".join(str(y) for y in (plan.start, plan.end) if y) or "år ikke angivet i kilderne"
        out.append(f"### {md(plan.title)}\n\n**Periode:** {years}\n\n{md(plan.text)}\n")
        if plan.focus_areas:
            out.append("".join(f"- Indsatsområde {a.number}: {md(a.title)}\n" for a in plan.focus_areas))
        out.append("**Kilder:**\n\n" + "".join(f"- {ref(s)}\n" for s in plan.sources))
    if ctx.target_criteria:
        out.append("## Målgruppen: særligt svækkede ældre medicinske patienter\n\n"
                   "Rammepapiret fra 2012 karakteriserer målgruppen ved tre grupper af parametre.\n")
        for group in ctx.target_criteria:
            out.append(f"### {md(group.group)}\n\n" + "".join(f"- {md(c)}\n" for c in group.criteria)
                       + f"\nKilde: {ref(group.source)}\n")
    params = kb.vocabularies["quality_parameters"]
    if params:
        out.append("## De seks landsdækkende kvalitetsparametre\n\n"
                   "Kvaliteten af den fælles forløbskoordination skal evalueres ud fra disse parametre.\n")
        out.append("".join(
            f"{i}. **{md(t.label)}:** {md(t.description or '')}"
            + (f" ({ref(t.source)})" if t.source else "") + "\n"
            for i, t in enumerate(params.values(), 1)))
    if ctx.budget:
        out.append(_budget(kb))
    if ctx.syddanmark_mapping:
        out.append(_mapping(kb))
    return page("national-kontekst", "National og regional kontekst",
                "Indsatserne i vidensbasen er sat i gang under nationale handlingsplaner og "
                "regionale rammer. Denne side samler, hvad kilderne siger om dem.", *out)


def _budget(kb: KnowledgeBase) -> str:
    budget = kb.context.budget
    years = sorted({r.year for r in budget.rows if r.year is not None})
    cells: dict[str, dict] = defaultdict(dict)
    for row in budget.rows:
        cells[row.party][row.year] = row.amount
    symbol = kb.vocabularies["units"][budget.rows[0].unit].symbol or ""
    header = "| | " + " | ".join(str(y) for y in years) + " | I alt |\n|---|" + "---:|" * (len(years) + 1)
    lines = [header]
    for party, by_year in cells.items():
        values = [number(by_year[y]) if y in by_year else "" for y in years + [None]]
        lines.append(f"| {md(party)} | " + " | ".join(values) + " |")
    note = f"\n{md(budget.note)}\n" if budget.note else ""
    return (f"## {md(budget.title)}\n\nBeløb i {md(symbol)}\n\n" + "\n".join(lines) + "\n"
            + note + f"\nKilde: {ref(budget.source)}\n")


def _mapping(kb: KnowledgeBase) -> str:
    m = kb.context.syddanmark_mapping
    out = [f"## {md(m.title)}\n\n"
           f"Kortlagte indsatser: {quantity(m.mapped, '')}. "
           f"Udvalgt til videre udbredelse ifølge teksten: {quantity(m.selected_stated, '')}.\n"]
    if m.note:
        out.append(f"{md(m.note)}\n")
    for group in m.groups:
        links = "".join(f"- {layout.initiative(x).link}\n" for x in group.initiatives)
        out.append(f"### {md(group.heading)}\n\n{links}")
    out.append(f"Kilde: {ref(m.source)}\n")
    return "\n".join(out)


def lessons(kb: KnowledgeBase) -> str:
    ctx = kb.context
    out = []
    if ctx.cross_conclusions:
        out.append("## Overordnede konklusioner om tidlig opfølgning\n")
        out.append("".join(f"- {md(s.text)} ({ref(s.source)})\n" for s in ctx.cross_conclusions))
    if ctx.success_factors:
        out.append("## Elementer, der understøtter gode forløb\n")
        levels: dict[str, list] = defaultdict(list)
        for factor in ctx.success_factors:
            levels[factor.level].append(factor)
        for level, factors in levels.items():
            out.append(f"### {md(level)}\n")
            for f in factors:
                examples = "".join(f"  - {md(e)}\n" for e in f.examples)
                out.append(f"- {md(f.text)} ({ref(f.source)})\n{examples}")
    return page("erfaringer", "Erfaringer på tværs af projekterne",
                "Hvad kilderne konkluderer på tværs af de enkelte indsatser.", *out)


def method(kb: KnowledgeBase) -> str:
    gaps = "".join(f"- **{md(t.label)}:** {md(t.description or '')}\n"
                   for t in kb.vocabularies["gap_reasons"].values())
    marks = "".join(f"- **{label}:** {rule}.\n" for label, rule in FLAGS.values())
    return page(
        "metode", "Metode: sådan er indsatserne kodet",
        "Hver indsats er én post: en datafil (YAML) i mappen `data/projects/`, som sitet også udgiver under "
        f"`data/projects/` (se {layout.DATA.link}). Posten følger samme skabelon som "
        "notatet om tidlig opfølgning efter udskrivelse: målgruppe, intervention, resultater, "
        "konklusion samt inklusions- og eksklusionskriterier, og den henviser til sine kilder.",
        "## Tal og kilder\n\n"
        "Alle tal gengives præcis som i kilden, med enhed, sammenligningsgruppe og periode, hvor kilden "
        "giver dem, og med en henvisning til afsnit eller overskrift i kildedokumentet. En automatisk "
        "test kontrollerer, at hvert tal i et resultat står i teksten til det dokument, resultatet "
        "henviser til. Teksten er skrevet med egne ord; hvor kilden er uklar, siger posten det.\n",
        _manual(kb),
        "(metode-maerker)=\n## Sådan læses en indsats' resultat\n\n"
        "Øverst på hver indsats' side står et resumé. Hvert resultat er formuleret ud fra sit design og sin "
        f"retning: et design med rang {MEASURED} eller derover er en måling (\"Målt: ingen forskel "
        "(sammenligning med kontrolgruppe)\"); et lavere design er kildens egen angivelse eller vurdering "
        "(\"Angivet: forbedring (design ikke oplyst)\"). Så læses et resultat uden forskel eller en påstand "
        f"uden tal aldrig som en målt succes. En forventning står som \"{RESULT_KINDS[EXPECTATION][0]}\" og "
        "indgår hverken i resuméet, mærkerne, evidenskortet eller effektfiguren.\n\n"
        "Mærkerne på sider og lister beregnes af postens felter:\n\n" + marks,
        "## Årsager til manglende data\n\n" + gaps,
        _international(),
    )


def _international() -> str:
    """How the type pages and the results set the Danish figures beside the reviews' (kb.reviews)."""
    return (
        "(metode-international)=\n## Sammenligning med international forskning\n\n"
        "Systematiske oversigter ligger som egne poster i `data/reviews/`. Hver indsatstypes side viser de "
        "oversigter, der handler om typen, og hvert resultat viser det samlede estimat, der passer bedst. "
        "Reglerne:\n\n"
        "- **Passer:** samme udfald, og oversigten handler om en af indsatsens typer. Først vises et estimat "
        f"med et sammenligneligt tidsvindue, derefter det, der bygger på flest forsøg.\n"
        f"- **Sammenligneligt tidsvindue:** begge tidsvinduer er givet i dage, og de ligger højst "
        f"{reviews.WINDOW_TOLERANCE} dage fra hinanden (28 og 30 dage er sammenlignelige, 30 og 90 er ikke).\n"
        "- **Kan ikke sammenlignes direkte:** siden siger det, når tidsvinduet er et andet, når resultatet "
        "ikke er fra et randomiseret forsøg, når effekten ikke er målt, og når oversigten kun gælder "
        "patienter med en diagnose, indsatsen ikke nævner.\n"
        "- **Langt uden for:** den risikoratio, sitet beregner ud fra indsatsens egne tal, har et "
        "95 %-konfidensinterval, der slet ikke overlapper oversigtens. Det sammenlignes kun med en samlet "
        "relativ risiko (RR).\n"
        "- **Ordene:** en relativ risiko på 0,82 står som \"18 % lavere risiko\". En odds ratio eller hazard "
        "ratio står som lavere eller højere odds eller hazard, for de er ikke det samme som risiko. Holder "
        "intervallet 1 (eller 0 for en forskel), står der \"ingen sikker forskel\".\n"
        "- **Hvor tallet er læst:** ved hvert estimat står afsnittet i oversigten, og om tallene er tjekket "
        "mod en lokal kopi af kilden.\n"
    )


def _manual(kb: KnowledgeBase) -> str:
    """The coding manual: the general rules, then one section per coded field with its rule, the
    decisive words, the check that holds it and the values the model and the vocabularies allow."""
    checked = sum(r.review is not None and r.review.manual == MANUAL_VERSION for r in kb.initiatives)
    out = [f"(metode-kodemanual)=\n## Kodemanual (version {MANUAL_VERSION})\n\n"
           "Manualen er reglerne for, hvordan en kilde bliver til en post. En post angiver, hvornår den "
           "sidst er holdt op mod manualen og de kildeafsnit, den henviser til, og mod hvilken version "
           "(feltet `review`); indsatsens side viser det under \"Om posten\". "
           f"{number(checked)} af {plural(len(kb.initiatives), 'post', 'poster')} er kontrolleret mod "
           "den gældende version. Hvor en regel kan efterprøves maskinelt, afviser valideringen en post, "
           "der bryder den; det står ved reglen.\n\n### Generelt\n\n"
           + "".join(f"- {md(text)}\n" for text in GENERAL)]
    values = _manual_values(kb)
    for rule in RULES:
        path = ".".join(rule.field)
        anchor = "(metode-evidensdesign)=\n" if rule.field == ("results", "design") else ""
        words = "".join(f"- {md(said)}: {md(gives)}\n" for said, gives in rule.words)
        # The field's path under the heading, not in it, and marked as the search page's summaries
        # leave it out (kb/search.js): the site's search lists headings to every reader.
        out.append(f"{anchor}### {md(field_title(rule))}\n\n:::{{container}} kb-field\nFeltet i posten: "
                   f"`{path}`.\n:::\n\n{md(rule.rule)}\n"
                   + (f"\nAfgørende ord i kilderne:\n\n{words}" if words else "")
                   + (f"\nTjekkes automatisk: {md(rule.check)}.\n" if rule.check else "")
                   + (f"\nTilladte værdier:\n\n{values[rule.field]}" if rule.field in values else ""))
    return "\n".join(out)


def _manual_values(kb: KnowledgeBase) -> dict[tuple[str, ...], str]:
    """The values a coded field allows, from the model and the vocabularies."""
    designs = sorted(kb.vocabularies["evidence_designs"].values(), key=lambda t: -(t.rank or 0))

    def terms(name: str) -> str:
        return "".join(f"- **{md(t.label)}**" + (f": {md(t.description)}" if t.description else "") + "\n"
                       for t in kb.vocabularies[name].values())

    def choices(labels: dict) -> str:
        return "".join(f"- **{k}** ({label}): {meaning}.\n" for k, (label, meaning) in labels.items())

    return {
        ("intervention", "types"): "".join(
            f"- **{md(t.label)}** ({md(t.group or '')}): {md(t.description or '')}\n"
            for t in kb.vocabularies["intervention_types"].values()),
        ("results", "outcome"): terms("outcomes"),
        ("results", "kind"): choices(RESULT_KINDS),
        ("results", "design"): "Rangen bruges, når den stærkeste evidens bag en indsats eller anbefaling vises; "
                               "højere er stærkere.\n\n| Design | Rang | Hvad det betyder |\n|---|---:|---|\n"
                               + "".join(f"| {md(t.label)} | {t.rank} | {md(t.description or '')} |\n"
                                         for t in designs),
        ("results", "direction"): choices(DIRECTIONS),
        ("measurement", "effect_measured"): choices(EFFECT_MEASURED),
        ("blueprint", "steps", "phase"): terms("blueprint_phases"),
        ("blueprint", "steps", "lane"): terms("blueprint_lanes"),
        ("blueprint", "placement"): "".join(f"- **{k}**: {meaning}\n" for k, meaning in PLACEMENTS.items()),
    }


def glossary(kb: KnowledgeBase) -> str:
    entries = []
    for e in kb.context.glossary:
        source = f" ({ref(e.source)})" if e.source else " (redaktionens tilføjelse)"
        entries.append(f"{md(e.term)}\n: {md(e.definition)}{source}\n")
    intro = "Danske begreber og forkortelser, som læseren møder i vidensbasen."
    return page("ordliste", "Ordliste", intro, *entries)
