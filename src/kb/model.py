"""The typed model of the knowledge base: the single source of truth.

Validation, the generated pages, the open-data tables and the JSON Schema for
editors (``kb.schema``) all derive from these classes. Field descriptions are in Danish because authors
read them.

Fields that take a term from a controlled vocabulary are annotated with
``Vocab("<name>")``; the terms themselves live in ``data/vocab/<name>.yml`` so
authors extend them by pull request. They are checked against the
vocabularies passed in the validation context.
"""

from __future__ import annotations

import math
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .text import number as danish_number

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=70)]  # a heading


@dataclass(frozen=True)
class Vocab:
    """Marks a field whose value must be a term of vocabulary ``name``."""

    name: str

    def check(self, value: str, info: ValidationInfo) -> str:
        """A term of the vocabulary; an invalid entry's id is not reported twice (``kb.loader`` reports it)."""
        vocabularies = (info.context or {}).get("vocabularies")
        if vocabularies is None:  # validating without data: shape only
            return value
        terms = vocabularies[self.name]
        if value not in terms and value not in info.context.get("broken", {}).get(self.name, ()):
            raise PydanticCustomError(
                "vocab",
                "ukendt term i ordlisten '{vocab}': tilladt er {allowed}",
                {"vocab": self.name, "allowed": ", ".join(sorted(terms))},
            )
        return value

    def __get_pydantic_json_schema__(self, core_schema, handler) -> dict:
        """Mark the field in the JSON Schema; ``kb.schema`` fills in the terms for editors."""
        return {**handler(core_schema), "x-vocabulary": self.name}


def vocabulary_of(metadata) -> str | None:
    """The vocabulary named by a field's ``Vocab`` marker, if it has one."""
    return next((m.name for m in metadata if isinstance(m, Vocab)), None)


def unwrap(tp) -> tuple[object, str | None]:
    """The type inside Annotated[...] and Optional[...], and the vocabulary its values must
    come from, if it is a term."""
    vocab = None
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp, *meta = typing.get_args(tp)
            vocab = vocabulary_of(meta) or vocab
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp, vocab


def is_model(tp) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def term(name: str):
    """A slug that must be a term of the vocabulary ``name``."""
    marker = Vocab(name)
    return Annotated[Slug, marker, AfterValidator(marker.check)]


class Strict(BaseModel):
    """Unknown fields are errors: a misspelt key must never be silently dropped. Values are never
    coerced ("7.9", true and yes are not numbers; an int is a float) and numbers are finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def field_error(kind: str, message: str, at: tuple[str, ...], **ctx) -> PydanticCustomError:
    """A model validator's error about the field ``at`` inside the model: ``kb.loader`` reports it there."""
    return PydanticCustomError(kind, message, {**ctx, "at": at})


# --- controlled vocabularies and source documents ---------------------------


class SourceRef(Strict):
    document: term("documents") = Field(title="Dokument", description="Kildedokumentets id.")
    locator: Text = Field(title="Afsnit", description="Afsnit eller overskrift i dokumentet.")
    note: Text | None = Field(
        None, title="Note", description="Hvad netop dette dokument siger, og hvornår."
    )



class VocabTerm(Strict):
    id: Slug = Field(description="Termens id (små bogstaver, bindestreg).")
    label: Text = Field(description="Navnet, som læseren ser det.")
    description: Text | None = Field(None, description="Hvad termen dækker.")
    group: Text | None = Field(None, description="Overordnet gruppe, fx i typologien.")
    rank: int | None = Field(
        None, description="Evidensdesigns styrke (højere er stærkere)."
    )
    symbol: str | None = Field(None, description="Enhedens tegn, fx '%'.")
    variants: list[Text] = Field(default_factory=list, description="Varianter, fx i typologien.")
    source: SourceRef | None = Field(None, description="Hvor termen er defineret i en kilde.")


NATIONAL = "nationalt"  # the region term for initiatives across the whole country


class RegionalTerm(VocabTerm):
    """A term that lies in one region: a cluster or a municipality."""

    region: term("regions") = Field(description="Regionen, termen hører til (id fra regions.yml).")


class MunicipalityTerm(RegionalTerm):
    """A municipality: its region and, where a source says so, the cluster (sundhedsklynge) it belongs to."""

    cluster: term("clusters") | None = Field(
        None, description="Klyngen (sundhedsklyngen), kommunen hører til, som en kilde angiver den (id fra "
                          "clusters.yml); kilden står ved klyngen.")

    @model_validator(mode="after")
    def _cluster_in_region(self, info: ValidationInfo) -> MunicipalityTerm:
        clusters = ((info.context or {}).get("vocabularies") or {}).get("clusters") or {}
        if self.cluster in clusters and clusters[self.cluster].region != self.region:
            raise field_error("cluster_region", "forventede en klynge i kommunens region '{region}', fandt "
                              "'{cluster}' i '{other}'", ("cluster",), region=self.region, cluster=self.cluster,
                              other=clusters[self.cluster].region)
        return self


# Vocabularies whose terms name their region; they are read after ``regions``, the clusters before the
# municipalities that name them.
REGIONAL = ("clusters", "municipalities")
VOCABULARY_MODELS = {"clusters": RegionalTerm, "municipalities": MunicipalityTerm}


