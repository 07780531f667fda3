import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action as AuditAction
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.permissions import client_access
from koers.plans import selectors
from koers.plans.constants import ActionStatus, LifeDomain, VersionStatus
from koers.plans.models import Action, Goal, Plan

from .conftest import make_world
from .helpers import add_action, add_goal, establish, start_plan, volunteer_owner, vwn_owner

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"plans:{name}", args=args)


def test_regisseur_writes_a_plan_through_the_pages(signed_in, world):
    web = signed_in(world.regisseur)
    page = web.get(url("detail", world.amal.pk))
    assert page.status_code == 200 and "nog geen plan" in page.text
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, sections=Section.PLAN).exists()

    response = web.post(url("create", world.amal.pk), {"help_question": "Ik wil werk."})
    assert response.status_code == 302
    plan = Plan.objects.get(household=world.household)

    form = web.get(url("goal_create", world.amal.pk))
    token = form.context["form"]["form_token"].value()
    data = {
        "life_domain": LifeDomain.WORK_EDUCATION,
        "description": "Een baan van 20 uur",
        "priority": "hoog",
        "target_score": "4",
        "members": [world.amal.household_membership.pk],
        "form_token": token,
    }
    assert web.post(url("goal_create", world.amal.pk), data).status_code == 302
    assert web.post(url("goal_create", world.amal.pk), data).status_code == 302  # double submit
    goal = Goal.objects.get()
    assert list(goal.members.all()) == [world.amal.household_membership]

    form = web.get(url("action_create", world.amal.pk, goal.pk))
    assert "Henk de Boer" in form.text
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    for owner, text in ((vwn_owner(world), "Cv maken"), (volunteer_owner(world), "Bibliotheek")):
        response = web.post(
            url("action_create", world.amal.pk, goal.pk),
            {"description": text, "owner": owner, "due_on": due, "form_token": str(uuid.uuid4())},
        )
        assert response.status_code == 302
    assert Action.objects.count() == 2

    plan.refresh_from_db()
    response = web.post(
        url("establish", world.amal.pk),
        {
            "established_on": timezone.localdate().isoformat(),
            "review_due_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
            "version": plan.version,
        },
    )
    assert response.status_code == 302
    assert selectors.plan_in_force(world.household).number == 1

    page = web.get(url("detail", world.amal.pk))
    assert "Vastgesteld" in page.text and "Werk &amp; opleiding" in page.text
    history = web.get(url("history", world.amal.pk))
    assert history.status_code == 200 and "Doel toegevoegd" in history.text
    changes = AuditEvent.objects.filter(action__in=[AuditAction.CREATE, AuditAction.UPDATE])
    # Every change is recorded for both members of the household.
    assert {row.client_id for row in changes} == {world.amal.pk, world.omar.pk}


def test_form_errors_show_next_to_the_field_in_dutch(signed_in, world):
    start_plan(world)
    web = signed_in(world.regisseur)
    form = web.get(url("goal_create", world.amal.pk))
    response = web.post(
        url("goal_create", world.amal.pk),
        {
            "life_domain": LifeDomain.HOUSING,
            "description": "",
            "priority": "hoog",
            "target_score": "9",
            "form_token": form.context["form"]["form_token"].value(),
        },
    )
    assert response.status_code == 200
    assert "id_description_error" in response.text and "id_target_score_error" in response.text
    assert "Dit veld is verplicht." in response.text


@pytest.mark.parametrize("role", ["teamleider", "privacy_officer", "other_municipality"])
def test_who_may_not_read_the_plan_gets_not_found(signed_in, world, role):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    action = add_action(world, goal, vwn_owner(world))
    if role == "other_municipality":
        membership = MembershipFactory(regisseur=True)
    else:
        membership = MembershipFactory(**{role: True}, organisation=world.regisseur.organisation)
    web = signed_in(membership)
    for name, args in (
        ("detail", ()),
        ("history", ()),
        ("goal_edit", (goal.pk,)),
        ("action_edit", (action.pk,)),
        ("action_complete", (action.pk,)),
        ("establish", ()),
    ):
        assert web.get(url(name, world.amal.pk, *args)).status_code == 404


