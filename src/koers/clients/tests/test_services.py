import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Client, ClientLanguage, Household, HouseholdMember
from koers.clients.permissions import client_access
from koers.clients.selectors import possible_duplicates, registration_places
from koers.clients.services import (
    MemberError,
    VersionConflict,
    client_status_change,
    client_update,
    household_register,
    household_update,
)
from koers.clients.tests.factories import ClientFactory, HouseholdFactory
from koers.network.models import Involvement

pytestmark = pytest.mark.django_db

VALID_BSN = "111222333"
OTHER_VALID_BSN = "123456782"


def request_for(membership):
    request = RequestFactory().post("/")
    request.user = membership.user
    request.membership = membership
    return request


def member(family_name="Haddad", **values):
    return {
        "kind": "client",
        "given_names": "Amal",
        "family_name": family_name,
        "relation": "hoofd",
        **values,
    }


def register(membership, members, **household):
    places = registration_places(membership)
    return household_register(
        request_for(membership),
        membership=membership,
        household={
            "name": "Familie Haddad",
            "municipality": places.municipalities.get(),
            **household,
        },
        members=members,
        write=places.write,
    )


def test_register_saves_household_members_languages_and_makes_the_regisseur():
    regisseur = MembershipFactory(regisseur=True)
    household, clients = register(
        regisseur,
        [
            member(bsn=VALID_BSN, languages=[("ar", "Levantijns", "arab", True)]),
            member(given_names="Omar", relation="partner"),
            {
                "kind": "member",
                "given_names": "Lina",
                "family_name": "Haddad",
                "relation": "kind",
                "birth_year": 2022,
                "school_or_childcare": "Kinderopvang",
            },
        ],
    )
    assert len(clients) == 2
    assert HouseholdMember.objects.filter(household=household).count() == 3
    assert clients[0].bsn == VALID_BSN
    assert ClientLanguage.objects.get(client=clients[0]).dialect == "Levantijns"
    involvement = Involvement.objects.get(household=household)
    assert involvement.role == NetworkRole.REGISSEUR and involvement.membership == regisseur
    created = AuditEvent.objects.filter(action=Action.CREATE)
    assert {row.client_id for row in created} == {c.pk for c in clients}


def test_register_is_all_or_nothing_when_the_fifth_member_is_invalid():
    regisseur = MembershipFactory(regisseur=True)
    members = [member(given_names=f"Kind{i}") for i in range(4)]
    members.append(member(given_names="Vijf", birth_year=2010, birth_month=2, birth_day=30))
    with pytest.raises(MemberError) as error:
        register(regisseur, members)
    assert error.value.index == 4
    assert "birth_day" in error.value.message_dict
    assert not Household.objects.exists()
    assert not Client.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_a_klantmanager_registers_without_becoming_regisseur():
    klantmanager = MembershipFactory(klantmanager=True)
    household, _ = register(klantmanager, [member()])
    assert not Involvement.objects.filter(household=household).exists()


def test_bsn_is_not_stored_without_write_access_to_identity():
    regisseur = MembershipFactory(regisseur=True)
    places = registration_places(regisseur)
    _, clients = household_register(
        request_for(regisseur),
        membership=regisseur,
        household={"name": "X", "municipality": places.municipalities.get()},
        members=[member(bsn=VALID_BSN, v_number="1234567890")],
        write=places.write & ~Section.IDENTITY,
    )
    clients[0].refresh_from_db()
    assert clients[0].bsn is None and clients[0].v_number is None


def test_a_bsn_taken_in_the_same_municipality_is_refused_next_to_the_field():
    regisseur = MembershipFactory(regisseur=True)
    town = regisseur.organisation.municipalities.get()
    ClientFactory(household=HouseholdFactory(municipality=town), bsn=VALID_BSN)
    with pytest.raises(MemberError) as error:
        register(regisseur, [member(bsn=VALID_BSN)])
    assert "bsn" in error.value.message_dict
    assert Household.objects.count() == 1


def test_partner_and_volunteer_roles_cannot_register():
    for membership in (
        MembershipFactory(begeleider=True),
        MembershipFactory(vrijwilliger=True),
        MembershipFactory(teamleider=True),
    ):
        assert not registration_places(membership).allowed


def test_registration_places_are_the_area_teams_the_membership_serves():
    from koers.organisations.tests.factories import AreaTeamFactory

    regisseur = MembershipFactory(regisseur=True)
    town = regisseur.organisation.municipalities.get()
    own, other = AreaTeamFactory(municipality=town), AreaTeamFactory(municipality=town)
    regisseur.area_teams.add(own)
    places = registration_places(regisseur)
    assert list(places.area_teams) == [own]
    assert places.area_team_required
    assert other not in places.area_teams


# --- duplicate check ---------------------------------------------------------------------------