def _matches(pattern: str, message: str):
    """A text check with a Danish message of its own (the model's pattern errors speak of ids)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError("text_form", message + ", fandt '{found}'", {"found": value})
        return value
    return AfterValidator(check)


# Links are written into pages as they are: a web address only, nothing a page could run.
Url = Annotated[Text, _matches(r"https?://[^\s<>\"'`\\]+", "forventede en adresse, der begynder med https://")]
Doi = Annotated[Text, _matches(r"10\.\d{4,9}/[^\s<>\"'`\\]+",
                               "forventede en DOI som 10.1186/1472-6963-15-1 (uden https://doi.org/)")]
Language = Annotated[Text, _matches(r"[a-z]{2}",
                                    "forventede en sprogkode på to små bogstaver, fx 'da' eller 'en'")]


def _inside_sources(value: str) -> str:
    """A path below $KB_SOURCES: relative, and never up out of the folder. The fidelity check reports
    which figures a text lacks, so a path outside would let a record probe any file the checker can read."""
    parts = value.replace("\\", "/").split("/")
    leaves = value.startswith(("/", "~")) or re.match(r"[A-Za-z]:", value) or ".." in parts
    if leaves or "\0" in value or "" in parts[:-1]:
        raise PydanticCustomError(
            "file_outside_sources",
            "forventede et filnavn i mappen med kildetekster ($KB_SOURCES), fx 'holbaek-2015.txt' eller "
            "'artikler/holbaek-2015.txt', fandt '{found}'; en sti må ikke begynde med / eller ~ og ikke gå "
            "op med ..", {"found": value})
    return value


SourceFile = Annotated[Text, AfterValidator(_inside_sources)]
LANGUAGES = {"da": "dansk", "en": "engelsk", "sv": "svensk", "no": "norsk", "nb": "norsk", "de": "tysk"}


class Document(Strict):
    id: Slug = Field(description="Dokumentets id, som kilder henviser til.")
    title: Text = Field(description="Dokumentets titel.")
    publisher: Text = Field(description="Udgiver eller afsender.")
    date: Text = Field(description="Dato eller periode, som dokumentet angiver den.")
    year: int = Field(
        ge=1990, le=2100,
        description="Årstal til tidslinjer; er 'date' omtrentlig, det seneste år den nævner.",
    )
    file: SourceFile | None = Field(
        None, description="Tekstfilens navn i mappen med kildetekster ($KB_SOURCES), hvis den findes; "
                          "en sti inde i mappen, aldrig uden for den."
    )
    description: Text | None = Field(None, description="Kort om indholdet.")
    url: Url | None = Field(None, description="Hvor læseren finder dokumentet, fx https://…")
    doi: Doi | None = Field(None, description="Dokumentets DOI uden https://doi.org/, fx 10.1186/…")
    authors: list[Text] = Field(default_factory=list, description="Forfatterne, som dokumentet nævner dem.")
    language: Language | None = Field(None, description="Sprogkode efter ISO 639-1, fx 'da' eller 'en'.")


# --- an initiative record ----------------------------------------------------


class Period(Strict):
    start: int | None = Field(None, ge=1990, le=2100, title="Startår", description="Startår.")
    end: int | None = Field(None, ge=1990, le=2100, title="Slutår", description="Slutår.")
    text: Text | None = Field(None, title="Periode i kildens ord", description="Perioden med kildens ord.")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end < self.start:
            raise field_error("period_order", "slutår {end} ligger før startår {start}; byt om på dem, "
                              "eller ret det forkerte år", ("end",), start=self.start, end=self.end)
        return self


class Screening(Strict):
    tool: Text = Field(title="Screeningsværktøj", description="Screeningsværktøjet.")
    operator: Literal[">", ">="] = Field(title="Grænse", description="'>' (over) eller '>=' (eller derover).")
    threshold: float = Field(title="Tærskel", description="Tærskelværdien.")


class TargetGroup(Strict):
    min_age: int | None = Field(None, ge=0, le=120, title="Nedre aldersgrænse (år)",
                                description="Nedre aldersgrænse (år).")
    residence: list[Text] = Field(default_factory=list, title="Bopæl", description="Bopæl (kommuner, klynge).")
    settings: list[term("settings")] = Field(
        default_factory=list, title="Hvor borgeren er", description="Hvor borgeren bor eller opholder sig."
    )
    diagnoses: list[term("diagnoses")] = Field(default_factory=list, title="Diagnoser", description="Diagnoser.")
    screening: Screening | None = Field(None, title="Screening", description="Screeningskriterium.")
    description: Text | None = Field(None, title="Beskrivelse", description="Målgruppen med egne ord.")
    inclusion: list[Text] = Field(default_factory=list, title="Inklusionskriterier",
                                  description="Inklusionskriterier.")
    exclusion: list[Text] = Field(default_factory=list, title="Eksklusionskriterier",
                                  description="Eksklusionskriterier.")


class Intervention(Strict):
    types: list[term("intervention_types")] = Field(
        min_length=1, title="Indsatstyper", description="Indsatstyper fra typologien."
    )
    description: Text = Field(title="Beskrivelse", description="Hvad indsatsen består i, med egne ord.")
    actors: list[term("actors")] = Field(default_factory=list, title="Aktører", description="Hvem der deltager.")
    timing: Text | None = Field(None, title="Tidspunkt", description="Hvornår, fx 'inden for 24 timer'.")


NOT_STATED = "ikke-oplyst"  # an explicit answer in every field that makes a result comparable
NOT_STATED_LABEL = "ikke oplyst i kilden"

# The fields that make results on admissions, readmissions, mortality and length of stay comparable
# (issue 26). Each: value -> (label, what it means); the label is how the page's line says it.
COMPARISON_KINDS = {
    "randomiseret": ("randomiseret", "grupperne er fordelt ved lodtrækning (randomisering)"),
    "samtidig": ("samtidig kontrolgruppe, ikke randomiseret",
                 "en kontrolgruppe i samme periode, fordelt på anden vis end ved lodtrækning, fx efter "
                 "bopælskommune eller indlæggelsesdag"),
    "historisk": ("historisk sammenligning", "en gruppe eller et tal fra en tidligere periode, fx året før"),
    "befolkning": ("sammenlignet med et befolkningstal",
                   "et tal for hele befolkningen, hospitalet eller landet, ikke en sammenlignelig gruppe"),
    "ingen": ("ingen sammenligning", "kilden sammenligner ikke med noget"),
    NOT_STATED: ("sammenligning ikke oplyst i kilden", "kilden siger ikke, hvad der er sammenlignet med"),
}
WINDOW_AFTER = {
    "udskrivelse": ("efter udskrivelsen", "regnet fra udskrivelsen"),
    "indlaeggelse": ("efter indlæggelsen", "regnet fra indlæggelsen (indlæggelsesdagen)"),
    "randomisering": ("efter randomiseringen", "regnet fra lodtrækningen"),
    "inklusion": ("efter inklusionen", "regnet fra inklusionen i projektet eller studiet"),
    NOT_STATED: ("(hvorfra, er ikke oplyst i kilden)", "kilden siger ikke, hvorfra der regnes"),
}
EVENTS = {
    "alle": ("alle tæller, uanset årsag", "alle indlæggelser, genindlæggelser eller dødsfald, uanset årsag"),
    "akutte": ("kun akutte eller uplanlagte", "kun akutte eller uplanlagte"),
    "forebyggelige": ("kun forebyggelige", "kun forebyggelige, fx dehydrering, forstoppelse, "
                                           "blærebetændelse og tryksår"),
    "diagnosespecifikke": ("kun diagnosespecifikke", "kun dem med en bestemt diagnose, fx KOL-forværring"),
    NOT_STATED: ("hvilke der tæller, er ikke oplyst i kilden", "kilden siger ikke, hvilke der tæller"),
}
DENOMINATORS = {
    "patienter": ("patienter", "tallet er regnet pr. patient (borger)"),
    "indlaeggelser": ("indlæggelser", "tallet er regnet pr. indlæggelse eller udskrivelse"),
    NOT_STATED: ("nævneren (patienter eller indlæggelser) er ikke oplyst i kilden",
                 "kilden siger ikke, om der regnes pr. patient eller pr. indlæggelse"),
}
DATA_SOURCES = {
    "register": ("registerdata", "nationale registre, fx Landspatientregistret; de tæller også indlæggelser "
                                 "på andre hospitaler"),
    "lokale-data": ("lokale data", "hospitalets eller kommunens egne journaler og opgørelser"),
    "spoergeskema": ("spørgeskema eller interview", "borgerne eller personalet er spurgt"),
    NOT_STATED: ("datakilde ikke oplyst i kilden", "kilden siger ikke, hvor tallene kommer fra"),
}
ADJUSTED = {
    "ja": ("justeret", "tallet er justeret, fx for alder, køn eller sygelighed"),
    "nej": ("ikke justeret", "tallet er ujusteret (råt)"),
    NOT_STATED: ("justering ikke oplyst i kilden", "kilden siger ikke, om tallet er justeret"),
}
COMPARABLE_GROUP = "Indlæggelse og død"  # the outcomes' group whose results state the fields above


def _meanings(values: dict) -> str:
    return "; ".join(f"'{k}': {meaning}" for k, (_, meaning) in values.items()) + "."


class Comparison(Strict):
    text: Text = Field(title="Sammenlignet med", description="Hvad der sammenlignes med.")
    value: float | None = Field(None, title="Sammenligningens tal", description="Sammenligningsgruppens tal.")
    n: int | None = Field(None, ge=0, title="Antal i sammenligningen",
                          description="Antal i sammenligningsgruppen.")
    kind: Literal[tuple(COMPARISON_KINDS)] | None = Field(
        None, title="Slags sammenligning", description="Hvordan sammenligningsgruppen er fundet: "
                                                       + _meanings(COMPARISON_KINDS))

    @model_validator(mode="after")
    def _none_has_no_figures(self) -> Comparison:
        if self.kind == "ingen" and (self.value is not None or self.n is not None):
            at = ("value",) if self.value is not None else ("n",)
            raise field_error("comparison_none", "forventede intet tal ved kind: ingen (ingen sammenligning), "
                              "fandt {found}; har kilden en sammenligningsgruppe, så angiv dens slags i "
                              "'kind'", at, found=f"{at[0]}: {self.value if self.value is not None else self.n:g}")
        return self


Days = Annotated[int, Field(ge=0)]


class Window(Strict):
    # 'ikke-oplyst' first: the open data's column is text, for it holds the word as well as numbers
    days: Literal[NOT_STATED] | Days | Annotated[list[Days], Field(min_length=2)] = Field(
        title="Dage", description="Hvor mange dage der er talt, fx 30, eller en liste, når kilden giver flere "
                                  "vinduer (fx [30, 90]); uger omregnes til dage (26 uger = 182) med kildens "
                                  "ord i 'text'; 'ikke-oplyst', når kilden ikke giver vinduet i dage eller uger "
                                  "(så står kildens ord, fx '10 måneder', i 'text').")
    after: Literal[tuple(WINDOW_AFTER)] = Field(
        title="Regnet fra", description="Hvorfra dagene tælles: " + _meanings(WINDOW_AFTER))
    text: Text | None = Field(None, title="Tidsvindue i kildens ord",
                              description="Vinduet med kildens ord, fx '26 uger' eller 'dag 30 og 84'.")


# A share lies in 0-100 and a difference between two shares in -100-100; a change stated in percent
# (the Aarhus records' "-18 %") can fall by 100 at most. Beyond these bounds a figure was misread.
UNIT_RANGES = {"procent": (0, 100), "procentpoint": (-100, 100), "procent-aendring": (-100, math.inf)}

DIRECTIONS = {  # value -> (label, what it means); the pages show the label beside each result
    "bedre": ("Forbedring", "kilden angiver en forbedring i forhold til en sammenligning"),
    "ingen-forskel": ("Ingen forskel", "kilden angiver ingen (signifikant) forskel"),
    "daarligere": ("Forværring", "kilden angiver en forværring i forhold til en sammenligning"),
    "blandet": ("Blandet", "nogle mål blev bedre, andre ikke, eller resultatet går begge veje"),
    "uklart": ("Uklar retning", "kilden giver ingen sammenligning, intet målt resultat eller ingen klar "
                                "retning"),
}


RESULT_KINDS = {  # value -> (label, what it means); an expectation is never counted as evidence
    "resultat": ("Resultat", "kilden giver et resultat: målt, opgjort, oplevet eller vurderet efter indsatsen"),
    "forventning": ("Forventning (ikke målt)",
                    "kilden forventer eller vurderer en virkning på forhånd ('forventes', 'vurderes vil', 'tror "
                    "på', 'der er en idé om'); det er ikke et resultat og tæller ikke som evidens"),
}
EXPECTATION = "forventning"
MEASURED = 1  # the lowest design rank that measures (a survey); below it a source states or assesses
COMPARES = 2  # the lowest design rank that compares: the result shows its figure or its comparison
RANDOMISED = "rct"  # the design whose comparison is randomised, with n in each group
NOT_MEASURED = "ikke-maalt"  # the design of a result the source says was not measured, and of an expectation
REFERENCE = "referencetal"  # the design of a figure set against a group that is no control: it has no direction
REACH = "raekkevidde"  # the outcome of a count of participants or reach: never an effect result
AWAITED = "resultater-afventer"  # the gap reason of an answer 'afventer'
NOT_READ = "resultater-ikke-laest"  # the gap reason of a study that measured but whose results were not read


class Result(Strict):
    outcome: term("outcomes") = Field(title="Udfald", description="Udfaldsmålet.")
    kind: Literal[tuple(RESULT_KINDS)] = Field(
        "resultat", title="Resultat eller forventning",
        description="Resultat eller forventning: "
                    + "; ".join(f"'{k}': {meaning}" for k, (_, meaning) in RESULT_KINDS.items()) + "."
    )
    text: Text = Field(title="Resultat", description="Resultatet med egne ord.")
    value: float | None = Field(None, title="Tal", description="Tallet præcis som kilden giver det.")
    unit: term("units") | None = Field(None, title="Enhed", description="Tallets enhed.")
    n: int | None = Field(None, ge=0, title="Antal", description="Antal forløb/borgere bag tallet.")
    comparison: Comparison | None = Field(None, title="Sammenligning", description="Sammenligningsgruppen.")
    period: Text | None = Field(None, title="Måleperiode", description="Måleperioden.")
    design: term("evidence_designs") = Field(title="Evidensdesign", description="Evidensdesign bag resultatet.")
    direction: Literal[tuple(DIRECTIONS)] = Field(
        title="Fund", description="Fundets retning, som kilden angiver den: "
                    + "; ".join(f"'{k}': {meaning}" for k, (_, meaning) in DIRECTIONS.items()) + "."
    )
    statistics: Text | None = Field(
        None, title="Statistik",
        description="P-værdi, konfidensinterval o.l. præcis som kilden giver dem, fx 'p = 0,93'."
    )
    group_sizes: Literal[NOT_STATED] | None = Field(
        None, title="Antal i hver gruppe",
        description="'ikke-oplyst', når kilden ikke giver antallet i hver gruppe ('n' og 'comparison.n'); "
                    "så beregnes intet ud fra tallene."
    )
    window: Window | None = Field(None, title="Tidsvindue",
                                  description="Hvor mange dage der er talt, og hvorfra.")
    events: Literal[tuple(EVENTS)] | None = Field(
        None, title="Hvilke hændelser", description="Hvilke indlæggelser eller dødsfald der tæller: "
                                                    + _meanings(EVENTS))
    denominator: Literal[tuple(DENOMINATORS)] | None = Field(
        None, title="Nævner", description="Hvad tallet er regnet pr.: " + _meanings(DENOMINATORS))
    data_source: Literal[tuple(DATA_SOURCES)] | None = Field(
        None, title="Datakilde", description="Hvor tallene kommer fra: " + _meanings(DATA_SOURCES))
    adjusted: Literal[tuple(ADJUSTED)] | None = Field(
        None, title="Justeret", description="Om tallet er justeret: " + _meanings(ADJUSTED))
    source: SourceRef = Field(title="Kilde", description="Hvor i kilden resultatet står.")

    @model_validator(mode="after")
    def _unit_with_value(self) -> Result:
        has_number = self.value is not None or (
            self.comparison is not None and self.comparison.value is not None
        )
        if has_number and self.unit is None:
            raise field_error("unit_missing", "et tal kræver en enhed; tilføj fx 'unit: procent'", ("unit",))
        low, high = UNIT_RANGES.get(self.unit, (None, None))
        numbers = {("value",): self.value, ("comparison", "value"): self.comparison and self.comparison.value}
        for at, number in numbers.items():
            if low is not None and number is not None and not low <= number <= high:
                bounds = f"fra {low} til {high}" if high < math.inf else f"på mindst {low}"
                raise field_error("unit_range", "forventede et tal {bounds} ({unit}), fandt {found}",
                                  at, bounds=bounds, unit=self.unit, found=f"{number:g}")
        if self.kind == EXPECTATION and self.design != NOT_MEASURED:
            raise field_error("expectation_design",
                              "forventede design: ikke-maalt, fandt '{design}'; en forventning "
                              "(kind: forventning) er ikke målt", ("design",), design=self.design)
        if self.design == NOT_MEASURED and self.direction != "uklart":
            raise field_error("direction_not_measured",
                              "forventede direction: uklart, fandt '{direction}'; et resultat med design: "
                              "ikke-maalt har ingen retning", ("direction",), direction=self.direction)
        if self.design == REFERENCE and self.direction != "uklart":
            raise field_error("direction_reference",
                              "forventede direction: uklart, fandt '{direction}'; et tal sat over for en gruppe, "
                              "der ikke er en kontrolgruppe (design: referencetal), er ikke en målt forbedring "
                              "eller forværring", ("direction",), direction=self.direction)
        if self.outcome == REACH and self.direction != "uklart":
            raise field_error("direction_reach",
                              "forventede direction: uklart, fandt '{direction}'; et antal deltagere eller en "
                              "andel, der er nået (outcome: raekkevidde), er ikke en effekt og har ingen retning",
                              ("direction",), direction=self.direction)
        return self._group_sizes()

    def _group_sizes(self) -> Result:
        """A share beside the comparison's share needs the comparison's n, or the explicit 'not stated';
        and 'not stated' beside both n is a contradiction."""
        c = self.comparison
        both = self.n is not None and c is not None and c.n is not None
        if self.group_sizes == NOT_STATED and both:
            raise field_error("group_sizes_stated",
                              "forventede, at 'n' eller 'comparison.n' mangler ved group_sizes: ikke-oplyst, "
                              "fandt begge ({n} og {cn}); slet 'group_sizes', når kilden giver antallene",
                              ("group_sizes",), n=self.n, cn=c.n)
        shares = self.unit == "procent" and self.value is not None and c is not None and c.value is not None
        if shares and c.n is None and self.group_sizes != NOT_STATED:
            raise field_error("comparison_n_missing",
                              "forventede 'comparison.n' (antal i sammenligningsgruppen) ved to procenttal "
                              "({value} % mod {cvalue} %), fandt det ikke; skriv antallet, som kilden "
                              "giver det, eller 'group_sizes: ikke-oplyst', når kilden ikke giver det",
                              ("comparison",), value=danish_number(self.value), cvalue=danish_number(c.value))
        return self


EFFECT_MEASURED = {  # value -> (label, what it means); pages, analyses and the method page use it
    "ja": ("Ja", "effekten er målt; se retningen for hvert resultat"),
    "delvist": ("Delvist", "noget er målt, men uden sammenlignelig kontrolgruppe eller kun for en del af "
                           "udfaldene"),
    "afventer": ("Afventer", "evaluering eller forskning var i gang, og resultaterne var ikke offentlige, "
                             "da kilden blev skrevet"),
    "nej": ("Nej", "effekten er ikke målt, eller kilden angiver ingen måling"),
}


class Measurement(Strict):
    effect_measured: Literal[tuple(EFFECT_MEASURED)] = Field(
        title="Effekt målt", description="Er effekten målt? 'nej' er et gyldigt svar og skal siges."
    )
    gap_reasons: list[term("gap_reasons")] = Field(
        default_factory=list, title="Årsag til manglende data",
        description="Kildens begrundelse, hvis der mangler data."
    )
    text: Text | None = Field(None, title="Om målingen", description="Forklaring med egne ord.")

    @model_validator(mode="after")
    def _not_measured_says_why(self) -> Measurement:
        if self.effect_measured == "nej" and not (self.gap_reasons or self.text):
            raise PydanticCustomError(
                "not_measured_why", "'nej' kræver en begrundelse: udfyld 'gap_reasons' eller 'text'"
            )
        if self.effect_measured == "nej" and AWAITED in self.gap_reasons:
            raise field_error("awaited_not_no",
                              "forventede effect_measured: afventer, fandt 'nej'; er forskning eller evaluering i "
                              "gang ('{reason}'), afventer resultaterne", ("effect_measured",), reason=AWAITED)
        if self.effect_measured == "afventer" and AWAITED not in self.gap_reasons:
            raise field_error("awaited_why",
                              "forventede '{reason}' i gap_reasons ved effect_measured: afventer, fandt den ikke; "
                              "svaret 'afventer' betyder, at forskning eller evaluering var i gang",
                              ("gap_reasons",), reason=AWAITED)
        return self


STEP_STAGES = {  # value -> the mark a step gets in the grid ('' for none)
    "i-brug": "",
    "anbefalet": "Anbefalet, ikke afprøvet",
    "under-udvikling": "Under udvikling, ikke i brug",
}


class BlueprintStep(Strict):
    id: Slug = Field(description="Trinnets id, unikt i blueprintet (bruges af 'handoff_to').")
    phase: term("blueprint_phases") = Field(description="Fasen (kolonnen), fx 'udskrivelse'.")
    lane: term("blueprint_lanes") = Field(description="Banen (rækken), fx 'kommune'.")
    actor: term("actors") | None = Field(None, description="Hvem der udfører trinnet.")
    text: Text = Field(description="Hvad der sker, med egne ord.")
    timing: Text | None = Field(None, description="Hvornår, fx 'inden for 24 timer'.")
    basis: Literal["kilde", "udledt"] = Field(
        description="'kilde': kilden beskriver trinnet; 'udledt': forfatterens slutning."
    )
    handoff_to: list[Slug] = Field(
        default_factory=list,
        description="Trin i en anden bane, som dette trin overleverer til (id).",
    )
    stage: Literal[tuple(STEP_STAGES)] = Field(
        "i-brug", title="Trinnets stadie",
        description="'i-brug': trinnet er en del af forløbet; 'anbefalet': kilden anbefaler det, men det er "
                    "ikke afprøvet; 'under-udvikling': det er ved at blive lavet og er ikke i brug endnu.",
    )


PLACEMENTS = {  # value -> what the blueprint's header says about the phases
    "kilde": "Kilden angiver også, hvornår trinnene sker.",
    "udledt": "Kilden angiver ikke, hvornår alle trin sker, så placeringen i faserne er redaktionens.",
}


class Responsibility(Strict):
    lane: term("blueprint_lanes") = Field(title="Sektor", description="Sektoren (banen), der har ansvaret.")
    holder: Text = Field(title="Hvem", description="Hvem der har ansvaret, som kilden siger det, fx "
                                                   "'Ortopædkirurgi Kolding'.")
    period: Text = Field(title="Hvor længe", description="Hvor længe, som kilden siger det, fx 'De første 14 "
                                                         "dage efter udskrivelsen'.")
    phases: list[term("blueprint_phases")] = Field(
        min_length=1, title="Faser", description="Faserne, ansvaret dækker; blueprintet tegner det hen over dem."
    )


class Blueprint(Strict):
    # Step ids, hand-offs and actor lanes are checked across steps in ``load``.

    steps: list[BlueprintStep] = Field(min_length=1, title="Trin", description="Forløbets trin.")
    placement: Literal[tuple(PLACEMENTS)] = Field(
        title="Placering i faserne",
        description="'kilde': kilden angiver, hvornår hvert trin sker; 'udledt': redaktionen har placeret "
                    "mindst ét trin i en fase ud fra sammenhængen.",
    )
    responsibility: Responsibility | None = Field(
        None, title="Behandlingsansvar",
        description="Hvem der har behandlingsansvaret efter udskrivelsen, og hvor længe. Udelad feltet, hvis "
                    "kilden ikke siger det; siden skriver så 'Ikke oplyst'.",
    )
    note: Text | None = Field(None, title="Forbehold", description="Forbehold, fx hvad kilden ikke beskriver.")
    source: SourceRef = Field(title="Kilde", description="Hvor i kilden forløbet er beskrevet.")


STATUS = {  # value -> label: one definition for the model, the pages and the downloads
    "planlagt": "Planlagt",
    "igangvaerende": "Igangværende",
    "afsluttet": "Afsluttet",
    "i-drift": "I drift",
    "ukendt": "Ikke oplyst",
}

# The coding manual on the method page (``kb.manual``) has a version; a record names the version it was
# last checked against. Raise it when a rule changes, so records checked against an older one show it.
MANUAL_VERSION = 2  # 2: reach, reference figures, 'afventer'; comparable fields on admissions, mortality


class Review(Strict):
    checked: date = Field(
        title="Kontrolleret", description="Dato, hvor posten senest blev holdt op mod kodemanualen og de "
                                          "kildeafsnit, den henviser til, fx 2026-11-30."
    )
    manual: int = Field(
        ge=1, le=MANUAL_VERSION, title="Kodemanualens version",
        description=f"Den version af kodemanualen (på metodesiden), posten blev kontrolleret mod; nu "
                    f"{MANUAL_VERSION}."
    )


class StartFact(Strict):
    """One thing a reader needs to start the initiative, as a source says it."""

    text: Text = Field(title="Hvad kilden siger",
                       description="Med egne ord; tal (kroner, timer, antal, dage) præcis som kilden giver dem.")
    source: SourceRef = Field(title="Kilde", description="Hvor i kilden det står.")


class GettingStarted(Strict):
    """"Sådan kommer I i gang": what it takes to start. Every field is optional: a field left out is shown
    as "Ikke oplyst i kilden", so readers see the gap and authors what to add."""

    delivered_by: StartFact | None = Field(
        None, title="Hvem leverer indsatsen",
        description="Roller og sektorer, der udfører indsatsen. Udelades feltet, viser siden aktører og sektorer "
                    "fra forløbet (blueprintet) og siger, at de er hentet derfra.")
    schedule: StartFact | None = Field(
        None, title="Hvornår og hvor ofte",
        description="Hvornår indsatsen sker, og hvor mange gange, fx 'første besøg 24-48 timer efter "
                    "udskrivelsen'. Udelades feltet, viser siden interventionens tidspunkt, hvis posten har et.")
    duration: StartFact | None = Field(None, title="Hvor længe",
                                       description="Hvor længe forløbet eller det enkelte besøg varer.")
    staff: StartFact | None = Field(None, title="Personale og uddannelse",
                                    description="Hvilket og hvor meget personale, og hvilken oplæring det kræver.")
    cost: StartFact | None = Field(None, title="Pris", description="Hvad indsatsen koster, og hvem der betaler.")
    prerequisites: StartFact | None = Field(
        None, title="Forudsætninger",
        description="Hvad der skal være på plads først, fx fælles it, video eller aftaler mellem sektorerne.")
    materials: StartFact | None = Field(None, title="Materialer",
                                        description="Skemaer, vejledninger, apps eller udstyr, indsatsen bruger.")
    contact: StartFact | None = Field(None, title="Kontakt",
                                      description="Den organisation, man kan kontakte for at høre mere.")

    def facts(self) -> list[tuple[str, str, StartFact | None]]:
        """(field name, Danish title, the fact or None) for every field, in the model's order."""
        return [(name, info.title, getattr(self, name)) for name, info in type(self).model_fields.items()]

    @property
    def states_resources(self) -> bool:
        """Whether a source states what the initiative takes: staff, cost, prerequisites or materials."""
        return any(getattr(self, name) is not None for name in RESOURCES)


