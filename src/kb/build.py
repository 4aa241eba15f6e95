"""``kb build``: validate, then a strict Jupyter Book build into staging, swapped into _build/html.

The pages themselves come from ``kb.extension`` inside Sphinx, so a plain ``jupyter-book build .``
builds the same site. What this adds: warnings are errors (``-W``), and the book is built into a
staging folder and only moved over ``_build/html`` when Sphinx succeeded, so a failed build never
leaves a half-written site behind.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .citation import read_citation
from .loader import load

# Terminal colours and cursor codes: Sphinx colours its log and IPython a notebook's traceback
# whether or not they go to a terminal, and kb shows both in CI logs and on the preview page.
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def uncoloured(text: str) -> str:
    return ESCAPES.sub("", text)


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    pages: int
    changed: int
    executed: int  # analysis notebooks run (the others came from the cache)
    log: str


def build_book(root: Path, data_dir: Path) -> tuple[bool, str]:
    """A strict Jupyter Book build into staging, then published atomically; (success, log)."""
    build_dir = root / "_build"
    staging = build_dir / "staging"
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(jupyter_book), "build", str(root), "--path-output", str(staging),
        "--builder", "html", "-W", "--keep-going",
    ]
    env = {**os.environ, "KB_DATA_DIR": str(data_dir.resolve())}
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    log = uncoloured(proc.stdout + proc.stderr)
    built = staging / "_build" / "html"
    if proc.returncode != 0 or not (built / "index.html").is_file():
        return False, log
    try:
        _publish(built, build_dir / "html")
    except OSError as exc:
        return False, f"{log}\nERROR: kunne ikke lægge sitet ud i {build_dir / 'html'}: {exc}"
    return True, log


def _publish(built: Path, target: Path) -> None:
    """Put a fresh copy of ``built`` at ``target`` in one atomic step.

    ``target`` is a plain folder, so ``cp -r``, ``rsync -a`` and ``ghp-import`` copy the site itself.
    The fresh copy is made in ``sites/`` beside it and exchanged with the published folder in one
    step (``_exchange``): a reader (or a web server) sees the old site or the new one, never a
    missing or half-written one. If copying fails, the old site stays and the partial copy goes.

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
        if os.path.lexists(target):
            _exchange(fresh, target)  # the earlier site is now at ``fresh``
        else:
            os.rename(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)  # the partial copy; the published site is untouched
        raise
    for old in sites.iterdir():  # the earlier site, and any left by an interrupted build
        if old.is_symlink():  # kb published ``html`` as a link into sites/ before
            old.unlink()
        else:
            shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step: Linux's renameat2 with RENAME_EXCHANGE (glibc 2.28 and later).
    Where the system or the file system lacks it (macOS, Windows), two renames in a row: the site
    is then missing for the moment between them, which an author's own machine can live with."""
    libc = ctypes.CDLL(None, use_errno=True)
    swap = getattr(libc, "renameat2", None)
    if swap is not None and swap(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                                 _RENAME_EXCHANGE) == 0:
        return
    code = ctypes.get_errno() if swap is not None else errno.ENOSYS
    if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        raise OSError(code, os.strerror(code), str(second))
    aside = first.with_name(f"{first.name}.tidligere")
    os.rename(second, aside)
    os.rename(first, second)
    os.rename(aside, first)


def build(root: Path, data_dir: Path, jobs: int = 1) -> BuildResult:
    """Everything ``kb build`` does: validate (a problem raises DataError before Sphinx starts),
    then build and publish. The counts come from the extension's log lines."""
    start = time.monotonic()
    load(data_dir, jobs)
    read_citation(root)  # the citation file and settings, checked as the records are
    ok, log = build_book(root, data_dir)
    pages = re.search(r"kb: (\d+) sider genereret \((\d+) ændret\)", log)
    executed = re.search(r"kb: (\d+) analyser kørt", log)
    return BuildResult(ok, time.monotonic() - start, int(pages[1]) if pages else 0,
                       int(pages[2]) if pages else 0, int(executed[1]) if executed else 0, log)


def warnings_in(log: str) -> list[str]:
    """The lines of a Sphinx log that explain a failure."""
    keys = ("WARNING", "ERROR", "Error", "Traceback", "Exception")
    return [line for line in log.splitlines() if any(k in line for k in keys)]
