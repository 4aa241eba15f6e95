"""Every package the code imports is declared in pyproject.toml, and the lock files pin exactly the
declared packages, so `make site` and `make test` install what the code needs and nothing is left
to whichever version pip finds that day."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = REPO / "requirements"
# Where the code is, and which of pyproject's lists must declare what it imports.
RUNTIME = ("src/kb/**/*.py", "book/**/*.md")  # the analyses' code cells run in the site's build
TESTING = ("tests/**/*.py", "benchmarks/**/*.py")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*extras: str) -> set[str]:
    requirements = PYPROJECT["project"]["dependencies"] + [
        r for extra in extras for r in PYPROJECT["project"]["optional-dependencies"][extra]]
    return {normal(re.match(r"[A-Za-z0-9_.-]+", r).group()) for r in requirements}


def _code(path: Path) -> str:
    """A Python file, or the code cells of a MyST notebook."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.M | re.S)
        # without each cell's options (":tags: …" lines or a --- block) and IPython's magics
        cells = [re.sub(r"\A(---\n.*?\n---\n|(:[\w-]+:[^\n]*\n)+)", "", c, flags=re.S) for c in cells]
        return re.sub(r"^\s*[%!].*$", "", "\n".join(cells), flags=re.M)
    return text


def imported(source: str) -> set[str]:
    """The top-level modules an absolute import names (inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def third_party(patterns: tuple[str, ...]) -> dict[str, set[str]]:
    """Distribution -> the files importing it, for every import that is neither the standard
    library nor the project's own code."""
    files = [p for pattern in patterns for p in sorted(REPO.glob(pattern))
             if not {"generated", "_build"} & set(p.parts)]
    own = {"kb"} | {p.stem for p in files if p.suffix == ".py"}  # tests and benchmarks import each other
    distributions = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in files:
        for module in imported(_code(path)) - own - set(sys.stdlib_module_names):
            for dist in distributions.get(module, [f"(not installed: {module})"]):
                found.setdefault(normal(dist), set()).add(str(path.relative_to(REPO)))
    return found


@pytest.mark.parametrize(("patterns", "extras"), [(RUNTIME, ()), (TESTING, ("test",))], ids=["site", "test"])
def test_every_imported_package_is_declared(patterns, extras):
    missing = {dist: files for dist, files in third_party(patterns).items() if dist not in declared(*extras)}
    assert not missing, "declare in pyproject.toml (then `make lock`):\n" + "\n".join(
        f"{dist}: {', '.join(sorted(files))}" for dist, files in sorted(missing.items()))


def pinned(lock: Path) -> dict[str, str]:
    return {normal(name): version for name, version in
            re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", lock.read_text(encoding="utf-8"), re.M)}


@pytest.mark.parametrize(("lock", "extras"), [("site.txt", ()), ("test.txt", ("test",))])
def test_the_lock_pins_every_declared_package(lock, extras):
    pins = pinned(LOCKS / lock)
    assert declared(*extras) <= set(pins), f"`make lock`: requirements/{lock} misses " + ", ".join(
        sorted(declared(*extras) - set(pins)))


def test_every_locked_version_is_one_pyproject_allows():
    requirements = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]
                    + PYPROJECT["project"]["optional-dependencies"]["test"]]
    pins = pinned(LOCKS / "test.txt")
    outside = [f"{r.name}=={pins[normal(r.name)]} ({r.specifier})" for r in requirements
               if normal(r.name) in pins and pins[normal(r.name)] not in r.specifier]
    assert not outside, "`make lock`: the lock is older than pyproject.toml: " + ", ".join(outside)


def test_the_test_lock_keeps_the_site_locks_versions():
    site, test = pinned(LOCKS / "site.txt"), pinned(LOCKS / "test.txt")
    assert {name: test.get(name) for name in site} == site
