import factory
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.tests.factories import HouseholdFactory
from koers.organisations.tests.factories import OrganisationFactory
from koers.plans.constants import LifeDomain, Priority, VersionStatus
from koers.plans.models import Action, Goal, Plan, PlanVersion


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan with its first version as a concept."""

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    help_question = "Ik wil werk vinden en beter Nederlands spreken."
    created_by = factory.SubFactory(MembershipFactory)

    @factory.post_generation
    def first_version(self, create, extracted, **kwargs):
        if create:
            PlanVersion.objects.create(
                plan=self, number=1, status=VersionStatus.CONCEPT, created_by=self.created_by
            )


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    life_domain = LifeDomain.WORK_EDUCATION
    description = factory.Sequence(lambda n: f"Doel {n}: een baan van 20 uur")
    priority = Priority.HIGH
    target_score = 4


class ActionFactory(factory.django.DjangoModelFactory):
    """An action owned by a partner organisation (set another owner for another kind)."""

    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    plan = factory.SelfAttribute("goal.plan")
    description = factory.Sequence(lambda n: f"Actie {n}: cv opstellen")
    owner_organisation = factory.SubFactory(OrganisationFactory, partner=True)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=14))
