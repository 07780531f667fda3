import pytest

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import NetworkRole
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory


@pytest.fixture
def regisseur(db):
    """A municipal regisseur serving one municipality."""
    return MembershipFactory(regisseur=True)


@pytest.fixture
def municipality(regisseur):
    return regisseur.organisation.municipalities.get()


@pytest.fixture
def make_household(municipality):
    """make_household(regisseur=None, members=1, **household fields) -> household, with clients
    in the municipality and (optionally) an active regisseur involvement."""

    def _make(regisseur=None, members=1, names=None, **fields):
        household = HouseholdFactory(
            municipality=fields.pop("municipality", municipality), **fields
        )
        for index in range(members):
            extra = {}
            if names and index < len(names):
                extra = dict(zip(("given_names", "family_name"), names[index], strict=True))
            ClientFactory(household=household, **extra)
        if regisseur is not None:
            InvolvementFactory(
                household=household,
                organisation=regisseur.organisation,
                membership=regisseur,
                role=NetworkRole.REGISSEUR,
            )
        return household

    return _make