RESOURCES = ("staff", "cost", "prerequisites", "materials")  # what the finder's "resources or cost" keeps


class Initiative(Strict):
    id: Slug = Field(
        title="Id",
        description="Indsatsens id: det samme som postens filnavn og sidens adresse (små bogstaver, bindestreg).",
    )
    title: Text = Field(title="Indsats", description="Indsatsens navn.")
    region: term("regions") = Field(title="Region", description="Region (eller 'nationalt').")
    cluster: term("clusters") | None = Field(
        None, title="Klynge", description="Klynge, hvis relevant; den skal ligge i postens region."
    )
    municipalities: list[term("municipalities")] = Field(
        default_factory=list,
        title="Kommuner",
        description="Kommuner, som kilden nævner som deltagere eller målgruppens bopæl; de skal ligge i "
                    "postens region.",
    )
    organisations: list[Text] = Field(default_factory=list, title="Parter", description="Deltagende parter.")
    period: Period = Field(default_factory=Period, title="Periode", description="Periode.")
    status: Literal[tuple(STATUS)] = Field("ukendt", title="Status",
                                           description="Status, som kilden beskriver den.")
    target_group: TargetGroup = Field(title="Målgruppe", description="Målgruppe.")
    intervention: Intervention = Field(title="Intervention", description="Intervention.")
    results: list[Result] = Field(default_factory=list, title="Resultater", description="Resultater.")
    measurement: Measurement = Field(title="Måling", description="Om og hvordan effekten er målt.")
    conclusion: list[Text] = Field(default_factory=list, title="Konklusion", description="Konklusion.")
    recommendations: list[Text] = Field(
        default_factory=list, title="Kildens anbefalinger", description="Kildens anbefalinger."
    )
    related: list[Slug] = Field(default_factory=list, title="Relaterede indsatser",
                                description="Relaterede indsatser (id).")
    sources: list[SourceRef] = Field(min_length=1, title="Kilder", description="Kilder.")
    quality_parameters: list[term("quality_parameters")] = Field(
        default_factory=list,
        title="Kvalitetsparametre",
        description="Hvilke af rammepapirets seks kvalitetsparametre indsatsen adresserer.",
    )
    blueprint: Blueprint | None = Field(
        None, title="Forløb", description="Hvem gør hvad hvornår: forløbet fase for fase og for hver aktør."
    )
    getting_started: GettingStarted = Field(
        default_factory=GettingStarted, title="Sådan kommer I i gang",
        description="Hvad det kræver at starte indsatsen: hvem, hvornår, hvor længe, personale, pris, "
                    "forudsætninger, materialer og kontakt. Alle felter er frivillige; udfyld dem, kilden giver.",
    )
    updated: date | None = Field(None, title="Senest ændret", description="Senest ændret (hvis ikke fra git).")
    review: Review | None = Field(
        None, title="Kontrol mod kodemanualen",
        description="Hvornår posten senest blev kontrolleret mod kodemanualen, og mod hvilken version."
    )

    @property
    def reported(self) -> list[Result]:
        """The results the sources report; their expectations are left out, for they are no evidence."""
        return [res for res in self.results if res.kind != EXPECTATION]

    @property
    def effects(self) -> list[Result]:
        """The results on an effect: the reported ones but a count of participants or reach. Only these
        lift 'Kun omtalt', carry 'ja' and 'delvist', and make the record's verdict and strongest design."""
        return [res for res in self.reported if res.outcome != REACH]


