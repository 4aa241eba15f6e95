"""Shared chart helpers for the analyses: one look, Danish labels, no network.

A chart is shown through ``figure()``, which emits the Vega-Lite spec as inert
JSON next to a caption and a table of the same numbers. ``book/_static/kb-charts.js``
draws it in the browser with the Vega bundle that ``kb build`` vendors into the
site (``vega_bundle()``), so no reader's browser ever contacts a CDN, and a
screen reader or a reader without JavaScript still gets every number.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .text import number

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# Colour-blind safe (Okabe-Ito), in the order the charts use them.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


@alt.theme.register("kb", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 480},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
            "range": {"category": PALETTE},
        }
    }


# Shown instead of a chart that is wider than the reader's screen (kb-charts.js).
NARROW_NOTE = "Figuren er for bred til skærmen; tabellen herunder viser de samme tal."


@dataclass(frozen=True)
class Figure:
    """A chart with its caption and its table alternative; rendered by the notebook as HTML."""

    chart: alt.TopLevelMixin
    caption: str
    table: pd.DataFrame

    def _repr_html_(self) -> str:
        spec = json.dumps(_no_nan(_fit(self.chart.to_dict())), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"), allow_nan=False)
        return (
            '<figure class="kb-chart">'
            '<div class="kb-chart-view" tabindex="0"></div>'
            f'<script type="application/json">{_inert(spec)}</script>'
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            f'<p class="kb-chart-note">{NARROW_NOTE}</p>'
            '<details class="kb-chart-table"><summary>Tallene bag figuren</summary>'
            f"{table_html(self.table)}</details>"
            "</figure>"
        )


def figure(chart: alt.TopLevelMixin, caption: str, table: pd.DataFrame) -> Figure:
    """``chart`` described by ``caption`` (also its accessible name) with ``table`` beside it."""
    return Figure(chart.properties(description=caption), caption, table)


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


def _inert(spec: str) -> str:
    """JSON that cannot end or escape its <script> element, whatever a record says."""
    return spec.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def table_html(df: pd.DataFrame) -> str:
    """A plain, escaped HTML table with Danish numbers; empty cells stay empty."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f'<table class="kb-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value)
    return html.escape(str(value))


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


def _vega_versions() -> tuple[str, str]:
    import vl_convert

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]), vl_convert.__version__


def vega_header() -> str:
    """The bundle's first line: it names the versions, so an unchanged bundle need not be rebuilt."""
    vega_lite, converter = _vega_versions()
    return f"/* Vega, Vega-Lite {vega_lite} og vega-embed fra vl-convert {converter} */\n"


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script, matching Altair's Vega-Lite version."""
    import vl_convert

    # The bundle declares top-level names (such as `_`) that clash with Sphinx's own scripts;
    # a function scope keeps them private. It publishes window.vegaEmbed itself.
    body = vl_convert.javascript_bundle(vl_version=_vega_versions()[0])
    return f"{vega_header()}(function () {{\n{body}\n}})();\n"
