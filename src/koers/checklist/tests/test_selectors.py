from datetime import date

import pytest
from django.test import RequestFactory

from koers.accounts.tests.factories import MembershipFactory
from koers.checklist.models import ChecklistTask
from koers.checklist.permissions import checklist_view
from koers.checklist.selectors import checklist_card, household_checklist, stuck_households
from koers.checklist.services import checklist_start
from koers.clients.constants import Section
from koers.clients.permissions import ClientAccess, client_access

from .factories import client_of, partner_member

pytestmark = pytest.mark.django_db

FULL = ClientAccess(Section.all(), Section.all(), "legal_task")
TODAY = date(2025, 10, 1)


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


def _started(regisseur, client, housing_date=date(2025, 9, 1)):
    request = RequestFactory().post("/")
    request.user, request.membership = regisseur.user, regisseur
    return checklist_start(
        request, client=client, access=FULL, housing_date=housing_date, started_by=regisseur
    )


@pytest.mark.parametrize("households", [1, 10])
def test_stuck_households_in_one_query(regisseur, households, django_assert_num_queries):
    ids = []
    for _ in range(households):
        client = client_of(regisseur)
        _started(regisseur, client)
        ids.append(client.household_id)
    with django_assert_num_queries(1):
        stuck = stuck_households(ids, TODAY)
    assert set(stuck) == set(ids)
    # Housed on 1 September: the tasks due within 5, 7 and 14 days are late on 1 October.
    assert {s.overdue for s in stuck.values()} == {8}
    assert {s.oldest_due_on for s in stuck.values()} == {date(2025, 9, 6)}


def test_a_checklist_is_stuck_only_by_open_tasks_past_their_due_date(regisseur):
    client = client_of(regisseur)
    checklist = _started(regisseur, client, housing_date=date(2025, 9, 26))  # BRP due 1 October
    assert stuck_households([client.household_id], TODAY) == {}  # due today is not late
    stuck = stuck_households([client.household_id], date(2025, 10, 2))
    assert stuck[client.household_id].overdue == 1
    brp = checklist.tasks.get(position=1)
    ChecklistTask.objects.filter(pk=brp.pk).update(status="nvt", done_on=TODAY)
    assert stuck_households([client.household_id], date(2025, 10, 2)) == {}
    ChecklistTask.objects.filter(pk=brp.pk).update(status="bezig", done_on=None)
    assert stuck_households([client.household_id], date(2025, 10, 2))
    assert stuck_households([], TODAY) == {}


def test_a_household_without_a_checklist_is_not_stuck(regisseur):
    client = client_of(regisseur)
    assert stuck_households([client.household_id], TODAY) == {}


def test_the_page_shows_tasks_with_owner_and_overdue_in_two_queries(
    regisseur, django_assert_num_queries
):
    client = client_of(regisseur)
    _started(regisseur, client)
    view = checklist_view(regisseur, FULL, client.household_id)
    with django_assert_num_queries(2):
        checklist, tasks = household_checklist(client.household_id, view, TODAY)
    assert checklist.template_name and len(tasks) == checklist.tasks.count()
    assert tasks[0].overdue and tasks[0].editable
    assert not tasks[-1].overdue


def test_a_begeleider_without_work_and_income_or_asylum_does_not_see_those_tasks(regisseur):
    client = client_of(regisseur)
    begeleider, _involvement = partner_member(
        client, sections=Section.all() & ~(Section.IDENTITY | Section.ASYLUM)
    )
    _started(regisseur, client)
    access = client_access(begeleider, client)
    assert access.can_read(Section.PLAN) and not access.can_read(Section.WORK_INCOME)
    view = checklist_view(begeleider, access, client.household_id)
    _checklist, tasks = household_checklist(client.household_id, view, TODAY)
    titles = [task.title for task in tasks]
    assert "Bijstand aanvragen en ontzorgen regelen" not in titles
    assert "Nareis aanvragen" not in titles
    assert "DigiD aanvragen" in titles


def test_a_volunteer_sees_only_own_tasks(regisseur):
    client = client_of(regisseur)
    volunteer, involvement = partner_member(client, volunteer=True)
    checklist = _started(regisseur, client)
    own = checklist.tasks.get(position=2)
    ChecklistTask.objects.filter(pk=own.pk).update(owner_involvement=involvement)
    view = checklist_view(volunteer, client_access(volunteer, client), client.household_id)
    _checklist, tasks = household_checklist(client.household_id, view, TODAY)
    assert [task.pk for task in tasks] == [own.pk]
    assert tasks[0].editable and tasks[0].own


def test_the_dossier_card_summarises_what_the_user_may_see(regisseur):
    client = client_of(regisseur)
    assert checklist_card(regisseur, FULL, client, TODAY)["checklist_summary"].started is False
    _started(regisseur, client)
    card = checklist_card(regisseur, FULL, client, TODAY)
    summary = card["checklist_summary"]
    assert card["checklist_visible"] and summary.started
    assert (summary.total, summary.closed, summary.overdue) == (14, 0, 8)
    no_plan = ClientAccess(Section.BASIS, Section.none(), "legal_task")
    assert checklist_card(regisseur, no_plan, client, TODAY) == {"checklist_visible": False}


def test_the_dossier_card_template_shows_progress(regisseur):
    from django.template.loader import render_to_string
    from django.utils import translation

    client = client_of(regisseur)
    _started(regisseur, client)
    with translation.override("nl"):
        html = render_to_string(
            "checklist/_dossier_card.html", checklist_card(regisseur, FULL, client, TODAY)
        )
    assert "0 van 14 taken afgerond." in html
    assert "8 taken zijn over de uiterste datum." in html
    assert f"/checklist/{client.pk}/" in html
