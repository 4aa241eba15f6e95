"""Generated MyST pages: one per initiative, indexes per region, cluster and type, an overview.

Everything is rendered from a validated ``KnowledgeBase`` in a fixed order, so
the same input always gives byte-identical files. Record text only ever passes
through ``md()``, or into HTML through the autoescaped templates of ``kb.html``; links are
built from validated slugs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from . import geography, layout, reviews
from .background import background_pages
from .blueprints import blueprint_pages, blueprint_section, recommendations_page, recommendations_section
from .citation import Citation, citation_page
from .effects import compute, wording
from .fidelity import read_note
from .finder import finder_page, sector_lanes, sectors, target_summary
from .findings import FLAGS, comparability, finding, flags, headline_design, key_results, result_line, verdict
from .history import History
from .html import inline, render
from .model import (
    COMPARISON_KINDS,
    EFFECT_MEASURED,
    LANGUAGES,
    MANUAL_VERSION,
    NATIONAL,
    NOT_READ,
    STATUS,
    Document,
    Initiative,
    KnowledgeBase,
    Result,
    SourceRef,
    SystematicReview,
)
from .text import danish_order, day, lower_first, md, number, page, plural, quantity, ref


def render_all(kb: KnowledgeBase, history: History | None = None,
               citation: Citation | None = None) -> dict[str, str]:
    """Every generated page: path relative to the output folder -> MyST text.

    Without a git history, dates come from the records; without a citation, the
    pages that cite are left out (the generator's unit tests need neither).
    """
    history = history or History()
    pages = {layout.OVERVIEW.source: overview(kb), layout.SOURCES.source: sources_page(kb)}
    pages[layout.CHANGES.source] = changes_page(kb, history)
    if citation:
        pages[layout.CITE.source] = citation_page(kb, citation, history)
    pages[layout.REGIONS.source] = regions_index(kb)
    pages[layout.CLUSTERS.source] = clusters_index(kb)
    pages[layout.TYPES.source] = types_index(kb)
    pages[layout.FINDER.source] = finder_page(kb)
    pages[layout.RECOMMENDATIONS.source] = recommendations_page(kb)
    pages.update(blueprint_pages(kb))
    pages.update(background_pages(kb))
    linked = _links_both_ways(kb)
    for record in kb.initiatives:
        about = about_record(record, history, citation)
        pages[layout.initiative(record.id).source] = initiative_page(kb, record, linked[record.id], about)
    for region in kb.vocabularies["regions"]:  # every region, also one without initiatives
        pages[layout.region(region).source] = region_page(kb, region)
    for cluster in _used(kb, lambda r: [r.cluster] if r.cluster else []):
        pages[layout.cluster(cluster).source] = cluster_page(kb, cluster)
    for kind in _used(kb, lambda r: r.intervention.types):
        pages[layout.intervention_type(kind).source] = type_page(kb, kind)
    return pages


def write_pages(files: Mapping[str, str | bytes], out: Path, stale: str = "*.md") -> list[Path]:
    """Write only what changed (so Sphinx rebuilds only that) and drop files matching ``stale``
    that are no longer wanted."""
    changed = []
    for rel, content in sorted(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = out / rel
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(path)
    wanted = {out / rel for rel in files}
    for old in sorted(out.rglob(stale)) if out.is_dir() else []:
        if old.is_file() and old not in wanted:
            old.unlink()
            changed.append(old)
    return changed


# --- building blocks --------------------------------------------------------


def _used(kb: KnowledgeBase, terms_of) -> list[str]:
    return sorted({t for r in kb.initiatives for t in terms_of(r)})


def _bullets(items: Iterable[str]) -> str:
    return "".join(f"- {item}\n" for item in items)


def _section(title: str, *blocks: str) -> str:
    body = "\n".join(b.rstrip("\n") + "\n" for b in blocks if b)
    return f"## {title}\n\n{body}"


def _facts(pairs: Iterable[tuple[str, str]]) -> str:
    return _bullets(f"**{name}:** {value}" for name, value in pairs if value)


def _initiative_table(kb: KnowledgeBase, records: list[Initiative], where: bool = True) -> str:
    """A table of initiatives, the finding second so a phone shows title and finding without scrolling
    sideways. ``where=False`` (a region's page) drops the region and cluster column."""
    head = ["Indsats", "Region og klynge", "Indsatstype", "Effekt"]
    order = [0, 3, 1, 2] if where else [0, 3, 2]
    rows = ["| " + " | ".join(head[i] for i in order) + " |", "|---" * len(order) + "|"]
    for r in records:
        types = ", ".join(md(kb.label("intervention_types", t)) for t in r.intervention.types)
        cells = [layout.initiative(r.id).link, _where(kb, r), types, effect_cell(kb, r)]
        rows.append("| " + " | ".join(cells[i] for i in order) + " |")
    return "\n".join(rows) + "\n"


def _effect(kb: KnowledgeBase, r: Initiative) -> dict:
    """The record's flags ("Kun omtalt", "Ikke målt" …), then the honest wording of its strongest results."""
    labels = [FLAGS[key][0] for key in flags(r)]
    wording = verdict(kb, r)
    return {"labels": labels, "wording": "" if wording in labels else wording}  # "Ikke målt" once


def effect_cell(kb: KnowledgeBase, r: Initiative) -> str:
    """A MyST table's cell on the effect: the flags as badges, then the wording."""
    return inline("effect", **_effect(kb, r), myst=True)


def _municipality_link(kb: KnowledgeBase, municipality: str, start: layout.Page) -> str:
    """A raw HTML link from ``start`` to the municipality's row on its region's page (a row has no
    Sphinx label)."""
    term = kb.vocabularies["municipalities"][municipality]
    href = layout.region(term.region).url(start, f"kommune-{municipality}")
    return inline("myst_link", href=href, text=term.label)


def _where(kb: KnowledgeBase, r: Initiative) -> str:
    region = md(kb.label("regions", r.region))
    return f"{region}, {md(kb.label('clusters', r.cluster))}" if r.cluster else region


# --- the initiative page ----------------------------------------------------


def _links_both_ways(kb: KnowledgeBase) -> dict[str, set[str]]:
    """A link stated in either record is shown on both pages."""
    linked: dict[str, set[str]] = {r.id: set(r.related) for r in kb.initiatives}
    for r in kb.initiatives:
        for other in r.related:
            linked[other].add(r.id)
    return linked


def initiative_page(kb: KnowledgeBase, r: Initiative, related: set[str], about: str = "") -> str:
    return page(
        f"indsats-{r.id}", r.title, _summary(kb, r),
        _target_group(kb, r), _intervention(kb, r), blueprint_section(kb, r), _getting_started(kb, r),
        _results(kb, r),
        _conclusion(r), recommendations_section(kb, r), _criteria(r), _sources(kb, r), _related(related),
        about,
    )


# a study that measured, but whose results no one here could read: neither 'no results' nor a figure
NOT_READ_NOTE = ("Undersøgelsen har målt effekten, men resultaterne er ikke læst; derfor står her ingen tal og "
                 "ingen retning.")


def _summary(kb: KnowledgeBase, r: Initiative) -> str:
    """What a busy reader needs first, before any section: what and for whom, the headline results
    worded honestly, how strong the evidence is, where, when, who takes part and the source."""
    here = layout.initiative(r.id)
    # Raw HTML (a {ref} cannot carry the badge's class); the anchors are labels on the method page.
    marks, design = (layout.METHOD.url(here, label) for label in ("metode-maerker", "metode-evidensdesign"))
    best = headline_design(kb, r)
    badges = inline("badges", flags=[FLAGS[f][0] for f in flags(r)], flags_href=marks,
                    design=best.label if best else "", design_href=design)
    types = ", ".join(layout.intervention_type(t).link for t in r.intervention.types)
    whom = target_summary(kb, r) or r.target_group.description or ""
    lines = [md(result_line(kb, res)) for res in key_results(kb, r)]
    if not lines and NOT_READ in r.measurement.gap_reasons:
        lines = [md(NOT_READ_NOTE)]
    if not lines:
        # "ikke-oplyst" is the absence of a reason: said as such, not as "årsag: Ikke oplyst"
        reasons = [kb.label("gap_reasons", g) for g in r.measurement.gap_reasons if g != "ikke-oplyst"]
        why = f" Årsag: {'; '.join(map(lower_first, reasons))}." if reasons else " Kilderne siger ikke hvorfor."
        lines = [md("Kilderne gengiver ingen resultater." + why)]
    result = lines[0] if len(lines) == 1 else "".join(f"\n  - {line}" for line in lines)
    where = [layout.region(r.region).link]
    if r.cluster:
        where.append(layout.cluster(r.cluster).link)
    if r.municipalities:
        where.append("kommuner: " + ", ".join(_municipality_link(kb, m, here) for m in r.municipalities))
    documents = list(dict.fromkeys(s.document for s in r.sources))
    facts = _facts([
        ("Hvad og for hvem", f"{types}. Målgruppe: {md(whom)}" if whom else types),
        ("Resultat" if len(lines) == 1 else "Resultater", result),
        ("Hvor", "; ".join(where)),
        ("Status og periode", f"{STATUS[r.status] if r.status != 'ukendt' else 'Status ikke oplyst'}, "
                              f"{_period(r) or 'periode ikke oplyst'}"),
        ("Sektorer", ", ".join(md(kb.label("blueprint_lanes", s)) for s in sectors(kb, r)) or "Ikke oplyst"),
        ("Parter", "; ".join(md(o) for o in r.organisations)),
        ("Kilde" if len(documents) == 1 else "Kilder", "; ".join(_document_link(kb, d) for d in documents)),
    ])
    head = badges + "\n\n" if badges else ""
    return f":::{{container}} kb-summary\n{head}{facts}:::\n"


def _period(r: Initiative) -> str:
    years = "–".join(str(y) for y in (r.period.start, r.period.end) if y)
    parts = [p for p in (years, md(r.period.text) if r.period.text else "") if p]
    return ". ".join(parts)


def _target_group(kb: KnowledgeBase, r: Initiative) -> str:
    tg = r.target_group
    screening = ""
    if tg.screening:
        s = tg.screening
        score = (f"score over {number(s.threshold)}" if s.operator == ">"
                 else f"score på {number(s.threshold)} eller derover")
        screening = f"{score} ({md(s.tool)})"
    facts = _facts([
        ("Alder", f"{tg.min_age} år og derover" if tg.min_age is not None else "Ingen aldersgrænse angivet"),
        ("Bopæl", "; ".join(md(x) for x in tg.residence)),
        ("Hvor", ", ".join(md(kb.label("settings", s)) for s in tg.settings)),
        ("Diagnoser", ", ".join(md(kb.label("diagnoses", d)) for d in tg.diagnoses)),
        ("Screening", screening),
    ])
    return _section("Målgruppe", md(tg.description) + "\n" if tg.description else "", facts)


def _intervention(kb: KnowledgeBase, r: Initiative) -> str:
    iv = r.intervention
    facts = _facts([
        ("Aktører", ", ".join(md(kb.label("actors", a)) for a in iv.actors)),
        ("Tidspunkt", md(iv.timing) if iv.timing else ""),
    ])
    return _section("Intervention", md(iv.description) + "\n", facts)


NOT_IN_SOURCE = "Ikke oplyst i kilden"


def _getting_started(kb: KnowledgeBase, r: Initiative) -> str:
    """"Sådan kommer I i gang": every field, stated with its source or shown as not stated. Who delivers
    and when fall back on what the record holds elsewhere (the blueprint's actors and lanes, the
    intervention's timing), saying where it comes from."""
    lines, cited = [], {}
    for name, title, fact in r.getting_started.facts():
        if fact is not None:
            value = md(fact.text)
            cited.setdefault(fact.source, []).append(title.lower())
        else:
            value = _derived(kb, r, name) or f"*{NOT_IN_SOURCE}.*"
        lines.append(f"**{title}:** {value}")
    intro = ("Hvad det kræver at starte indsatsen, så vidt kilderne siger det. Står der "
             f"*{NOT_IN_SOURCE}*, siger kilderne ikke noget om det.")
    return _section("Sådan kommer I i gang", intro + "\n", _bullets(lines), _start_sources(cited))


def _start_sources(cited: dict[SourceRef, list[str]]) -> str:
    """Each source once, under the list, with the fields it backs: the same source on every line
    made the list three times as long on a phone."""
    if len(cited) <= 1:
        return "".join(f"**Kilde:** {ref(source)}\n" for source in cited)
    return "**Kilder:**\n\n" + _bullets(f"{', '.join(titles).capitalize()}: {ref(source)}"
                                        for source, titles in cited.items())


def _derived(kb: KnowledgeBase, r: Initiative, name: str) -> str:
    """What the record says elsewhere about ``name`` when the field itself is empty, or ''."""
    if name == "delivered_by":
        steps = [s.actor for s in r.blueprint.steps if s.actor] if r.blueprint else []
        staff = sector_lanes(kb)  # the citizen takes part but does not deliver
        actors = [kb.label("actors", a) for a in dict.fromkeys([*r.intervention.actors, *steps])
                  if kb.vocabularies["actors"][a].group in staff]
        lanes = [kb.label("blueprint_lanes", s) for s in sectors(kb, r)]
        parts = [f"sektorer: {', '.join(map(md, lanes))}"] if lanes else []
        parts += [f"aktører: {', '.join(map(md, actors))}"] if actors else []
        where = "forløbet ovenfor" if r.blueprint else "beskrivelsen af interventionen"
        return f"Ifølge {where} – {'; '.join(parts)}." if parts else ""
    if name == "schedule" and r.intervention.timing:
        return f"{md(r.intervention.timing)} (fra beskrivelsen af interventionen)."
    return ""


def _results(kb: KnowledgeBase, r: Initiative) -> str:
    m = r.measurement
    reasons = ", ".join(md(kb.label("gap_reasons", g)) for g in m.gap_reasons)
    summary = _facts([
        ("Effekt målt", " – ".join(EFFECT_MEASURED[m.effect_measured])),
        ("Fund", md(verdict(kb, r))),
        ("Årsag til manglende data", reasons),
        ("Om målingen", md(m.text) if m.text else ""),
    ])
    items = [_result(kb, r, res) for res in r.results]
    if not items:
        items = [md(NOT_READ_NOTE if NOT_READ in m.gap_reasons else "Kilden beskriver ingen resultater.") + "\n"]
    return _section("Resultater", summary, *items)


def _result(kb: KnowledgeBase, r: Initiative, res: Result) -> str:
    symbol = (kb.vocabularies["units"][res.unit].symbol or "") if res.unit else ""
    figure = ""
    if res.value is not None:
        figure = quantity(res.value, symbol)
        if res.n is not None:
            figure += f" (n = {number(res.n)})"
    comparison = ""
    if res.comparison:
        c = res.comparison
        comparison = md(c.text)
        if c.kind and not comparability(res):  # else the comparability line says it
            comparison += f" ({md(COMPARISON_KINDS[c.kind][0])})"
        if c.value is not None:
            comparison += f": {quantity(c.value, symbol)}"
        if c.n is not None:
            comparison += f" (n = {number(c.n)})"
    facts = _facts([
        ("Fund", md(finding(kb, res))),
        ("Tal", figure),
        ("Sammenlignet med", comparison),
        ("Sammenlignelighed", md(comparability(res))),
        ("Statistik", md(res.statistics) if res.statistics else ""),
        ("Beregnet ud fra kildens tal", md(wording(effect)) if (effect := compute(res)) else ""),
        ("Periode", md(res.period) if res.period else ""),
        ("Kilde", ref(res.source)),
        ("International forskning", _research_line(kb, r, res)),
    ])
    title = md(kb.label("outcomes", res.outcome))
    return f"### {title}\n\n{md(res.text)}\n\n{facts}"


def _research_line(kb: KnowledgeBase, r: Initiative, res: Result) -> str:
    """The pooled estimate that best matches the result (kb.reviews), a link to all of them on the type's
    page, and why the two cannot be set side by side; empty when no review matches."""
    found = reviews.matches(kb, r, res)
    if not found:
        return ""
    best = found[0]
    kind = next(t for t in r.intervention.types if t in best.review.intervention.types)
    line = (f"{md(reviews.estimate_text(kb, best.estimate))} – {md(best.review.title)}"
            f"{_read_link(kb, best.review.document)}. ")
    line += f"Se {{ref}}`alle oversigter om typen <forskning-{kind}>`"
    line += f" ({plural(len(found) - 1, 'estimat', 'estimater')} mere om udfaldet)." if len(found) > 1 else "."
    if why := reviews.warnings(kb, r, res, best):
        return line + " **Kan ikke sammenlignes direkte:** " + "; ".join(md(w) for w in why) + "."
    line += " Samme udfald og tidsvindue, og begge fra randomiserede forsøg"
    overlap = reviews.overlap_text(res, best.estimate)
    return line + (f"; {md(overlap)}." if overlap else ".")


def _conclusion(r: Initiative) -> str:
    body = _bullets(md(c) for c in r.conclusion) or "Kilden giver ingen konklusion.\n"
    recs = ""
    if r.recommendations:
        recs = "### Kildens anbefalinger\n\n" + _bullets(md(x) for x in r.recommendations)
    return _section("Konklusion", body, recs)


def _criteria(r: Initiative) -> str:
    tg = r.target_group
    inc = _bullets(md(x) for x in tg.inclusion) or "Kilden angiver ingen inklusionskriterier.\n"
    exc = _bullets(md(x) for x in tg.exclusion) or "Kilden angiver ingen eksklusionskriterier.\n"
    return _section(
        "Inklusions- og eksklusionskriterier",
        "### Inklusion\n\n" + inc, "### Eksklusion\n\n" + exc,
    )


def _sources(kb: KnowledgeBase, r: Initiative) -> str:
    return _section("Kilder", _bullets(_source_line(kb, s) for s in r.sources))


def _source_line(kb: KnowledgeBase, s: SourceRef) -> str:
    return ref(s) + _read_link(kb, s.document)


def _document_link(kb: KnowledgeBase, document: str) -> str:
    """The document's entry on the sources page, and where to read it."""
    return f"{{ref}}`kilde-{document}`" + _read_link(kb, document)


def _read_link(kb: KnowledgeBase, document: str) -> str:
    """' (Læs dokumentet)' linking to the document's address, if it has one."""
    doc = kb.documents[document]
    href = doc.url or _doi_url(doc)
    return f" ({_anchor(href, 'Læs dokumentet', doc)})" if href else ""


def _doi_url(doc: Document) -> str | None:
    return f"https://doi.org/{doc.doi}" if doc.doi else None


def _anchor(href: str, text: str, doc: Document) -> str:
    """A plain link to where the reader finds a document: nothing is fetched when the page loads.
    The model admits only http(s) addresses and DOIs without spaces, quotes or angle brackets."""
    return inline("myst_link", href=href, text=text, lang=doc.language or "")


def _related(related: set[str]) -> str:
    if not related:
        return ""
    links = (layout.initiative(x).link for x in sorted(related))
    return _section("Relaterede indsatser", _bullets(links))


def about_record(r: Initiative, history: History, citation: Citation | None) -> str:
    """When the record last changed, its YAML source and how to cite the page."""
    changed, how = history.last_changed(r)
    source = inline("link", href=layout.record_file(r.id).url(layout.initiative(r.id)), text="datafil")
    facts = _facts([
        ("Senest ændret", f"{day(changed)} ({how})" if changed else "Ikke registreret"),
        ("Kontrolleret mod kodemanualen", review_line(r)),
        ("Posten som data", f"{source}; alle poster under {layout.DATA.link}"),
        ("Citér siden", citation.line(changed, r.title, layout.initiative(r.id).html) if citation else ""),
    ])
    return _section("Om posten", facts)


def review_line(r: Initiative) -> str:
    """When the record was last checked against the coding manual, and whether that version is the current one."""
    href = layout.METHOD.url(layout.initiative(r.id), "metode-kodemanual")
    manual = inline("link", href=href, text="kodemanualen")
    if r.review is None:
        return f"Ikke endnu; se {manual}"
    version = f"version {r.review.manual} af {manual}"
    if r.review.manual < MANUAL_VERSION:
        version += f"; den gældende er version {MANUAL_VERSION}"
    return f"{day(r.review.checked)} ({version})"


def changes_page(kb: KnowledgeBase, history: History) -> str:
    if not history.tracked:
        body = ("Historikken læses fra git, og denne udgave af vidensbasen er bygget uden git-historik. "
                "Hver indsats viser i stedet den dato, posten selv angiver, hvis den gør.\n")
        return page("aendringer", "Ændringer i posterne", body)
    titles = {r.id: r.title for r in kb.initiatives}
    blocks = []
    for when in sorted({c.day for c in history.changes}, reverse=True):
        lines = []
        for c in (c for c in history.changes if c.day == when):
            name = layout.initiative(c.record).link if c.record in titles else f"`{c.record}`"
            lines.append(f"{c.kind.capitalize()}: {name}")
        blocks.append(f"## {day(when)}\n\n{_bullets(lines)}")
    intro = (f"Hvornår posterne er tilføjet, ændret eller fjernet, nyeste først, ifølge versionshistorikken. "
             f"{plural(len(history.changes), 'ændring', 'ændringer')} i alt.\n")
    return page("aendringer", "Ændringer i posterne", intro, *blocks)


# --- indexes ----------------------------------------------------------------


def overview(kb: KnowledgeBase) -> str:
    """Every initiative by region, each with its effect in a line: light enough for a thousand records
    (issue 18), where a table row each weighed twice what a page may. The regions' pages have the tables."""
    intro = (
        f"Vidensbasen rummer {plural(len(kb.initiatives), 'indsats', 'indsatser')}, her efter region med "
        "deres effekt. Hver indsats har sin egen side med målgruppe, intervention, resultater, konklusion, "
        f"kriterier og kilder. {layout.FINDER.link} filtrerer dem efter målgruppe, sektor og resultater.\n"
    )
    blocks = []
    for region, term in kb.vocabularies["regions"].items():
        records = sorted((r for r in kb.initiatives if r.region == region), key=lambda r: danish_order(r.title))
        if records:
            them = "den" if len(records) == 1 else "dem"
            blocks.append(_section(md(term.label), f"{plural(len(records), 'indsats', 'indsatser')}. Siden "
                                   f"{layout.region(region).link} viser {them} i en tabel med indsatstype.\n",
                                   _initiative_list(kb, records)))
    return page("oversigt", "Alle indsatser", intro, *blocks)


def _initiative_list(kb: KnowledgeBase, records: list[Initiative]) -> str:
    """The initiatives on the overview, in raw HTML: a title each, linked, and the effect below it."""
    items = [{"href": layout.initiative(r.id).url(layout.OVERVIEW), "title": r.title, **_effect(kb, r)}
             for r in records]
    return render("initiative-list.html", items=items)


def regions_index(kb: KnowledgeBase) -> str:
    lines = []
    for region in kb.vocabularies["regions"]:
        n = sum(r.region == region for r in kb.initiatives)
        lines.append(f"{layout.region(region).link} "
                     f"({plural(n, 'indsats', 'indsatser') if n else 'ingen indsatser endnu'})")
    municipalities = sorted(kb.vocabularies["municipalities"],
                            key=lambda m: danish_order(kb.label("municipalities", m)))
    intro = ("Indsatserne ordnet efter region. Hver regions side viser regionens indsatser, ordnet efter "
             "klynge, de nationale indsatser og regionens kommuner.\n")
    return page(
        "regioner", "Indsatser efter region og kommune", intro, _bullets(lines),
        "## Find din kommune\n\nHver kommune fører til sin linje på regionens side.\n\n"
        + ", ".join(_municipality_link(kb, m, layout.REGIONS) for m in municipalities) + ".\n",
    )


def region_page(kb: KnowledgeBase, region: str) -> str:
    """The region's initiatives by cluster, then the national ones and the municipality lookup."""
    term = kb.vocabularies["regions"][region]
    own = [r for r in kb.initiatives if r.region == region]
    blocks = [f"Vidensbasen har {plural(len(own), 'indsats', 'indsatser')} fra {md(term.label)}.\n" if own
              else f"Vidensbasen har endnu ingen indsatser fra {md(term.label)}.\n"]
    for cluster, cluster_term in kb.vocabularies["clusters"].items():
        records = [r for r in own if r.cluster == cluster]
        if cluster_term.region == region and records:
            blocks.append(f"### {md(cluster_term.label)}\n\nSe også {layout.cluster(cluster).link}."
                          f"\n\n{_initiative_table(kb, records, where=False)}")
    rest = [r for r in own if not r.cluster]
    if rest:
        blocks.append(("### Uden klynge\n\n" if len(blocks) > 1 else "")
                      + _initiative_table(kb, rest, where=False))
    intro = md(term.description) + "\n" if term.description else ""
    if region == NATIONAL:
        return page(f"region-{region}", term.label, intro, *blocks)
    return page(f"region-{region}", term.label, intro, _section("Indsatser i regionen", *blocks),
                _national(kb), _municipalities(kb, region))


def _national(kb: KnowledgeBase) -> str:
    records = [r for r in kb.initiatives if r.region == NATIONAL]
    if not records:
        return _section("Nationale indsatser", "Vidensbasen har endnu ingen nationale indsatser.\n")
    return _section("Nationale indsatser", "Indsatser og rammer for hele landet gælder også her.\n",
                    _initiative_table(kb, records, where=False))


def _municipalities(kb: KnowledgeBase, region: str) -> str:
    """A lookup table: each of the region's municipalities, its cluster where a source gives it, and the
    initiatives that concern its citizens, each under its reason (kb.geography)."""
    rows = ["| Kommune | Klynge | Nævner kommunen | Nævner kommunens klynge og ingen kommuner |",
            "|---|---|---|---|"]
    terms, clusters = kb.vocabularies["municipalities"], kb.vocabularies["clusters"]
    for m, term in sorted(terms.items(), key=lambda item: danish_order(item[1].label)):
        if term.region != region:
            continue
        by_reason = {key: [layout.initiative(r.id).link for r in kb.initiatives
                           if geography.reason(kb, r, m) == key] for key in ("kommune", "klynge")}
        cluster = md(clusters[term.cluster].label) if term.cluster else "Ikke oplyst"
        name = inline("target", id=f"kommune-{m}", text=term.label)
        rows.append(f'| {name} | {cluster} | {", ".join(by_reason["kommune"]) or "Ingen"} | '
                    f'{", ".join(by_reason["klynge"]) or "Ingen"} |')
    note = ("Ud for hver kommune står de indsatser, der nævner den, og dem, der nævner dens klynge uden at nævne "
            "kommuner. Regionens indsatser uden klynge og kommuner og de nationale gælder for alle regionens "
            "kommuner. En indsats, der nævner andre kommuner eller en anden klynge, står ikke ud for kommunen; "
            "sådan virker filteret 'Borgerens kommune' i Find en indsats også.\n")
    sources = sorted({clusters[t.cluster].source.document for t in terms.values()
                      if t.region == region and t.cluster and clusters[t.cluster].source})
    if sources:
        note += "\nHvilke kommuner der hører til hvilken klynge, står i " + " og ".join(
            f"{md(kb.documents[d].title)} ({md(kb.documents[d].publisher)}, {md(kb.documents[d].date)})"
            for d in sources) + ".\n"
    elif any(t.region == region for t in clusters.values()):
        note = "Kilderne siger ikke, hvilke kommuner der hører til hvilken klynge. " + note
    return _section("Kommunerne", note, "\n".join(rows) + "\n")


def clusters_index(kb: KnowledgeBase) -> str:
    used = _used(kb, lambda r: [r.cluster] if r.cluster else [])
    lines = _bullets(
        f"{layout.cluster(c).link} "
        f"({plural(sum(r.cluster == c for r in kb.initiatives), 'indsats', 'indsatser')})"
        for c in used
    )
    intro = "Indsatserne ordnet efter klynge: et akuthospital og kommunerne i dets optageområde.\n"
    return page("klynger", "Indsatser efter klynge", intro, lines)


def types_index(kb: KnowledgeBase) -> str:
    used = _used(kb, lambda r: r.intervention.types)
    lines = _bullets(
        f"{layout.intervention_type(t).link} "
        f"({plural(sum(t in r.intervention.types for r in kb.initiatives), 'indsats', 'indsatser')})"
        for t in used
    )
    intro = "Indsatserne ordnet efter type. En indsats kan have flere typer.\n"
    return page("typer", "Indsatser efter type", intro, lines)


def cluster_page(kb: KnowledgeBase, cluster: str) -> str:
    term = kb.vocabularies["clusters"][cluster]
    records = [r for r in kb.initiatives if r.cluster == cluster]
    intro = md(term.description) + "\n" if term.description else ""
    intro += f"Klyngen ligger i {layout.region(term.region).link}.\n"
    return page(f"klynge-{cluster}", term.label, intro, _initiative_table(kb, records))


def type_page(kb: KnowledgeBase, kind: str) -> str:
    term = kb.vocabularies["intervention_types"][kind]
    records = [r for r in kb.initiatives if kind in r.intervention.types]
    intro = "".join(
        f"{md(x)}\n" for x in (term.description, f"Gruppe: {term.group}" if term.group else None) if x
    )
    intro += f"Længere nede: {{ref}}`hvad international forskning finder om typen <forskning-{kind}>`.\n"
    return page(f"type-{kind}", term.label, intro, _initiative_table(kb, records), _research_box(kb, kind))


def _research_box(kb: KnowledgeBase, kind: str) -> str:
    """The systematic reviews of the type: each pooled estimate in plain words, where it was read, and how
    the Danish records of the type measure the same outcome (issue 27)."""
    found = reviews.reviews_of_type(kb, kind)
    blocks = [_review_block(kb, kind, review) for review in found] or [
        "Vidensbasen har endnu ingen systematisk oversigt over denne type indsats, så der er intet "
        "internationalt estimat at holde de danske resultater op imod.\n"]
    intro = ("Systematiske oversigter samler mange forsøg om samme slags indsats. Estimaterne er oversigternes "
             "egne; hvert tal er læst der, hvor der står *Læst i*. Et dansk tidsvindue regnes for "
             f"sammenligneligt, når det ligger højst {reviews.WINDOW_TOLERANCE} dage fra oversigtens; alle "
             "reglerne står under {ref}`metode-international`.\n"
             ) if found else ""
    if measures := reviews.legend([est for review in found for est in review.estimates]):
        blocks.append(f"Målene: {md(measures)}.\n")
    box = "\n".join(b.rstrip("\n") + "\n" for b in [intro, *blocks] if b)
    heading = f"(forskning-{kind})=\n## Hvad finder international forskning?\n\n"
    return f"{heading}:::{{container}} kb-research\n{box}:::\n"


def _review_block(kb: KnowledgeBase, kind: str, review: SystematicReview) -> str:
    size = f" {plural(review.trials, 'studie', 'studier')} i alt." if review.trials else ""
    head = (f"**{md(review.title)}**{_read_link(kb, review.document)}\n\n"
            f"Population: {md(review.population)}{size} Søgt til {md(review.searched)}.\n")
    if not review.estimates:  # a narrative synthesis: its conclusion in words
        return f"{head}\n{md(review.summary)} {_read_in(kb, review, review.source)}\n"
    items = []
    for est in review.estimates:
        details = f"{reviews.certainty_text(est)}" + (f"; I² {number(est.i2)} %" if est.i2 is not None else "")
        items.append(f"- {md(reviews.estimate_text(kb, est))}. {md(details)}. {_read_in(kb, review, est.source)}\n"
                     f"  - {md(reviews.danish_text(kb, kind, est))}\n")
    return head + "\n" + "".join(items)


def _read_in(kb: KnowledgeBase, review: SystematicReview, source: SourceRef) -> str:
    """Whether the figures were checked, and where they were read: the section alone when it is in the
    review's own document, linked above."""
    checked = read_note(kb.documents[source.document]).capitalize()
    if source.document != review.document:
        return f"{checked}. Læst i: {ref(source)}"
    return f"{checked}. Læst i: {md(source.locator)}" + (f" – {md(source.note)}" if source.note else "")


def sources_page(kb: KnowledgeBase) -> str:
    blocks = []
    for doc in sorted(kb.documents.values(), key=lambda d: d.id):
        cited = [r for r in kb.initiatives if any(s.document == doc.id for s in r.sources)]
        reviews = [r for r in kb.reviews if r.document == doc.id]  # data/reviews/ (issue 27)
        facts = _facts([
            ("Forfattere", "; ".join(md(a) for a in doc.authors)),
            ("Udgiver", md(doc.publisher)),
            ("Dato", md(doc.date)),
            ("Sprog", md(LANGUAGES.get(doc.language, doc.language)) if doc.language else ""),
            ("Dokumentet", _anchor(doc.url, "Læs dokumentet", doc) if doc.url else ""),
            ("DOI", _anchor(_doi_url(doc), doc.doi, doc) if doc.doi else ""),
            ("Indsatser, der citerer dokumentet", str(len(cited))),
            ("Systematisk oversigt i vidensbasen", ", ".join(md(r.title) for r in reviews)),
        ])
        desc = md(doc.description) + "\n\n" if doc.description else ""
        blocks.append(f"(kilde-{doc.id})=\n## {md(doc.title)}\n\n{desc}{facts}")
    intro = "Alle tal på siden kan føres tilbage til et af disse dokumenter.\n"
    return page("kilder", "Kilder", intro, *blocks)
