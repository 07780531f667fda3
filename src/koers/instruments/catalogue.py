"""The instruments as plain, read-only objects for the pages that show many scores.

Pages read every instrument with its versions, items and levels (a few hundred rows). As model
instances with prefetches that costs milliseconds per request in object creation alone; read
as tuples into slotted dataclasses it costs a fraction. Attribute names follow the models, so
templates and `services.can_record` take either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import get_language

from .models import Instrument, InstrumentVersion, Item, ScaleLevel


@dataclass(slots=True)
class CatalogueLevel:
    value: int
    display_label: str  # in the reader's language, chosen when the catalogue is read


@dataclass(slots=True)
class CatalogueItem:
    pk: int
    code: str
    display_name: str
    order: int
    section: int
    kind: str
    required: bool
    potential_of_id: int | None
    levels: list[CatalogueLevel] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)

    def label_for(self, value: int | None) -> str:
        """The level's label ("Onbetaald werk"), or the bare number where the scale has none."""
        if value is None:
            return ""
        return self.labels.get(value, str(value))


@dataclass(slots=True)
class CatalogueVersion:
    pk: int
    label: str
    valid_from: date
    display_flag_label: str
    levels_descending: bool
    instrument: CatalogueInstrument | None = None
    items: list[CatalogueItem] = field(default_factory=list)


@dataclass(slots=True)
class CatalogueInstrument:
    pk: int
    code: str
    display_name: str
    section: int
    optional: bool
    chart: str
    order: int
    versions: list[CatalogueVersion] = field(default_factory=list)  # oldest first

    def version_on(self, on: date) -> CatalogueVersion | None:
        valid = [version for version in self.versions if version.valid_from <= on]
        return valid[-1] if valid else None

    @property
    def latest_version(self) -> CatalogueVersion | None:
        return self.versions[-1] if self.versions else None


def load_catalogue() -> list[CatalogueInstrument]:
    """Every instrument with its versions (oldest first), items and levels, with the texts in
    the reader's language (Dutch, or English where the data gives it): four queries."""
    english = (get_language() or "nl").startswith("en")

    def text(dutch: str, other: str) -> str:
        return other if english and other else dutch

    instruments = {
        pk: CatalogueInstrument(pk, code, text(name, name_en), section, optional, chart, order)
        for pk, code, name, name_en, section, optional, chart, order in Instrument.objects.order_by(
            "order", "code"
        ).values_list("id", "code", "name", "name_en", "section", "optional", "chart", "order")
    }
    versions: dict[int, CatalogueVersion] = {}
    for (
        instrument_id,
        pk,
        label,
        valid_from,
        flag,
        flag_en,
        descending,
    ) in InstrumentVersion.objects.order_by("valid_from").values_list(
        "instrument_id",
        "id",
        "label",
        "valid_from",
        "flag_label",
        "flag_label_en",
        "levels_descending",
    ):
        instrument = instruments[instrument_id]
        version = CatalogueVersion(
            pk, label, valid_from, text(flag, flag_en), descending, instrument=instrument
        )
        versions[pk] = version
        instrument.versions.append(version)
    items: dict[int, CatalogueItem] = {}
    for version_id, pk, code, name, name_en, *rest in Item.objects.order_by("order").values_list(
        "version_id",
        "id",
        "code",
        "name",
        "name_en",
        "order",
        "section",
        "kind",
        "required",
        "potential_of_id",
    ):
        item = CatalogueItem(pk, code, text(name, name_en), *rest)
        items[pk] = item
        versions[version_id].items.append(item)
    for item_id, value, label, label_en in ScaleLevel.objects.order_by("value").values_list(
        "item_id", "value", "label", "label_en"
    ):
        level = CatalogueLevel(value, text(label, label_en))
        items[item_id].levels.append(level)
        items[item_id].labels[value] = level.display_label
    return list(instruments.values())


def item_index(instruments: list[CatalogueInstrument]) -> dict[int, CatalogueItem]:
    return {
        item.pk: item
        for instrument in instruments
        for version in instrument.versions
        for item in version.items
    }