def test_duplicates_are_found_by_bsn_and_by_folded_name_with_compatible_birth_parts():
    regisseur = MembershipFactory(regisseur=True)
    town = regisseur.organisation.municipalities.get()
    by_bsn = ClientFactory(household=HouseholdFactory(municipality=town), bsn=VALID_BSN)
    by_name = ClientFactory(
        household=HouseholdFactory(municipality=town),
        given_names="Mohammed",
        family_name="Al-Haddad",
        birth_year=1990,
    )
    ClientFactory(
        household=HouseholdFactory(municipality=town),
        given_names="Mohammed",
        family_name="Al-Haddad",
        birth_year=1985,
    )
    found = possible_duplicates(
        regisseur,
        [
            {"given_names": "X", "family_name": "Y", "bsn": VALID_BSN},
            {
                "given_names": "Muhammad",
                "family_name": "Al Haddad",
                "birth_year": 1990,
                "birth_month": 3,
                "birth_day": 4,
            },
        ],
    )
    assert [matches for _, matches in found] == [[by_bsn], [by_name]]


def test_a_match_in_another_municipality_is_never_revealed_and_registers_fine():
    regisseur = MembershipFactory(regisseur=True)
    elsewhere = ClientFactory(bsn=VALID_BSN, given_names="Amal", family_name="Haddad")
    person = {"given_names": "Amal", "family_name": "Haddad", "bsn": VALID_BSN}
    assert possible_duplicates(regisseur, [person]) == []
    _, clients = register(regisseur, [member(bsn=VALID_BSN)])
    assert clients[0].bsn == elsewhere.bsn
    assert clients[0].municipality_id != elsewhere.municipality_id


# --- versions ---------------------------------------------------------------------------------


def dossier_for(membership, **values):
    town = membership.organisation.municipalities.get()
    client = ClientFactory(household=HouseholdFactory(municipality=town), **values)
    return client, client_access(membership, client)


def test_client_update_bumps_the_version_and_refreshes_the_search_key():
    regisseur = MembershipFactory(regisseur=True)
    client, access = dossier_for(regisseur)
    updated = client_update(
        request_for(regisseur),
        client=client,
        access=access,
        changes={"given_names": "Yousef", "phone": "0612345678"},
        version=1,
    )
    assert updated.version == 2 and updated.phone == "0612345678"
    assert " jasaf " in updated.search_key
    row = AuditEvent.objects.get(action=Action.UPDATE, client_id=client.pk)
    assert row.sections == Section.BASIS | Section.CONTACT


def test_a_stale_version_is_refused_and_nothing_is_overwritten():
    regisseur = MembershipFactory(regisseur=True)
    client, access = dossier_for(regisseur, phone="0600000001")
    request = request_for(regisseur)
    client_update(request, client=client, access=access, changes={"phone": "0600000002"}, version=1)
    with pytest.raises(VersionConflict) as conflict:
        client_update(
            request, client=client, access=access, changes={"phone": "0600000003"}, version=1
        )
    assert conflict.value.current.phone == "0600000002"
    client.refresh_from_db()
    assert client.phone == "0600000002" and client.version == 2


def test_an_invalid_bsn_is_refused_on_update():
    regisseur = MembershipFactory(regisseur=True)
    client, access = dossier_for(regisseur)
    with pytest.raises(ValidationError) as error:
        client_update(
            request_for(regisseur),
            client=client,
            access=access,
            changes={"bsn": "123456789"},
            version=1,
        )
    assert "bsn" in error.value.message_dict
    client.refresh_from_db()
    assert client.bsn is None and client.version == 1


def test_update_refuses_a_section_the_access_cannot_write():
    from django.core.exceptions import PermissionDenied

    regisseur = MembershipFactory(regisseur=True)
    client, _ = dossier_for(regisseur)
    volunteer = MembershipFactory(vrijwilliger=True)
    with pytest.raises(PermissionDenied):
        client_update(
            request_for(volunteer),
            client=client,
            access=client_access(volunteer, client),
            changes={"phone": "1"},
            version=1,
        )


def test_status_change_records_reason_and_date_and_is_audited():
    import datetime

    regisseur = MembershipFactory(regisseur=True)
    client, access = dossier_for(regisseur)
    day = datetime.date(2026, 3, 1)
    client_status_change(
        request_for(regisseur),
        client=client,
        access=access,
        status="actief",
        reason="Intake gehouden",
        on=day,
        version=1,
    )
    client.refresh_from_db()
    assert (client.status, client.status_reason, client.status_date) == (
        "actief",
        "Intake gehouden",
        day,
    )
    assert AuditEvent.objects.filter(action=Action.UPDATE, client_id=client.pk).exists()
    with pytest.raises(ValidationError):
        client_status_change(
            request_for(regisseur),
            client=client,
            access=access,
            status="afgesloten",
            reason=" ",
            on=day,
            version=2,
        )


def test_household_update_is_versioned_and_audited_on_every_member():
    regisseur = MembershipFactory(regisseur=True)
    client, access = dossier_for(regisseur)
    partner = ClientFactory(household=client.household)
    accesses = {client.pk: access, partner.pk: client_access(regisseur, partner)}
    request = request_for(regisseur)
    household_update(
        request,
        household=client.household,
        accesses=accesses,
        changes={"street": "Dorpsstraat", "city": "Ede"},
        version=1,
    )
    with pytest.raises(VersionConflict):
        household_update(
            request,
            household=client.household,
            accesses=accesses,
            changes={"street": "Kerkstraat"},
            version=1,
        )
    client.household.refresh_from_db()
    assert client.household.street == "Dorpsstraat" and client.household.version == 2
    audited = AuditEvent.objects.filter(action=Action.UPDATE).values_list("client_id", flat=True)
    assert set(audited) == {client.pk, partner.pk}


