from datetime import timedelta

import factory
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.network.models import Delegation
from koers.timeline.constants import ContactKind, ContactStatus
from koers.timeline.models import ContactMoment


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment
        skip_postgeneration_save = True

    household = factory.SubFactory("koers.clients.tests.factories.HouseholdFactory")
    kind = ContactKind.HOME_VISIT
    status = ContactStatus.HELD
    starts_at = factory.LazyFunction(timezone.now)
    author = factory.SubFactory(MembershipFactory)
    organisation = factory.SelfAttribute("author.organisation")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    from_membership = factory.SubFactory(MembershipFactory)
    to_membership = factory.SubFactory(MembershipFactory)
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    created_by = factory.SelfAttribute("from_membership")
