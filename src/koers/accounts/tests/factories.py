import factory
from django.utils import timezone

from koers.accounts.constants import Role
from koers.accounts.models import Membership, User
from koers.organisations.tests.factories import OrganisationFactory

TEST_PASSWORD = "Koers-test-wachtwoord-1"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership; the role traits set the organisation kind the role belongs to."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    class Params:
        regisseur = factory.Trait(role=Role.REGISSEUR)
        klantmanager = factory.Trait(role=Role.KLANTMANAGER)
        teamleider = factory.Trait(role=Role.TEAMLEIDER)
        privacy_officer = factory.Trait(role=Role.PRIVACY_OFFICER)
        functional_admin = factory.Trait(role=Role.FUNCTIONAL_ADMIN)
        begeleider = factory.Trait(
            role=Role.BEGELEIDER, organisation=factory.SubFactory(OrganisationFactory, partner=True)
        )
        coordinator = factory.Trait(
            role=Role.COORDINATOR,
            organisation=factory.SubFactory(OrganisationFactory, partner=True),
        )
        vrijwilliger = factory.Trait(
            role=Role.VRIJWILLIGER,
            organisation=factory.SubFactory(OrganisationFactory, partner=True),
            vog_checked_on=factory.LazyFunction(timezone.localdate),
            confidentiality_signed_on=factory.LazyFunction(timezone.localdate),
        )

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REGISSEUR
    start_date = factory.LazyFunction(lambda: timezone.localdate().replace(day=1, month=1))