# --- the languages list and the household's members ------------------------------------------


def town_of(membership):
    return membership.organisation.municipalities.get()


def _household_with_child(town):
    household = HouseholdFactory(municipality=town)
    adult = ClientFactory(household=household)
    HouseholdMember.objects.create(household=household, client=adult, relation="hoofd")
    child = HouseholdMember.objects.create(
        household=household, given_names="Lina", family_name="Haddad", relation="kind"
    )
    return adult, child


def test_a_language_is_added_once_and_removed_with_audit_rows():
    from koers.clients.services import client_language_add, client_language_remove

    regisseur = MembershipFactory(regisseur=True)
    target = ClientFactory(household=HouseholdFactory(municipality=town_of(regisseur)))
    access = client_access(regisseur, target)
    request = request_for(regisseur)
    row = client_language_add(
        request, client=target, access=access, language="ti", dialect=" ", script="ethi"
    )
    with pytest.raises(ValidationError) as error:
        client_language_add(request, client=target, access=access, language="ti")
    assert "Deze taal staat al op de lijst" in str(error.value.message_dict["language"])
    assert client_language_remove(request, client=target, access=access, language_id=row.pk)
    assert not client_language_remove(request, client=target, access=access, language_id=row.pk)
    assert not ClientLanguage.objects.filter(client=target).exists()
    rows = AuditEvent.objects.filter(client_id=target.pk, action=Action.UPDATE)
    assert rows.count() == 2 and {r.sections for r in rows} == {Section.LANGUAGES}


def test_a_member_update_bumps_the_household_version_and_refuses_a_stale_one():
    from koers.clients.services import household_member_update

    regisseur = MembershipFactory(regisseur=True)
    adult, child = _household_with_child(town_of(regisseur))
    accesses = {adult.pk: client_access(regisseur, adult)}
    request = request_for(regisseur)
    household_member_update(
        request,
        member=child,
        accesses=accesses,
        changes={"school_or_childcare": "De Regenboog", "reunification_status": "aangevraagd"},
        version=1,
    )
    child.refresh_from_db()
    assert child.school_or_childcare == "De Regenboog"
    assert Household.objects.get(pk=adult.household_id).version == 2
    row = AuditEvent.objects.get(client_id=adult.pk, action=Action.UPDATE)
    assert row.sections == Section.HOUSEHOLD | Section.ASYLUM
    with pytest.raises(VersionConflict) as conflict:
        household_member_update(
            request, member=child, accesses=accesses, changes={"relation": "overig"}, version=1
        )
    assert conflict.value.current.relation == "kind"
    child.refresh_from_db()
    assert child.relation == "kind"


def test_reunification_needs_asylum_write_and_client_names_stay_in_the_dossier():
    from django.core.exceptions import PermissionDenied

    from koers.clients.services import household_member_update

    klantmanager = MembershipFactory(klantmanager=True)
    adult, child = _household_with_child(town_of(klantmanager))
    accesses = {adult.pk: client_access(klantmanager, adult)}
    request = request_for(klantmanager)
    with pytest.raises(PermissionDenied):
        household_member_update(
            request,
            member=child,
            accesses=accesses,
            changes={"reunification_status": "toegekend"},
            version=1,
        )
    head = HouseholdMember.objects.get(client=adult)
    with pytest.raises(PermissionDenied):
        household_member_update(
            request, member=head, accesses=accesses, changes={"family_name": "X"}, version=1
        )
    assert Household.objects.get(pk=adult.household_id).version == 1
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


def test_a_member_without_a_dossier_is_added_and_a_bad_date_saves_nothing():
    from koers.clients.services import household_member_add

    regisseur = MembershipFactory(regisseur=True)
    adult, _child = _household_with_child(town_of(regisseur))
    accesses = {adult.pk: client_access(regisseur, adult)}
    request = request_for(regisseur)
    with pytest.raises(ValidationError) as error:
        household_member_add(
            request,
            household=adult.household,
            accesses=accesses,
            values={
                "family_name": "Haddad",
                "relation": "kind",
                "birth_year": 2024,
                "birth_month": 2,
                "birth_day": 30,
            },
        )
    assert "birth_day" in error.value.message_dict
    added = household_member_add(
        request,
        household=adult.household,
        accesses=accesses,
        values={
            "given_names": "Sami",
            "family_name": "Haddad",
            "relation": "kind",
            "birth_year": 2024,
        },
    )
    assert added.client_id is None and added.household_id == adult.household_id
    assert HouseholdMember.objects.filter(household=adult.household).count() == 3
    assert Household.objects.get(pk=adult.household_id).version == 2
    row = AuditEvent.objects.get(client_id=adult.pk, action=Action.UPDATE)
    assert row.sections == Section.HOUSEHOLD
