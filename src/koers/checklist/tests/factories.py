from datetime import date

import factory
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.checklist.models import ChecklistTemplate, TemplateTask
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole, Section
from koers.clients.tests.factories import ClientFactory, InvolvementFactory
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import (
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
)


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Checklist gemeente {n}")


class TemplateTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateTask

    template = factory.SubFactory(ChecklistTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Taak {n}")
    due_within_days = 14


def client_of(membership, **kwargs):
    """A client in the membership's (municipal) organisation's municipality."""
    town = membership.organisation.municipalities.get()
    return ClientFactory(household__municipality=town, **kwargs)


def regisseur_of(client, membership):
    """The membership becomes the household's regisseur in the network."""
    return InvolvementFactory(
        household=client.household,
        organisation=membership.organisation,
        membership=membership,
        role=NetworkRole.REGISSEUR,
        start_date=date(2025, 1, 1),
    )


def partner_member(client, *, volunteer=False, sections=None):
    """A begeleider (or an assigned volunteer) of a partner on a covenant, involved in the
    client's household; returns (membership, involvement)."""
    partner = OrganisationFactory(partner=True)
    LegalBasisFactory(
        organisation=partner,
        municipality=client.municipality,
        kind=LegalBasisKind.COVENANT,
        sections=sections if sections is not None else Section.all() & ~Section.IDENTITY,
    )
    if volunteer:
        member = MembershipFactory(vrijwilliger=True, organisation=partner)
        role = NetworkRole.VRIJWILLIGER
    else:
        member = MembershipFactory(begeleider=True, organisation=partner)
        role = NetworkRole.BEGELEIDER
    involvement = InvolvementFactory(
        household=client.household,
        organisation=partner,
        membership=member,
        role=role,
        task_sections=VOLUNTEER_MAX_SECTIONS,
        start_date=timezone.localdate(),
    )
    return member, involvement
