from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Household
from koers.network.models import Involvement

from .factories import ContactMomentFactory

pytestmark = pytest.mark.django_db


def _count_queries(client, url) -> int:
    """Queries of one request, without the audit log's bulk insert: on SQLite Django splits
    that insert into batches of about 70 rows (999 parameters), which is the audit app's
    concern, not this page's."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if 'INSERT INTO "audit_auditevent"' not in query["sql"]
    )


# --- the caseload ---------------------------------------------------------------------------
def test_regisseur_sees_their_caseload_with_links_to_the_dossier(
    signed_in, regisseur, make_household
):
    household = make_household(regisseur=regisseur, names=[("Amal", "Haddad")])
    ContactMomentFactory(household=household, author=regisseur)
    response = signed_in(regisseur).get(reverse("caseload:home"))
    assert response.status_code == 200
    client = household.members.get()
    assert reverse("clients:detail", args=[client.pk]).encode() in response.content
    assert b"Amal Haddad" in response.content


def test_caseload_and_search_rows_escape_what_users_typed(signed_in, regisseur, make_household):
    household = make_household(
        regisseur=regisseur, name="<b>{Gezin}</b>", names=[("<i>Amal</i>", "Haddad{0}")]
    )
    page = signed_in(regisseur).get(reverse("caseload:home")).text
    assert "&lt;b&gt;{Gezin}&lt;/b&gt;" in page and "<b>{Gezin}" not in page
    assert "&lt;i&gt;Amal&lt;/i&gt; Haddad{0}" in page and "<i>Amal" not in page
    found = signed_in(regisseur).get(reverse("caseload:search"), {"q": "Haddad"}).text
    client = household.members.get()
    assert reverse("clients:detail", args=[client.pk]) in found
    assert "&lt;i&gt;Amal&lt;/i&gt; Haddad{0}" in found and "<i>Amal" not in found


def test_caseload_is_audited_once_per_listed_client(signed_in, regisseur, make_household):
    household = make_household(regisseur=regisseur, members=2)
    make_household(name="Not mine")
    signed_in(regisseur).get(reverse("caseload:home"))
    rows = AuditEvent.objects.filter(action=Action.LIST)
    assert {row.client_id for row in rows} == set(household.members.values_list("pk", flat=True))
    # Open and overdue actions of the household's plan: PLAN; the deadline radar reads the
    # household, measurement and inburgering dates as well.
    shown = Section.BASIS | Section.NETWORK | Section.PLAN | Section.HOUSEHOLD
    shown |= Section.MEASUREMENTS | Section.INBURGERING
    assert all(row.sections == shown for row in rows)


def test_caseload_shows_open_and_overdue_actions_of_the_household_plan(
    signed_in, regisseur, make_household, time_machine
):
    from koers.clients.permissions import client_access
    from koers.plans import services as plans
    from koers.plans.constants import LifeDomain, Priority

    time_machine.move_to(timezone.now() - timedelta(days=30), tick=False)
    with_plan = make_household(regisseur=regisseur, names=[("Amal", "Haddad")])
    make_household(regisseur=regisseur, names=[("Omar", "Zaki")])  # no plan: a dash
    client = with_plan.members.get()
    accesses = {client.pk: client_access(regisseur, client)}
    plan, _ = plans.plan_create(
        None, household=with_plan, accesses=accesses, membership=regisseur, help_question="Werk"
    )
    goal = plans.goal_create(
        None,
        plan=plan,
        accesses=accesses,
        life_domain=LifeDomain.WORK_EDUCATION,
        description="Een baan",
        priority=Priority.HIGH,
        target_score=4,
    )
    regie = f"involvement:{with_plan.involvements.get().pk}"
    for description, due_in_days in (("Cv", 10), ("Vacatures", 60), ("Sollicitatie", 90)):
        plans.action_create(
            None,
            goal=goal,
            accesses=accesses,
            description=description,
            owner=regie,
            due_on=timezone.localdate() + timedelta(days=due_in_days),
        )
    time_machine.move_to(timezone.now() + timedelta(days=30), tick=False)  # "Cv" is now overdue
    response = signed_in(regisseur).get(reverse("caseload:home"))
    rows = {
        row.household.name: (row.open_actions, row.overdue_actions)
        for row in response.context["page"].rows
    }
    assert rows[with_plan.name] == (3, 1)
    assert rows[Household.objects.exclude(pk=with_plan.pk).get().name] == (None, None)
    assert "3 / 1" in response.text


def test_caseload_queries_do_not_grow_with_the_caseload(signed_in, regisseur, make_household):
    # 15 clients, then 150 clients (5 per household; the page holds 30 households).
    for _ in range(3):
        household = make_household(regisseur=regisseur, members=5)
        ContactMomentFactory(household=household, author=regisseur)
    client = signed_in(regisseur)
    url = reverse("caseload:home") + "?sort=contact"
    small = _count_queries(client, url)
    for _ in range(27):
        household = make_household(regisseur=regisseur, members=5)
        ContactMomentFactory(household=household, author=regisseur)
    assert _count_queries(client, url) == small


def test_invalid_filter_values_are_ignored(signed_in, regisseur, make_household):
    make_household(regisseur=regisseur, name="Kept")
    response = signed_in(regisseur).get(
        reverse("caseload:home") + "?sort=x&area_team=abc&pagina=zz&signal=nope"
    )
    assert response.status_code == 200
    assert b"Kept" in response.content


def test_roles_without_a_caseload_are_refused(signed_in):
    volunteer = MembershipFactory(vrijwilliger=True)
    assert signed_in(volunteer).get(reverse("caseload:home")).status_code == 403


def test_team_leader_is_sent_to_the_team_page(signed_in, regisseur):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    response = signed_in(teamleider).get(reverse("caseload:home"))
    assert response["Location"] == reverse("caseload:team")


# --- the team page --------------------------------------------------------------------------
def test_team_page_is_for_team_leaders_only(signed_in, regisseur):
    assert signed_in(regisseur).get(reverse("caseload:team")).status_code == 403


def test_team_page_shows_names_without_links_into_dossiers(signed_in, regisseur, make_household):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    household = make_household(names=[("Amal", "Haddad")])
    response = signed_in(teamleider).get(reverse("caseload:team"))
    assert b"Amal Haddad" in response.content
    assert reverse("clients:detail", args=[household.members.get().pk]).encode() not in (
        response.content
    )
    assert regisseur.user.display_name.encode() in response.content
    row = AuditEvent.objects.get(action=Action.LIST)
    assert row.sections == Section.BASIS


def test_team_page_queries_do_not_grow_with_the_queue(signed_in, regisseur, make_household):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    make_household()
    client = signed_in(teamleider)
    small = _count_queries(client, reverse("caseload:team"))
    for _ in range(19):
        make_household(members=2)
    assert _count_queries(client, reverse("caseload:team")) == small


def test_team_leader_assigns_several_households_at_once(signed_in, regisseur, make_household):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    first, second = make_household(), make_household()
    response = signed_in(teamleider).post(
        reverse("caseload:team"),
        {"households": [first.pk, second.pk], "regisseur": regisseur.pk, "note": "Nieuw"},
    )
    assert response.status_code == 302
    assigned = Involvement.objects.filter(role=NetworkRole.REGISSEUR, membership=regisseur)
    assert set(assigned.values_list("household_id", flat=True)) == {first.pk, second.pk}
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 2


def test_assignment_is_all_or_nothing(signed_in, regisseur, make_household, monkeypatch):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    first, second = make_household(), make_household()
    from koers.network import services

    real = services.regisseur_assign

    def fail_on_second(request, *, household, **kwargs):
        if household.pk == second.pk:
            raise RuntimeError("boom")
        return real(request, household=household, **kwargs)

    monkeypatch.setattr("koers.caseload.services.regisseur_assign", fail_on_second)
    with pytest.raises(RuntimeError):
        signed_in(teamleider).post(
            reverse("caseload:team"),
            {"households": [first.pk, second.pk], "regisseur": regisseur.pk},
        )
    assert not Involvement.objects.filter(role=NetworkRole.REGISSEUR).exists()


def test_assigning_without_a_choice_shows_dutch_errors_next_to_the_fields(
    signed_in, regisseur, make_household
):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    make_household()
    response = signed_in(teamleider).post(reverse("caseload:team"), {})
    assert response.status_code == 400
    assert "Kies ten minste één huishouden." in response.content.decode()
    assert "Kies een regisseur." in response.content.decode()


def test_team_leader_cannot_assign_households_outside_their_scope(signed_in, regisseur):
    from koers.clients.tests.factories import ClientFactory

    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    elsewhere = ClientFactory().household
    response = signed_in(teamleider).post(
        reverse("caseload:team"), {"households": [elsewhere.pk], "regisseur": regisseur.pk}
    )
    assert response.status_code == 400
    assert not Involvement.objects.exists()


# --- search ---------------------------------------------------------------------------------
def test_search_shows_results_and_audits_them_as_search(signed_in, regisseur, make_household):
    household = make_household(names=[("Mohammed", "Al-Hassan")])
    response = signed_in(regisseur).get(reverse("caseload:search"), {"q": "Muhamad"})
    client = household.members.get()
    assert reverse("clients:detail", args=[client.pk]).encode() in response.content
    row = AuditEvent.objects.get(client_id=client.pk)
    assert row.action == Action.SEARCH and row.sections == Section.BASIS


def test_bsn_search_without_identity_says_so_neutrally(signed_in, municipality, make_household):
    from koers.clients.tests.factories import InvolvementFactory
    from koers.organisations.tests.factories import LegalBasisFactory

    household = make_household()
    household.members.update(bsn="111222333")
    begeleider = MembershipFactory(begeleider=True)
    LegalBasisFactory(
        organisation=begeleider.organisation,
        municipality=municipality,
        sections=Section.all() & ~Section.IDENTITY,
    )
    InvolvementFactory(household=household, organisation=begeleider.organisation)
    response = signed_in(begeleider).get(reverse("caseload:search"), {"q": "111222333"})
    assert response.status_code == 200
    assert "Zoeken op BSN of V-nummer" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_search_is_refused_for_roles_that_open_no_dossiers(signed_in, regisseur):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    assert signed_in(teamleider).get(reverse("caseload:search")).status_code == 403


def test_search_queries_do_not_grow_with_the_results(signed_in, regisseur, make_household):
    make_household(names=[("Ali", "Ahmadi")])
    client = signed_in(regisseur)
    url = reverse("caseload:search") + "?q=Ali"
    small = _count_queries(client, url)
    for _ in range(19):
        make_household(names=[("Ali", "Ahmadi")])
    assert _count_queries(client, url) == small


# --- reassigning on the team page -----------------------------------------------------------
def test_team_page_lists_households_per_regisseur_by_name_only(
    signed_in, regisseur, make_household
):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    household = make_household(regisseur=regisseur, names=[("Amal", "Haddad")])
    response = signed_in(teamleider).get(reverse("caseload:team"))
    content = response.content.decode()
    assert f'value="{household.pk}"' in content
    assert "Amal Haddad" in content
    assert reverse("clients:detail", args=[household.members.get().pk]) not in content
    assert AuditEvent.objects.get(action=Action.LIST).client_id == household.members.get().pk


def test_team_page_queries_do_not_grow_with_the_regisseurs_households(
    signed_in, regisseur, make_household
):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    other = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    make_household(regisseur=regisseur)
    client = signed_in(teamleider)
    small = _count_queries(client, reverse("caseload:team"))
    for index in range(19):
        make_household(regisseur=other if index % 2 else regisseur, members=2)
    assert _count_queries(client, reverse("caseload:team")) == small


def test_team_leader_reassigns_households_from_one_regisseur_to_another(
    signed_in, regisseur, make_household
):
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    successor = MembershipFactory(regisseur=True, organisation=regisseur.organisation)
    first = make_household(regisseur=regisseur, members=2)
    second = make_household(regisseur=regisseur)
    kept = make_household(regisseur=regisseur)
    today = timezone.localdate()
    Involvement.objects.update(start_date=today - timedelta(days=30))  # assigned last month
    response = signed_in(teamleider).post(
        reverse("caseload:team"),
        {"households": [first.pk, second.pk], "regisseur": successor.pk, "note": "Verlof"},
    )
    assert response.status_code == 302
    active = Involvement.objects.active(today).filter(role=NetworkRole.REGISSEUR)
    assert set(active.filter(membership=successor).values_list("household_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert list(active.filter(membership=regisseur).values_list("household_id", flat=True)) == [
        kept.pk
    ]
    ended = Involvement.objects.filter(membership=regisseur, household__in=[first, second])
    assert all(involvement.end_date == today - timedelta(days=1) for involvement in ended)
    audited = AuditEvent.objects.filter(action=Action.UPDATE, sections=Section.NETWORK)
    assert set(audited.values_list("client_id", flat=True)) == set(
        first.members.values_list("pk", flat=True)
    ) | set(second.members.values_list("pk", flat=True))
    page = signed_in(teamleider).get(reverse("caseload:team")).content.decode()
    assert f"{successor.user.display_name} (2 huishoudens)" in page
    assert f"{regisseur.user.display_name} (1 huishouden)" in page


def test_a_regisseurs_households_beyond_the_bound_are_shown_one_regisseur_at_a_time(
    signed_in, regisseur, make_household, monkeypatch
):
    monkeypatch.setattr("koers.caseload.selectors.TEAM_CASELOAD_SIZE", 2)
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    households = [make_household(regisseur=regisseur, name=f"Gezin {n}") for n in "ABCDE"]
    client = signed_in(teamleider)
    page = client.get(reverse("caseload:team")).content.decode()
    assert "Gezin A" in page and "Gezin B" in page and "Gezin C" not in page
    assert f"?regisseur={regisseur.pk}#per-regisseur" in page
    second = client.get(reverse("caseload:team"), {"regisseur": regisseur.pk, "pagina": 2})
    content = second.content.decode()
    assert "Gezin C" in content and "Gezin D" in content and "Gezin B" not in content
    assert f"?regisseur={regisseur.pk}&amp;pagina=3" in content
    third = client.get(reverse("caseload:team"), {"regisseur": regisseur.pk, "pagina": 3})
    assert f'value="{households[4].pk}"' in third.content.decode()
    assert "pagina=4" not in third.content.decode()
