"""Changes by the functional administrator: each writes the change and its audit row in one
transaction, and an edit is refused when the object changed since the editor loaded it."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.accounts.constants import MUNICIPAL_ONLY_ROLES
from koers.audit.constants import Action
from koers.audit.services import audit_event

from .constants import OrganisationKind
from .models import AreaTeam, LegalBasis, Municipality, Organisation, Region

# The fields an edit form may change; their values as loaded make up the edit's state token.
EDITABLE_FIELDS: dict[type[models.Model], list[str]] = {
    Municipality: ["code", "name", "volunteer_sections"],
    Region: ["name", "municipalities"],
    AreaTeam: ["name"],
    Organisation: ["name", "kind", "municipalities", "is_active"],
    LegalBasis: ["kind", "sections", "agreement_reference", "start_date", "end_date", "note"],
}


class StaleStateError(Exception):
    """The object changed after the editor loaded it; nothing was saved."""


def state_token(instance: models.Model, fields: list[str] | None = None) -> str:
    """A hash of the editable field values as stored, to detect a concurrent change."""
    names = EDITABLE_FIELDS[type(instance)] if fields is None else fields
    values = {"pk": instance.pk}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
        else:
            value = field.value_from_object(instance)
            values[name] = int(value) if isinstance(value, int) else value
    payload = json.dumps(values, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(payload.encode()).hexdigest()[:40]


def _locked(instance: models.Model) -> models.Model:
    return type(instance).objects.select_for_update().get(pk=instance.pk)


def _assign(instance: models.Model, values: dict) -> dict:
    """Set plain fields; return the many-to-many values to set after saving."""
    many = {}
    for name, value in values.items():
        if instance._meta.get_field(name).many_to_many:
            many[name] = value
        else:
            setattr(instance, name, value)
    return many


def _save(instance: models.Model, values: dict, check=None) -> models.Model:
    """Assign, run the cross-row `check(instance, many_to_many_values)`, validate, save."""
    many = _assign(instance, values)
    if check is not None:
        check(instance, many)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance


def lock_unchanged(instance: models.Model, loaded_state: str, fields: list[str] | None = None):
    """The stored row, locked for this transaction; StaleStateError when it changed since the
    editor loaded it (its state token differs from `loaded_state`)."""
    current = _locked(instance)
    if state_token(current, fields) != loaded_state:
        raise StaleStateError
    return current


def _update(request, instance, *, loaded_state: str, values: dict, label: str, check=None):
    """Lock the stored row, refuse when it changed since it was loaded, then save and audit."""
    current = lock_unchanged(instance, loaded_state)
    _save(current, values, check)
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{label}:{current.pk} changed")
    return current


def _create(request, instance: models.Model, *, values: dict, label: str, check=None):
    _save(instance, values, check)
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{label}:{instance.pk} created")
    return instance


# --- Municipalities --------------------------------------------------------------------------


@transaction.atomic
def municipality_create(request, *, code: str, name: str, volunteer_sections) -> Municipality:
    return _create(
        request,
        Municipality(),
        values={"code": code, "name": name, "volunteer_sections": volunteer_sections},
        label="municipality",
    )


@transaction.atomic
def municipality_update(request, *, municipality: Municipality, loaded_state: str, **values):
    return _update(
        request, municipality, loaded_state=loaded_state, values=values, label="municipality"
    )


# --- Regions ---------------------------------------------------------------------------------


@transaction.atomic
def region_create(request, *, name: str, municipalities) -> Region:
    return _create(
        request, Region(), values={"name": name, "municipalities": municipalities}, label="region"
    )


@transaction.atomic
def region_update(request, *, region: Region, loaded_state: str, **values) -> Region:
    return _update(request, region, loaded_state=loaded_state, values=values, label="region")


# --- Area teams ------------------------------------------------------------------------------


@transaction.atomic
def area_team_create(request, *, municipality: Municipality, name: str) -> AreaTeam:
    return _create(
        request,
        AreaTeam(),
        values={"municipality": municipality, "name": name},
        label="area_team",
    )


@transaction.atomic
def area_team_update(request, *, area_team: AreaTeam, loaded_state: str, **values) -> AreaTeam:
    return _update(request, area_team, loaded_state=loaded_state, values=values, label="area_team")


# --- Organisations ---------------------------------------------------------------------------


def _check_organisation(organisation: Organisation, many: dict) -> None:
    """Rules across rows: a partner serves no municipality on the legal task, a municipal
    organisation holds no legal basis, and members in roles that exist only in municipal
    organisations keep their organisation municipal."""
    errors = {}
    if "municipalities" in many:
        municipalities = many["municipalities"]
    elif organisation.pk is not None:
        municipalities = organisation.municipalities.all()
    else:
        municipalities = []
    if organisation.kind == OrganisationKind.PARTNER and len(municipalities):
        errors["municipalities"] = _(
            "A partner organisation serves no municipality on the legal task; record a legal "
            "basis for it instead."
        )
    if organisation.pk is not None:
        if organisation.kind == OrganisationKind.MUNICIPAL and organisation.legal_bases.exists():
            errors["kind"] = _(
                "This organisation has legal bases, so it is a partner organisation. End its "
                "legal bases before making it municipal."
            )
        if (
            organisation.kind == OrganisationKind.PARTNER
            and organisation.memberships.filter(role__in=MUNICIPAL_ONLY_ROLES).exists()
        ):
            errors["kind"] = _(
                "This organisation has members in roles that exist only in a municipal "
                "organisation."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_create(
    request, *, name: str, kind: str, municipalities=(), is_active: bool = True
) -> Organisation:
    return _create(
        request,
        Organisation(),
        values={
            "name": name,
            "kind": kind,
            "municipalities": list(municipalities),
            "is_active": is_active,
        },
        label="organisation",
        check=_check_organisation,
    )


@transaction.atomic
def organisation_update(
    request, *, organisation: Organisation, loaded_state: str, **values
) -> Organisation:
    return _update(
        request,
        organisation,
        loaded_state=loaded_state,
        values=values,
        label="organisation",
        check=_check_organisation,
    )


# --- Legal bases -----------------------------------------------------------------------------


@transaction.atomic
def legal_basis_create(
    request,
    *,
    organisation: Organisation,
    municipality: Municipality,
    kind: str,
    sections,
    agreement_reference: str,
    start_date,
    end_date=None,
    note: str = "",
) -> LegalBasis:
    return _create(
        request,
        LegalBasis(),
        values={
            "organisation": organisation,
            "municipality": municipality,
            "kind": kind,
            "sections": sections,
            "agreement_reference": agreement_reference,
            "start_date": start_date,
            "end_date": end_date,
            "note": note,
        },
        label="legal_basis",
    )


def legal_basis_was_in_force(legal_basis: LegalBasis, on=None) -> bool:
    """Whether the basis has ever been in force (clients may have been read on it)."""
    on = on or timezone.localdate()
    return legal_basis.start_date <= on


@transaction.atomic
def legal_basis_update(
    request, *, legal_basis: LegalBasis, loaded_state: str, **values
) -> LegalBasis:
    return _update(
        request, legal_basis, loaded_state=loaded_state, values=values, label="legal_basis"
    )


@transaction.atomic
def legal_basis_end(request, *, legal_basis: LegalBasis, loaded_state: str, end_date):
    """Ending a basis is setting its last day; a basis that was in force is never deleted."""
    current = lock_unchanged(legal_basis, loaded_state)
    _save(current, {"end_date": end_date})
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"legal_basis:{current.pk} ended")
    return current


@transaction.atomic
def legal_basis_delete(request, *, legal_basis: LegalBasis) -> None:
    """Only a basis that never came into force can be deleted (a mistake, never used)."""
    current = _locked(legal_basis)
    if legal_basis_was_in_force(current):
        raise ValidationError(
            _("This legal basis has been in force and cannot be deleted. Set an end date.")
        )
    pk = current.pk
    current.delete()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"legal_basis:{pk} deleted")
