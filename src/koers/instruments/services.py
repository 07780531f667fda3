"""Writes of the instruments app: recording and correcting measurements (with the per-client
summaries in the same transaction), the optional-module switch per municipality, and loading
licensed anchor texts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change, audit_event
from koers.clients.constants import Section
from koers.clients.permissions import ClientAccess
from koers.clients.services import VersionConflict

from .constants import ItemKind
from .models import (
    ClientInstrumentSummary,
    ClientItemSummary,
    Instrument,
    InstrumentSetting,
    InstrumentVersion,
    Item,
    Measurement,
    ScaleLevel,
    Score,
)

__all__ = ["VersionConflict"]


@dataclass(frozen=True)
class ScoreInput:
    value: int | None
    note: str = ""
    flag: bool = False


def sections_of(items: Iterable[Item]) -> Section:
    sections = Section.none()
    for item in items:
        sections |= Section(item.section)
    return sections


def can_record(access: ClientAccess, version: InstrumentVersion, items=None) -> bool:
    """Recording (or correcting) scores every item, so it needs write access to the section of
    every item: a klantmanager without health and justice records the ladder, not the ZRM."""
    items = version.items.all() if items is None else items
    sections = sections_of(items) | Section(version.instrument.section)
    return all(access.can_write(section) for section in sections.members())


def current_version(instrument: Instrument, on: date | None = None) -> InstrumentVersion | None:
    """The version in force on a date: the latest that was valid from then or earlier."""
    on = on or timezone.localdate()
    return instrument.versions.filter(valid_from__lte=on).order_by("-valid_from").first()


def instrument_enabled_for(client, instrument: Instrument) -> bool:
    """An optional module is offered only where the client's municipality switched it on."""
    if not instrument.optional:
        return True
    return InstrumentSetting.objects.filter(
        municipality_id=client.municipality_id, instrument=instrument, enabled=True
    ).exists()


def field_name(prefix: str, item: Item) -> str:
    """The form field of an item's score, note or flag; validation errors use the same names."""
    return f"{prefix}_{item.code}"


