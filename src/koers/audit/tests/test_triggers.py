"""The append-only guarantee lives in the database (migration 0002), on SQLite and PostgreSQL:
whatever path a change takes, the triggers refuse it."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver
from django.utils import timezone

from koers.audit.models import AuditEvent, PurgePermit
from koers.audit.tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


def refused(action):
    """Run `action` in a savepoint and say whether the database refused it as append-only."""
    try:
        with transaction.atomic():
            action()
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


@pytest.fixture
def event():
    return AuditEventFactory(detail="original")


def test_orm_save_of_an_existing_row_is_refused(event):
    event.detail = "changed"
    assert refused(event.save)
    assert AuditEvent.objects.get(pk=event.pk).detail == "original"


def test_orm_queryset_update_is_refused(event):
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(client_id=1))
    assert AuditEvent.objects.get(pk=event.pk).client_id == event.client_id


def test_orm_delete_of_a_row_is_refused(event):
    assert refused(event.delete)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_queryset_delete_is_refused(event):
    assert refused(lambda: AuditEvent.objects.all().delete())
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_is_refused(event):
    def update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET detail = 'forged'")

    assert refused(update)
    assert AuditEvent.objects.get(pk=event.pk).detail == "original"


def test_raw_sql_delete_is_refused(event):
    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")

    assert refused(delete)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_delete_of_an_old_row_is_refused_without_a_purge_permit():
    old = AuditEventFactory(at=timezone.now() - timedelta(days=4000))

    def delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])

    assert refused(delete)


def test_a_purge_permit_allows_deleting_only_rows_older_than_its_cut_off():
    cut_off = timezone.now() - timedelta(days=400)
    old = AuditEventFactory(at=cut_off - timedelta(days=1))
    recent = AuditEventFactory(at=cut_off + timedelta(days=1))
    with transaction.atomic():
        PurgePermit.objects.create(purge_before=cut_off)
        assert refused(lambda: AuditEvent.objects.filter(pk=recent.pk).delete())
        assert refused(lambda: AuditEvent.objects.filter(pk=old.pk).update(detail="x"))
        AuditEvent.objects.filter(pk=old.pk).delete()
        PurgePermit.objects.all().delete()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_inserting_rows_is_allowed():
    AuditEventFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, username, organisation_name, role, basis, "
            "sections, action, detail) VALUES (%s, 'x', '', '', '', 0, 'view', '')",
            [timezone.now()],
        )
    assert AuditEvent.objects.count() == 2


def test_the_application_has_no_url_that_edits_or_deletes_the_log():
    names = []

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, f"{prefix}{pattern.namespace + ':' if pattern.namespace else ''}")
            elif pattern.name:
                names.append(f"{prefix}{pattern.name}")

    walk(get_resolver())
    audit_names = sorted(name for name in names if name.startswith("audit:"))
    assert audit_names == [
        "audit:break_glass_detail",
        "audit:break_glass_list",
        "audit:export",
        "audit:log",
    ]
    # Neither a purge page nor an admin change/delete page for the log (admin names them
    # admin:audit_auditevent_change and _delete).
    assert not any(word in name for name in names for word in ("purge", "auditevent"))
