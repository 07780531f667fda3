"""The access rule of product.md: every role against every section, scope and basis."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from koers.accounts.constants import ROLE_READ_SECTIONS, Role
from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole, Section
from koers.clients.permissions import (
    can_view_section,
    client_access,
    clients_visible_to,
    get_client_for,
)
from koers.clients.tests.factories import (
    ClientFactory,
    ConsentFactory,
    HouseholdFactory,
    InvolvementFactory,
)
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import (
    AreaTeamFactory,
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(name="Lingewaard-test")


@pytest.fixture
def municipal_org(town):
    return OrganisationFactory(name="Gemeente Test", municipalities=[town])


@pytest.fixture
def client_in_town(town):
    return ClientFactory(household=HouseholdFactory(municipality=town))


def municipal(role, org):
    return MembershipFactory(role=role, organisation=org)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("section", list(Section))
def test_municipal_role_reads_exactly_the_role_sections(
    role, section, municipal_org, client_in_town
):
    membership = municipal(role, municipal_org)
    membership.vog_checked_on = membership.confidentiality_signed_on = timezone.localdate()
    membership.save()
    # Volunteers and coordinators reach a household only through an assignment.
    InvolvementFactory(
        household=client_in_town.household,
        organisation=municipal_org,
        membership=membership,
        role=NetworkRole.VRIJWILLIGER,
    )
    expected = section in ROLE_READ_SECTIONS[role]
    assert can_view_section(membership, client_in_town, section) is expected


def test_municipal_volunteer_without_assignment_sees_nothing(municipal_org, client_in_town):
    for role in (Role.VRIJWILLIGER, Role.COORDINATOR):
        membership = MembershipFactory(
            role=role,
            organisation=municipal_org,
            vog_checked_on=timezone.localdate(),
            confidentiality_signed_on=timezone.localdate(),
        )
        assert not clients_visible_to(membership).exists()


def test_privacy_officer_and_functional_admin_see_no_clients(municipal_org, client_in_town):
    for role in (Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN):
        assert not clients_visible_to(municipal(role, municipal_org)).exists()


def test_klantmanager_cannot_see_health_or_justice(municipal_org, client_in_town):
    membership = municipal(Role.KLANTMANAGER, municipal_org)
    assert can_view_section(membership, client_in_town, Section.WORK_INCOME)
    assert not can_view_section(membership, client_in_town, Section.HEALTH)
    assert not can_view_section(membership, client_in_town, Section.JUSTICE)


def test_regisseur_of_another_municipality_gets_not_found(municipal_org, client_in_town):
    elsewhere = OrganisationFactory(name="Gemeente Elders")
    membership = municipal(Role.REGISSEUR, elsewhere)
    assert not clients_visible_to(membership).filter(pk=client_in_town.pk).exists()
    with pytest.raises(Http404):
        get_client_for(membership, client_in_town.pk)


def test_missing_and_forbidden_raise_the_same_error(municipal_org, client_in_town):
    membership = municipal(Role.REGISSEUR, OrganisationFactory())
    errors = []
    for pk in (client_in_town.pk, 999_999_999, "not-a-number"):
        with pytest.raises(Http404) as caught:
            get_client_for(membership, pk)
        errors.append((type(caught.value), str(caught.value)))
    assert len(set(errors)) == 1


def test_area_team_membership_sees_only_its_teams(town, municipal_org):
    north, south = AreaTeamFactory(municipality=town), AreaTeamFactory(municipality=town)
    in_north = ClientFactory(household=HouseholdFactory(municipality=town, area_team=north))
    in_south = ClientFactory(household=HouseholdFactory(municipality=town, area_team=south))
    membership = municipal(Role.REGISSEUR, municipal_org)
    membership.area_teams.add(north)
    visible = set(clients_visible_to(membership).values_list("pk", flat=True))
    assert visible == {in_north.pk}
    assert client_access(membership, in_south).read == Section.none()


def test_break_glass_grants_access_until_it_expires(town, municipal_org):
    from koers.clients.models import BreakGlassAccess

    north = AreaTeamFactory(municipality=town)
    other_team_client = ClientFactory(household=HouseholdFactory(municipality=town))
    membership = municipal(Role.REGISSEUR, municipal_org)
    membership.area_teams.add(north)
    assert not clients_visible_to(membership).filter(pk=other_team_client.pk).exists()
    now = timezone.now()
    grant = BreakGlassAccess.objects.create(
        membership=membership,
        client=other_team_client,
        reason="Collega ziek, termijn loopt af",
        expires_at=now + timedelta(hours=1),
    )
    assert clients_visible_to(membership).filter(pk=other_team_client.pk).exists()
    access = client_access(membership, other_team_client)
    assert access.basis == "break_glass" and access.basis_id == grant.pk
    grant.expires_at = now - timedelta(seconds=1)
    grant.save()
    assert not clients_visible_to(membership).filter(pk=other_team_client.pk).exists()


class TestPartner:
    def test_partner_sees_only_households_it_is_involved_in_on_a_basis(self, town, client_in_town):
        vwn = OrganisationFactory(partner=True, name="VluchtelingenWerk Test")
        LegalBasisFactory(
            organisation=vwn,
            municipality=town,
            kind=LegalBasisKind.PROCESSOR,
            sections=Section.BASIS | Section.CONTACT | Section.HEALTH,
        )
        other = ClientFactory(household=HouseholdFactory(municipality=town))
        InvolvementFactory(household=client_in_town.household, organisation=vwn)
        membership = MembershipFactory(role=Role.BEGELEIDER, organisation=vwn)
        visible = set(clients_visible_to(membership).values_list("pk", flat=True))
        assert visible == {client_in_town.pk}
        assert other.pk not in visible
        access = client_access(membership, client_in_town)
        assert access.read == Section.BASIS | Section.CONTACT | Section.HEALTH
        assert access.basis == LegalBasisKind.PROCESSOR

    def test_partner_without_basis_in_force_sees_nothing(self, town, client_in_town):
        vwn = OrganisationFactory(partner=True)
        LegalBasisFactory(
            organisation=vwn,
            municipality=town,
            start_date=timezone.localdate() - timedelta(days=400),
            end_date=timezone.localdate() - timedelta(days=1),
        )
        InvolvementFactory(household=client_in_town.household, organisation=vwn)
        membership = MembershipFactory(role=Role.BEGELEIDER, organisation=vwn)
        assert not clients_visible_to(membership).exists()

    def test_consent_basis_needs_the_clients_active_consent(self, town, client_in_town):
        humanitas = OrganisationFactory(partner=True)
        LegalBasisFactory(
            organisation=humanitas,
            municipality=town,
            kind=LegalBasisKind.CONSENT,
            sections=Section.BASIS | Section.CONTACT | Section.LANGUAGES,
        )
        InvolvementFactory(household=client_in_town.household, organisation=humanitas)
        membership = MembershipFactory(role=Role.BEGELEIDER, organisation=humanitas)
        assert not clients_visible_to(membership).exists()
        consent = ConsentFactory(
            client=client_in_town,
            organisation=humanitas,
            sections=Section.BASIS | Section.LANGUAGES,
        )
        assert clients_visible_to(membership).filter(pk=client_in_town.pk).exists()
        assert client_access(membership, client_in_town).read == Section.BASIS | Section.LANGUAGES
        consent.withdrawn_on = timezone.localdate()
        consent.save()
        assert not clients_visible_to(membership).exists()


class TestVolunteer:
    @pytest.fixture
    def setup(self, town, client_in_town):
        humanitas = OrganisationFactory(partner=True, name="Humanitas Test")
        LegalBasisFactory(
            organisation=humanitas,
            municipality=town,
            kind=LegalBasisKind.COVENANT,
            sections=Section.all() & ~Section.IDENTITY,
        )
        volunteer = MembershipFactory(vrijwilliger=True, organisation=humanitas)
        assignment = InvolvementFactory(
            household=client_in_town.household,
            organisation=humanitas,
            membership=volunteer,
            role=NetworkRole.VRIJWILLIGER,
        )
        return volunteer, assignment

    def test_volunteer_sees_at_most_the_volunteer_sections(self, setup, client_in_town):
        volunteer, _ = setup
        access = client_access(volunteer, client_in_town)
        assert access.read == VOLUNTEER_MAX_SECTIONS
        for section in (
            Section.IDENTITY,
            Section.HEALTH,
            Section.JUSTICE,
            Section.ASYLUM,
            Section.DOCUMENTS,
            Section.MEASUREMENTS,
            Section.PLAN,
        ):
            assert not can_view_section(volunteer, client_in_town, section)

    def test_volunteer_sees_only_assigned_households(self, setup, town):
        volunteer, _ = setup
        unassigned = ClientFactory(household=HouseholdFactory(municipality=town))
        assert not clients_visible_to(volunteer).filter(pk=unassigned.pk).exists()

    def test_volunteer_without_vog_or_agreement_sees_nothing(self, setup):
        volunteer, _ = setup
        volunteer.vog_checked_on = None
        volunteer.save()
        volunteer = type(volunteer).objects.get(pk=volunteer.pk)
        assert not clients_visible_to(volunteer).exists()

    def test_task_profile_and_municipality_narrow_the_volunteer(self, setup, town, client_in_town):
        volunteer, assignment = setup
        assignment.task_sections = Section.BASIS | Section.CONTACT | Section.TASKS
        assignment.save()
        town.volunteer_sections = Section.BASIS | Section.TASKS
        town.save()
        volunteer = type(volunteer).objects.get(pk=volunteer.pk)
        assert client_access(volunteer, client_in_town).read == Section.BASIS | Section.TASKS

    def test_access_ends_with_the_assignment(self, setup):
        volunteer, assignment = setup
        assignment.start_date = timezone.localdate() - timedelta(days=30)
        assignment.end_date = timezone.localdate() - timedelta(days=1)
        assignment.save()
        assert not clients_visible_to(volunteer).exists()

    def test_access_ends_after_a_year_unless_renewed(self, setup):
        volunteer, assignment = setup
        assignment.start_date = timezone.localdate() - timedelta(days=366)
        assignment.save()
        assert not clients_visible_to(volunteer).exists()
        assignment.renewed_on = timezone.localdate() - timedelta(days=10)
        assignment.save()
        assert clients_visible_to(volunteer).exists()
