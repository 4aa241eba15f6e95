"""Lighthouse (mobile preset) and first-visit weight of the built site's main pages.

    .venv/bin/python benchmarks/lighthouse.py                       # _build/html, table to stdout
    .venv/bin/python benchmarks/lighthouse.py --runs 3 --write benchmarks/results.md

Optional, and not part of `make test`: it needs Node 20 and the npm package `lighthouse`,
pinned to LIGHTHOUSE_VERSION (`npx` fetches it once; or point $LIGHTHOUSE at an installed
`lighthouse` command). Chromium is Debian's ($CHROME_PATH, default /usr/bin/chromium).

The pages: the front page, the heaviest initiative page, the finder and every analysis page,
served from 127.0.0.1. Lighthouse's default configuration is the mobile preset: a Moto G power
screen, simulated slow 4G and a 4x slower CPU. Each score is the median of --runs runs; the
weight is every resource the page loaded (uncompressed: the local server compresses nothing).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE_VERSION = "12.2.3"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update " \
        "--disable-sync"
BEGIN, END = "<!-- lighthouse: begin -->", "<!-- lighthouse: end -->"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(folder: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def pages(site: Path) -> dict[str, str]:
    """Label -> path of the pages measured, found in the built site (no record named here)."""
    generated = site / "book" / "generated"
    initiative = max(sorted((generated / "indsatser").glob("*.html")), key=lambda p: p.stat().st_size)
    found = {"front page": site / "book" / "index.html", "an initiative page": initiative,
             "Find en indsats": generated / "find.html"}
    found.update({f"analysis: {p.stem}": p for p in sorted((generated / "analyser").glob("*.html"))})
    return {label: path.relative_to(site).as_posix() for label, path in found.items()}


def command() -> list[str]:
    given = os.environ.get("LIGHTHOUSE")
    cmd = shlex.split(given) if given else ["npx", "--yes", f"lighthouse@{LIGHTHOUSE_VERSION}"]
    version = subprocess.run([*cmd, "--version"], capture_output=True, text=True)
    if version.returncode != 0 or version.stdout.strip() != LIGHTHOUSE_VERSION:
        sys.exit(f"lighthouse: {' '.join(cmd)} is not Lighthouse {LIGHTHOUSE_VERSION} "
                 f"({(version.stdout + version.stderr).strip()[-200:]})")
    return cmd


def audit(cmd: list[str], url: str, attempts: int = 2, keep: Path | None = None) -> dict:
    """One Lighthouse run: the four scores (0-100) and the page's transfer in bytes. A run that
    fails (on a busy machine Chromium can miss Lighthouse's time limits) is tried once more.
    ``keep``: where to save the whole report (its audits say why a score is what it is)."""
    with tempfile.TemporaryDirectory(prefix="kb-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        for attempt in range(attempts):
            proc = subprocess.run([*cmd, url, "--quiet", "--output=json", f"--output-path={out}",
                                   f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}"],
                                  capture_output=True, text=True, env=env)
            if proc.returncode == 0 and out.is_file():
                break
            if attempt == attempts - 1:
                sys.exit(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
        if keep:
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_bytes(out.read_bytes())
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    items = report["audits"]["network-requests"]["details"]["items"]
    scores["bytes"] = sum(i.get("resourceSize", 0) for i in items)
    scores["lcp"] = report["audits"]["largest-contentful-paint"]["numericValue"] / 1000
    scores["tbt"] = report["audits"]["total-blocking-time"]["numericValue"]
    failed = [a for c in CATEGORIES for a in _failed(report, c)]
    scores["failed"] = sorted(set(failed))
    return scores


def _failed(report: dict, category: str) -> list[str]:
    return [ref["id"] for ref in report["categories"][category]["auditRefs"]
            if ref.get("weight") and (report["audits"][ref["id"]].get("score") or 0) < 0.9
            and report["audits"][ref["id"]].get("scoreDisplayMode") in ("binary", "numeric")]


def measure(site: Path, runs: int = 1, reports: Path | None = None) -> dict[str, dict]:
    cmd = command()
    results = {}
    with serving(site) as base:
        for label, rel in pages(site).items():
            name = rel.replace("/", "_")  # the front page and the analyses' index are both index.html
            done = [audit(cmd, base + rel, keep=reports / f"{name}-{n + 1}.json" if reports else None)
                    for n in range(runs)]
            results[label] = {k: statistics.median(d[k] for d in done)
                              for k in [*CATEGORIES, "bytes", "lcp", "tbt"]}
            results[label]["failed"] = sorted({a for d in done for a in d["failed"]})
            print(f"lighthouse: {label} ({rel}): {results[label]}", file=sys.stderr, flush=True)
    return results


def table(after: dict[str, dict], before: dict[str, dict] | None = None) -> str:
    """The scores as Markdown; with ``before``, each cell reads 'before → after'."""
    def cell(label: str, key: str) -> str:
        fmt = (lambda v: f"{v / 1024:,.0f} KiB") if key == "bytes" else \
              (lambda v: f"{v:.1f} s") if key == "lcp" else \
              (lambda v: f"{v:,.0f} ms") if key == "tbt" else (lambda v: f"{v:.0f}")
        now = fmt(after[label][key])
        old = before.get(label, {}).get(key) if before else None  # an older JSON may lack "tbt"
        return now if old is None else f"{fmt(old)} → {now}"

    head = ["page", "performance", "accessibility", "best practices", "SEO", "TBT", "LCP", "first-visit weight"]
    keys = [*CATEGORIES, "tbt", "lcp", "bytes"]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    lines += ["| " + " | ".join([label, *(cell(label, k) for k in keys)]) + " |" for label in after]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    """Put ``text`` between the markers in ``path`` (appended the first time), keeping the rest."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    block = f"{BEGIN}\n{text.rstrip()}\n{END}\n"
    if BEGIN in old:
        new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda _: block, old, flags=re.S)
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")


def section(after: dict[str, dict], before: dict[str, dict] | None, runs: int) -> str:
    return "\n".join([
        f"### Lighthouse {LIGHTHOUSE_VERSION}, mobile preset", "",
        "Simulated slow 4G and 4x CPU slowdown, Debian's Chromium, the site served from 127.0.0.1 "
        f"(`benchmarks/lighthouse.py`, median of {runs} run{'s' if runs > 1 else ''}). "
        "Weight: every resource of a first visit, uncompressed." + (" Before → after." if before else ""),
        "", table(after, before)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lighthouse scores of the built site's main pages.")
    parser.add_argument("site", nargs="?", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is reported")
    parser.add_argument("--json", type=Path, help="also save the figures as JSON (for a later --before)")
    parser.add_argument("--before", type=Path, help="JSON of an earlier run, shown as 'before → after'")
    parser.add_argument("--reports", type=Path, help="keep each run's whole Lighthouse report (JSON) here")
    parser.add_argument("--write", type=Path, help="put the table into this Markdown file's Lighthouse section")
    args = parser.parse_args(argv)
    after = measure(args.site.resolve(), args.runs, args.reports)
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
    if args.json:
        args.json.write_text(json.dumps(after, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = section(after, before, args.runs)
    print(text, end="")
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
