"""Reads of work, income and education. Callers have checked WORK_INCOME access through the
access rule (work_card does it itself, from the access it is given)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from koers.clients.constants import Section

from .constants import OUTFLOW_TO_WORK, BenefitEndReason, BenefitKind, EnrolmentLevel, JobKind
from .models import Benefit, EducationEnrolment, Job

# A client's own lists are short; the cap only keeps a page bounded whatever happens.
LIST_LIMIT = 200


@dataclass(frozen=True)
class RunningBenefit:
    kind: str
    top_up: bool

    @property
    def label(self) -> str:
        return str(BenefitKind(self.kind).label)


@dataclass(frozen=True)
class RunningJob:
    kind: str
    hours_per_week: Decimal
    wage_subsidy: str
    job_coach: bool

    @property
    def paid(self) -> bool:
        return self.kind == JobKind.PAID

    @property
    def label(self) -> str:
        return str(JobKind(self.kind).label)


@dataclass(frozen=True)
class RunningEnrolment:
    level: str

    @property
    def label(self) -> str:
        return str(EnrolmentLevel(self.level).label)


@dataclass
class WorkStatus:
    """What runs for one client on a date: benefits, work (paid, volunteer, internship) and
    education."""

    benefits: list[RunningBenefit] = field(default_factory=list)
    jobs: list[RunningJob] = field(default_factory=list)
    enrolments: list[RunningEnrolment] = field(default_factory=list)

    @property
    def on_benefit(self) -> bool:
        return bool(self.benefits)

    @property
    def has_top_up(self) -> bool:
        return any(benefit.top_up for benefit in self.benefits)

    @property
    def paid_work(self) -> bool:
        return any(job.paid for job in self.jobs)

    @property
    def paid_hours(self) -> Decimal:
        return sum((job.hours_per_week for job in self.jobs if job.paid), Decimal(0))

    @property
    def unpaid_work(self) -> bool:
        """Volunteer work or an internship."""
        return any(not job.paid for job in self.jobs)

    @property
    def in_education(self) -> bool:
        return bool(self.enrolments)

    @property
    def is_empty(self) -> bool:
        return not (self.benefits or self.jobs or self.enrolments)


def work_status(client_ids: Iterable[int], on_date: date | None = None) -> dict[int, WorkStatus]:
    """Per client (every id asked for, empty when nothing runs): the benefits, jobs and
    education enrolments running on `on_date`. One query per kind, however many clients."""
    on = on_date or timezone.localdate()
    ids = list(client_ids)
    result = {client_id: WorkStatus() for client_id in ids}
    if not ids:
        return result
    benefits = (
        Benefit.objects.running(on)
        .filter(client_id__in=ids)
        .order_by("client_id", "start_on", "id")
        .values_list("client_id", "kind", "top_up")
    )
    for client_id, kind, top_up in benefits:
        result[client_id].benefits.append(RunningBenefit(kind, top_up))
    jobs = (
        Job.objects.running(on)
        .filter(client_id__in=ids)
        .order_by("client_id", "start_on", "id")
        .values_list("client_id", "kind", "hours_per_week", "wage_subsidy", "job_coach")
    )
    for client_id, kind, hours, subsidy, coach in jobs:
        result[client_id].jobs.append(RunningJob(kind, hours, subsidy, coach))
    enrolments = (
        EducationEnrolment.objects.running(on)
        .filter(client_id__in=ids)
        .order_by("client_id", "start_on", "id")
        .values_list("client_id", "level")
    )
    for client_id, level in enrolments:
        result[client_id].enrolments.append(RunningEnrolment(level))
    return result


def work_card(access, client, on: date | None = None) -> dict:
    """Context for the dossier card (template work/_dossier_card.html). Empty when the
    WORK_INCOME section is not readable; three queries otherwise."""
    if not access.can_read(Section.WORK_INCOME):
        return {"work_visible": False}
    return {
        "work_visible": True,
        "work_status": work_status([client.pk], on)[client.pk],
        "work_client_pk": client.pk,
    }


def client_work(client) -> dict:
    """Everything the overview page shows: three queries."""
    return {
        "benefits": list(
            Benefit.objects.filter(client=client).order_by("-start_on", "-id")[:LIST_LIMIT]
        ),
        "jobs": list(Job.objects.filter(client=client).order_by("-start_on", "-id")[:LIST_LIMIT]),
        "enrolments": list(
            EducationEnrolment.objects.filter(client=client).order_by("-start_on", "-id")[
                :LIST_LIMIT
            ]
        ),
    }


def benefit_outflow(client_ids, date_from: date, date_to: date) -> dict[str, int]:
    """Benefits that ended in [date_from, date_to] per reason ended, for the dashboards (the
    outflow to work is OUTFLOW_TO_WORK: full, and partial with a top-up). `client_ids` may be a
    list or a values("pk") queryset of the clients the user may count. One query."""
    counts = dict(
        Benefit.objects.filter(client_id__in=client_ids, end_on__gte=date_from, end_on__lte=date_to)
        .values_list("end_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = {reason.value: counts.get(reason.value, 0) for reason in BenefitEndReason}
    result["to_work"] = sum(result[reason] for reason in OUTFLOW_TO_WORK)
    return result
