"""Strict, bounded YAML reading that remembers the line of every value.

PyYAML's loaders silently keep the last of two equal keys and expand aliases
without limit; both lose or hide data. This reader composes the node tree
itself, refuses aliases, non-standard tags, control characters and deep
nesting, flags duplicate keys, reads only regular files of bounded size, and
returns a map from field path to line so every error can say where it is.
Nothing a file contains may raise anything but ``YamlError``.
"""

from __future__ import annotations

import errno
import multiprocessing
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster
_SCALARS = yaml.constructor.SafeConstructor()

MAX_BYTES = 512 * 1024  # a record is a few kB; anything this large is a mistake
MAX_DEPTH = 20  # a record nests 6 levels; far below Python's recursion limit

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_KINDS = {  # the standard tags and the kind of node each may mark
    **{_TAG + name: yaml.ScalarNode for name in ("str", "int", "float", "bool", "null", "timestamp")},
    _TAG + "seq": yaml.SequenceNode,
    _TAG + "map": yaml.MappingNode,
}
# C0 and C1 control characters and lone surrogates; tab and newline are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_FILE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # CRLF line ends are fine


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


@dataclass
class Parsed:
    """A file's data, the line of every field path, and how the file wrote each value that is not text."""

    data: object
    lines: dict[Loc, int]
    texts: dict[Loc, str] = field(default_factory=dict)


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path, display: str, within: Path | None = None) -> Parsed:
    """Return the parsed file or raise YamlError listing every problem found.

    A symbolic link is followed only to a regular file inside ``within``.
    """
    return parse_yaml(_read_text(path, display, within), display)


def parse_yaml(text: str, display: str) -> Parsed:
    """``read_yaml`` for text already read."""
    _refuse_control_characters(text, display)
    try:
        if "*" in text:  # an alias needs one; most records have none, and this pass costs a third
            _refuse_aliases(text, display)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError([Problem(display, line, "", syntax_message(exc.problem or "", text, mark))]) from None
    except (yaml.YAMLError, RecursionError):
        raise YamlError([Problem(display, 1, "", syntax_message("", text, None))]) from None
    if node is None:
        raise YamlError([Problem(display, 1, "", "filen er tom")])
    reader = _Reader(display)
    data = reader.build(node, (), node.start_mark.line + 1)
    if reader.problems:
        raise YamlError(reader.problems)
    return Parsed(data, reader.lines, reader.texts)


PARALLEL_FROM = 200  # below this many files, starting workers costs more than it saves


# (display name, text) -> what parsing it gave. A process that reads the records again (the live
# preview, on every save) parses only the files whose text changed. Nothing changes a Parsed.
_PARSED: dict[tuple[str, str], Parsed | list[Problem]] = {}
PARSED_KEPT = 20_000  # files remembered at most: several data folders of 1,000 records


