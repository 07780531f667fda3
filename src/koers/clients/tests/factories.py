import factory
from django.utils import timezone

from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Client, Household
from koers.network.models import Consent, Involvement
from koers.organisations.tests.factories import MunicipalityFactory, OrganisationFactory


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory)
    area_team = None
    name = factory.Sequence(lambda n: f"Huishouden {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    household = factory.SubFactory(HouseholdFactory)
    municipality = factory.SelfAttribute("household.municipality")
    area_team = factory.SelfAttribute("household.area_team")
    given_names = factory.Sequence(lambda n: f"Amal{n}")
    family_name = factory.Sequence(lambda n: f"Haddad{n}")


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    household = factory.SubFactory(HouseholdFactory)
    organisation = factory.SubFactory(OrganisationFactory, partner=True)
    membership = None
    role = NetworkRole.BEGELEIDER
    start_date = factory.LazyFunction(timezone.localdate)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SubFactory(OrganisationFactory, partner=True)
    purpose = "Taalmaatje"
    sections = Section.BASIS | Section.CONTACT | Section.LANGUAGES
    text_version = "2026-1"
    explained_in_language = "ar"
    with_interpreter = True
    how_given = Consent.HowGiven.SIGNED
    given_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory("koers.accounts.tests.factories.MembershipFactory")
