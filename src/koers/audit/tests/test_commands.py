"""purge_audit_log: removes rows past the retention period, and only with it said out loud."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.audit.tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(settings):
    settings.KOERS_AUDIT_RETENTION_DAYS = 3653
    now = timezone.now()
    return {
        "old": [AuditEventFactory(at=now - timedelta(days=d)) for d in (3660, 4000, 5000)],
        "recent": [AuditEventFactory(at=now - timedelta(days=d)) for d in (1, 3600)],
    }


def run(*args) -> str:
    out = StringIO()
    call_command("purge_audit_log", *args, stdout=out)
    return out.getvalue()


def test_dry_run_counts_what_is_due_and_deletes_nothing(log):
    output = run("--dry-run", "--days", "3653")
    assert "3 audit rows are older than" in output
    assert "dry run" in output
    assert AuditEvent.objects.count() == 5
    assert not AuditEvent.objects.filter(action=Action.AUDIT_PURGE).exists()


def test_purge_removes_rows_past_retention_keeps_the_rest_and_logs_itself(log):
    output = run("--days", "3653")
    assert "Removed 3 audit rows" in output
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {row.pk for row in log["recent"]} <= remaining
    assert not remaining & {row.pk for row in log["old"]}
    purge = AuditEvent.objects.get(action=Action.AUDIT_PURGE)
    assert purge.username.startswith("purge_audit_log (")
    assert purge.detail.startswith("3 rows before ")


def test_purge_uses_the_configured_retention_by_default(settings):
    settings.KOERS_AUDIT_RETENTION_DAYS = 400
    now = timezone.now()
    AuditEventFactory(at=now - timedelta(days=401))
    AuditEventFactory(at=now - timedelta(days=399))
    output = run()
    assert "Removed 1 audit rows" in output


def test_purge_refuses_a_retention_shorter_than_a_year(log):
    with pytest.raises(CommandError, match="at least a year"):
        run("--days", "364")
    assert AuditEvent.objects.count() == 5
