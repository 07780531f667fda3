"""The checklist rules as database constraints, and the shipped default template."""

import importlib
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from koers.checklist.constants import DEFAULT_TASKS, DEFAULT_TEMPLATE_NAME
from koers.checklist.models import ChecklistTask, ChecklistTemplate, TemplateTask
from koers.checklist.services import default_template
from koers.organisations.tests.factories import OrganisationFactory

from .factories import ChecklistTemplateFactory, TemplateTaskFactory

pytestmark = pytest.mark.django_db


def _refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def _task(**values):
    from koers.accounts.tests.factories import MembershipFactory
    from koers.checklist.models import Checklist
    from koers.clients.tests.factories import HouseholdFactory

    checklist = Checklist.objects.create(
        household=HouseholdFactory(),
        template_name="Test",
        housing_date=date(2025, 9, 1),
        started_on=date(2025, 9, 1),
        started_by=MembershipFactory(),
    )
    return ChecklistTask.objects.create(
        checklist=checklist, title="BRP", due_on=date(2025, 9, 6), **values
    )


def test_checklist_rule_a_closed_task_has_a_done_date_in_the_database():
    task = _task()
    queryset = ChecklistTask.objects.filter(pk=task.pk)
    _refused(lambda: queryset.update(status="gedaan"))
    _refused(lambda: queryset.update(status="nvt"))
    _refused(lambda: queryset.update(done_on=date(2025, 9, 2)))
    queryset.update(status="gedaan", done_on=date(2025, 9, 2))


def test_checklist_rule_a_task_has_one_owner_in_the_database():
    from koers.clients.tests.factories import InvolvementFactory

    task = _task()
    involvement = InvolvementFactory(household=task.checklist.household)
    _refused(
        lambda: ChecklistTask.objects.filter(pk=task.pk).update(
            owner_involvement=involvement, owner_organisation=OrganisationFactory()
        )
    )


def test_template_rule_one_template_per_municipality_in_the_database():
    template = ChecklistTemplateFactory()
    _refused(lambda: ChecklistTemplate.objects.create(municipality=template.municipality, name="2"))


def test_template_rule_one_default_and_the_default_has_no_municipality_in_the_database():
    default_template()
    _refused(lambda: ChecklistTemplate.objects.create(is_default=True, name="Tweede standaard"))
    template = ChecklistTemplateFactory()
    _refused(lambda: ChecklistTemplate.objects.filter(pk=template.pk).update(is_default=True))


def test_template_rule_due_within_a_year_in_the_database():
    task = TemplateTaskFactory()
    _refused(lambda: TemplateTask.objects.filter(pk=task.pk).update(due_within_days=366))


def test_the_migration_ships_the_default_template_with_the_first_phase_tasks():
    default = ChecklistTemplate.objects.get(is_default=True)
    assert default.municipality is None
    assert default.name == DEFAULT_TEMPLATE_NAME
    titles = list(default.tasks.order_by("position").values_list("title", flat=True))
    assert titles == [task[0] for task in DEFAULT_TASKS]
    for word in (
        "BRP",
        "DigiD",
        "Bankrekening",
        "Zorgverzekering en zorgtoeslag",
        "Overige verzekeringen",
        "Huisarts en tandarts",
        "Bijstand",
        "ontzorgen",
        "Huurtoeslag",
        "Kinderbijslag en kindgebonden budget",
        "leerplicht, ISK",
        "VVE",
        "Energie- en water",
        "Inrichting",
        "Nareis",
    ):
        assert any(word in title for title in titles), word


def test_the_frozen_migration_copy_equals_the_constants():
    migration = importlib.import_module("koers.checklist.migrations.0002_default_template")
    assert migration.NAME == DEFAULT_TEMPLATE_NAME
    assert [tuple(str(v) if isinstance(v, str) else v for v in t) for t in DEFAULT_TASKS] == [
        tuple(t) for t in migration.TASKS
    ]


def test_the_default_template_is_seeded_again_when_it_is_missing():
    ChecklistTemplate.objects.filter(is_default=True).delete()
    template = default_template()
    assert template.is_default
    assert template.tasks.count() == len(DEFAULT_TASKS)
    assert default_template() == template
