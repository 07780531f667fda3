from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.caseload.selectors import (
    CaseloadFilters,
    Signal,
    caseload_page,
    client_search,
    team_caseloads,
    team_queue,
    team_regisseurs,
)
from koers.clients.constants import NetworkRole, Section
from koers.clients.tests.factories import (
    ClientFactory,
    ConsentFactory,
    HouseholdFactory,
    InvolvementFactory,
)
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory
from koers.timeline.constants import ContactStatus

from .factories import ContactMomentFactory, DelegationFactory

pytestmark = pytest.mark.django_db


def names(page):
    return [row.household.name for row in page.rows]


# --- scoping --------------------------------------------------------------------------------
def test_regisseur_caseload_lists_only_households_they_direct(regisseur, make_household):
    mine = make_household(regisseur=regisseur, name="Mine")
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    make_household(regisseur=colleague, name="Colleague's")
    make_household(name="Unassigned")
    page = caseload_page(regisseur, CaseloadFilters())
    assert names(page) == [mine.name]
    assert [c.pk for c in page.rows[0].clients] == list(mine.members.values_list("pk", flat=True))


def test_stand_in_gets_the_colleagues_caseload_during_the_delegation(regisseur, make_household):
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    make_household(regisseur=colleague, name="Colleague's")
    DelegationFactory(from_membership=colleague, to_membership=regisseur)
    assert names(caseload_page(regisseur, CaseloadFilters())) == ["Colleague's"]
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert names(caseload_page(regisseur, CaseloadFilters())) == []


def test_caseload_never_shows_households_outside_the_access_rule(regisseur, make_household):
    elsewhere = HouseholdFactory()  # another municipality
    ClientFactory(household=elsewhere)
    InvolvementFactory(
        household=elsewhere,
        organisation=regisseur.organisation,
        membership=regisseur,
        role=NetworkRole.REGISSEUR,
    )
    assert names(caseload_page(regisseur, CaseloadFilters())) == []


def test_handed_over_household_leaves_the_old_regisseurs_caseload_at_once(
    regisseur, make_household
):
    household = make_household(regisseur=regisseur)
    involvement = household.involvements.get()
    involvement.start_date = timezone.localdate() - timedelta(days=10)
    involvement.end_date = timezone.localdate()
    involvement.save()
    assert names(caseload_page(regisseur, CaseloadFilters())) == []


def test_partner_begeleider_sees_households_their_organisation_is_involved_in(municipality):
    begeleider = MembershipFactory(begeleider=True)
    LegalBasisFactory(organisation=begeleider.organisation, municipality=municipality)
    involved = HouseholdFactory(municipality=municipality, name="Involved")
    ClientFactory(household=involved)
    InvolvementFactory(household=involved, organisation=begeleider.organisation)
    other = HouseholdFactory(municipality=municipality, name="Other")
    ClientFactory(household=other)
    page = caseload_page(begeleider, CaseloadFilters())
    assert names(page) == ["Involved"]
    assert Signal.NO_REGISSEUR in page.rows[0].signals


def test_a_partner_without_a_legal_basis_has_an_empty_caseload(municipality, make_household):
    """The access rule gives them no client at all: the ORM cannot even compile the visible
    set (an empty IN list); the hand-written caseload query must still answer, empty."""
    begeleider = MembershipFactory(begeleider=True)
    household = HouseholdFactory(municipality=municipality, name="Involved")
    ClientFactory(household=household)
    InvolvementFactory(household=household, organisation=begeleider.organisation)
    for signal in ("", Signal.NO_CONTACT, Signal.NO_REGISSEUR):
        page = caseload_page(begeleider, CaseloadFilters(signal=signal, status="actief"))
        assert names(page) == [] and page.area_teams == []


def test_the_no_regisseur_filter_lists_only_households_without_one(municipality, regisseur):
    begeleider = MembershipFactory(begeleider=True)
    LegalBasisFactory(organisation=begeleider.organisation, municipality=municipality)
    for name, directed in (("A directed", True), ("B without", False)):
        household = HouseholdFactory(municipality=municipality, name=name)
        ClientFactory(household=household)
        InvolvementFactory(household=household, organisation=begeleider.organisation)
        if directed:
            InvolvementFactory(
                household=household,
                organisation=regisseur.organisation,
                membership=regisseur,
                role=NetworkRole.REGISSEUR,
            )
    assert names(caseload_page(begeleider, CaseloadFilters())) == ["A directed", "B without"]
    filtered = caseload_page(begeleider, CaseloadFilters(signal=Signal.NO_REGISSEUR))
    assert names(filtered) == ["B without"]
    assert Signal.NO_REGISSEUR in filtered.rows[0].signals


