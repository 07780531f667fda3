"""Choices and fixed numbers of the instruments. What an instrument contains (items, scales,
labels) is data, in `data/*.json`; nothing here names a domain or a rung."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import Section

# The sections an item of an instrument can belong to: the ZRM's non-sensitive domains and the
# ladder are MEASUREMENTS; the ZRM's health and addiction domains and Positieve Gezondheid are
# HEALTH (AVG art. 9); the ZRM's justice domain is JUSTICE (art. 10).
ITEM_SECTIONS = (Section.MEASUREMENTS, Section.HEALTH, Section.JUSTICE)
ITEM_SECTION_CHOICES = [(int(section), section.label) for section in ITEM_SECTIONS]
# The names the data files use for them.
SECTION_BY_NAME = {
    "measurements": Section.MEASUREMENTS,
    "health": Section.HEALTH,
    "justice": Section.JUSTICE,
}
ALL_ITEM_SECTIONS = Section.MEASUREMENTS | Section.HEALTH | Section.JUSTICE


class ItemKind(models.TextChoices):
    SCORE = "score", _("Score")
    # The level the client could reach on the item it belongs to (the ladder's growth potential).
    POTENTIAL = "potential", _("Potential")
    # A circumstance recorded with the measurement (the ZRM's zwaartefactoren); not charted.
    FACTOR = "factor", _("Weighting factor")


class ChartKind(models.TextChoices):
    # Items down, measurements across, the score in each cell (ZRM, Positieve Gezondheid).
    MATRIX = "matrix", _("Matrix of items over time")
    # One line per score item over time, its potential dashed (the participation ladder).
    LINE = "line", _("Line over time")


# A measurement older than this is due again (the deadline radar; Rotterdam rescores every 3 or
# 6 months, the ladder is measured at least twice a year).
MEASUREMENT_DUE_MONTHS = 6

# The progress chart and its table show at most this many of the latest measurements; first vs
# latest always covers all of them.
CHART_MAX_MEASUREMENTS = 12

# Bump when the chart's look changes, so cached SVGs drawn the old way are not served.
CHART_STYLE_VERSION = 1
