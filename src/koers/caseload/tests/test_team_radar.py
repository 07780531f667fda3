"""The team view of the deadline radar: counts per regisseur, read under the team leader's own
access (names only: BASIS), audited, in a fixed number of queries, on a phone as on a desk."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.models import Membership
from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.caseload.radar import Kind, aow_date
from koers.caseload.team_radar import team_radar
from koers.clients.constants import ApplicableLaw, NetworkRole, Section
from koers.clients.models import Client
from koers.clients.permissions import COUNT_SECTIONS, client_accesses, counting_accesses
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.inburgering.selectors import add_months
from koers.inburgering.tests.factories import InburgeringDutyFactory
from koers.network.models import Involvement
from koers.organisations.tests.factories import AreaTeamFactory


def _reaching_aow_age(client: Client, today: date) -> Client:
    """Give the client a date of birth that puts their AOW age two to five months ahead."""
    birthday = add_months(today, 2).replace(day=1)
    client.birth_year, client.birth_month, client.birth_day = (
        birthday.year - 67,
        birthday.month,
        1,
    )
    client.save(update_fields=["birth_year", "birth_month", "birth_day"])
    reached = aow_date(client.birth_year, client.birth_month, client.birth_day)
    assert today < reached <= add_months(today, 6)
    return client


def _pip_norm_passed(client: Client, today: date) -> Client:
    """An adult under the Wet inburgering 2021 whose PIP is 11 weeks after DUO's start signal."""
    client.birth_year, client.applicable_law = 1990, ApplicableLaw.WI2021
    client.save(update_fields=["birth_year", "applicable_law"])
    InburgeringDutyFactory(client=client, start_signal_on=today - timedelta(weeks=11))
    return client


def _fresh(membership) -> Membership:
    """The membership as a request loads it: without the access scope cached on the object."""
    return Membership.objects.select_related("organisation", "user").get(pk=membership.pk)


def _team(regisseur, *others):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    return teamleider, [regisseur, *others]


# --- the counts -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_team_radar_counts_households_per_regisseur_and_signal_kind(regisseur, make_household):
    today = timezone.localdate()
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    teamleider, regisseurs = _team(regisseur, colleague)
    two_at_aow_age = make_household(regisseur=regisseur, members=2)
    for client in two_at_aow_age.members.all():
        _reaching_aow_age(client, today)
    _reaching_aow_age(make_household(regisseur=regisseur).members.get(), today)
    make_household(regisseur=regisseur)  # no signal
    make_household(regisseur=colleague)  # no signal
    _reaching_aow_age(make_household().members.get(), today)  # in the queue: no regisseur

    radar = team_radar(_fresh(teamleider), regisseurs, today)

    assert radar.kinds == [Kind.AOW_AGE]
    # Households, not signals: the household with two people at AOW age counts once.
    assert [row.counts for row in radar.rows] == [{Kind.AOW_AGE: 2}, {}]
    assert [row.regisseur for row in radar.rows] == regisseurs
    assert [[count for _label, count in row.cells] for row in radar.rows] == [[2], [0]]
    assert str(radar.rows[0].cells[0][0]) == "AOW-leeftijd binnen 6 maanden"


@pytest.mark.django_db
def test_team_radar_counts_the_sections_a_team_figure_may_count_and_no_special_category(
    regisseur, make_household
):
    """product.md: a team leader reads no dossier but reads team figures. The radar counts with
    COUNT_SECTIONS for the clients they may see; HEALTH, JUSTICE, ASYLUM and IDENTITY never."""
    today = timezone.localdate()
    teamleider, regisseurs = _team(regisseur)
    household = make_household(regisseur=regisseur, members=2)
    first, second = household.members.order_by("pk")
    _pip_norm_passed(first, today)  # INBURGERING: counted, not shown per person
    _reaching_aow_age(second, today)  # BASIS

    radar = team_radar(_fresh(teamleider), regisseurs, today)
    assert radar.kinds == [Kind.PIP_NORM, Kind.AOW_AGE]
    assert radar.rows[0].counts == {Kind.PIP_NORM: 1, Kind.AOW_AGE: 1}
    assert Section.INBURGERING in radar.sections
    special = Section.HEALTH | Section.JUSTICE | Section.ASYLUM | Section.IDENTITY
    for access in radar.accesses.values():
        assert access.read == Section.BASIS | COUNT_SECTIONS
        assert not access.read & special
        assert not access.write
    # The widening is the team leader's: for a regisseur it is their own access, unchanged.
    assert counting_accesses(_fresh(regisseur), [first]) == client_accesses(
        _fresh(regisseur), [first]
    )


