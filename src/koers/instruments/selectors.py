"""Reads of the instruments app. Every function gets the reader's ClientAccess (from the access
rule) and returns only what its sections allow: MEASUREMENTS to see measurements at all, and
HEALTH / JUSTICE for the items (and instruments) of those sections."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.clients.constants import Section
from koers.clients.permissions import ClientAccess
from koers.core import sql

from .catalogue import CatalogueInstrument, CatalogueItem, item_index, load_catalogue
from .constants import (
    ALL_ITEM_SECTIONS,
    CHART_MAX_MEASUREMENTS,
    MEASUREMENT_DUE_MONTHS,
    ChartKind,
    ItemKind,
)
from .models import (
    ClientInstrumentSummary,
    ClientItemSummary,
    Instrument,
    InstrumentSetting,
    Measurement,
    ScaleLevel,
    Score,
    _in_language,
)
from .services import can_record

# The instruments the dossier card names by code (their content stays data).
ZRM = "zrm"
LADDER = "participatieladder"


# --- Dates ---------------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def measurement_overdue(latest_on: date | None, today: date | None = None) -> bool:
    """A measurement older than six months is due again (the deadline radar)."""
    today = today or timezone.localdate()
    return latest_on is not None and latest_on < months_before(today, MEASUREMENT_DUE_MONTHS)


# --- What the reader may see -------------------------------------------------------------------


def readable_sections(access: ClientAccess) -> Section:
    """The item sections the reader may see; none at all without MEASUREMENTS (volunteers)."""
    if not access.can_read(Section.MEASUREMENTS):
        return Section.none()
    readable = Section.none()
    for section in ALL_ITEM_SECTIONS.members():
        if access.can_read(section):
            readable |= section
    return readable


def _visible(section: int, readable: Section) -> bool:
    return bool(readable) and Section(section) in readable


def _catalogue(readable: Section) -> list[CatalogueInstrument]:
    """The instruments the reader may see, with their versions, items and levels: 4 queries."""
    return [i for i in load_catalogue() if _visible(i.section, readable)]


def _charted_items(instrument: CatalogueInstrument, readable: Section) -> list[CatalogueItem]:
    """The scored items of the instrument in the order of its latest version (older versions'
    items that the latest dropped come after), one per code, visible ones only."""
    seen: dict[str, CatalogueItem] = {}
    for version in reversed(instrument.versions):
        for item in version.items:
            if item.kind == ItemKind.FACTOR or item.code in seen:
                continue
            if _visible(item.section, readable):
                seen[item.code] = item
    return list(seen.values())


def _enabled_optional(client) -> set[int]:
    return set(
        InstrumentSetting.objects.filter(
            municipality_id=client.municipality_id, enabled=True
        ).values_list("instrument_id", flat=True)
    )


# --- The client's overview ---------------------------------------------------------------------


def client_overview(client, access: ClientAccess) -> dict:
    """Per instrument the reader may see: version in force, first and latest date, how many
    measurements, whether the reader may record one, and (line instruments: the ladder) the
    latest value per item; and the history of measurements, corrected ones marked. A fixed
    number of queries, however many measurements."""
    readable = readable_sections(access)
    instruments = _catalogue(readable)
    items = item_index(instruments)
    enabled = _enabled_optional(client)
    summaries = {s.instrument_id: s for s in ClientInstrumentSummary.objects.filter(client=client)}
    item_summaries: dict[int, list[tuple]] = {}
    for row in ClientItemSummary.objects.filter(client=client).values_list(
        "instrument_id", "item_id", "section", "first_value", "latest_value"
    ):
        item_summaries.setdefault(row[0], []).append(row)
    today = timezone.localdate()
    rows = []
    for instrument in instruments:
        summary = summaries.get(instrument.pk)
        has_data = summary is not None and summary.measurement_count > 0
        offered = not instrument.optional or instrument.pk in enabled
        if not (offered or has_data):
            continue
        version = instrument.version_on(today)
        latest = []
        for _instrument_id, item_id, section, first_value, latest_value in sorted(
            item_summaries.get(instrument.pk, []), key=lambda row: items[row[1]].order
        ):
            item = items[item_id]
            if item.kind == ItemKind.FACTOR or not _visible(section, readable):
                continue
            latest.append(
                {
                    "name": item.display_name,
                    "first": item.label_for(first_value),
                    "first_value": first_value,
                    "latest": item.label_for(latest_value),
                    "latest_value": latest_value,
                }
            )
        rows.append(
            {
                "instrument": instrument,
                "version": version,
                "summary": summary if has_data else None,
                "overdue": has_data and measurement_overdue(summary.latest_on, today),
                "latest": latest if instrument.chart == ChartKind.LINE else [],
                "can_record": bool(
                    offered and version and can_record(access, version, version.items)
                ),
            }
        )
    by_id = {i.pk: i for i in instruments}
    history = list(
        Measurement.objects.filter(client=client, instrument_id__in=list(by_id)).order_by(
            "-measured_on", "-id"
        )
    )
    corrected_by = {m.corrects_id: m for m in history if m.corrects_id}
    for measurement in history:
        measurement.instrument_display = by_id[measurement.instrument_id].display_name
        measurement.corrected_by = corrected_by.get(measurement.pk)
    return {"instruments": rows, "history": history}


# --- One measurement ---------------------------------------------------------------------------


def measurement_for(client, access: ClientAccess, pk) -> Measurement | None:
    """The measurement if it is the client's and the reader may see its instrument."""
    readable = readable_sections(access)
    measurement = (
        Measurement.objects.filter(client=client, pk=pk)
        .select_related("instrument", "version", "corrects")
        .first()
    )
    if measurement is None or not _visible(measurement.instrument.section, readable):
        return None
    return measurement


