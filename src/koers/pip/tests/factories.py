import datetime

import factory

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import TargetGroup
from koers.clients.tests.factories import ClientFactory
from koers.inburgering.constants import LearningRoute
from koers.inburgering.models import InburgeringDuty
from koers.pip.constants import DecisionStatus, IntakeStatus, LbtOutcome
from koers.pip.models import DecisionAppeal, Intake, LearnabilityTest, PipDecision


def client_of(membership, **kwargs):
    """A client in the membership's (municipal) organisation's municipality."""
    town = membership.organisation.municipalities.get()
    kwargs.setdefault("target_group", TargetGroup.ASIEL)
    return ClientFactory(household__municipality=town, **kwargs)


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InburgeringDuty
        django_get_or_create = ("client",)

    client = factory.SubFactory(ClientFactory)
    duty_start_on = datetime.date(2025, 1, 6)
    municipality_registered_on = datetime.date(2025, 1, 13)


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    client = factory.SubFactory(ClientFactory)
    conducted_by = factory.SubFactory(MembershipFactory, regisseur=True)
    started_on = datetime.date(2025, 2, 3)
    proposed_route = LearningRoute.B1

    class Params:
        completed = factory.Trait(
            status=IntakeStatus.COMPLETED,
            completed_on=datetime.date(2025, 2, 10),
            completed_by=factory.SelfAttribute("conducted_by"),
        )


class LbtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnabilityTest

    client = factory.SubFactory(ClientFactory)
    registered_on = datetime.date(2025, 2, 1)
    supervisor_name = "Toetsbegeleider Jansen"
    recorded_by = factory.SubFactory(MembershipFactory, regisseur=True)

    class Params:
        feasible = factory.Trait(
            outcome=LbtOutcome.FEASIBLE,
            score="30.00",
            cut_off="28.00",
            taken_on=datetime.date(2025, 2, 5),
        )


class DecisionFactory(factory.django.DjangoModelFactory):
    """A draft, unless `final=True` (adopted on 2025-03-01)."""

    class Meta:
        model = PipDecision

    client = factory.SubFactory(ClientFactory)
    municipality = factory.SelfAttribute("client.municipality")
    learning_route = LearningRoute.B1
    created_by = factory.SubFactory(MembershipFactory, regisseur=True)

    class Params:
        final = factory.Trait(
            status=DecisionStatus.FINAL,
            dagtekening=datetime.date(2025, 3, 1),
            finalised_at=factory.LazyFunction(
                lambda: datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)
            ),
            finalised_by=factory.SelfAttribute("created_by"),
        )


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionAppeal

    decision = factory.SubFactory(DecisionFactory, final=True)
    kind = "bezwaar"
    received_on = datetime.date(2025, 3, 20)
    recorded_by = factory.SubFactory(MembershipFactory, regisseur=True)


def established_plan_version(household, membership, *, number=1, on=datetime.date(2025, 2, 20)):
    """An established version of the household's plan (the plans app has no factory for it)."""
    from koers.plans.models import Plan, PlanVersion

    plan, _created = Plan.objects.get_or_create(
        household=household, defaults={"help_question": "Werk vinden", "created_by": membership}
    )
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        status="vastgesteld",
        created_by=membership,
        established_on=on,
        established_by=membership,
        content={},
    )
