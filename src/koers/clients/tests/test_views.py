import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import BreakGlassAccess
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.organisations.tests.factories import AreaTeamFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


def town_of(membership):
    return membership.organisation.municipalities.get()


def make_clients(town, n):
    return [ClientFactory(household=HouseholdFactory(municipality=town)) for _ in range(n)]


def test_client_list_shows_visible_clients_and_audits_each_one(signed_in, regisseur):
    clients = make_clients(town_of(regisseur), 3)
    ClientFactory()  # another municipality
    response = signed_in(regisseur).get(reverse("clients:list"))
    assert response.status_code == 200
    for client in clients:
        assert client.full_name in response.text
    rows = AuditEvent.objects.filter(action=Action.LIST)
    assert {row.client_id for row in rows} == {c.pk for c in clients}
    row = rows.first()
    assert row.membership_id == regisseur.pk and row.basis == "legal_task"
    assert row.sections == Section.BASIS
    assert row.request_id is not None and len({r.request_id for r in rows}) == 1


def test_client_list_query_count_does_not_grow_with_rows(
    signed_in, regisseur, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    town = town_of(regisseur)
    client = signed_in(regisseur)
    make_clients(town, 1)
    client.get(reverse("clients:list"))  # warm caches shared by both measurements
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("clients:list"))
    make_clients(town, 19)
    with CaptureQueriesContext(connection) as twenty:
        client.get(reverse("clients:list"))
    assert len(one) == len(twenty)


def test_client_list_pages_with_a_keyset_cursor(signed_in, regisseur):
    town = town_of(regisseur)
    for i in range(55):
        ClientFactory(household=HouseholdFactory(municipality=town), family_name=f"Naam{i:02d}")
    client = signed_in(regisseur)
    first = client.get(reverse("clients:list"))
    assert "Naam49" in first.text and "Naam50" not in first.text
    cursor = re.search(r"\?na=(\d+)", first.text).group(1)
    second = client.get(reverse("clients:list"), {"na": cursor}, HTTP_HX_REQUEST="true")
    assert "Naam50" in second.text and "Naam54" in second.text
    assert "<html" not in second.text  # the rows partial only
    assert "?na=" not in second.text


def test_dossier_is_not_found_for_another_municipality(signed_in, regisseur):
    elsewhere = ClientFactory()
    response = signed_in(regisseur).get(reverse("clients:detail", args=[elsewhere.pk]))
    missing = signed_in(regisseur).get(reverse("clients:detail", args=[987654321]))
    assert response.status_code == missing.status_code == 404
    assert not AuditEvent.objects.filter(client_id=elsewhere.pk).exists()


def test_dossier_view_is_audited_with_the_sections_shown(signed_in, regisseur):
    target = make_clients(town_of(regisseur), 1)[0]
    response = signed_in(regisseur).get(reverse("clients:detail", args=[target.pk]))
    assert response.status_code == 200
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.VIEW)
    assert row.sections == Section.BASIS | Section.NETWORK


def test_teamleider_sees_names_but_no_dossier(signed_in):
    leader = MembershipFactory(teamleider=True)
    target = make_clients(town_of(leader), 1)[0]
    client = signed_in(leader)
    listing = client.get(reverse("clients:list"))
    assert target.full_name in listing.text
    assert reverse("clients:detail", args=[target.pk]) not in listing.text
    assert client.get(reverse("clients:detail", args=[target.pk])).status_code == 404


def test_volunteer_lists_only_assigned_households(signed_in):
    volunteer = MembershipFactory(vrijwilliger=True)
    from koers.organisations.tests.factories import LegalBasisFactory

    assigned, other = ClientFactory(), ClientFactory()
    LegalBasisFactory(
        organisation=volunteer.organisation,
        municipality=assigned.municipality,
        kind="convenant",
        sections=Section.all() & ~Section.IDENTITY,
    )
    InvolvementFactory(
        household=assigned.household,
        organisation=volunteer.organisation,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
    )
    response = signed_in(volunteer).get(reverse("clients:list"))
    assert assigned.full_name in response.text
    assert other.full_name not in response.text
    assert "Mijn huishoudens" in response.text


def test_break_glass_opens_a_dossier_outside_the_area_team_and_is_logged(signed_in):
    org = OrganisationFactory()
    town = org.municipalities.get()
    own_team = AreaTeamFactory(municipality=town)
    regisseur = MembershipFactory(regisseur=True, organisation=org)
    regisseur.area_teams.add(own_team)
    outside = ClientFactory(household=HouseholdFactory(municipality=town))
    client = signed_in(regisseur)
    assert client.get(reverse("clients:detail", args=[outside.pk])).status_code == 404

    short = client.post(
        reverse("clients:break_glass"), {"client_number": outside.pk, "reason": "te kort"}
    )
    assert short.status_code == 200
    assert "minstens 20 tekens" in short.text
    assert not BreakGlassAccess.objects.exists()

    response = client.post(
        reverse("clients:break_glass"),
        {"client_number": outside.pk, "reason": "Collega ziek, PIP-termijn verloopt morgen"},
    )
    assert response.status_code == 302
    grant = BreakGlassAccess.objects.get()
    assert grant.expires_at > timezone.now() + timedelta(hours=1)
    assert AuditEvent.objects.filter(client_id=outside.pk, action=Action.BREAK_GLASS).exists()
    page = client.get(reverse("clients:detail", args=[outside.pk]))
    assert page.status_code == 200
    assert "noodtoegang" in page.text
    view = AuditEvent.objects.get(client_id=outside.pk, action=Action.VIEW)
    assert view.basis == "break_glass" and view.basis_id == grant.pk


def test_break_glass_cannot_reach_another_municipality(signed_in, regisseur):
    elsewhere = ClientFactory()
    response = signed_in(regisseur).post(
        reverse("clients:break_glass"),
        {"client_number": elsewhere.pk, "reason": "Ik wil dit dossier graag inzien nu"},
    )
    assert response.status_code == 200
    assert "Er is geen cliënt met dit nummer" in response.text
    assert not BreakGlassAccess.objects.exists()


def test_partner_and_volunteer_roles_cannot_break_the_glass(signed_in):
    for membership in (MembershipFactory(begeleider=True), MembershipFactory(vrijwilliger=True)):
        assert signed_in(membership).get(reverse("clients:break_glass")).status_code == 404
