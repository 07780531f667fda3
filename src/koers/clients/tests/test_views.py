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
    # The dossier's first screen: the cards of these sections, nothing of the others.
    assert row.sections == (
        Section.BASIS
        | Section.PROFILE
        | Section.CONTACT
        | Section.HOUSEHOLD
        | Section.ASYLUM
        | Section.LANGUAGES
        | Section.IDENTITY
        | Section.INBURGERING
        | Section.NETWORK
        | Section.PLAN  # the plan card: here, that there is no plan yet
        | Section.MEASUREMENTS  # the radar: when the latest measurement was
    )
    assert Section.HEALTH not in row.sections and Section.JUSTICE not in row.sections


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


# --- registering a household -------------------------------------------------------------------

from koers.clients.models import Client, Household, HouseholdMember  # noqa: E402
from koers.network.models import Involvement  # noqa: E402


def register_data(town, members, **extra):
    data = {
        "token": extra.pop("token", "t1"),
        "name": "Familie Haddad",
        "municipality": town.pk,
        "area_team": "",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "20",
        **extra,
    }
    for i, values in enumerate(members):
        row = {
            "kind": "client",
            "given_names": "",
            "family_name": "Haddad",
            "relation": "hoofd",
            "gender": "onbekend",
            "literacy": "onbekend",
            **values,
        }
        data.update({f"members-{i}-{key}": value for key, value in row.items()})
    return data


def test_register_page_shows_a_household_form_and_one_member(signed_in, regisseur):
    response = signed_in(regisseur).get(reverse("clients:register"))
    assert response.status_code == 200
    assert 'name="members-0-family_name"' in response.text
    assert 'name="members-1-family_name"' not in response.text
    assert "lid toevoegen" in response.text


def test_register_adds_a_member_row_without_js_and_with_htmx(signed_in, regisseur):
    town = town_of(regisseur)
    data = register_data(town, [{"given_names": "Amal"}], add_member="1")
    client = signed_in(regisseur)
    plain = client.post(reverse("clients:register"), data)
    assert plain.status_code == 200
    assert 'name="members-1-family_name"' in plain.text
    assert 'value="Amal"' in plain.text and 'value="Familie Haddad"' in plain.text
    assert "errorlist" not in plain.text and "utrecht-form-field--invalid" not in plain.text
    partial = client.post(reverse("clients:register"), data, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.text and 'name="members-1-family_name"' in partial.text
    assert not Household.objects.exists()


def test_register_saves_and_opens_the_dossier_with_the_regisseur(signed_in, regisseur):
    town = town_of(regisseur)
    data = register_data(
        town,
        [
            {"given_names": "Amal", "bsn": "111222333", "language": "ar", "dialect": "Levantijns"},
            {"kind": "member", "given_names": "Lina", "relation": "kind", "birth_year": "2023"},
        ],
    )
    client = signed_in(regisseur)
    response = client.post(reverse("clients:register"), data)
    created = Client.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[created.pk])
    assert HouseholdMember.objects.count() == 2
    assert Involvement.objects.get().membership == regisseur
    # The same form posted twice does not register the household twice.
    again = client.post(reverse("clients:register"), data)
    assert again.status_code == 302 and Household.objects.count() == 1


def test_register_shows_a_dutch_error_next_to_a_bad_bsn_and_saves_nothing(signed_in, regisseur):
    data = register_data(town_of(regisseur), [{"given_names": "Amal", "bsn": "123456789"}])
    response = signed_in(regisseur).post(reverse("clients:register"), data)
    assert response.status_code == 200
    assert "geen geldig BSN" in response.text
    assert 'id="id_members-0-bsn_error"' in response.text
    assert not Household.objects.exists()


