"""The analyses: tidy tables, chart output that cannot break its page, and the notebooks run by nbmake."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import altair as alt
import jupytext
import pandas as pd
import pytest
import yaml

import kb
from conftest import REPO, make_data_dir
from kb.charts import WIDTHS, figure, listing, table_html
from kb.generate import analyses, fingerprint

sys.path.insert(0, str(REPO / "benchmarks"))
from synth import make_dataset  # noqa: E402

NOTEBOOKS = sorted(p for p in (REPO / "book" / "analyser").glob("*.md") if "kernelspec:" in p.read_text())


def test_load_returns_tidy_tables(fixture_data):
    data = kb.load(fixture_data)
    assert sorted(data.initiatives.id) == ["horsens-hoftebrud", "injektion", "vest-video"]
    video = data.results[data.results.initiative == "vest-video"].set_index("outcome")
    assert video.loc["genindlaeggelser", ["value", "n", "comparison_value"]].tolist() == [7.9, 63, 17]
    assert video.loc["genindlaeggelser", "design_label"] == "Registertal uden justering"
    assert set(data.types.columns) == {"initiative", "type", "type_label", "type_group"}
    ages = data.targets[data.targets.dimension == "alder"].set_index("initiative").label
    assert ages["vest-video"] == "65+ år"
    assert (data.sources.year > 1990).all()


def test_load_again_reuses_unchanged_files_and_rereads_changed_ones(fixture_data, monkeypatch):
    reads = []
    real = kb.frames.loader.load
    monkeypatch.setattr(kb.frames.loader, "load", lambda folder: reads.append(folder) or real(folder))
    first = kb.load(fixture_data)
    first.initiatives["title"] = "ødelagt"  # one analysis spoils its copy
    second = kb.load(fixture_data)
    assert len(reads) == 1 and "ødelagt" not in set(second.initiatives.title)
    record = fixture_data / "projects" / "vest-video.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("title: ", "title: Ny ", 1), encoding="utf-8")
    third = kb.load(fixture_data)
    assert len(reads) == 2
    assert third.initiatives.set_index("id").title["vest-video"].startswith("Ny ")


def test_every_notebook_is_in_the_toc():
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    assert len(NOTEBOOKS) >= 6
    for path in NOTEBOOKS:
        assert f"book/generated/analyser/{path.stem}\n" in toc, path.name


def test_figure_keeps_record_text_inert_and_gives_a_table():
    hostile = "</script><script>alert(1)</script> & <b>"
    df = pd.DataFrame({"navn": [hostile], "tal": [7.9], "tom": [float("nan")]})
    chart = alt.Chart(df).mark_bar().encode(x="tal:Q", y="navn:N", tooltip=["navn", "tal"])
    html = figure(chart, "Billedtekst", df)._repr_html_()
    fit = "<script>kbChartFit(document.currentScript.parentNode)</script>"  # a chart of a fixed size fits itself
    assert re.findall(r"<script[^>]*>.*?</script>", html) == [fit]
    assert "<b>" not in html and "onerror" not in html
    assert "&lt;/script&gt;&lt;script&gt;" in html  # in the axis label and the mark's title
    assert "<title>navn: &lt;/script&gt;" in html and "; tal: 7,9</title>" in html  # the tooltip, Danish numbers
    assert "&lt;/script&gt;" in html and "<td>7,9</td><td></td>" in html


def test_figure_as_wide_as_its_column_comes_in_two_widths_with_its_own_ids_and_local_links():
    df = pd.DataFrame({"navn": ["a", "b"], "tal": [1, 2], "link": ["../find.html?type=a&x=1", "../find.html"]})
    chart = alt.Chart(df).mark_bar().encode(x="tal:Q", y="navn:N", href="link:N")
    wide = figure(chart.properties(width="container"), "Bred", df)._repr_html_()
    widths = re.findall(r'<svg[^>]* class="marks ([\w-]+)" width="(\d+)"', wide)
    assert widths == [(name, str(width)) for name, width in WIDTHS.items()]
    fixed = figure(chart.properties(width=200), "Fast", df)._repr_html_()
    assert re.findall(r'class="marks ([\w-]+)"', fixed) == ["kb-chart-fixed"]
    for html in (wide, fixed):
        assert re.findall(r'href="([^"]*)"', html) == ["../find.html?type=a&amp;x=1", "../find.html"] * (
            html.count("<svg"))
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids))  # two drawings on one page share no id


def test_a_figure_places_marks_to_a_tenth_of_a_pixel_keeps_every_digit_it_shows_and_links_its_table():
    df = pd.DataFrame({"navn": ["a", "b", "c"], "tal": [15000, 1 / 3, 2 / 3]})
    chart = alt.Chart(df).mark_point().encode(x="tal:Q", y="navn:N", tooltip=["tal:Q"])
    html = figure(chart, "Tal", df, links={"navn": ["../indsatser/a.html", "", ""]})._repr_html_()
    places = re.findall(r' (?:transform|d|x|y|x1|x2|y1|y2)="([^"]*)"', html)
    assert places and not [p for p in places if re.search(r"\.\d\d", p)]
    assert ">15.000</text>" in html and "<title>tal: 0,333333333333</title>" in html and "<td>15.000</td>" in html
    assert '<td><a href="../indsatser/a.html">a</a></td>' in html and "<td>b</td>" in html


def test_a_marks_title_is_its_tooltip_in_the_tooltips_words_without_empty_values():
    """Vega-Lite describes a mark by every field it encodes (x, y, link...); the page says what
    the tooltip says, titles with commas and quotes too, and leaves out a value that is missing."""
    df = pd.DataFrame({"navn": ["a", "b"], "tal": [1.5, 2], "note": ["x", None], "link": ["../find.html"] * 2})
    chart = alt.Chart(df).mark_bar().encode(
        x="tal:Q", y="navn:N", href="link:N",
        tooltip=[alt.Tooltip("navn:N", title='Navn, "kort"'), alt.Tooltip("tal:Q", title="Tal"),
                 alt.Tooltip("note:N", title="Note")])
    titles = re.findall(r"<title>([^<]*)</title>", figure(chart, "Titler", df)._repr_html_())
    assert titles == ["Navn, &quot;kort&quot;: a; Tal: 1,5; Note: x", "Navn, &quot;kort&quot;: b; Tal: 2"]


def test_a_mark_without_a_tooltip_is_hidden_from_screen_readers_container_and_all():
    """A container of marks that say nothing would be an image without a name (axe: svg-img-alt)."""
    df = pd.DataFrame({"navn": ["a", "b"], "tal": [1, 2], "andet": [2, 3]})
    row = alt.Chart(df).encode(y="navn:N")
    chart = alt.layer(row.mark_rule().encode(x="tal:Q", x2="andet:Q"),
                      row.mark_point(filled=True).encode(x="tal:Q", tooltip=["tal:Q"]))
    html = figure(chart, "Lag", df)._repr_html_()
    containers = re.findall(r'<g class="mark-(\w+) role-mark[^"]*"([^>]*)>', html)
    assert containers == [("rule", ' aria-hidden="true"'),
                          ("symbol", ' role="graphics-object" aria-roledescription="symbol mark container"')]
    assert "<title>tal: 1</title>" in html and html.count("<title>") == 2


def test_table_html_writes_danish_numbers():
    out = table_html(pd.DataFrame({"a": [15000, 0.5]}))
    assert "<td>15.000</td>" in out and "<td>0,5</td>" in out


def test_listing_links_its_cells_and_keeps_record_text_inert():
    df = pd.DataFrame({"Indsats": ["<b>A</b>", "B"], "År": ["2019", ""]})
    out = listing("Alle 2 indsatser", df, links={"Indsats": ["../indsatser/a.html?x=1&y=2", ""]})
    assert out.startswith('<details class="kb-listing"><summary>Alle 2 indsatser</summary>')
    assert '<td><a href="../indsatser/a.html?x=1&amp;y=2">&lt;b&gt;A&lt;/b&gt;</a></td><td>2019</td>' in out
    assert "<td>B</td><td></td>" in out  # no address, no link


def test_data_is_part_of_the_notebook_cache_key(fixture_data):
    key = fingerprint(fixture_data)
    assert fingerprint(fixture_data) == key
    pages = analyses(REPO, key)
    assert pages["analyser/index.md"] == (REPO / "book" / "analyser" / "index.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        text = pages[f"analyser/{path.name}"]
        assert f'KB_FINGERPRINT = "{key}"' in text and ":tags: [remove-cell]" in text
        cells = jupytext.reads(text, fmt="md:myst").cells
        assert cells[0].cell_type == "code" and "KB_FINGERPRINT" in cells[0].source
    record = fixture_data / "projects" / "vest-video.yml"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(fixture_data) != key


@pytest.mark.real_data
@pytest.mark.slow
def test_notebooks_pass_nbmake(tmp_path):
    """nbmake collects only .ipynb, so the MyST notebooks are converted first."""
    for path in NOTEBOOKS:
        jupytext.write(jupytext.read(path), tmp_path / f"{path.stem}.ipynb")
    env = {**os.environ, "KB_DATA_DIR": str(REPO / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbmake", "-p", "no:cacheprovider", "-q", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(NOTEBOOKS)} passed" in proc.stdout


def _myst_notebook(path, *cells: str) -> str:
    head = "---\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n"
    path.write_text(head + "".join(f"\n```{{code-cell}} ipython3\n{c}\n```\n" for c in cells), encoding="utf-8")
    return str(path)


def test_the_executor_shares_a_kernel_but_not_a_namespace_and_leaves_failures_to_myst_nb(tmp_path, caplog):
    """Three notebooks in one kernel: each starts with an empty namespace and numbers its cells
    from 1; the one that raises is not cached, and the log says why, the ones after it still are."""
    from jupyter_cache import get_cache

    from kb.executor import SharedKernelExecutor
    from kb.extension import NOTEBOOK_READER

    paths = [_myst_notebook(tmp_path / "a.md", "x = 1", "print(x + 1)"),
             _myst_notebook(tmp_path / "b.md", "raise ValueError('b')"),
             _myst_notebook(tmp_path / "c.md", "assert 'x' not in dir(), 'a left x behind'", "print('c')")]
    cache = get_cache(str(tmp_path / "cache"))
    pks = [cache.add_nb_to_project(p, read_data=NOTEBOOK_READER).pk for p in paths]
    with caplog.at_level("INFO"):
        result = SharedKernelExecutor(cache).run_and_cache(filter_pks=pks, timeout=60, workers=1)
    assert result.succeeded == [paths[0], paths[2]] and result.excepted == [paths[1]]
    assert "b.md fejlede i den fælles kerne (ValueError: b); overladt til myst-nb" in caplog.text
    assert [r.uri for r in cache.list_unexecuted(filter_pks=pks)] == [paths[1]]
    cells = cache.merge_match_into_notebook(cache.get_project_notebook(pks[2]).nb)[1].cells
    assert [c.execution_count for c in cells] == [1, 2] and cells[1].outputs[0].text == "c\n"


def test_only_the_building_process_writes_the_cache(tmp_path, monkeypatch):
    """Every jupyter-cache write ends by pruning the cache, and a pruning while another process
    writes deletes that process's new notebook (or fails on it): under load, analyses the
    executor had run were run again by myst-nb. The workers run; this process alone caches."""
    from jupyter_cache import get_cache
    from jupyter_cache.cache.main import JupyterCacheBase

    from kb.executor import SharedKernelExecutor
    from kb.extension import NOTEBOOK_READER

    writers, write = tmp_path / "writers", JupyterCacheBase.cache_notebook_bundle

    def noted(self, *args, **kwargs):
        with writers.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return write(self, *args, **kwargs)

    monkeypatch.setattr(JupyterCacheBase, "cache_notebook_bundle", noted)  # forked workers inherit it
    paths = [_myst_notebook(tmp_path / f"n{n}.md", f"print({n})") for n in range(4)]
    cache = get_cache(str(tmp_path / "cache"))
    pks = [cache.add_nb_to_project(p, read_data=NOTEBOOK_READER).pk for p in paths]
    result = SharedKernelExecutor(cache).run_and_cache(filter_pks=pks, timeout=60, workers=2)
    assert result.succeeded == paths and cache.list_unexecuted(filter_pks=pks) == []
    assert writers.read_text(encoding="utf-8").split() == [str(os.getpid())] * len(paths)


# What an analysis may show at 1,000 records: the page's 300 kB (issue 18) less the theme's
# header and sidebar (30 kB), the analysts' highlighted code (up to 30 kB) and the prose.
SHOWN_BUDGET = 220_000


# Run in a fresh interpreter, as Jupyter would run the notebooks: each displayed object and each
# cell's last value, as HTML. (In this process, kb.finder is the module a test imported, not the
# function the notebooks call.)
SHOWN = """
import ast, json, sys
import IPython.display
import jupytext
shown, sizes = [], {}
IPython.display.display = lambda *objects, **_: shown.extend(objects)
for path in sys.argv[1:]:
    shown.clear()
    namespace = {}
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, path, "exec"), namespace)
        if last is not None:
            shown.append(eval(compile(ast.Expression(last.value), path, "eval"), namespace))
    html = [o._repr_html_() if hasattr(o, "_repr_html_") else getattr(o, "data", "") for o in shown]
    sizes[path] = sum(len((text or "").encode()) for text in html)