# --- a systematic review as data (data/reviews/) -------------------------------------

SYNTHESES = {  # value -> (label, what it means)
    "meta-analyse": ("Metaanalyse",
                     "oversigten lægger forsøgenes resultater sammen i et eller flere samlede estimater"),
    "narrativ": ("Narrativ syntese", "oversigten beskriver forsøgene i ord og lægger ikke resultaterne sammen"),
}
MEASURES = {  # value -> what it means; the value, low and high are exactly as the source gives them
    "RR": "relativ risiko (risk ratio)",
    "OR": "odds ratio",
    "HR": "hazard ratio",
    "IRR": "incidensrate-ratio (incidence rate ratio)",
    "MD": "middelforskel (mean difference) i udfaldets egen enhed",
    "SMD": "standardiseret middelforskel (standardised mean difference)",
    "RD": "risikoforskel (risk difference)",
}
RATIOS = ("RR", "OR", "HR", "IRR")  # measures whose figures are above 0 and whose 'no difference' is 1
CERTAINTY = {  # GRADE, as the source gives it
    "hoej": "høj", "moderat": "moderat", "lav": "lav", "meget-lav": "meget lav",
}


class ReviewIntervention(Strict):
    types: list[term("intervention_types")] = Field(
        min_length=1, title="Indsatstyper",
        description="De indsatstyper fra vidensbasens typologi, som oversigtens indsats svarer til.")
    description: Text = Field(title="Beskrivelse",
                              description="Hvad oversigten regner som indsatsen, med egne ord.")
    comparison: Text | None = Field(None, title="Sammenlignet med",
                                    description="Hvad indsatsen er sammenlignet med, fx 'sædvanlig udskrivelse'.")