def test_register_warns_about_a_visible_duplicate_and_registers_after_confirmation(
    signed_in, regisseur
):
    town = town_of(regisseur)
    existing = ClientFactory(
        household=HouseholdFactory(municipality=town),
        given_names="Amal",
        family_name="Haddad",
        birth_year=1990,
    )
    data = register_data(town, [{"given_names": "Amaal", "birth_year": "1990"}])
    client = signed_in(regisseur)
    response = client.post(reverse("clients:register"), data)
    assert response.status_code == 200
    assert "Mogelijke dubbele registraties" in response.text
    assert reverse("clients:detail", args=[existing.pk]) in response.text
    assert Client.objects.count() == 1
    assert AuditEvent.objects.filter(client_id=existing.pk, action=Action.SEARCH).exists()
    confirmed = client.post(reverse("clients:register"), {**data, "confirm_duplicates": "1"})
    assert confirmed.status_code == 302 and Client.objects.count() == 2


def test_register_shows_nothing_for_the_same_bsn_in_another_municipality(signed_in, regisseur):
    ClientFactory(bsn="111222333", given_names="Amal", family_name="Haddad")
    data = register_data(town_of(regisseur), [{"given_names": "Amal", "bsn": "111222333"}])
    response = signed_in(regisseur).post(reverse("clients:register"), data)
    assert response.status_code == 302
    assert Client.objects.filter(bsn="111222333").count() == 2


def test_register_refuses_a_municipality_the_membership_does_not_serve(signed_in, regisseur):
    other = ClientFactory().municipality
    data = register_data(other, [{"given_names": "Amal"}])
    response = signed_in(regisseur).post(reverse("clients:register"), data)
    assert response.status_code == 200
    assert not Household.objects.filter(municipality=other, name="Familie Haddad").exists()


@pytest.mark.parametrize(
    ("trait", "status"),
    [
        ("regisseur", 200),
        ("klantmanager", 200),
        ("teamleider", 404),
        ("begeleider", 404),
        ("vrijwilliger", 404),
        ("privacy_officer", 404),
    ],
)
def test_only_municipal_roles_with_write_access_register(signed_in, trait, status):
    membership = MembershipFactory(**{trait: True})
    assert signed_in(membership).get(reverse("clients:register")).status_code == status


# --- the dossier's first screen ---------------------------------------------------------------

from koers.clients.models import ClientLanguage  # noqa: E402


def full_dossier(town):
    household = HouseholdFactory(
        municipality=town, street="Dorpsstraat", house_number="1", city="Ede"
    )
    client = ClientFactory(
        household=household,
        given_names="Amal",
        family_name="Haddad",
        birth_year=1990,
        birth_month=3,
        birth_day=14,
        country_of_origin="SY",
        phone="0612345678",
        bsn="111222333",
        v_number="8123456789",
        applicable_law="wi2021",
        permit_date=timezone.localdate().replace(year=2024, month=5, day=17),
    )
    HouseholdMember.objects.create(household=household, client=client, relation="hoofd")
    HouseholdMember.objects.create(
        household=household,
        given_names="Rami",
        family_name="Haddad",
        birth_year=2000,
        relation="partner",
        reunification_status="aangevraagd",
    )
    ClientLanguage.objects.create(client=client, language="ar", dialect="Levantijns")
    return client


def test_dossier_shows_every_card_to_the_regisseur_and_audits_them(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    response = signed_in(regisseur).get(reverse("clients:detail", args=[target.pk]))
    text = response.text
    assert "14-03-1990" in text and "Syrië" in text and "0612345678" in text
    assert "Dorpsstraat 1" in text and "Rami Haddad" in text and "Aangevraagd" in text
    assert "Levantijns" in text and "******333" in text and "111222333" not in text
    assert "17 mei 2024" in text
    for url in ("/netwerk/", "/tijdlijn/", "/profiel/", "/documenten/"):
        assert f'href="{url}{target.pk}/"' in text
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.VIEW)
    assert row.sections == (
        Section.BASIS
        | Section.PROFILE
        | Section.CONTACT
        | Section.HOUSEHOLD
        | Section.ASYLUM
        | Section.LANGUAGES
        | Section.IDENTITY
        | Section.INBURGERING
        | Section.NETWORK
        | Section.PLAN
        | Section.MEASUREMENTS
    )


