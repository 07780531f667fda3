from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.checklist.constants import DEFAULT_TASKS
from koers.checklist.models import Checklist, ChecklistTask, ChecklistTemplate, TemplateTask
from koers.clients.constants import Section
from koers.clients.tests.factories import ClientFactory

from .factories import (
    ChecklistTemplateFactory,
    TemplateTaskFactory,
    client_of,
    partner_member,
    regisseur_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


def _start(browser, client, housing_date="2025-09-01"):
    return browser.post(
        reverse("checklist:start", args=[client.pk]), {"housing_date": housing_date}
    )


def test_a_regisseur_starts_the_checklist_and_sees_its_tasks(signed_in, regisseur):
    client = client_of(regisseur, housing_date=date(2025, 9, 1))
    sibling = ClientFactory(household=client.household)
    browser = signed_in(regisseur)
    page = browser.get(reverse("checklist:household", args=[client.pk]))
    assert page.status_code == 200 and page.context["can_start"]
    form = browser.get(reverse("checklist:start", args=[client.pk])).context["form"]
    assert form["housing_date"].initial == date(2025, 9, 1)
    shown = AuditEvent.objects.get(action=Action.VIEW, detail="checklist:start")
    assert shown.sections == Section.PLAN | Section.INBURGERING
    response = _start(browser, client)
    assert response.status_code == 302
    page = browser.get(reverse("checklist:household", args=[client.pk]))
    assert len(page.context["tasks"]) == len(DEFAULT_TASKS)
    assert "Inschrijving BRP op het nieuwe adres" in page.content.decode()
    views = AuditEvent.objects.filter(action=Action.VIEW, detail="checklist:household")
    assert {row.client_id for row in views} == {client.pk, sibling.pk}
    assert {row.sections for row in views} == {Section.PLAN}


def test_starting_twice_keeps_one_checklist(signed_in, regisseur):
    client = client_of(regisseur)
    browser = signed_in(regisseur)
    assert _start(browser, client).status_code == 302
    assert _start(browser, client, "2025-10-01").status_code == 302
    checklist = Checklist.objects.get()
    assert checklist.housing_date == date(2025, 9, 1)


def test_ticking_off_a_task_records_today_and_who(signed_in, regisseur):
    client = client_of(regisseur)
    browser = signed_in(regisseur)
    _start(browser, client)
    task = ChecklistTask.objects.get(position=1)
    url = reverse("checklist:task_done", args=[client.pk, task.pk])
    for _ in range(2):  # a double submit
        assert browser.post(url, {"version": "1"}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_on, task.done_by) == (
        "gedaan",
        timezone.localdate(),
        regisseur,
    )
    assert task.version == 2


def test_the_task_form_changes_owner_and_due_date(signed_in, regisseur):
    client = client_of(regisseur)
    regisseur_of(client, regisseur)
    _member, involvement = partner_member(client)
    browser = signed_in(regisseur)
    _start(browser, client)
    task = ChecklistTask.objects.get(position=1)
    url = reverse("checklist:task", args=[client.pk, task.pk])
    form = browser.get(url).context["form"]
    owner_values = [
        value for _group, options in form.fields["owner"].choices[1:] for value, _ in options
    ]
    assert f"inv:{involvement.pk}" in owner_values
    assert f"org:{involvement.organisation_id}" in owner_values
    response = browser.post(
        url,
        {
            "status": "bezig",
            "done_on": "",
            "owner": f"inv:{involvement.pk}",
            "due_on": "2025-09-30",
            "version": "1",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.owner_involvement, task.due_on) == (
        "bezig",
        involvement,
        date(2025, 9, 30),
    )
    response = browser.post(
        url,
        {
            "status": "gedaan",
            "done_on": "2999-01-01",
            "owner": "",
            "due_on": "2025-09-30",
            "version": "2",
        },
    )
    assert response.status_code == 200
    assert "done_on" in response.context["form"].errors


def test_a_stale_task_form_shows_the_conflict(signed_in, regisseur):
    client = client_of(regisseur)
    browser = signed_in(regisseur)
    _start(browser, client)
    task = ChecklistTask.objects.get(position=1)
    ChecklistTask.objects.filter(pk=task.pk).update(status="bezig", version=2)
    response = browser.post(
        reverse("checklist:task", args=[client.pk, task.pk]),
        {"status": "nvt", "done_on": "", "owner": "", "due_on": "2025-09-06", "version": "1"},
    )
    assert response.status_code == 409
    assert response.context["rows"][0]["now"] == "Bezig"


def test_a_volunteer_sees_and_ticks_only_own_tasks(signed_in, regisseur):
    client = client_of(regisseur)
    volunteer, involvement = partner_member(client, volunteer=True)
    _start(signed_in(regisseur), client)
    own = ChecklistTask.objects.get(position=2)
    other = ChecklistTask.objects.get(position=3)
    ChecklistTask.objects.filter(pk=own.pk).update(owner_involvement=involvement)
    browser = signed_in(volunteer)
    page = browser.get(reverse("checklist:household", args=[client.pk]))
    assert page.status_code == 200
    assert [task.pk for task in page.context["tasks"]] == [own.pk]
    assert page.context["own_only"] and not page.context["can_start"]
    assert browser.get(reverse("checklist:start", args=[client.pk])).status_code == 404
    other_url = reverse("checklist:task_done", args=[client.pk, other.pk])
    assert browser.post(other_url, {"version": "1"}).status_code == 404
    form = browser.get(reverse("checklist:task", args=[client.pk, own.pk])).context["form"]
    assert set(form.fields) == {"status", "done_on", "version"}
    url = reverse("checklist:task_done", args=[client.pk, own.pk])
    assert browser.post(url, {"version": "1"}).status_code == 302
    own.refresh_from_db()
    assert own.status == "gedaan" and own.done_by == volunteer
    row = AuditEvent.objects.filter(action=Action.VIEW, detail="checklist:household").first()
    assert row.sections == Section.TASKS


def test_outside_the_scope_gives_404(signed_in, regisseur):
    elsewhere = ClientFactory()
    browser = signed_in(regisseur)
    assert browser.get(reverse("checklist:household", args=[elsewhere.pk])).status_code == 404
    assert _start(browser, elsewhere).status_code == 404
    assert not Checklist.objects.exists()


def test_a_team_leader_does_not_open_the_checklist(signed_in):
    leader = MembershipFactory(teamleider=True)
    client = client_of(leader)
    url = reverse("checklist:household", args=[client.pk])
    assert signed_in(leader).get(url).status_code == 404


def test_the_checklist_page_costs_the_same_queries_for_few_and_many_tasks(signed_in, regisseur):
    counts = []
    for tasks in (1, 12):
        client = client_of(regisseur)
        regisseur_of(client, regisseur)
        partner_member(client)
        own = ChecklistTemplateFactory(municipality=client.municipality)
        for _ in range(tasks):
            TemplateTaskFactory(template=own, default_owner_role="begeleider")
        browser = signed_in(regisseur)
        _start(browser, client)
        ChecklistTask.objects.filter(checklist__household=client.household, position=1).update(
            status="gedaan", done_on=date(2025, 9, 2), done_by=regisseur
        )
        with CaptureQueriesContext(connection) as queries:
            page = browser.get(reverse("checklist:household", args=[client.pk]))
        assert len(page.context["tasks"]) == tasks
        counts.append(len(queries))
        ChecklistTemplate.objects.filter(pk=own.pk).delete()
    assert counts[0] == counts[1]


# --- templates (beheer) ------------------------------------------------------------------------


@pytest.fixture
def admin():
    return MembershipFactory(functional_admin=True)


def test_only_the_functional_administrator_manages_templates(signed_in, regisseur):
    assert signed_in(regisseur).get(reverse("checklist:templates")).status_code == 403


def test_the_functional_administrator_makes_a_municipal_template(signed_in, admin):
    town = ClientFactory().municipality
    browser = signed_in(admin)
    page = browser.get(reverse("checklist:templates"))
    assert page.status_code == 200
    assert [t.is_default for t in page.context["templates"]] == [True]
    response = browser.post(
        reverse("checklist:template_create"),
        {"municipality": town.pk, "name": "Eerste fase Utrecht", "copy_default": "on"},
    )
    template = ChecklistTemplate.objects.get(municipality=town)
    assert response["Location"] == reverse("checklist:template", args=[template.pk])
    assert template.tasks.count() == len(DEFAULT_TASKS)
    add_url = reverse("checklist:template_task_add", args=[template.pk])
    token = browser.get(add_url).context["form"]["token"].initial
    data = {
        "title": "Kennismaken met het wijkteam",
        "description": "",
        "default_owner_role": "regisseur",
        "due_within_days": "21",
        "extra_section": "",
        "token": token,
    }
    for _ in range(2):  # a double submit adds it once
        assert browser.post(add_url, data).status_code == 302
    task = TemplateTask.objects.get(template=template, title="Kennismaken met het wijkteam")
    assert task.position == len(DEFAULT_TASKS) + 1
    move = reverse("checklist:template_task_move", args=[template.pk, task.pk, "omhoog"])
    assert browser.post(move).status_code == 302
    task.refresh_from_db()
    assert task.position == len(DEFAULT_TASKS)
    edit = reverse("checklist:template_task_edit", args=[template.pk, task.pk])
    data.update(title="Kennismaking wijkteam", version="1")
    assert browser.post(edit, data).status_code == 302
    data.update(title="Te laat")
    stale = browser.post(edit, data)
    assert stale.status_code == 409
    remove = reverse("checklist:template_task_remove", args=[template.pk, task.pk])
    assert browser.post(remove).status_code == 302
    assert browser.post(remove).status_code == 302  # gone already: nothing happens
    assert not TemplateTask.objects.filter(pk=task.pk).exists()
    rename = reverse("checklist:template_edit", args=[template.pk])
    assert browser.post(rename, {"name": "Utrecht", "version": "1"}).status_code == 302
    delete = reverse("checklist:template_delete", args=[template.pk])
    assert browser.get(delete).status_code == 200
    assert browser.post(delete).status_code == 302
    assert not ChecklistTemplate.objects.filter(pk=template.pk).exists()
    default = ChecklistTemplate.objects.get(is_default=True)
    default_delete = reverse("checklist:template_delete", args=[default.pk])
    assert browser.get(default_delete).status_code == 404
    changes = AuditEvent.objects.filter(action=Action.ADMIN_CHANGE)
    assert changes.count() == 7
    assert all(row.client_id is None for row in changes)


def test_the_template_list_costs_the_same_queries_for_one_and_many(signed_in, admin):
    browser = signed_in(admin)
    counts = []
    for extra in (0, 6):
        for _ in range(extra):
            TemplateTaskFactory(template=ChecklistTemplateFactory())
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("checklist:templates")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_template_page_costs_the_same_queries_for_few_and_many_tasks(signed_in, admin):
    browser = signed_in(admin)
    counts = []
    for tasks in (1, 10):
        template = ChecklistTemplateFactory()
        for _ in range(tasks):
            TemplateTaskFactory(template=template)
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("checklist:template", args=[template.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
