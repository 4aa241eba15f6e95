"""The ``kb`` command: validate, build, serve, start a new record, write the JSON Schema."""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
from pathlib import Path

from .fidelity import ENV, UNCHECKED, OutsideSources, check_sources, source_folder
from .loader import REPO, DataError, default_data_dir, load
from .model import KnowledgeBase
from .schema import MODELINE, SCHEMA_FILE, schema_text, without_modeline, write_schema
from .template import IdError, new_record
from .yamlsafe import Problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb", description="Vidensbasen: valider, byg og vis.")
    parser.add_argument("--data", type=Path, default=None,
                        help="mappen med data (standard: data/ eller $KB_DATA_DIR)")
    parser.add_argument("--root", type=Path, default=REPO,
                        help="bogens rod med _config.yml og _toc.yml (standard: repoet)")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="tjek alle poster og ordlister, og tallene i kildeteksterne i "
                                               "$KB_SOURCES")
    validate.add_argument("--format", choices=["text", "github"], default="text",
                          help="'github': fejlene som GitHub-annotationer på pull requestens linjer")
    sub.add_parser("build", help="valider, generer sider og byg sitet i _build/html")
    serve = sub.add_parser("serve", help="vis det byggede site på localhost")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--watch", action="store_true",
                       help="forhåndsvisning: byg i _build/preview, og byg igen, hver gang du gemmer")
    new = sub.add_parser("new", help="opret en ny post ud fra skabelonen: kb new <id>, eller en systematisk "
                                     "oversigt: kb new --review <id>")
    new.add_argument("id", help="postens id = filnavn = adresse, fx 'aarhus-ny-indsats'")
    new.add_argument("--review", action="store_true",
                     help="en systematisk oversigt i data/reviews/ i stedet for en indsats")
    schema = sub.add_parser("schema", help="skriv JSON-skemaet til editorer (data/schema/)")
    schema.add_argument("--check", action="store_true", help="tjek kun, at skemaet er opdateret")
    args = parser.parse_args(argv)
    data_dir = (args.data or default_data_dir()).resolve()
    try:
        return COMMANDS[args.command](args, data_dir)
    except DataError as exc:
        return _report(exc, getattr(args, "format", "text"))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`kb validate | head -1`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141
    except Exception as exc:  # a bug, not bad input: say so without a traceback
        if os.environ.get("KB_DEBUG"):
            raise
        print(f"kb: intern fejl: {type(exc).__name__}: {exc} (KB_DEBUG=1 viser detaljer)",
              file=sys.stderr)
        return 3


def _report(exc: DataError, form: str = "text") -> int:
    for problem in exc.problems:
        if form == "github":  # GitHub reads workflow commands from the standard output
            print(github_annotation(problem))
        else:
            print(problem, file=sys.stderr)
    n = len(exc.problems)
    print(f"kb: {n} {'fejl' if n == 1 else 'fejl i alt'} - intet er bygget eller ændret",
          file=sys.stderr)
    return 1


def github_annotation(problem: Problem) -> str:
    """``::error file=…,line=…,title=…::message``, escaped as GitHub's workflow commands require."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    title = f"kb validate: {problem.path}" if problem.path else "kb validate"
    return f"::error file={prop(problem.file)},line={problem.line},title={prop(title)}::{data(problem.message)}"


JOBS = os.cpu_count() or 1  # the command runs no threads, so parsing may fork workers


def _validate(args, data_dir: Path) -> int:
    kb = load(data_dir, JOBS)
    write_schema(kb)
    reviews = f", {len(kb.reviews)} oversigter" if kb.reviews else ""
    print(f"kb: {len(kb.initiatives)} indsatser{reviews} og "
          f"{sum(map(len, kb.vocabularies.values()))} ordlistetermer er gyldige")
    for name in without_modeline(kb):
        print(f"kb: {name}: sæt '{MODELINE}' ind som første linje, så din editor kender felterne "
              "(valgfrit)")
    return _check_sources(kb)


def _check_sources(kb: KnowledgeBase) -> int:
    """The fidelity checks for every document whose text is in $KB_SOURCES; the others are named."""
    folder = source_folder()
    if folder is None:
        print(f"kb: alle {len(kb.documents)} kilder: {UNCHECKED} ({ENV} er ikke sat)")
        return 0
    if not folder.is_dir():
        print(f"kb: {ENV} peger på {folder}, som ikke er en mappe; ret {ENV}, eller fjern den",
              file=sys.stderr)
        return 1
    try:
        report = check_sources(kb, folder)
    except OutsideSources as exc:
        print(f"kb: {exc}", file=sys.stderr)
        return 1
    for document in report.unchecked:
        print(f"kb: kilden '{document}': {UNCHECKED}")
    for message in report.failures:
        print(message, file=sys.stderr)
    if report.failures:
        print(f"kb: {len(report.failures)} af {report.checked} tal og overskrifter står ikke i "
              f"deres kildetekst i {folder}", file=sys.stderr)
        return 1
    print(f"kb: {report.checked} tal og overskrifter står i deres kildetekst i {folder}")
    return 0


def _build(args, data_dir: Path) -> int:
    from .build import build, warnings_in  # Sphinx, pandas and Altair: only when building

    root = args.root.resolve()
    result = build(root, data_dir, JOBS)
    if not result.ok:
        lines = warnings_in(result.log) or result.log.splitlines()[-30:]
        print("\n".join(lines), file=sys.stderr)
        print("kb: bygningen fejlede; det tidligere site i _build/html er uændret",
              file=sys.stderr)
        return 2
    print(f"kb: {result.pages} sider genereret ({result.changed} ændret), "
          f"{result.executed} analyser kørt, bygget på {result.seconds:.1f} s")
    print(f"kb: sitet ligger i {root / '_build' / 'html' / 'index.html'}")
    return 0


def _serve(args, data_dir: Path) -> int:
    if args.watch:
        from .preview import serve  # Sphinx and the book's extensions: only for the preview

        serve(args.root.resolve(), data_dir, args.port, say=functools.partial(print, flush=True))
        return 0
    site = args.root.resolve() / "_build" / "html"
    if not (site / "index.html").is_file():
        print("kb: intet site at vise; kør først 'kb build'", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"kb: viser {site} på http://127.0.0.1:{args.port}/ (Ctrl-C stopper)")
        server.serve_forever()
    return 0


def _new(args, data_dir: Path) -> int:
    kb = load(data_dir)
    write_schema(kb)  # the new record's first line points at it
    try:
        text = new_record(args.id, kb, args.review)
    except IdError as exc:
        print(f"kb: {exc}", file=sys.stderr)
        return 1
    path = data_dir / ("reviews" if args.review else "projects") / f"{args.id}.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"kb: skrev {_shown(path)}; udfyld felterne og kør 'kb validate', der viser, hvad der mangler")
    return 0


def _schema(args, data_dir: Path) -> int:
    kb = load(data_dir)
    path, text = kb.root / SCHEMA_FILE, schema_text(kb)
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if args.check:
        if current != text:
            print(f"kb: {_shown(path)} passer ikke til modellen og ordlisterne; kør 'kb schema'",
                  file=sys.stderr)
            return 1
        print(f"kb: {_shown(path)} er opdateret")
        return 0
    written = write_schema(kb)
    print(f"kb: {_shown(path)} {'skrevet' if written else 'var allerede opdateret'}")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


COMMANDS = {"validate": _validate, "build": _build, "serve": _serve, "new": _new, "schema": _schema}

if __name__ == "__main__":
    sys.exit(main())