def _plan_with_two_actions(world):
    plan = start_plan(world)
    goal = add_goal(world, plan, description="Een baan van 20 uur")
    theirs = add_action(world, goal, vwn_owner(world), description="Cv maken met Eva")
    mine = add_action(world, goal, volunteer_owner(world), description="Samen naar de bieb")
    establish(world, plan)
    return plan, goal, theirs, mine


def test_volunteer_sees_only_their_own_action_without_goal_or_life_domain(signed_in, world):
    _plan, goal, theirs, mine = _plan_with_two_actions(world)
    web = signed_in(world.volunteer)
    for page in (web.get(url("detail", world.amal.pk)), web.get(reverse("plans:my_actions"))):
        assert page.status_code == 200
        assert mine.description in page.text
        assert theirs.description not in page.text
        assert goal.description not in page.text
        assert "Werk &amp; opleiding" not in page.text and "Leefgebied" not in page.text
    for name, args in (
        ("history", ()),
        ("goal_edit", (goal.pk,)),
        ("action_edit", (mine.pk,)),
        ("establish", ()),
        ("goal_create", ()),
        ("action_complete", (theirs.pk,)),
    ):
        assert web.get(url(name, world.amal.pk, *args)).status_code == 404
    reads = AuditEvent.objects.filter(action=AuditAction.VIEW, membership_id=world.volunteer.pk)
    assert reads.exists() and {row.sections for row in reads} == {Section.TASKS}


def test_volunteer_marks_their_action_done_with_a_note(signed_in, world):
    _plan, _goal, theirs, mine = _plan_with_two_actions(world)
    web = signed_in(world.volunteer)
    page = web.get(url("action_complete", world.amal.pk, mine.pk) + "?terug=mijn")
    assert page.status_code == 200 and mine.description in page.text
    response = web.post(
        url("action_complete", world.amal.pk, mine.pk) + "?terug=mijn",
        {"note": "Pasje gehaald.", "version": mine.version},
    )
    assert response.status_code == 302 and response.url == reverse("plans:my_actions")
    mine.refresh_from_db()
    assert (mine.status, mine.done_note) == (ActionStatus.DONE, "Pasje gehaald.")
    # A second submit does nothing twice; someone else's action stays out of reach.
    again = web.post(
        url("action_complete", world.amal.pk, mine.pk),
        {"note": "Pasje gehaald.", "version": mine.version - 1},
    )
    assert again.status_code == 302
    assert (
        web.post(
            url("action_complete", world.amal.pk, theirs.pk), {"note": "", "version": 1}
        ).status_code
        == 404
    )
    changes = AuditEvent.objects.filter(action=AuditAction.UPDATE, membership_id=world.volunteer.pk)
    assert {(row.client_id, row.sections) for row in changes} == {
        (world.amal.pk, Section.TASKS),
        (world.omar.pk, Section.TASKS),
    }


def test_partner_professional_reads_the_whole_plan_and_their_organisations_actions(
    signed_in, world
):
    _plan, goal, theirs, mine = _plan_with_two_actions(world)
    web = signed_in(world.coach)
    page = web.get(url("detail", world.amal.pk))
    assert mine.description in page.text and theirs.description in page.text
    listing = web.get(reverse("plans:my_actions"))
    assert theirs.description in listing.text and mine.description not in listing.text
    assert goal.description in listing.text and "Werk &amp; opleiding" in listing.text