print(json.dumps(sizes))
"""


def shown_html(data_dir) -> dict[str, int]:
    """Notebook name -> bytes of HTML its cells show (figures with their tables, listings, text)."""
    proc = subprocess.run([sys.executable, "-c", SHOWN, *map(str, NOTEBOOKS)], capture_output=True, text=True,
                          env={**os.environ, "KB_DATA_DIR": str(data_dir)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {Path(path).stem: size for path, size in json.loads(proc.stdout.splitlines()[-1]).items()}


@pytest.fixture(scope="module")
def shown_at_1000(tmp_path_factory) -> dict[str, int]:
    """Notebook -> the HTML it shows at 1,000 records (measured: a chart of categories stops
    growing once every category is there, so carrying on a trend would overstate it)."""
    base = make_data_dir(tmp_path_factory.mktemp("base"))  # the fixtures: never grows with data/
    return shown_html(make_dataset(1000, tmp_path_factory.mktemp("shown-1000"), base))


@pytest.mark.slow
def test_no_analysis_shows_more_than_its_share_of_300_kb_at_1000_records(shown_at_1000):
    over = {name: f"{shown / 1000:.0f} kB" for name, shown in shown_at_1000.items() if shown > SHOWN_BUDGET}
    assert not over, f"over {SHOWN_BUDGET // 1000} kB at 1.000 indsatser: {over}"


COMPARED = SHOWN.replace("sizes[path] = sum(len((text or \"\").encode()) for text in html)",
                         "sizes[path] = \"\\n\".join(str(getattr(o, \"data\", \"\")) for o in shown)")


def _readmission_copy(data, new_id: str, days) -> None:
    """The fixture record with one readmission result, copied under ``new_id`` with window ``days``."""
    record = yaml.safe_load((data / "projects" / "vest-video.yml").read_text(encoding="utf-8"))
    record.update(id=new_id, title=f"Kopi {new_id}")
    record.pop("related", None)
    result = next(r for r in record["results"] if r["outcome"] == "genindlaeggelser")
    result["window"] = {"days": days, "after": "udskrivelse"}
    (data / "projects" / f"{new_id}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


def test_effects_say_which_results_share_window_comparison_and_denominator(tmp_path):
    """Two 30-day results read side by side; a 90-day one does not, nor two without a stated window."""
    data = make_data_dir(tmp_path)
    for new_id, days in (("kopi-a", 30), ("kopi-b", 30), ("kopi-c", 90), ("kopi-d", "ikke-oplyst")):
        _readmission_copy(data, new_id, days)
    proc = subprocess.run([sys.executable, "-c", COMPARED, str(REPO / "book" / "analyser" / "effekter.md")],
                          capture_output=True, text=True, env={**os.environ, "KB_DATA_DIR": str(data)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    said = next(iter(json.loads(proc.stdout.splitlines()[-1]).values()))
    assert re.search(r"\*\*Genindlæggelser\*\*: \d+ resultater med 3 forskellige tidsvinduer \(30 dage; 90 dage; "
                     r"tidsvindue ikke oplyst i kilden\)", said), said
    assert ("Samme oplyste tidsvindue, sammenligning, nævner og enhed har: 2 med 30 dage (sammenlignet med et "
            "befolkningstal; nævner: patienter; i procent). De øvrige kan ikke sammenlignes direkte") in said
    assert "med tidsvindue ikke oplyst i kilden (" not in said  # two unknown windows are not the same window


SHOWN_TEXT = SHOWN.replace("sizes[path] = sum(len((text or \"\").encode()) for text in html)",
                           "sizes[path] = \"\\n\".join(text or \"\" for text in html)")


def test_a_count_of_reach_is_no_effect_on_the_effects_page(tmp_path):
    """Coding manual v2: how many an initiative reached is a count, not an effect; 'Rapporterede effekter'
    draws and lists only effects."""
    data = make_data_dir(tmp_path)
    path = data / "projects" / "vest-video.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = record["results"][0]
    record["results"].append({"outcome": "raekkevidde", "text": "Tre ud af fire fik tilbuddet.", "value": 75,
                              "unit": "procent", "design": first["design"], "direction": "uklart",
                              "source": dict(first["source"])})
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", SHOWN_TEXT, str(REPO / "book" / "analyser" / "effekter.md")],
                          capture_output=True, text=True, env={**os.environ, "KB_DATA_DIR": str(data)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    shown = next(iter(json.loads(proc.stdout.splitlines()[-1]).values()))
    assert "Genindlæggelser" in shown and "Rækkevidde" not in shown
