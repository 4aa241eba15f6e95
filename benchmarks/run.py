"""Build-performance benchmark: validate, generate and build synthetic knowledge bases of several sizes.

    .venv/bin/python benchmarks/run.py --sizes real,100,1000 --runs 3 --write benchmarks/results.md
    .venv/bin/python benchmarks/run.py --sizes real --runs 1 --lighthouse   # also Lighthouse (needs Node)

Each size gets a fresh data folder (benchmarks/synth.py) and book root in a temporary folder.
Times are wall clock around subprocesses, the median of --runs runs; progress goes to stderr,
the Markdown report to stdout (and to --write).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

import lighthouse
from synth import DATA, REPO, make_dataset

BIN = Path(sys.executable).parent  # kb and jupyter-book are installed next to this python
REAL = len(list((DATA / "projects").glob("*.yml")))
EDITED = sorted((DATA / "projects").glob("*.yml"))[0].name  # a real record: a one-line title
CACHE = Path("_build") / "staging" / "_build" / ".jupyter_cache"  # kb build's --path-output is _build/staging
GENERATE = """
import sys, time
from pathlib import Path
from kb.generate import generate
from kb.loader import load
start = time.perf_counter()
kb = load(Path(sys.argv[1]))
loaded = time.perf_counter()
generate(kb, Path(sys.argv[2]))
print(loaded - start, time.perf_counter() - loaded)
"""
STARTED = time.perf_counter()


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def make_book_root(target: Path) -> Path:
    """A copy of the repository's top-level files (configuration, CITATION.cff) and hand-written
    pages, without generated output."""
    root = target / "site"
    root.mkdir()
    for path in REPO.iterdir():
        if path.is_file():
            shutil.copy(path, root / path.name)
    shutil.copytree(REPO / "book", root / "book",
                    ignore=shutil.ignore_patterns("generated", "_build", ".jupyter_cache"))
    return root


def run(cmd: list, env: dict | None = None) -> tuple[float, str]:
    """Run ``cmd``; return (wall-clock seconds, stdout). A failure stops the benchmark with its log."""
    start = time.perf_counter()
    # Synthetic figures stand in no source text: the fidelity checks (KB_SOURCES) are not timed here.
    base = {k: v for k, v in os.environ.items() if k != "KB_SOURCES"}
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env={**base, **(env or {})})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        log = (proc.stdout + proc.stderr).splitlines()[-40:]
        sys.exit("\n".join([*log, f"benchmark: {' '.join(map(str, cmd))} failed ({proc.returncode})"]))
    return seconds, proc.stdout


def median(runs: int, label: str, measure: Callable[[], float]) -> float:
    values = []
    for i in range(runs):
        values.append(measure())
        progress(f"{label} {i + 1}/{runs}: {values[-1]:.2f} s")
    return statistics.median(values)


def retitle(path: Path) -> bytes:
    """Append ' (redigeret)' to the record's one-line title; return the original bytes."""
    original = path.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    title = yaml.safe_load(lines[i])["title"]
    lines[i] = yaml.safe_dump({"title": f"{title} (redigeret)"}, allow_unicode=True, width=10**6)
    path.write_text("".join(lines), encoding="utf-8")
    if not yaml.safe_load(path.read_text(encoding="utf-8"))["title"].endswith(" (redigeret)"):
        path.write_bytes(original)
        sys.exit(f"benchmark: could not edit the title in {path}")
    return original


def notebook_seconds(cache: Path) -> tuple[int, float]:
    """(notebooks, summed execution seconds) as jupyter-cache recorded them."""
    from jupyter_cache import get_cache

    records = get_cache(cache).list_cache_records()
    return len(records), sum(r.data.get("execution_seconds", 0.0) for r in records)


def site_size(html: Path) -> dict:
    pages = [p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts]
    initiatives = sorted((html / "book" / "generated" / "indsatser").glob("*.html"))
    heaviest = max(pages, key=lambda p: p.stat().st_size)
    initiative = max(initiatives, key=lambda p: p.stat().st_size)
    return {
        "site_bytes": sum(p.stat().st_size for p in html.rglob("*") if p.is_file()),
        "pages": len(pages),
        "heaviest": (heaviest.relative_to(html).as_posix(), heaviest.stat().st_size),
        "heaviest_initiative": (initiative.relative_to(html).as_posix(), initiative.stat().st_size),
    }