def _validate(
    *, version: InstrumentVersion, items: list[Item], measured_on, scores: Mapping[str, ScoreInput]
) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if measured_on is None:
        errors["measured_on"] = [_("Give the date of the measurement.")]
    elif measured_on > today:
        errors["measured_on"] = [_("The date of a measurement cannot be in the future.")]
    elif measured_on < version.valid_from:
        errors["measured_on"] = [
            _("Version %(version)s of this instrument is valid from %(date)s.")
            % {"version": version.label, "date": version.valid_from.strftime("%d-%m-%Y")}
        ]
    unknown = set(scores) - {item.code for item in items}
    if unknown:
        errors.setdefault("__all__", []).append(
            _("Unknown items: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    by_code = {item.code: item for item in items}
    for item in items:
        given = scores.get(item.code)
        value = given.value if given is not None else None
        if value is None:
            if item.required:
                errors[field_name("score", item)] = [
                    _("Score %(item)s: every item of this instrument is required.")
                    % {"item": item.display_name}
                ]
            if given is not None and given.note.strip():
                errors[field_name("note", item)] = [_("A note belongs with a score.")]
            continue
        allowed = {level.value for level in item.levels.all()}
        if value not in allowed:
            errors[field_name("score", item)] = [
                _("%(item)s: choose one of the levels %(low)s to %(high)s.")
                % {"item": item.display_name, "low": min(allowed), "high": max(allowed)}
            ]
        if len(given.note) > Score._meta.get_field("note").max_length:
            errors[field_name("note", item)] = [_("Keep the note short (300 characters at most).")]
    for item in items:
        if item.kind != ItemKind.POTENTIAL or field_name("score", item) in errors:
            continue
        base = next((i for i in items if i.pk == item.potential_of_id), None)
        potential, current = scores.get(item.code), scores.get(base.code) if base else None
        if (
            potential is not None
            and current is not None
            and potential.value is not None
            and current.value is not None
            and potential.value < current.value
        ):
            errors[field_name("score", item)] = [
                _("%(potential)s cannot be lower than the current %(item)s.")
                % {"potential": item.display_name, "item": by_code[base.code].display_name.lower()}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measurement_record(
    request,
    *,
    client,
    access: ClientAccess,
    assessor,
    version: InstrumentVersion,
    measured_on: date | None,
    scores: Mapping[str, ScoreInput],
    form_token: uuid.UUID | None = None,
    corrects: Measurement | None = None,
    correction_reason: str = "",
) -> Measurement:
    """Record a measurement, or a correction of `corrects` (never a change of it), and bring the
    client's summaries up to date in the same transaction. Audited with the sections of the
    instrument's items.

    A second submit of the same form (same `form_token`) returns the first measurement. A
    correction of a measurement that someone else corrected in the meantime raises
    VersionConflict with the correction that replaced it."""
    if form_token is not None:
        existing = Measurement.objects.filter(form_token=form_token, client=client).first()
        if existing is not None:
            return existing
    instrument = version.instrument
    items = list(version.items.prefetch_related("levels").order_by("order"))
    if not can_record(access, version, items):
        raise PermissionDenied
    if corrects is not None:
        if corrects.client_id != client.pk or corrects.instrument_id != instrument.pk:
            raise PermissionDenied
        if not correction_reason.strip():
            raise ValidationError({"correction_reason": _("Say why the measurement is corrected.")})
    elif not instrument_enabled_for(client, instrument):
        raise ValidationError(
            _("%(instrument)s is not switched on in this municipality.")
            % {"instrument": instrument.display_name}
        )
    _validate(version=version, items=items, measured_on=measured_on, scores=scores)

    summary = _locked_summary(client.pk, instrument.pk)
    if corrects is not None:
        # Under the summary's lock: only one correction of a measurement wins.
        replaced = Measurement.objects.filter(pk=corrects.pk, is_current=True).update(
            is_current=False
        )
        if not replaced:
            raise VersionConflict(_current_after(corrects))
    measurement = Measurement(
        client=client,
        instrument=instrument,
        version=version,
        measured_on=measured_on,
        assessor=assessor,
        assessor_name=(assessor.user.get_full_name() or assessor.user.get_username())[:150],
        assessor_organisation=assessor.organisation.name[:200],
        corrects=corrects,
        correction_reason=correction_reason.strip(),
        form_token=form_token,
    )
    # The rows it points at were checked above; full_clean need not fetch them again.
    measurement.full_clean(
        exclude=["client", "assessor", "corrects", "instrument", "version", "form_token"]
    )
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:
        existing = form_token and Measurement.objects.filter(form_token=form_token).first()
        if not existing:
            raise
        return existing
    Score.objects.bulk_create(
        [
            Score(
                measurement=measurement,
                item=item,
                value=scores[item.code].value,
                note=scores[item.code].note.strip(),
                flag=bool(scores[item.code].flag) and bool(version.flag_label),
            )
            for item in items
            if item.code in scores and scores[item.code].value is not None
        ]
    )
    summaries_recompute(client_id=client.pk, instrument_id=instrument.pk, summary=summary)
    detail = f"instruments:measurement:{measurement.pk}"
    if corrects is not None:
        detail += f" corrects {corrects.pk}"
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.UPDATE if corrects is not None else Action.CREATE,
        sections=sections_of(items) | Section(instrument.section),
        detail=detail,
    )
    return measurement


def measurement_correct(
    request,
    *,
    client,
    access: ClientAccess,
    assessor,
    measurement: Measurement,
    measured_on: date | None,
    scores: Mapping[str, ScoreInput],
    reason: str,
    form_token: uuid.UUID | None = None,
) -> Measurement:
    """A correction: a new measurement of the same version that replaces `measurement`, which
    stays readable in the history, marked as corrected (by whom, when and why)."""
    return measurement_record(
        request,
        client=client,
        access=access,
        assessor=assessor,
        version=measurement.version,
        measured_on=measured_on,
        scores=scores,
        form_token=form_token,
        corrects=measurement,
        correction_reason=reason,
    )


def _current_after(measurement: Measurement) -> Measurement:
    """The measurement that now stands in for a corrected one (the end of its correction chain)."""
    current = measurement
    for _step in range(1000):
        following = Measurement.objects.filter(corrects=current).first()
        if following is None:
            break
        current = following
    return current


def _locked_summary(client_id: int, instrument_id: int) -> ClientInstrumentSummary:
    """The client's summary row of the instrument, locked until the transaction ends: two
    recordings for the same client and instrument recompute one after the other, each seeing
    the other's measurement."""
    ClientInstrumentSummary.objects.get_or_create(client_id=client_id, instrument_id=instrument_id)
    return ClientInstrumentSummary.objects.select_for_update().get(
        client_id=client_id, instrument_id=instrument_id
    )


def summaries_recompute(
    *, client_id: int, instrument_id: int, summary: ClientInstrumentSummary | None = None
) -> None:
    """Rewrite the client's summaries of one instrument from its current measurements: first
    and latest (by date, then by recording order) per item and per instrument. A client has a
    handful of measurements per instrument, so recomputing is as cheap as patching and cannot
    drift."""
    if summary is None:
        summary = _locked_summary(client_id, instrument_id)
    measurements = list(
        Measurement.objects.filter(
            client_id=client_id, instrument_id=instrument_id, is_current=True
        )
        .order_by("measured_on", "id")
        .values_list("id", "measured_on")
    )
    position = {pk: index for index, (pk, _on) in enumerate(measurements)}
    dates = dict(measurements)
    rows = sorted(
        Score.objects.filter(measurement_id__in=list(position)).values_list(
            "measurement_id", "item_id", "item__code", "item__section", "value"
        ),
        key=lambda row: position[row[0]],
    )
    per_code: dict[str, ClientItemSummary] = {}
    for measurement_id, item_id, code, section, value in rows:
        row = per_code.get(code)
        if row is None:
            per_code[code] = ClientItemSummary(
                client_id=client_id,
                instrument_id=instrument_id,
                item_code=code,
                item_id=item_id,
                section=section,
                first_value=value,
                first_on=dates[measurement_id],
                first_measurement_id=measurement_id,
                latest_value=value,
                latest_on=dates[measurement_id],
                latest_measurement_id=measurement_id,
                measurement_count=1,
            )
            continue
        row.item_id, row.section = item_id, section
        row.latest_value, row.latest_on = value, dates[measurement_id]
        row.latest_measurement_id = measurement_id
        row.measurement_count += 1
    ClientItemSummary.objects.filter(client_id=client_id, instrument_id=instrument_id).delete()
    ClientItemSummary.objects.bulk_create(per_code.values())
    summary.measurement_count = len(measurements)
    summary.first_on = measurements[0][1] if measurements else None
    summary.latest_on = measurements[-1][1] if measurements else None
    summary.latest_measurement_id = measurements[-1][0] if measurements else None
    summary.save()


# --- The optional module per municipality --------------------------------------------------------


@transaction.atomic
def instrument_setting_set(request, *, municipality, instrument: Instrument, enabled: bool):
    """Switch an optional instrument on or off for a municipality. Switching off stops new
    measurements; recorded ones stay readable."""
    if not instrument.optional:
        raise ValidationError(_("This instrument is always on."))
    setting, _created = InstrumentSetting.objects.select_for_update().get_or_create(
        municipality=municipality, instrument=instrument
    )
    if setting.enabled != enabled:
        setting.enabled = enabled
        setting.save()
        audit_event(
            request,
            action=Action.ADMIN_CHANGE,
            detail=f"instruments:setting:{instrument.code}:{municipality.code} "
            + ("on" if enabled else "off"),
        )
    return setting


# --- Anchor texts for licence holders ----------------------------------------------------------


@transaction.atomic
def anchors_load(rows: Iterable[tuple[str, int, str]], *, instrument_code: str, version_label=None):
    """Load anchor texts (item code, level value, text) into one version of an instrument, all or
    nothing: an unknown item or level refuses the whole file. Returns how many were set."""
    instrument = Instrument.objects.filter(code=instrument_code).first()
    if instrument is None:
        raise ValidationError(_("No such instrument: %(code)s.") % {"code": instrument_code})
    versions = instrument.versions.all()
    if version_label is not None:
        versions = versions.filter(label=version_label)
    version = versions.order_by("-valid_from").first()
    if version is None:
        raise ValidationError(_("No such version of %(code)s.") % {"code": instrument_code})
    levels = {
        (level.item.code, level.value): level
        for level in ScaleLevel.objects.filter(item__version=version).select_related("item")
    }
    problems, changed = [], {}
    for number, (code, value, text) in enumerate(rows, start=1):
        level = levels.get((code, value))
        if level is None:
            problems.append(
                _("Line %(n)s: %(code)s has no level %(value)s.")
                % {"n": number, "code": code, "value": value}
            )
            continue
        level.anchor = text.strip()
        changed[level.pk] = level
    if problems:
        raise ValidationError(problems)
    ScaleLevel.objects.bulk_update(changed.values(), ["anchor"])
    return len(changed)
