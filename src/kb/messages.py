"""Turning pydantic's errors into Danish messages an author can act on.

Each message says what was expected and what was found, and where one exists, the fix:
the term whose label or symbol was written, the number without a thousands separator, the
place a missing field belongs.
"""

from __future__ import annotations

import difflib
import math
import re
import typing
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from pydantic.fields import FieldInfo
from pydantic_core.core_schema import ErrorType

from .model import SLUG_RE, is_model, unwrap
from .yamlsafe import Loc, format_loc

_DANISH_DECIMAL = re.compile(r"^\s*-?\d+(\.\d{3})*,\d+\s*%?\s*$")
_THOUSANDS = re.compile(r"^\s*-?\d{1,3}([.,]\d{3})+\s*$")  # 1.250 or 1,250: a whole number
_BOUNDS = {"greater_than_equal": ("ge", "mindst"), "less_than_equal": ("le", "højst"),
           "greater_than": ("gt", "over"), "less_than": ("lt", "under")}
_PYDANTIC_KINDS = set(typing.get_args(ErrorType)) - {"value_error"}
_NUMBER_KINDS = {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"}


def describe(err: dict, root_type, context: dict | None = None, text: str | None = None,
             entry: bool = False) -> str:
    """The message for one pydantic error; ``text`` is a number's source text, when it was one."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    loc = tuple(err["loc"])
    if value is None and kind != "missing":
        return _empty(root_type, loc, context)
    if kind == "missing":
        return _missing(loc, entry)
    if kind == "extra_forbidden":
        allowed = _fields_at(root_type, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f"mente du '{close[0]}'?" if close else f"tilladte felter: {', '.join(allowed)}"
        return f"ukendt felt '{loc[-1]}'; {hint}"
    if kind in _NUMBER_KINDS:
        return _number(kind, value, text)
    if kind == "vocab":
        return _term(ctx["vocab"], value, context)
    if kind == "literal_error":
        expected = str(ctx.get("expected")).replace(" or ", " eller ")
        return f"forventede en af {expected}, fandt {found(value)}"
    if kind == "string_pattern_mismatch":
        vocabulary = unwrap(_walk(root_type, loc)[0])[1]
        if vocabulary:
            return _term(vocabulary, value, context)
        example = slugify(value) if isinstance(value, str) else None
        hint = f"; fx '{example}'" if example else ""
        return f"forventede små bogstaver a-z, tal og enkelte bindestreger, fandt {found(value)}{hint}"
    if kind == "string_too_long":
        return f"forventede højst {ctx.get('max_length')} tegn, fandt {len(value)}"
    if kind in {"string_type", "string_too_short"}:
        hint = "; sæt anførselstegn om den" if isinstance(value, date | int | float) else ""
        return f"forventede en tekst, fandt {found(value, text)}{hint}"
    if kind == "list_type":
        return f"forventede en liste (linjer der starter med '- '), fandt {found(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"forventede en tabel af felter, fandt {found(value)}"
    if kind == "too_short":
        return "forventede mindst ét element, fandt en tom liste" + \
            _allowed(root_type, (*loc, 0), context).replace(" med ", "; udfyld den med ", 1)
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"forventede {words} {ctx.get(key)}, fandt {found(value, text)}"
    if kind in {"date_from_datetime_parsing", "date_from_datetime_inexact", "date_parsing", "date_type"}:
        quoted = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip())
        return f"forventede en dato som 2024-05-31, fandt {found(value)}" + \
            ("; skriv den uden anførselstegn" if quoted else "")
    if kind in {"bool_type", "bool_parsing"}:
        return f"forventede true eller false, fandt {found(value)}"
    if kind in {"url_parsing", "url_scheme", "url_type"}:
        return f"forventede en webadresse som https://eksempel.dk/side, fandt {found(value)}"
    if kind in _PYDANTIC_KINDS:  # one of pydantic's, in English: never shown as it is
        return f"værdien passer ikke her, fandt {found(value, text)}; se feltets beskrivelse i CONTRIBUTING.md"
    # our own model validators already speak Danish
    return f"{err['msg'].removeprefix('Value error, ')}"


def found(value, text: str | None = None) -> str:
    """How a found value is shown; ``text`` is how the file wrote it, if it is not a string."""
    if isinstance(value, dict):
        return "en tabel af felter"
    if isinstance(value, list):
        return "en liste"
    if value is None:
        return "ingenting"
    if isinstance(value, bool):
        return f"{text or str(value).lower()} (en ja/nej-værdi)"
    if isinstance(value, date):
        return f"datoen {text or value}"
    shown = repr(value) if isinstance(value, str) else text or str(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _missing(loc: Loc, entry: bool = False) -> str:
    """``entry``: the field belongs to one entry of a list file (documents.yml, a vocabulary)."""
    top = "i punktet, med samme indrykning som 'id:'" if entry else "øverst i posten, uden indrykning"
    where = f"under '{format_loc(loc[:-1])}'" if loc[:-1] else top
    return f"forventede feltet '{loc[-1]}', fandt det ikke (feltet er påkrævet); tilføj '{loc[-1]}:' {where}"


def _number(kind: str, value, text: str | None) -> str:
    """A number that is not one, with the number to write instead where it can be told."""
    if kind == "finite_number":
        return f"forventede et endeligt tal, fandt {text or value}; skriv tallet, som kilden giver det"
    whole = kind.startswith("int")
    message = f"forventede {'et helt tal' if whole else 'et tal'}, fandt {found(value, text)}"
    written = (text if text is not None else value if isinstance(value, str) else "").strip()
    digits = re.sub(r"[.,]", "", written)
    if _THOUSANDS.match(written) and (whole or written.count(".") > 1):
        return message + f"; skriv {digits} (uden tusindtalsseparator)"
    if _DANISH_DECIMAL.match(written):
        if whole:
            return message + "; skriv et helt tal"
        number = written.rstrip("%").strip().replace(".", "").replace(",", ".")
        message += f"; skriv {number} (punktum som decimaltegn, uden anførselstegn og %)"
        return message + (f", eller {digits}, hvis kommaet skiller tusinder" if _THOUSANDS.match(written) else "")
    if isinstance(value, str) and _is_number(value):
        return message + f"; skriv {written} uden anførselstegn"
    return message


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _term(vocabulary: str, value, context: dict | None) -> str:
    """An unknown term: the term meant, when its id, label or symbol was written, else all terms."""
    terms = ((context or {}).get("vocabularies") or {}).get(vocabulary) or {}
    home = "data/documents.yml" if vocabulary == "documents" else f"data/vocab/{vocabulary}.yml"
    message = f"forventede et term fra ordlisten '{vocabulary}', fandt {found(value)}"
    meant = suggest_term(str(value), terms) if isinstance(value, str | int | float) else None
    allowed = ", ".join(sorted(terms)) or "ingen (ordlisten er tom)"
    hint = f"mente du '{meant}'? Tilladt er" if meant else "tilladt er"
    return f"{message}; {hint}: {allowed} (nye termer tilføjes i {home})"


def suggest_term(value: str, terms: dict) -> str | None:
    """The id of the term whose id, label or symbol ``value`` is, or nearly is."""
    names: dict[str, str] = {}
    for term_id, term in terms.items():
        for name in (term_id, getattr(term, "label", None), getattr(term, "symbol", None)):
            if name:
                names.setdefault(name.casefold(), term_id)
    wanted = value.strip().casefold()
    if wanted in names:
        return names[wanted]
    if (slug := slugify(value)) in terms:
        return slug
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.75)
    return names[close[0]] if close else None


def slugify(text: str) -> str | None:
    """An id for ``text`` that the id rule allows, or None if it has no letters or digits."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
    while len(slug) > 80:  # the id rule's limit: cut at a hyphen
        slug = slug.rsplit("-", 1)[0] if "-" in slug[:81] else slug[:80]
    return slug if SLUG_RE.match(slug) else None


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


# --- the coding manual's mechanical rules (checked in ``kb.loader``) ---------------------------------


def design_without_figure(design: str, label: str) -> str:
    return (f"forventede et tal ('value') eller en navngiven sammenligning ('comparison') ved design: {design} "
            f"({label}), fandt ingen af dem; giver kilden hverken tal eller sammenligning, er designet "
            "'ikke-oplyst-design' (se kodemanualen på metodesiden)")


def effect_without_measurement(answer: str, lowest: int) -> str:
    example = "'foer-efter'" if lowest > 1 else "'rundspoerge'"
    direction = " og en retning (ikke 'uklart')" if answer == "ja" else ""
    return (f"forventede mindst ét resultat med et design af rang {lowest} eller derover{direction} "
            f"(fx {example}) ved effect_measured: {answer}, fandt intet; en forventning, et tal for rækkevidde "
            "(outcome: raekkevidde), 'erfaring' og 'ikke-oplyst-design' er ikke målinger af en effekt. Angiver "
            "kilden ingen måling, er svaret 'nej' med en begrundelse i 'text' eller 'gap_reasons'"
            + ("; har undersøgelsen målt, men kunne resultaterne ikke læses, så skriv 'resultater-ikke-laest' i "
               "'gap_reasons'" if answer == "ja" else ""))


def measured_but_no(answer: str, index: int, design: str, label: str) -> str:
    return (f"forventede effect_measured: delvist eller ja, fandt '{answer}'; results[{index}] er målt (design: "
            f"{design}, {label}), og '{answer}' ville sætte et mærke om, at effekten ikke er målt, ved et "
            "resultat, der hedder 'Målt'. Er noget målt, er svaret 'delvist' (eller 'ja' ved en måling mod en "
            "sammenligning), også når mere afventer; er resultatet ikke målt, er designet 'erfaring', "
            "'ikke-oplyst-design' eller 'ikke-maalt'")


def comparable_fields_missing(outcome: str, label: str, group: str, missing: list[str]) -> str:
    fields = ", ".join(f"'{f}'" for f in missing)
    return (f"forventede {fields} ved outcome: {outcome} ({label}, et udfald i gruppen '{group}'), fandt "
            f"{'det' if len(missing) == 1 else 'dem'} ikke; skriv, hvad kilden siger, fx 'window: {{days: 30, "
            "after: udskrivelse}', 'events: akutte', 'denominator: patienter', 'data_source: register', "
            "'adjusted: nej' og 'comparison.kind: randomiseret', og 'ikke-oplyst' for det, kilden ikke siger "
            "(se \"Sammenlignelige resultater\" i CONTRIBUTING.md)")


def randomised_kind(design: str, label: str, kind: str | None) -> str:
    shown = f"'{kind}'" if kind else "ingen 'kind'"
    return (f"forventede comparison.kind: randomiseret ved design: {design} ({label}), fandt {shown}; er "
            "grupperne ikke fordelt ved lodtrækning, er designet et andet (fx 'kontrolleret-sammenligning')")


def randomised_group_sizes(design: str, missing: list[str]) -> str:
    fields = " og ".join(f"'{f}'" for f in missing)
    return (f"forventede antallet i hver gruppe ('n' og 'comparison.n') ved design: {design}, fandt ikke "
            f"{fields}; skriv antallene, som kilden giver dem, eller 'group_sizes: ikke-oplyst', når kilden "
            "ikke giver dem")


def document_id_in_text(document: str, title: str) -> str:
    return (f"forventede dokumentets titel i teksten, fandt id'et '{document}'; læseren ser aldrig id'er: skriv "
            f"fx 'notatet \"{title}\"'")


# --- checks across items and files (kb.loader) -----------------------------------------------------


def ignored_file(path: Path) -> str:
    hint = f"omdøb den til {path.stem}.yml" if path.suffix == ".yaml" else "kun .yml-filer læses"
    return f"filen ville blive ignoreret: {hint}"


def id_not_file_name(expected: str, found_id: str) -> str:
    return f"forventede id'et '{expected}' (= filnavnet), fandt '{found_id}'"


def twice(what: str, line: int, fix: str) -> str:
    return f"{what} står to gange (første gang i linje {line}); {fix}"


def actor_lane(lane: str, actor: str, found_lane: str) -> str:
    return f"forventede banen '{lane}' for aktøren '{actor}', fandt '{found_lane}'"


def unknown_step(target: str, steps: list[str]) -> str:
    close = difflib.get_close_matches(target, steps, n=1)
    hint = f"; mente du '{close[0]}'?" if close else f"; trinnene er {', '.join(steps)}"
    return f"forventede id'et på et trin, fandt '{target}'{hint}"


def handoff_in_lane(target: str, lane: str) -> str:
    return f"'{target}' ligger i samme bane ('{lane}'); en overlevering går til en anden bane"


def outside_region(what: str, region_label: str, region: str, value: str, home_label: str, home: str,
                   fix: str) -> str:
    return (f"forventede {what} i postens region, {region_label} ('{region}'), fandt '{value}', der ligger i "
            f"{home_label}; ret 'region' til '{home}', eller {fix}")


def second_coverage_list(document: str) -> str:
    return f"dokumentet '{document}' har allerede en dækningsliste; saml punkterne i én fil"


def listed_without_citing(document: str, record_id: str) -> str:
    return (f"forventede en indsats, der henviser til '{document}', fandt '{record_id}', som ikke gør; tilføj "
            "dokumentet i dens 'sources', eller fjern den her")


def not_in_coverage_list(documents: list[str]) -> str:
    files = " eller ".join(f"data/coverage/{d}.yml" for d in documents)
    return (f"posten står ikke i dækningslisten for de dokumenter, den henviser til; tilføj den i {files} "
            "under det punkt, den bygger på")


def unknown_record(record_id: str, ids: Iterable[str]) -> str:
    close = difflib.get_close_matches(record_id, list(ids), n=1)
    hint = f"; mente du '{close[0]}'?" if close else ""
    return f"forventede id'et på en indsats, fandt '{record_id}', som ikke findes{hint}"



def review_document_without_link(document: str) -> str:
    return (f"dokumentet '{document}' har hverken 'doi' eller 'url' i data/documents.yml; en oversigt skal "
            f"kunne findes: tilføj dens DOI (uden https://doi.org/) eller en url")
