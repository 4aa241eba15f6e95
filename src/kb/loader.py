"""Reading ``data/`` into validated model objects, collecting every problem.

Nothing here prints or exits: callers get a ``KnowledgeBase`` or a
``DataError`` holding all problems at once, each with file, line and field.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import messages
from .messages import (
    describe,
    design_without_figure,
    document_id_in_text,
    effect_without_measurement,
    measured_but_no,
)
from .model import (
    COMPARABLE_GROUP,
    COMPARES,
    EXPECTATION,
    MEASURED,
    NATIONAL,
    NOT_MEASURED,
    NOT_READ,
    NOT_STATED,
    RANDOMISED,
    REGIONAL,
    VOCABULARIES,
    VOCABULARY_MODELS,
    Context,
    Coverage,
    Document,
    Initiative,
    KnowledgeBase,
    SystematicReview,
    VocabTerm,
)
from .yamlsafe import Loc, Parsed, Problem, format_loc, read_many

REPO = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """``$KB_DATA_DIR`` if set (fixture sites, analysts), else the repository's data/."""
    return Path(os.environ.get("KB_DATA_DIR") or REPO / "data")


class DataError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


def load(data_dir: Path | None = None, jobs: int = 1) -> KnowledgeBase:
    """Load and validate everything under ``data_dir``; raise DataError on any problem.

    ``jobs`` > 1 parses many records in forked workers; only for callers without threads.
    """
    root = Path(data_dir or default_data_dir())
    problems: list[Problem] = []
    broken: dict = {}  # vocabulary -> ids of its invalid entries: references to them are not errors too
    known: dict = {}  # what is loaded so far: terms may cite a document, clusters name a region
    shared = {"vocabularies": known, "broken": broken}
    documents = known["documents"] = _load_terms(root, root / "documents.yml", Document, shared, problems,
                                                 "documents")
    for name in sorted(VOCABULARIES, key=lambda n: n in REGIONAL):  # after the regions they name
        model = VOCABULARY_MODELS.get(name, VocabTerm)
        known[name] = _load_terms(root, root / "vocab" / f"{name}.yml", model, shared, problems, name)
    vocabularies = {name: known[name] for name in VOCABULARIES}
    terms = {"vocabularies": {**vocabularies, "documents": documents}, "broken": broken}
    initiatives = _load_records(root, "projects", Initiative, terms, problems, jobs)
    reviews = _load_records(root, "reviews", SystematicReview, terms, problems, jobs)
    context: dict[str, Loaded] = {}
    for name, info in Context.model_fields.items():
        path = root / "context" / f"{name}.yml"  # a missing file means an empty field
        if _present(path) and (item := read_file(root, path, info.annotation, terms, problems)):
            context[name] = item
    coverage = [item for path in sorted((root / "coverage").glob("*.yml"))
                if (item := read_file(root, path, Coverage, terms, problems))]
    ids = {item.value.id for item in initiatives}
    for item in [*initiatives, *context.values()]:
        problems += unique_ids(item)
    problems += _check_related(initiatives, ids)
    problems += _check_blueprints(initiatives, vocabularies["actors"])
    problems += _check_regions(initiatives, vocabularies)
    problems += _check_coding(initiatives, vocabularies["evidence_designs"])
    problems += _check_comparable(initiatives, vocabularies["outcomes"], vocabularies["evidence_designs"])
    problems += _check_ids_in_text(initiatives, documents)
    problems += _check_references(context, coverage, ids)
    problems += _check_numbers(context)
    problems += _check_coverage(initiatives, coverage)
    problems += _check_reviews(reviews, documents)
    if problems:
        raise DataError(problems)
    return KnowledgeBase(
        root, vocabularies, documents, [item.value for item in initiatives],
        Context(**{name: item.value for name, item in context.items()}),
        [item.value for item in coverage], [item.value for item in reviews],
    )


class Loaded(NamedTuple):
    """A validated value with what is needed to point at its lines later."""

    value: object
    lines: dict[Loc, int]
    display: str


