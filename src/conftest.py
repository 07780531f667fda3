"""Fixtures shared by every app's tests."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.middleware import SESSION_LAST_SEEN, SESSION_MEMBERSHIP

pytest_plugins = ["koers.core.tests.browser"]


def sign_in(client, membership):
    """A prepared, OTP-verified session acting in `membership` (one real TOTP sign-in is tested
    in the browser flow; everywhere else this stands in for it)."""
    import time

    user = membership.user
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_MEMBERSHIP] = membership.pk
    session[SESSION_LAST_SEEN] = int(time.time())
    session.save()
    return client


@pytest.fixture
def signed_in(client):
    """signed_in(membership) -> a Django test client acting in that membership."""

    def _sign_in(membership):
        return sign_in(client, membership)

    return _sign_in


@pytest.fixture(autouse=True)
def _transactional_db_like_migrated(request):
    """Transactional tests (browser tests) start from the database as migrations leave it and
    end with a table flush. The flush removes migration-seeded reference data, which is seeded
    again here; and on SQLite the flush is a DELETE, which the audit log's append-only trigger
    refuses, so the log is emptied the way the purge command does first.

    Use the `transactional_db` or `live_server` fixtures for transactional tests (not the
    marker's transaction=True), so this teardown runs before the flush.
    """
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    uses_db = (
        transactional
        or "db" in request.fixturenames
        or (request.node.get_closest_marker("django_db") is not None)
    )
    if uses_db:
        request.getfixturevalue("transactional_db" if transactional else "db")
        # A flush after an earlier transactional test in this process removed the reference
        # data that migrations seed; put it back so every test starts from a migrated
        # database (inside a plain test's transaction this is rolled back with it).
        from koers.checklist.services import default_template
        from koers.profiles.services import directions_seed

        directions_seed()
        default_template()
    yield
    if transactional:
        from datetime import timedelta

        from django.db import transaction
        from django.utils import timezone

        from koers.audit.models import AuditEvent, PurgePermit

        with transaction.atomic():
            PurgePermit.objects.create(purge_before=timezone.now() + timedelta(days=3650))
            AuditEvent.objects.all().delete()
            PurgePermit.objects.all().delete()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; test users need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
