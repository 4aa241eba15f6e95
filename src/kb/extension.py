"""``kb.extension``: the knowledge base as a Sphinx extension, so a plain ``jupyter-book build .``
builds the whole site (listed in ``_config.yml``; Project Pythia builds its gallery the same way).

- ``builder-inited``: validate the records (a problem stops the build with the validator's Danish
  messages) and write the generated sources (``kb.generate``); then run the analyses that
  jupyter-cache does not hold yet, side by side (``kb.executor``, a jupyter-cache executor) and
  read with myst-nb's own reader, so myst-nb finds every notebook cached (a notebook that fails
  is run again by myst-nb, which reports the error as always).
- ``build-finished``: copy the static and extra files Sphinx skips when no page was out of date (before
  kb.lean assembles the stylesheet from them),
  and write a Danish root redirect.

``kb build`` adds only what a plain build lacks: strictness (``-W``), a staging folder published
atomically, and a clear error before Sphinx starts.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from .generate import GENERATED, generate, is_notebook
from .html import render
from .loader import DataError, load
from .model import KnowledgeBase
from .schema import write_schema

logger = logging.getLogger(__name__)
# The live preview validates before it builds, in this process; it leaves the result here so the
# build does not load the records a second time (data folder -> KnowledgeBase).
PRELOADED: dict[Path, KnowledgeBase] = {}
NOTEBOOK_READER = {"name": "myst_nb_md", "type": "plugin"}  # myst-nb's reader, as jupyter-cache names it


def setup(app):
    app.setup_extension("kb.theme")
    # Where the records are: this setting, else $KB_DATA_DIR, else data/ beside _config.yml.
    app.add_config_value("kb_data_dir", "", "env", types=[str])
    # The live preview keeps the analyses and the collected downloads (kb.generate, kb.preview).
    app.add_config_value("kb_preview", False, "", types=[bool])
    app.connect("config-inited", _static_folders, priority=100)
    app.connect("builder-inited", _generate)
    app.connect("builder-inited", _execute, priority=900)
    # The static files first: kb.lean assembles kb-site.css from them at the default priority (500).
    app.connect("build-finished", _copy_static, priority=400)
    app.connect("build-finished", _finish, priority=900)  # after sphinx-external-toc's index.html
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def prepare(app) -> None:
    """What builder-inited does, for the live preview's next build with the same application."""
    _generate(app)
    _execute(app)


def data_dir(app) -> Path:
    folder = app.config.kb_data_dir or os.environ.get("KB_DATA_DIR") or Path(app.srcdir) / "data"
    return Path(folder).resolve()


def _static_folders(app, config) -> None:
    """Sphinx checks html_static_path and html_extra_path on config-inited, before the pages,
    vega.js and the downloads exist."""
    for folder in (*config.html_static_path, *config.html_extra_path):
        if Path(folder).is_relative_to(GENERATED):
            (Path(app.confdir) / folder).mkdir(parents=True, exist_ok=True)


def _generate(app) -> None:
    folder = data_dir(app)
    try:
        kb = PRELOADED.pop(folder, None) or load(folder, os.cpu_count() or 1)
        os.environ["KB_DATA_DIR"] = str(folder)  # what kb.load() in the analyses' kernels reads
        write_schema(kb)  # for editors; generated, not kept in git
        pages, changed = generate(kb, Path(app.srcdir), preview=app.config.kb_preview)
    except DataError as exc:  # the records, or the citation file and settings
        problems = "\n".join(str(p) for p in exc.problems)
        raise ExtensionError(f"{len(exc.problems)} fejl; intet er bygget:\n{problems}") from None
    logger.info(f"kb: {pages} sider genereret ({changed} ændret)")


def _execute(app) -> None:
    """Run the analyses jupyter-cache does not hold, in parallel; myst-nb then reads the cache."""
    nb = app.env.mystnb_config  # myst-nb's own settings, resolved on builder-inited (priority 500)
    if nb.execution_mode != "cache":
        return
    from jupyter_cache import get_cache

    from .executor import SharedKernelExecutor

    folder = Path(app.srcdir) / GENERATED / "analyser"
    notebooks = [p for p in sorted(folder.glob("*.md")) if is_notebook(p.read_text(encoding="utf-8"))]
    if not notebooks:
        return
    cache = get_cache(nb.execution_cache_path)
    pks = {cache.add_nb_to_project(str(p), read_data=NOTEBOOK_READER).pk for p in notebooks}
    if not any(record.pk in pks for record in cache.list_unexecuted()):
        return  # every analysis is cached: no pool of workers to start
    result = SharedKernelExecutor(cache, logger).run_and_cache(
        filter_pks=sorted(pks), timeout=nb.execution_timeout, allow_errors=False)
    logger.info(f"kb: {len(result.succeeded)} analyser kørt")


def _copy_static(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for folder in app.config.html_static_path:
        sync(Path(app.confdir) / folder, out / "_static")
    for folder in app.config.html_extra_path:
        sync(Path(app.confdir) / folder, out, mirror=True)


def _finish(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _danish_root_redirect(Path(app.outdir) / "index.html", app.config.html_title or app.config.project)


def sync(source: Path, target: Path, mirror: bool = False) -> None:
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
    path.write_text(render("redirect.html", title=title), encoding="utf-8")
