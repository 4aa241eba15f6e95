"""Run the analysis notebooks side by side into jupyter-cache before Sphinx asks for them.

myst-nb executes a book's notebooks one after another, each in a new kernel, and most of
each run is starting the kernel and importing pandas and Altair. Here each worker starts
one kernel and runs its share of the notebooks in it, clearing the namespace between them
(``%reset -f``), so the imports are paid once per worker. The notebooks are read with the
reader myst-nb uses, so their outputs land in the cache under the key myst-nb looks up,
and Sphinx finds every notebook cached. A notebook that fails is left out of the cache:
the strict build runs it again in a kernel of its own and reports the error as always.
(The tests run every notebook alone as well, with nbmake.)
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from myst_nb.core.read import myst_nb_reader_plugin

RESET = "get_ipython().run_line_magic('reset', '-f')"


def _renumber(notebook) -> None:
    """Number the cells as a kernel of its own would have numbered them."""
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = count


async def _run_in_one_kernel(paths: list[str], timeout: int) -> list[tuple[str, object, float]]:
    """Execute ``paths`` in order in one kernel; return (path, notebook, seconds) for those that
    ran without error."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    done, km, kc = [], None, None
    try:
        for path in paths:
            notebook = myst_nb_reader_plugin(path)
            start = time.perf_counter()
            if km is None:
                km = AsyncKernelManager(kernel_name=notebook.metadata.kernelspec.name)
            # No timings in the cells: cell metadata is part of the cache key.
            client = NotebookClient(notebook, km=km, timeout=timeout, allow_errors=False,
                                    record_timing=False,
                                    resources={"metadata": {"path": str(Path(path).parent)}})
            client.kc = kc  # None the first time: the client starts the kernel and its channels
            if kc is not None:
                reply = await kc.execute_interactive(RESET, silent=True, timeout=timeout)
                if reply["content"]["status"] != "ok":
                    break
            try:
                await client.async_execute()
            except Exception:  # the cell's error is the strict build's to report
                continue
            finally:
                kc = client.kc
            _renumber(notebook)
            done.append((path, notebook, time.perf_counter() - start))
    finally:
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            await km.shutdown_kernel(now=True)
    return done


def _worker(paths: list[str], timeout: int, env: dict[str, str]) -> list[tuple[str, object, float]]:
    # A process of its own: the kernel it starts inherits the environment and stderr.
    os.environ.update(env)
    # The kernels' own chatter ("running over TCP without encryption") is not for authors.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    try:
        return asyncio.run(_run_in_one_kernel(paths, timeout))
    except Exception:  # a kernel that would not start: the strict build says why
        return []


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
    workers = max(1, min(jobs, len(missing)))
    shares = [missing[i::workers] for i in range(workers) if missing[i::workers]]
    ran = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for done in pool.map(_worker, shares, [timeout] * len(shares), [env] * len(shares)):
            for path, notebook, seconds in done:
                cache.cache_notebook_bundle(
                    CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                    check_validity=False, overwrite=True)
                ran.append(Path(path))
    return sorted(ran)
