import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from koers.accounts.models import Membership
from koers.accounts.tests.factories import MembershipFactory
from koers.audit.models import AuditEvent
from koers.clients.constants import ClientStatus, NetworkRole, Section
from koers.clients.permissions import clients_visible_to
from koers.clients.tests.factories import (
    ClientFactory,
    ConsentFactory,
    HouseholdFactory,
    InvolvementFactory,
)
from koers.network.models import Involvement
from koers.network.selectors import delegated_memberships
from koers.network.services import (
    consent_withdraw,
    delegation_create,
    delegation_end,
    involvement_add,
    regisseur_assign,
    relocation_record,
)
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory


def _request(membership=None):
    request = RequestFactory().post("/")
    request.user = membership.user if membership else None
    request.membership = membership
    return request


def _active_regisseurs(household):
    return Involvement.objects.filter(
        household=household, role=NetworkRole.REGISSEUR, end_date__isnull=True
    )


@pytest.mark.django_db
def test_handover_keeps_exactly_one_active_regisseur():
    first = MembershipFactory(regisseur=True)
    second = MembershipFactory(regisseur=True, organisation=first.organisation)
    household = HouseholdFactory()
    ClientFactory(household=household)
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        regisseur_assign(_request(first), household=household, membership=first)
    regisseur_assign(_request(first), household=household, membership=second, note="Verlof")
    active = list(_active_regisseurs(household))
    assert [i.membership_id for i in active] == [second.pk]
    assert active[0].note == "Verlof"
    old = Involvement.objects.get(household=household, membership=first)
    assert old.end_date == timezone.localdate() - timedelta(days=1)
    assert AuditEvent.objects.filter(detail=f"regisseur_assign:{active[0].pk}").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_regisseur():
    household = HouseholdFactory()
    InvolvementFactory(household=household, role=NetworkRole.REGISSEUR)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvolvementFactory(household=household, role=NetworkRole.REGISSEUR)


@pytest.mark.django_db
def test_adding_a_second_regisseur_is_refused_with_a_pointer_to_the_handover():
    household = HouseholdFactory()
    InvolvementFactory(household=household, role=NetworkRole.REGISSEUR)
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        involvement_add(
            _request(), household=household, organisation=org, role=NetworkRole.REGISSEUR
        )
    assert "role" in error.value.error_dict
    assert _active_regisseurs(household).count() == 1


def test_two_simultaneous_handovers_leave_one_active_regisseur(transactional_db):
    org = OrganisationFactory()
    household = HouseholdFactory()
    ClientFactory(household=household)
    candidates = [MembershipFactory(regisseur=True, organisation=org) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def hand_over(membership):
        try:
            barrier.wait(timeout=5)
            regisseur_assign(_request(membership), household=household, membership=membership)
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - the loser may fail in any DB-specific way
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_over, args=(m,)) for m in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "ok" in outcomes
    assert _active_regisseurs(household).count() == 1


@pytest.mark.django_db
def test_volunteer_without_vog_is_refused():
    volunteer = MembershipFactory(vrijwilliger=True, vog_checked_on=None)
    household = HouseholdFactory()
    with pytest.raises(ValidationError) as error:
        involvement_add(
            _request(),
            household=household,
            organisation=volunteer.organisation,
            membership=volunteer,
            role=NetworkRole.VRIJWILLIGER,
            task_sections=Section.BASIS | Section.CONTACT,
        )
    assert "VOG" in str(error.value.error_dict["membership"])
    assert not Involvement.objects.filter(household=household).exists()


@pytest.mark.django_db
def test_screened_volunteer_gets_the_task_profile_within_the_volunteer_limit():
    volunteer = MembershipFactory(vrijwilliger=True)
    involvement = involvement_add(
        _request(),
        household=HouseholdFactory(),
        organisation=volunteer.organisation,
        membership=volunteer,
        role=NetworkRole.TAALMAATJE,
        task_sections=Section.BASIS | Section.LANGUAGES | Section.HEALTH,
    )
    assert Section(involvement.task_sections) == Section.BASIS | Section.LANGUAGES


