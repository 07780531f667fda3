import datetime

import factory

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole, Section
from koers.clients.tests.factories import ClientFactory, InvolvementFactory
from koers.inburgering.constants import DutyStatus, LearningRoute
from koers.inburgering.models import Course, CourseMonth, InburgeringDuty
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory


class InburgeringDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InburgeringDuty

    client = factory.SubFactory(ClientFactory)
    status = DutyStatus.DUTY


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    class Params:
        z_route = factory.Trait(course_type=LearningRoute.Z)
        onderwijs = factory.Trait(course_type=LearningRoute.EDUCATION, provider_bow=False)

    client = factory.SubFactory(ClientFactory)
    provider_name = "Taalschool Noord"
    provider_bow = True
    course_type = LearningRoute.B1
    starts_on = datetime.date(2024, 1, 8)
    hours_bought = 800


class CourseMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseMonth

    course = factory.SubFactory(CourseFactory)
    month = datetime.date(2024, 1, 1)
    hours_attended = 40


def client_of(membership, **kwargs):
    """A client in the membership's (municipal) organisation's municipality."""
    town = membership.organisation.municipalities.get()
    return ClientFactory(household__municipality=town, **kwargs)


def regisseur_with_client(**kwargs):
    regisseur = MembershipFactory(regisseur=True)
    return regisseur, client_of(regisseur, **kwargs)


def partner_membership(client, *, sections, role="begeleider"):
    """A member of a partner organisation involved in the client's household, on a covenant
    that gives `sections`."""
    partner = OrganisationFactory(partner=True)
    LegalBasisFactory(
        organisation=partner,
        municipality=client.municipality,
        kind=LegalBasisKind.COVENANT,
        sections=sections,
    )
    membership = MembershipFactory(begeleider=True, organisation=partner)
    InvolvementFactory(household=client.household, organisation=partner)
    return membership


def assigned_volunteer(client):
    partner = OrganisationFactory(partner=True)
    LegalBasisFactory(
        organisation=partner,
        municipality=client.municipality,
        kind=LegalBasisKind.COVENANT,
        sections=Section.all() & ~Section.IDENTITY,
    )
    volunteer = MembershipFactory(vrijwilliger=True, organisation=partner)
    InvolvementFactory(
        household=client.household,
        organisation=partner,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
        task_sections=VOLUNTEER_MAX_SECTIONS,
    )
    return volunteer