def measurement_detail(measurement: Measurement, access: ClientAccess) -> dict:
    """The scores the reader may see (with their level labels and notes), the zwaartefactoren,
    the correction trace both ways, and which sections that showed."""
    readable = readable_sections(access)
    instrument = next(i for i in load_catalogue() if i.pk == measurement.instrument_id)
    version = next(v for v in instrument.versions if v.pk == measurement.version_id)
    scores = {score.item_id: score for score in measurement.scores.all()}
    rows, factors, hidden, shown = [], [], 0, Section.none()
    for item in version.items:
        if not _visible(item.section, readable):
            hidden += 1
            continue
        score = scores.get(item.pk)
        row = {
            "item": item,
            "score": score,
            "label": item.label_for(score.value if score else None),
        }
        if score is not None:
            shown |= Section(item.section)
        (factors if item.kind == ItemKind.FACTOR else rows).append(row)
    correction = Measurement.objects.filter(corrects=measurement).first()
    return {
        "rows": rows,
        "factors": factors,
        "hidden_items": hidden,
        "flag_label": version.display_flag_label,
        "correction": correction,
        "sections": shown | Section(measurement.instrument.section),
    }


def current_measurement(measurement: Measurement) -> Measurement:
    """Where a corrected measurement's chain of corrections ends."""
    current = measurement
    while not current.is_current:
        following = Measurement.objects.filter(corrects=current).first()
        if following is None:
            break
        current = following
    return current


# --- Progress ------------------------------------------------------------------------------------