def read_many(files: list[tuple[Path, str, Path | None]], jobs: int = 1) -> list[Parsed | list[Problem]]:
    """``read_yaml`` for each (path, display, within): the parsed file, or its problems.

    Parsing is the bulk of validating; with ``jobs`` > 1 and many files it is shared among
    forked workers. Only callers that know they run no threads (the ``kb`` command) ask for it.
    Files are read every time (their checks are cheap); a text parsed before is not parsed again.
    """
    texts = [_text_or_problems(*f) for f in files]
    keys = [(display, text) if isinstance(text, str) else None
            for (_, display, _), text in zip(files, texts, strict=True)]
    todo = sorted({key for key in keys if key is not None and key not in _PARSED})
    if jobs <= 1 or len(todo) < PARALLEL_FROM:
        done = [_parse_or_problems(key) for key in todo]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = pool.map(_parse_or_problems, todo, chunksize=max(1, len(todo) // (4 * jobs)))
    known = {key: _PARSED[key] for key in keys if key in _PARSED} | dict(zip(todo, done, strict=True))
    if len(_PARSED) + len(todo) > PARSED_KEPT:
        _PARSED.clear()
    _PARSED.update(known)
    return [text if key is None else known[key] for key, text in zip(keys, texts, strict=True)]


def _text_or_problems(path: Path, display: str, within: Path | None) -> str | list[Problem]:
    try:
        return _read_text(path, display, within)
    except YamlError as exc:
        return exc.problems


def _parse_or_problems(item: tuple[str, str]) -> Parsed | list[Problem]:
    display, text = item
    try:
        return parse_yaml(text, display)
    except YamlError as exc:
        return exc.problems


def _refuse(display: str, message: str, line: int = 1, path: str = "") -> YamlError:
    return YamlError([Problem(display, line, path, message)])


def _read_text(path: Path, display: str, within: Path | None) -> str:
    """The file's text: only a regular file (never a device, FIFO or folder), size checked first."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = _link_target(path, display)
            if within is None or not target.is_relative_to(within.resolve()):
                raise _refuse(display, f"filen er en genvej (symbolsk link) til {target}, uden for data-mappen; "
                                       "læg selve filen her i stedet")
            info = target.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(display, "navnet tilhører en mappe, ikke en fil; "
                                   "omdøb mappen, så navnet ikke ender på .yml")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(display, "navnet tilhører ikke en almindelig fil, men fx en enhed eller en navngivet "
                                   "pipe; læg en almindelig tekstfil her")
        if info.st_size > MAX_BYTES:
            raise _refuse(display, f"filen er {info.st_size} bytes; højst {MAX_BYTES} er tilladt - del den op")
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # bounded: it may have grown since stat
    except OSError as exc:
        why = {errno.ENOENT: "den findes ikke (en genvej til intet?)", errno.EACCES: "ingen adgang"}
        raise _refuse(display, f"filen kan ikke læses: {why.get(exc.errno, errno.errorcode.get(exc.errno))}") \
            from None
    if len(raw) > MAX_BYTES:
        raise _refuse(display, f"filen er over {MAX_BYTES} bytes; del den op")
    try:
        # utf-8-sig accepts (and drops) a byte-order mark
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _refuse(display, f"filen er ikke UTF-8 (byte 0x{raw[exc.start]:02x} ved position {exc.start}); "
                               "gem den som UTF-8", line) from None


def _link_target(path: Path, display: str) -> Path:
    try:
        return path.resolve()
    except RuntimeError:  # Python 3.11 says so for a loop of links
        raise _refuse(display, "filen er en genvej (symbolsk link), der peger i ring; "
                               "læg selve filen her") from None


def control_message(char: str) -> str:
    return (f"tegnet U+{ord(char):04X} er et styretegn, som ikke er tilladt i tekst; "
            "slet det (tabulator og linjeskift er tilladt)")


def _refuse_control_characters(text: str, display: str) -> None:
    problems = [Problem(display, text.count("\n", 0, m.start()) + 1, "", control_message(m.group()))
                for m in _CONTROL_IN_FILE.finditer(text)]
    if problems:
        raise YamlError(problems[:10])  # one NUL-filled file need not give thousands of lines


def _refuse_aliases(text: str, display: str) -> None:
    # Events are read in linear time, so an alias bomb is refused before it grows.
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _refuse(display, f"YAML-aliaser (*{event.anchor}) er ikke tilladt; skriv værdien ud",
                          event.start_mark.line + 1)


# --- the parser's own words, in Danish and with the fix --------------------------

_SYNTAX = [  # (words in libyaml's or PyYAML's problem, what to tell the author)
    ("mapping values are not allowed",
     "et kolon med mellemrum efter (': ') starter et nyt felt; sæt anførselstegn om tekst, der indeholder ': '"),
    ("found unknown escape character",
     "ukendt tegn efter \\ i tekst i dobbelte anførselstegn; skriv \\\\ for en omvendt skråstreg, "
     "eller brug enkelte anførselstegn"),
    ("found invalid Unicode character escape code",
     "\\u- eller \\U-koden i teksten er ikke et gyldigt tegn; skriv selve tegnet i stedet"),
    ("did not find expected hexdecimal number",
     "\\x, \\u eller \\U i tekst i dobbelte anførselstegn skal følges af en tegnkode; skriv \\\\ for en "
     "omvendt skråstreg, eller brug enkelte anførselstegn"),
    ("did not find expected ',' or",
     "en liste i [ ] eller en tabel i { } er ikke lukket; tilføj ] eller }, eller sæt anførselstegn om teksten"),
    ("found unexpected end of stream",
     "filen slutter, før en tekst i anførselstegn er afsluttet; tilføj det afsluttende anførselstegn"),
    ("nesting depth", f"værdierne er indlejret for dybt; højst {MAX_DEPTH} niveauer er tilladt"),
    ("could not find expected ':'", "forventede 'felt: værdi'; tjek kolon og anførselstegn på linjen"),
    ("did not find expected key",
     "tjek indrykningen: felter på samme niveau skal stå præcis under hinanden"),
    ("did not find expected '-' indicator",
     "tjek indrykningen: punkterne i en liste skal stå præcis under hinanden"),
    ("found character that cannot start any token",
     "tegnet kan ikke stå først i en værdi (fx @ eller `); sæt anførselstegn om teksten"),
]


def syntax_message(problem: str, text: str, mark) -> str:
    """A Danish message for a YAML syntax error, with the fix where one is known."""
    if _tab_at(text, mark):
        return "ugyldig YAML: tabulator i indrykningen; brug mellemrum, ikke tabulator"
    for words, message in _SYNTAX:
        if words in problem:
            return f"ugyldig YAML: {message}"
    return "ugyldig YAML: tjek indrykning, kolon og anførselstegn på linjen"


def _tab_at(text: str, mark) -> bool:
    """Whether the error's line is indented with a tab, or the error is at a tab."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines):
        return False
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent or line[mark.column:mark.column + 1] == "\t"


# --- from nodes to data --------------------------------------------------------------


class _Reader:
    """Builds the data of one file, collecting its problems, lines and the texts of values that are not strings."""

    def __init__(self, display: str):
        self.display = display
        self.problems: list[Problem] = []
        self.lines: dict[Loc, int] = {}
        self.texts: dict[Loc, str] = {}

    def problem(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.display, self.lines[loc], format_loc(loc), message))

    def build(self, node: yaml.Node, loc: Loc, line: int):
        """The value of ``node`` at ``loc``; ``line`` is its key's line (or the item's own)."""
        self.lines[loc] = line
        if len(loc) > MAX_DEPTH:
            self.problem(loc, f"værdierne er indlejret for dybt; højst {MAX_DEPTH} niveauer er tilladt")
            return None
        kind = _KINDS.get(node.tag)
        if kind is None:
            self.problem(loc, f"mærket {node.tag} er ikke tilladt; brug almindelig tekst, tal eller lister")
            return None
        if not isinstance(node, kind):
            self.problem(loc, f"mærket !!{node.tag.removeprefix(_TAG)} passer ikke til værdien; slet mærket")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), item.start_mark.line + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def scalar(self, node: yaml.ScalarNode, loc: Loc):
        try:
            value = _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
        except Exception:  # PyYAML raises ValueError, KeyError, AttributeError … for what a tag cannot read
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            if node.tag == _TAG + "timestamp":
                self.problem(loc, f"datoen '{shown}' findes ikke; skriv en gyldig dato som 2024-05-31")
            else:
                self.problem(loc, f"værdien '{shown}' kan ikke læses som !!{node.tag.removeprefix(_TAG)}; "
                                  "ret værdien, eller slet mærket")
            return None
        if isinstance(value, str) and (bad := _CONTROL.search(value)):
            self.problem(loc, control_message(bad.group()))
        elif not isinstance(value, str):
            self.texts[loc] = node.value
        return value

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or _CONTROL.search(key):
                self.problems.append(Problem(self.display, line, format_loc(loc),
                                             "en nøgle skal være en enkel tekst uden styretegn"))
                continue
            if key in out:
                self.problems.append(Problem(
                    self.display, line, format_loc(loc + (key,)),
                    f"nøglen '{key}' står to gange (første gang i linje {self.lines[loc + (key,)]}); "
                    "den ene værdi ville gå tabt",
                ))
                continue
            out[key] = self.build(value_node, loc + (key,), line)
        return out
