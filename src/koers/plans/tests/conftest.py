"""A household with a municipal regisseur, a VluchtelingenWerk professional and a Humanitas
volunteer in its network, each on the basis the access rule needs."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory, UserFactory
from koers.clients.constants import NetworkRole, Section
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory


@dataclass
class World:
    regisseur: object
    town: object
    household: object
    amal: object
    omar: object
    vwn: object
    coach: object
    coach_involvement: object
    humanitas: object
    volunteer: object
    volunteer_involvement: object
    regisseur_involvement: object


def make_world(name="Familie Haddad") -> World:
    regisseur = MembershipFactory(
        regisseur=True, user=UserFactory(first_name="Sanne", last_name="Bakker")
    )
    town = regisseur.organisation.municipalities.get()
    household = HouseholdFactory(municipality=town, name=name)
    amal = ClientFactory(household=household, given_names="Amal", family_name="Haddad")
    omar = ClientFactory(household=household, given_names="Omar", family_name="Haddad")
    from koers.clients.models import HouseholdMember

    HouseholdMember.objects.create(household=household, client=amal, relation="hoofd")
    HouseholdMember.objects.create(household=household, client=omar, relation="partner")
    since = timezone.localdate() - timedelta(days=30)
    regisseur_involvement = InvolvementFactory(
        household=household,
        organisation=regisseur.organisation,
        membership=regisseur,
        role=NetworkRole.REGISSEUR,
        start_date=since,
    )
    vwn = OrganisationFactory(partner=True, name=f"VluchtelingenWerk {name}")
    LegalBasisFactory(
        organisation=vwn,
        municipality=town,
        kind=LegalBasisKind.PROCESSOR,
        sections=Section.all() & ~(Section.IDENTITY | Section.JUSTICE),
    )
    coach = MembershipFactory(
        begeleider=True, organisation=vwn, user=UserFactory(first_name="Eva", last_name="Vos")
    )
    coach_involvement = InvolvementFactory(
        household=household,
        organisation=vwn,
        membership=coach,
        role=NetworkRole.BEGELEIDER,
        start_date=since,
    )
    humanitas = OrganisationFactory(partner=True, name=f"Humanitas {name}")
    LegalBasisFactory(
        organisation=humanitas,
        municipality=town,
        kind=LegalBasisKind.COVENANT,
        sections=Section.all() & ~Section.IDENTITY,
    )
    volunteer = MembershipFactory(
        vrijwilliger=True,
        organisation=humanitas,
        user=UserFactory(first_name="Henk", last_name="de Boer"),
    )
    volunteer_involvement = InvolvementFactory(
        household=household,
        organisation=humanitas,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
        start_date=since,
    )
    return World(
        regisseur=regisseur,
        town=town,
        household=household,
        amal=amal,
        omar=omar,
        vwn=vwn,
        coach=coach,
        coach_involvement=coach_involvement,
        humanitas=humanitas,
        volunteer=volunteer,
        volunteer_involvement=volunteer_involvement,
        regisseur_involvement=regisseur_involvement,
    )


@pytest.fixture
def world(db):
    return make_world()
