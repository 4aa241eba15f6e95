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

from .citation import about_page, read_citation
from .execute import prerun
from .frontpage import key_findings_page
from .history import read_history
from .load import KnowledgeBase, load
from .opendata import downloads_page, open_data
from .pages import render_all, write_pages
from .schema import initiative_schema, write_schema

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
    executed: int  # analysis notebooks run (the others came from the cache)
    log: str


def generate(kb: KnowledgeBase, root: Path) -> tuple[int, int]:
    """Write the generated MyST sources and the downloads; return (pages, files changed)."""
    history, citation = read_history(kb.root), read_citation(root)
    downloads = open_data(kb, initiative_schema(kb))
    pages = {**render_all(kb, history, citation), "data.md": downloads_page(kb, downloads),
             "noegletal.md": key_findings_page(kb),  # included by the hand-written front page
             "om.md": about_page(citation),
             **analyses(root, fingerprint(kb.root))}
    changed = write_pages(pages, root / GENERATED)
    changed += write_pages(downloads, root / EXTRA / "data", stale="*")
    return len(pages), len(changed)


def fingerprint(data_dir: Path) -> str:
    """A hash of every data file and of this package's code: what the analyses' output depends on."""
    digest = hashlib.sha256()
    for base in (data_dir, PACKAGE):
        for path in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in (".yml", ".py")):
            digest.update(f"{path.relative_to(base).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def theme_key() -> str:
    """A hash of kb.theme's code and templates: Sphinx rewrites a page when its source or a
    template changes, not when an extension's code does."""
    digest = hashlib.sha256()
    for path in [PACKAGE / "theme.py", PACKAGE / "lean.py", *sorted((PACKAGE / "templates").glob("*.html"))]:
        digest.update(f"{path.name}\0".encode())
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
        if _is_notebook(text):
            head, body = text[4:].split("\n---\n", 1)
            text = f"---\n{head}\n---\n{FINGERPRINT_CELL.format(key)}{body}"
        out[f"analyser/{path.name}"] = text
    return out


def _is_notebook(text: str) -> bool:
    return text.startswith("---\n") and "\nkernelspec:" in text.split("\n---\n", 1)[0]


def build_book(root: Path, data_dir: Path, jobs: int = 1) -> tuple[bool, str, int]:
    """Run the notebooks, a strict Jupyter Book build into staging, then publish it atomically;
    return (success, Sphinx's log, notebooks run)."""
    build_dir = root / "_build"
    staging = build_dir / "staging"
    book = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config = book["sphinx"]["config"]
    notebooks = [p for p in sorted((root / GENERATED / "analyser").glob("*.md"))
                 if _is_notebook(p.read_text(encoding="utf-8"))]
    env = {"KB_DATA_DIR": str(data_dir.resolve())}  # what kb.load() in the notebooks reads
    # Jupyter Book keeps its cache under the output path's _build.
    ran = prerun(notebooks, staging / "_build" / ".jupyter_cache", book["execute"]["timeout"], jobs, env)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(jupyter_book), "build", str(root), "--path-output", str(staging),
        "--builder", "html", "-W", "--keep-going",
    ]
    stamp, theme = staging / "kb-theme.sha256", theme_key()
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != theme:
        cmd.append("--all")  # kb.theme changed: every page is written again
    proc = subprocess.run(cmd, cwd=root, env={**os.environ, **env}, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    built = staging / "_build" / "html"
    if proc.returncode != 0 or not (built / "index.html").is_file():
        return False, log, len(ran)
    for folder in config["html_static_path"]:
        _sync(root / folder, built / "_static")
    for folder in config["html_extra_path"]:
        _sync(root / folder, built, mirror=True)
    _danish_root_redirect(built / "index.html", html.escape(str(config.get("title", ""))))
    try:
        _publish(built, build_dir / "html")
    except OSError as exc:
        return False, f"{log}\nERROR: kunne ikke lægge sitet ud i {build_dir / 'html'}: {exc}", len(ran)
    stamp.write_text(theme, encoding="utf-8")
    return True, log, len(ran)


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
        '<link rel="icon" href="_static/favicon.svg">\n'
        '<meta http-equiv="refresh" content="0; url=book/index.html">\n</head>\n'
        '<body><p><a href="book/index.html">Gå til forsiden</a></p></body>\n</html>\n',
        encoding="utf-8",
    )


def _publish(built: Path, target: Path) -> None:
    """Point ``target`` at a fresh copy of ``built`` in one atomic step.

    ``target`` is a symbolic link into ``sites/`` beside it, swapped with ``os.replace``: a
    reader (or a web server) sees the old site or the new one, never a missing or half-written
    one. If copying fails, the link still points at the old site and the partial copy goes.

    A file Sphinx did not touch since the last publication (same size and time: copies keep
    the time) is hard-linked from the published site instead of copied. Nothing ever writes
    into a published file, so the link is as good as a copy, and a rebuild copies only the
    pages it changed."""
    sites = target.with_name("sites")
    fresh = sites / str(time.time_ns())

    def copy(source: str, dest: str) -> None:
        published = target / Path(source).relative_to(built)
        try:
            mine, theirs = os.stat(source), os.stat(published)
            if (mine.st_size, mine.st_mtime_ns) == (theirs.st_size, theirs.st_mtime_ns):
                os.link(published, dest)
                return
        except OSError:
            pass  # not published yet, or no hard links here: copy
        shutil.copy2(source, dest)

    try:
        shutil.copytree(built, fresh, copy_function=copy)
        link = target.with_name(f"{target.name}.link")
        link.unlink(missing_ok=True)
        link.symlink_to(fresh.relative_to(target.parent))
        if target.is_dir() and not target.is_symlink():  # published before kb used a link
            target.rename(sites / "tidligere")
        os.replace(link, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    for old in sites.iterdir():
        if old != fresh:
            shutil.rmtree(old, ignore_errors=True)


def build(root: Path, data_dir: Path, jobs: int = 1) -> BuildResult:
    """Everything ``kb build`` does after validation succeeded."""
    start = time.monotonic()
    kb = load(data_dir, jobs)
    write_schema(kb)  # for editors; generated, not kept in git
    pages, changed = generate(kb, root)
    ok, log, executed = build_book(root, data_dir, jobs)
    return BuildResult(ok, time.monotonic() - start, pages, changed, executed, log)


def warnings_in(log: str) -> list[str]:
    """The lines of a Sphinx log that explain a failure."""
    keys = ("WARNING", "ERROR", "Error", "Traceback", "Exception")
    return [line for line in log.splitlines() if any(k in line for k in keys)]
