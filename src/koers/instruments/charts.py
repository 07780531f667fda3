"""Progress charts: Altair specifications rendered to SVG on the server by vl-convert.

The page embeds the SVG inline (role="img" with a label; the table under it is the accessible
version), and the same SVG can go into a PDF. Rendering costs tens of milliseconds per chart,
so every SVG is cached under a key derived from everything that is drawn (the chart data:
the visible items, the scores, the dates, the labels in the reader's language, the chart style
version). A client whose measurements did not change costs no rendering; any change, a
correction included, gives a new key, so a cached chart is never stale.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.cache import cache
from django.utils.html import escape

from .constants import CHART_STYLE_VERSION, ChartKind

CACHE_PREFIX = "instruments:chart"
CACHE_SECONDS = 60 * 60 * 24 * 30
FONT = "Liberation Sans, Arial, sans-serif"
# Light colours from low (red) through yellow to high (green): black text stays readable on each.
LOW, MIDDLE, HIGH = "#f4a6a6", "#fbeea6", "#9fd4a3"
LINE_COLOURS = ["#01689b", "#8f4a00", "#39870c", "#a90061"]


def chart_key(data: dict) -> str:
    payload = json.dumps([CHART_STYLE_VERSION, data], sort_keys=True, ensure_ascii=False)
    return f"{CACHE_PREFIX}:{hashlib.sha256(payload.encode()).hexdigest()}"


def _matrix_spec(data: dict) -> dict:
    import altair as alt

    low, high = data["scale"]["min"], data["scale"]["max"]
    columns = [column["label"] for column in data["columns"]]
    rows = [row["name"] for row in data["rows"]]
    base = alt.Chart(alt.Data(values=data["cells"])).encode(
        x=alt.X(
            "column:O",
            sort=columns,
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, labelPadding=6, ticks=False, domain=False),
        ),
        y=alt.Y(
            "item:N",
            sort=rows,
            title=None,
            axis=alt.Axis(labelLimit=260, ticks=False, domain=False, labelFontSize=12),
        ),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "value:Q",
            scale=alt.Scale(domain=[low, (low + high) / 2, high], range=[LOW, MIDDLE, HIGH]),
            legend=None,
        )
    )
    text = base.mark_text(fontSize=13, color="#000000").encode(text="shown:N")
    return (
        (cells + text)
        .properties(width=alt.Step(88), height=alt.Step(26))
        .configure(font=FONT, aria=False)
        .configure_view(stroke=None)
        .to_dict(validate=False)
    )


def _line_spec(data: dict) -> dict:
    import altair as alt

    low, high = data["scale"]["min"], data["scale"]["max"]
    columns = [column["label"] for column in data["columns"]]
    labels = data.get("level_labels", {})
    # The axis shows "3 Deelname aan georganiseerde activiteiten" rather than a bare 3.
    label_expr = (
        f"datum.value + ' ' + ({json.dumps(labels, ensure_ascii=False)}[datum.value] || '')"
        if labels
        else "datum.value"
    )
    series = data["series"]
    return (
        alt.Chart(alt.Data(values=data["points"]))
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=2.5)
        .encode(
            x=alt.X(
                "column:O", sort=columns, title=None, axis=alt.Axis(labelAngle=0, labelPadding=6)
            ),
            y=alt.Y(
                "value:Q",
                scale=alt.Scale(domain=[low, high]),
                title=None,
                axis=alt.Axis(
                    values=list(range(low, high + 1)), labelExpr=label_expr, labelLimit=320
                ),
            ),
            color=alt.Color(
                "series:N",
                sort=series,
                scale=alt.Scale(domain=series, range=LINE_COLOURS[: len(series)]),
                legend=alt.Legend(orient="bottom", title=None, labelFontSize=12),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=series,
                scale=alt.Scale(
                    domain=series, range=[[1, 0], [6, 4], [2, 3], [8, 3]][: len(series)]
                ),
                legend=None,
            ),
        )
        .properties(width=max(240, 88 * len(columns)), height=32 * (high - low + 1))
        .configure(font=FONT, aria=False)
        .to_dict(validate=False)
    )


def chart_spec(data: dict) -> dict:
    """The Vega-Lite specification of a chart (for the SVG here, or a PDF later)."""
    if data["kind"] == ChartKind.LINE:
        return _line_spec(data)
    return _matrix_spec(data)


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
# Vega marks its groups and marks with ARIA roles and labels of their own; inside one image
# they would be announced (or flagged) as images without a name. The table carries the data.
_MARK_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def _draw(data: dict) -> str:
    """Render the chart to SVG and strip the marks' own ARIA attributes."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart_spec(data))
    match = _SVG_OPEN.search(svg)
    body = _MARK_ARIA.sub("", svg[match.end() :])
    return svg[: match.end()] + body


def _accessible(svg: str, label: str) -> str:
    """The SVG as one image with a name: role="img", an aria-label and a <title>. It keeps its
    drawn size; the page lets it scroll sideways on a narrow screen."""
    match = _SVG_OPEN.search(svg)
    attributes = match.group(1).replace(' class="marks"', "")
    opening = (
        f'<svg{attributes} role="img" aria-label="{escape(label)}" focusable="false">'
        f"<title>{escape(label)}</title>"
    )
    return svg[: match.start()] + opening + svg[match.end() :]


def render_many(charts: list[tuple[dict, str]]) -> list[str]:
    """Charts as inline SVG, each from the cache when this exact chart was drawn before; one
    cache round trip for all of them."""
    keys = [chart_key(data) for data, _label in charts]
    found = cache.get_many(keys) if keys else {}
    result = []
    for key, (data, label) in zip(keys, charts, strict=True):
        svg = found.get(key)
        if svg is None:
            svg = _draw(data)
            cache.set(key, svg, CACHE_SECONDS)
        result.append(_accessible(svg, label))
    return result


def render_svg(data: dict, label: str) -> str:
    """One chart as inline SVG (also for a PDF later)."""
    return render_many([(data, label)])[0]
