"""Strict, bounded YAML reading that remembers the line of every value.

PyYAML's loaders silently keep the last of two equal keys and expand aliases
without limit; both lose or hide data. This reader composes the node tree
itself, refuses aliases and non-standard tags, flags duplicate keys, and
returns a map from field path to line so every error can say where it is.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster
_SCALARS = yaml.constructor.SafeConstructor()

MAX_BYTES = 512 * 1024  # a record is a few kB; anything this large is a mistake

Loc = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, with everything needed to fix it."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class YamlError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path, display: str) -> tuple[object, dict[Loc, int]]:
    """Return (data, lines) or raise YamlError listing every problem found."""
    text = _read_text(path, display)
    problems: list[Problem] = []
    try:
        if "*" in text:  # an alias needs one; most records have none, and this pass costs a third
            _refuse_aliases(text, display)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError([Problem(display, line, "", f"ugyldig YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem(display, 1, "", f"ugyldig YAML: {exc}")]) from None
    if node is None:
        raise YamlError([Problem(display, 1, "", "filen er tom")])
    lines: dict[Loc, int] = {}
    data = _build(node, (), lines, problems, display)
    if problems:
        raise YamlError(problems)
    return data, lines


PARALLEL_FROM = 200  # below this many files, starting workers costs more than it saves


def read_many(files: list[tuple[Path, str]], jobs: int = 1) -> list[tuple[object, dict] | list[Problem]]:
    """``read_yaml`` for each (path, display): its (data, lines), or its problems.

    Parsing is the bulk of validating; with ``jobs`` > 1 and many files it is shared among
    forked workers. Only callers that know they run no threads (the ``kb`` command) ask for it.
    """
    if jobs <= 1 or len(files) < PARALLEL_FROM:
        return [_read_or_problems(f) for f in files]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(_read_or_problems, files, chunksize=max(1, len(files) // (4 * jobs)))


def _read_or_problems(file: tuple[Path, str]) -> tuple[object, dict] | list[Problem]:
    try:
        return read_yaml(*file)
    except YamlError as exc:
        return exc.problems


def _read_text(path: Path, display: str) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlError([Problem(
            display, 1, "",
            f"filen er {size} bytes; højst {MAX_BYTES} er tilladt - del den op",
        )])
    raw = path.read_bytes()
    try:
        # utf-8-sig accepts (and drops) a byte-order mark
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError([Problem(
            display, line, "",
            f"filen er ikke UTF-8 (byte 0x{raw[exc.start]:02x} ved position {exc.start}); "
            "gem den som UTF-8",
        )]) from None


def _refuse_aliases(text: str, display: str) -> None:
    # Events are read in linear time, so an alias bomb is refused before it grows.
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise YamlError([Problem(
                display, event.start_mark.line + 1, "",
                f"YAML-aliaser (*{event.anchor}) er ikke tilladt; skriv værdien ud",
            )])


def _build(node: yaml.Node, loc: Loc, lines: dict, problems: list, display: str):
    lines[loc] = node.start_mark.line + 1
    if node.tag not in _STANDARD_TAGS:
        problems.append(Problem(
            display, lines[loc], format_loc(loc),
            f"mærket {node.tag} er ikke tilladt; brug almindelig tekst, tal eller lister",
        ))
        return None
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, loc, lines, problems, display)
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, loc + (i,), lines, problems, display)
            for i, item in enumerate(node.value)
        ]
    return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)


def _build_mapping(node, loc, lines, problems, display) -> dict:
    out: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(
                display, key_node.start_mark.line + 1, format_loc(loc),
                "en nøgle skal være en enkel tekst",
            ))
            continue
        key = key_node.value
        if key in out:
            first = lines[loc + (key,)]
            problems.append(Problem(
                display, key_node.start_mark.line + 1, format_loc(loc + (key,)),
                f"nøglen '{key}' står to gange (første gang i linje {first}); "
                "den ene værdi ville gå tabt",
            ))
            continue
        out[key] = _build(value_node, loc + (key,), lines, problems, display)
    return out
