import factory
from django.utils import timezone

from koers.clients.constants import Section
from koers.organisations.constants import LegalBasisKind, OrganisationKind
from koers.organisations.models import AreaTeam, LegalBasis, Municipality, Organisation, Region


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GM9{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Regio {n}")


class AreaTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaTeam

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Gebiedsteam {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A municipal organisation serving one municipality, unless `partner=True`."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    class Params:
        partner = factory.Trait(kind=OrganisationKind.PARTNER)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.MUNICIPAL

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is not None:
            self.municipalities.set(extracted)
        elif self.kind == OrganisationKind.MUNICIPAL:
            self.municipalities.add(MunicipalityFactory())


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    organisation = factory.SubFactory(OrganisationFactory, partner=True)
    municipality = factory.SubFactory(MunicipalityFactory)
    kind = LegalBasisKind.PROCESSOR
    sections = Section.all()
    agreement_reference = factory.Sequence(lambda n: f"VWO-{n:04d}")
    start_date = factory.LazyFunction(lambda: timezone.localdate().replace(day=1, month=1))
    end_date = None
