"""The Danish results beside international reviews (kb.international): the one definition of the gap that
matters, the evidence map's cells and phone table, the front page's count, and the forest plot's rows.
On the fixture records and reviews only (tests/fixtures/); a change to the real data/ never turns these red."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import kb
from conftest import REPO, make_data_dir
from kb import international
from kb.frontpage import key_findings_page
from kb.loader import load
from kb.model import PooledEstimate


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """The fixture data with the two reviews the counts here are worked out by hand for: the review the
    review pages' tests hold (fiktiv-kol-hjemkomst) is left out, so a review added there never moves them."""
    data = make_data_dir(tmp_path)
    (data / "reviews" / "fiktiv-kol-hjemkomst.yml").unlink()
    return data


FIXTURE_GAPS = [("opfoelgende-hjemmebesoeg", "genindlaeggelser"), ("telefonstoette", "genindlaeggelser")]


def edit(path: Path, change) -> None:
    """Load a YAML record, let ``change`` edit it, write it back."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def add_type(data: Path, record: str, kind: str) -> None:
    edit(data / "projects" / f"{record}.yml", lambda r: r["intervention"]["types"].append(kind))


def estimate(measure: str, low: float, high: float) -> PooledEstimate:
    return PooledEstimate(outcome="genindlaeggelser", text="t", measure=measure, value=(low + high) / 2, low=low,
                          high=high, source={"document": "d", "locator": "l"})


@pytest.mark.parametrize(("measure", "low", "high", "effect"), [
    ("RR", 0.7, 0.9, True), ("RR", 1.1, 1.3, True), ("RR", 0.85, 1.2, False), ("OR", 0.9, 1.0, False),
    ("MD", -1.33, -0.12, True), ("MD", -0.5, 0.3, False), ("SMD", 0.0, 0.4, False)])
def test_an_effect_is_a_pooled_interval_that_leaves_out_no_difference(measure, low, high, effect):
    assert international.finds_effect(estimate(measure, low, high)) is effect


def test_a_gap_is_a_reviewed_effect_no_danish_initiative_of_the_type_measured(fixture_data):
    """The fixture review finds fewer readmissions (RR 0,8; 0,7–0,9) for two types no fixture initiative
    has, and no difference in mortality (OR 1,0): two gaps, none for mortality."""
    found = international.gaps(load(fixture_data))
    assert [(g.type, g.outcome) for g in found] == FIXTURE_GAPS
    assert [r.id for r, _ in found[0].evidence] == ["fiktiv-metaanalyse"]


def test_a_measured_result_closes_the_gap_a_stated_one_does_not(fixture_data):
    add_type(fixture_data, "injektion", "telefonstoette")  # its readmissions: before-after, measured (rank 2)
    add_type(fixture_data, "horsens-hoftebrud", "opfoelgende-hjemmebesoeg")  # its readmissions: not measured
    assert [(g.type, g.outcome) for g in international.gaps(load(fixture_data))] == FIXTURE_GAPS[:1]


def test_the_front_page_counts_the_gaps_and_links_to_the_map(fixture_data, tmp_path):
    line = next(x for x in key_findings_page(load(fixture_data)).splitlines() if "international" in x)
    assert line.startswith("- For **2** kombinationer af indsatstype og udfald finder international forskning")
    assert "{doc}`/book/generated/analyser/evidenskort`" in line
    assert international.gap_finding(load(make_data_dir(tmp_path / "tom", projects=None))) == []  # no review


def test_the_maps_phone_table_keeps_the_gaps_and_what_is_only_stated(fixture_data):
    cells = international.map_cells(kb.load(fixture_data))
    states = {(t, o): s for t, o, s in zip(cells.type, cells.outcome, cells.state, strict=True)}
    assert {cell for cell, s in states.items() if s == "hul"} == set(FIXTURE_GAPS)
    assert states["udskrivelsessamtale-video", "genindlaeggelser"] == "maalt"
    assert states["foelgehjem-team", "samarbejde"] == "angivet"  # an assessment, rank 0
    assert states["foelgehjem-team", "genindlaeggelser"] == "angivet"  # "ikke målt"
    rows = international.map_table(cells).values.tolist()
    at = rows.index(["Indsatstype", "Telefonstøtte og telemedicin"])
    assert rows[at + 1] == ["International effekt, ikke målt i Danmark", "Genindlæggelser"]
    assert rows[at + 2][0] == "Intet resultat" and "Dødelighed og overlevelse" in rows[at + 2][1]
    video = rows.index(["Indsatstype", "Udskrivelses-/målsamtale via video"])
    assert rows[video + 1] == ["Målt", "Genindlæggelser (1; registertal uden justering)"]
    assert rows[video + 2] == ["Kun angivet eller vurderet, ikke målt",
                               "Borgerens og pårørendes oplevelse (1; vurdering og erfaring), Tværsektorielt "
                               "samarbejde (1; vurdering og erfaring)"]


def test_the_gaps_are_named_and_linked_to_the_review_and_the_type(fixture_data):
    add_type(fixture_data, "injektion", "telefonstoette")  # now a type with a page, and measured: no gap
    add_type(fixture_data, "vest-video", "opfoelgende-hjemmebesoeg")  # measured there too
    edit(fixture_data / "reviews" / "fiktiv-metaanalyse.yml",
         lambda r: r["intervention"]["types"].append("akutteam"))
    add_type(fixture_data, "horsens-hoftebrud", "akutteam")  # a page, nothing measured on readmissions
    html = international.gap_list(load(fixture_data))
    assert html.count("<li>") == 1
    assert ('<a href="../typer/akutteam.html">Akutteam og behandling i eget hjem</a>: genindlæggelser</strong>'
            in html)
    assert ('<a href="https://doi.org/10.1234/ramme_papir(2012)*1">Fiktiv oversigt over opfølgning efter '
            'udskrivelse (testpost)</a>: RR 0,80 (95 % CI 0,70–0,90), 10 forsøg. Færre genindlæggelser inden for '
            '30 dage (opdigtet).') in html


def test_forest_rows_put_danish_ratios_beside_the_pooled_ones(fixture_data):
    """A Danish share against a population's gets a ratio without interval; one with both groups' counts
    gets kb.effects' interval; the review stands under each of its types."""
    edit(fixture_data / "reviews" / "fiktiv-metaanalyse.yml",
         lambda r: r["intervention"]["types"].append("udskrivelsessamtale-video"))
    rows = international.forest(kb.load(fixture_data))
    assert list(rows.outcome.unique()) == ["genindlaeggelser", "doedelighed"]  # an OR is a ratio too
    video = rows[(rows.type == "udskrivelsessamtale-video") & (rows.outcome == "genindlaeggelser")]
    assert video.kind.tolist() == [international.POOLED, international.DANISH_NO_INTERVAL]
    assert video.estimate.tolist() == ["RR 0,80 (95 % CI 0,70–0,90)", "RR 0,46"]
    assert "uden interval: sammenlignet med et tal for en hel befolkning" in video.note.iloc[1]

    def counted(record):
        result = next(r for r in record["results"] if r["outcome"] == "genindlaeggelser")
        result["comparison"].update(kind="samtidig", n=60)
        result.pop("group_sizes")
    edit(fixture_data / "projects" / "vest-video.yml", counted)
    danish = international.forest(kb.load(fixture_data)).query("kind != @international.POOLED")
    assert danish.kind.tolist() == [international.DANISH]
    assert danish.estimate.iloc[0] == "RR 0,48 (95 % CI 0,17–1,31)"  # 5 of 63 against 10 of 60
    assert danish.note.iloc[0].startswith("dansk; beregnet ud fra kildens antal; kildens fund: ")


