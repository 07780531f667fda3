from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.constants import Role
from koers.accounts.tests.factories import MembershipFactory
from koers.audit.models import AuditEvent
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import ClientLanguage
from koers.clients.tests.factories import (
    ClientFactory,
    ConsentFactory,
    HouseholdFactory,
    InvolvementFactory,
)
from koers.network.models import Consent, Delegation, Involvement, WarmHandover
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


@pytest.fixture
def family(regisseur):
    town = regisseur.organisation.municipalities.get()
    household = HouseholdFactory(municipality=town, name="Familie Haddad")
    head = ClientFactory(household=household, given_names="Amal", family_name="Haddad")
    ClientFactory(household=household, given_names="Omar", family_name="Haddad")
    return head


def _url(name, client, *args):
    return reverse(f"network:{name}", args=[client.pk, *args])


def test_regisseur_sees_the_network_with_how_to_reach_people(signed_in, regisseur, family):
    partner = OrganisationFactory(partner=True, name="VluchtelingenWerk")
    coach = MembershipFactory(begeleider=True, organisation=partner)
    InvolvementFactory(
        household=family.household,
        organisation=partner,
        membership=coach,
        phone="0612345678",
    )
    InvolvementFactory(
        household=family.household,
        organisation=partner,
        person_name="Oud contact",
        start_date=timezone.localdate() - timedelta(days=30),
        end_date=timezone.localdate() - timedelta(days=2),
    )
    response = signed_in(regisseur).get(_url("household", family))
    assert response.status_code == 200
    body = response.content.decode()
    assert coach.user.display_name in body
    assert "0612345678" in body and coach.user.email in body
    assert "Dit huishouden heeft geen regisseur." in body
    assert "Oud contact" in body  # folded under the ended involvements
    rows = AuditEvent.objects.filter(detail="network:household")
    assert {row.client_id for row in rows} == set(
        family.household.members.values_list("pk", flat=True)
    )
    assert all(Section(row.sections) == Section.NETWORK for row in rows)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.REGISSEUR, 200),
        (Role.KLANTMANAGER, 200),
        (Role.TEAMLEIDER, 404),
        (Role.PRIVACY_OFFICER, 404),
        (Role.FUNCTIONAL_ADMIN, 404),
    ],
)
def test_municipal_roles_read_the_network_page(signed_in, regisseur, family, role, status):
    membership = MembershipFactory(role=role, organisation=regisseur.organisation)
    assert signed_in(membership).get(_url("household", family)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.REGISSEUR, 200),
        (Role.KLANTMANAGER, 200),
        (Role.TEAMLEIDER, 404),
    ],
)
def test_changes_need_network_write(signed_in, regisseur, family, role, status):
    membership = MembershipFactory(role=role, organisation=regisseur.organisation)
    assert signed_in(membership).get(_url("involvement_add", family)).status_code == status


def test_volunteer_reads_the_network_but_cannot_change_it(signed_in, family):
    volunteer = MembershipFactory(vrijwilliger=True)
    LegalBasisFactory(organisation=volunteer.organisation, municipality=family.municipality)
    InvolvementFactory(
        household=family.household,
        organisation=volunteer.organisation,
        membership=volunteer,
        role=NetworkRole.TAALMAATJE,
    )
    client = signed_in(volunteer)
    response = client.get(_url("household", family))
    assert response.status_code == 200
    assert reverse("network:involvement_add", args=[family.pk]) not in response.content.decode()
    assert client.get(_url("involvement_add", family)).status_code == 404
    assert client.get(_url("consents", family)).status_code == 200
    assert client.post(_url("consents", family), {}).status_code == 404


def test_another_municipality_gets_not_found(signed_in, family):
    stranger = MembershipFactory(regisseur=True)
    client = signed_in(stranger)
    for name in ("household", "involvement_add", "handover", "consents", "relocation"):
        assert client.get(_url(name, family)).status_code == 404
    assert not AuditEvent.objects.filter(client_id=family.pk).exists()


