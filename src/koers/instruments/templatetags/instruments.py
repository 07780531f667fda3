"""The progress page's score cells, written in one pass: a client with every instrument has a
few hundred cells, and a template loop per cell costs more than the rest of the page."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

_CELL = '<td class="utrecht-table__cell">{}</td>'


@register.filter
def score_cells(cells, flag_label=""):
    """A table row's cells: the score ("–" when not scored), with "*" and, for screen readers,
    the flag's name where it is set ("wil ik over praten")."""
    flag = format_html('*<span class="koers-sr-only"> ({})</span>', flag_label.lower())
    return format_html_join(
        "",
        '<td class="utrecht-table__cell">{}{}</td>',
        ((cell["short"], flag if cell["flag"] else "") for cell in cells),
    )


@register.filter
def text_cells(cells):
    """A table row's cells with the level's name: "4 Onbetaald werk"."""
    return format_html_join("", _CELL, ((cell["text"],) for cell in cells))
