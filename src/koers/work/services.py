"""Writes of work, income and education: validated before anything is written, audited in the
same transaction, and an edit saves only over the version it was loaded with."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change
from koers.clients.constants import Section
from koers.clients.models import Client
from koers.clients.services import VersionConflict

from .models import Benefit, EducationEnrolment, Job

# The fields a form may set, per kind of row.
EDITABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Benefit: ("kind", "top_up", "start_on", "end_on", "end_reason"),
    Job: (
        "kind",
        "employer",
        "job_title",
        "hours_per_week",
        "contract",
        "wage_subsidy",
        "job_coach",
        "start_on",
        "end_on",
        "end_reason",
    ),
    EducationEnrolment: ("school", "level", "programme", "start_on", "end_on", "result"),
}
# The fields that end a period.
END_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Benefit: ("end_on", "end_reason"),
    Job: ("end_on", "end_reason"),
    EducationEnrolment: ("end_on", "result"),
}

__all__ = ["VersionConflict", "work_entry_create", "work_entry_end", "work_entry_update"]


def _audit(request, *, client: Client, access, action: str, instance: models.Model) -> None:
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=action,
        sections=Section.WORK_INCOME,
        detail=f"work:{instance._meta.model_name}:{instance.pk}",
    )


def _check_access(access) -> None:
    if not (access.can_read(Section.WORK_INCOME) and access.can_write(Section.WORK_INCOME)):
        raise PermissionDenied


def _validate(instance: models.Model) -> None:
    """The row's own rules (clean); the database constraints are the same rules as a backstop,
    so they are not validated twice here (they would repeat each message above the form)."""
    instance.full_clean(validate_constraints=False)
    if isinstance(instance, Benefit):
        _check_no_overlap(instance)


def _check_no_overlap(benefit: Benefit) -> None:
    """One person cannot receive the same kind of benefit twice at the same time: periods of
    the same kind do not overlap (a top-up is a benefit of its own kind, e.g. bijstand next to
    WW)."""
    others = Benefit.objects.filter(client_id=benefit.client_id, kind=benefit.kind)
    if benefit.pk is not None:
        others = others.exclude(pk=benefit.pk)
    if benefit.end_on is not None:
        others = others.filter(start_on__lte=benefit.end_on)
    others = others.filter(Q(end_on__isnull=True) | Q(end_on__gte=benefit.start_on))
    if others.exists():
        raise ValidationError(
            {
                "start_on": _(
                    "This period overlaps another %(kind)s period of this client. End that "
                    "one first, or correct the dates."
                )
                % {"kind": benefit.get_kind_display()}
            }
        )


def _lock_client(client: Client) -> None:
    # Serialises the overlap check with a concurrent write for the same client.
    Client.objects.select_for_update().filter(pk=client.pk).values_list("pk").first()


@transaction.atomic
def work_entry_create(
    request, *, client: Client, access, model: type[models.Model], values: dict, recorded_by
):
    """Record a benefit, job or education enrolment of the client."""
    _check_access(access)
    if model not in EDITABLE_FIELDS:
        raise PermissionDenied
    if model is Benefit:
        _lock_client(client)
    instance = model(client=client, recorded_by=recorded_by)
    for name in EDITABLE_FIELDS[model]:
        if name in values:
            setattr(instance, name, values[name])
    _validate(instance)
    instance.save()
    _audit(request, client=client, access=access, action=Action.CREATE, instance=instance)
    return instance


def _same(instance: models.Model, changes: dict) -> bool:
    return all(getattr(instance, name) == value for name, value in changes.items())


@transaction.atomic
def work_entry_update(request, *, client: Client, access, instance, changes: dict, version: int):
    """Change a row of the client, only over the version the form was loaded with: a stale
    version raises VersionConflict with the row as it is now. The same values submitted twice
    (a double submit) change nothing and write no second audit row."""
    _check_access(access)
    model = type(instance)
    if model not in EDITABLE_FIELDS or set(changes) - set(EDITABLE_FIELDS[model]):
        raise PermissionDenied
    if model is Benefit:
        _lock_client(client)
    try:
        current = model.objects.get(pk=instance.pk, client=client)
    except model.DoesNotExist:
        raise PermissionDenied from None
    if current.version != version:
        if _same(current, changes):
            return current
        raise VersionConflict(current)
    for name, value in changes.items():
        setattr(current, name, value)
    _validate(current)
    updated = model.objects.filter(pk=current.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise VersionConflict(model.objects.get(pk=current.pk))
    _audit(request, client=client, access=access, action=Action.UPDATE, instance=current)
    return model.objects.get(pk=current.pk)


def work_entry_end(request, *, client: Client, access, instance, values: dict, version: int):
    """End a running period: the end date and the reason (a benefit or job) or the result (an
    education enrolment)."""
    model = type(instance)
    changes = {name: values[name] for name in END_FIELDS.get(model, ()) if name in values}
    if not changes.get("end_on"):
        raise ValidationError({"end_on": _("Give the end date.")})
    return work_entry_update(
        request, client=client, access=access, instance=instance, changes=changes, version=version
    )