class PooledEstimate(Strict):
    outcome: term("outcomes") = Field(title="Udfald", description="Udfaldet fra vidensbasens ordliste.")
    text: Text = Field(title="Resultat", description="Det samlede estimat med egne ord.")
    group: Text | None = Field(
        None, title="Delgruppe eller indsats",
        description="Hvilken delgruppe eller hvilken slags indsats estimatet gælder, når oversigten skelner, "
                    "fx 'hjemmebesøg ved sygeplejerske'.")
    window: Window | None = Field(None, title="Tidsvindue", description="Hvor mange dage der er talt, og hvorfra.")
    measure: Literal[tuple(MEASURES)] = Field(
        title="Mål", description="Det samlede mål: " + "; ".join(f"'{k}': {v}" for k, v in MEASURES.items()) + ".")
    value: float = Field(title="Estimat", description="Estimatet præcis som kilden giver det, fx 0.82.")
    low: float = Field(title="Nedre grænse", description="Nedre grænse af 95 %-konfidensintervallet som i kilden.")
    high: float = Field(title="Øvre grænse", description="Øvre grænse af 95 %-konfidensintervallet som i kilden.")
    unit: term("units") | None = Field(None, title="Enhed", description="Enheden for en middelforskel (MD), "
                                                                        "fx 'dage', når kilden giver den.")
    trials: int | None = Field(None, ge=1, title="Antal forsøg", description="Antal forsøg bag estimatet.")
    participants: int | None = Field(None, ge=1, title="Antal deltagere",
                                     description="Antal deltagere bag estimatet.")
    i2: float | None = Field(None, ge=0, le=100, title="I² (%)",
                             description="Heterogenitet (I² i procent) som kilden giver den, fx 31.")
    certainty: Literal[tuple(CERTAINTY)] | None = Field(
        None, title="Evidensens sikkerhed (GRADE)",
        description="GRADE-vurderingen, når kilden giver den: " + ", ".join(f"'{k}'" for k in CERTAINTY) + ".")
    source: SourceRef = Field(title="Kilde", description="Hvor i kilden estimatet står, fx 'Abstract – Results'.")

    @model_validator(mode="after")
    def _interval(self) -> PooledEstimate:
        if self.low > self.high:
            raise field_error("interval_order", "nedre grænse {low} ligger over øvre grænse {high}; byt om på "
                              "dem, eller ret det forkerte tal", ("low",),
                              low=f"{self.low:g}", high=f"{self.high:g}")
        if not self.low <= self.value <= self.high:
            raise field_error("interval_value", "estimatet {value} ligger uden for intervallet {low} til {high}; "
                              "ret tallet, så det står som i kilden", ("value",),
                              value=f"{self.value:g}", low=f"{self.low:g}", high=f"{self.high:g}")
        if self.measure in RATIOS and self.low <= 0:
            raise field_error("ratio_positive", "et forholdstal ({measure}) er større end 0, fandt nedre grænse "
                              "{low}; er det en forskel, så brug 'MD' eller 'RD'", ("low",),
                              measure=self.measure, low=f"{self.low:g}")
        return self


