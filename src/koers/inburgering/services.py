"""Writes of the inburgering trajectory (the INBURGERING section).

Every function checks the section is writable, validates everything before it writes, writes
all or nothing, and records its audit row in the same transaction. Editable rows carry a
`version`: a save over someone else's change raises VersionConflict (nothing written), unless
what was submitted is what is stored already (a double submit). Rows that are only ever added
carry a form token: the same form submitted twice adds one row.

The rules of the Wet inburgering 2021 and DUO's specs (duo-m2m/) are checked here, each with a
test named after it; single-row rules are database constraints as well (models.py).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change
from koers.clients.constants import Section, TargetGroup
from koers.clients.services import VersionConflict
from koers.profiles.constants import LanguageSkill, LevelSource
from koers.profiles.services import language_level_record

from .constants import (
    EXEMPTION_REASONS_BY_KIND,
    LANGUAGE_EXAM_PARTS,
    LITERACY_EXTENSION_MAX_YEARS,
    MAP_MIN_PRACTICAL_HOURS,
    MAP_THEME_FIELDS,
    PVT_MIN_HOURS,
    DutyStatus,
    EnforcementKind,
    ExamPart,
    ExamResultKind,
    ExemptionKind,
    ExtensionReason,
    LearningRoute,
    Outcome,
    ReleaseKind,
)
from .models import (
    Course,
    CourseMonth,
    EnforcementStep,
    ExamResult,
    Exemption,
    InburgeringDuty,
    LabourMarketModule,
    Ontzorgen,
    ParticipationStatement,
    ProgressMeeting,
    Release,
    TermExtension,
)
from .selectors import add_years, has_warning, month_start, route_of_client, term_end

__all__ = ["VersionConflict"]

# The fields each editable part's form changes (and the conflict page compares).
DUTY_FIELDS = ["status", "duty_start_on", "start_signal_on", "municipality_registered_on"]
TERM_FIELDS = ["term_starts_on", "term_ends_on"]
COURSE_FIELDS = [
    "provider_name",
    "provider_number",
    "provider_bow",
    "course_type",
    "literacy",
    "starts_on",
    "ends_on",
    "hours_bought",
]
MONTH_FIELDS = [
    "hours_attended",
    "hours_remote",
    "hours_participation",
    "hours_absent",
    "absence_reason",
]
PVT_FIELDS = ["provider", "hours", "activities", "signed_on", "blameworthy"]
MAP_FIELDS = ["placement", "practical_hours", *MAP_THEME_FIELDS, "final_meeting_on"]
ONTZORGEN_FIELDS = [
    "starts_on",
    "ends_on",
    "pays_rent",
    "pays_energy_water",
    "pays_health_insurance",
    "pays_other",
    "other_description",
    "financial_training",
]

# Asylum permit holders in the Wi2021 sense (DUO's doelgroep Asielstatushouder): nareizigers too.
ASYLUM_TARGET_GROUPS = {TargetGroup.ASIEL, TargetGroup.NAREIZIGER}

# The profile skill each language exam part is a level of.
EXAM_PART_SKILL = {
    ExamPart.READING: LanguageSkill.READING,
    ExamPart.LISTENING: LanguageSkill.LISTENING,
    ExamPart.WRITING: LanguageSkill.WRITING,
    ExamPart.SPEAKING: LanguageSkill.SPEAKING,
}


class MonthConflict(Exception):
    """Someone else saved hours of this month in between: nothing was written. `rows` are the
    stored rows of the courses concerned, as they are now."""

    def __init__(self, rows: list[CourseMonth]):
        super().__init__("month conflict")
        self.rows = rows


# --- helpers -------------------------------------------------------------------------------------


def _require_write(access) -> None:
    if not access.can_write(Section.INBURGERING):
        raise PermissionDenied


def _audit(request, *, client, access, action: str, detail: str) -> None:
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=action,
        sections=Section.INBURGERING,
        detail=f"inburgering:{detail}"[:200],
    )


def _today() -> date:
    return timezone.localdate()


def _not_in_future(errors: dict, name: str, value: date | None, message: str) -> None:
    if value is not None and value > _today():
        errors.setdefault(name, []).append(message)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _validate(instance: models.Model, exclude=("client", "course")) -> None:
    instance.full_clean(exclude=[name for name in exclude if hasattr(instance, name + "_id")])


def _touched(model: type[models.Model]) -> dict:
    """A queryset update skips auto_now: set `updated_at` where the model has one."""
    names = {field.name for field in model._meta.concrete_fields}
    return {"updated_at": timezone.now()} if "updated_at" in names else {}


def _unchanged(current: models.Model, changes: dict) -> bool:
    return all(getattr(current, name) == value for name, value in changes.items())


def _save_versioned(
    model: type[models.Model],
    *,
    current: models.Model | None,
    new: models.Model,
    changes: dict,
    version: int,
    validate,
    lookup: dict | None = None,
) -> tuple[models.Model, bool]:
    """Create `new` (when there is no row yet: version 0) or update `current` with `changes` only
    if it still has `version`. Returns (row, created). A stale version raises VersionConflict
    with the row as it is now, unless the row already holds exactly these values. `lookup`
    finds the row another request created in between (default: the client's one row)."""
    if current is None:
        if version != 0:
            raise VersionConflict(new)  # the row was removed in between (cascade)
        for name, value in changes.items():
            setattr(new, name, value)
        validate(new)
        try:
            with transaction.atomic():
                new.save()
        except IntegrityError:
            now = model.objects.filter(**(lookup or {"client_id": new.client_id})).first()
            if now is None:
                raise
            if _unchanged(now, changes):
                return now, False
            raise VersionConflict(now) from None
        return new, True
    if current.version != version:
        if _unchanged(current, changes):
            return current, False
        raise VersionConflict(current)
    for name, value in changes.items():
        setattr(current, name, value)
    validate(current)
    updated = model.objects.filter(pk=current.pk, version=version).update(
        **changes, **_touched(model), version=F("version") + 1
    )
    if not updated:
        now = model.objects.get(pk=current.pk)
        if _unchanged(now, changes):
            return now, False
        raise VersionConflict(now)
    current.version = version + 1
    return current, False


def _locked_duty(client) -> InburgeringDuty:
    """The client's duty row, locked for the rest of the transaction (created when missing)."""
    duty = InburgeringDuty.objects.select_for_update().filter(client=client).first()
    if duty is None:
        try:
            with transaction.atomic():
                duty = InburgeringDuty.objects.create(client=client)
        except IntegrityError:
            duty = InburgeringDuty.objects.select_for_update().get(client=client)
    return duty


def _bump_duty(duty: InburgeringDuty, **changes) -> None:
    InburgeringDuty.objects.filter(pk=duty.pk).update(
        **changes, **_touched(InburgeringDuty), version=F("version") + 1
    )
    for name, value in changes.items():
        setattr(duty, name, value)
    duty.version += 1


def _by_token(model: type[models.Model], form_token: uuid.UUID | None):
    if form_token is None:
        return None
    return model.objects.filter(form_token=form_token).first()


def _create_once(model, instance: models.Model, form_token: uuid.UUID | None):
    """Save a new row carrying its form token; a concurrent double submit returns the first."""
    instance.form_token = form_token
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        existing = _by_token(model, form_token)
        if existing is None:
            raise
        return existing, False
    return instance, True


def _create_audited(
    request,
    *,
    client,
    access,
    row: models.Model,
    form_token,
    detail: str,
    duty: InburgeringDuty | None = None,
    duty_changes: dict | None = None,
):
    """Add `row` once per form token (`_create_once`). When this call added it: what it
    changes on the client's locked `duty` (`duty_changes`), and its audit row."""
    row, created = _create_once(type(row), row, form_token)
    if created:
        if duty_changes:
            _bump_duty(duty, **duty_changes)
        _audit(
            request, client=client, access=access, action=Action.CREATE, detail=f"{detail}:{row.pk}"
        )
    return row


def _save_part(request, *, model, client, access, changes: dict, version: int, validate, detail):
    """Save the client's one row of a part (the duty, the PVT, the MAP): created when the form
    saw none (version 0), otherwise changed over `version`; audited as a create or an update."""
    row, created = _save_versioned(
        model,
        current=model.objects.filter(client=client).first(),
        new=model(client=client),
        changes=changes,
        version=version,
        validate=validate,
    )
    _audit(
        request,
        client=client,
        access=access,
        action=Action.CREATE if created else Action.UPDATE,
        detail=detail,
    )
    return row


def _save_row(
    request, *, model, client, access, row, changes, version, form_token, validate, detail
):
    """Add a row of the client (`row` None; the form token makes a double submit add one) or
    change `row` (versioned). Audited as "<detail>:<pk>"."""
    if row is None:
        existing = _by_token(model, form_token)
        if existing is not None:
            return existing
        row = model(client=client, **changes)
        validate(row)
        return _create_audited(
            request, client=client, access=access, row=row, form_token=form_token, detail=detail
        )
    if row.client_id != client.pk:
        raise PermissionDenied
    row, _created = _save_versioned(
        model,
        current=model.objects.get(pk=row.pk),
        new=row,
        changes=changes,
        version=version,
        validate=validate,
    )
    _audit(request, client=client, access=access, action=Action.UPDATE, detail=f"{detail}:{row.pk}")
    return row


# --- the duty and the term -----------------------------------------------------------------------


def _check_duty(duty: InburgeringDuty) -> None:
    errors: dict = {}
    for name in ("start_signal_on", "municipality_registered_on", "term_starts_on"):
        _not_in_future(errors, name, getattr(duty, name), _("This date cannot be in the future."))
    if duty.term_starts_on and duty.term_ends_on and duty.term_ends_on <= duty.term_starts_on:
        errors.setdefault("term_ends_on", []).append(_("The term must end after it starts."))
    _raise(errors)
    _validate(duty)


@transaction.atomic
def duty_update(request, *, client, access, changes: dict, version: int) -> InburgeringDuty:
    """Change the duty (status, dates) or the term as DUO recorded it: the fields in DUTY_FIELDS
    and TERM_FIELDS. Version 0 means the form saw no duty row yet."""
    _require_write(access)
    if set(changes) - set(DUTY_FIELDS) - set(TERM_FIELDS):
        raise ValueError("not a duty field")
    return _save_part(
        request,
        model=InburgeringDuty,
        client=client,
        access=access,
        changes=changes,
        version=version,
        validate=_check_duty,
        detail="duty:" + ",".join(sorted(changes)),
    )


@transaction.atomic
def term_extension_record(
    request,
    *,
    client,
    access,
    reason: str,
    decided_on: date,
    new_end_on: date,
    note: str = "",
    form_token: uuid.UUID | None = None,
) -> TermExtension:
    """An extension of the term as DUO decided it: the term now ends on `new_end_on`.

    Rules: the new end lies after the current end (DUO's, or the provisional one); a literacy
    course extends the term by at most two years; "not blameworthy" (the course did not start in
    time) is for asylum permit holders only."""
    _require_write(access)
    existing = _by_token(TermExtension, form_token)
    if existing is not None:
        return existing
    duty = _locked_duty(client)
    previous = term_end(duty).ends_on
    errors: dict = {}
    _not_in_future(errors, "decided_on", decided_on, _("This date cannot be in the future."))
    if previous and new_end_on <= previous:
        errors.setdefault("new_end_on", []).append(
            _("The new end must be after the current end of the term (%(date)s).")
            % {"date": previous.strftime("%d-%m-%Y")}
        )
    if duty.term_starts_on and new_end_on <= duty.term_starts_on:
        errors.setdefault("new_end_on", []).append(_("The term must end after it starts."))
    if reason == ExtensionReason.LITERACY and previous:
        first = (
            TermExtension.objects.filter(client=client, reason=ExtensionReason.LITERACY)
            .exclude(previous_end_on=None)
            .order_by("decided_on", "id")
            .values_list("previous_end_on", flat=True)
            .first()
        )
        limit = add_years(first or previous, LITERACY_EXTENSION_MAX_YEARS)
        if new_end_on > limit:
            errors.setdefault("new_end_on", []).append(
                _("A literacy course extends the term by at most two years (until %(date)s).")
                % {"date": limit.strftime("%d-%m-%Y")}
            )
    if reason == ExtensionReason.NOT_BLAMEWORTHY and client.target_group not in (
        ASYLUM_TARGET_GROUPS
    ):
        errors.setdefault("reason", []).append(
            _(
                "An extension because the course did not start in time (not blameworthy) is "
                "for asylum permit holders only."
            )
        )
    _raise(errors)
    extension = TermExtension(
        client=client,
        reason=reason,
        decided_on=decided_on,
        new_end_on=new_end_on,
        previous_end_on=previous,
        note=note,
    )
    _validate(extension)
    return _create_audited(
        request,
        client=client,
        access=access,
        row=extension,
        form_token=form_token,
        detail="extension",
        duty=duty,
        duty_changes={"term_ends_on": new_end_on},
    )


# --- vrijstelling and ontheffing ------------------------------------------------------------------


@transaction.atomic
def exemption_record(
    request,
    *,
    client,
    access,
    kind: str,
    outcome: str,
    decided_on: date,
    reason: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    form_token: uuid.UUID | None = None,
) -> Exemption:
    """A vrijstelling as DUO decided it. A granted full exemption sets the duty to exempt; a
    granted temporary one to temporarily exempt (unless its period is already over)."""
    _require_write(access)
    existing = _by_token(Exemption, form_token)
    if existing is not None:
        return existing
    errors: dict = {}
    _not_in_future(errors, "decided_on", decided_on, _("This date cannot be in the future."))
    if reason not in EXEMPTION_REASONS_BY_KIND[ExemptionKind(kind)]:
        errors.setdefault("reason", []).append(
            _("This reason does not belong to this kind of exemption.")
        )
    if kind != ExemptionKind.TEMPORARY and (starts_on or ends_on):
        errors.setdefault("ends_on", []).append(_("Only a temporary exemption has a period."))
    if starts_on and ends_on and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("The end cannot be before the start."))
    _raise(errors)
    exemption = Exemption(
        client=client,
        kind=kind,
        outcome=outcome,
        decided_on=decided_on,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _validate(exemption)
    status = None
    if outcome == Outcome.GRANTED:
        if kind == ExemptionKind.FULL:
            status = DutyStatus.EXEMPT
        elif ends_on is None or ends_on >= _today():
            status = DutyStatus.TEMPORARY_EXEMPT
    return _create_audited(
        request,
        client=client,
        access=access,
        row=exemption,
        form_token=form_token,
        detail="exemption",
        duty=_locked_duty(client),
        duty_changes={"status": status} if status else None,
    )


@transaction.atomic
def release_record(
    request,
    *,
    client,
    access,
    kind: str,
    outcome: str,
    decided_on: date,
    ground: str,
    exam_part: str = "",
    participation_hours_capacity: int | None = None,
    form_token: uuid.UUID | None = None,
) -> Release:
    """An ontheffing as DUO decided it. A granted full release sets the duty to released; a
    partial one releases one exam part and leaves the duty as it is."""
    _require_write(access)
    existing = _by_token(Release, form_token)
    if existing is not None:
        return existing
    errors: dict = {}
    _not_in_future(errors, "decided_on", decided_on, _("This date cannot be in the future."))
    if kind == ReleaseKind.FULL and exam_part:
        errors.setdefault("exam_part", []).append(_("Only a partial release names an exam part."))
    if kind == ReleaseKind.PARTIAL and not exam_part and participation_hours_capacity is None:
        errors.setdefault("exam_part", []).append(
            _("Name the exam part (or the participation hours for the Z-route) released.")
        )
    if kind == ReleaseKind.FULL and participation_hours_capacity is not None:
        errors.setdefault("participation_hours_capacity", []).append(
            _("Only a partial release limits the participation hours.")
        )
    _raise(errors)
    release = Release(
        client=client,
        kind=kind,
        outcome=outcome,
        decided_on=decided_on,
        ground=ground,
        exam_part=exam_part,
        participation_hours_capacity=participation_hours_capacity,
    )
    _validate(release)
    return _create_audited(
        request,
        client=client,
        access=access,
        row=release,
        form_token=form_token,
        detail="release",
        duty=_locked_duty(client),
        duty_changes=(
            {"status": DutyStatus.RELEASED}
            if outcome == Outcome.GRANTED and kind == ReleaseKind.FULL
            else None
        ),
    )


# --- the course and its hours ------------------------------------------------------------------


def _check_course(course: Course) -> None:
    errors: dict = {}
    if course.ends_on and course.starts_on and course.ends_on < course.starts_on:
        errors["ends_on"] = [_("The course cannot end before it starts.")]
    if course.provider_number and len(course.provider_number) != 10:
        errors["provider_number"] = [_("DUO's institution number has ten characters.")]
    if (
        course.pk
        and course.course_type != LearningRoute.Z
        and CourseMonth.objects.filter(course=course, hours_participation__gt=0).exists()
    ):
        errors["course_type"] = [
            _("Participation hours are logged for this course: it stays a Z-route course.")
        ]
    if course.pk and course.starts_on:
        outside = CourseMonth.objects.filter(course=course, month__lt=month_start(course.starts_on))
        if course.ends_on:
            outside = outside | CourseMonth.objects.filter(
                course=course, month__gt=month_start(course.ends_on)
            )
        if outside.exists():
            errors.setdefault("starts_on", []).append(
                _("Hours are logged for months outside these dates.")
            )
    _raise(errors)
    _validate(course)


@transaction.atomic
def course_save(
    request,
    *,
    client,
    access,
    course: Course | None,
    values: dict,
    version: int | None = None,
    form_token: uuid.UUID | None = None,
) -> Course:
    """Add a course (form token: a double submit adds one) or change one (versioned)."""
    _require_write(access)
    return _save_row(
        request,
        model=Course,
        client=client,
        access=access,
        row=course,
        changes={name: values[name] for name in COURSE_FIELDS if name in values},
        version=version,
        form_token=form_token,
        validate=_check_course,
        detail="course",
    )


def courses_in_month(client, month: date) -> list[Course]:
    """The client's courses that run in (part of) this month."""
    return [
        course
        for course in Course.objects.filter(client=client).order_by("starts_on", "id")
        if month_start(course.starts_on) <= month
        and (course.ends_on is None or month <= month_start(course.ends_on))
    ]


def _check_month_entry(course: Course, month: date, values: dict) -> dict:
    errors: dict = {}
    if values.get("hours_participation") and course.course_type != LearningRoute.Z:
        errors["hours_participation"] = [
            _("Participation hours are logged for a Z-route course only.")
        ]
    if values.get("hours_remote", 0) > values.get("hours_attended", 0):
        errors["hours_remote"] = [_("Remote hours are part of the hours attended.")]
    if values.get("hours_absent") and not values.get("absence_reason"):
        errors["absence_reason"] = [_("Give the reason for the absence.")]
    if not values.get("hours_absent") and values.get("absence_reason"):
        errors["absence_reason"] = [_("A reason goes with hours absent only.")]
    if month < month_start(course.starts_on) or (
        course.ends_on and month > month_start(course.ends_on)
    ):
        errors["hours_attended"] = [_("The course does not run in this month.")]
    return errors


def _month_key(course_pk: int, name: str) -> str:
    return f"course-{course_pk}-{name}"


@transaction.atomic
def course_month_save(request, *, client, access, month: date, entries: list[dict]) -> int:
    """Save one month's hours for the client's courses, all or nothing: one row per course per
    month. Each entry: course, version (0 when the form saw no row yet) and the MONTH_FIELDS.
    An entry of only zeros for a course without a row adds nothing. Returns the rows written.

    Rules: no hours for a month that has not begun; hours only within the course's dates;
    participation hours on a Z-route course only; remote hours part of the hours attended;
    absence with a reason. Errors are keyed "course-<pk>-<field>"."""
    _require_write(access)
    month = month_start(month)
    if month > month_start(_today()):
        raise ValidationError(_("Hours can be logged for a month that has begun only."))
    errors: dict = {}
    for entry in entries:
        course = entry["course"]
        if course.client_id != client.pk:
            raise PermissionDenied
        for name, messages in _check_month_entry(course, month, entry).items():
            errors[_month_key(course.pk, name)] = messages
    _raise(errors)
    stored = {
        row.course_id: row
        for row in CourseMonth.objects.select_for_update().filter(
            course__in=[entry["course"] for entry in entries], month=month
        )
    }
    conflicts, written = [], 0
    for entry in entries:
        course = entry["course"]
        changes = {name: entry[name] for name in MONTH_FIELDS}
        current = stored.get(course.pk)
        if current is None and not any(changes[name] for name in MONTH_FIELDS):
            if entry["version"]:
                conflicts.append(course.pk)  # the row the form saw is gone
            continue
        try:
            _row, _created = _save_versioned(
                CourseMonth,
                current=current,
                new=CourseMonth(course=course, month=month),
                changes=changes,
                version=entry["version"],
                validate=_validate,
                lookup={"course": course, "month": month},
            )
        except VersionConflict:
            conflicts.append(course.pk)
        else:
            written += 1
    if conflicts:  # raising rolls back what this month's other rows wrote
        raise MonthConflict(
            list(
                CourseMonth.objects.filter(course_id__in=conflicts, month=month).select_related(
                    "course"
                )
            )
        )
    if written:
        _audit(
            request,
            client=client,
            access=access,
            action=Action.UPDATE,
            detail=f"hours:{month:%Y-%m}",
        )
    return written


@transaction.atomic
def progress_meeting_record(
    request,
    *,
    client,
    access,
    held_on: date,
    summary: str,
    course: Course | None = None,
    form_token: uuid.UUID | None = None,
) -> ProgressMeeting:
    _require_write(access)
    existing = _by_token(ProgressMeeting, form_token)
    if existing is not None:
        return existing
    if course is not None and course.client_id != client.pk:
        raise PermissionDenied
    errors: dict = {}
    _not_in_future(errors, "held_on", held_on, _("Record a meeting once it has taken place."))
    _raise(errors)
    meeting = ProgressMeeting(client=client, course=course, held_on=held_on, summary=summary)
    _validate(meeting)
    return _create_audited(
        request, client=client, access=access, row=meeting, form_token=form_token, detail="meeting"
    )


# --- PVT and MAP ------------------------------------------------------------------------------


def _pvt_validator(client):
    def check(pvt: ParticipationStatement) -> None:
        errors: dict = {}
        _not_in_future(errors, "signed_on", pvt.signed_on, _("This date cannot be in the future."))
        if pvt.signed_on and pvt.hours < PVT_MIN_HOURS:
            errors["hours"] = [_("The PVT takes at least 12 hours, signing included.")]
        end = term_end(InburgeringDuty.objects.filter(client=client).first()).ends_on
        after_term = bool(pvt.signed_on and end and pvt.signed_on >= end)
        if after_term and pvt.blameworthy is None:
            errors["blameworthy"] = [
                _("Signed after the end of the term: say whether that is blameworthy.")
            ]
        if not after_term and pvt.blameworthy is not None:
            errors["blameworthy"] = [
                _("Blameworthy is recorded only when the PVT is signed after the end of the term.")
            ]
        _raise(errors)
        _validate(pvt)

    return check


@transaction.atomic
def pvt_save(request, *, client, access, changes: dict, version: int) -> ParticipationStatement:
    """The PVT: hours, activities, the signing date (at least 12 hours first) and "verwijtbaar",
    which DUO wants only for a PVT signed after the end of the term."""
    _require_write(access)
    return _save_part(
        request,
        model=ParticipationStatement,
        client=client,
        access=access,
        changes={name: changes[name] for name in PVT_FIELDS if name in changes},
        version=version,
        validate=_pvt_validator(client),
        detail="pvt",
    )


def _map_validator(client):
    def check(module: LabourMarketModule) -> None:
        if route_of_client(client.pk) == LearningRoute.EDUCATION:
            raise ValidationError(
                _(
                    "The MAP belongs to the B1 route and the Z-route; the onderwijsroute has "
                    "study and career guidance instead."
                )
            )
        errors: dict = {}
        _not_in_future(
            errors,
            "final_meeting_on",
            module.final_meeting_on,
            _("This date cannot be in the future."),
        )
        if module.final_meeting_on and (
            module.practical_hours < MAP_MIN_PRACTICAL_HOURS
            or not all(getattr(module, name) for name in MAP_THEME_FIELDS)
        ):
            errors.setdefault("final_meeting_on", []).append(
                _(
                    "The final meeting closes the MAP: first 40 hours practical part and all "
                    "eight themes."
                )
            )
        _raise(errors)
        _validate(module)

    return check


@transaction.atomic
def map_save(request, *, client, access, changes: dict, version: int) -> LabourMarketModule:
    """The MAP (B1 and Z routes only): practical hours, the eight themes, the final meeting."""
    _require_write(access)
    return _save_part(
        request,
        model=LabourMarketModule,
        client=client,
        access=access,
        changes={name: changes[name] for name in MAP_FIELDS if name in changes},
        version=version,
        validate=_map_validator(client),
        detail="map",
    )


# --- exams ---------------------------------------------------------------------------------------


@transaction.atomic
def exam_result_record(
    request,
    *,
    client,
    access,
    recorded_by,
    part: str,
    result: str,
    exam_on: date,
    level: str = "",
    no_result_reason: str = "",
) -> ExamResult:
    """One exam part's result as DUO reports it. A passed language part (reading, listening,
    writing, speaking) is added to the profile's language levels with source "exam", through the
    profile's own service, in the same transaction; so it needs the profile to be writable too.
    The same result submitted twice is recorded once."""
    _require_write(access)
    errors: dict = {}
    _not_in_future(errors, "exam_on", exam_on, _("This date cannot be in the future."))
    if part == ExamPart.KNM and level:
        errors["level"] = [_("The KNM exam has no language level.")]
    if part in LANGUAGE_EXAM_PARTS and not level:
        errors["level"] = [_("Give the level of this language exam.")]
    if result == ExamResultKind.NONE and not no_result_reason:
        errors["no_result_reason"] = [_("Give the reason there is no result.")]
    if result != ExamResultKind.NONE and no_result_reason:
        errors["no_result_reason"] = [_("A reason is given only when there is no result.")]
    feeds_profile = result == ExamResultKind.PASSED and part in LANGUAGE_EXAM_PARTS
    if feeds_profile and not access.can_write(Section.PROFILE):
        errors.setdefault("result", []).append(
            _(
                "A passed language exam also becomes a language level in the profile, which you "
                "may not change. Ask the regisseur to record it."
            )
        )
    _raise(errors)
    values = {"level": level, "result": result, "no_result_reason": no_result_reason}
    same_day = ExamResult.objects.filter(client=client, part=part, exam_on=exam_on).first()
    if same_day is not None:
        if _unchanged(same_day, values):
            return same_day
        raise ValidationError(
            {"exam_on": _("A result for this exam part on this date is already recorded.")}
        )
    exam = ExamResult(client=client, part=part, exam_on=exam_on, **values)
    _validate(exam)
    try:
        with transaction.atomic():
            exam.save()
    except IntegrityError:  # the same result recorded at the same moment
        now = ExamResult.objects.get(client=client, part=part, exam_on=exam_on)
        if _unchanged(now, values):
            return now
        raise ValidationError(
            {"exam_on": _("A result for this exam part on this date is already recorded.")}
        ) from None
    _audit(request, client=client, access=access, action=Action.CREATE, detail=f"exam:{exam.pk}")
    if feeds_profile:
        language_level_record(
            request,
            client=client,
            access=access,
            recorded_by=recorded_by,
            skill=EXAM_PART_SKILL[ExamPart(part)],
            level=level,
            source=LevelSource.EXAM,
            assessed_on=exam_on,
        )
    return exam


# --- ontzorgen and enforcement -------------------------------------------------------------------


def _ontzorgen_validator(client):
    def check(period: Ontzorgen) -> None:
        errors: dict = {}
        if period.ends_on and period.ends_on < period.starts_on:
            errors["ends_on"] = [_("The end cannot be before the start.")]
        if period.pays_other and not period.other_description.strip():
            errors["other_description"] = [_("Say what else is paid.")]
        if not period.pays_other and period.other_description.strip():
            errors["other_description"] = [_('Tick "other" as well, or leave this empty.')]
        if not (
            period.pays_rent
            or period.pays_energy_water
            or period.pays_health_insurance
            or period.pays_other
            or period.financial_training
        ):
            errors["pays_rent"] = [
                _("Tick what is paid from the benefit, or the training in financial self-reliance.")
            ]
        others = Ontzorgen.objects.filter(client=client).exclude(pk=period.pk)
        for other in others:
            if (other.ends_on is None or period.starts_on <= other.ends_on) and (
                period.ends_on is None or other.starts_on <= period.ends_on
            ):
                errors.setdefault("starts_on", []).append(
                    _("This period overlaps another ontzorgen period (from %(date)s).")
                    % {"date": other.starts_on.strftime("%d-%m-%Y")}
                )
                break
        _raise(errors)
        _validate(period)

    return check


@transaction.atomic
def ontzorgen_save(
    request,
    *,
    client,
    access,
    period: Ontzorgen | None,
    values: dict,
    version: int | None = None,
    form_token: uuid.UUID | None = None,
) -> Ontzorgen:
    """Add an ontzorgen period (form token) or change one, e.g. to end it (versioned). Periods of
    one client do not overlap."""
    _require_write(access)
    return _save_row(
        request,
        model=Ontzorgen,
        client=client,
        access=access,
        row=period,
        changes={name: values[name] for name in ONTZORGEN_FIELDS if name in values},
        version=version,
        form_token=form_token,
        validate=_ontzorgen_validator(client),
        detail="ontzorgen",
    )


@transaction.atomic
def enforcement_record(
    request,
    *,
    client,
    access,
    kind: str,
    on: date,
    reason: str,
    amount=None,
    decision_reference: str = "",
    form_token: uuid.UUID | None = None,
) -> EnforcementStep:
    """A warning, or the municipal fine for not cooperating. A fine comes after a warning, has
    an amount and names its decision."""
    _require_write(access)
    existing = _by_token(EnforcementStep, form_token)
    if existing is not None:
        return existing
    errors: dict = {}
    _not_in_future(errors, "on", on, _("This date cannot be in the future."))
    if kind == EnforcementKind.WARNING and amount is not None:
        errors["amount"] = [_("A warning has no amount.")]
    if kind == EnforcementKind.FINE:
        if amount is None or amount <= 0:
            errors["amount"] = [_("Give the amount of the fine.")]
        if not decision_reference.strip():
            errors["decision_reference"] = [_("Give the reference of the fine decision.")]
        if not has_warning(client.pk, before=on):
            errors.setdefault("kind", []).append(
                _("A fine follows a warning: record the warning first.")
            )
    _raise(errors)
    step = EnforcementStep(
        client=client,
        kind=kind,
        on=on,
        reason=reason,
        amount=amount,
        decision_reference=decision_reference,
    )
    _validate(step)
    return _create_audited(
        request, client=client, access=access, row=step, form_token=form_token, detail="enforcement"
    )
