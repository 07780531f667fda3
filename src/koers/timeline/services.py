"""Writes of the timeline: contact moments, notes and walk-in hours. Each change of client data is
audited in the same transaction."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change
from koers.clients.permissions import ClientAccess

from .constants import CONFIDENTIALITY_SECTIONS, ContactStatus
from .models import ContactMoment, Note, WalkInSession
from .selectors import walk_in_municipality_ids

CONTACT_FIELDS = (
    "kind",
    "status",
    "starts_at",
    "others_present",
    "with_interpreter",
    "interpreter_language",
    "summary",
    "confidentiality",
    "walk_in_session",
)


def _require_write(access: ClientAccess, confidentiality: str) -> None:
    if not access.can_write(CONFIDENTIALITY_SECTIONS[confidentiality]):
        raise PermissionDenied


def _audit(request, *, client_ids, access, action, confidentiality, detail):
    for client_id in sorted(set(client_ids)):
        audit_change(
            request,
            client_id=client_id,
            access=access,
            action=action,
            sections=CONFIDENTIALITY_SECTIONS[confidentiality],
            detail=detail,
        )


def _existing(model, form_token):
    if form_token is None:
        return None
    return model.objects.filter(form_token=form_token).first()


@transaction.atomic
def contact_moment_create(
    request,
    *,
    membership,
    access: ClientAccess,
    client,
    clients=(),
    form_token: uuid.UUID | None = None,
    **fields,
) -> ContactMoment:
    """Record a contact moment of `client`'s household. A second submit of the same form
    returns the first contact moment instead of creating another."""
    existing = _existing(ContactMoment, form_token)
    if existing is not None:
        return existing
    _require_write(access, fields.get("confidentiality") or "organisatie")
    contact = ContactMoment(
        household_id=client.household_id,
        author=membership,
        organisation_id=membership.organisation_id,
        form_token=form_token,
        **{name: value for name, value in fields.items() if name in CONTACT_FIELDS},
    )
    contact.full_clean()
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        existing = _existing(ContactMoment, form_token)
        if existing is None:
            raise
        return existing
    contact.clients.set(clients)
    _audit(
        request,
        client_ids=[client.pk, *(c.pk for c in clients)],
        access=access,
        action=Action.CREATE,
        confidentiality=contact.confidentiality,
        detail=f"timeline:contact:{contact.pk}",
    )
    return contact


def can_edit_contact(membership, access: ClientAccess, contact: ContactMoment) -> bool:
    """Only the author's organisation edits a contact moment, within its write sections."""
    return membership.organisation_id == contact.organisation_id and access.can_write(
        CONFIDENTIALITY_SECTIONS[contact.confidentiality]
    )


@transaction.atomic
def contact_moment_update(
    request, *, membership, access: ClientAccess, client, contact: ContactMoment, clients, **fields
) -> ContactMoment:
    if not can_edit_contact(membership, access, contact):
        raise PermissionDenied
    _require_write(access, fields.get("confidentiality", contact.confidentiality))
    for name, value in fields.items():
        if name in CONTACT_FIELDS:
            setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    contact.clients.set(clients)
    _audit(
        request,
        client_ids=[client.pk, *(c.pk for c in clients)],
        access=access,
        action=Action.UPDATE,
        confidentiality=contact.confidentiality,
        detail=f"timeline:contact:{contact.pk}",
    )
    return contact


@transaction.atomic
def contact_moment_set_status(
    request, *, membership, access: ClientAccess, client, contact: ContactMoment, status: str
) -> ContactMoment:
    """A planned appointment is later marked held or no-show (or cancelled)."""
    if not can_edit_contact(membership, access, contact):
        raise PermissionDenied
    if contact.status != ContactStatus.PLANNED or status == ContactStatus.PLANNED:
        raise ValidationError(_("Only a planned appointment can be marked this way."))
    if status not in ContactStatus.values:
        raise ValidationError(_("Choose a valid status."))
    contact.status = status
    contact.full_clean()
    contact.save(update_fields=["status"])
    _audit(
        request,
        client_ids=[client.pk],
        access=access,
        action=Action.UPDATE,
        confidentiality=contact.confidentiality,
        detail=f"timeline:contact:{contact.pk}:status",
    )
    return contact


@transaction.atomic
def note_create(
    request,
    *,
    membership,
    access: ClientAccess,
    client,
    text: str,
    confidentiality: str,
    about=None,
    corrects: Note | None = None,
    form_token: uuid.UUID | None = None,
) -> Note:
    """Add a note. Notes are never edited; a correction is a new note referring to the old."""
    existing = _existing(Note, form_token)
    if existing is not None:
        return existing
    _require_write(access, confidentiality)
    if corrects is not None and corrects.household_id != client.household_id:
        raise ValidationError(_("A correction refers to a note of the same household."))
    if about is not None and about.household_id != client.household_id:
        raise ValidationError(_("A note is about a member of this household."))
    note = Note(
        household_id=client.household_id,
        client=about,
        text=text,
        confidentiality=confidentiality,
        corrects=corrects,
        author=membership,
        organisation_id=membership.organisation_id,
        form_token=form_token,
    )
    note.full_clean()
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        existing = _existing(Note, form_token)
        if existing is None:
            raise
        return existing
    _audit(
        request,
        client_ids=[client.pk] + ([about.pk] if about else []),
        access=access,
        action=Action.CREATE,
        confidentiality=confidentiality,
        detail=f"timeline:note:{note.pk}",
    )
    return note


@transaction.atomic
def walk_in_create(
    *, membership, municipality, location: str, starts_at, ends_at, present=()
) -> WalkInSession:
    if municipality.pk not in walk_in_municipality_ids(membership):
        raise PermissionDenied
    session = WalkInSession(
        organisation_id=membership.organisation_id,
        municipality=municipality,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    session.full_clean()
    session.save()
    session.present.set(present)
    return session


def walk_in_count_visit(*, session: WalkInSession, token: str, now=None) -> bool:
    """Count one visit without a dossier. One UPDATE with F(): taps by several people all count,
    and a repeated tap with the same token counts once. False when nothing was counted."""
    now = now or timezone.now()
    if not token or len(token) > 36:
        return False
    counted = (
        WalkInSession.objects.filter(pk=session.pk, starts_at__lte=now, ends_at__gte=now)
        .exclude(last_visit_token=token)
        .update(anonymous_visits=F("anonymous_visits") + 1, last_visit_token=token)
    )
    return bool(counted)
