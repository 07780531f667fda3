from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.models import Client
from koers.clients.tests.factories import ConsentFactory, InvolvementFactory
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory
from koers.timeline.constants import Confidentiality, ContactKind, ContactStatus
from koers.timeline.models import ContactMoment, Note, WalkInSession

from .factories import ContactMomentFactory, NoteFactory, WalkInSessionFactory

pytestmark = pytest.mark.django_db

OWN, PROFESSIONALS, NETWORK = "Alleen eigen organisatie", "Voor professionals", "Voor iedereen"


@pytest.fixture
def notes(world):
    """One note per confidentiality level and an own-organisation contact, by the regisseur."""
    for level, text in (
        (Confidentiality.OWN_ORGANISATION, OWN),
        (Confidentiality.PROFESSIONALS, PROFESSIONALS),
        (Confidentiality.NETWORK, NETWORK),
    ):
        NoteFactory(
            household=world.household, author=world.regisseur, confidentiality=level, text=text
        )
    ContactMomentFactory(
        household=world.household,
        author=world.regisseur,
        summary="Geheime samenvatting",
        others_present="De verhuurder",
    )


def _timeline(signed_in, membership, client, **params):
    return signed_in(membership).get(
        reverse("timeline:household", args=[client.pk]), params, HTTP_ACCEPT_LANGUAGE="nl"
    )


@pytest.mark.parametrize(
    ("who", "visible", "hidden"),
    [
        ("colleague", [OWN, PROFESSIONALS, NETWORK, "Geheime samenvatting"], []),
        ("begeleider", [PROFESSIONALS, NETWORK], [OWN, "Geheime samenvatting"]),
        ("volunteer", [NETWORK], [OWN, PROFESSIONALS, "Geheime samenvatting"]),
    ],
)
def test_confidentiality_matrix(signed_in, world, notes, who, visible, hidden):
    response = _timeline(signed_in, getattr(world, who), world.client)
    assert response.status_code == 200
    body = response.content.decode()
    for text in visible:
        assert text in body
    for text in hidden:
        assert text not in body


def test_volunteer_sees_only_network_notes(signed_in, world, notes):
    body = _timeline(signed_in, world.volunteer, world.client).content.decode()
    assert NETWORK in body
    assert OWN not in body and PROFESSIONALS not in body
    # The contact shows only that it took place, not with whom.
    assert "Er was contact (Gemeente Lingewaard-tijdlijn)" in body
    assert "De verhuurder" not in body


def test_partner_sees_that_a_contact_took_place_without_its_content(signed_in, world, notes):
    body = _timeline(signed_in, world.begeleider, world.client).content.decode()
    assert "Er was contact" in body
    assert "De verhuurder" not in body


def test_timeline_outside_scope_is_not_found(signed_in, world, notes):
    assert _timeline(signed_in, world.elsewhere, world.client).status_code == 404
    response = signed_in(world.elsewhere).get(
        reverse("timeline:note_create", args=[world.client.pk])
    )
    assert response.status_code == 404


def test_audit_records_the_notes_sections_shown(signed_in, world, notes):
    _timeline(signed_in, world.volunteer, world.client)
    events = AuditEvent.objects.filter(membership_id=world.volunteer.pk, action="view")
    assert {e.client_id for e in events} == {world.client.pk, world.child.pk}
    for event in events:
        assert Section(event.sections) == Section.BASIS | Section.NOTES_NETWORK


def test_audit_of_the_colleague_names_every_notes_section(signed_in, world, notes):
    _timeline(signed_in, world.colleague, world.client)
    event = AuditEvent.objects.get(
        membership_id=world.colleague.pk, action="view", client_id=world.client.pk
    )
    assert Section(event.sections) == (
        Section.BASIS
        | Section.NOTES_OWN_ORGANISATION
        | Section.NOTES_PROFESSIONALS
        | Section.NOTES_NETWORK
    )


def test_no_show_stands_out(signed_in, world):
    ContactMomentFactory(
        household=world.household, author=world.regisseur, status=ContactStatus.NO_SHOW
    )
    body = _timeline(signed_in, world.regisseur, world.client).content.decode()
    assert "koers-timeline__entry--no-show" in body
    assert "Niet verschenen" in body


