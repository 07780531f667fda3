from datetime import timedelta

import factory
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.tests.factories import HouseholdFactory
from koers.organisations.tests.factories import MunicipalityFactory, OrganisationFactory
from koers.timeline.constants import Confidentiality, ContactKind, ContactStatus
from koers.timeline.models import ContactMoment, Note, WalkInSession


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment
        skip_postgeneration_save = True

    class Params:
        planned = factory.Trait(
            status=ContactStatus.PLANNED,
            starts_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=3)),
        )

    household = factory.SubFactory(HouseholdFactory)
    kind = ContactKind.HOME_VISIT
    status = ContactStatus.HELD
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    summary = factory.Sequence(lambda n: f"Samenvatting {n}")
    confidentiality = Confidentiality.OWN_ORGANISATION
    author = factory.SubFactory(MembershipFactory)
    organisation = factory.SelfAttribute("author.organisation")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    household = factory.SubFactory(HouseholdFactory)
    text = factory.Sequence(lambda n: f"Notitie {n}")
    confidentiality = Confidentiality.OWN_ORGANISATION
    author = factory.SubFactory(MembershipFactory)
    organisation = factory.SelfAttribute("author.organisation")


class WalkInSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WalkInSession
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    location = factory.Sequence(lambda n: f"Buurthuis {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))
