"""Notebooks run ahead of the book build: cached under myst-nb's key, each as if alone."""

from __future__ import annotations

from pathlib import Path

from jupyter_cache import get_cache
from myst_nb.core.read import myst_nb_reader_plugin

from kb.execute import prerun

HEAD = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

"""


def notebook(folder: Path, name: str, *cells: str) -> Path:
    path = folder / f"{name}.md"
    body = "".join(f"```{{code-cell}} ipython3\n{cell}\n```\n\n" for cell in cells)
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_notebooks_share_no_names_and_only_successes_are_cached(tmp_path):
    paths = [
        notebook(tmp_path, "a-defines", "secret = 41", "secret + 1"),
        notebook(tmp_path, "b-borrows", "secret + 1"),  # NameError when run alone
        notebook(tmp_path, "c-env", "import os\nos.environ['KB_TEST_VALUE']"),
    ]
    cache_dir = tmp_path / "cache"
    ran = prerun(paths, cache_dir, timeout=60, jobs=1, env={"KB_TEST_VALUE": "fra kb"})
    assert [p.name for p in ran] == ["a-defines.md", "c-env.md"]
    cache = get_cache(str(cache_dir))
    record, merged = cache.merge_match_into_notebook(myst_nb_reader_plugin(str(paths[0])))
    assert [c.execution_count for c in merged.cells] == [1, 2]
    assert merged.cells[1].outputs[0]["data"]["text/plain"] == "42"
    _, merged = cache.merge_match_into_notebook(myst_nb_reader_plugin(str(paths[2])))
    assert merged.cells[0].execution_count == 1  # numbered as in a kernel of its own
    assert merged.cells[0].outputs[0]["data"]["text/plain"] == "'fra kb'"
    # A second run tries only the failed notebook again, and it fails again.
    assert prerun(paths, cache_dir, timeout=60, jobs=2, env={}) == []