def _fill(household, authors, count):
    now = timezone.now()
    for i in range(count):
        if i % 2:
            NoteFactory(
                household=household,
                author=authors[1],
                confidentiality=Confidentiality.PROFESSIONALS,
                created_at=now - timedelta(hours=i),
            )
        else:
            contact = ContactMomentFactory(
                household=household,
                author=authors[0],
                starts_at=now - timedelta(hours=i),
                with_interpreter=True,
                interpreter_language="ti",
            )
            contact.clients.add(*Client.objects.filter(household=household))


def test_timeline_queries_are_the_same_for_1_and_20_entries(signed_in, world):
    from koers.clients.tests.factories import ClientFactory, HouseholdFactory

    small = ClientFactory(household=HouseholdFactory(municipality=world.town))
    _fill(small.household, [world.regisseur, world.colleague], 1)
    _fill(world.household, [world.regisseur, world.colleague], 20)
    client = signed_in(world.regisseur)
    counts = []
    for target, expected in ((small, 1), (world.client, 20)):
        url = reverse("timeline:household", args=[target.pk])
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count('data-testid="timeline-entry"') == expected
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _contact_post(**overrides):
    data = {
        "form_token": "3f2b5c1e-1111-4c4c-9a9a-123456789abc",
        "starts_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "kind": ContactKind.HOME_VISIT,
        "status": ContactStatus.HELD,
        "with_interpreter": "on",
        "interpreter_language": "ti",
        "summary": "Kennismaking",
        "confidentiality": Confidentiality.OWN_ORGANISATION,
    }
    data.update(overrides)
    return data


