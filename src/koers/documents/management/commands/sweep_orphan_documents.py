from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from koers.documents.services import ORPHAN_AGE, document_orphans_sweep


class Command(BaseCommand):
    help = (
        "Delete files in the documents storage (KOERS_VAR_DIR/documents) that no document "
        "points to and that are older than an hour: left behind when a process died between "
        "storing a file and rolling back its transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=int(ORPHAN_AGE.total_seconds() // 60),
            help="Only files older than this many minutes (at least 60).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count the orphans.")

    def handle(self, *args, minutes, dry_run, **options):
        if minutes < 60:
            raise CommandError("An upload in progress must not be swept: --minutes >= 60.")
        orphans = document_orphans_sweep(older_than=timedelta(minutes=minutes), dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{len(orphans)} orphan document files (dry run).")
        else:
            self.stdout.write(f"Removed {len(orphans)} orphan document files.")
