"""Changes to a household's network, consents, warm handovers, moves out and delegations.

Every change is audited inside its own transaction, so the change and its audit rows commit or
roll back together."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.audit.constants import Action
from koers.audit.services import audit_change, audit_event
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, ClientStatus, NetworkRole, Section
from koers.clients.models import Client, Household, Relocation
from koers.clients.permissions import VOLUNTEER_NETWORK_ROLES

from .constants import RELOCATION_ACCESS_DAYS
from .models import Consent, Delegation, Involvement, WarmHandover

ONE_REGISSEUR_MESSAGE = _(
    "This household already has a regisseur. Use “Hand over the regie” to change the regisseur."
)


def _audit_household(request, *, household_id, access, action, sections, detail) -> None:
    for client_id in Client.objects.filter(household_id=household_id).values_list("pk", flat=True):
        audit_change(
            request,
            client_id=client_id,
            access=access,
            action=action,
            sections=sections,
            detail=detail,
        )


def _lock_household(household) -> None:
    """Serialise changes to one household's network (a no-op on SQLite, which serialises
    writers anyway)."""
    Household.objects.select_for_update().filter(pk=household.pk).first()


def _ended_by_handover(involvement, today):
    """The day the outgoing involvement ends: yesterday, so only the new one is active today."""
    return max(involvement.start_date, today - timedelta(days=1))


@transaction.atomic
def regisseur_assign(
    request,
    *,
    household,
    membership,
    note: str = "",
    access=None,
    phone: str = "",
    email: str = "",
) -> Involvement:
    """Make `membership` the household's regisseur from today: the current regisseur's
    involvement ends (a handover is one action), and at most one stays active. The household
    row is locked first, so two simultaneous handovers run one after the other; the database's
    partial unique constraint holds the rule even if a caller forgets the lock."""
    today = timezone.localdate()
    _lock_household(household)
    current = (
        Involvement.objects.select_for_update()
        .filter(household=household, role=NetworkRole.REGISSEUR, end_date__isnull=True)
        .first()
    )
    if current is not None:
        if current.membership_id == membership.pk:
            return current
        current.end_date = _ended_by_handover(current, today)
        current.full_clean()
        current.save(update_fields=["end_date"])
    involvement = Involvement(
        household=household,
        organisation=membership.organisation,
        membership=membership,
        role=NetworkRole.REGISSEUR,
        start_date=today,
        phone=phone,
        email=email,
        note=note[:300],
    )
    return _involvement_save(
        request,
        involvement,
        access=access,
        action=Action.UPDATE,
        error_field="membership",
        detail="regisseur_assign",
    )


def _involvement_save(request, involvement, *, access, action, error_field, detail):
    """Save a new involvement and audit it on the household. The database's partial unique
    constraint (one active regisseur) is the last word: a race that breaks it becomes the same
    Dutch message as the check before it, on `error_field`."""
    involvement.full_clean(validate_constraints=False)
    with transaction.atomic():
        try:
            involvement.save()
        except IntegrityError:
            raise ValidationError({error_field: ONE_REGISSEUR_MESSAGE}) from None
    _audit_household(
        request,
        household_id=involvement.household_id,
        access=access,
        action=action,
        sections=Section.NETWORK,
        detail=f"{detail}:{involvement.pk}",
    )
    return involvement


def volunteer_screening_error(membership) -> str | None:
    if membership is not None and not membership.volunteer_screening_complete:
        return str(
            _(
                "A volunteer can only be assigned once their VOG and signed confidentiality "
                "agreement are recorded."
            )
        )
    return None


@transaction.atomic
def involvement_add(
    request,
    *,
    household,
    organisation,
    role: str,
    membership=None,
    person_name: str = "",
    phone: str = "",
    email: str = "",
    note: str = "",
    start_date=None,
    task_sections: Section | None = None,
    access=None,
) -> Involvement:
    """Add an organisation, and possibly one of its people, to the household's network."""
    _lock_household(household)
    errors = {}
    if membership is not None and membership.organisation_id != organisation.pk:
        errors["membership"] = _("This person does not work for the chosen organisation.")
    is_volunteer = role in VOLUNTEER_NETWORK_ROLES
    if is_volunteer and membership is not None:
        screening = volunteer_screening_error(membership)
        if screening:
            errors["membership"] = screening
    if role == NetworkRole.REGISSEUR and (
        Involvement.objects.filter(
            household=household, role=NetworkRole.REGISSEUR, end_date__isnull=True
        ).exists()
    ):
        errors["role"] = ONE_REGISSEUR_MESSAGE
    sections = Section(task_sections or 0) & VOLUNTEER_MAX_SECTIONS
    if is_volunteer and membership is not None and not sections:
        errors["task_sections"] = _("Choose what this volunteer may see for their task.")
    if errors:
        raise ValidationError(errors)
    involvement = Involvement(
        household=household,
        organisation=organisation,
        membership=membership,
        role=role,
        person_name="" if membership is not None else person_name,
        phone=phone,
        email=email,
        note=note,
        start_date=start_date or timezone.localdate(),
        task_sections=sections if is_volunteer else VOLUNTEER_MAX_SECTIONS,
    )
    return _involvement_save(
        request,
        involvement,
        access=access,
        action=Action.CREATE,
        error_field="role",
        detail="involvement_add",
    )


@transaction.atomic
def involvement_end(request, *, involvement, end_date, access=None) -> Involvement:
    involvement = Involvement.objects.select_for_update().get(pk=involvement.pk)
    if involvement.end_date is not None:
        return involvement  # a double submit ends it once
    if end_date < involvement.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    involvement.end_date = end_date
    involvement.full_clean()
    involvement.save(update_fields=["end_date"])
    _audit_household(
        request,
        household_id=involvement.household_id,
        access=access,
        action=Action.UPDATE,
        sections=Section.NETWORK,
        detail=f"involvement_end:{involvement.pk}",
    )
    return involvement