def test_record_contact_twice_with_the_same_form_creates_one(signed_in, world):
    client = signed_in(world.regisseur)
    url = reverse("timeline:contact_create", args=[world.client.pk])
    data = _contact_post(clients=[world.client.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    contact = ContactMoment.objects.get()
    assert contact.interpreter_language == "ti"
    assert list(contact.clients.all()) == [world.client]


def test_interpreter_without_language_shows_a_dutch_error_and_saves_nothing(signed_in, world):
    response = signed_in(world.regisseur).post(
        reverse("timeline:contact_create", args=[world.client.pk]),
        _contact_post(interpreter_language=""),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "Kies de taal waarin de tolk heeft getolkt." in response.content.decode()
    assert not ContactMoment.objects.exists()


def test_contact_form_warns_against_special_category_data(signed_in, world):
    body = (
        signed_in(world.regisseur)
        .get(reverse("timeline:contact_create", args=[world.client.pk]))
        .content.decode()
    )
    assert "Geen bijzondere persoonsgegevens in vrije tekst." in body


def test_volunteer_can_only_choose_network_confidentiality(signed_in, world):
    response = signed_in(world.volunteer).get(
        reverse("timeline:note_create", args=[world.client.pk])
    )
    assert response.status_code == 200
    choices = [value for value, _ in response.context["form"].fields["confidentiality"].choices]
    assert choices == [Confidentiality.NETWORK]


def test_partner_cannot_edit_the_municipality_contact(signed_in, world):
    contact = ContactMomentFactory(
        household=world.household,
        author=world.regisseur,
        confidentiality=Confidentiality.PROFESSIONALS,
    )
    url = reverse("timeline:contact_edit", args=[world.client.pk, contact.pk])
    assert signed_in(world.begeleider).get(url).status_code == 404


def test_planned_appointment_marked_as_held(signed_in, world):
    contact = ContactMomentFactory(household=world.household, author=world.regisseur, planned=True)
    response = signed_in(world.colleague).post(
        reverse("timeline:contact_status", args=[world.client.pk, contact.pk]),
        {"status": ContactStatus.HELD},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactStatus.HELD


def test_note_correction_keeps_the_old_note(signed_in, world):
    old = NoteFactory(household=world.household, author=world.regisseur, text="Oud")
    url = reverse("timeline:note_create", args=[world.client.pk]) + f"?corrigeert={old.pk}"
    client = signed_in(world.regisseur)
    assert "Oud" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "form_token": "3f2b5c1e-2222-4c4c-9a9a-123456789abc",
            "text": "Nieuw",
            "confidentiality": Confidentiality.OWN_ORGANISATION,
        },
    )
    assert response.status_code == 302
    assert Note.objects.get(text="Nieuw").corrects == old
    assert Note.objects.get(pk=old.pk).text == "Oud"


def test_correcting_a_note_one_may_not_read_is_not_found(signed_in, world):
    old = NoteFactory(household=world.household, author=world.regisseur)
    url = reverse("timeline:note_create", args=[world.client.pk]) + f"?corrigeert={old.pk}"
    assert signed_in(world.begeleider).get(url).status_code == 404


# --- readability per household member ------------------------------------------------------


@pytest.fixture
def child_moved_out(world):
    """The child moved out: the municipality's access to the child ended yesterday, to the
    parent it goes on. Notes and contacts about each of them, and one about the household."""
    Client.objects.filter(pk=world.child.pk).update(
        access_ends_on=timezone.localdate() - timedelta(days=1)
    )
    network = Confidentiality.NETWORK
    NoteFactory(
        household=world.household,
        author=world.colleague,
        client=world.child,
        confidentiality=network,
        text="Over Abel",
    )
    NoteFactory(
        household=world.household,
        author=world.colleague,
        client=world.client,
        confidentiality=network,
        text="Over Selam",
    )
    NoteFactory(
        household=world.household, author=world.colleague, confidentiality=network, text="Gezin"
    )
    with_child = ContactMomentFactory(
        household=world.household, author=world.colleague, summary="Gesprek met Abel"
    )
    with_child.clients.add(world.child)
    with_both = ContactMomentFactory(
        household=world.household, author=world.colleague, summary="Gesprek met beiden"
    )
    with_both.clients.add(world.child, world.client)
    with_parent = ContactMomentFactory(
        household=world.household, author=world.colleague, summary="Gesprek met Selam"
    )
    with_parent.clients.add(world.client)


def test_a_note_about_a_member_one_may_no_longer_read_is_not_shown(
    signed_in, world, child_moved_out
):
    response = _timeline(signed_in, world.regisseur, world.client)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Over Selam" in body and "Gezin" in body and "Gesprek met Selam" in body
    assert "Over Abel" not in body
    # A contact only with the child is not shown at all; one with both only as an occurrence.
    assert "Gesprek met Abel" not in body and "Gesprek met beiden" not in body
    assert body.count('data-testid="timeline-entry"') == 4
    assert "Er was contact (Gemeente Lingewaard-tijdlijn)" in body
    events = AuditEvent.objects.filter(membership_id=world.regisseur.pk, action="view")
    assert [e.client_id for e in events] == [world.client.pk]
    assert Section(events[0].sections) == (
        Section.BASIS | Section.NOTES_NETWORK | Section.NOTES_OWN_ORGANISATION
    )


def test_a_correction_of_a_note_about_a_member_one_may_not_read_is_not_found(
    signed_in, world, child_moved_out
):
    about_child = Note.objects.get(text="Over Abel")
    about_parent = Note.objects.get(text="Over Selam")
    url = reverse("timeline:note_create", args=[world.client.pk])
    browser = signed_in(world.regisseur)
    assert browser.get(url, {"corrigeert": about_child.pk}).status_code == 404
    assert browser.get(url, {"corrigeert": about_parent.pk}).status_code == 200


@pytest.fixture
def consent_partner(world):
    """A partner working on the clients' consent: Selam consented to notes for professionals,
    Abel only to notes for the whole network."""

    partner = OrganisationFactory(name="Taalhuis test", partner=True)
    LegalBasisFactory(
        organisation=partner,
        municipality=world.town,
        kind=LegalBasisKind.CONSENT,
        sections=Section.BASIS | Section.NOTES_NETWORK | Section.NOTES_PROFESSIONALS,
    )
    InvolvementFactory(household=world.household, organisation=partner)
    ConsentFactory(
        client=world.client,
        organisation=partner,
        sections=Section.BASIS | Section.NOTES_NETWORK | Section.NOTES_PROFESSIONALS,
    )
    ConsentFactory(
        client=world.child, organisation=partner, sections=Section.BASIS | Section.NOTES_NETWORK
    )
    professional = Confidentiality.PROFESSIONALS
    for about, text in ((world.client, "Prof Selam"), (world.child, "Prof Abel"), (None, "Prof")):
        NoteFactory(
            household=world.household,
            author=world.regisseur,
            client=about,
            confidentiality=professional,
            text=text,
        )
    return MembershipFactory(begeleider=True, organisation=partner)


def test_each_note_about_a_member_follows_the_consent_of_that_member(
    signed_in, world, consent_partner
):
    household_note = 'koers-timeline__text">Prof</p>'
    body = _timeline(signed_in, consent_partner, world.client).content.decode()
    assert "Prof Selam" in body and household_note in body
    assert "Prof Abel" not in body
    assert body.count('data-testid="timeline-entry"') == 2
    # Opened through the child, the household's note follows the child's consent; the note
    # about Selam still follows Selam's.
    body = _timeline(signed_in, consent_partner, world.child).content.decode()
    assert "Prof Selam" in body and "Prof Abel" not in body and household_note not in body
    assert body.count('data-testid="timeline-entry"') == 1
    events = {
        e.client_id: Section(e.sections)
        for e in AuditEvent.objects.filter(membership_id=consent_partner.pk, action="view")
    }
    assert events == {
        world.client.pk: Section.BASIS | Section.NOTES_PROFESSIONALS,
        world.child.pk: Section.BASIS,
    }


# --- walk-in hours ------------------------------------------------------------------------


def test_volunteer_does_not_see_walk_in_administration(signed_in, world):
    client = signed_in(world.volunteer)
    assert client.get(reverse("timeline:walkin_list")).status_code == 403
    session = WalkInSessionFactory(organisation=world.gemeente, municipality=world.town)
    assert client.get(reverse("timeline:walkin_detail", args=[session.pk])).status_code == 403


def test_partner_of_the_municipality_sees_and_counts_walk_in_visits(signed_in, world):
    session = WalkInSessionFactory(organisation=world.gemeente, municipality=world.town)
    client = signed_in(world.begeleider)
    assert session.location in client.get(reverse("timeline:walkin_list")).content.decode()
    url = reverse("timeline:walkin_visit", args=[session.pk])
    # Without JavaScript: a plain POST and a redirect.
    assert client.post(url, {"token": "tap-1"}).status_code == 302
    # With htmx: the counter partial; the double tap with the same token counts once.
    response = client.post(url, {"token": "tap-2"}, HTTP_HX_REQUEST="true")
    client.post(url, {"token": "tap-2"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    session.refresh_from_db()
    assert session.anonymous_visits == 2


def test_walk_in_of_another_municipality_is_not_found(signed_in, world):
    session = WalkInSessionFactory(organisation=world.gemeente, municipality=world.town)
    response = signed_in(world.elsewhere).get(reverse("timeline:walkin_detail", args=[session.pk]))
    assert response.status_code == 404
    assert (
        signed_in(world.elsewhere)
        .post(reverse("timeline:walkin_visit", args=[session.pk]), {"token": "x"})
        .status_code
        == 404
    )


def test_walk_in_create_with_network_members_present(signed_in, world):
    start = timezone.localtime() + timedelta(days=1)
    response = signed_in(world.regisseur).post(
        reverse("timeline:walkin_create"),
        {
            "municipality": world.town.pk,
            "location": "Buurthuis De Linge",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "present": [world.regisseur.pk, world.begeleider.pk],
        },
    )
    assert response.status_code == 302
    session = WalkInSession.objects.get()
    assert set(session.present.all()) == {world.regisseur, world.begeleider}
    assert session.organisation == world.gemeente


def test_walk_in_create_refuses_volunteers_as_present_and_end_before_start(signed_in, world):
    start = timezone.localtime() + timedelta(days=1)
    response = signed_in(world.regisseur).post(
        reverse("timeline:walkin_create"),
        {
            "municipality": world.town.pk,
            "location": "Buurthuis",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "present": [world.volunteer.pk],
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Het einde moet na het begin liggen." in body
    assert not WalkInSession.objects.exists()
