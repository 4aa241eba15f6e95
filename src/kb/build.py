"""Validate -> generate -> strict Jupyter Book build -> swap into _build/html.

The book is built into a staging folder and only moved over ``_build/html``
when Sphinx succeeded with no warnings, so a failed build never leaves a
half-written site behind.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .load import KnowledgeBase, load
from .pages import render_all, write_pages

GENERATED = Path("book") / "generated"


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    pages: int
    changed: int
    log: str


def generate(kb: KnowledgeBase, root: Path) -> tuple[int, int]:
    """Write the generated MyST sources; return (pages, files changed)."""
    pages = render_all(kb)
    changed = write_pages(pages, root / GENERATED)
    return len(pages), len(changed)


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
    _danish_root_redirect(built / "index.html", _title(root))
    _publish(built, build_dir / "html")
    return True, log


def _title(root: Path) -> str:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return html.escape(str(config.get("title", "")))


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


def build(root: Path, data_dir: Path) -> BuildResult:
    """Everything ``kb build`` does after validation succeeded."""
    start = time.monotonic()
    kb = load(data_dir)
    pages, changed = generate(kb, root)
    ok, log = build_book(root, data_dir)
    return BuildResult(ok, time.monotonic() - start, pages, changed, log)


def warnings_in(log: str) -> list[str]:
    """The lines of a Sphinx log that explain a failure."""
    keys = ("WARNING", "ERROR", "Error", "Traceback", "Exception")
    return [line for line in log.splitlines() if any(k in line for k in keys)]
