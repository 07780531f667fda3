"""A household in one municipality with a network: the municipality's regisseur, a colleague,
a VluchtelingenWerk begeleider and a Humanitas volunteer."""

from types import SimpleNamespace

import pytest

from koers.accounts.tests.factories import MembershipFactory, UserFactory
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole, Section
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.organisations.tests.factories import (
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
)


@pytest.fixture
def world(db):
    town = MunicipalityFactory(name="Lingewaard-tijdlijn")
    gemeente = OrganisationFactory(name="Gemeente Lingewaard-tijdlijn", municipalities=[town])
    regisseur = MembershipFactory(
        regisseur=True,
        organisation=gemeente,
        user=UserFactory(first_name="Reza", last_name="Regisseur"),
    )
    colleague = MembershipFactory(regisseur=True, organisation=gemeente)
    household = HouseholdFactory(municipality=town, name="Familie Tesfay")
    client = ClientFactory(household=household, given_names="Selam", family_name="Tesfay")
    child = ClientFactory(household=household, given_names="Abel", family_name="Tesfay")

    vwn = OrganisationFactory(name="VluchtelingenWerk test", partner=True)
    LegalBasisFactory(
        organisation=vwn, municipality=town, sections=Section.all() & ~Section.JUSTICE
    )
    begeleider = MembershipFactory(
        begeleider=True, organisation=vwn, user=UserFactory(first_name="Bram", last_name="Begel")
    )
    InvolvementFactory(household=household, organisation=vwn, role=NetworkRole.BEGELEIDER)

    humanitas = OrganisationFactory(name="Humanitas test", partner=True)
    LegalBasisFactory(organisation=humanitas, municipality=town, sections=VOLUNTEER_MAX_SECTIONS)
    volunteer = MembershipFactory(vrijwilliger=True, organisation=humanitas)
    InvolvementFactory(
        household=household,
        organisation=humanitas,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
        task_sections=VOLUNTEER_MAX_SECTIONS,
    )
    elsewhere = MembershipFactory(regisseur=True, organisation=OrganisationFactory())
    return SimpleNamespace(
        town=town,
        gemeente=gemeente,
        regisseur=regisseur,
        colleague=colleague,
        household=household,
        client=client,
        child=child,
        vwn=vwn,
        begeleider=begeleider,
        humanitas=humanitas,
        volunteer=volunteer,
        elsewhere=elsewhere,
    )
