import factory
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole, Section
from koers.clients.tests.factories import ClientFactory, InvolvementFactory
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory
from koers.profiles.constants import (
    CefrLevel,
    CertificateKind,
    EducationLevel,
    LanguageSkill,
    LevelSource,
)
from koers.profiles.models import (
    Certificate,
    DirectionPreference,
    Education,
    LanguageLevel,
    ProfessionalDirection,
    WorkExperience,
)


class ProfessionalDirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfessionalDirection
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Richting {n}")


class EducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Education

    client = factory.SubFactory(ClientFactory)
    level = EducationLevel.MBO2
    country = "SY"
    field = "Elektrotechniek"
    completed = True
    year = 2015


class WorkExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkExperience

    client = factory.SubFactory(ClientFactory)
    occupation = "Elektricien"
    direction = factory.SubFactory(ProfessionalDirectionFactory)
    country = "SY"
    years = 5


class DirectionPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectionPreference

    client = factory.SubFactory(ClientFactory)
    direction = factory.SubFactory(ProfessionalDirectionFactory)
    priority = 1


class LanguageLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageLevel

    client = factory.SubFactory(ClientFactory)
    skill = LanguageSkill.SPEAKING
    level = CefrLevel.A2
    source = LevelSource.INTAKE
    assessed_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(MembershipFactory, klantmanager=True)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    client = factory.SubFactory(ClientFactory)
    kind = CertificateKind.VCA_BASIS


def client_of(membership, **kwargs):
    """A client in the membership's (municipal) organisation's municipality."""
    town = membership.organisation.municipalities.get()
    return ClientFactory(household__municipality=town, **kwargs)


def assigned_volunteer(client):
    """A screened volunteer of a partner on a covenant, assigned to the client's household: the
    volunteer sees the client, within the volunteer sections."""
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
