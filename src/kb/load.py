"""Reading ``data/`` into validated model objects, collecting every problem.

Nothing here prints or exits: callers get a ``KnowledgeBase`` or a
``DataError`` holding all problems at once, each with file, line and field.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from .model import (
    SLUG_RE,
    VOCABULARIES,
    Context,
    Coverage,
    Document,
    Initiative,
    VocabTerm,
    is_model,
    unwrap,
)
from .yamlsafe import Loc, Problem, format_loc, read_many

REPO = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """``$KB_DATA_DIR`` if set (fixture sites, analysts), else the repository's data/."""
    return Path(os.environ.get("KB_DATA_DIR") or REPO / "data")


@dataclass
class KnowledgeBase:
    root: Path
    vocabularies: dict[str, dict[str, VocabTerm]]
    documents: dict[str, Document]
    initiatives: list[Initiative] = field(default_factory=list)
    context: Context = field(default_factory=Context)
    coverage: list[Coverage] = field(default_factory=list)

    def label(self, vocabulary: str, term: str) -> str:
        return self.vocabularies[vocabulary][term].label

    def strongest_design(self, designs: Iterable[str]) -> VocabTerm | None:
        """The highest-ranked of these evidence designs, or None if there are none."""
        terms = [self.vocabularies["evidence_designs"][d] for d in designs]
        return max(terms, key=lambda t: t.rank or 0, default=None)

    def by_id(self) -> dict[str, Initiative]:
        return {i.id: i for i in self.initiatives}


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
    documents = _load_terms(root, root / "documents.yml", Document, {}, problems)
    only_documents = {"vocabularies": {"documents": documents}}
    vocabularies = {
        name: _load_terms(root, root / "vocab" / f"{name}.yml", VocabTerm, only_documents, problems)
        for name in VOCABULARIES
    }
    terms = {"vocabularies": {**vocabularies, "documents": documents}}
    initiatives = _load_projects(root, terms, problems, jobs)
    context: dict[str, Loaded] = {}
    for name, info in Context.model_fields.items():
        path = root / "context" / f"{name}.yml"  # a missing file means an empty field
        if path.is_file() and (item := read_file(root, path, info.annotation, terms, problems)):
            context[name] = item
    coverage = [item for path in sorted((root / "coverage").glob("*.yml"))
                if (item := read_file(root, path, Coverage, terms, problems))]
    ids = {item.value.id for item in initiatives}
    problems += _check_ids(initiatives, ids)
    problems += _check_blueprints(initiatives, vocabularies["actors"])
    problems += _check_references(context, coverage, ids)
    problems += _check_coverage(initiatives, coverage)
    if problems:
        raise DataError(problems)
    return KnowledgeBase(
        root, vocabularies, documents, [item.value for item in initiatives],
        Context(**{name: item.value for name, item in context.items()}),
        [item.value for item in coverage],
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
    return _checked(read_many([(path, _display(root, path))])[0], _display(root, path), root_type, terms,
                    problems)


def _checked(parsed, display: str, root_type, terms: dict, problems: list) -> Loaded | None:
    """Validate what ``read_many`` gave for one file."""
    if isinstance(parsed, list):
        problems.extend(parsed)
        return None
    data, lines = parsed
    value = _validate(root_type, data, lines, display, problems, terms)
    return None if value is None else Loaded(value, lines, display)


def _load_terms(root: Path, path: Path, model: type[BaseModel], terms: dict, problems: list) -> dict:
    if not path.is_file():
        problems.append(Problem(_display(root, path), 1, "", "filen mangler"))
        return {}
    loaded = read_file(root, path, list[model], terms, problems)
    out: dict = {}
    for i, item in enumerate(loaded.value if loaded else []):
        if item.id in out:
            problems.append(Problem(loaded.display, loaded.lines.get((i,), 1), f"[{i}].id",
                                    f"id'et '{item.id}' står to gange"))
        out[item.id] = item
    return out


def _load_projects(root: Path, terms: dict, problems: list, jobs: int) -> list[Loaded]:
    folder = root / "projects"
    files = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.suffix == ".yml":
            files.append(path)
        elif not (path.name.startswith(".") or path.name.endswith("~")):
            hint = f"omdøb den til {path.stem}.yml" if path.suffix == ".yaml" else "kun .yml-filer læses"
            problems.append(Problem(_display(root, path), 1, "", f"filen ville blive ignoreret: {hint}"))
    out: list[Loaded] = []
    parsed = read_many([(path, _display(root, path)) for path in files], jobs)
    for path, result in zip(files, parsed, strict=True):
        loaded = _checked(result, _display(root, path), Initiative, terms, problems)
        if loaded is None:
            continue
        if loaded.value.id != path.stem:
            problems.append(Problem(
                loaded.display, loaded.lines.get(("id",), 1), "id",
                f"forventede id'et '{path.stem}' (= filnavnet), fandt '{loaded.value.id}'",
            ))
            continue
        out.append(loaded)
    return out


def _check_ids(initiatives: list[Loaded], ids: set[str]) -> list[Problem]:
    """Checks that need all records: unique ids, related ids that exist."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for item in initiatives:
        record = item.value
        if record.id in seen:
            problems.append(Problem(item.display, item.lines.get(("id",), 1), "id",
                                    f"id'et '{record.id}' bruges også i {seen[record.id]}"))
        seen[record.id] = item.display
        for i, other in enumerate(record.related):
            if other == record.id:
                problems.append(_problem(item, ("related", i), "henviser til sig selv"))
            elif other not in ids:
                problems.append(_unknown(item, ("related", i), other, ids))
    return problems


def _check_blueprints(initiatives: list[Loaded], actors: dict[str, VocabTerm]) -> list[Problem]:
    """Unique step ids, hand-offs to a step in another lane, actors in their own lane."""
    problems: list[Problem] = []
    for item in initiatives:
        blueprint = item.value.blueprint
        if blueprint is None:
            continue
        lanes: dict[str, str] = {}
        for i, step in enumerate(blueprint.steps):
            where = ("blueprint", "steps", i)
            if step.id in lanes:
                problems.append(_problem(item, (*where, "id"), f"trinnet '{step.id}' findes to gange"))
            lanes[step.id] = step.lane
            group = actors[step.actor].group if step.actor in actors else None
            if group and group != step.lane:
                problems.append(_problem(item, (*where, "lane"),
                                         f"forventede banen '{group}' for aktøren '{step.actor}', "
                                         f"fandt '{step.lane}'"))
        for i, step in enumerate(blueprint.steps):
            for j, target in enumerate(step.handoff_to):
                loc = ("blueprint", "steps", i, "handoff_to", j)
                if target not in lanes:
                    close = difflib.get_close_matches(target, lanes, n=1)
                    hint = f"; mente du '{close[0]}'?" if close else f"; trinnene er {', '.join(lanes)}"
                    problems.append(_problem(item, loc, f"forventede id'et på et trin, fandt '{target}'{hint}"))
                elif lanes[target] == step.lane:
                    problems.append(_problem(item, loc, f"'{target}' ligger i samme bane ('{step.lane}'); "
                                                        "en overlevering går til en anden bane"))
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
            problems.append(_problem(item, ("document",), f"dokumentet '{document}' har allerede en "
                                                          "dækningsliste; saml punkterne i én fil"))
        names = listed.setdefault(document, set())
        for i, entry in enumerate(item.value.entries):
            for j, record_id in enumerate(entry.records):
                names.add(record_id)
                record = by_id.get(record_id)
                if record and document not in _cited(record):
                    problems.append(_problem(item, ("entries", i, "records", j),
                                             f"forventede en indsats, der henviser til '{document}', fandt "
                                             f"'{record_id}', som ikke gør; tilføj dokumentet i dens "
                                             "'sources', eller fjern den her"))
    for item in initiatives:
        covered = [d for d in dict.fromkeys(s.document for s in item.value.sources) if d in listed]
        if covered and not any(item.value.id in listed[d] for d in covered):
            files = " eller ".join(f"data/coverage/{d}.yml" for d in covered)
            problems.append(_problem(item, ("sources",), f"posten står ikke i dækningslisten for de "
                                                         f"dokumenter, den henviser til; tilføj den i {files} "
                                                         "under det punkt, den bygger på"))
    return problems


def _cited(record: Initiative) -> set[str]:
    return {s.document for s in record.sources} | {res.source.document for res in record.results}


def _unknown(item: Loaded, loc: Loc, record_id: str, ids: set[str]) -> Problem:
    close = difflib.get_close_matches(record_id, ids, n=1)
    hint = f"; mente du '{close[0]}'?" if close else ""
    return _problem(item, loc, f"forventede id'et på en indsats, fandt '{record_id}', som ikke findes{hint}")


@cache
def _adapter(root_type) -> TypeAdapter:
    return TypeAdapter(root_type)


def _validate(root_type, data, lines, display, problems, context):
    try:
        return _adapter(root_type).validate_python(data, context=context)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            problems.append(Problem(
                display, _line_of(loc, lines), format_loc(loc),
                describe(err, root_type, context),
            ))
        return None


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


# --- turning pydantic's errors into messages for authors --------------------

_DANISH_DECIMAL = re.compile(r"^\s*-?\d+(\.\d{3})*,\d+\s*%?\s*$")


def _found(value) -> str:
    if isinstance(value, dict):
        return "en tabel af felter"
    if isinstance(value, list):
        return "en liste"
    if value is None:
        return "ingenting"
    return repr(value) if isinstance(value, str) else f"{value!r} ({type(value).__name__})"


def describe(err: dict, root_type, context: dict | None = None) -> str:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    loc = tuple(err["loc"])
    if value is None and kind != "missing":
        return _empty(root_type, loc, context)
    if kind == "missing":
        return f"forventede feltet '{loc[-1]}', fandt det ikke (feltet er påkrævet)"
    if kind == "extra_forbidden":
        allowed = _fields_at(root_type, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f"mente du '{close[0]}'?" if close else f"tilladte felter: {', '.join(allowed)}"
        return f"ukendt felt '{loc[-1]}'; {hint}"
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        expected = "et helt tal" if kind.startswith("int") else "et tal"
        message = f"forventede {expected}, fandt {_found(value)}"
        if isinstance(value, str) and _DANISH_DECIMAL.match(value):
            number = value.strip().rstrip("%").strip().replace(".", "").replace(",", ".")
            message += f"; skriv {number} (punktum som decimaltegn, uden anførselstegn og %)"
        return message
    if kind == "vocab":
        name = ctx["vocab"]
        home = "data/documents.yml" if name == "documents" else f"data/vocab/{name}.yml"
        return (f"forventede et term fra ordlisten '{name}', fandt {_found(value)}; "
                f"tilladt er: {ctx['allowed']} (nye termer tilføjes i {home})")
    if kind == "literal_error":
        expected = str(ctx.get("expected")).replace(" or ", " eller ")
        return f"forventede en af {expected}, fandt {_found(value)}"
    if kind == "string_pattern_mismatch":
        hint = ""
        if isinstance(value, str):
            hint = f"; fx '{slugify(value)}'"
        return f"forventede små bogstaver a-z, tal og bindestreger, fandt {_found(value)}{hint}"
    if kind in {"string_type", "string_too_short"}:
        return f"forventede en tekst, fandt {_found(value)}"
    if kind == "list_type":
        return f"forventede en liste (linjer der starter med '- '), fandt {_found(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"forventede en tabel af felter, fandt {_found(value)}"
    if kind == "too_short":
        return "forventede mindst ét element, fandt en tom liste" + \
            _allowed(root_type, (*loc, 0), context).replace(" med ", "; udfyld den med ", 1)
    if kind in {"greater_than_equal", "less_than_equal"}:
        return f"forventede en værdi {err['msg'].split('be ', 1)[-1]}, fandt {_found(value)}"
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return f"forventede en dato som 2024-05-31, fandt {_found(value)}"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"forventede true eller false, fandt {_found(value)}"
    # our own model validators already speak Danish
    return f"{err['msg'].removeprefix('Value error, ')}"


def _empty(root_type, loc: Loc, context: dict | None) -> str:
    """An empty field, as a new record from the template has them: say what belongs there."""
    info = _walk(root_type, loc)[1]
    required = info is not None and info.is_required() and isinstance(loc[-1], str)
    message = "feltet er tomt, men påkrævet; udfyld det" if required else \
        "feltet er tomt; udfyld det, eller slet linjen"
    return message + _allowed(root_type, loc, context)


def _allowed(root_type, loc: Loc, context: dict | None) -> str:
    """' med et term fra ordlisten …: a, b' for a term or choice field; '' for free text."""
    tp, vocabulary = unwrap(_walk(root_type, loc)[0])
    terms = ((context or {}).get("vocabularies") or {}).get(vocabulary)
    if terms:
        return f" med et term fra ordlisten '{vocabulary}': {', '.join(sorted(terms))}"
    if typing.get_origin(tp) is typing.Literal:
        return f" med en af {', '.join(map(repr, typing.get_args(tp)))}"
    return ""


def slugify(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
    return slug if SLUG_RE.match(slug) else "id"


def _fields_at(root_type, loc: Loc) -> list[str]:
    """The field names allowed at ``loc``."""
    tp = unwrap(_walk(root_type, loc)[0])[0]
    return sorted(tp.model_fields) if is_model(tp) else []


def _walk(root_type, loc: Loc) -> tuple[object, FieldInfo | None]:
    """The annotation at ``loc`` (with its metadata, e.g. a ``Vocab``) and the field it belongs to."""
    tp, info = root_type, None
    for part in loc:
        tp = unwrap(tp)[0]
        if isinstance(part, int):
            if typing.get_origin(tp) is not list:
                return None, None
            tp = typing.get_args(tp)[0]
        elif is_model(tp) and part in tp.model_fields:
            info = tp.model_fields[part]
            tp = typing.Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        else:
            return None, None
    return tp, info