class SystematicReview(Strict):
    id: Slug = Field(title="Id", description="Oversigtens id: det samme som filnavnet i data/reviews/.")
    title: Text = Field(title="Oversigt", description="Oversigtens emne med egne ord på dansk.")
    document: term("documents") = Field(
        title="Dokument", description="Oversigten i data/documents.yml: forfattere, år, tidsskrift i "
                                      "'publisher' og DOI eller url.")
    synthesis: Literal[tuple(SYNTHESES)] = Field(
        title="Syntese", description="Hvordan oversigten samler forsøgene: " + _meanings(SYNTHESES))
    population: Text = Field(title="Population", description="Hvem forsøgene omfatter, med egne ord.")
    diagnoses: list[term("diagnoses")] = Field(
        default_factory=list, title="Kun diagnoser",
        description="De diagnoser, oversigten er begrænset til, fx 'kol'; tom, når den gælder patienter "
                    "uanset diagnose.")
    intervention: ReviewIntervention = Field(title="Indsats",
                                             description="Indsatsen og hvad den sammenlignes med.")
    searched: Text = Field(title="Søgt til", description="Hvornår litteratursøgningen senest er foretaget, "
                                                         "som kilden angiver det, fx '20. april 2021'.")
    trials: int | None = Field(None, ge=1, title="Antal studier", description="Antal inkluderede studier i alt.")
    participants: int | None = Field(None, ge=1, title="Antal deltagere",
                                     description="Antal deltagere i alt.")
    estimates: list[PooledEstimate] = Field(
        default_factory=list, title="Samlede estimater",
        description="De samlede estimater (et pr. udfald, tidsvindue og delgruppe); tom ved en narrativ syntese.")
    summary: Text = Field(title="Konklusion", description="Hvad oversigten konkluderer, med egne ord.")
    source: SourceRef = Field(title="Kilde", description="Hvor i kilden population, søgning og konklusion står.")

    @model_validator(mode="after")
    def _estimates_fit_synthesis(self) -> SystematicReview:
        if self.synthesis == "meta-analyse" and not self.estimates:
            raise field_error("estimates_missing", "en metaanalyse (synthesis: meta-analyse) har mindst ét samlet "
                              "estimat under 'estimates'; lægger kilden intet sammen, så skriv 'synthesis: "
                              "narrativ'", ("synthesis",))
        if self.synthesis == "narrativ" and self.estimates:
            raise field_error("estimates_narrative", "en narrativ syntese (synthesis: narrativ) har ingen samlede "
                              "estimater; slet 'estimates', eller skriv 'synthesis: meta-analyse'", ("estimates",))
        return self


