"""The ``kb`` command: validate, build and serve the knowledge base."""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
from pathlib import Path

from .build import build, warnings_in
from .load import REPO, DataError, default_data_dir, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb", description="Vidensbasen: valider, byg og vis.")
    parser.add_argument("--data", type=Path, default=None,
                        help="mappen med data (standard: data/ eller $KB_DATA_DIR)")
    parser.add_argument("--root", type=Path, default=REPO,
                        help="bogens rod med _config.yml og _toc.yml (standard: repoet)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="tjek alle poster og ordlister")
    sub.add_parser("build", help="valider, generer sider og byg sitet i _build/html")
    serve = sub.add_parser("serve", help="vis det byggede site på localhost")
    serve.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    data_dir = (args.data or default_data_dir()).resolve()
    try:
        return COMMANDS[args.command](args, data_dir)
    except DataError as exc:
        return _report(exc)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: say so without a traceback
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: intern fejl: {type(exc).__name__}: {exc} (KB_DEBUG=1 viser detaljer)",
              file=sys.stderr)
        return 3


def _report(exc: DataError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    n = len(exc.problems)
    print(f"kb: {n} {'fejl' if n == 1 else 'fejl i alt'} - intet er bygget eller ændret",
          file=sys.stderr)
    return 1


def _validate(args, data_dir: Path) -> int:
    kb = load(data_dir)
    print(f"kb: {len(kb.initiatives)} indsatser og "
          f"{sum(map(len, kb.vocabularies.values()))} ordlistetermer er gyldige")
    return 0


def _build(args, data_dir: Path) -> int:
    root = args.root.resolve()
    result = build(root, data_dir)
    if not result.ok:
        lines = warnings_in(result.log) or result.log.splitlines()[-30:]
        print("\n".join(lines), file=sys.stderr)
        print("kb: bygningen fejlede; det tidligere site i _build/html er uændret",
              file=sys.stderr)
        return 2
    print(f"kb: {result.pages} sider genereret ({result.changed} ændret), "
          f"bygget på {result.seconds:.1f} s")
    print(f"kb: sitet ligger i {root / '_build' / 'html' / 'index.html'}")
    return 0


def _serve(args, data_dir: Path) -> int:
    site = args.root.resolve() / "_build" / "html"
    if not (site / "index.html").is_file():
        print("kb: intet site at vise; kør først 'kb build'", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"kb: viser {site} på http://127.0.0.1:{args.port}/ (Ctrl-C stopper)")
        server.serve_forever()
    return 0


COMMANDS = {"validate": _validate, "build": _build, "serve": _serve}

if __name__ == "__main__":
    sys.exit(main())