# Each notebook run as Jupyter would, in a fresh interpreter on the fixture data: the HTML or Markdown
# of every object it shows, in order.
SHOWN = """
import ast, json, sys
import IPython.display
import jupytext
shown = []
IPython.display.display = lambda *objects, **_: shown.extend(objects)
namespace = {}
for cell in jupytext.read(sys.argv[1]).cells:
    if cell.cell_type != "code":
        continue
    tree = ast.parse(cell.source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, sys.argv[1], "exec"), namespace)
    if last is not None:
        shown.append(eval(compile(ast.Expression(last.value), sys.argv[1], "eval"), namespace))
print(json.dumps([o._repr_html_() if hasattr(o, "_repr_html_") else o.data for o in shown]))
"""


def shown(notebook: str, data: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", SHOWN, str(REPO / "book" / "analyser" / notebook)],
                          capture_output=True, text=True, env={**os.environ, "KB_DATA_DIR": str(data)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


def test_the_evidence_map_draws_names_and_lists_the_gaps_and_fits_its_column(fixture_data):
    figure, *rest = shown("evidenskort.md", fixture_data)
    width = int(re.search(r'<svg[^>]* class="marks kb-chart-fixed" width="(\d+)"', figure)[1])
    assert width <= 688  # the book's column at 1280 px
    frames = re.findall(r'<path [^>]*aria-roledescription="square"[^>]*stroke="#000"', figure)
    assert len(frames) == len(FIXTURE_GAPS)
    assert ("<title>Indsatstype: Telefonstøtte og telemedicin; Udfald: Genindlæggelser; Antal indsatser: 0; "
            "Status: International effekt, ikke målt i Danmark</title>") in figure
    assert figure.count("<td>International effekt, ikke målt i Danmark</td><td>Genindlæggelser</td>") == 2
    assert "Huller, hvor international forskning finder en effekt (2)" in rest[0]
    assert rest[1].count("<li>") == 2 and "Telefonstøtte og telemedicin" in rest[1]


def test_the_analysis_shows_a_figure_per_outcome_with_its_table_and_what_it_leaves_out(fixture_data):
    edit(fixture_data / "reviews" / "fiktiv-metaanalyse.yml",
         lambda r: r["intervention"]["types"].append("udskrivelsessamtale-video"))
    out = shown("international.md", fixture_data)
    headings = [o for o in out if o.startswith("## ")]
    assert headings == ["## Genindlæggelser", "## Dødelighed og overlevelse"]
    readmissions = out[1]
    assert re.findall(r'class="marks (kb-chart-[a-z]+)"', readmissions) == ["kb-chart-fixed"]  # a phone: the table
    assert ("<tr><td>Udskrivelses-/målsamtale via video, tidsvindue ikke oplyst i kilden</td><td></td></tr>"
            in readmissions)
    assert ('<td><a href="../indsatser/vest-video.html">Udskrivelsessamtaler via video</a></td><td>RR 0,46; '
            'dansk; forholdet mellem kildens to procenter; uden interval') in readmissions
    assert '<a href="https://doi.org/10.1234/ramme_papir(2012)*1">' in readmissions
    assert "Ikke i figurerne." in out[-1] and "lægger ikke forsøgenes tal sammen" in out[-1]
