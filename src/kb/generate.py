"""The book's generated sources: a page per record, the indexes and chapters, the analyses with
their data key, the downloads and the vendored Vega. ``kb.extension`` writes them when Sphinx
starts (``builder-inited``); only files whose text changed are rewritten, so Sphinx rereads
only what an edit touched.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from . import layout
from .charts import vega_bundle, vega_header
from .citation import about_page, read_citation
from .frontpage import key_findings_page
from .history import read_history
from .layout import GENERATED
from .model import KnowledgeBase
from .opendata import downloads_page, open_data
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


def generate(kb: KnowledgeBase, root: Path, keep_analyses: bool = False) -> tuple[int, int]:
    """Write the generated MyST sources, the downloads and the vendored Vega;
    return (pages, files changed). With ``keep_analyses`` (the live preview), analyses already
    written keep their data key, so no notebook runs again."""
    history, citation = read_history(kb.root), read_citation(root)
    downloads = open_data(kb, initiative_schema(kb))
    key = (keep_analyses and written_key(root)) or fingerprint(kb.root)
    pages = {**render_all(kb, history, citation), "data.md": downloads_page(kb, downloads),
             "noegletal.md": key_findings_page(kb),  # included by the hand-written front page
             "om.md": about_page(citation),
             **analyses(root, key)}
    changed = write_pages(pages, root / GENERATED)
    changed += write_pages(downloads, root / EXTRA / "data", stale="*")
    _write_vega(root / GENERATED / "_static" / "vega.js")
    return len(pages), len(changed)


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
    """The hand-written analyses under book/analyser, each notebook with the data key as a hidden cell.

    jupyter-cache keys a notebook on its code only; the hidden cell puts the data in that key, so a
    changed record re-executes the analyses and an unchanged knowledge base reuses the cache.
    """
    out = {}
    for path in sorted((root / ANALYSES).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if is_notebook(text):
            head, body = text[4:].split("\n---\n", 1)
            text = f"---\n{head}\n---\n{FINGERPRINT_CELL.format(key)}{body}"
        out[layout.analysis(path.stem).source] = text
    return out


def is_notebook(text: str) -> bool:
    return text.startswith("---\n") and "\nkernelspec:" in text.split("\n---\n", 1)[0]


def _first_line(path: Path) -> str:
    if not path.is_file():
        return ""
    with path.open(encoding="utf-8") as f:
        return f.readline()


def vega_cache() -> Path:
    """Where a bundled Vega is kept between clean builds: the user's cache, as pip keeps its own."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kb"


def _write_vega(path: Path) -> None:
    """Vendor the Vega bundle. Bundling takes 2–3 s, so it is skipped when the versions are
    unchanged, and a clean build copies it from the user's cache."""
    header = vega_header()
    if _first_line(path) == header:
        return
    cached = vega_cache() / f"vega-{hashlib.sha256(header.encode()).hexdigest()[:16]}.js"
    if _first_line(cached) == header:
        bundle = cached.read_text(encoding="utf-8")
    else:
        bundle = vega_bundle()
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(bundle, encoding="utf-8")
            partial.replace(cached)  # another build never reads half a bundle
        except OSError:
            pass  # no writable cache (a locked-down home): bundle again next time
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bundle, encoding="utf-8")
