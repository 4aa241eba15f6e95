"""Fidelity: every figure and every coverage heading stands in the text of the document it cites.

The repository keeps the documents' metadata, not their text. The texts lie in a folder named
by one setting, ``$KB_SOURCES``; a document's ``file`` names its text there. A document whose
text is not found is reported as not checked, never as an error and never as a silent pass.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .model import Document, KnowledgeBase
from .text import number

ENV = "KB_SOURCES"
UNCHECKED = "ikke tjekket: ingen lokal tekst"

# A count the text may give in words ("otte velevaluerede indsatser").
WORDS = ("nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve", "tolv",
         "tretten", "fjorten", "femten", "seksten", "sytten", "atten", "nitten", "tyve")


@dataclass(frozen=True)
class Check:
    """One thing that must stand in the text of one of ``documents``: any of ``needles``."""

    documents: tuple[str, ...]
    where: str  # file and field path, as the author finds it
    needles: tuple[str, ...]
    whole: bool = False  # a number that must stand whole: '7' is not found in '17' or '7,9'


@dataclass
class Report:
    checked: int = 0
    failures: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # documents without a local text


def source_folder() -> Path | None:
    """The folder ``$KB_SOURCES`` names, or None when it is not set."""
    value = os.environ.get(ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# A number as Danish text writes it: 7, 4,5, 15.000, 97,4.
NUMBER = re.compile(r"(?<![\d.,])\d+(?:\.\d{3})*(?:,\d+)?(?![\d]|[.,]\d)")


def _stands(needle: str, text: str, whole: bool) -> bool:
    if not whole:
        return needle in text
    return re.search(r"(?<![\d.,])" + re.escape(needle) + r"(?![\d]|[.,]\d)", text) is not None


def checks(kb: KnowledgeBase) -> Iterator[Check]:
    """Every figure and statistic in the records (also each number in "Sådan kommer I i gang"), the reviews,
    the budget and the mapping, and every coverage heading."""
    for r in kb.initiatives:
        where = f"data/projects/{r.id}.yml"
        cited = tuple(dict.fromkeys(s.document for s in r.sources))
        if (age := r.target_group.min_age) is not None:
            yield Check(cited, f"{where}: target_group.min_age", (number(age),))
        if screening := r.target_group.screening:
            yield Check(cited, f"{where}: target_group.screening.threshold", (number(screening.threshold),))
        for i, res in enumerate(r.results):
            c = res.comparison
            for name, value in (("value", res.value), ("n", res.n),
                                ("comparison.value", c and c.value), ("comparison.n", c and c.n)):
                if value is not None:
                    yield Check((res.source.document,), f"{where}: results[{i}].{name}", (number(value),))
            if res.statistics:  # p-values and intervals exactly as the source gives them
                yield Check((res.source.document,), f"{where}: results[{i}].statistics", (_flat(res.statistics),))
        for name, _, fact in r.getting_started.facts():  # every number in "Sådan kommer I i gang"
            for figure in NUMBER.findall(fact.text) if fact else ():
                yield Check((fact.source.document,), f"{where}: getting_started.{name}.text", (figure,),
                            whole=True)
    yield from _review_checks(kb)
    if budget := kb.context.budget:
        for i, row in enumerate(budget.rows):
            yield Check((budget.source.document,), f"data/context/budget.yml: rows[{i}].amount",
                        (number(row.amount),))
    if mapping := kb.context.syddanmark_mapping:
        where = "data/context/syddanmark_mapping.yml"
        yield Check((mapping.source.document,), f"{where}: mapped", (number(mapping.mapped),))
        stated = mapping.selected_stated
        words = (f"{WORDS[stated]} ",) if stated < len(WORDS) else ()
        yield Check((mapping.source.document,), f"{where}: selected_stated", (number(stated), *words))
    for cov in kb.coverage:
        for i, entry in enumerate(cov.entries):
            yield Check((cov.document,), f"data/coverage/{cov.document}.yml: entries[{i}].heading",
                        (_flat(entry.heading),))


def figure(value: float) -> tuple[str, ...]:
    """A figure as a Danish or an English text may write it: '0,82' or '0.82'; '12.242', '12,242' or '12242'."""
    danish = number(value)
    english = danish.replace(".", "\0").replace(",", ".").replace("\0", ",")
    return tuple(dict.fromkeys((danish, english, english.replace(",", ""))))


def _review_checks(kb: KnowledgeBase) -> Iterator[Check]:
    """A review's counts and each pooled estimate with its interval, counts and I², in the text it was read in."""
    for review in kb.reviews:
        where = f"data/reviews/{review.id}.yml"
        for name in ("trials", "participants"):
            if (value := getattr(review, name)) is not None:
                yield Check((review.source.document,), f"{where}: {name}", figure(value))
        for i, est in enumerate(review.estimates):
            for name in ("value", "low", "high", "trials", "participants", "i2"):
                if (value := getattr(est, name)) is not None:
                    yield Check((est.source.document,), f"{where}: estimates[{i}].{name}", figure(value))


def read_note(doc: Document) -> str:
    """Whether a figure read in ``doc`` is checked against a local text, for the page beside the figure."""
    return UNCHECKED if doc.file is None else "tallene tjekkes mod en lokal kopi af kilden"


class OutsideSources(ValueError):
    """A document's text that lies outside $KB_SOURCES."""


def text_path(folder: Path | None, doc: Document) -> Path | None:
    """The document's text in ``folder``, or None. The model keeps ``file`` relative and free of '..';
    a link inside the folder could still lead out of it, so the resolved path is held to the folder too."""
    if folder is None or doc.file is None:
        return None
    path = (folder / doc.file).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise OutsideSources(f"data/documents.yml: dokumentet '{doc.id}': file '{doc.file}' fører til {path}, "
                             f"uden for mappen med kildetekster {folder}; læg teksten i mappen")
    return path if path.is_file() else None


def local_texts(kb: KnowledgeBase, folder: Path | None) -> dict[str, str | None]:
    """Each document's text with its whitespace folded, or None where there is no local text."""
    paths = {doc.id: text_path(folder, doc) for doc in kb.documents.values()}
    return {doc_id: _flat(path.read_text(encoding="utf-8")) if path else None for doc_id, path in paths.items()}


def failure(check: Check, texts: dict[str, str | None]) -> str | None:
    """The author's message if the check fails, else None. Only run when every document has a text."""
    if any(_stands(n, texts[d], check.whole) for d in check.documents for n in check.needles):
        return None
    found = " eller ".join(f"'{n}'" for n in check.needles)
    where = " eller ".join(f"'{d}'" for d in check.documents)
    return f"{check.where}: forventede {found} i teksten til {where}, fandt det ikke"


def runnable(check: Check, texts: dict[str, str | None]) -> bool:
    """A check runs only when all its documents have a local text: a figure may stand in any of them."""
    return all(texts.get(d) is not None for d in check.documents)


def check_sources(kb: KnowledgeBase, folder: Path | None) -> Report:
    texts = local_texts(kb, folder)
    report = Report(unchecked=sorted(d for d, t in texts.items() if t is None))
    for check in checks(kb):
        if runnable(check, texts):
            report.checked += 1
            if message := failure(check, texts):
                report.failures.append(message)
    return report