@transaction.atomic
def warm_handover_record(
    request,
    *,
    household,
    recorded_by,
    received_on,
    coa_location: str,
    basis: str,
    sections: Section,
    coa_contact: str = "",
    summary: str = "",
    access=None,
) -> WarmHandover:
    handover = WarmHandover(
        household=household,
        recorded_by=recorded_by,
        received_on=received_on,
        coa_location=coa_location,
        coa_contact=coa_contact,
        basis=basis,
        sections=sections,
        summary=summary,
    )
    handover.full_clean()
    handover.save()
    _audit_household(
        request,
        household_id=household.pk,
        access=access,
        action=Action.CREATE,
        sections=Section.NETWORK,
        detail=f"warm_handover:{handover.pk}",
    )
    return handover


def default_access_end(moved_on):
    return moved_on + timedelta(days=RELOCATION_ACCESS_DAYS)


@transaction.atomic
def relocation_record(
    request,
    *,
    client,
    recorded_by,
    to_municipality_name: str,
    moved_on,
    access_ends_on=None,
    note: str = "",
    access=None,
) -> Relocation:
    """A move out: the client's status becomes "verhuisd" and the old municipality's access
    ends on `access_ends_on` (default 30 days after the move, never before it)."""
    access_ends_on = access_ends_on or default_access_end(moved_on)
    if access_ends_on < moved_on:
        raise ValidationError(
            {"access_ends_on": _("Access cannot end before the date of the move.")}
        )
    locked = Client.objects.select_for_update().get(pk=client.pk)
    relocation = Relocation(
        client=locked,
        recorded_by=recorded_by,
        to_municipality_name=to_municipality_name,
        moved_on=moved_on,
        access_ends_on=access_ends_on,
        note=note,
    )
    relocation.full_clean()
    relocation.save()
    Client.objects.filter(pk=locked.pk).update(
        status=ClientStatus.VERHUISD,
        status_date=moved_on,
        status_reason=str(_("Moved to %(municipality)s") % {"municipality": to_municipality_name})[
            :200
        ],
        access_ends_on=access_ends_on,
        version=locked.version + 1,
    )
    audit_change(
        request,
        client_id=locked.pk,
        access=access,
        action=Action.UPDATE,
        sections=Section.BASIS | Section.NETWORK,
        detail=f"relocation:{relocation.pk}",
    )
    return relocation


@transaction.atomic
def consent_record(
    request,
    *,
    client,
    organisation,
    recorded_by,
    purpose: str,
    sections: Section,
    text_version: str,
    explained_in_language: str,
    how_given: str,
    given_on,
    with_interpreter: bool = False,
    ends_on=None,
    access=None,
) -> Consent:
    if ends_on is not None and ends_on < given_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the date given.")})
    consent = Consent(
        client=client,
        organisation=organisation,
        recorded_by=recorded_by,
        purpose=purpose,
        sections=sections,
        text_version=text_version,
        explained_in_language=explained_in_language,
        with_interpreter=with_interpreter,
        how_given=how_given,
        given_on=given_on,
        ends_on=ends_on,
    )
    consent.full_clean()
    consent.save()
    audit_change(
        request,
        client_id=client.pk,
        access=access,
        action=Action.CREATE,
        sections=Section(consent.sections),
        detail=f"consent_record:{consent.pk}",
    )
    return consent


@transaction.atomic
def consent_withdraw(request, *, consent, access=None) -> Consent:
    """Withdrawal takes effect at once: from today the consent no longer counts."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        return consent
    today = timezone.localdate()
    # A consent is in force on days given_on <= day and not withdrawn; withdrawn today means
    # not in force today (ConsentQuerySet.active requires withdrawn_on to be empty).
    consent.withdrawn_on = today
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on"])
    audit_change(
        request,
        client_id=consent.client_id,
        access=access,
        action=Action.UPDATE,
        sections=Section(consent.sections),
        detail=f"consent_withdraw:{consent.pk}",
    )
    return consent


@transaction.atomic
def delegation_create(
    request,
    *,
    from_membership,
    to_membership,
    start_date,
    end_date,
    created_by,
    reason: str = "",
) -> Delegation:
    errors = {}
    if to_membership.pk == from_membership.pk:
        errors["to_membership"] = _("A colleague cannot stand in for themself.")
    elif (
        to_membership.organisation_id != from_membership.organisation_id
        or to_membership.role != from_membership.role
    ):
        errors["to_membership"] = _(
            "The stand-in must work for the same organisation in the same role."
        )
    if end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    if errors:
        raise ValidationError(errors)
    delegation = Delegation(
        from_membership=from_membership,
        to_membership=to_membership,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        created_by=created_by,
    )
    delegation.full_clean()
    delegation.save()
    audit_event(request, action=Action.CREATE, detail=f"delegation_create:{delegation.pk}")
    return delegation


@transaction.atomic
def delegation_end(request, *, delegation) -> Delegation | None:
    """End a stand-in now: it no longer counts from today. One that has not started yet is
    removed."""
    delegation = Delegation.objects.select_for_update().filter(pk=delegation.pk).first()
    if delegation is None:
        return None
    today = timezone.localdate()
    if delegation.start_date >= today:
        audit_event(request, action=Action.DELETE, detail=f"delegation_end:{delegation.pk}")
        delegation.delete()
        return None
    if delegation.end_date >= today:
        delegation.end_date = today - timedelta(days=1)
        delegation.full_clean()
        delegation.save(update_fields=["end_date"])
        audit_event(request, action=Action.UPDATE, detail=f"delegation_end:{delegation.pk}")
    return delegation
