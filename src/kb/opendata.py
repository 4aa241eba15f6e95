"""The open-data export: the knowledge base as CSV, Excel, JSON and a Frictionless data package.

The table columns are derived from the typed model, so a new field in
``model.py`` shows up in the CSV files, the Excel sheets, the data package and
the "Data og download" page without a second list to keep in step. CSV and the
data package keep the model's field names and codes, for programs; the Excel
sheets are for people: the fields' Danish titles as headers and labels as values
(a code with a label shows the label; the initiative's id gives way to its title).
Every file is a pure function of the knowledge base: the same records give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import typing
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter
from pydantic import BaseModel

from . import counts, layout
from .html import inline
from .model import (
    ADJUSTED,
    COMPARISON_KINDS,
    DATA_SOURCES,
    DENOMINATORS,
    DIRECTIONS,
    EFFECT_MEASURED,
    EVENTS,
    NOT_STATED,
    NOT_STATED_LABEL,
    RESULT_KINDS,
    STATUS,
    WINDOW_AFTER,
    Initiative,
    KnowledgeBase,
    Result,
    SourceRef,
    is_model,
    unwrap,
    vocabulary_of,
)
from .text import md, number, page, plural

Cell = str | int | float | None

# Fixed timestamps keep the xlsx byte-identical; nothing in the data dates the export itself.
_XLSX_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold

_TYPES = {int: "integer", float: "number", date: "date"}  # Table Schema types; the rest are strings
_TYPE_NAMES = {"string": "tekst", "integer": "heltal", "number": "tal", "date": "dato"}
_LIST_NOTE = "Flere værdier er adskilt af '; '."


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type
    description: str  # Danish, from the model's field descriptions
    cell: Callable[[KnowledgeBase, object], Cell]  # (kb, row) -> the cell's value
    header: str = ""  # Danish, from the model's field titles: the Excel sheet's header
    sheet: Callable[[KnowledgeBase, object], Cell] | None = None  # the Excel cell; None: not in Excel


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's stem, the sheet and the data package resource
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[KnowledgeBase], list]
    foreign_keys: tuple[dict, ...] = ()


# --- columns from the model -------------------------------------------------



def _at(path: tuple[str, ...], row) -> object:
    """The attribute at ``path``; None where a parent is missing."""
    for name in path:
        if row is None:
            return None
        row = getattr(row, name)
    return row


def _plain(kb: KnowledgeBase, value) -> Cell:
    return value.isoformat() if isinstance(value, date) else value


def _source(kb: KnowledgeBase, source: SourceRef) -> str:
    return f"{source.document}: {source.locator}"


def _source_title(kb: KnowledgeBase, source: SourceRef) -> str:
    return f"{kb.documents[source.document].title}: {source.locator}"


def _initiative_title(kb: KnowledgeBase, record_id: str) -> str:
    return kb.by_id()[record_id].title


def _value_label(labels: dict[str, str]) -> Callable[[KnowledgeBase, str], str]:
    return lambda kb, value: labels[value]


def _label(kb: KnowledgeBase, term: str, vocabulary: str) -> str:
    if vocabulary == "documents":  # documents are not a vocabulary file; their title is the label
        return kb.documents[term].title
    return kb.label(vocabulary, term)


def _cell(path: tuple[str, ...], show: Callable) -> Callable[[KnowledgeBase, object], Cell]:
    """A cell showing the value at ``path``; a list becomes one text, its items joined by '; '."""
    def cell(kb: KnowledgeBase, row) -> Cell:
        value = _at(path, row)
        if isinstance(value, list):
            return "; ".join(str(show(kb, item)) for item in value) or None
        return None if value is None else show(kb, value)
    return cell


def _count(path: tuple[str, ...]) -> Callable[[KnowledgeBase, object], Cell]:
    def cell(kb: KnowledgeBase, row) -> Cell:
        value = _at(path, row)
        return None if value is None else len(value)
    return cell


# Lists of objects shown as text in one cell; any other list of objects becomes a count
# (results have their own table, a blueprint's steps are too structured for a cell).
_AS_TEXT = {SourceRef: (_source, "Hver kilde som 'dokument: afsnit'.")}
_AS_TEXT_IN_SHEET = {SourceRef: _source_title}  # the document's title instead of its id
# Fields whose codes have Danish labels outside the vocabularies, and ids of other initiatives.
_SHEET_VALUES = {  # by the field's dotted path, else by its name
    "window.days": lambda kb, days: NOT_STATED_LABEL if days == NOT_STATED else days,
    "group_sizes": _value_label({NOT_STATED: NOT_STATED_LABEL}),
    "comparison.kind": _value_label({k: label for k, (label, _) in COMPARISON_KINDS.items()}),
    "window.after": _value_label({k: label for k, (label, _) in WINDOW_AFTER.items()}),
    "events": _value_label({k: label for k, (label, _) in EVENTS.items()}),
    "denominator": _value_label({k: label for k, (label, _) in DENOMINATORS.items()}),
    "data_source": _value_label({k: label for k, (label, _) in DATA_SOURCES.items()}),
    "adjusted": _value_label({k: label for k, (label, _) in ADJUSTED.items()}),
    "status": _value_label(STATUS),
    "effect_measured": _value_label({k: label for k, (label, _) in EFFECT_MEASURED.items()}),
    "direction": _value_label({k: label for k, (label, _) in DIRECTIONS.items()}),
    "kind": _value_label({k: label for k, (label, _) in RESULT_KINDS.items()}),
    "related": _initiative_title,
}
_NOT_IN_SHEET = {"id"}  # the title next to it says the same to a person


def _describe(*parts: str) -> str:
    """The field's own description in the context of its parents'; empty if it has none (a test checks)."""
    *context, own = parts
    return " – ".join([p.rstrip(".") for p in context if p] + [own]) if own else ""


def model_columns(model: type[BaseModel], at: tuple[str, ...] = (), path: tuple[str, ...] = (),
                  context: tuple[str, ...] = (), titles: tuple[str, ...] = ()) -> list[Column]:
    """One column per leaf field, named by its dotted path; ``at`` is where the model sits in a row.
    Its Excel header joins the titles of the field and its parents, e.g. 'Målgruppe – Diagnoser'."""
    columns: list[Column] = []
    for name, info in model.model_fields.items():
        tp, vocab = unwrap(info.annotation)
        vocab = vocab or vocabulary_of(info.metadata)
        here, about, named = (*path, name), (*context, info.description or ""), (*titles, info.title or name)
        key, description, where, header = ".".join(here), _describe(*about), (*at, *here), " – ".join(named)
        if is_model(tp):
            columns += model_columns(tp, at, here, about, named)
            continue
        many = typing.get_origin(tp) is list
        if many:
            tp, vocab = unwrap(typing.get_args(tp)[0])
            if is_model(tp) and tp not in _AS_TEXT:
                columns.append(Column(key, "integer", f"{description.rstrip('.')} (antal).", _count(where),
                                      f"{header} (antal)", _count(where)))
                continue
        show, note = _AS_TEXT.get(tp, (_plain, ""))
        notes = " ".join(n for n in (note, _LIST_NOTE if many else "") if n)
        kind = "string" if many else _TYPES.get(tp, "string")
        sheet = None if vocab or name in _NOT_IN_SHEET else \
            _cell(where, _SHEET_VALUES.get(key) or _SHEET_VALUES.get(name) or _AS_TEXT_IN_SHEET.get(tp, show))
        columns.append(Column(key, kind, f"{description} {notes}".strip(), _cell(where, show), header, sheet))
        if vocab:
            label = _cell(where, partial(_label, vocabulary=vocab))
            columns.append(Column(f"{key}_label", "string",
                                  f"{_describe(*about, 'navnet, som læseren ser det.')} {notes}".strip(),
                                  label, header, label))
    return columns


class ResultRow(NamedTuple):
    initiative: Initiative
    result_no: int
    result: Result


def _initiatives(kb: KnowledgeBase) -> list[Initiative]:
    return sorted(kb.initiatives, key=lambda r: r.id)


def _results(kb: KnowledgeBase) -> list[ResultRow]:
    return [ResultRow(r, no, result) for r in _initiatives(kb) for no, result in enumerate(r.results, 1)]


INITIATIVES = Table(
    "indsatser", "Indsatser",
    "Én række pr. indsats. Lister står i én celle; resultaterne står i resultater.csv.",
    tuple(model_columns(Initiative)), ("id",), _initiatives,
)
RESULTS = Table(
    "resultater", "Resultater",
    "Én række pr. resultat, med indsatsens id i kolonnen 'initiative'.",
    (
        Column("initiative", "string", "Indsatsens id (henviser til kolonnen 'id' i indsatser.csv).",
               _cell(("initiative", "id"), _plain), "Indsats", _cell(("initiative", "title"), _plain)),
        Column("result_no", "integer", "Resultatets nummer i indsatsen (1, 2, …).",
               _cell(("result_no",), _plain), "Resultatets nummer", _cell(("result_no",), _plain)),
        *model_columns(Result, at=("result",)),
    ),
    ("initiative", "result_no"), _results,
    ({"fields": ["initiative"], "reference": {"resource": "indsatser", "fields": ["id"]}},),
)
TABLES = (INITIATIVES, RESULTS)


def rows(kb: KnowledgeBase, table: Table) -> list[list[Cell]]:
    return [[c.cell(kb, row) for c in table.columns] for row in table.rows(kb)]


def sheet_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if c.sheet is not None]


def sheet_rows(kb: KnowledgeBase, table: Table) -> list[list[Cell]]:
    """The Excel sheet's rows: Danish labels where the CSV has codes."""
    columns = sheet_columns(table)
    return [[c.sheet(kb, row) for c in columns] for row in table.rows(kb)]


