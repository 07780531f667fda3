import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.permissions import client_access
from koers.timeline import services
from koers.timeline.constants import Confidentiality, ContactKind, ContactStatus
from koers.timeline.models import ContactMoment, Note, WalkInSession

from .factories import ContactMomentFactory, NoteFactory, WalkInSessionFactory

pytestmark = pytest.mark.django_db


def _request(membership):
    request = RequestFactory().post("/")
    request.user = membership.user
    request.membership = membership
    return request


def _create_contact(world, membership=None, **fields):
    membership = membership or world.regisseur
    values = {
        "kind": ContactKind.HOME_VISIT,
        "status": ContactStatus.HELD,
        "starts_at": timezone.now() - timedelta(hours=1),
        "with_interpreter": True,
        "interpreter_language": "ti",
        "summary": "Huisbezoek met tolk",
        "confidentiality": Confidentiality.OWN_ORGANISATION,
    }
    values.update(fields)
    return services.contact_moment_create(
        _request(membership),
        membership=membership,
        access=client_access(membership, world.client),
        client=world.client,
        clients=[world.client],
        **values,
    )


def test_contact_moment_create_records_author_organisation_and_audit(world):
    contact = _create_contact(world)
    assert contact.organisation == world.gemeente
    assert contact.author == world.regisseur
    assert list(contact.clients.all()) == [world.client]
    event = AuditEvent.objects.get(client_id=world.client.pk, action="create")
    assert Section(event.sections) == Section.NOTES_OWN_ORGANISATION


def test_double_submit_with_the_same_form_token_creates_one_contact(world):
    token = uuid.uuid4()
    first = _create_contact(world, form_token=token)
    second = _create_contact(world, form_token=token)
    assert first.pk == second.pk
    assert ContactMoment.objects.count() == 1


def test_volunteer_cannot_write_a_contact_for_professionals_only(world):
    with pytest.raises(PermissionDenied):
        _create_contact(world, world.volunteer, confidentiality=Confidentiality.PROFESSIONALS)
    assert not ContactMoment.objects.exists()


def test_invalid_contact_saves_nothing(world):
    with pytest.raises(ValidationError):
        _create_contact(world, kind="onbekend")
    assert not ContactMoment.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_planned_appointment_can_be_marked_no_show_once(world):
    contact = ContactMomentFactory(household=world.household, author=world.regisseur, planned=True)
    access = client_access(world.regisseur, world.client)
    request = _request(world.regisseur)
    services.contact_moment_set_status(
        request,
        membership=world.regisseur,
        access=access,
        client=world.client,
        contact=contact,
        status=ContactStatus.NO_SHOW,
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.NO_SHOW
    with pytest.raises(ValidationError):
        services.contact_moment_set_status(
            request,
            membership=world.regisseur,
            access=access,
            client=world.client,
            contact=contact,
            status=ContactStatus.HELD,
        )


def test_only_the_author_organisation_edits_a_contact(world):
    contact = ContactMomentFactory(
        household=world.household,
        author=world.regisseur,
        confidentiality=Confidentiality.PROFESSIONALS,
    )
    access = client_access(world.begeleider, world.client)
    assert not services.can_edit_contact(world.begeleider, access, contact)
    assert services.can_edit_contact(
        world.colleague, client_access(world.colleague, world.client), contact
    )
    with pytest.raises(PermissionDenied):
        services.contact_moment_update(
            _request(world.begeleider),
            membership=world.begeleider,
            access=access,
            client=world.client,
            contact=contact,
            clients=[],
            summary="Overschreven",
        )
    contact.refresh_from_db()
    assert contact.summary != "Overschreven"


def test_a_correction_is_a_new_note_referring_to_the_old_one(world):
    old = NoteFactory(household=world.household, author=world.regisseur, text="Verkeerde datum")
    correction = services.note_create(
        _request(world.regisseur),
        membership=world.regisseur,
        access=client_access(world.regisseur, world.client),
        client=world.client,
        text="De afspraak is op dinsdag",
        confidentiality=Confidentiality.OWN_ORGANISATION,
        corrects=old,
    )
    old.refresh_from_db()
    assert old.text == "Verkeerde datum"
    assert correction.corrects == old
    assert Note.objects.count() == 2


def test_walk_in_visit_counts_once_per_token(world):
    session = WalkInSessionFactory(organisation=world.gemeente, municipality=world.town)
    assert services.walk_in_count_visit(session=session, token="a")
    assert not services.walk_in_count_visit(session=session, token="a")
    assert services.walk_in_count_visit(session=session, token="b")
    session.refresh_from_db()
    assert session.anonymous_visits == 2


def test_walk_in_visit_is_not_counted_outside_the_session(world):
    session = WalkInSessionFactory(
        organisation=world.gemeente,
        municipality=world.town,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    assert not services.walk_in_count_visit(session=session, token="a")
    session.refresh_from_db()
    assert session.anonymous_visits == 0


def test_walk_in_create_refuses_a_municipality_outside_the_membership(world):
    with pytest.raises(PermissionDenied):
        services.walk_in_create(
            membership=world.elsewhere,
            municipality=world.town,
            location="Buurthuis",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=2),
        )
    assert not WalkInSession.objects.exists()
