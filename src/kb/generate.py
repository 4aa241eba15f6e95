"""The book's generated sources: a page per record, the indexes and chapters, the analyses with
their data key and the downloads. ``kb.extension`` writes them when Sphinx
starts (``builder-inited``); only files whose text changed are rewritten, so Sphinx rereads
only what an edit touched.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from . import layout
from .citation import about_page, read_citation
from .frontpage import key_findings_page
from .history import read_history
from .layout import GENERATED
from .model import KnowledgeBase
from .opendata import DOWNLOADS, collections, downloads_page, record_files
from .pages import render_all, write_pages
from .schema import initiative_schema

EXTRA = GENERATED / "_extra"  # html_extra_path: its data/ folder lands at the site's root
ANALYSES = Path("book") / "analyser"
PACKAGE = Path(__file__).parent
FINGERPRINT_CELL = """
```{{code-cell}} ipython3
:tags: [remove-cell]

# Indsat af kb: data og kode er en del af jupyter-cache-nøglen, så en ændret post kører analysen igen.
KB_FINGERPRINT = "{}"
```
"""
# The code is for analysts: a download at the foot of the page, not folded above every chart.
CODE_LINK = ("\n\n## Koden bag analysen\n\nFor analytikere: [Se koden bag analysen](path:/{}) "
             "(en Jupyter-notebook som tekstfil).\n")


def generate(kb: KnowledgeBase, root: Path, preview: bool = False) -> tuple[int, int]:
    """Write the generated MyST sources and the downloads; return (pages, files changed).

    For the live ``preview``, what holds every record and takes seconds to remake at 1,000
    records is kept once written: the analyses keep their data key, so no notebook runs again,
    and the collected downloads (Excel, CSV, JSON) stay as they are. Each record's own file and
    every page are current."""
    history, citation = read_history(kb.root), read_citation(root)
    downloads = {**((preview and written_collections(root)) or collections(kb, initiative_schema(kb))),
                 **record_files(kb)}
    key = (preview and written_key(root)) or fingerprint(kb.root)
    pages = {**render_all(kb, history, citation), "data.md": downloads_page(kb, downloads),
             "noegletal.md": key_findings_page(kb),  # included by the hand-written front page
             "om.md": about_page(citation),
             **analyses(root, key)}
    changed = write_pages(pages, root / GENERATED)
    changed += write_pages(downloads, root / EXTRA / "data", stale="*")
    return len(pages), len(changed)


def written_collections(root: Path) -> dict[str, bytes] | None:
    """The collected downloads written last, if all are there."""
    folder = root / EXTRA / "data"
    if not all((folder / name).is_file() for name in DOWNLOADS):
        return None
    return {name: (folder / name).read_bytes() for name in DOWNLOADS}


def fingerprint(data_dir: Path) -> str:
    """A hash of every data file and of this package's code: what the analyses' output depends on."""
    digest = hashlib.sha256()
    for base in (data_dir, PACKAGE):
        for path in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in (".yml", ".py")):
            digest.update(f"{path.relative_to(base).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def written_key(root: Path) -> str | None:
    """The data key in the analyses written last, if any."""
    for path in sorted((root / GENERATED / "analyser").glob("*.md")):
        found = re.search(r'^KB_FINGERPRINT = "([0-9a-f]+)"$', path.read_text(encoding="utf-8"), re.M)
        if found:
            return found[1]
    return None


def analyses(root: Path, key: str) -> dict[str, str]:
    """The hand-written analyses under book/analyser, each notebook with the data key as a hidden cell
    and a link to its own source.

    jupyter-cache keys a notebook on its code only; the hidden cell puts the data in that key, so a
    changed record re-executes the analyses and an unchanged knowledge base reuses the cache.
    """
    out = {}
    for path in sorted((root / ANALYSES).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if is_notebook(text):
            head, body = text[4:].split("\n---\n", 1)
            text = (f"---\n{head}\n---\n{FINGERPRINT_CELL.format(key)}{body.rstrip()}"
                    + CODE_LINK.format((ANALYSES / path.name).as_posix()))
        out[layout.analysis(path.stem).source] = text
    return out


def is_notebook(text: str) -> bool:
    return text.startswith("---\n") and "\nkernelspec:" in text.split("\n---\n", 1)[0]
