"""Validate -> generate -> strict Jupyter Book build -> swap into _build/html.

The book is built into a staging folder and only moved over ``_build/html``
when Sphinx succeeded with no warnings, so a failed build never leaves a
half-written site behind.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .charts import vega_bundle, vega_header
from .citation import read_citation
from .history import read_history
from .load import KnowledgeBase, load
from .opendata import downloads_page, open_data
from .pages import render_all, write_pages
from .schema import initiative_schema

GENERATED = Path("book") / "generated"
EXTRA = GENERATED / "_extra"  # html_extra_path: its data/ folder lands at the site's root
ANALYSES = Path("book") / "analyser"
PACKAGE = Path(__file__).parent
FINGERPRINT_CELL = """
```{{code-cell}} ipython3
:tags: [remove-cell]

# Indsat af kb build: data og kode er en del af jupyter-cache-nøglen, så en ændret post kører analysen igen.
KB_FINGERPRINT = "{}"
```
"""


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    pages: int
    changed: int
    log: str


def generate(kb: KnowledgeBase, root: Path) -> tuple[int, int]:
    """Write the generated MyST sources, the downloads and the vendored Vega;
    return (pages, files changed)."""
    history, citation = read_history(kb.root), read_citation(root)
    downloads = open_data(kb, initiative_schema(kb))
    pages = {**render_all(kb, history, citation), "data.md": downloads_page(kb, downloads),
             **analyses(root, fingerprint(kb.root))}
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


def analyses(root: Path, key: str) -> dict[str, str]:
    """The hand-written analyses under book/analyser, each notebook with the data key as a hidden cell.

    jupyter-cache keys a notebook on its code only; the hidden cell puts the data in that key, so a
    changed record re-executes the analyses and an unchanged knowledge base reuses the cache.
    """
    out = {}
    for path in sorted((root / ANALYSES).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n") and "\nkernelspec:" in text.split("\n---\n", 1)[0]:
            head, body = text[4:].split("\n---\n", 1)
            text = f"---\n{head}\n---\n{FINGERPRINT_CELL.format(key)}{body}"
        out[f"analyser/{path.name}"] = text
    return out


def _write_vega(path: Path) -> None:
    """Vendor the Vega bundle; bundling takes 1–2 s, so it is skipped when the versions are unchanged."""
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            if f.readline() == vega_header():
                return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(vega_bundle(), encoding="utf-8")


def build_book(root: Path, data_dir: Path) -> tuple[bool, str]:
    """Run a strict Jupyter Book build into staging, then publish it atomically."""
    build_dir = root / "_build"
    staging = build_dir / "staging"
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(jupyter_book), "build", str(root), "--path-output", str(staging),
        "--builder", "html", "-W", "--keep-going",
    ]
    env = {**os.environ, "KB_DATA_DIR": str(data_dir.resolve())}
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    built = staging / "_build" / "html"
    if proc.returncode != 0 or not (built / "index.html").is_file():
        return False, log
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    for folder in config["html_static_path"]:
        _sync(root / folder, built / "_static")
    for folder in config["html_extra_path"]:
        _sync(root / folder, built, mirror=True)
    _danish_root_redirect(built / "index.html", html.escape(str(config.get("title", ""))))
    _publish(built, build_dir / "html")
    return True, log


def _sync(source: Path, target: Path, mirror: bool = False) -> None:
    """Sphinx copies static and extra files only when some page is out of date, so an edited
    kb.css or record alone would never reach the site: copy what differs ourselves. With
    ``mirror``, files under the source's top-level folders that are gone (a removed record's
    YAML) are removed from the site too."""
    for path in sorted(source.rglob("*")):
        dest = target / path.relative_to(source)
        if path.is_file() and (not dest.is_file() or dest.read_bytes() != path.read_bytes()):
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    if mirror:
        for folder in (p for p in source.iterdir() if p.is_dir()):
            for dest in sorted((target / folder.name).rglob("*")):
                if dest.is_file() and not (folder / dest.relative_to(target / folder.name)).is_file():
                    dest.unlink()


def _danish_root_redirect(path: Path, title: str) -> None:
    """Jupyter Book's root index.html is a bare redirect with no language; give it one."""
    path.write_text(
        '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta http-equiv="refresh" content="0; url=book/index.html">\n</head>\n'
        '<body><p><a href="book/index.html">Gå til forsiden</a></p></body>\n</html>\n',
        encoding="utf-8",
    )


def _publish(built: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``built`` using renames, never a partial copy."""
    fresh = target.with_name("html.new")
    old = target.with_name("html.old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(built, fresh)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def build(root: Path, data_dir: Path, jobs: int = 1) -> BuildResult:
    """Everything ``kb build`` does after validation succeeded."""
    start = time.monotonic()
    kb = load(data_dir, jobs)
    pages, changed = generate(kb, root)
    ok, log = build_book(root, data_dir)
    return BuildResult(ok, time.monotonic() - start, pages, changed, log)


def warnings_in(log: str) -> list[str]:
    """The lines of a Sphinx log that explain a failure."""
    keys = ("WARNING", "ERROR", "Error", "Traceback", "Exception")
    return [line for line in log.splitlines() if any(k in line for k in keys)]