@pytest.mark.django_db
def test_team_radar_leaves_out_clients_outside_the_team_leaders_scope(
    regisseur, municipality, make_household
):
    today = timezone.localdate()
    north, south = (
        AreaTeamFactory(municipality=municipality),
        AreaTeamFactory(municipality=municipality),
    )
    teamleider, regisseurs = _team(regisseur)
    teamleider.area_teams.add(north)
    seen = make_household(regisseur=regisseur, area_team=north).members.get()
    unseen = make_household(regisseur=regisseur, area_team=south).members.get()
    _reaching_aow_age(seen, today)
    _reaching_aow_age(unseen, today)
    elsewhere = HouseholdFactory()  # another municipality, directed by the same regisseur
    _reaching_aow_age(ClientFactory(household=elsewhere), today)
    InvolvementFactory(
        household=elsewhere,
        organisation=regisseur.organisation,
        membership=regisseur,
        role=NetworkRole.REGISSEUR,
    )

    radar = team_radar(_fresh(teamleider), regisseurs, today)
    assert radar.rows[0].counts == {Kind.AOW_AGE: 1}
    assert set(radar.accesses) == {seen.pk}


@pytest.mark.django_db
def test_team_radar_counts_a_handed_over_household_for_the_new_regisseur(regisseur, make_household):
    today = timezone.localdate()
    successor = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    teamleider, regisseurs = _team(regisseur, successor)
    household = make_household(regisseur=regisseur)
    _reaching_aow_age(household.members.get(), today)
    # The handover ends the old involvement today and starts the new one today.
    Involvement.objects.filter(household=household).update(
        start_date=today - timedelta(days=60), end_date=today
    )
    InvolvementFactory(
        household=household,
        organisation=regisseur.organisation,
        membership=successor,
        role=NetworkRole.REGISSEUR,
    )
    radar = team_radar(_fresh(teamleider), regisseurs, today)
    assert [row.counts for row in radar.rows] == [{}, {Kind.AOW_AGE: 1}]


@pytest.mark.django_db
def test_team_radar_of_a_team_without_regisseurs_reads_nothing(
    regisseur, django_assert_num_queries
):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    teamleider = _fresh(teamleider)
    with django_assert_num_queries(0):
        radar = team_radar(teamleider, [], timezone.localdate())
    assert radar.rows == [] and radar.accesses == {} and not radar.sections


# --- queries --------------------------------------------------------------------------------
def _grow_team(regisseur, make_household, today, *, regisseurs: int, households: int):
    team = [regisseur] + [
        MembershipFactory(regisseur=True, organisation=regisseur.organisation)
        for _ in range(regisseurs - 1)
    ]
    for index in range(households):
        household = make_household(regisseur=team[index % len(team)], members=2)
        first, second = household.members.order_by("pk")
        _reaching_aow_age(first, today)
        _pip_norm_passed(second, today)
    return team


@pytest.mark.django_db
def test_team_radar_queries_do_not_grow_with_regisseurs_or_households(
    regisseur, make_household, django_assert_num_queries
):
    today = timezone.localdate()
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    small = _grow_team(regisseur, make_household, today, regisseurs=1, households=1)
    # The team leader's reach, the regisseurs' households, their visible clients and each of
    # the radar's sources once: the same number for a larger team.
    acting = _fresh(teamleider)
    with CaptureQueriesContext(connection) as queries:
        radar = team_radar(acting, small, today)
    assert radar.rows[0].counts == {Kind.PIP_NORM: 1, Kind.AOW_AGE: 1}
    expected = len(queries)

    large = small + _grow_team(
        MembershipFactory(regisseur=True, organisation=regisseur.organisation),
        make_household,
        today,
        regisseurs=5,
        households=15,
    )
    acting = _fresh(teamleider)
    with django_assert_num_queries(expected):
        radar = team_radar(acting, large, today)
    assert sum(row.counts.get(Kind.AOW_AGE, 0) for row in radar.rows) == 16


