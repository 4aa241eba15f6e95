"""The JSON Schema of an initiative record, for editors (VS Code, JetBrains, …).

It is the model's own schema with the current vocabulary terms filled in as
enums, so an editor can offer the allowed terms while the author types. Every
record's first line points at ``data/schema/``; the file is generated, not kept
in git: ``kb validate``, ``kb build``, ``kb new`` and ``kb schema`` rewrite it
whenever the model or a vocabulary changed, so it never needs a hand.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Initiative, KnowledgeBase, SystematicReview

SCHEMA_FILE = Path("schema") / "initiative.schema.json"  # relative to the data folder
REVIEW_SCHEMA_FILE = Path("schema") / "review.schema.json"  # the schema of data/reviews/*.yml
MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_FILE.as_posix()}"


def _schema(kb: KnowledgeBase, model, title: str, description: str) -> dict:
    """The model's JSON Schema for editors, with the vocabularies' terms filled in."""
    schema = model.model_json_schema()
    schema.update({"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title,
                   "description": description})
    _fill_terms(schema, vocabulary_terms(kb))
    return schema


def initiative_schema(kb: KnowledgeBase) -> dict:
    return _schema(kb, Initiative, "Indsats",
                   "En post i vidensbasen: én indsats. Felterne er forklaret i CONTRIBUTING.md.")


def review_schema(kb: KnowledgeBase) -> dict:
    return _schema(kb, SystematicReview, "Systematisk oversigt",
                   "En systematisk oversigt i data/reviews/. Felterne er forklaret i CONTRIBUTING.md.")


def schema_text(kb: KnowledgeBase) -> str:
    return json.dumps(initiative_schema(kb), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def review_schema_text(kb: KnowledgeBase) -> str:
    return json.dumps(review_schema(kb), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schema(kb: KnowledgeBase) -> Path | None:
    """Write the schemas into the data folder if they changed; the initiatives' path if it was written."""
    written = None
    for file, text in ((REVIEW_SCHEMA_FILE, review_schema_text(kb)), (SCHEMA_FILE, schema_text(kb))):
        path = kb.root / file
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written = path if file == SCHEMA_FILE else written
    return written


def without_modeline(kb: KnowledgeBase) -> list[str]:
    """The record files whose first line does not point editors at the schema (a convenience, not an error)."""
    folder = kb.root / "projects"
    return [f"{kb.root.name}/projects/{r.id}.yml" for r in kb.initiatives
            if (folder / f"{r.id}.yml").read_text(encoding="utf-8").split("\n", 1)[0] != MODELINE]


def vocabulary_terms(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    """vocabulary -> {term: what an editor shows beside it}."""
    terms = {name: {t: v.label for t, v in vocab.items()} for name, vocab in kb.vocabularies.items()}
    terms["documents"] = {d: doc.title for d, doc in kb.documents.items()}
    return terms


def _fill_terms(node, terms: dict[str, dict[str, str]]) -> None:
    if isinstance(node, dict):
        if (name := node.get("x-vocabulary")) in terms:
            ids = sorted(terms[name])
            node["enum"] = ids
            node["markdownEnumDescriptions"] = [terms[name][t] for t in ids]
        for value in node.values():
            _fill_terms(value, terms)
    elif isinstance(node, list):
        for value in node:
            _fill_terms(value, terms)
