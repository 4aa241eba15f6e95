"""A jupyter-cache executor that runs the analyses side by side, several per kernel.

jupyter-cache's ``local-parallel`` executor starts a kernel for every notebook, and most of each
run is then starting the kernel, importing pandas and Altair and starting vl-convert's drawing
engine: about 2 s a notebook here, six times over. This executor gives each worker process one
kernel and runs its share of the notebooks in it one after another, clearing the namespace
between them (``%reset -f``), so those costs are paid once per worker. It implements
jupyter-cache's executor interface and stores the results as jupyter-cache's own executors do,
so myst-nb (``nb_execution_mode: cache``) finds every notebook cached. A notebook that raises is
left out of the cache: myst-nb runs it again in a kernel of its own and reports the error as
always. (The tests run every notebook alone too, with nbmake.)

Only this process writes the cache, never the workers: every jupyter-cache write ends by pruning
the cache to its size limit, in two queries that are not one transaction, so a write that runs
while another process is writing takes that process's new notebook for an old one and deletes it
(or fails on it, half-written). Under load, that left analyses for myst-nb to run again at random.
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.base import ExecutorRunResult, JupyterExecutorAbstract

RESET = "get_ipython().run_line_magic('reset', '-f')"


class SharedKernelExecutor(JupyterExecutorAbstract):
    """Run the notebooks jupyter-cache has no outputs for over ``workers`` kernels (default: one
    per core). Errors are never allowed: a notebook that raises is not cached, and why it did not
    run here is logged (at info level: myst-nb runs it again and reports a real error itself)."""

    def run_and_cache(self, *, filter_uris=None, filter_pks=None, timeout=30, allow_errors=False,
                      force=False, workers: int | None = None, **kwargs) -> ExecutorRunResult:
        records = self.get_records(filter_uris, filter_pks, clear_tracebacks=True, force=force)
        # Read here, with the reader each was added with (myst-nb's), so the workers need no cache.
        notebooks = [(r.uri, self.cache.get_project_notebook(r.pk).nb) for r in records]
        workers = max(1, min(workers or os.cpu_count() or 1, len(notebooks)))
        succeeded: list[str] = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for ran, problems in pool.map(_worker, [notebooks[i::workers] for i in range(workers)],
                                          [timeout] * workers):
                for uri, notebook, seconds in ran:
                    self.cache.cache_notebook_bundle(
                        CacheBundleIn(notebook, uri, data={"execution_seconds": seconds}),
                        check_validity=False, overwrite=True)
                    succeeded.append(uri)
                for problem in problems:
                    self.logger.info(f"kb: {problem}; overladt til myst-nb")
        uris = {r.uri for r in records}
        return ExecutorRunResult(succeeded=sorted(succeeded), excepted=sorted(uris - set(succeeded)))


def _worker(share: list[tuple[str, dict]], timeout: int) -> tuple[list, list[str]]:
    """Run the notebooks ``share`` ((URI, notebook) pairs) in one kernel; return (URI, executed
    notebook, seconds) for each that ran cleanly, and why each of the others did not."""
    # The kernel's own chatter ("running over TCP without encryption") is not for authors.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    ran, problems = [], []
    try:
        asyncio.run(_run_in_one_kernel(share, timeout, ran, problems))
    except Exception as exc:  # e.g. a kernel that would not start: the rest are myst-nb's to run
        rest = [Path(uri).name for uri, _ in share[len(ran) + len(problems):]]
        if rest:  # none when only shutting the kernel down failed: every notebook had its turn
            problems.append(f"{', '.join(rest)} blev ikke kørt ({_reason(exc)})")
    return ran, problems


async def _run_in_one_kernel(share, timeout: int, ran: list, problems: list[str]) -> None:
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    km, kc = None, None
    try:
        for uri, notebook in share:
            if km is None:
                km = AsyncKernelManager(kernel_name=notebook.metadata.kernelspec.name)
            # No timings in the cells: cell metadata is part of the cache key. A cell whose output
            # is late (nbclient waits 4 s after the reply) fails here instead of being cached without
            # it: myst-nb then runs the notebook again.
            client = NotebookClient(notebook, km=km, timeout=timeout, allow_errors=False, record_timing=False,
                                    raise_on_iopub_timeout=True,
                                    resources={"metadata": {"path": str(Path(uri).parent)}})
            client.kc = kc  # None the first time: the client starts the kernel and its channels
            start = time.perf_counter()
            if kc is not None:
                reply = await kc.execute_interactive(RESET, silent=True, timeout=timeout)
                if reply["content"]["status"] != "ok":
                    raise RuntimeError("%reset -f fejlede")
            try:
                await client.async_execute()
            except Exception as exc:  # the cell's error is myst-nb's to report
                problems.append(f"{Path(uri).name} fejlede i den fælles kerne ({_reason(exc)})")
                continue
            finally:
                kc = client.kc
            ran.append((uri, notebook, time.perf_counter() - start))
    finally:
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            await km.shutdown_kernel(now=True)


def _reason(exc: Exception) -> str:
    """A line on why: the cell's own error (nbclient's message is the whole traceback, which is
    myst-nb's to show), else the exception's name and first line."""
    name = getattr(exc, "ename", None) or type(exc).__name__
    text = getattr(exc, "evalue", None) or next(iter(str(exc).strip().splitlines()), "")
    return f"{name}: {text}" if text else name