def test_klantmanager_does_not_see_reunification_status(signed_in):
    klantmanager = MembershipFactory(klantmanager=True)
    target = full_dossier(town_of(klantmanager))
    response = signed_in(klantmanager).get(reverse("clients:detail", args=[target.pk]))
    assert "Rami Haddad" in response.text and "Aangevraagd" not in response.text
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.VIEW)
    assert Section.ASYLUM not in row.sections


def test_revealing_the_bsn_is_a_partial_with_its_own_audit_row(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    client = signed_in(regisseur)
    client.get(reverse("clients:detail", args=[target.pk]))
    response = client.get(reverse("clients:identity", args=[target.pk]), HTTP_HX_REQUEST="true")
    assert "111222333" in response.text and "<html" not in response.text
    rows = AuditEvent.objects.filter(client_id=target.pk, action=Action.VIEW)
    assert rows.count() == 2
    assert rows.get(detail="clients:identity").sections == Section.IDENTITY


def test_identity_reveal_is_not_found_without_identity_access(signed_in):
    from koers.organisations.tests.factories import LegalBasisFactory

    begeleider = MembershipFactory(begeleider=True)
    target = full_dossier(ClientFactory().municipality)
    LegalBasisFactory(
        organisation=begeleider.organisation,
        municipality=target.municipality,
        sections=Section.all() & ~Section.IDENTITY,
    )
    InvolvementFactory(household=target.household, organisation=begeleider.organisation)
    client = signed_in(begeleider)
    page = client.get(reverse("clients:detail", args=[target.pk]))
    assert page.status_code == 200 and "333" not in page.text
    assert client.get(reverse("clients:identity", args=[target.pk])).status_code == 404


def volunteer_for(target):
    from koers.organisations.tests.factories import LegalBasisFactory

    volunteer = MembershipFactory(vrijwilliger=True)
    LegalBasisFactory(
        organisation=volunteer.organisation,
        municipality=target.municipality,
        kind="convenant",
        sections=Section.all(),
    )
    target.municipality.volunteer_sections = Section.all()
    target.municipality.save()
    InvolvementFactory(
        household=target.household,
        organisation=volunteer.organisation,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
    )
    return volunteer


def test_volunteer_view_never_shows_identity_birth_date_origin_reunification_or_inburgering(
    signed_in,
):
    target = full_dossier(ClientFactory().municipality)
    volunteer = volunteer_for(target)
    response = signed_in(volunteer).get(reverse("clients:detail", args=[target.pk]))
    text = response.text
    assert response.status_code == 200
    assert "Amal Haddad" in text and "0612345678" in text and "Levantijns" in text
    assert "Rami Haddad" in text and "Wie doet wat" in text
    for secret in (
        "111222333",
        "333",
        "8123456789",
        "14-03-1990",
        "1990",
        "Syrië",
        "Aangevraagd",
        "Gezinshereniging",
        "2024",
        "Wet inburgering",
        "Inburgering",
        "/profiel/",
        "/documenten/",
    ):
        assert secret not in text, secret
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.VIEW)
    # TASKS: the volunteer's own actions in this household (none here), never the plan.
    assert row.sections == (
        Section.BASIS
        | Section.CONTACT
        | Section.HOUSEHOLD
        | Section.LANGUAGES
        | Section.NETWORK
        | Section.TASKS
    )
    assert (
        signed_in(volunteer).get(reverse("clients:identity", args=[target.pk])).status_code == 404
    )


