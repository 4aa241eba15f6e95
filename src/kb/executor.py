"""A jupyter-cache executor that runs the analyses side by side, several per kernel.

jupyter-cache's ``local-parallel`` executor starts a kernel for every notebook, and most of each
run is then starting the kernel, importing pandas and Altair and starting vl-convert's drawing
engine: about 2 s a notebook here, six times over. This executor gives each worker process one
kernel and runs its share of the notebooks in it one after another, clearing the namespace
between them (``%reset -f``), so those costs are paid once per worker. It implements
jupyter-cache's executor interface and stores the results as jupyter-cache's own workers do,
so myst-nb (``nb_execution_mode: cache``) finds every notebook cached. A notebook that raises is
left out of the cache: myst-nb runs it again in a kernel of its own and reports the error as
always. (The tests run every notebook alone too, with nbmake.)
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.executors.base import ExecutorRunResult, JupyterExecutorAbstract
from jupyter_cache.executors.utils import create_cache_bundle

RESET = "get_ipython().run_line_magic('reset', '-f')"


class SharedKernelExecutor(JupyterExecutorAbstract):
    """Run the notebooks jupyter-cache has no outputs for over ``workers`` kernels (default: one
    per core). Errors are never allowed: a notebook that raises is not cached."""

    def run_and_cache(self, *, filter_uris=None, filter_pks=None, timeout=30, allow_errors=False,
                      force=False, workers: int | None = None, **kwargs) -> ExecutorRunResult:
        records = self.get_records(filter_uris, filter_pks, clear_tracebacks=True, force=force)
        workers = max(1, min(workers or os.cpu_count() or 1, len(records)))
        shares = [[r.pk for r in records[i::workers]] for i in range(workers)]
        succeeded: list[str] = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for done in pool.map(_worker, [str(self.cache.path)] * workers, shares, [timeout] * workers):
                succeeded += done
        uris = {r.uri for r in records}
        return ExecutorRunResult(succeeded=sorted(succeeded), excepted=sorted(uris - set(succeeded)))


def _worker(cache_path: str, pks: list[int], timeout: int) -> list[str]:
    """Run the notebooks ``pks`` in one kernel and cache each that ran cleanly; return their URIs."""
    # The kernel's own chatter ("running over TCP without encryption") is not for authors.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    cache = get_cache(cache_path)
    try:
        return asyncio.run(_run_in_one_kernel(cache, pks, timeout))
    except Exception:  # a kernel that would not start: myst-nb's own run says why
        return []


async def _run_in_one_kernel(cache, pks: list[int], timeout: int) -> list[str]:
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    done, km, kc = [], None, None
    try:
        for pk in pks:
            project_nb = cache.get_project_notebook(pk)  # read with myst-nb's reader, as registered
            notebook, folder = project_nb.nb, str(Path(project_nb.uri).parent)
            if km is None:
                km = AsyncKernelManager(kernel_name=notebook.metadata.kernelspec.name)
            # No timings in the cells: cell metadata is part of the cache key.
            client = NotebookClient(notebook, km=km, timeout=timeout, allow_errors=False,
                                    record_timing=False, resources={"metadata": {"path": folder}})
            client.kc = kc  # None the first time: the client starts the kernel and its channels
            start = time.perf_counter()
            if kc is not None:
                reply = await kc.execute_interactive(RESET, silent=True, timeout=timeout)
                if reply["content"]["status"] != "ok":
                    break
            try:
                await client.async_execute()
            except Exception:  # the cell's error is myst-nb's to report
                continue
            finally:
                kc = client.kc
            bundle = create_cache_bundle(project_nb, None, None, time.perf_counter() - start, None)
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
            done.append(project_nb.uri)
    finally:
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            await km.shutdown_kernel(now=True)
    return done