# --- the rest of the source documents as data ---------------------------------


class Statement(Strict):
    text: Text = Field(description="Udsagnet med egne ord.")
    source: SourceRef = Field(description="Hvor i kilden det står.")


ADDRESSEES = {"hospital": "Hospital", "kommune": "Kommune", "almen-praksis": "Almen praksis",
              "ledelse": "Ledelse"}
RECOMMENDATION_KINDS = {  # value -> (label, plural label)
    "generel": ("Generel anbefaling", "Generelle anbefalinger"),
    "udbredelsespotentiale": ("Udbredelsespotentiale", "Udbredelsespotentialer"),
    "projektanbefaling": ("Projektets egen anbefaling", "Projekternes egne anbefalinger"),
    "udvalgt-til-udbredelse": ("Udvalgt til udbredelse", "Udvalgt til udbredelse"),
}


class Recommendation(Strict):
    id: Slug = Field(description="Anbefalingens id.")
    title: ShortText = Field(description="En kort titel med egne ord, fx 'Fælles plan fra første dag'.")
    number: int | None = Field(None, ge=1, description="Kildens eget nummer for anbefalingen, hvis kilden "
                                                      "nummererer dem (fx 4 for 'punkt 4').")
    text: Text = Field(description="Anbefalingen med egne ord.")
    theme: term("themes") = Field(description="Tema.")
    kind: Literal[tuple(RECOMMENDATION_KINDS)] = Field(description="Hvilken slags anbefaling kilden giver.")
    addresses: list[Literal[tuple(ADDRESSEES)]] = Field(min_length=1,
                                                        description="Hvem anbefalingen retter sig til.")
    initiatives: list[Slug] = Field(default_factory=list, description="Indsatser, der støtter den (id).")
    source: SourceRef = Field(description="Hvor i kilden anbefalingen står.")


