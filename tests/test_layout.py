"""kb.layout is the one place that knows the site's folders: its addresses, and that no renderer
writes a folder of the site out again."""

from __future__ import annotations

import ast
import posixpath
from pathlib import Path

import pytest

from kb import layout

SRC = Path(layout.__file__).parent
KNOWN: set[tuple[str, str]] = set()  # (module, fragment) allowed to spell a folder out

def _folders() -> list[str]:
    """What a hard-coded address would contain: the generated folder and each folder of pages and
    downloads, as the layout names them."""
    pages = [make("x").name for make in (layout.initiative, layout.region, layout.cluster,
                                         layout.intervention_type, layout.background, layout.analysis)]
    # The records' download folder is named as the repository's data/projects/ on purpose, so a string
    # naming it is a path in the repository as often as an address on the site: not checked here.
    folders = {posixpath.basename(posixpath.dirname(name)) + "/" for name in pages}
    return [layout.GENERATED.as_posix(), layout.GENERATED.name + "/", *sorted(folders)]


def _strings(tree: ast.AST):
    """Every string constant in the code, f-strings' literal parts included, docstrings left out."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def hard_coded(source: str) -> list[tuple[int, str]]:
    """(line, fragment) for every string that spells out a folder of the site or climbs up from a page."""
    found = []
    for line, text in _strings(ast.parse(source)):
        fragments = [f for f in _folders() if f in text]
        if text.startswith("../") or 'href="..' in text or "href='.." in text:
            fragments.append("../")
        found += [(line, f) for f in fragments]
    return found


def test_no_module_but_the_layout_spells_out_the_sites_folders():
    problems = [f"src/kb/{path.name}:{line}: '{fragment}'"
                for path in sorted(SRC.glob("*.py")) if path.name != "layout.py"
                for line, fragment in hard_coded(path.read_text(encoding="utf-8"))
                if (path.name, fragment) not in KNOWN]
    assert not problems, "ask kb.layout for these addresses:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", [
    'pages[f"indsatser/{r.id}.md"] = text',
    'link = "{doc}`/book/generated/data`"',
    "href = f'<a href=\"../../data/{name}\">'",
    'FINDER = "generated/find.html"',
    'METHOD = "../baggrund/metode.html"',
])
def test_the_check_finds_an_address_written_out(code):
    assert hard_coded(code)


def test_the_check_leaves_prose_and_data_paths_alone():
    assert not hard_coded('"""The pages under book/generated/indsatser."""\nwhere = f"data/projects/{x}.yml"\n')


def test_addresses_from_a_page_to_another_and_to_a_download():
    record, other = layout.initiative("a"), layout.initiative("b")
    assert record.doc == "/book/generated/indsatser/a"
    assert record.link == "{doc}`/book/generated/indsatser/a`"
    assert record.source == "indsatser/a.md"
    assert record.html == "book/generated/indsatser/a.html"
    assert other.url(record) == "b.html"
    assert record.url(layout.FINDER) == "indsatser/a.html"
    assert record.url(layout.BLUEPRINTS, "blueprint-a") == "indsatser/a.html#blueprint-a"
    assert layout.region("syd").url(record, "kommune-x") == "../regioner/syd.html#kommune-x"
    assert layout.METHOD.url(record) == "../baggrund/metode.html"
    assert layout.FINDER.url(layout.FRONT) == "generated/find.html"
    assert layout.FINDER.url(layout.ANALYSES) == "../find.html"
    assert layout.record_file("a").url(record) == "../../../data/projects/a.yml"
    assert layout.Download("indsatser.csv").url(layout.DATA) == "../../data/indsatser.csv"