def test_a_stale_goal_edit_gets_the_conflict_page(signed_in, world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    web = signed_in(world.regisseur)
    data = {
        "life_domain": goal.life_domain,
        "description": "Een opleiding tot kok",
        "priority": "hoog",
        "target_score": "4",
        "status": "open",
        "version": goal.version,
    }
    assert web.post(url("goal_edit", world.amal.pk, goal.pk), data).status_code == 302
    response = web.post(
        url("goal_edit", world.amal.pk, goal.pk),
        data | {"description": "Een opleiding tot timmerman"},
    )
    assert response.status_code == 409
    assert "Een opleiding tot kok" in response.text
    assert "Een opleiding tot timmerman" in response.text
    goal.refresh_from_db()
    assert goal.description == "Een opleiding tot kok"


def test_a_stale_establishment_gets_the_conflict_page(signed_in, world):
    plan = start_plan(world)
    add_goal(world, plan)
    plan.refresh_from_db()
    stale = plan.version
    add_goal(world, plan, description="Nog een doel")
    response = signed_in(world.regisseur).post(
        url("establish", world.amal.pk),
        {
            "established_on": timezone.localdate().isoformat(),
            "review_due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "version": stale,
        },
    )
    assert response.status_code == 409
    assert plan.versions.get().status == VersionStatus.CONCEPT


def test_an_established_plan_offers_review_and_revision_not_new_goals(signed_in, world):
    plan, _goal, _theirs, _mine = _plan_with_two_actions(world)
    web = signed_in(world.regisseur)
    page = web.get(url("detail", world.amal.pk))
    assert url("review", world.amal.pk) in page.text
    assert url("goal_create", world.amal.pk) not in page.text
    plan.refresh_from_db()
    response = web.post(url("revise", world.amal.pk), {"version": plan.version})
    assert response.status_code == 302
    page = web.get(url("detail", world.amal.pk))
    assert url("goal_create", world.amal.pk) in page.text
    assert "Versie 2" in page.text


# --- query counts ------------------------------------------------------------------------------


def _count(web, path) -> int:
    web.get(path)  # warm the caches shared by both measurements
    with CaptureQueriesContext(connection) as queries:
        assert web.get(path).status_code == 200
    return len(queries)


def _grow(world, plan, n):
    for i in range(n):
        goal = add_goal(world, plan, description=f"Doel {i}")
        add_action(world, goal, vwn_owner(world), description=f"Actie {i}a")
        add_action(world, goal, volunteer_owner(world), description=f"Actie {i}b")
        add_action(world, goal, f"client:{world.amal.pk}", description=f"Actie {i}c")


def test_plan_page_and_history_query_counts_do_not_grow_with_rows(signed_in, world):
    plan = start_plan(world)
    _grow(world, plan, 1)
    web = signed_in(world.regisseur)
    detail, history = url("detail", world.amal.pk), url("history", world.amal.pk)
    one = (_count(web, detail), _count(web, history))
    _grow(world, plan, 6)
    establish(world, plan)
    plan.refresh_from_db()
    from koers.plans import services
    from koers.plans.tests.helpers import accesses

    services.plan_revise(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        version=plan.version,
    )
    _grow(world, plan, 2)
    assert (_count(web, detail), _count(web, history)) == one


def test_my_actions_query_count_does_not_grow_with_rows(signed_in, world):
    plan = start_plan(world)
    _grow(world, plan, 1)
    volunteer = signed_in(world.volunteer)
    path = reverse("plans:my_actions")
    one = _count(volunteer, path)
    _grow(world, plan, 5)
    # A second household with its own plan, for the same volunteer.
    other = make_world("Familie Yousef")
    from koers.clients.tests.factories import InvolvementFactory

    involvement = InvolvementFactory(
        household=other.household,
        organisation=world.humanitas,
        membership=world.volunteer,
        role="vrijwilliger",
        start_date=timezone.localdate() - timedelta(days=3),
    )
    from koers.organisations.tests.factories import LegalBasisFactory

    LegalBasisFactory(
        organisation=world.humanitas,
        municipality=other.town,
        kind="convenant",
        sections=Section.all() & ~Section.IDENTITY,
    )
    other_plan = start_plan(other)
    goal = add_goal(other, other_plan)
    add_action(other, goal, f"involvement:{involvement.pk}", description="Fietsles")
    assert _count(volunteer, path) == one
    assert "Fietsles" in volunteer.get(path).text


def test_my_actions_for_a_professional_query_count_does_not_grow(signed_in, world):
    plan = start_plan(world)
    _grow(world, plan, 1)
    web = signed_in(world.coach)
    path = reverse("plans:my_actions")
    one = _count(web, path)
    _grow(world, plan, 8)
    assert _count(web, path) == one


# --- the dossier card --------------------------------------------------------------------------


def test_plan_card_for_a_plan_reader_and_for_a_volunteer(world, django_assert_max_num_queries):
    plan, _goal, theirs, mine = _plan_with_two_actions(world)
    Action.objects.filter(pk=theirs.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    regisseur_access = client_access(world.regisseur, world.amal)
    with django_assert_max_num_queries(3):
        card = selectors.plan_card(world.regisseur, regisseur_access, world.amal)
    assert card.visible and not card.tasks_only and card.plan == plan
    assert (card.open_count, card.overdue_count) == (2, 1)
    assert card.in_force.number == 1 and card.sections == Section.PLAN
    from django.template.loader import render_to_string

    html = render_to_string("plans/_dossier_card.html", {"plan_card": card})
    assert "Versie 1: Vastgesteld" in html and "2 open acties" in html and "1 te laat" in html

    volunteer_access = client_access(world.volunteer, world.amal)
    card = selectors.plan_card(world.volunteer, volunteer_access, world.amal)
    assert card.tasks_only and [a.pk for a in card.tasks] == [mine.pk]
    assert card.sections == Section.TASKS
    html = render_to_string("plans/_dossier_card.html", {"plan_card": card})
    assert mine.description in html and theirs.description not in html
    assert "Werk &amp; opleiding" not in html

    outsider = MembershipFactory(teamleider=True, organisation=world.regisseur.organisation)
    card = selectors.plan_card(outsider, client_access(outsider, world.amal), world.amal)
    assert not card.visible and card.sections == Section.none()
    html = render_to_string("plans/_dossier_card.html", {"plan_card": card})
    assert html.strip() == ""


def test_a_stale_revision_gets_the_conflict_page_with_a_way_back(signed_in, world):
    plan, _goal, theirs, _mine = _plan_with_two_actions(world)
    plan.refresh_from_db()
    stale = plan.version
    from koers.plans import services
    from koers.plans.tests.helpers import accesses

    services.action_update(
        None,
        action=theirs,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        changes={"status": ActionStatus.IN_PROGRESS},
        version=theirs.version,
    )
    response = signed_in(world.regisseur).post(url("revise", world.amal.pk), {"version": stale})
    assert response.status_code == 409
    assert f'href="{url("detail", world.amal.pk)}"' in response.text
    assert not plan.versions.filter(status=VersionStatus.CONCEPT).exists()


def test_klantmanager_without_health_does_not_see_a_health_goal(signed_in, world):
    plan = start_plan(world)
    add_goal(world, plan, life_domain=LifeDomain.MENTAL_HEALTH, description="Naar de GGZ")
    add_goal(world, plan, description="Een baan")
    klantmanager = MembershipFactory(klantmanager=True, organisation=world.regisseur.organisation)
    web = signed_in(klantmanager)
    for path in (url("detail", world.amal.pk), url("history", world.amal.pk)):
        page = web.get(path)
        assert "Een baan" in page.text and "Naar de GGZ" not in page.text
    reads = AuditEvent.objects.filter(action=AuditAction.VIEW, membership_id=klantmanager.pk)
    assert all(Section.HEALTH not in Section(row.sections) for row in reads)


def test_an_owner_who_left_the_network_is_marked(signed_in, world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    add_action(world, goal, f"involvement:{world.coach_involvement.pk}", description="Cv maken")
    from koers.network.models import Involvement

    Involvement.objects.filter(pk=world.coach_involvement.pk).update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    page = signed_in(world.regisseur).get(url("detail", world.amal.pk))
    assert "niet meer betrokken" in page.text


# --- "Mijn acties": a page at a time, open ones first ----------------------------------------


def _regisseur_owner(world):
    return f"involvement:{world.regisseur_involvement.pk}"


def _regisseur_actions(world, plan, count, *, life_domain=LifeDomain.WORK_EDUCATION, first=0):
    goal = add_goal(world, plan, life_domain=life_domain, description=f"Doel vanaf {first}")
    return [
        add_action(
            world,
            goal,
            _regisseur_owner(world),
            description=f"Taak {number:02d}",
            due_in_days=100 - number,  # the later added, the sooner due
        )
        for number in range(first, first + count)
    ]


def _descriptions(response, rows="open_rows"):
    return [row.action.description for row in getattr(response.context["result"], rows)]


def test_my_actions_shows_open_actions_soonest_due_first_a_page_at_a_time(signed_in, world):
    plan = start_plan(world)
    _regisseur_actions(world, plan, 30)
    web = signed_in(world.regisseur)
    path = reverse("plans:my_actions")

    first = web.get(path)
    assert _descriptions(first) == [f"Taak {n:02d}" for n in range(29, 4, -1)]
    assert first.context["result"].has_next
    assert "?pagina=2" in first.text and "Volgende pagina" in first.text
    assert "Vorige pagina" not in first.text

    second = web.get(path, {"pagina": 2})
    assert _descriptions(second) == [f"Taak {n:02d}" for n in range(4, -1, -1)]
    assert not second.context["result"].has_next
    assert "?pagina=1" in second.text and "Volgende pagina" not in second.text


def test_my_actions_lists_closed_actions_only_when_asked(signed_in, world):
    plan = start_plan(world)
    waiting, done = _regisseur_actions(world, plan, 2)
    long_ago = timezone.localdate() - timedelta(days=90)
    Action.objects.filter(pk=done.pk).update(
        status=ActionStatus.DONE, closed_on=long_ago, done_note="Cv is verstuurd"
    )
    web = signed_in(world.regisseur)
    path = reverse("plans:my_actions")

    default = web.get(path)
    assert _descriptions(default) == [waiting.description]
    assert done.description not in default.text
    assert not default.context["result"].closed_rows

    closed = web.get(path, {"toon": "gesloten"})
    assert _descriptions(closed, "closed_rows") == [done.description]
    assert "Cv is verstuurd" in closed.text and waiting.description not in closed.text
    assert f'href="{path}?toon=gesloten" aria-current="true"' in closed.text
    assert f'href="{path}" aria-current="true"' in default.text
    # The pages of the closed list keep to the closed list.
    _regisseur_actions(world, plan, 40, first=10)
    Action.objects.filter(description__regex=r"^Taak [12]").update(
        status=ActionStatus.DONE, closed_on=long_ago
    )
    Action.objects.filter(description__startswith="Taak 3").update(
        status=ActionStatus.DROPPED, closed_on=long_ago
    )
    closed = web.get(path, {"toon": "gesloten"})
    assert closed.context["result"].has_next and "?toon=gesloten&amp;pagina=2" in closed.text


def test_my_actions_without_open_actions_shows_the_recently_closed(signed_in, world):
    plan = start_plan(world)
    recent, old = _regisseur_actions(world, plan, 2)
    today = timezone.localdate()
    Action.objects.filter(pk=recent.pk).update(status=ActionStatus.DONE, closed_on=today)
    Action.objects.filter(pk=old.pk).update(
        status=ActionStatus.DONE, closed_on=today - timedelta(days=60)
    )
    page = signed_in(world.regisseur).get(reverse("plans:my_actions"))
    assert "U heeft geen open acties." in page.text
    assert "Afgesloten in de afgelopen 30 dagen" in page.text
    assert _descriptions(page, "closed_rows") == [recent.description]


def test_volunteer_sees_own_closed_actions_without_goal_or_life_domain(signed_in, world):
    _plan, goal, theirs, mine = _plan_with_two_actions(world)
    Action.objects.filter(pk__in=[theirs.pk, mine.pk]).update(
        status=ActionStatus.DONE, closed_on=timezone.localdate() - timedelta(days=45)
    )
    web = signed_in(world.volunteer)
    page = web.get(reverse("plans:my_actions"), {"toon": "gesloten"})
    assert page.status_code == 200
    assert mine.description in page.text and theirs.description not in page.text
    assert goal.description not in page.text
    assert "Werk &amp; opleiding" not in page.text and "Leefgebied" not in page.text
    reads = AuditEvent.objects.filter(action=AuditAction.VIEW, membership_id=world.volunteer.pk)
    assert reads.exists() and {row.sections for row in reads} == {Section.TASKS}


@pytest.mark.parametrize(
    "query", [{"pagina": "abc"}, {"pagina": "0"}, {"pagina": "-3"}, {"toon": "alles"}]
)
def test_my_actions_falls_back_to_the_first_page_of_open_actions(signed_in, world, query):
    plan = start_plan(world)
    _regisseur_actions(world, plan, 2)
    page = signed_in(world.regisseur).get(reverse("plans:my_actions"), query)
    assert page.status_code == 200
    result = page.context["result"]
    assert (result.show, result.page, len(result.open_rows)) == ("open", 1, 2)


def test_my_actions_pages_stop_at_the_bound(signed_in, world):
    plan = start_plan(world)
    _regisseur_actions(world, plan, 1)
    page = signed_in(world.regisseur).get(reverse("plans:my_actions"), {"pagina": "100000"})
    assert page.status_code == 200
    assert page.context["result"].page == selectors.MY_ACTIONS_MAX_PAGES
    assert "Vorige pagina" in page.text


def test_my_actions_runs_the_same_queries_for_3_and_60_actions(
    signed_in, world, django_assert_num_queries
):
    plan = start_plan(world)
    _regisseur_actions(world, plan, 3)
    web = signed_in(world.regisseur)
    path = reverse("plans:my_actions")
    Action.objects.filter(description="Taak 00").update(
        status=ActionStatus.DONE, closed_on=timezone.localdate()
    )
    assert len(_descriptions(web.get(path))) == 2
    three = _count(web, path)
    closed = _count(web, f"{path}?toon=gesloten")

    _regisseur_actions(world, plan, 30, first=3, life_domain=LifeDomain.PHYSICAL_HEALTH)
    _regisseur_actions(world, plan, 27, first=33, life_domain=LifeDomain.HOUSING)
    Action.objects.filter(description__startswith="Taak 5").update(
        status=ActionStatus.DONE, closed_on=timezone.localdate()
    )
    assert Action.objects.count() == 60
    with django_assert_num_queries(three):
        response = web.get(path)
    assert len(_descriptions(response)) == selectors.MY_ACTIONS_PAGE_SIZE
    with django_assert_num_queries(three):
        assert web.get(path, {"pagina": 2}).status_code == 200
    with django_assert_num_queries(closed):
        assert len(_descriptions(web.get(path, {"toon": "gesloten"}), "closed_rows")) == 11


def test_who_may_not_read_every_goal_cannot_establish_or_review_the_plan(signed_in, world):
    plan = start_plan(world)
    add_goal(world, plan, life_domain=LifeDomain.PHYSICAL_HEALTH, description="Huisarts")
    add_goal(world, plan, description="Een baan")
    klantmanager = MembershipFactory(klantmanager=True, organisation=world.regisseur.organisation)
    web = signed_in(klantmanager)
    today = timezone.localdate()
    plan.refresh_from_db()
    response = web.post(
        url("establish", world.amal.pk),
        {
            "established_on": today.isoformat(),
            "review_due_on": (today + timedelta(days=90)).isoformat(),
            "version": plan.version,
        },
    )
    assert response.status_code == 200
    assert "iemand die ze mag inzien stelt het vast" in response.text
    assert plan.versions.get().status == VersionStatus.CONCEPT

    establish(world, plan)
    plan.refresh_from_db()
    response = web.post(
        url("review", world.amal.pk),
        {
            "reviewed_on": today.isoformat(),
            "outcome": "afgerond",
            "version": plan.version,
            "form_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "iemand die ze mag inzien evalueert het" in response.text
    assert not plan.versions.get().reviews.exists()