@pytest.mark.django_db
def test_team_radar_queries_do_not_grow_when_every_radar_source_is_read(
    regisseur, make_household, django_assert_num_queries
):
    """Under an access that reads every section, each of the radar's sources is read too: once
    for all households, however large the team."""
    today = timezone.localdate()
    small = _grow_team(regisseur, make_household, today, regisseurs=1, households=1)
    acting = _fresh(regisseur)
    with CaptureQueriesContext(connection) as queries:
        radar = team_radar(acting, small, today)
    assert radar.rows[0].counts == {Kind.PIP_NORM: 1, Kind.AOW_AGE: 1}
    expected = len(queries)
    assert expected > 3  # the radar's sources were read

    large = small + _grow_team(
        MembershipFactory(regisseur=True, organisation=regisseur.organisation),
        make_household,
        today,
        regisseurs=5,
        households=15,
    )
    acting = _fresh(regisseur)
    with django_assert_num_queries(expected):
        radar = team_radar(acting, large, today)
    assert sum(row.counts.get(Kind.PIP_NORM, 0) for row in radar.rows) == 16


def _page_queries(client, url) -> int:
    """Queries of one request, without the audit log's bulk insert (batched by SQLite)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if 'INSERT INTO "audit_auditevent"' not in query["sql"]
    )


@pytest.mark.django_db
def test_team_page_with_the_radar_queries_do_not_grow_with_the_team(
    signed_in, regisseur, make_household
):
    today = timezone.localdate()
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    _grow_team(regisseur, make_household, today, regisseurs=1, households=1)
    client = signed_in(teamleider)
    small = _page_queries(client, reverse("caseload:team"))
    _grow_team(
        MembershipFactory(regisseur=True, organisation=regisseur.organisation),
        make_household,
        today,
        regisseurs=4,
        households=12,
    )
    assert _page_queries(client, reverse("caseload:team")) == small


# --- the page -------------------------------------------------------------------------------
def _radar_table(html: str) -> str:
    match = re.search(r'<table[^>]*data-testid="team-radar".*?</table>', html, re.DOTALL)
    assert match, "no radar table on the page"
    return match.group(0)


@pytest.mark.django_db
def test_team_page_shows_radar_counts_per_regisseur_without_names_or_dates(
    signed_in, regisseur, make_household
):
    today = timezone.localdate()
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    household = make_household(
        regisseur=regisseur, members=2, names=[("Amal", "Haddad"), ("Omar", "Haddad")]
    )
    amal, omar = household.members.order_by("given_names")
    _reaching_aow_age(amal, today)
    _pip_norm_passed(omar, today)
    make_household(regisseur=colleague, names=[("Yohannes", "Tesfay")])

    response = signed_in(teamleider).get(reverse("caseload:team"))
    table = _radar_table(response.text)
    assert "Aantal huishoudens met elk signaal, per regisseur" in table  # the caption
    assert "AOW-leeftijd binnen 6 maanden" in table
    assert "PIP-norm 10 weken" in table  # counted, never shown per person
    rows = re.findall(r'<tr[^>]*data-testid="team-radar-row".*?</tr>', table, re.DOTALL)
    assert len(rows) == 2
    assert regisseur.user.display_name in rows[0] or regisseur.user.display_name in rows[1]
    counts = {
        name: re.findall(r"<td[^>]*>(\d+)</td>", row)
        for row in rows
        for name in (regisseur.user.display_name, colleague.user.display_name)
        if name in row
    }
    assert counts == {
        regisseur.user.display_name: ["1", "1"],
        colleague.user.display_name: ["0", "0"],
    }
    for detail in ("Amal", "Omar", "Haddad", "Yohannes", "/clients/", str(amal.birth_year)):
        assert detail not in table


@pytest.mark.django_db
def test_team_page_says_so_when_no_household_shows_a_signal(signed_in, regisseur, make_household):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    make_household(regisseur=regisseur)
    response = signed_in(teamleider).get(reverse("caseload:team"))
    assert 'data-testid="team-radar"' not in response.text
    assert "Geen signalen bij de huishoudens van uw team." in response.text


@pytest.mark.django_db
def test_team_radar_reads_are_audited_as_a_list_with_the_radars_sections(
    signed_in, regisseur, make_household
):
    today = timezone.localdate()
    colleague = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    listed = make_household(regisseur=regisseur).members.get()
    counted = make_household(regisseur=colleague, members=2)
    _reaching_aow_age(counted.members.first(), today)
    outside = ClientFactory(household=HouseholdFactory())  # another municipality
    InvolvementFactory(
        household=outside.household,
        organisation=colleague.organisation,
        membership=colleague,
        role=NetworkRole.REGISSEUR,
    )

    # Listing only the first regisseur's households: the colleague's are read by the radar
    # alone, and recorded as such.
    response = signed_in(teamleider).get(reverse("caseload:team"), {"regisseur": regisseur.pk})
    assert response.status_code == 200
    radar_rows = AuditEvent.objects.filter(detail="caseload:team-radar")
    assert set(radar_rows.values_list("client_id", flat=True)) == set(
        counted.members.values_list("pk", flat=True)
    )
    assert {row.action for row in radar_rows} == {Action.LIST}
    for row in radar_rows:
        assert Section.BASIS in Section(row.sections)
        assert Section(row.sections) & ~COUNT_SECTIONS == Section.none()
    assert {row.membership_id for row in radar_rows} == {teamleider.pk}
    # The listed client read by both keeps one row (one per request and client).
    assert AuditEvent.objects.filter(client_id=listed.pk).count() == 1
    assert not AuditEvent.objects.filter(client_id=outside.pk).exists()


# --- in the browser -------------------------------------------------------------------------
@pytest.mark.browser
def test_team_leader_reads_the_radar_counts_on_a_phone(
    phone_page, sign_in_browser, assert_accessible
):
    today = timezone.localdate()
    regisseur = MembershipFactory(regisseur=True, user__first_name="Ria", user__last_name="Bakker")
    colleague = MembershipFactory(
        regisseur=True,
        organisation=regisseur.organisation,
        user__first_name="Sam",
        user__last_name="de Vries",
    )
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    town = regisseur.organisation.municipalities.get()
    for owner, name, at_aow_age in (
        (regisseur, "Gezin Haddad", True),
        (regisseur, "Gezin Noor", True),
        (colleague, "Gezin Tesfay", False),
    ):
        household = HouseholdFactory(municipality=town, name=name)
        client = ClientFactory(household=household)
        if at_aow_age:
            _reaching_aow_age(client, today)
        InvolvementFactory(
            household=household,
            organisation=owner.organisation,
            membership=owner,
            role=NetworkRole.REGISSEUR,
        )

    sign_in_browser(phone_page, teamleider)
    phone_page.goto("/caseload/team/")
    heading = phone_page.get_by_role("heading", name="Termijnradar per regisseur")
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    table = phone_page.get_by_test_id("team-radar")
    expect(table).to_contain_text("Aantal huishoudens met elk signaal, per regisseur")
    ria = phone_page.get_by_test_id("team-radar-row").filter(has_text="Ria Bakker")
    sam = phone_page.get_by_test_id("team-radar-row").filter(has_text="Sam de Vries")
    expect(ria.get_by_role("cell")).to_have_text(["2"])
    expect(sam.get_by_role("cell")).to_have_text(["0"])
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Regisseur", "AOW-leeftijd binnen 6 maanden"]
    )
    # A wider table scrolls inside its own box: the page never widens the phone's screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert table.locator("a").count() == 0
    assert_accessible(phone_page)
    assert not phone_page.console_errors