def _format(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _columns(measurements: list[dict]) -> list[dict]:
    """One column per measurement, named by its date (numbered when a date repeats)."""
    counts: dict[date, int] = {}
    columns = []
    for measurement in measurements:
        day = measurement["measured_on"]
        counts[day] = counts.get(day, 0) + 1
        label = _format(day) + (f" ({counts[day]})" if counts[day] > 1 else "")
        columns.append({"label": label, "measurement": measurement})
    return columns


def _cell(item: CatalogueItem, value: int | None, flag: bool) -> dict:
    label = item.label_for(value)
    named = value is not None and label != str(value)
    return {
        "value": value,
        "label": label,
        "flag": flag,
        # What the tables print: "3", or "4 Onbetaald werk" where the level has a name.
        "text": "–" if value is None else (f"{value} {label}" if named else str(value)),
        "short": "–" if value is None else str(value),
    }


def client_progress(client, access: ClientAccess) -> dict:
    """Per instrument the reader may see and that has measurements: the latest measurements as
    a table (and the data of the chart drawn from it), first vs latest per item over all
    measurements, and the sections shown. Seven queries however many measurements; rows are
    read as tuples, not model instances (this page is in the benchmark)."""
    readable = readable_sections(access)
    instruments = _catalogue(readable)
    items_by_pk = item_index(instruments)
    visible_ids = [i.pk for i in instruments]
    # One reverse() for all links to measurements (a page links dozens).
    detail_url = reverse("instruments:detail", args=[client.pk, 0])[: -len("0/")] + "{}/"
    measurements: dict[int, list[dict]] = {}
    for pk, instrument_id, measured_on, assessor_name in (
        Measurement.objects.filter(client=client, instrument_id__in=visible_ids, is_current=True)
        .order_by("measured_on", "id")
        .values_list("id", "instrument_id", "measured_on", "assessor_name")
    ):
        measurements.setdefault(instrument_id, []).append(
            {
                "pk": pk,
                "measured_on": measured_on,
                "assessor_name": assessor_name,
                "url": detail_url.format(pk),
            }
        )
    for instrument_id, rows in measurements.items():
        measurements[instrument_id] = rows[-CHART_MAX_MEASUREMENTS:]
    shown_ids = [m["pk"] for rows in measurements.values() for m in rows]
    # Per measurement, its scores by item code (codes run on across versions); only items of
    # sections the reader may see are read at all.
    scores: dict[int, dict[str, tuple[int, bool]]] = {}
    for measurement_id, item_id, value, flag in (
        Score.objects.filter(
            measurement_id__in=shown_ids,
            item__section__in=[int(section) for section in readable.members()],
        )
        .order_by()
        .values_list("measurement_id", "item_id", "value", "flag")
    ):
        scores.setdefault(measurement_id, {})[items_by_pk[item_id].code] = (value, flag)
    firsts_and_lasts: dict[int, dict[str, tuple]] = {}
    for instrument_id, code, *row in ClientItemSummary.objects.filter(
        client=client, instrument_id__in=visible_ids
    ).values_list(
        "instrument_id",
        "item_code",
        "first_value",
        "first_on",
        "latest_value",
        "latest_on",
        "measurement_count",
    ):
        firsts_and_lasts.setdefault(instrument_id, {})[code] = tuple(row)
    sections = Section.none()
    result = []
    for instrument in instruments:
        rows = measurements.get(instrument.pk)
        if not rows:
            continue
        items = _charted_items(instrument, readable)
        columns = _columns(rows)
        table = []
        for item in items:
            cells = []
            for column in columns:
                value, flag = scores.get(column["measurement"]["pk"], {}).get(
                    item.code, (None, False)
                )
                cells.append(_cell(item, value, flag))
                if value is not None:
                    sections |= Section(item.section)
            table.append({"item": item, "cells": cells})
        first_latest = []
        summaries = firsts_and_lasts.get(instrument.pk, {})
        for item in items:
            if item.code not in summaries:
                continue
            first_value, first_on, latest_value, latest_on, count = summaries[item.code]
            change = latest_value - first_value
            first_latest.append(
                {
                    "item": item,
                    "first": _cell(item, first_value, False)["text"],
                    "first_on": first_on,
                    "latest": _cell(item, latest_value, False)["text"],
                    "latest_on": latest_on,
                    "change": "–" if count < 2 else (f"+{change}" if change > 0 else str(change)),
                    "same": count > 1 and change == 0,
                }
            )
        levels = [level.value for item in items for level in item.levels] or [0, 1]
        scale = {"min": min(levels), "max": max(levels)}
        result.append(
            {
                "instrument": instrument,
                "columns": columns,
                "table": table,
                # The same cells a row per measurement (the ladder's history table).
                "by_measurement": [
                    {"column": column, "cells": [line["cells"][index] for line in table]}
                    for index, column in enumerate(columns)
                ],
                "first_latest": first_latest,
                "flag_label": instrument.latest_version.display_flag_label,
                "chart_data": _chart_data(instrument, items, columns, table, scale),
            }
        )
    return {"instruments": result, "sections": sections | _instrument_sections(result)}


def _instrument_sections(rows: list[dict]) -> Section:
    sections = Section.none()
    for row in rows:
        sections |= Section(row["instrument"].section)
    return sections


def _chart_data(instrument, items, columns, table, scale) -> dict:
    """Everything the chart draws, as plain JSON-able data: also its cache key (charts.py)."""
    column_data = [{"label": column["label"]} for column in columns]
    if instrument.chart == ChartKind.LINE:
        first = items[0] if items else None
        return {
            "kind": ChartKind.LINE.value,
            "columns": column_data,
            "scale": scale,
            "series": [item.display_name for item in items],
            "level_labels": {str(level.value): level.display_label for level in first.levels}
            if first
            else {},
            "points": [
                {
                    "column": column["label"],
                    "series": row["item"].display_name,
                    "value": cell["value"],
                }
                for row in table
                for column, cell in zip(columns, row["cells"], strict=True)
                if cell["value"] is not None
            ],
        }
    return {
        "kind": ChartKind.MATRIX.value,
        "columns": column_data,
        "rows": [{"name": row["item"].display_name} for row in table],
        "scale": scale,
        "cells": [
            {
                "column": column["label"],
                "item": row["item"].display_name,
                "value": cell["value"],
                "shown": str(cell["value"]) + ("*" if cell["flag"] else ""),
            }
            for row in table
            for column, cell in zip(columns, row["cells"], strict=True)
            if cell["value"] is not None
        ],
    }


def chart_label(instrument, data: dict) -> str:
    """The chart's accessible name: what it shows and where the same data is as text."""
    count = len(data["columns"])
    if data["kind"] == ChartKind.LINE:
        what = _("%(instrument)s over time: %(series)s at %(count)s measurements.") % {
            "instrument": instrument.display_name,
            "series": ", ".join(data["series"]).lower(),
            "count": count,
        }
    else:
        what = _("%(instrument)s: score per item at %(count)s measurements.") % {
            "instrument": instrument.display_name,
            "count": count,
        }
    return what + " " + _("The table below gives the same data.")


# --- For other apps: the dossier card and the deadline radar --------------------------------------


def dossier_summary(membership, client, access: ClientAccess) -> dict | None:
    """What the dossier's measurements card shows, or None when the reader may not see
    measurements (volunteers, team leaders). Three queries at most. The caller audits
    Section.MEASUREMENTS for the client when it shows the card."""
    readable = readable_sections(access)
    if not readable:
        return None
    today = timezone.localdate()
    summaries = [
        s
        for s in ClientInstrumentSummary.objects.filter(
            client=client, measurement_count__gt=0
        ).select_related("instrument")
        if _visible(s.instrument.section, readable)
    ]
    by_code = {s.instrument.code: s for s in summaries}
    ladder = None
    if LADDER in by_code:
        rows = list(
            ClientItemSummary.objects.filter(
                client=client, instrument=by_code[LADDER].instrument
            ).values_list("item__kind", "item_id", "latest_value", "latest_on")
        )
        labels = {
            (item_id, value): _in_language(label, label_en)
            for item_id, value, label, label_en in ScaleLevel.objects.filter(
                item_id__in=[row[1] for row in rows]
            ).values_list("item_id", "value", "label", "label_en")
        }
        latest = {
            kind: (value, labels.get((item_id, value), str(value)), on)
            for kind, item_id, value, on in rows
        }
        rung, potential = latest.get(ItemKind.SCORE), latest.get(ItemKind.POTENTIAL)
        if rung is not None:
            ladder = {
                "rung": rung[0],
                "rung_label": rung[1],
                "potential": potential[0] if potential else None,
                "potential_label": potential[1] if potential else "",
                "measured_on": rung[2],
            }
    # The radar's rule looks at the instruments of the measurements section (ZRM, ladder).
    regular = [s.latest_on for s in summaries if s.instrument.section == Section.MEASUREMENTS]
    latest_on = max(regular) if regular else None
    return {
        "ladder": ladder,
        "latest_zrm_on": by_code[ZRM].latest_on if ZRM in by_code else None,
        "latest_on": latest_on,
        "never_measured": latest_on is None,
        "overdue": measurement_overdue(latest_on, today),
        "instruments": [
            {
                "name": s.instrument.display_name,
                "latest_on": s.latest_on,
                "count": s.measurement_count,
            }
            for s in sorted(summaries, key=lambda s: s.instrument.order)
        ],
        "url": reverse("instruments:client", args=[client.pk]),
        "progress_url": reverse("instruments:progress", args=[client.pk]),
    }


def latest_measurement_dates(
    client_ids: Iterable[int], *, instrument_codes: Iterable[str] | None = None
) -> dict[int, date]:
    """Per client, the date of the latest current measurement, in one query: by default of the
    instruments in the measurements section (ZRM and ladder; not the health module), as the
    radar's "measurement older than 6 months" needs. Clients never measured are absent. The
    caller passes only clients whose MEASUREMENTS section the reader may see."""
    ids = list(client_ids)
    if not ids:
        return {}
    if instrument_codes is None:
        which, values = "i.section = %s", [int(Section.MEASUREMENTS)]
    else:
        values = list(instrument_codes)
        if not values:
            return {}
        which = f"i.code IN ({sql.placeholders(values)})"
    clients, client_params = sql.ids_in("s.client_id", ids)
    query = f"""
        SELECT s.client_id, MAX(s.latest_on)
        FROM {sql.table(ClientInstrumentSummary)} s
        JOIN {sql.table(Instrument)} i ON i.id = s.instrument_id
        WHERE {clients} AND s.latest_on IS NOT NULL AND {which}
        GROUP BY s.client_id
    """  # noqa: S608 - table names from the models, every value a parameter
    rows = sql.fetch(query, [*client_params, *values])
    return {client_id: sql.as_date(latest) for client_id, latest in rows}


def instrument_settings(municipalities) -> list[dict]:
    """For the functional administrator: per municipality, each optional instrument on or off."""
    optional = list(Instrument.objects.filter(optional=True).order_by("order"))
    municipalities = list(municipalities)
    enabled = set(
        InstrumentSetting.objects.filter(
            municipality__in=municipalities, instrument__in=optional, enabled=True
        ).values_list("municipality_id", "instrument_id")
    )
    return [
        {
            "municipality": municipality,
            "instruments": [
                {"instrument": instrument, "enabled": (municipality.pk, instrument.pk) in enabled}
                for instrument in optional
            ],
        }
        for municipality in municipalities
    ]
