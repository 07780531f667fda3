import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koers.demo.services import (
    DEFAULT_ACTIONS_PER_CLIENT,
    DEFAULT_CLIENTS,
    DEFAULT_MEASUREMENTS_PER_CLIENT,
    DEFAULT_MUNICIPALITIES,
    DEFAULT_SEED,
    DEFAULT_TIMELINE_PER_CLIENT,
    MAX_MUNICIPALITIES,
    DemoDataRefused,
    demo_data_create,
    demo_data_present,
)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Fill an empty database with a fictitious demo region: municipalities, organisations, "
        "legal bases, users of every role, households and clients. Deterministic for a given "
        "--seed and --today. Only in demo mode (KOERS_DEMO=true), unless --bench."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--today", default=None, help="The date the data is built around (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already holds data.",
        )
        parser.add_argument("--municipalities", type=int, default=DEFAULT_MUNICIPALITIES)
        parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
        parser.add_argument(
            "--timeline-per-client",
            type=float,
            default=DEFAULT_TIMELINE_PER_CLIENT,
            help="Contact moments and notes per client (about three quarters are contact moments).",
        )
        parser.add_argument(
            "--measurements-per-client",
            type=float,
            default=DEFAULT_MEASUREMENTS_PER_CLIENT,
            help="ZRM and Participatieladder measurements per client (the benchmark uses 10).",
        )
        parser.add_argument(
            "--actions-per-client",
            type=float,
            default=DEFAULT_ACTIONS_PER_CLIENT,
            help="Plan actions per client (the benchmark uses 5).",
        )
        parser.add_argument(
            "--bench",
            action="store_true",
            help="Build a benchmark dataset outside demo mode (still only into an empty database).",
        )

    def handle(
        self,
        *args,
        seed,
        today,
        if_empty,
        municipalities,
        clients,
        bench,
        timeline_per_client,
        measurements_per_client,
        actions_per_client,
        **options,
    ):
        if not settings.DEMO_MODE and not bench:
            raise CommandError(
                "demo_data only runs in demo mode (KOERS_DEMO=true): it creates accounts with a "
                "published password. For a benchmark dataset pass --bench."
            )
        lowest = 1 if bench else 2
        if not lowest <= municipalities <= MAX_MUNICIPALITIES:
            raise CommandError(
                f"--municipalities must be between {lowest} and {MAX_MUNICIPALITIES}."
            )
        if clients < 1:
            raise CommandError("--clients must be at least 1.")
        if timeline_per_client < 0:
            raise CommandError("--timeline-per-client must be zero or more.")
        if measurements_per_client < 0 or actions_per_client < 0:
            raise CommandError(
                "--measurements-per-client and --actions-per-client must be zero or more."
            )
        on = _date(today) if today else timezone.localdate()
        if if_empty and demo_data_present():
            self.stdout.write("demo data already present")
            return
        started = time.monotonic()
        try:
            summary = demo_data_create(
                seed=seed,
                today=on,
                municipalities=municipalities,
                clients=clients,
                timeline_per_client=timeline_per_client,
                measurements_per_client=measurements_per_client,
                actions_per_client=actions_per_client,
                bench=bench,
            )
        except DemoDataRefused as exc:
            raise CommandError(f"{exc} Use --if-empty to skip quietly.") from exc
        self.stdout.write(
            f"Demo data created in {time.monotonic() - started:.1f} s (seed {seed}, today {on}): "
            f"{summary.municipalities} municipalities, {summary.area_teams} area teams, "
            f"{summary.organisations} organisations, {summary.legal_bases} legal bases, "
            f"{summary.users} users, {summary.households} households, {summary.clients} clients, "
            f"{summary.involvements} involvements, {summary.consents} consents, "
            f"{summary.household_members} household members, {summary.languages} languages, "
            f"{summary.contact_moments} contact moments, {summary.notes} notes, "
            f"{summary.walk_in_sessions} walk-in sessions, "
            f"{summary.inburgering_duties} inburgering duties, {summary.pip_decisions} PIP "
            f"decisions, {summary.courses} courses, {summary.course_months} course months, "
            f"{summary.measurements} measurements, {summary.scores} scores, {summary.plans} plans, "
            f"{summary.goals} goals, {summary.actions} actions, {summary.benefits} benefits, "
            f"{summary.jobs} jobs, {summary.enrolments} enrolments, {summary.checklists} "
            f"checklists, {summary.checklist_tasks} checklist tasks."
        )