def measure(n: int, runs: int, only_validate: bool, keep: bool, audit: bool = False) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"kb-bench-{n}-"))
    progress(f"{n} records in {work}")
    data = make_dataset(n, work / "data")
    root = make_book_root(work)
    kb = [BIN / "kb", "--data", data, "--root", root]
    fig: dict = {"records": n}
    fig["validate"] = median(runs, "kb validate", lambda: run([*kb, "validate"])[0])
    if not only_validate:
        fig.update(_generation(data, root, runs))
        fig.update(_builds(kb, data, root, work, runs))
        if audit:  # the site of the last clean build, before it is removed
            progress("lighthouse")
            fig["lighthouse"] = (lighthouse.measure(root / "_build" / "html", runs), runs)
        fig.update(_preview(kb, data, root, runs))
    if keep:
        progress(f"kept {work}")
    else:
        shutil.rmtree(work)
    return fig


def _generation(data: Path, root: Path, runs: int) -> dict:
    loads, generates = [], []
    for i in range(runs):
        shutil.rmtree(root / "book" / "generated", ignore_errors=True)
        load, generate = map(float, run([sys.executable, "-c", GENERATE, data, root])[1].split())
        loads.append(load)
        generates.append(generate)
        progress(f"load + generate {i + 1}/{runs}: {load:.2f} + {generate:.2f} s")
    return {"load": statistics.median(loads), "generate": statistics.median(generates)}


def _builds(kb: list, data: Path, root: Path, work: Path, runs: int) -> dict:
    """Clean kb build, a plain jupyter-book build of the same sources, and a rebuild after one edit,
    interleaved so that a machine busy with other work slows all three alike."""
    clean, plain, rebuild, notebooks = [], [], [], []
    record = data / "projects" / EDITED
    for i in range(runs):
        for path in (root / "_build", root / "book" / "generated"):  # the jupyter cache lives in _build
            shutil.rmtree(path, ignore_errors=True)
        clean.append(run([*kb, "build"])[0])
        progress(f"kb build, clean {i + 1}/{runs}: {clean[-1]:.1f} s")
        count, seconds = notebook_seconds(root / CACHE)
        notebooks.append(seconds)
        site = site_size(root / "_build" / "html")
        shutil.rmtree(work / "plain", ignore_errors=True)
        plain.append(run([BIN / "jupyter-book", "build", root, "--path-output", work / "plain",
                          "--builder", "html", "-W", "--keep-going"], env={"KB_DATA_DIR": str(data)})[0])
        progress(f"jupyter-book build, clean {i + 1}/{runs}: {plain[-1]:.1f} s")
        original = retitle(record)
        try:
            rebuild.append(run([*kb, "build"])[0])
        finally:
            record.write_bytes(original)
        progress(f"kb build after one edit {i + 1}/{runs}: {rebuild[-1]:.1f} s")
    return {"clean": statistics.median(clean), "plain": statistics.median(plain),
            "rebuild": statistics.median(rebuild), "notebooks": (count, statistics.median(notebooks)),
            **site}