# --- the files ----------------------------------------------------------------


WORKBOOK = "vidensbase.xlsx"  # what the data page offers readers first
DOWNLOADS = {  # top-level file -> (what it holds, its format); the page lists them in this order
    "indsatser.csv": ("Én række pr. indsats med alle felter, der kan stå i en celle.", "CSV"),
    "resultater.csv": ("Én række pr. resultat; kolonnen initiative er indsatsens id.", "CSV"),
    "vidensbase.xlsx": ("De samme to tabeller som faneblade i én Excel-projektmappe.", "Excel (xlsx)"),
    "vidensbase.json": ("Alle indsatser med alle felter, ordlisterne og kildedokumenterne.", "JSON"),
    "datapackage.json": ("Beskrivelse af de to CSV-filer: kolonner, typer, beskrivelser og nøgler.",
                         "Frictionless Data Package (JSON)"),
    "initiative.schema.json": ("Skemaet for én indsats-post, fx til at kontrollere en post (YAML) i en editor.",
                               "JSON Schema"),
}


def record_files(kb: KnowledgeBase) -> dict[str, bytes]:
    """Each record's YAML file, as its author wrote it."""
    return {layout.record_file(r.id).name: (kb.root / "projects" / f"{r.id}.yml").read_bytes()
            for r in _initiatives(kb)}