def test_add_a_begeleider_with_a_person_of_the_organisation(signed_in, regisseur, family):
    partner = OrganisationFactory(partner=True)
    coach = MembershipFactory(begeleider=True, organisation=partner)
    response = signed_in(regisseur).post(
        _url("involvement_add", family),
        {
            "organisation": partner.pk,
            "membership": coach.pk,
            "role": NetworkRole.BEGELEIDER,
            "start_date": timezone.localdate().isoformat(),
            "phone": "0201234567",
        },
    )
    assert response.status_code == 302
    involvement = Involvement.objects.get(household=family.household)
    assert involvement.membership == coach
    rows = AuditEvent.objects.filter(detail=f"involvement_add:{involvement.pk}")
    assert rows.count() == 2
    assert all(Section(row.sections) == Section.NETWORK for row in rows)


def test_person_choices_are_limited_to_the_organisation(signed_in, regisseur, family):
    partner = OrganisationFactory(partner=True)
    coach = MembershipFactory(begeleider=True, organisation=partner)
    elsewhere = MembershipFactory(begeleider=True)
    client = signed_in(regisseur)
    # Without JavaScript: the refresh button posts the form back, nothing is saved.
    response = client.post(
        _url("involvement_add", family), {"organisation": partner.pk, "refresh": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert coach.user.display_name in body and elsewhere.user.display_name not in body
    assert not Involvement.objects.exists()
    # With htmx: only the person field comes back.
    response = client.post(
        _url("involvement_add", family),
        {"organisation": partner.pk, "refresh": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'id="person-choices"' in body and "<form" not in body
    assert coach.user.display_name in body
    # A person of another organisation is refused next to the field.
    response = client.post(
        _url("involvement_add", family),
        {
            "organisation": partner.pk,
            "membership": elsewhere.pk,
            "role": NetworkRole.BEGELEIDER,
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode()
    assert not Involvement.objects.exists()


def test_volunteer_without_vog_is_refused_in_dutch(signed_in, regisseur, family):
    volunteer = MembershipFactory(vrijwilliger=True, confidentiality_signed_on=None)
    response = signed_in(regisseur).post(
        _url("involvement_add", family),
        {
            "organisation": volunteer.organisation.pk,
            "membership": volunteer.pk,
            "role": NetworkRole.VRIJWILLIGER,
            "start_date": timezone.localdate().isoformat(),
            "task_sections": ["BASIS", "CONTACT"],
        },
    )
    assert response.status_code == 200
    assert "VOG" in response.content.decode()
    assert "vrijwilliger" in response.content.decode().lower()
    assert not Involvement.objects.exists()


def test_handover_ends_the_old_regisseur_in_one_action(signed_in, regisseur, family):
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    old = InvolvementFactory(
        household=family.household,
        organisation=regisseur.organisation,
        membership=regisseur,
        role=NetworkRole.REGISSEUR,
        start_date=timezone.localdate() - timedelta(days=100),
    )
    client = signed_in(regisseur)
    data = {"membership": colleague.pk, "note": "Ik ga met verlof"}
    assert client.post(_url("handover", family), data).status_code == 302
    assert client.post(_url("handover", family), data).status_code == 302  # double submit
    old.refresh_from_db()
    assert old.end_date is not None
    active = Involvement.objects.filter(role=NetworkRole.REGISSEUR, end_date__isnull=True)
    assert [i.membership_id for i in active] == [colleague.pk]


def test_handover_note_is_required(signed_in, regisseur, family):
    response = signed_in(regisseur).post(_url("handover", family), {"membership": regisseur.pk})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert not Involvement.objects.exists()


def test_warm_handover_is_recorded_and_listed(signed_in, regisseur, family):
    client = signed_in(regisseur)
    response = client.post(
        _url("warm_handover", family),
        {
            "received_on": timezone.localdate().isoformat(),
            "coa_location": "AZC Budel",
            "coa_contact": "J. de Vries",
            "basis": "Wettelijke taak Wi2021",
            "sections": ["BASIS", "LANGUAGES"],
            "summary": "Gezin van vijf",
        },
    )
    assert response.status_code == 302
    assert WarmHandover.objects.get().coa_location == "AZC Budel"
    assert "AZC Budel" in client.get(_url("household", family)).content.decode()


def test_relocation_via_the_page_sets_the_status(signed_in, regisseur, family):
    moved_on = timezone.localdate()
    response = signed_in(regisseur).post(
        _url("relocation", family),
        {"to_municipality_name": "Utrecht", "moved_on": moved_on.isoformat()},
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status == "verhuisd"
    assert family.access_ends_on == moved_on + timedelta(days=30)
    event = AuditEvent.objects.get(detail__startswith="relocation:")
    assert Section.BASIS in Section(event.sections)


def test_record_and_withdraw_a_consent(signed_in, regisseur, family):
    partner = OrganisationFactory(partner=True, name="Humanitas")
    client = signed_in(regisseur)
    response = client.post(
        _url("consents", family),
        {
            "organisation": partner.pk,
            "purpose": "taalmaatje",
            "sections": ["BASIS", "CONTACT", "LANGUAGES"],
            "text_version": "2026-1",
            "explained_in_language": "ar",
            "with_interpreter": "on",
            "how_given": "signed",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.recorded_by == regisseur
    created = AuditEvent.objects.get(detail=f"consent_record:{consent.pk}")
    assert Section(created.sections) == Section.BASIS | Section.CONTACT | Section.LANGUAGES
    assert client.post(_url("consent_withdraw", family, consent.pk)).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    body = client.get(_url("consents", family)).content.decode()
    assert "Ingetrokken op" in body


def test_consent_form_in_english_for_an_english_speaker(signed_in, regisseur, family):
    ClientLanguage.objects.create(client=family, language="en", is_mother_tongue=True)
    consent = ConsentFactory(client=family, recorded_by=regisseur)
    response = signed_in(regisseur).get(_url("consent_print", family, consent.pk))
    body = response.content.decode()
    assert 'lang="en"' in body
    assert "I give" in body and "Signature" in body
    assert "Languages" in body  # the sections in plain words, in English


def test_consent_form_asks_for_a_certified_translation(signed_in, regisseur, family):
    ClientLanguage.objects.create(client=family, language="ti", is_mother_tongue=True)
    consent = ConsentFactory(client=family, recorded_by=regisseur)
    body = signed_in(regisseur).get(_url("consent_print", family, consent.pk)).content.decode()
    assert "beëdigde vertaling" in body
    assert "Handtekening" in body  # the Dutch form


def test_network_page_queries_do_not_grow_with_involvements(signed_in, regisseur, family):
    client = signed_in(regisseur)
    partner = OrganisationFactory(partner=True)

    def add(count):
        for _ in range(count):
            InvolvementFactory(
                household=family.household,
                organisation=partner,
                membership=MembershipFactory(begeleider=True, organisation=partner),
            )

    add(1)
    client.get(_url("household", family))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(_url("household", family)).status_code == 200
    add(19)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(_url("household", family))
    assert response.content.decode().count("utrecht-table__row") >= 21
    assert len(twenty) == len(one)


def test_teamleider_records_and_ends_a_stand_in(signed_in, regisseur):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    client = signed_in(teamleider)
    assert client.get(reverse("network:delegations")).status_code == 200
    today = timezone.localdate()
    response = client.post(
        reverse("network:delegation_create"),
        {
            "from_membership": regisseur.pk,
            "to_membership": colleague.pk,
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=14)).isoformat(),
            "reason": "Verlof",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.to_membership == colleague
    assert (
        colleague.user.display_name in client.get(reverse("network:delegations")).content.decode()
    )
    assert client.post(reverse("network:delegation_end", args=[delegation.pk])).status_code == 302
    assert not Delegation.objects.active().exists()


def test_stand_in_must_have_the_same_role(signed_in, regisseur):
    klantmanager = MembershipFactory(klantmanager=True, organisation=regisseur.organisation)
    today = timezone.localdate()
    response = signed_in(regisseur).post(
        reverse("network:delegation_create"),
        {
            "from_membership": regisseur.pk,
            "to_membership": klantmanager.pk,
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "dezelfde rol" in response.content.decode()
    assert not Delegation.objects.exists()


def test_regisseur_cannot_record_a_stand_in_for_a_colleague(signed_in, regisseur):
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    other = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    today = timezone.localdate()
    response = signed_in(regisseur).post(
        reverse("network:delegation_create"),
        {
            "from_membership": colleague.pk,
            "to_membership": other.pk,
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert not Delegation.objects.exists()


def test_privacy_officer_has_no_stand_in_page(signed_in, regisseur):
    officer = MembershipFactory(privacy_officer=True, organisation=regisseur.organisation)
    assert signed_in(officer).get(reverse("network:delegations")).status_code == 404