class SuccessFactor(Strict):
    level: Text = Field(description="Niveau, fx 'Strategisk niveau'.")
    text: Text = Field(description="Faktoren med egne ord.")
    examples: list[Text] = Field(default_factory=list, description="Kildens eksempler.")
    source: SourceRef


class FocusArea(Strict):
    number: int = Field(ge=1, description="Indsatsområdets nummer.")
    title: Text


class ActionPlan(Strict):
    id: Slug
    title: Text
    start: int | None = Field(None, ge=1990, le=2100)
    end: int | None = Field(None, ge=1990, le=2100)
    text: Text = Field(description="Hvad kilderne siger om planen.")
    focus_areas: list[FocusArea] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)


class CriteriaGroup(Strict):
    group: Text = Field(description="Gruppen af parametre, fx 'Helbredsmæssige forhold'.")
    criteria: list[Text] = Field(min_length=1)
    source: SourceRef


class BudgetRow(Strict):
    party: Text = Field(description="Regioner, Kommuner eller I alt.")
    year: int | None = Field(None, description="Året; tomt for kolonnen 'I alt'.")
    amount: float = Field(description="Beløbet præcis som i tabellen.")
    unit: term("units")


class Budget(Strict):
    title: Text
    rows: list[BudgetRow] = Field(min_length=1)
    note: Text | None = None
    source: SourceRef


class MappingGroup(Strict):
    heading: Text
    initiatives: list[Slug] = Field(min_length=1)


class Mapping(Strict):
    title: Text
    mapped: int = Field(ge=0, description="Antal kortlagte indsatser.")
    selected_stated: int = Field(ge=0, description="Antal udvalgte, som teksten angiver.")
    groups: list[MappingGroup] = Field(min_length=1)
    note: Text | None = None
    source: SourceRef


class GlossaryEntry(Strict):
    term: Text
    definition: Text
    source: SourceRef | None = None


class Context(Strict):
    """Everything in data/context/: one field per file, read by the background chapters."""

    recommendations: list[Recommendation] = Field(default_factory=list)
    success_factors: list[SuccessFactor] = Field(default_factory=list)
    action_plans: list[ActionPlan] = Field(default_factory=list)
    target_criteria: list[CriteriaGroup] = Field(default_factory=list)
    budget: Budget | None = None
    cross_conclusions: list[Statement] = Field(default_factory=list)
    syddanmark_mapping: Mapping | None = None
    glossary: list[GlossaryEntry] = Field(default_factory=list)


class CoverageEntry(Strict):
    heading: Text = Field(description="Overskrift eller punkt, ordret fra kilden (én linje).")
    records: list[Slug] = Field(default_factory=list)
    left_out: Text | None = Field(None, description="Hvorfor punktet ikke har en post.")

    @model_validator(mode="after")
    def _covered_or_explained(self) -> CoverageEntry:
        if not self.records and not self.left_out:
            raise PydanticCustomError(
                "uncovered", "forventede 'records' eller en begrundelse i 'left_out', fandt ingen af dem"
            )
        return self


class Coverage(Strict):
    document: term("documents")
    entries: list[CoverageEntry] = Field(min_length=1)


VOCABULARIES = (
    "actors",
    "blueprint_lanes",
    "blueprint_phases",
    "clusters",
    "diagnoses",
    "evidence_designs",
    "gap_reasons",
    "intervention_types",
    "municipalities",
    "outcomes",
    "quality_parameters",
    "regions",
    "settings",
    "themes",
    "units",
)


# --- the whole knowledge base, as kb.loader.load gives it --------------------------------------


@dataclass
class KnowledgeBase:
    root: Path
    vocabularies: dict[str, dict[str, VocabTerm]]
    documents: dict[str, Document]
    initiatives: list[Initiative] = field(default_factory=list)
    context: Context = field(default_factory=Context)
    coverage: list[Coverage] = field(default_factory=list)
    reviews: list[SystematicReview] = field(default_factory=list)

    def label(self, vocabulary: str, term: str) -> str:
        return self.vocabularies[vocabulary][term].label

    def strongest_design(self, designs: Iterable[str]) -> VocabTerm | None:
        """The highest-ranked of these evidence designs, or None if there are none."""
        terms = [self.vocabularies["evidence_designs"][d] for d in designs]
        return max(terms, key=lambda t: t.rank or 0, default=None)

    def by_id(self) -> dict[str, Initiative]:
        return {i.id: i for i in self.initiatives}
