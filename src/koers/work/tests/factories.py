from datetime import date
from decimal import Decimal

import factory

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.tests.factories import ClientFactory
from koers.work.constants import (
    BenefitKind,
    Contract,
    EnrolmentLevel,
    EnrolmentResult,
    JobKind,
    WageSubsidy,
)
from koers.work.models import Benefit, EducationEnrolment, Job


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    class Params:
        ended_for_work = factory.Trait(end_on=date(2025, 6, 30), end_reason="werk_volledig")

    client = factory.SubFactory(ClientFactory)
    kind = BenefitKind.BIJSTAND
    top_up = False
    start_on = date(2024, 9, 1)
    recorded_by = factory.SubFactory(MembershipFactory, klantmanager=True)


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    class Params:
        volunteer = factory.Trait(
            kind=JobKind.VOLUNTEER, contract="", employer="Voedselbank", job_title="Vrijwilliger"
        )
        with_subsidy = factory.Trait(wage_subsidy=WageSubsidy.LKS, job_coach=True)

    client = factory.SubFactory(ClientFactory)
    kind = JobKind.PAID
    employer = "Bakkerij De Korenaar"
    job_title = "Productiemedewerker"
    hours_per_week = Decimal("24")
    contract = Contract.TEMPORARY
    wage_subsidy = WageSubsidy.NONE
    start_on = date(2025, 3, 1)
    recorded_by = factory.SubFactory(MembershipFactory, klantmanager=True)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationEnrolment

    client = factory.SubFactory(ClientFactory)
    school = "ROC Midden Nederland"
    level = EnrolmentLevel.MBO2
    programme = "Helpende zorg en welzijn"
    result = EnrolmentResult.ONGOING
    start_on = date(2025, 8, 25)
    recorded_by = factory.SubFactory(MembershipFactory, klantmanager=True)


def client_of(membership, **kwargs):
    """A client in the membership's (municipal) organisation's municipality."""
    town = membership.organisation.municipalities.get()
    return ClientFactory(household__municipality=town, **kwargs)


def involved_partner(client, *, role="begeleider", volunteer=False):
    """A membership of a partner on a covenant for every section but identity numbers, involved
    in the client's household (a volunteer: assigned, with the volunteer task profile)."""
    from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole, Section
    from koers.clients.tests.factories import InvolvementFactory
    from koers.organisations.constants import LegalBasisKind
    from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory

    partner = OrganisationFactory(partner=True)
    LegalBasisFactory(
        organisation=partner,
        municipality=client.municipality,
        kind=LegalBasisKind.COVENANT,
        sections=Section.all() & ~Section.IDENTITY,
    )
    if volunteer:
        member = MembershipFactory(vrijwilliger=True, organisation=partner)
        network_role = NetworkRole.VRIJWILLIGER
    else:
        member = MembershipFactory(organisation=partner, **{role: True})
        network_role = NetworkRole.BEGELEIDER
    involvement = InvolvementFactory(
        household=client.household,
        organisation=partner,
        membership=member,
        role=network_role,
        task_sections=VOLUNTEER_MAX_SECTIONS,
    )
    member.involvement = involvement
    return member