def collections(kb: KnowledgeBase, schema: dict) -> dict[str, bytes]:
    """The files that hold every record (``DOWNLOADS``)."""
    tables = {t.name: rows(kb, t) for t in TABLES}
    files = {f"{t.name}.csv": _csv(t, tables[t.name]) for t in TABLES}
    files["vidensbase.xlsx"] = _xlsx({t.name: sheet_rows(kb, t) for t in TABLES})
    files["vidensbase.json"] = _json({
        "initiatives": [r.model_dump(mode="json", exclude_none=True) for r in _initiatives(kb)],
        "vocabularies": {name: [t.model_dump(mode="json", exclude_none=True) for t in terms.values()]
                         for name, terms in kb.vocabularies.items()},
        "documents": [d.model_dump(mode="json", exclude_none=True) for d in kb.documents.values()],
    })
    files["datapackage.json"] = _json(datapackage())
    files["initiative.schema.json"] = _json(schema)
    return files


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _csv(table: Table, cells: list[list[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.name for c in table.columns)
    writer.writerows(cells)
    return out.getvalue().encode()


def _xlsx(tables: dict[str, list[list[Cell]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.created = book.properties.modified = _XLSX_TIME
    for table in TABLES:
        sheet = book.create_sheet(table.name)
        for col, column in enumerate(sheet_columns(table), 1):
            sheet.cell(1, col, column.header).font = Font(bold=True)
        for row, values in enumerate(tables[table.name], 2):
            for col, value in enumerate(values, 1):
                cell = sheet.cell(row, col, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # record text starting with '=' must never become a formula
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # not save_workbook(): it stamps the current time
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and sorted entries, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # as on Unix, wherever it is built
            target.writestr(info, source.read(name))
    return out.getvalue()


def datapackage() -> dict:
    """A Frictionless (v1) tabular data package describing the two CSV files."""
    return {
        "profile": "tabular-data-package",
        "name": "tvaersektorielle-forloeb-aeldre-medicinske-patienter",
        "title": "Tværsektorielle forløb for ældre medicinske patienter",
        "description": "Vidensbasens indsatser for ældre medicinske patienter på tværs af hospital, kommune og "
                       "almen praksis, og de resultater, kilderne angiver. Én række pr. indsats og én pr. "
                       "resultat; tomme celler betyder, at oplysningen mangler.",
        "resources": [_resource(t) for t in TABLES],
    }


def _resource(table: Table) -> dict:
    schema = {
        "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = list(table.foreign_keys)
    return {
        "name": table.name,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": schema,
    }


# --- the page -----------------------------------------------------------------


def _link(name: str) -> str:
    """A raw HTML link to a download: a markdown link to a non-document makes Sphinx warn."""
    return inline("link", href=layout.Download(name).url(layout.DATA), text=name)


def _size(data: bytes) -> str:
    return f"{number(round(len(data) / 1000, 1))} kB"


def _columns_table(table: Table) -> str:
    lines = ["| Kolonne (CSV) | Overskrift i Excel | Type | Beskrivelse |", "|---|---|---|---|"]
    lines += [f"| {md(c.name)} | {md(c.header) if c.sheet else '(kun i CSV)'} | {_TYPE_NAMES[c.type]} | "
              f"{md(c.description)} |" for c in table.columns]
    return "\n".join(lines) + "\n"


def downloads_page(kb: KnowledgeBase, files: dict[str, bytes]) -> str:
    """The MyST page "Data og download": the Excel workbook first, for readers; then every file for
    programs with its format and size, and the tables' columns."""
    listing = ["| Fil | Indhold | Format | Størrelse |", "|---|---|---|---|"]
    listing += [f"| {_link(name)} | {md(about)} | {md(kind)} | {_size(files[name])} |"
                for name, (about, kind) in DOWNLOADS.items()]
    excel = inline("download", href=layout.Download(WORKBOOK).url(layout.DATA), text="Hent Excel")
    return page(
        "data-og-download", "Data og download",
        f"Hele vidensbasen kan hentes som åbne data: {plural(len(kb.initiatives), 'indsats', 'indsatser')}, "
        f"{plural(len(counts.results(kb)), 'resultat', 'resultater')} og "
        f"{plural(len(counts.expectations(kb)), 'forventning', 'forventninger')}, som ikke er målt og ikke tæller "
        "som resultater. Filerne laves af de samme poster som siderne, hver gang sitet bygges.",
        f"{excel} ({WORKBOOK}, {_size(files[WORKBOOK])})",
        "Ét regneark med alle indsatser og alle resultater, en fane for hver. Overskrifterne er på dansk, "
        "og værdierne står, som siderne viser dem.",
        "## Til programmer og analytikere",
        "De samme data i formater, som programmer læser, og en beskrivelse af hver kolonne. I resultater.csv "
        "står forventningerne med kind forventning.",
        "\n".join(listing) + "\n",
        "## Formaterne",
        "CSV-filerne er tegnsat som UTF-8 (uden BOM), felterne er adskilt af komma, og tal står med "
        "punktum som decimaltegn (fx 7.9), så R, Python og andre programmer kan læse dem direkte. En tom "
        "celle betyder, at oplysningen mangler. Lister står i én celle, adskilt af semikolon og mellemrum. "
        "Dansk Excel læser komma og punktum anderledes; brug derfor " + _link("vidensbase.xlsx") + ", hvor "
        "tal er tal, og hvor hver tabel er et faneblad.",
        "CSV- og JSON-filerne bruger felternes navne og koder (fx target\\_group.min\\_age og midtjylland), "
        "så programmer kan læse dem. Excel-filen er til at læse: overskrifterne er felternes danske navne, "
        "og værdierne står, som siderne viser dem (fx Region Midtjylland, Forbedring, dokumentets titel). "
        "Tabellerne nedenfor viser begge navne for hver kolonne.",
        _link("datapackage.json") + " beskriver CSV-filerne som en Frictionless Data Package: kolonnernes "
        "navne, typer og beskrivelser, nøglerne (id i indsatser.csv; initiative og result\\_no i "
        "resultater.csv), og at initiative i resultater.csv henviser til id i indsatser.csv. "
        + _link("initiative.schema.json") + " er JSON Schema for én indsats-post.",
        "Hver indsats' side linker til sin post som datafil (YAML), præcis som den ligger i vidensbasen "
        "(" + layout.record_file("\\<id\\>").path + ").",
        "## Kolonner i indsatser.csv",
        _columns_table(INITIATIVES),
        "## Kolonner i resultater.csv",
        _columns_table(RESULTS),
    )
