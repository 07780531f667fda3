import re

import pytest

from koers.instruments import charts
from koers.instruments.constants import ChartKind

MATRIX = {
    "kind": ChartKind.MATRIX.value,
    "columns": [{"label": "01-02-2026"}, {"label": "01-08-2026"}],
    "rows": [{"name": "Financiën"}, {"name": "Huisvesting"}],
    "scale": {"min": 1, "max": 5},
    "cells": [
        {"column": "01-02-2026", "item": "Financiën", "value": 2, "shown": "2"},
        {"column": "01-08-2026", "item": "Financiën", "value": 4, "shown": "4"},
        {"column": "01-02-2026", "item": "Huisvesting", "value": 3, "shown": "3"},
    ],
}
LINE = {
    "kind": ChartKind.LINE.value,
    "columns": [{"label": "01-02-2026"}, {"label": "01-08-2026"}],
    "scale": {"min": 1, "max": 6},
    "series": ["Trede", "Groeipotentieel"],
    "level_labels": {"1": "Geïsoleerd", "4": "Onbetaald werk"},
    "points": [
        {"column": "01-02-2026", "series": "Trede", "value": 2},
        {"column": "01-08-2026", "series": "Trede", "value": 4},
        {"column": "01-02-2026", "series": "Groeipotentieel", "value": 4},
    ],
}


@pytest.mark.parametrize("data", [MATRIX, LINE])
def test_chart_is_one_named_image_without_inline_styles(data):
    svg = charts.render_svg(data, 'ZRM "voortgang" <2>')
    opening = re.match(r"<svg[^>]*>", svg).group(0)
    assert 'role="img"' in opening
    assert 'aria-label="ZRM &quot;voortgang&quot; &lt;2&gt;"' in opening
    assert "<title>ZRM &quot;voortgang&quot; &lt;2&gt;</title>" in svg
    body = svg[len(opening) :]
    assert "role=" not in body and "aria-" not in body  # the marks carry no roles of their own
    assert "style=" not in svg and "<script" not in svg  # the CSP allows neither


def test_the_cache_key_follows_everything_that_is_drawn():
    changed_score = {**MATRIX, "cells": [{**MATRIX["cells"][0], "value": 1, "shown": "1"}]}
    english = {**MATRIX, "rows": [{"name": "Finances"}, {"name": "Housing"}]}
    keys = {charts.chart_key(MATRIX), charts.chart_key(changed_score), charts.chart_key(english)}
    assert len(keys) == 3
    assert charts.chart_key(dict(MATRIX)) == charts.chart_key(MATRIX)


def test_a_chart_drawn_once_is_served_from_the_cache(monkeypatch):
    calls = []
    original = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda data: calls.append(1) or original(data))
    first = charts.render_svg(LINE, "Ladder")
    second = charts.render_svg(LINE, "Ladder")
    assert first == second and len(calls) == 1