def test_dossier_query_count_does_not_grow_with_household_members(signed_in, regisseur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = full_dossier(town_of(regisseur))
    client = signed_in(regisseur)
    url = reverse("clients:detail", args=[target.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(5):
        member = ClientFactory(household=target.household, birth_year=2010 + i)
        HouseholdMember.objects.create(household=target.household, client=member, relation="kind")
    assert HouseholdMember.objects.filter(household=target.household).count() == 7
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert response.text.count('class="koers-person"') == 7
    assert len(one) == len(more)


# --- editing per card ---------------------------------------------------------------------------


def test_edit_saves_a_section_and_audits_it(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    client = signed_in(regisseur)
    url = reverse("clients:edit", args=[target.pk, "contact"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"phone": "0699999999", "email": "a@example.org", "version": 1})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.phone == "0699999999" and target.version == 2
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.UPDATE)
    assert row.sections == Section.CONTACT


def test_two_sessions_editing_the_same_client_get_a_conflict_page(client, regisseur):
    from django.test import Client as TestClient

    from conftest import sign_in

    target = full_dossier(town_of(regisseur))
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    first, second = sign_in(TestClient(), regisseur), sign_in(TestClient(), colleague)
    url = reverse("clients:edit", args=[target.pk, "contact"])
    version = re.search(r'name="version" value="(\d+)"', first.get(url).text).group(1)
    assert re.search(r'name="version" value="(\d+)"', second.get(url).text).group(1) == version
    saved = first.post(url, {"phone": "0611111111", "email": "", "version": version})
    assert saved.status_code == 302
    stale = second.post(url, {"phone": "0622222222", "email": "", "version": version})
    assert stale.status_code == 409
    assert "0622222222" in stale.text and "0611111111" in stale.text
    assert "Iemand anders" in stale.text
    target.refresh_from_db()
    assert target.phone == "0611111111" and target.version == 2


def test_household_address_conflict_is_shown_too(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    client = signed_in(regisseur)
    url = reverse("clients:household_edit", args=[target.pk])
    data = {
        "name": target.household.name,
        "street": "Kerkstraat",
        "house_number": "2",
        "postcode": "",
        "city": "Ede",
    }
    assert client.post(url, {**data, "version": 1}).status_code == 302
    stale = client.post(url, {**data, "street": "Laan", "version": 1})
    assert stale.status_code == 409 and "Laan" in stale.text and "Kerkstraat" in stale.text


def _household_data(household, **changes):
    data = {
        "name": household.name,
        "street": household.street,
        "house_number": household.house_number,
        "postcode": household.postcode,
        "city": household.city,
        "version": household.version,
    }
    return {**data, **changes}


def test_regisseur_renames_the_household_audited_on_every_member(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    partner = ClientFactory(household=target.household)
    browser = signed_in(regisseur)
    detail = browser.get(reverse("clients:detail", args=[target.pk]))
    url = reverse("clients:household_edit", args=[target.pk])
    assert f'href="{url}"' in detail.text and "Naam huishouden wijzigen" in detail.text
    page = browser.get(url)
    assert page.status_code == 200
    assert "Naam en adres van het huishouden" in page.text and "Naam huishouden" in page.text
    response = browser.post(url, _household_data(target.household, name="Familie Al-Haddad"))
    assert response.status_code == 302
    household = target.household
    household.refresh_from_db()
    assert household.name == "Familie Al-Haddad" and household.version == 2
    assert household.street == "Dorpsstraat"
    rows = AuditEvent.objects.filter(action=Action.UPDATE)
    assert {row.client_id for row in rows} == {target.pk, partner.pk}
    for row in rows:
        # Only the name changed: the audit names the household section, not the address.
        assert row.sections == Section.HOUSEHOLD
        assert row.detail == "household_update:name"
    detail = browser.get(reverse("clients:detail", args=[target.pk]))
    assert "Familie Al-Haddad" in detail.text


def test_an_empty_household_name_is_refused(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    url = reverse("clients:household_edit", args=[target.pk])
    response = signed_in(regisseur).post(url, _household_data(target.household, name="  "))
    assert response.status_code == 200 and "Dit veld is verplicht." in response.text
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


def test_a_rename_over_someone_elses_rename_shows_the_conflict(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    url = reverse("clients:household_edit", args=[target.pk])
    loaded = _household_data(target.household)
    saved = signed_in(colleague).post(url, {**loaded, "name": "Familie Haddad-Nour"})
    assert saved.status_code == 302
    stale = signed_in(regisseur).post(url, {**loaded, "name": "Familie Nour"})
    assert stale.status_code == 409
    assert "Familie Nour" in stale.text and "Familie Haddad-Nour" in stale.text
    target.household.refresh_from_db()
    assert target.household.name == "Familie Haddad-Nour" and target.household.version == 2


def test_submitting_the_household_form_unchanged_writes_nothing(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    url = reverse("clients:household_edit", args=[target.pk])
    assert signed_in(regisseur).post(url, _household_data(target.household)).status_code == 302
    target.household.refresh_from_db()
    assert target.household.version == 1
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


@pytest.mark.parametrize(
    ("missing", "shown", "hidden", "heading"),
    [
        (Section.HOUSEHOLD, "street", "name", "Adres"),
        (Section.CONTACT, "name", "street", "Naam huishouden"),
    ],
)
def test_the_household_form_holds_only_the_sections_one_may_change(
    signed_in, missing, shown, hidden, heading
):
    from koers.organisations.tests.factories import LegalBasisFactory

    begeleider = MembershipFactory(begeleider=True)
    target = full_dossier(ClientFactory().municipality)
    LegalBasisFactory(
        organisation=begeleider.organisation,
        municipality=target.municipality,
        sections=Section.all() & ~missing,
    )
    InvolvementFactory(household=target.household, organisation=begeleider.organisation)
    browser = signed_in(begeleider)
    url = reverse("clients:household_edit", args=[target.pk])
    page = browser.get(url)
    assert page.status_code == 200
    assert f'name="{shown}"' in page.text and f'name="{hidden}"' not in page.text
    assert f'<h1 class="utrecht-heading-1">{heading}:' in page.text
    # A field of the other section is ignored, not saved.
    before = getattr(target.household, hidden)
    data = _household_data(target.household, name="Andere naam", street="Andere straat")
    assert browser.post(url, data).status_code == 302
    household = target.household
    household.refresh_from_db()
    assert getattr(household, hidden) == before and not before.startswith("Andere")
    assert getattr(household, shown).startswith("Andere")
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.UPDATE)
    assert row.sections == (Section.CONTACT if missing == Section.HOUSEHOLD else Section.HOUSEHOLD)


def test_bad_bsn_on_edit_shows_a_dutch_error(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    url = reverse("clients:edit", args=[target.pk, "identiteit"])
    response = signed_in(regisseur).post(url, {"bsn": "123456789", "v_number": "", "version": 1})
    assert response.status_code == 200 and "geen geldig BSN" in response.text
    target.refresh_from_db()
    assert target.bsn == "111222333"


def test_status_change_with_reason_and_date(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    url = reverse("clients:status", args=[target.pk])
    client = signed_in(regisseur)
    missing = client.post(
        url, {"status": "actief", "status_reason": "", "status_date": "2026-01-05", "version": 1}
    )
    assert missing.status_code == 200 and "Geef de reden" in missing.text
    response = client.post(
        url,
        {"status": "actief", "status_reason": "Intake", "status_date": "2026-01-05", "version": 1},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == "actief" and target.status_reason == "Intake"
    assert AuditEvent.objects.filter(client_id=target.pk, action=Action.UPDATE).exists()


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("clients:edit", ["contact"]),
        ("clients:edit", ["identiteit"]),
        ("clients:household_edit", []),
        ("clients:status", []),
    ],
)
def test_edit_pages_are_not_found_without_write_access_or_in_another_municipality(
    signed_in, regisseur, url_name, args
):
    elsewhere = full_dossier(ClientFactory().municipality)
    assert (
        signed_in(regisseur).get(reverse(url_name, args=[elsewhere.pk, *args])).status_code == 404
    )
    volunteer = volunteer_for(elsewhere)
    url = reverse(url_name, args=[elsewhere.pk, *args])
    assert signed_in(volunteer).get(url).status_code == 404
    assert signed_in(volunteer).post(url, {"phone": "1", "version": 1}).status_code == 404


def test_klantmanager_cannot_edit_a_section_outside_its_role(signed_in):
    klantmanager = MembershipFactory(klantmanager=True)
    target = full_dossier(town_of(klantmanager))
    client = signed_in(klantmanager)
    assert client.get(reverse("clients:edit", args=[target.pk, "contact"])).status_code == 200
    assert client.get(reverse("clients:edit", args=[target.pk, "onbekend"])).status_code == 404


def test_a_month_without_a_year_on_edit_is_refused_next_to_the_field(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    url = reverse("clients:edit", args=[target.pk, "basis"])
    data = {
        "given_names": "Amal",
        "family_name": "Haddad",
        "birth_day": "",
        "birth_month": "3",
        "birth_year": "",
        "gender": "onbekend",
        "version": 1,
    }
    response = signed_in(regisseur).post(url, data)
    assert response.status_code == 200
    assert "Een bekende maand kan alleen met een bekend jaar." in response.text
    target.refresh_from_db()
    assert target.birth_year == 1990 and target.version == 1


def test_household_card_links_only_to_members_the_user_may_open(signed_in):
    from koers.clients.constants import Relation
    from koers.clients.models import HouseholdMember
    from koers.organisations.tests.factories import LegalBasisFactory

    volunteer = MembershipFactory(vrijwilliger=True)
    household = HouseholdFactory()
    adult, partner = (
        ClientFactory(household=household),
        ClientFactory(household=household),
    )
    for member in (adult, partner):
        HouseholdMember.objects.create(
            household=household, client=member, relation=Relation.PARTNER
        )
    LegalBasisFactory(
        organisation=volunteer.organisation,
        municipality=household.municipality,
        kind="toestemming",
        sections=Section.BASIS | Section.HOUSEHOLD,
    )
    from koers.clients.tests.factories import ConsentFactory as ClientConsentFactory

    ClientConsentFactory(
        client=adult,
        organisation=volunteer.organisation,
        sections=Section.BASIS | Section.HOUSEHOLD,
    )
    InvolvementFactory(
        household=household,
        organisation=volunteer.organisation,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
    )
    page = signed_in(volunteer).get(reverse("clients:detail", args=[adult.pk]))
    assert page.status_code == 200
    assert partner.full_name in page.text  # the household's names and ages
    assert reverse("clients:detail", args=[partner.pk]) not in page.text  # no dead link


# --- the languages list and the household's members ------------------------------------------


def test_regisseur_adds_and_removes_a_language_from_the_languages_card(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    client = signed_in(regisseur)
    page = client.get(reverse("clients:detail", args=[target.pk]))
    url = reverse("clients:languages", args=[target.pk])
    assert url in page.text
    assert "Levantijns" in client.get(url).text
    response = client.post(
        url, {"language": "ti", "dialect": "", "script": "ethi", "is_mother_tongue": "on"}
    )
    assert response.status_code == 302
    added = ClientLanguage.objects.get(client=target, language="ti")
    assert added.is_mother_tongue and added.script == "ethi"
    again = client.post(url, {"language": "ti", "dialect": "", "script": ""})
    assert again.status_code == 200
    assert "Deze taal staat al op de lijst van de cliënt." in again.text
    assert ClientLanguage.objects.filter(client=target).count() == 2
    remove = reverse("clients:language_remove", args=[target.pk, added.pk])
    assert client.post(remove).status_code == 302
    assert client.post(remove).status_code == 302  # a double submit does nothing twice
    assert not ClientLanguage.objects.filter(pk=added.pk).exists()
    rows = AuditEvent.objects.filter(client_id=target.pk, action=Action.UPDATE)
    assert rows.count() == 2 and {r.sections for r in rows} == {Section.LANGUAGES}


def test_regisseur_edits_a_child_with_reunification_and_a_stale_form_gets_a_conflict(
    signed_in, regisseur
):
    target = full_dossier(town_of(regisseur))
    rami = HouseholdMember.objects.get(household=target.household, client__isnull=True)
    url = reverse("clients:member_edit", args=[target.pk, rami.pk])
    client = signed_in(regisseur)
    assert url in client.get(reverse("clients:detail", args=[target.pk])).text
    form = client.get(url)
    assert 'name="reunification_status"' in form.text and 'name="family_name"' in form.text
    data = {
        "given_names": "Rami",
        "family_name": "Haddad",
        "birth_year": "2000",
        "relation": "partner",
        "school_or_childcare": "ROC",
        "reunification_status": "toegekend",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    rami.refresh_from_db()
    assert rami.reunification_status == "toegekend" and rami.school_or_childcare == "ROC"
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.UPDATE)
    assert row.sections == Section.HOUSEHOLD | Section.ASYLUM
    stale = client.post(url, {**data, "school_or_childcare": "Anders"})
    assert stale.status_code == 409 and "Anders" in stale.text and "ROC" in stale.text
    rami.refresh_from_db()
    assert rami.school_or_childcare == "ROC"


def test_klantmanager_edits_a_member_without_the_reunification_field(signed_in):
    klantmanager = MembershipFactory(klantmanager=True)
    target = full_dossier(town_of(klantmanager))
    head = HouseholdMember.objects.get(client=target)
    url = reverse("clients:member_edit", args=[target.pk, head.pk])
    client = signed_in(klantmanager)
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="reunification_status"' not in form.text
    assert 'name="family_name"' not in form.text  # a client's name is edited in the dossier
    data = {"relation": "ouder", "school_or_childcare": "", "reunification_status": "toegekend"}
    assert client.post(url, {**data, "version": 1}).status_code == 302
    head.refresh_from_db()
    assert head.relation == "ouder" and head.reunification_status == "nvt"
    row = AuditEvent.objects.get(client_id=target.pk, action=Action.UPDATE)
    assert row.sections == Section.HOUSEHOLD


def test_regisseur_adds_a_child_without_a_dossier_once(signed_in, regisseur):
    target = full_dossier(town_of(regisseur))
    url = reverse("clients:member_add", args=[target.pk])
    client = signed_in(regisseur)
    assert url in client.get(reverse("clients:detail", args=[target.pk])).text
    token = re.search(r'name="token" value="(\w+)"', client.get(url).text).group(1)
    missing = client.post(url, {"token": token, "relation": "kind", "family_name": ""})
    assert "Vul de achternaam in (of de enige naam)." in missing.text
    data = {"token": token, "given_names": "Sami", "family_name": "Haddad", "relation": "kind"}
    data |= {"birth_year": "2023", "reunification_status": "nvt"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the double submit adds nobody
    assert HouseholdMember.objects.filter(household=target.household).count() == 3
    assert AuditEvent.objects.filter(client_id=target.pk, action=Action.UPDATE).count() == 1
    assert "Sami Haddad" in client.get(reverse("clients:detail", args=[target.pk])).text


@pytest.mark.parametrize("url_name", ["languages", "member_add", "member_edit"])
def test_household_and_language_edits_are_not_found_without_write_access(
    signed_in, regisseur, url_name
):
    target = full_dossier(ClientFactory().municipality)
    member = HouseholdMember.objects.get(client=target)
    args = [target.pk, member.pk] if url_name == "member_edit" else [target.pk]
    url = reverse(f"clients:{url_name}", args=args)
    assert signed_in(regisseur).get(url).status_code == 404  # another municipality
    volunteer = volunteer_for(target)
    assert signed_in(volunteer).get(url).status_code == 404
    assert signed_in(volunteer).post(url, {"language": "nl", "version": 1}).status_code == 404
    page = signed_in(volunteer).get(reverse("clients:detail", args=[target.pk]))
    assert page.status_code == 200
    for name in ("languages", "member_add"):
        assert reverse(f"clients:{name}", args=[target.pk]) not in page.text
    assert "/gezin/" not in page.text and "/talen/" not in page.text


def test_a_member_of_another_household_is_not_found(signed_in, regisseur):
    town = town_of(regisseur)
    target = full_dossier(town)
    other = ClientFactory(household=HouseholdFactory(municipality=town))
    stranger = HouseholdMember.objects.create(household=other.household, client=other)
    url = reverse("clients:member_edit", args=[target.pk, stranger.pk])
    assert signed_in(regisseur).get(url).status_code == 404


def test_removing_a_language_needs_languages_write(signed_in):
    target = full_dossier(ClientFactory().municipality)
    language = ClientLanguage.objects.get(client=target)
    volunteer = volunteer_for(target)
    url = reverse("clients:language_remove", args=[target.pk, language.pk])
    assert signed_in(volunteer).post(url).status_code == 404
    assert ClientLanguage.objects.filter(pk=language.pk).exists()
