"""Escaping by default: every piece of HTML kb writes comes from an autoescaped template (kb.html),
so record and vocabulary text cannot reach a page as markup, whichever field it is in."""

from __future__ import annotations

import json
import re
from datetime import date

import altair as alt
import pandas as pd
import pytest
import yaml

from conftest import REPO, make_data_dir
from kb.charts import figure, listing, table_html
from kb.citation import about_page, read_citation
from kb.extension import _danish_root_redirect
from kb.frontpage import key_findings_page
from kb.history import Change, History
from kb.loader import load
from kb.opendata import DOWNLOADS, downloads_page
from kb.pages import render_all

PAYLOAD = "<script>alert(1)</script>\"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;"  # as html.escape writes it
RAW = "<script>alert"  # what must never be written


def _hostile(data):
    """The fixture data with the payload in every vocabulary label and in the records' text that
    the HTML shows: titles, blueprint steps and the treatment responsibility."""
    for path in (data / "vocab").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^(\s*-?\s*label: )(.*)$", lambda m: m[1] + json.dumps(m[2].strip('"') + PAYLOAD),
                               text, flags=re.M), encoding="utf-8")
    for path in (data / "projects").glob("*.yml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        record["title"] += PAYLOAD
        blueprint = record.get("blueprint") or {}
        for step in blueprint.get("steps", []):
            step["text"] += PAYLOAD
            step["timing"] = PAYLOAD
        for field in ("holder", "period"):
            if blueprint.get("responsibility"):
                blueprint["responsibility"][field] += PAYLOAD
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, str]:
    """Everything kb writes from its templates, for hostile data: the pages, the front page's
    key figures, the downloads page, a chart with its table, a listing and the root redirect."""
    tmp = tmp_path_factory.mktemp("html")
    kb = load(_hostile(make_data_dir(tmp)))
    citation = read_citation(REPO)
    out = render_all(kb, History(True, [Change(date(2026, 11, 2), kb.initiatives[0].id, "ændret")]), citation)
    out["noegletal.md"] = key_findings_page(kb)
    out["data.md"] = downloads_page(kb, {name: b"" for name in DOWNLOADS})
    out["om.md"] = about_page(citation)
    df = pd.DataFrame({"Indsats": [r.title for r in kb.initiatives], "Antal": range(len(kb.initiatives))})
    chart = alt.Chart(df).mark_bar().encode(x="Antal:Q", y="Indsats:N")
    out["figure"] = figure(chart, "Figur" + PAYLOAD, df)._repr_html_()
    out["listing"] = listing("Alle" + PAYLOAD, df, links={"Indsats": ["a.html?" + PAYLOAD] * len(df)})
    out["table"] = table_html(df.rename(columns={"Antal": PAYLOAD}))
    _danish_root_redirect(tmp / "index.html", "Vidensbase" + PAYLOAD)
    out["redirect"] = (tmp / "index.html").read_text(encoding="utf-8")
    return out


def test_no_text_is_written_as_markup(written):
    assert not [name for name, text in written.items() if RAW in text]


@pytest.mark.parametrize("name", [
    "indsatser/vest-video.md",  # the blueprint grid, the summary's badges
    "blueprints/modtagebesoeg.md",  # the blueprint comparison
    "find.md", "oversigt.md",  # the finder, the overview's list and its effect badges
    "noegletal.md",  # the front page's links to the finder
    "figure", "listing", "table", "redirect",
])
def test_text_in_html_is_escaped(written, name):
    assert ESCAPED in written[name]
