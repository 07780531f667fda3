"""Writes of the profile: validated before anything is written, audited in the same
transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change, audit_event
from koers.clients.constants import Section
from koers.organisations.services import StaleStateError, state_token

from .constants import SEED_DIRECTIONS
from .models import (
    Availability,
    Certificate,
    DirectionPreference,
    Education,
    LanguageLevel,
    ProfessionalDirection,
    WorkExperience,
)

# The fields each profile part's form edits; their stored values make up its state token.
EDITABLE_FIELDS: dict[type[models.Model], list[str]] = {
    Education: ["level", "country", "field", "completed", "diploma_evaluated", "year"],
    WorkExperience: ["occupation", "direction", "country", "years", "description"],
    DirectionPreference: ["direction", "priority"],
    Certificate: [
        "kind",
        "name",
        "obtained_on",
        "valid_until",
        "cat_am",
        "cat_a",
        "cat_b",
        "cat_be",
        "cat_c",
        "cat_ce",
        "cat_d",
    ],
    Availability: [
        "hours_per_week",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "childcare_constraints",
        "by_bike",
        "by_public_transport",
        "has_car",
        "has_driving_licence",
    ],
    ProfessionalDirection: ["name", "active"],
}


def profile_state(instance: models.Model) -> str:
    return state_token(instance, EDITABLE_FIELDS[type(instance)])


def _locked_unchanged(instance: models.Model, loaded_state: str | None) -> models.Model:
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if loaded_state is not None and profile_state(current) != loaded_state:
        raise StaleStateError
    return current


def _label(instance: models.Model) -> str:
    return f"profiles:{instance._meta.model_name}:{instance.pk}"


@transaction.atomic
def profile_entry_save(
    request,
    *,
    client,
    access,
    instance: models.Model,
    values: dict,
    loaded_state: str | None = None,
) -> models.Model:
    """Create or update one part of the profile (education, work experience, preferred direction,
    certificate, availability). An update over someone else's change raises StaleStateError."""
    if not access.can_write(Section.PROFILE):
        raise PermissionError
    creating = instance.pk is None
    if not creating:
        instance = _locked_unchanged(instance, loaded_state)
        if instance.client_id != client.pk:
            raise PermissionError
    for name, value in values.items():
        if name in EDITABLE_FIELDS[type(instance)]:
            setattr(instance, name, value)
    instance.client = client
    instance.full_clean()
    instance.save()
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.CREATE if creating else Action.UPDATE,
        sections=Section.PROFILE,
        detail=_label(instance),
    )
    return instance


# The profile parts that may be deleted. Language levels are history and are never deleted.
DELETABLE_MODELS = (Education, WorkExperience, Certificate)


@transaction.atomic
def profile_entry_delete(request, *, client, access, instance: models.Model) -> None:
    """Delete an education, work-experience or certificate entry of the client, audited as a
    change of the profile in the same transaction. An entry already gone raises DoesNotExist."""
    if not isinstance(instance, DELETABLE_MODELS):
        raise PermissionError
    if not access.can_write(Section.PROFILE) or instance.client_id != client.pk:
        raise PermissionError
    current = type(instance).objects.select_for_update().get(pk=instance.pk, client=client)
    detail = _label(current)
    current.delete()
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.DELETE,
        sections=Section.PROFILE,
        detail=detail,
    )


@transaction.atomic
def direction_preference_remove(request, *, client, access, preference: DirectionPreference):
    if not access.can_write(Section.PROFILE) or preference.client_id != client.pk:
        raise PermissionError
    detail = _label(preference)
    preference.delete()
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.DELETE,
        sections=Section.PROFILE,
        detail=detail,
    )


@transaction.atomic
def language_level_record(
    request, *, client, access, recorded_by, skill, level, source, assessed_on
) -> LanguageLevel:
    """A new assessment; earlier ones stay as history. Submitting the same assessment twice
    records it once."""
    if not access.can_write(Section.PROFILE):
        raise PermissionError
    same_day = LanguageLevel.objects.filter(
        client=client, skill=skill, source=source, assessed_on=assessed_on
    ).first()
    if same_day is not None:
        if same_day.level == level:
            return same_day
        raise ValidationError(
            {
                "assessed_on": _(
                    "A level for this skill from this source was already recorded on this "
                    "date. Record a later assessment instead."
                )
            }
        )
    row = LanguageLevel(
        client=client,
        skill=skill,
        level=level,
        source=source,
        assessed_on=assessed_on,
        recorded_by=recorded_by,
    )
    row.full_clean()
    row.save()
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.CREATE,
        sections=Section.PROFILE,
        detail=_label(row),
    )
    return row


def directions_seed() -> int:
    """Make sure the seeded directions exist (idempotent); returns how many were missing.

    Migration 0002 seeds them; a transactional test's flush empties the table, so test fixtures
    call this to put the reference data back. No audit row: no one changed anything."""
    existing = set(ProfessionalDirection.objects.values_list("name", flat=True))
    missing = [name for name in SEED_DIRECTIONS if name not in existing]
    ProfessionalDirection.objects.bulk_create(
        [ProfessionalDirection(name=name, active=True) for name in missing],
        ignore_conflicts=True,
    )
    return len(missing)


def _direction_name_taken(name: str, exclude_pk: int | None = None) -> bool:
    others = ProfessionalDirection.objects.filter(name__iexact=name.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


@transaction.atomic
def direction_create(request, *, name: str) -> ProfessionalDirection:
    name = name.strip()
    if _direction_name_taken(name):
        raise ValidationError({"name": _("This direction is already on the list.")})
    direction = ProfessionalDirection(name=name, active=True)
    direction.full_clean()
    direction.save()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{_label(direction)} created")
    return direction


@transaction.atomic
def direction_update(
    request, *, direction: ProfessionalDirection, name: str, active: bool, loaded_state: str
) -> ProfessionalDirection:
    """Rename or (de)activate. A direction is never deleted: clients and work experiences may
    point at it, and a deactivated one is simply no longer offered."""
    direction = _locked_unchanged(direction, loaded_state)
    name = name.strip()
    if _direction_name_taken(name, exclude_pk=direction.pk):
        raise ValidationError({"name": _("This direction is already on the list.")})
    direction.name, direction.active = name, active
    direction.full_clean()
    try:
        with transaction.atomic():
            direction.save()
    except IntegrityError as error:  # a concurrent rename to the same name
        raise ValidationError({"name": _("This direction is already on the list.")}) from error
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{_label(direction)} changed")
    return direction
