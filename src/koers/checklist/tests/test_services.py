from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.checklist import services
from koers.checklist.constants import DEFAULT_TASKS
from koers.checklist.models import Checklist, ChecklistTask, TemplateTask
from koers.checklist.permissions import ChecklistView, checklist_view
from koers.clients.constants import NetworkRole, Section
from koers.clients.permissions import ClientAccess, client_access
from koers.clients.services import VersionConflict
from koers.clients.tests.factories import ClientFactory, InvolvementFactory
from koers.organisations.services import StaleStateError

from .factories import (
    ChecklistTemplateFactory,
    TemplateTaskFactory,
    client_of,
    partner_member,
    regisseur_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        datetime(2025, 10, 1, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    )


FULL = ClientAccess(Section.all(), Section.all(), "legal_task")
HOUSED = date(2025, 9, 1)


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


def _request(membership):
    request = RequestFactory().post("/")
    request.user = membership.user
    request.membership = membership
    return request


def _start(regisseur, client, access=FULL, housing_date=HOUSED):
    return services.checklist_start(
        _request(regisseur),
        client=client,
        access=access,
        housing_date=housing_date,
        started_by=regisseur,
    )


def _update(membership, client, task, changes, *, access=FULL, version=None):
    return services.checklist_task_update(
        _request(membership),
        client=client,
        access=access,
        view=checklist_view(membership, access, client.household_id),
        task=task,
        changes=changes,
        version=task.version if version is None else version,
        membership=membership,
    )


def test_checklist_rule_a_municipality_without_a_template_gets_the_default(regisseur):
    client = client_of(regisseur)
    checklist = _start(regisseur, client)
    assert checklist.template.is_default
    assert checklist.tasks.count() == len(DEFAULT_TASKS)


def test_checklist_rule_a_municipality_with_its_own_template_gets_that(regisseur):
    client = client_of(regisseur)
    own = ChecklistTemplateFactory(municipality=client.municipality, name="Utrecht eerste fase")
    TemplateTaskFactory(template=own, title="Kennismaking wijkteam", due_within_days=3)
    checklist = _start(regisseur, client)
    assert checklist.template == own and checklist.template_name == "Utrecht eerste fase"
    task = checklist.tasks.get()
    assert (task.title, task.due_on) == ("Kennismaking wijkteam", HOUSED + timedelta(days=3))


def test_starting_copies_tasks_with_due_dates_and_default_owners(regisseur):
    client = client_of(regisseur)
    mine = regisseur_of(client, regisseur)
    _begeleider, theirs = partner_member(client)
    checklist = _start(regisseur, client)
    tasks = {task.title: task for task in checklist.tasks.all()}
    brp = tasks["Inschrijving BRP op het nieuwe adres"]
    assert (brp.owner_involvement, brp.due_on, brp.status) == (mine, date(2025, 9, 6), "open")
    assert tasks["DigiD aanvragen"].owner_involvement == theirs
    # Nobody is klantmanager in this network: the task waits for an owner.
    bijstand = tasks["Bijstand aanvragen en ontzorgen regelen"]
    assert bijstand.owner_involvement is None and bijstand.extra_section == "WORK_INCOME"
    assert tasks["Nareis aanvragen"].extra_section == "ASYLUM"
    assert [t.position for t in checklist.tasks.order_by("position")] == list(
        range(1, len(DEFAULT_TASKS) + 1)
    )


def test_starting_is_audited_for_every_client_of_the_household(regisseur):
    client = client_of(regisseur)
    sibling = ClientFactory(household=client.household)
    checklist = _start(regisseur, client)
    rows = AuditEvent.objects.filter(action=Action.CREATE)
    assert sorted(rows.values_list("client_id", flat=True)) == sorted([client.pk, sibling.pk])
    assert {row.sections for row in rows} == {Section.PLAN}
    assert {row.detail for row in rows} == {f"checklist:{checklist.pk} started"}


def test_checklist_rule_one_checklist_per_household(regisseur):
    client = client_of(regisseur)
    sibling = ClientFactory(household=client.household)
    first = _start(regisseur, client)
    again = _start(regisseur, sibling, housing_date=date(2025, 9, 15))
    assert again == first and Checklist.objects.count() == 1
    assert again.housing_date == HOUSED
    assert AuditEvent.objects.filter(action=Action.CREATE).count() == 2  # the first start only


def test_checklist_rule_template_changes_do_not_rewrite_running_checklists(regisseur):
    client = client_of(regisseur)
    own = ChecklistTemplateFactory(municipality=client.municipality)
    template_task = TemplateTaskFactory(template=own, title="Oud", due_within_days=7)
    checklist = _start(regisseur, client)
    admin = MembershipFactory(functional_admin=True)
    services.template_task_update(
        _request(admin),
        task=template_task,
        values={"title": "Nieuw", "due_within_days": 30},
        version=template_task.version,
    )
    services.template_task_add(_request(admin), template=own, values={"title": "Extra"})
    services.template_update(_request(admin), template=own, name="Hernoemd", version=own.version)
    task = checklist.tasks.get()
    assert (task.title, task.due_on) == ("Oud", HOUSED + timedelta(days=7))
    checklist.refresh_from_db()
    assert checklist.template_name == own.name


def test_starting_needs_plan_write(regisseur):
    client = client_of(regisseur)
    read_only = ClientAccess(Section.all(), Section.all() & ~Section.PLAN, "legal_task")
    with pytest.raises(PermissionDenied):
        _start(regisseur, client, access=read_only)
    assert not Checklist.objects.exists()


def test_closing_a_task_records_the_date_and_who_reopening_clears_them(regisseur):
    client = client_of(regisseur)
    task = _start(regisseur, client).tasks.order_by("position").first()
    done = _update(regisseur, client, task, {"status": "gedaan", "done_on": None})
    assert (done.done_on, done.done_by, done.version) == (date(2025, 10, 1), regisseur, 2)
    backdated = _update(regisseur, client, done, {"status": "gedaan", "done_on": date(2025, 9, 20)})
    assert backdated.done_on == date(2025, 9, 20)
    reopened = _update(regisseur, client, backdated, {"status": "bezig", "done_on": None})
    assert (reopened.done_on, reopened.done_by) == (None, None)
    not_applicable = _update(regisseur, client, reopened, {"status": "nvt", "done_on": None})
    assert (not_applicable.done_on, not_applicable.done_by) == (date(2025, 10, 1), regisseur)
    rows = AuditEvent.objects.filter(action=Action.UPDATE, client_id=client.pk)
    assert rows.count() == 4 and {row.sections for row in rows} == {Section.PLAN}


def test_checklist_rule_the_done_date_is_not_in_the_future(regisseur):
    client = client_of(regisseur)
    task = _start(regisseur, client).tasks.first()
    with pytest.raises(ValidationError) as excinfo:
        _update(regisseur, client, task, {"status": "gedaan", "done_on": date(2025, 10, 2)})
    assert "done_on" in excinfo.value.message_dict
    task.refresh_from_db()
    assert task.status == "open"


def test_checklist_rule_the_owner_is_in_the_households_network(regisseur):
    client = client_of(regisseur)
    task = _start(regisseur, client).tasks.first()
    elsewhere = InvolvementFactory(role=NetworkRole.BEGELEIDER)  # another household
    with pytest.raises(ValidationError) as excinfo:
        _update(regisseur, client, task, {"status": "open", "owner_involvement": elsewhere})
    assert "owner" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        _update(
            regisseur,
            client,
            task,
            {"status": "open", "owner_organisation": elsewhere.organisation},
        )
    _member, involvement = partner_member(client)
    updated = _update(
        regisseur,
        client,
        task,
        {"status": "open", "owner_organisation": involvement.organisation},
    )
    assert updated.owner_organisation == involvement.organisation
    updated = _update(
        regisseur, client, updated, {"status": "open", "owner_involvement": involvement}
    )
    assert (updated.owner_involvement, updated.owner_organisation) == (involvement, None)


def test_checklist_rule_a_volunteer_changes_only_the_status_of_own_tasks(regisseur):
    client = client_of(regisseur)
    volunteer, involvement = partner_member(client, volunteer=True)
    checklist = _start(regisseur, client)
    tasks = list(checklist.tasks.order_by("position"))
    own, other = tasks[0], tasks[1]
    ChecklistTask.objects.filter(pk=own.pk).update(owner_involvement=involvement)
    own.refresh_from_db()
    access = client_access(volunteer, client)
    assert not access.can_read(Section.PLAN) and access.can_write(Section.TASKS)
    done = _update(volunteer, client, own, {"status": "gedaan", "done_on": None}, access=access)
    assert done.done_by == volunteer
    row = AuditEvent.objects.get(action=Action.UPDATE, client_id=client.pk)
    assert row.sections == Section.TASKS
    with pytest.raises(PermissionDenied):
        _update(volunteer, client, other, {"status": "gedaan", "done_on": None}, access=access)
    with pytest.raises(PermissionDenied):
        _update(
            volunteer,
            client,
            done,
            {"status": "gedaan", "done_on": None, "due_on": date(2026, 1, 1)},
            access=access,
        )


def test_a_stale_version_is_refused_and_the_same_change_twice_does_nothing(regisseur):
    client = client_of(regisseur)
    task = _start(regisseur, client).tasks.first()
    for _ in range(2):  # a double submit
        _update(regisseur, client, task, {"status": "bezig", "done_on": None}, version=1)
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1
    with pytest.raises(VersionConflict) as excinfo:
        _update(regisseur, client, task, {"status": "gedaan", "done_on": None}, version=1)
    assert excinfo.value.current.status == "bezig"
    task.refresh_from_db()
    assert (task.status, task.version) == ("bezig", 2)


def test_a_task_of_another_household_cannot_be_changed(regisseur):
    client = client_of(regisseur)
    other_client = client_of(regisseur)
    task = _start(regisseur, other_client).tasks.first()
    with pytest.raises(PermissionDenied):
        _update(regisseur, client, task, {"status": "gedaan", "done_on": None})


def test_a_task_with_an_extra_section_is_hidden_without_that_section():
    task = ChecklistTask(extra_section="ASYLUM", owner_involvement_id=7)
    without = ClientAccess(Section.all() & ~Section.ASYLUM, Section.all(), "covenant")
    assert not ChecklistView(without, frozenset({7})).can_see(task)
    assert ChecklistView(FULL, frozenset()).can_see(task)
    plain = ChecklistTask(extra_section="", owner_involvement_id=7)
    volunteer = ClientAccess(Section.TASKS | Section.BASIS, Section.TASKS, "covenant")
    assert ChecklistView(volunteer, frozenset({7})).can_see(plain)
    assert not ChecklistView(volunteer, frozenset({8})).can_see(plain)


# --- templates ---------------------------------------------------------------------------------


@pytest.fixture
def admin():
    return MembershipFactory(functional_admin=True)


def test_a_municipal_template_starts_from_a_copy_of_the_default(admin):
    town = ClientFactory().municipality
    template = services.template_create(
        _request(admin), municipality=town, name="Eigen", copy_from=services.default_template()
    )
    assert template.tasks.count() == len(DEFAULT_TASKS)
    assert AuditEvent.objects.get(action=Action.ADMIN_CHANGE).detail.endswith("created")
    with pytest.raises(ValidationError) as excinfo:
        services.template_create(_request(admin), municipality=town, name="Nog een")
    assert "municipality" in excinfo.value.message_dict


def test_template_tasks_are_added_at_the_end_moved_and_removed(admin):
    template = ChecklistTemplateFactory()
    first = services.template_task_add(_request(admin), template=template, values={"title": "A"})
    second = services.template_task_add(_request(admin), template=template, values={"title": "B"})
    assert (first.position, second.position) == (1, 2)
    services.template_task_move(_request(admin), task=second, up=True)
    assert list(template.tasks.order_by("position").values_list("title", flat=True)) == ["B", "A"]
    services.template_task_move(_request(admin), task=second, up=True)  # already first
    assert list(template.tasks.order_by("position").values_list("title", flat=True)) == ["B", "A"]
    services.template_task_remove(_request(admin), task=first)
    assert list(template.tasks.values_list("title", flat=True)) == ["B"]


def test_template_rule_due_within_a_year(admin):
    template = ChecklistTemplateFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.template_task_add(
            _request(admin), template=template, values={"title": "A", "due_within_days": 400}
        )
    assert "due_within_days" in excinfo.value.message_dict
    assert not TemplateTask.objects.filter(template=template).exists()


def test_a_template_edit_over_someone_elses_change_is_refused(admin):
    task = TemplateTaskFactory(title="Oud")
    services.template_task_update(_request(admin), task=task, values={"title": "Nieuw"}, version=1)
    with pytest.raises(StaleStateError):
        services.template_task_update(
            _request(admin), task=task, values={"title": "Anders"}, version=1
        )
    task.refresh_from_db()
    assert task.title == "Nieuw"


def test_the_default_template_cannot_be_deleted(admin):
    with pytest.raises(ValidationError):
        services.template_delete(_request(admin), template=services.default_template())
    own = ChecklistTemplateFactory()
    services.template_delete(_request(admin), template=own)
    assert services.template_for(own.municipality_id).is_default