def test_municipal_klantmanager_sees_only_their_own_involvements(municipality, regisseur):
    klantmanager = MembershipFactory(klantmanager=True, organisation=regisseur.organisation)
    own = HouseholdFactory(municipality=municipality, name="Own")
    ClientFactory(household=own)
    InvolvementFactory(
        household=own,
        organisation=klantmanager.organisation,
        membership=klantmanager,
        role=NetworkRole.KLANTMANAGER,
    )
    colleagues = HouseholdFactory(municipality=municipality, name="Colleague's")
    ClientFactory(household=colleagues)
    InvolvementFactory(
        household=colleagues, organisation=klantmanager.organisation, role=NetworkRole.KLANTMANAGER
    )
    assert names(caseload_page(klantmanager, CaseloadFilters())) == ["Own"]


# --- signals, sort and filter ---------------------------------------------------------------
def test_no_contact_signal_follows_the_municipalitys_weeks(regisseur, municipality, make_household):
    municipality.no_contact_signal_weeks = 4
    municipality.save()
    household = make_household(regisseur=regisseur)
    ContactMomentFactory(household=household, author=regisseur)
    page = caseload_page(regisseur, CaseloadFilters())
    assert Signal.NO_CONTACT not in page.rows[0].signals
    assert page.rows[0].days_since_contact == 0
    assert names(caseload_page(regisseur, CaseloadFilters(signal=Signal.NO_CONTACT))) == []
    with time_machine.travel(timezone.now() + timedelta(weeks=5)):
        page = caseload_page(regisseur, CaseloadFilters())
        assert Signal.NO_CONTACT in page.rows[0].signals
        assert page.rows[0].days_since_contact == 35
        filtered = caseload_page(regisseur, CaseloadFilters(signal=Signal.NO_CONTACT))
        assert names(filtered) == [household.name]


def test_consent_and_access_ending_soon_raise_signals(regisseur, make_household):
    household = make_household(regisseur=regisseur)
    client = household.members.get()
    ConsentFactory(client=client, ends_on=timezone.localdate() + timedelta(days=20))
    quiet = make_household(regisseur=regisseur)
    ConsentFactory(client=quiet.members.get(), ends_on=timezone.localdate() + timedelta(days=90))
    page = caseload_page(regisseur, CaseloadFilters(signal=Signal.CONSENT_ENDING))
    assert names(page) == [household.name]
    client.access_ends_on = timezone.localdate() + timedelta(days=10)
    client.save()
    page = caseload_page(regisseur, CaseloadFilters(signal=Signal.ACCESS_ENDING))
    assert names(page) == [household.name]
    assert Signal.CONSENT_ENDING in page.rows[0].signals


def test_sort_by_days_since_contact_puts_the_longest_silence_first(regisseur, make_household):
    recent = make_household(regisseur=regisseur, name="A recent")
    old = make_household(regisseur=regisseur, name="B old")
    never = make_household(regisseur=regisseur, name="C never")
    ContactMomentFactory(household=recent, author=regisseur)
    ContactMomentFactory(
        household=old, author=regisseur, starts_at=timezone.now() - timedelta(days=40)
    )
    assert names(caseload_page(regisseur, CaseloadFilters(sort="contact"))) == [
        never.name,
        old.name,
        recent.name,
    ]


def test_sort_by_next_appointment_and_filter_by_status_and_area_team(
    regisseur, municipality, make_household
):
    from koers.organisations.tests.factories import AreaTeamFactory

    team = AreaTeamFactory(municipality=municipality)
    later = make_household(regisseur=regisseur, name="A later", area_team=team)
    sooner = make_household(regisseur=regisseur, name="B sooner")
    for household, days in ((later, 5), (sooner, 1)):
        ContactMomentFactory(
            household=household,
            author=regisseur,
            status=ContactStatus.PLANNED,
            starts_at=timezone.now() + timedelta(days=days),
        )
    assert names(caseload_page(regisseur, CaseloadFilters(sort="appointment"))) == [
        sooner.name,
        later.name,
    ]
    assert names(caseload_page(regisseur, CaseloadFilters(area_team=team.pk))) == [later.name]
    sooner.members.update(status="actief")
    assert names(caseload_page(regisseur, CaseloadFilters(status="actief"))) == [sooner.name]


def test_pagination_is_bounded(regisseur, make_household, monkeypatch):
    monkeypatch.setattr("koers.caseload.selectors.PAGE_SIZE", 2)
    for index in range(5):
        make_household(regisseur=regisseur, name=f"H{index}")
    first = caseload_page(regisseur, CaseloadFilters())
    third = caseload_page(regisseur, CaseloadFilters(page=3))
    assert names(first) == ["H0", "H1"] and first.has_next
    assert names(third) == ["H4"] and not third.has_next


# --- team leader ----------------------------------------------------------------------------
def test_team_queue_lists_households_without_regisseur_oldest_first(regisseur, make_household):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    make_household(regisseur=regisseur, name="Assigned")
    first = make_household(name="First")
    second = make_household(name="Second")
    queue, accesses = team_queue(teamleider)
    assert [h.name for h in queue] == [first.name, second.name]
    assert set(accesses) == {c.pk for h in (first, second) for c in h.members.all()}
    counts = {m.pk: m.caseload_size for m in team_regisseurs(teamleider)}
    assert counts == {regisseur.pk: 1}