def _preview(kb: list, data: Path, root: Path, runs: int) -> dict:
    """``kb serve --watch``: seconds from saving a record's new title to the page serving it."""
    import re
    import urllib.request

    base = {k: v for k, v in os.environ.items() if k != "KB_SOURCES"}
    proc = subprocess.Popen([str(c) for c in [*kb, "serve", "--watch", "--port", "0"]], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**base, "PYTHONUNBUFFERED": "1"})
    try:
        while not (found := re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline())):
            if proc.poll() is not None:
                sys.exit("benchmark: kb serve --watch stopped")
        record = data / "projects" / EDITED
        url = f"{found[0]}book/generated/indsatser/{record.stem}.html"

        def saved_to_served() -> float:
            original = retitle(record)
            start = time.perf_counter()
            try:
                while "(redigeret)" not in urllib.request.urlopen(url).read().decode("utf-8"):
                    time.sleep(0.02)
                return time.perf_counter() - start
            finally:
                record.write_bytes(original)
                time.sleep(3 + 0.01 * len(list(data.glob("projects/*.yml"))))  # the rebuild back

        return {"preview": median(runs, "preview: saved -> served", saved_to_served)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- the report ---------------------------------------------------------------------------------

def kilobytes(size: int) -> str:
    return f"{size / 1024:.0f} kB"


def name(label: str, fig: dict) -> str:
    return f"{fig['records']} records" + (" (the real data)" if label == "real" else "")


def size_table(label: str, fig: dict) -> str:
    rows = [("kb validate", f"{fig['validate']:.2f} s")]
    if "clean" in fig:
        count, seconds = fig["notebooks"]
        rows += [
            ("load + generate (empty book/generated)",
             f"{fig['load'] + fig['generate']:.2f} s ({fig['load']:.2f} + {fig['generate']:.2f})"),
            ("kb build, clean", f"{fig['clean']:.1f} s"),
            ("jupyter-book build, clean, same sources", f"{fig['plain']:.1f} s"),
            ("kb overhead (kb clean / plain clean − 1)", f"{fig['clean'] / fig['plain'] - 1:+.1%}"),
            (f"notebook execution ({count} notebooks, jupyter-cache execution_seconds)", f"{seconds:.1f} s"),
            ("kb build after one title edit",
             f"{fig['rebuild']:.1f} s ({fig['rebuild'] / fig['clean']:.0%} of clean)"),
            ("live preview (kb serve --watch): saved title -> page served", f"{fig['preview']:.1f} s"),
            ("site (_build/html)", f"{fig['site_bytes'] / 2**20:.1f} MB, {fig['pages']} pages"),
            ("heaviest page", f"{kilobytes(fig['heaviest'][1])} ({fig['heaviest'][0]})"),
            ("heaviest initiative page", f"{kilobytes(fig['heaviest_initiative'][1])} "
                                         f"({fig['heaviest_initiative'][0]})"),
        ]
    lines = [f"### {name(label, fig)}", "", "| measure | value |", "|---|---|"]
    return "\n".join(lines + [f"| {name} | {value} |" for name, value in rows])


def targets(figures: dict[str, dict]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, passed); passed is None when the run did not measure it."""
    out = []
    by_n = {fig["records"]: fig for fig in figures.values()}
    if 1000 in by_n:
        out.append(("validate 1000 records < 1 s", f"{by_n[1000]['validate']:.2f} s",
                    by_n[1000]["validate"] < 1))
    else:
        out.append(("validate 1000 records < 1 s", "not measured", None))
    built = {label: fig for label, fig in figures.items() if "clean" in fig}
    for label, fig in built.items():
        ratio, overhead = fig["rebuild"] / fig["clean"], fig["clean"] / fig["plain"] - 1
        page, size = fig["heaviest"]
        out += [(f"{name(label, fig)}: rebuild after one edit ≤ 25 % of clean", f"{ratio:.0%}", ratio <= 0.25),
                (f"{name(label, fig)}: kb overhead ≤ 10 %", f"{overhead:+.1%}", overhead <= 0.10),
                (f"{name(label, fig)}: no page > 300 kB", f"{kilobytes(size)} ({page})", size <= 300 * 1024)]
    for label, fig in built.items():
        limit = 4 if fig["records"] >= 1000 else 2
        out.append((f"{name(label, fig)}: live preview shows a save within {limit} s", f"{fig['preview']:.1f} s",
                    fig["preview"] <= limit))
    sizes = {fig["records"]: fig for fig in built.values()}
    if {100, 1000} <= set(sizes):
        ratio = sizes[1000]["clean"] / sizes[100]["clean"]
        out.append(("clean build 1000 records ≤ 12 × 100 records", f"{ratio:.1f} ×", ratio <= 12))
    elif built:
        out.append(("clean build 1000 records ≤ 12 × 100 records", "not measured", None))
    return out


def report(figures: dict[str, dict]) -> str:
    verdict = {True: "pass", False: "**fail**", None: "–"}
    lines = ["| target | measured | result |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {verdict[ok]} |" for name, value, ok in targets(figures)]
    audits = [lighthouse.section(*fig["lighthouse"][:1], None, fig["lighthouse"][1]) + f"\n({name(label, fig)})\n"
              for label, fig in figures.items() if "lighthouse" in fig]
    return "\n\n".join([*(size_table(label, fig) for label, fig in figures.items()),
                        "### Targets\n\n" + "\n".join(lines), *audits]) + "\n"


def header() -> str:
    git = ["git", "-C", str(REPO)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    if subprocess.run([*git, "diff", "--quiet", "HEAD"]).returncode:
        commit += " plus uncommitted changes"
    command = " ".join([Path(sys.executable).name, *sys.argv])
    return "\n".join([
        "# Build benchmark", "",
        f"- command: `{command}`",
        f"- date: {datetime.datetime.now().isoformat(timespec='minutes')}",
        f"- nproc: {len(os.sched_getaffinity(0))}",
        f"- Python: {platform.python_version()}",
        f"- git commit: {commit}", "", "",
    ])


def sizes(text: str) -> dict[str, int]:
    return {item: REAL if item == "real" else int(item) for item in text.split(",")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time kb validate, generation and builds per data size.")
    parser.add_argument("--sizes", type=sizes, default="real,100,1000",
                        help="comma-separated record counts; 'real' is the real data (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--only-validate", action="store_true", help="time kb validate only (quick check)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders for inspection")
    parser.add_argument("--write", type=Path, help="also write the report, with the machine, to this file")
    parser.add_argument("--lighthouse", action="store_true",
                        help="also Lighthouse (mobile) on the first size's site; needs Node (lighthouse.py)")
    args = parser.parse_args(argv)
    first = next(iter(args.sizes))
    figures = {label: measure(n, args.runs, args.only_validate, args.keep, args.lighthouse and label == first)
               for label, n in args.sizes.items()}
    text = report(figures)
    print(text, end="")
    if args.write:
        args.write.write_text(header() + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
