"""Fixtures shared by the administration tests."""

import pytest

from koers.accounts.tests.factories import MembershipFactory


@pytest.fixture
def admin_membership():
    return MembershipFactory(functional_admin=True)


@pytest.fixture
def admin(signed_in, admin_membership):
    """A test client signed in as the functional administrator."""
    return signed_in(admin_membership)