def test_team_caseloads_list_each_regisseurs_visible_households_by_name(regisseur, make_household):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    make_household(regisseur=regisseur, name="Gezin B")
    make_household(regisseur=regisseur, name="Gezin A")
    make_household(regisseur=colleague, name="Gezin C")
    elsewhere = ClientFactory().household  # another municipality: outside the team leader's scope
    InvolvementFactory(
        household=elsewhere,
        organisation=regisseur.organisation,
        membership=regisseur,
        role=NetworkRole.REGISSEUR,
    )
    caseloads, accesses = team_caseloads(teamleider, team_regisseurs(teamleider))
    listed = {c.regisseur.pk: [h.name for h in c.households] for c in caseloads}
    assert listed == {regisseur.pk: ["Gezin A", "Gezin B"], colleague.pk: ["Gezin C"]}
    assert elsewhere.members.get().pk not in accesses
    assert len(accesses) == 3


# --- search ---------------------------------------------------------------------------------
def test_name_search_folds_transliteration_variants(regisseur, make_household):
    make_household(names=[("Mohammed", "Al-Hassan")])
    make_household(names=[("Muhammad", "Alhassan")])
    make_household(names=[("Yohannes", "Tesfay")])
    make_household(names=[("Fatima", "Noor")])
    found = {c.full_name for c in client_search(regisseur, "Mohamed").clients}
    assert found == {"Mohammed Al-Hassan", "Muhammad Alhassan"}
    assert [c.full_name for c in client_search(regisseur, "Johannes").clients] == [
        "Yohannes Tesfay"
    ]
    assert [c.full_name for c in client_search(regisseur, "moh hass").clients] != []


def test_exact_token_matches_rank_before_prefix_matches(regisseur, make_household):
    make_household(names=[("Alina", "Moreno")])  # 'mo' is only a prefix of 'maran'
    make_household(names=[("Mo", "Zaid")])  # exact token
    result = client_search(regisseur, "Mo")
    assert [c.full_name for c in result.clients][0] == "Mo Zaid"


def test_exact_matches_rank_first_even_beyond_the_prefix_candidates(
    regisseur, make_household, monkeypatch
):
    monkeypatch.setattr("koers.caseload.selectors.SEARCH_CANDIDATES", 2)
    for _ in range(4):
        make_household(names=[("Alina", "Moreno")])  # prefix matches, found first by the scan
    make_household(names=[("Mo", "Zaid")])
    found = [c.full_name for c in client_search(regisseur, "Mo").clients]
    assert found[0] == "Mo Zaid"
    assert len(found) <= 4  # two candidates per kind of match


def test_search_never_finds_a_client_of_another_municipality(regisseur, make_household):
    make_household(names=[("Amal", "Haddad")])
    ClientFactory(given_names="Amal", family_name="Haddad2", bsn="111222333")
    found = client_search(regisseur, "Amal Haddad").clients
    assert [c.municipality_id for c in found] == [regisseur.organisation.municipalities.get().pk]
    assert client_search(regisseur, "111222333").clients == []


def test_bsn_search_needs_the_identity_section(regisseur, municipality, make_household):
    household = make_household()
    client = household.members.get()
    client.bsn, client.v_number = "111222333", "1234567890"
    client.save()
    assert client_search(regisseur, "111222333").clients == [client]
    assert client_search(regisseur, "V1234567890").clients == [client]
    begeleider = MembershipFactory(begeleider=True)
    LegalBasisFactory(
        organisation=begeleider.organisation,
        municipality=municipality,
        sections=Section.all() & ~Section.IDENTITY,
    )
    InvolvementFactory(household=household, organisation=begeleider.organisation)
    refused = client_search(begeleider, "111222333")
    assert refused.clients == [] and refused.identity_refused
    assert client_search(begeleider, client.family_name).clients == [client]


def test_date_of_birth_search_with_unknown_parts(regisseur, make_household):
    exact = make_household().members.get()
    exact.birth_year, exact.birth_month, exact.birth_day = 1990, 3, 15
    exact.save()
    partly = make_household().members.get()
    partly.birth_year = 1990
    partly.save()
    make_household().members.update(birth_year=1991)
    assert client_search(regisseur, "15-03-1990").clients == [exact, partly]
    assert set(client_search(regisseur, "00-00-1990").clients) == {exact, partly}
    assert set(client_search(regisseur, "1990").clients) == {exact, partly}


def test_search_is_bounded(regisseur, make_household, monkeypatch):
    monkeypatch.setattr("koers.caseload.selectors.SEARCH_LIMIT", 3)
    for _ in range(5):
        make_household(names=[("Ali", "Ahmadi")])
    assert len(client_search(regisseur, "Ali").clients) == 3


def test_partner_without_involvement_finds_nobody(municipality, make_household):
    make_household(names=[("Amal", "Haddad")])
    organisation = OrganisationFactory(partner=True)
    LegalBasisFactory(organisation=organisation, municipality=municipality)
    begeleider = MembershipFactory(begeleider=True, organisation=organisation)
    assert client_search(begeleider, "Amal").clients == []
