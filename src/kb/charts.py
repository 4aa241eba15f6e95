"""Shared chart helpers for the analyses: one look, Danish labels, no network.

A chart is shown through ``figure()``, which draws it as SVG while the notebook runs
(vl-convert runs Vega at build time) next to a caption and a table of the same numbers.
A reader's browser downloads no charting library (Vega was 900 KB, too much for a phone on
a slow line, issue 20) and never contacts another host; a screen reader or a reader without
JavaScript still gets every number. What the tooltips said stands in each mark's title,
which the browser shows on hover; the evidence map's cells stay links.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass

import altair as alt
import pandas as pd
from markupsafe import Markup

from .html import render
from .text import number

# The charts are laid out at build time with vl-convert's Liberation Sans; Arial and Helvetica
# have its metrics, so a label measured to fit still fits where the reader's browser draws it.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
FONT_ATTRIBUTE = f'font-family="{html.escape(FONT)}"'  # as vl-convert writes it; svg() keeps it once
# Colour-blind safe (Okabe-Ito), in the order the charts use them.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


@alt.theme.register("kb", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 480},
            # Vega describes axes and legends to screen readers in English ("X-axis titled ... for a
            # linear scale"); the caption and the table below the chart say the same in Danish.
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260, "aria": False},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260, "aria": False},
            "range": {"category": PALETTE},
        }
    }


# A chart as wide as its column is drawn twice: for a wide column and for a phone's (kb.css
# shows the one that fits). Widths in CSS pixels, axes and labels included.
WIDTHS = {"kb-chart-wide": 680, "kb-chart-small": 340}
# A table of this many columns is wider than a phone (the effects table has 15): there each row is a card.
CARD_COLUMNS = 4
LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]}
# vl-convert resolves a mark's link against Vega's example-data address; the site's links are relative.
VEGA_BASE = "https://vega.github.io/vega-datasets/"
# Vega's empty frames around every axis and group: nothing to see, but elements to lay out.
EMPTY = re.compile(r'<path class="(?:foreground|background)" aria-hidden="true" d="(?:|M0,0h0v0h0Z)"[^>]*/>')
# What Vega writes on every element that says only what SVG assumes anyway.
DEFAULTS = (' opacity="1"', ' stroke-miterlimit="10"')
# Vega names a title to screen readers in English ("Title text 'Diagnose'"): the title's own words do.
TITLE_LABEL = re.compile(r'aria-label="Title text \'([^"]*)\'"')
# Vega places marks to 1e-15 px; a tenth of a pixel is finer than a screen shows. Only in the
# attributes that place and shape: a label's text ("15.000") keeps every digit.
GEOMETRY = re.compile(r'( (?:transform|d|x|y|x1|x2|y1|y2)=")([^"]*)"')
DECIMALS = re.compile(r"(\d\.\d)\d+")


@dataclass(frozen=True)
class Figure:
    """A chart with its caption and its table alternative; rendered by the notebook as HTML."""

    chart: alt.TopLevelMixin
    caption: str
    table: pd.DataFrame
    links: dict[str, list[str]] | None = None  # as in table_html

    def _repr_html_(self) -> str:
        spec = _no_nan(_fit(self.chart.to_dict()))
        fixed = not _fits_column(spec)
        if fixed:
            views = [svg(spec, "kb-chart-fixed")]
        else:
            drawn = {name: svg(_width(spec, width), name) for name, width in WIDTHS.items()}
            # Labels too long for a phone leave the plot no room: there, the table stands in.
            views = [view for view in drawn.values() if _has_room(view)]
        # The SVG is vl-convert's drawing, markup already (Vega escapes the text in it).
        return render("figure.html", views=[Markup(view) for view in views], caption=self.caption,
                      fixed=fixed, **_table(self.table, self.links))


def svg(spec: dict, name: str) -> str:
    """The chart as inline SVG: its ids made its own, its links relative, each mark's
    tooltip as a title the browser shows on hover, and no more markup than the drawing needs."""
    import vl_convert

    vega = _described(vl_convert.vegalite_to_vega(spec, vl_version=_vega_lite_version()))
    drawn = vl_convert.vega_to_svg(vega, format_locale=LOCALE)
    drawn = EMPTY.sub("", drawn)  # a page's DOM is what a slow phone lays out
    prefix = "kb" + hashlib.sha256(drawn.encode()).hexdigest()[:8]
    drawn = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', drawn)
    drawn = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", drawn)
    drawn = drawn.replace(f'xlink:href="{VEGA_BASE}', 'href="')
    drawn = TITLE_LABEL.sub(r'aria-label="\1"', drawn)
    if re.search(r'href="[a-z]+:', drawn):
        raise ValueError("en figur linker til en anden vært; sitets links er relative")
    # The description once, as the title a browser shows on hover and a screen reader reads.
    drawn = re.sub(r'<(\w+)([^<>]*?) aria-label="([^"]*)"([^<>]*?)/>', r"<\1\2\4><title>\3</title></\1>", drawn)
    for default in DEFAULTS:
        drawn = drawn.replace(default, "")
    drawn = GEOMETRY.sub(lambda m: m[1] + DECIMALS.sub(r"\1", m[2]) + '"', drawn)
    drawn = drawn.replace(f" {FONT_ATTRIBUTE}", "")
    return drawn.replace('class="marks"', f'{FONT_ATTRIBUTE} class="marks {name}"', 1)


def _described(vega: dict) -> dict:
    """Each mark described by its tooltip alone, in the tooltip's words: Vega-Lite puts every
    encoded field in the description (outcome_label, link, end_edge...). An empty value is left
    out ("Stærkeste design: null" says nothing). A mark with no tooltip (a count written beside
    a bar, a comparison's ring beside the value that names it) repeats what another mark says,
    and is hidden from screen readers, its container too: a container of marks that say nothing
    is otherwise an image without a name (axe: svg-img-alt)."""
    for mark in vega.get("marks", []):
        for encode in mark.get("encode", {}).values():
            if "description" not in encode:
                continue
            tooltip = encode.get("tooltip", {}).get("signal", "")
            if tooltip.startswith("{"):
                parts = [f'(isValid({v}) && ({v}) !== "null" && ({v}) !== ""'
                         f' ? "; " + {json.dumps(k + ": ")} + ({v}) : "")' for k, v in _entries(tooltip[1:-1])]
                encode["description"] = {"signal": f"substring({' + '.join(parts)}, 2)"}
            else:
                del encode["description"]
                mark["aria"] = False
        _described(mark)
    return vega


def _entries(body: str) -> list[tuple[str, str]]:
    """The (key, expression) pairs of a Vega object expression's body: '"A": x, "B": f(y, z)'."""
    decoder, pairs, i = json.JSONDecoder(), [], 0
    while i < len(body):
        key, i = decoder.raw_decode(body, body.index('"', i))
        start, depth, quote = body.index(":", i) + 1, 0, ""
        for i in range(start, len(body) + 1):
            c = body[i] if i < len(body) else ","
            if quote:
                quote = "" if c == quote and body[i - 1] != "\\" else quote
            elif c in "\"'":
                quote = c
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == "," and depth == 0:
                break
        pairs.append((key, body[start:i].strip()))
        i += 1
    return pairs


def _has_room(drawn: str) -> bool:
    """Whether the plot of a chart drawn to a width has room in it beside its labels: Vega
    squeezes it to nothing, and past the drawing's left edge, when the labels take it all."""
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', drawn).group(1))
    left = float(re.search(r'transform="translate\(([-\d.]+),', drawn).group(1))
    plot = float(re.search(r'class="background"[^>]* d="M0,0h([-\d.]+)', drawn).group(1))
    return plot > 0 and 0 <= left and left + plot <= width


def _fits_column(spec: dict) -> bool:
    return '"container"' in json.dumps(spec)


def _width(spec: dict, width: int) -> dict:
    """The spec with every width "container" set to ``width``; with fit-x, the whole chart's.
    Labels get at most 45 % of it (cut short with "…"; the marks' titles and the table have them
    whole), so the plot keeps room on a phone."""
    def walk(value):
        if isinstance(value, dict):
            return {k: width if k == "width" and v == "container" else
                    min(v, int(width * 0.45)) if k == "labelLimit" and isinstance(v, (int, float)) else walk(v)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(copy.deepcopy(spec))


def figure(chart: alt.TopLevelMixin, caption: str, table: pd.DataFrame,
           links: dict[str, list[str]] | None = None) -> Figure:
    """``chart`` described by ``caption`` (also its accessible name) with ``table`` beside it,
    its cells linked as ``links`` says (see table_html)."""
    return Figure(chart.properties(description=caption), caption, table, links)


def _fit(spec: dict) -> dict:
    """A chart as wide as its column fits only its width; its height comes from its rows."""
    if '"container"' in json.dumps(spec):
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def _no_nan(value):
    """pandas' missing values as JSON null (NaN is not JSON)."""
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def table_html(df: pd.DataFrame, links: dict[str, list[str]] | None = None) -> str:
    """A plain, escaped HTML table with Danish numbers; empty cells stay empty. ``links``: a
    column's addresses, one a row, that its cells link to."""
    return render("table.html", **_table(df, links))


def listing(summary: str, df: pd.DataFrame, links: dict[str, list[str]] | None = None) -> str:
    """A table that grows with the records, folded under ``summary`` so the page starts with
    its figure (opened by the reader, and in print)."""
    return render("listing.html", summary=summary, **_table(df, links))


def _table(df: pd.DataFrame, links: dict[str, list[str]] | None) -> dict:
    """table.html's head (the column names), rows ((text, address or "") for each cell) and whether a
    phone shows it as cards."""
    links = links or {}
    rows = [[(_cell(v), links[c][i] if c in links else "") for c, v in zip(df.columns, row, strict=True)]
            for i, row in enumerate(df.itertuples(index=False))]
    return {"head": [str(c) for c in df.columns], "rows": rows, "cards": len(df.columns) >= CARD_COLUMNS}


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value)
    return str(value)


def order(frames, vocabulary: str) -> list[str]:
    """The labels of a vocabulary in file order, for a sorted axis."""
    v = frames.vocabulary
    return v[v.vocabulary == vocabulary].sort_values("order")["label"].tolist()


def count_bars(df: pd.DataFrame, field: str, title: str, sort: list[str] | None = None) -> alt.Chart:
    """Horizontal bars: how many distinct initiatives have each value of ``field``."""
    counts = df.groupby(field)["initiative"].nunique().reset_index(name="antal")
    # No axis title: the chart's title or caption names the rows, and a phone needs the room.
    return alt.Chart(counts).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y(f"{field}:N", title=None, sort=sort or "-x", axis=alt.Axis(labelLimit=170)),
        x=alt.X("antal:Q", title="Antal indsatser", axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip(f"{field}:N", title=title), alt.Tooltip("antal:Q", title="Antal indsatser")],
    )


def _vega_lite_version() -> str:
    """Altair's Vega-Lite version, as vl-convert names it (v5.20)."""
    return "v" + ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
