import getpass
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koers.audit.models import AuditEvent
from koers.audit.services import audit_purge


class Command(BaseCommand):
    help = (
        "Remove audit log rows older than the retention period (KOERS_AUDIT_RETENTION_DAYS). "
        "Run with a database role that may delete from the audit table; the purge is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.KOERS_AUDIT_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="Only count what is due.")

    def handle(self, *args, days, dry_run, **options):
        if days < 365:
            raise CommandError("The audit log is kept for at least a year (--days >= 365).")
        before = timezone.now() - timedelta(days=days)
        due = AuditEvent.objects.filter(at__lt=before).count()
        if dry_run:
            self.stdout.write(f"{due} audit rows are older than {before:%Y-%m-%d} (dry run).")
            return
        deleted = audit_purge(before=before, performed_by=f"purge_audit_log ({getpass.getuser()})")
        self.stdout.write(f"Removed {deleted} audit rows older than {before:%Y-%m-%d}.")
