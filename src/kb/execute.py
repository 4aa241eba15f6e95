"""Run the analysis notebooks side by side into jupyter-cache before Sphinx asks for them.

myst-nb executes a book's notebooks one after another, each in a new kernel, and most of
each run is starting the kernel and importing pandas and Altair. Run here in parallel, with
the same reader and the same executor myst-nb uses, the outputs land in the cache myst-nb
reads, and Sphinx finds every notebook cached. A notebook that fails is left out of the
cache, so the strict build runs it again and reports the error as it always has.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import myst_nb_reader_plugin


def _run(path: str, timeout: int, env: dict[str, str]) -> tuple[str, object, float, bool]:
    # A worker process of its own: the kernel it starts inherits the environment and stderr.
    os.environ.update(env)
    # The kernels' own chatter ("running over TCP without encryption") is not for authors;
    # a real error comes back from the strict build, which runs the notebook again.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    try:
        notebook = myst_nb_reader_plugin(path)
        result = single_nb_execution(notebook, cwd=str(Path(path).parent), timeout=timeout,
                                     allow_errors=False, meta_override=True)
    except Exception:  # a kernel that would not start: the strict build says why
        return path, None, 0.0, False
    return path, result.nb, result.time, result.err is None


def prerun(notebooks: list[Path], cache_dir: Path, timeout: int, jobs: int,
           env: dict[str, str]) -> list[Path]:
    """Execute the notebooks the cache has no outputs for, with ``env`` added to the kernels'
    environment; return those that ran successfully."""
    cache = get_cache(str(cache_dir))
    missing = []
    for path in notebooks:
        try:
            cache.match_cache_notebook(myst_nb_reader_plugin(str(path)))
        except KeyError:
            missing.append(str(path))
    if not missing:
        return []
    ran = []
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(missing)))) as pool:
        for path, notebook, seconds, ok in pool.map(_run, missing, [timeout] * len(missing), [env] * len(missing)):
            if ok:
                cache.cache_notebook_bundle(
                    CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                    check_validity=False, overwrite=True)
                ran.append(Path(path))
    return ran