def _display(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def read_file(root: Path, path: Path, root_type, terms: dict, problems: list) -> Loaded | None:
    """Parse and validate one file; on failure its problems are added and None returned."""
    display = _display(root, path)
    return _checked(read_many([(path, display, root)])[0], display, root_type, terms, problems)


def _checked(parsed: Parsed | list[Problem], display: str, root_type, terms: dict,
             problems: list) -> Loaded | None:
    """Validate what ``read_many`` gave for one file."""
    if isinstance(parsed, list):
        problems.extend(parsed)
        return None
    value = _validate(root_type, parsed.data, parsed, display, problems, terms)
    return None if value is None else Loaded(value, parsed.lines, display)


def _present(path: Path) -> bool:
    """Whether there is something at ``path``: a folder or a dangling link is for the reader to refuse."""
    return path.exists() or path.is_symlink()


def _load_terms(root: Path, path: Path, model: type[BaseModel], terms: dict, problems: list,
                name: str) -> dict:
    """A shared list (documents, a vocabulary), entry by entry: a bad entry loses only itself,
    and its id goes to ``terms["broken"]`` so that what refers to it is not an error as well."""
    display, broken = _display(root, path), terms["broken"]
    if not _present(path):
        problems.append(Problem(display, 1, "", "filen mangler"))
        return {}
    parsed = read_many([(path, display, root)])[0]
    if isinstance(parsed, list) or not isinstance(parsed.data, list):
        _checked(parsed, display, list[model], terms, problems)  # its problems; the list stays empty
        broken[name] = _Every()  # and no reference to it is an error as well
        return {}
    good: list[tuple[Loc, BaseModel]] = []
    for i, entry in enumerate(parsed.data):
        value = _validate(model, entry, parsed, display, problems, terms, (i,))
        if value is not None:
            good.append(((i,), value))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            broken.setdefault(name, set()).add(entry["id"])
    problems += duplicates(Loaded(None, parsed.lines, display), [(loc, v.id) for loc, v in good])
    return {value.id: value for _, value in good}


class _Every:
    """Stands for all the ids of a shared list that could not be read at all."""

    def __contains__(self, _) -> bool:
        return True


def _load_records(root: Path, name: str, model: type[BaseModel], terms: dict, problems: list,
                  jobs: int) -> list[Loaded]:
    """One record per file in ``root/name`` (initiatives in projects/, reviews in reviews/; a missing
    folder has none), each file named by its record's id."""
    folder = root / name
    files = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.suffix == ".yml":
            files.append(path)
        elif not (path.name.startswith(".") or path.name.endswith("~")):
            problems.append(Problem(_display(root, path), 1, "", messages.ignored_file(path)))
    out: list[Loaded] = []
    parsed = read_many([(path, _display(root, path), root) for path in files], jobs)
    for path, result in zip(files, parsed, strict=True):
        loaded = _checked(result, _display(root, path), model, terms, problems)
        if loaded is None:
            continue
        if loaded.value.id != path.stem:
            problems.append(Problem(
                loaded.display, loaded.lines.get(("id",), 1), "id",
                messages.id_not_file_name(path.stem, loaded.value.id),
            ))
            continue
        out.append(loaded)
    return out


# --- checks across items and files --------------------------------------------------
# Record ids are unique because they are file names; every list of items with ids inside a
# file (recommendations, action plans, blueprint steps, terms, documents) goes through ``duplicates``.


def duplicates(item: Loaded, entries: Iterable[tuple[Loc, str]], field: str = "id",
               what: str = "id'et '{}'", fix: str = "giv det et andet id") -> list[Problem]:
    """One problem for each (loc, value) whose value an earlier entry of the same list has."""
    first: dict[str, Loc] = {}
    problems = []
    for loc, value in entries:
        if value in first:
            line = _line_of((*first[value], field), item.lines)
            problems.append(_problem(item, (*loc, field), messages.twice(what.format(value), line, fix)))
        else:
            first[value] = loc
    return problems


def _check_numbers(context: dict[str, Loaded]) -> list[Problem]:
    """A source's numbering of its recommendations of one kind is unique (the page lists them by it)."""
    item = context.get("recommendations")
    if item is None:
        return []
    groups: dict[tuple[str, str], list[tuple[Loc, str]]] = {}
    for i, rec in enumerate(item.value):
        if rec.number is not None:
            groups.setdefault((rec.source.document, rec.kind), []).append(((i,), str(rec.number)))
    return [p for entries in groups.values()
            for p in duplicates(item, entries, "number", "nummer {} for samme slags anbefaling i samme kilde",
                                "ret nummeret, så det følger kildens nummerering")]


def unique_ids(item: Loaded) -> list[Problem]:
    """``duplicates`` for every list of items with an ``id`` in a validated file."""
    return [p for entries in _id_lists(item.value, ()) for p in duplicates(item, entries)]


def _id_lists(value, loc: Loc) -> Iterator[list[tuple[Loc, str]]]:
    """For each list in ``value`` (a model, a list or a leaf): the (loc, id) of its items that have ids."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _id_lists(getattr(value, name), (*loc, name))
    elif isinstance(value, list):
        yield [((*loc, i), x.id) for i, x in enumerate(value)
               if isinstance(x, BaseModel) and "id" in type(x).model_fields]
        for i, x in enumerate(value):
            yield from _id_lists(x, (*loc, i))


def _check_related(initiatives: list[Loaded], ids: set[str]) -> list[Problem]:
    """Related ids must name another record that exists."""
    problems: list[Problem] = []
    for item in initiatives:
        for i, other in enumerate(item.value.related):
            if other == item.value.id:
                problems.append(_problem(item, ("related", i), "henviser til sig selv; slet linjen"))
            elif other not in ids:
                problems.append(_unknown(item, ("related", i), other, ids))
    return problems


def _check_blueprints(initiatives: list[Loaded], actors: dict[str, VocabTerm]) -> list[Problem]:
    """Hand-offs to a step in another lane, actors in their own lane (step ids: ``duplicates``)."""
    problems: list[Problem] = []
    for item in initiatives:
        blueprint = item.value.blueprint
        if blueprint is None:
            continue
        lanes: dict[str, str] = {}
        for i, step in enumerate(blueprint.steps):
            lanes.setdefault(step.id, step.lane)
            group = actors[step.actor].group if step.actor in actors else None
            if group and group != step.lane:
                problems.append(_problem(item, ("blueprint", "steps", i, "lane"),
                                         messages.actor_lane(group, step.actor, step.lane)))
        for i, step in enumerate(blueprint.steps):
            for j, target in enumerate(step.handoff_to):
                loc = ("blueprint", "steps", i, "handoff_to", j)
                if target not in lanes:
                    problems.append(_problem(item, loc, messages.unknown_step(target, list(lanes))))
                elif lanes[target] == step.lane:
                    problems.append(_problem(item, loc, messages.handoff_in_lane(target, step.lane)))
    return problems


def _check_regions(initiatives: list[Loaded], vocabularies: dict[str, dict[str, VocabTerm]]) -> list[Problem]:
    """A record's cluster and municipalities lie in its region (a national record may name any)."""
    problems: list[Problem] = []
    regions = vocabularies["regions"]
    for item in initiatives:
        record = item.value
        named = []
        if record.cluster:
            named.append((("cluster",), "en klynge", "slet 'cluster'", "clusters", record.cluster))
        if record.region != NATIONAL:
            named += [(("municipalities", i), "en kommune", "fjern kommunen fra listen", "municipalities", m)
                      for i, m in enumerate(record.municipalities)]
        for loc, what, fix, vocabulary, value in named:
            term = vocabularies[vocabulary].get(value)  # None: a broken entry, reported where it stands
            home = term.region if term else record.region
            if home != record.region:
                problems.append(_problem(item, loc, messages.outside_region(
                    what, regions[record.region].label, record.region, value, regions[home].label, home, fix)))
    return problems


def _check_coding(initiatives: list[Loaded], designs: dict[str, VocabTerm]) -> list[Problem]:
    """The coding manual's mechanical rules: a design that compares shows its figure or its comparison,
    and an effect measured 'ja' rests on an effect result that compares and has a direction, 'delvist' on one
    that measures (a count of reach is no effect result: ``Initiative.effects``); and 'nej' and 'afventer'
    have none that measures, so a flag never says "not measured" beside a result that reads "Målt: …", and
    the answer agrees with what the finder calls measured (``kb.counts.found``)."""
    problems: list[Problem] = []

    def rank(res) -> int:
        term = designs.get(res.design)  # None: a broken term, reported where it stands
        return (term.rank or 0) if term else MEASURED

    for item in initiatives:
        record = item.value
        for i, res in enumerate(record.results):
            if rank(res) >= COMPARES and res.value is None and res.comparison is None:
                problems.append(_problem(item, ("results", i, "design"),
                                         design_without_figure(res.design, designs[res.design].label)))
        answer = record.measurement.effect_measured
        lowest = {"ja": COMPARES, "delvist": MEASURED}.get(answer)
        if answer == "ja" and NOT_READ in record.measurement.gap_reasons:
            continue  # the study measured against a comparison; its results could not be read, so none stand
        if lowest is not None and not any(rank(res) >= lowest and (answer != "ja" or res.direction != "uklart")
                                          for res in record.effects):
            problems.append(_problem(item, ("measurement", "effect_measured"),
                                     effect_without_measurement(answer, lowest)))
        effects = {id(res) for res in record.effects}
        measured = [i for i, res in enumerate(record.results) if id(res) in effects and rank(res) >= MEASURED]
        if answer in ("nej", "afventer") and measured:  # a flag "Ikke målt" beside a line "Målt: …"
            res = record.results[measured[0]]
            problems.append(_problem(item, ("measurement", "effect_measured"),
                                     measured_but_no(answer, measured[0], res.design, designs[res.design].label)))
    return problems


COMPARABLE_FIELDS = ("window", "events", "denominator", "data_source", "adjusted")


def comparable(outcomes: dict[str, VocabTerm], outcome: str) -> bool:
    """Whether results on ``outcome`` state the fields that make them comparable: the outcomes
    vocabulary says so by the term's group, not a list here."""
    term = outcomes.get(outcome)
    return term is not None and term.group == COMPARABLE_GROUP


def _check_comparable(initiatives: list[Loaded], outcomes: dict[str, VocabTerm],
                      designs: dict[str, VocabTerm]) -> list[Problem]:
    """A reported, measured result on admissions, readmissions, mortality or length of stay states its
    window, events, denominator, data source, adjustment and kind of comparison (each may be 'ikke-oplyst');
    a randomised design has a randomised comparison and n in each group, unless the source gives none."""
    problems: list[Problem] = []
    for item in initiatives:
        for i, res in enumerate(item.value.results):
            here = ("results", i)
            c = res.comparison
            needed = comparable(outcomes, res.outcome) and res.kind != EXPECTATION and res.design != NOT_MEASURED
            if needed:
                missing = [f for f in COMPARABLE_FIELDS if getattr(res, f) is None]
                if c is None or c.kind is None:
                    missing.append("comparison.kind")
                if missing:
                    message = messages.comparable_fields_missing(res.outcome, outcomes[res.outcome].label,
                                                                 COMPARABLE_GROUP, missing)
                    problems.append(_problem(item, (*here, *missing[0].split(".")), message))
            if res.design != RANDOMISED or not (needed or (c and c.kind)):
                continue
            label = designs[res.design].label if res.design in designs else res.design
            if c is not None and c.kind not in (None, "randomiseret"):
                problems.append(_problem(item, (*here, "comparison", "kind"),
                                         messages.randomised_kind(res.design, label, c.kind)))
            sizes = {"n": res.n, "comparison.n": c.n if c else None}
            missing_n = [f for f, n in sizes.items() if n is None]
            if needed and missing_n and res.group_sizes != NOT_STATED:
                at = (*here, *missing_n[0].split("."))
                problems.append(_problem(item, at, messages.randomised_group_sizes(res.design, missing_n)))
    return problems


def _check_ids_in_text(initiatives: list[Loaded], documents: dict[str, Document]) -> list[Problem]:
    """Readers see a document's title, never its id: no text of a record names a document by its id."""
    problems: list[Problem] = []

    def texts(value, loc: Loc) -> Iterator[tuple[Loc, str]]:
        if isinstance(value, str):
            yield loc, value
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key != "document":  # the reference itself
                    yield from texts(inner, (*loc, key))
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                yield from texts(inner, (*loc, i))

    for item in initiatives:
        for loc, text in texts(item.value.model_dump(exclude={"id", "related"}), ()):
            for doc in documents.values():
                if doc.id in text:
                    problems.append(_problem(item, loc, document_id_in_text(doc.id, doc.title)))
    return problems


def _problem(item: Loaded, loc: Loc, message: str) -> Problem:
    return Problem(item.display, _line_of(loc, item.lines), format_loc(loc), message)


def _check_references(context: dict[str, Loaded], coverage: list[Loaded], ids: set[str]) -> list[Problem]:
    """Record ids named in context and coverage files must exist."""
    places: list[tuple[Loaded, Loc, str]] = []
    if "recommendations" in context:
        item = context["recommendations"]
        places += [(item, (i, "initiatives", j), x)
                   for i, rec in enumerate(item.value) for j, x in enumerate(rec.initiatives)]
    if "syddanmark_mapping" in context:
        item = context["syddanmark_mapping"]
        places += [(item, ("groups", i, "initiatives", j), x)
                   for i, g in enumerate(item.value.groups) for j, x in enumerate(g.initiatives)]
    for item in coverage:
        places += [(item, ("entries", i, "records", j), x)
                   for i, e in enumerate(item.value.entries) for j, x in enumerate(e.records)]
    return [_unknown(item, loc, x, ids) for item, loc, x in places if x not in ids]


def _check_coverage(initiatives: list[Loaded], coverage: list[Loaded]) -> list[Problem]:
    """A coverage list (optional, one per document) names records that cite its document, and a
    record citing a document that has one is named in it or in another of its documents' lists."""
    problems: list[Problem] = []
    by_id = {item.value.id: item.value for item in initiatives}
    listed: dict[str, set[str]] = {}
    for item in coverage:
        document = item.value.document
        if document in listed:
            problems.append(_problem(item, ("document",), messages.second_coverage_list(document)))
        names = listed.setdefault(document, set())
        for i, entry in enumerate(item.value.entries):
            for j, record_id in enumerate(entry.records):
                names.add(record_id)
                record = by_id.get(record_id)
                if record and document not in _cited(record):
                    problems.append(_problem(item, ("entries", i, "records", j),
                                             messages.listed_without_citing(document, record_id)))
    for item in initiatives:
        covered = [d for d in dict.fromkeys(s.document for s in item.value.sources) if d in listed]
        if covered and not any(item.value.id in listed[d] for d in covered):
            problems.append(_problem(item, ("sources",), messages.not_in_coverage_list(covered)))
    return problems


def _check_reviews(reviews: list[Loaded], documents: dict[str, Document]) -> list[Problem]:
    """A review's document says where the reader finds it: a DOI or a url."""
    problems: list[Problem] = []
    for item in reviews:
        doc = documents.get(item.value.document)  # None: a broken entry, reported where it stands
        if doc is not None and doc.doi is None and doc.url is None:
            problems.append(_problem(item, ("document",), messages.review_document_without_link(doc.id)))
    return problems


def _cited(record: Initiative) -> set[str]:
    return {s.document for s in record.sources} | {res.source.document for res in record.results}


def _unknown(item: Loaded, loc: Loc, record_id: str, ids: set[str]) -> Problem:
    return _problem(item, loc, messages.unknown_record(record_id, ids))


@cache
def _adapter(root_type) -> TypeAdapter:
    return TypeAdapter(root_type)


def _validate(root_type, data, parsed: Parsed, display: str, problems: list, context: dict, prefix: Loc = ()):
    """``data`` (found at ``prefix`` in the parsed file) as ``root_type``, or None with its problems added."""
    try:
        return _adapter(root_type).validate_python(data, context=context)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = (*err["loc"], *(err.get("ctx") or {}).get("at", ()))  # a model validator's field
            err = {**err, "loc": loc}
            problems.append(Problem(
                display, _line_of((*prefix, *loc), parsed.lines), format_loc((*prefix, *loc)),
                describe(err, root_type, context, parsed.texts.get((*prefix, *loc)), entry=bool(prefix)),
            ))
        return None


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1