@pytest.mark.django_db
def test_a_person_must_belong_to_the_chosen_organisation():
    outsider = MembershipFactory(begeleider=True)
    with pytest.raises(ValidationError) as error:
        involvement_add(
            _request(),
            household=HouseholdFactory(),
            organisation=OrganisationFactory(partner=True),
            membership=outsider,
            role=NetworkRole.BEGELEIDER,
        )
    assert "membership" in error.value.error_dict


@pytest.mark.django_db
def test_relocation_ends_the_old_municipality_access_on_the_date():
    regisseur = MembershipFactory(regisseur=True)
    town = regisseur.organisation.municipalities.get()
    client = ClientFactory(household=HouseholdFactory(municipality=town))
    moved_on = timezone.localdate()
    relocation_record(
        _request(regisseur),
        client=client,
        recorded_by=regisseur,
        to_municipality_name="Utrecht",
        moved_on=moved_on,
    )
    client.refresh_from_db()
    assert client.status == ClientStatus.VERHUISD
    assert client.access_ends_on == moved_on + timedelta(days=30)
    with time_machine.travel(client.access_ends_on, tick=False):
        assert client in clients_visible_to(Membership.objects.get(pk=regisseur.pk))
    with time_machine.travel(client.access_ends_on + timedelta(days=1), tick=False):
        assert client not in clients_visible_to(Membership.objects.get(pk=regisseur.pk))


@pytest.mark.django_db
def test_relocation_access_cannot_end_before_the_move():
    regisseur = MembershipFactory(regisseur=True)
    client = ClientFactory()
    with pytest.raises(ValidationError):
        relocation_record(
            _request(regisseur),
            client=client,
            recorded_by=regisseur,
            to_municipality_name="Utrecht",
            moved_on=timezone.localdate(),
            access_ends_on=timezone.localdate() - timedelta(days=1),
        )
    client.refresh_from_db()
    assert client.status == ClientStatus.AANGEMELD
    assert client.access_ends_on is None


@pytest.mark.django_db
def test_withdrawn_consent_ends_the_partner_access_at_once():
    partner = OrganisationFactory(partner=True)
    client = ClientFactory()
    LegalBasisFactory(
        organisation=partner, municipality=client.municipality, kind=LegalBasisKind.CONSENT
    )
    InvolvementFactory(household=client.household, organisation=partner)
    buddy_coach = MembershipFactory(begeleider=True, organisation=partner)
    consent = ConsentFactory(client=client, organisation=partner)
    assert client in clients_visible_to(buddy_coach)
    consent_withdraw(_request(buddy_coach), consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert client not in clients_visible_to(Membership.objects.get(pk=buddy_coach.pk))
    assert AuditEvent.objects.get(detail=f"consent_withdraw:{consent.pk}").sections == (
        consent.sections
    )


@pytest.mark.django_db
def test_delegation_needs_a_colleague_in_the_same_role():
    absent = MembershipFactory(regisseur=True)
    klantmanager = MembershipFactory(klantmanager=True, organisation=absent.organisation)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        delegation_create(
            _request(absent),
            from_membership=absent,
            to_membership=klantmanager,
            start_date=today,
            end_date=today,
            created_by=absent,
        )
    assert "to_membership" in error.value.error_dict


@pytest.mark.django_db
def test_stand_in_is_delegated_the_caseload_for_the_period_only():
    absent = MembershipFactory(regisseur=True)
    stand_in = MembershipFactory(regisseur=True, organisation=absent.organisation)
    today = timezone.localdate()
    delegation = delegation_create(
        _request(absent),
        from_membership=absent,
        to_membership=stand_in,
        start_date=today - timedelta(days=3),
        end_date=today + timedelta(days=7),
        created_by=absent,
    )
    assert delegated_memberships(stand_in) == [absent.pk]
    assert delegated_memberships(stand_in, on=today + timedelta(days=8)) == []
    assert delegated_memberships(absent) == []
    delegation_end(_request(absent), delegation=delegation)
    assert delegated_memberships(stand_in) == []
