"""``kb new``: a new record from the commented Danish template, with the allowed terms spelt out."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from .messages import slugify
from .model import SLUG_RE, KnowledgeBase
from .schema import vocabulary_terms

TEMPLATE = Path(__file__).parent / "templates" / "ny-indsats.yml"
REVIEW_TEMPLATE = Path(__file__).parent / "templates" / "ny-oversigt.yml"
_PLACEHOLDER = re.compile(r"^(?P<lead>.*?)\{\{(?P<name>\w+)\}\}(?P<rest>.*)$", re.M)


class IdError(ValueError):
    """An id that cannot be a record's file name and address."""


def check_id(record_id: str, kb: KnowledgeBase, review: bool = False) -> None:
    if not SLUG_RE.match(record_id) or len(record_id) > 80:
        example = slugify(record_id)
        raise IdError(f"id'et '{record_id}' skal være små bogstaver a-z, tal og enkelte bindestreger "
                      f"(højst 80 tegn)" + (f"; fx '{example}'" if example else ""))
    folder, records = ("reviews", kb.reviews) if review else ("projects", kb.initiatives)
    if any(r.id == record_id for r in records):
        raise IdError(f"id'et '{record_id}' findes allerede: data/{folder}/{record_id}.yml")


def new_record(record_id: str, kb: KnowledgeBase, review: bool = False) -> str:
    """The template (of an initiative, or of a systematic review) with the id and the current
    vocabularies filled in."""
    check_id(record_id, kb, review)
    terms = {name: ", ".join(sorted(values)) for name, values in vocabulary_terms(kb).items()}
    terms["id"] = record_id

    def fill(match: re.Match) -> str:
        line = f"{match['lead']}{terms[match['name']]}{match['rest']}"
        if not match["lead"].lstrip().startswith("#"):
            return line
        indent = match["lead"][: len(match["lead"]) - len(match["lead"].lstrip())]
        return textwrap.fill(line, width=100, subsequent_indent=f"{indent}#   ",
                             break_long_words=False, break_on_hyphens=False)

    return _PLACEHOLDER.sub(fill, (REVIEW_TEMPLATE if review else TEMPLATE).read_text(encoding="utf-8"))
