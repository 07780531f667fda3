"""Reads of the inburgering trajectory: the clocks, the counters, the overview page, the dossier
card and the facts the deadline radar needs for many clients at once.

The PIP is the pip app's: nothing here reads its models. Functions that need the date of the
first PIP take it as an argument (`first_pip_on`); `first_pip_dates()` is the one place where
the overview and the card ask for it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from koers.clients.constants import Section
from koers.clients.models import Client
from koers.core import sql

from .constants import (
    AFSCHALEN_HOURS,
    CLOCK_AT_RISK_DAYS,
    MAP_THEMES,
    NO_DUTY_STATUSES,
    PIP_NORM,
    TERM_ENDING_MONTHS,
    TERM_YEARS,
    Z_ROUTE_LANGUAGE_HOURS,
    Z_ROUTE_PARTICIPATION_HOURS,
    ClockStart,
    ClockStatus,
    DutyStatus,
    EnforcementKind,
    ExamPart,
    ExamResultKind,
    LearningRoute,
)
from .models import (
    Course,
    CourseMonth,
    EnforcementStep,
    ExamResult,
    Exemption,
    InburgeringDuty,
    LabourMarketModule,
    Ontzorgen,
    ParticipationStatement,
    ProgressMeeting,
    Release,
    TermExtension,
)

# --- dates ---------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Jan -> 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(today: date) -> date:
    return add_months(month_start(today), -1)


# --- the 10-week clock -------------------------------------------------------------------------


@dataclass(frozen=True)
class TenWeekClock:
    """From DUO's start signal (or, without it, the housing date) to the first PIP."""

    status: str
    start_on: date | None = None
    start_source: str = ""
    deadline: date | None = None
    days_left: int | None = None
    pip_on: date | None = None

    @property
    def status_label(self) -> str:
        return str(ClockStatus(self.status).label)

    @property
    def start_source_label(self) -> str:
        return str(ClockStart(self.start_source).label) if self.start_source else ""

    @property
    def met_on_time(self) -> bool | None:
        if self.status != ClockStatus.MET or self.deadline is None:
            return None
        return self.pip_on <= self.deadline

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def clock_start(duty, housing_date: date | None) -> tuple[date | None, str]:
    """The day the 10-week period started: DUO's start signal, else the housing date."""
    if duty is not None and duty.start_signal_on:
        return duty.start_signal_on, ClockStart.SIGNAL
    if housing_date:
        return housing_date, ClockStart.HOUSING
    return None, ""


def ten_week_clock(
    duty, housing_date: date | None, first_pip_on: date | None, today: date
) -> TenWeekClock:
    """The PIP norm: 10 weeks from DUO's start signal, or the housing date without it.

    met: a PIP is issued (`met_on_time` says whether within the norm); late: the deadline has
    passed without a PIP; at risk: at most CLOCK_AT_RISK_DAYS left; not applicable: the client
    has no duty (met, exempt, released, ended); unknown: no start date yet."""
    start, source = clock_start(duty, housing_date)
    deadline = start + PIP_NORM if start else None
    days_left = (deadline - today).days if deadline else None
    common = {"start_on": start, "start_source": source, "deadline": deadline}
    if first_pip_on is not None:
        return TenWeekClock(ClockStatus.MET, pip_on=first_pip_on, **common)
    if duty is not None and duty.status in NO_DUTY_STATUSES:
        return TenWeekClock(ClockStatus.NOT_APPLICABLE, **common)
    if start is None:
        return TenWeekClock(ClockStatus.UNKNOWN)
    if days_left < 0:
        status = ClockStatus.LATE
    elif days_left <= CLOCK_AT_RISK_DAYS:
        status = ClockStatus.AT_RISK
    else:
        status = ClockStatus.ON_TIME
    return TenWeekClock(status, days_left=days_left, **common)


# --- the term ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermEnd:
    """The end of the term: DUO's date, or a provisional one ("voorlopig") three years after the
    term start (or the first PIP) until DUO's is recorded."""

    ends_on: date | None
    provisional: bool = False

    def ended(self, today: date) -> bool:
        return self.ends_on is not None and self.ends_on <= today

    def ends_within(self, today: date, months: int = TERM_ENDING_MONTHS) -> bool:
        return self.ends_on is not None and today < self.ends_on <= add_months(today, months)


def term_end_of(
    term_starts_on: date | None, term_ends_on: date | None, first_pip_on: date | None = None
) -> TermEnd:
    if term_ends_on:
        return TermEnd(term_ends_on, provisional=False)
    start = term_starts_on or first_pip_on
    if start:
        return TermEnd(add_years(start, TERM_YEARS), provisional=True)
    return TermEnd(None)


def term_end(duty, first_pip_on: date | None = None) -> TermEnd:
    if duty is None:
        return term_end_of(None, None, first_pip_on)
    return term_end_of(duty.term_starts_on, duty.term_ends_on, first_pip_on)


# --- the hour counters -------------------------------------------------------------------------


def afschalen_hours(in_person: int, remote: int) -> int:
    """Class hours at BoW providers that count towards afschalen: at least half must be in
    person, so remote hours count up to the number of hours in person."""
    return in_person + min(remote, in_person)


@dataclass
class CourseTotals:
    attended: int = 0
    remote: int = 0
    participation: int = 0
    absent: int = 0


@dataclass
class HourCounters:
    attended: int = 0
    participation: int = 0
    absent: int = 0
    afschalen_hours: int = 0
    afschalen_reached_in: date | None = None  # the month in which the count reached 600
    shows_afschalen: bool = False
    shows_z_route: bool = False
    per_course: dict[int, CourseTotals] = field(default_factory=dict)

    afschalen_target = AFSCHALEN_HOURS
    z_language_target = Z_ROUTE_LANGUAGE_HOURS
    z_participation_target = Z_ROUTE_PARTICIPATION_HOURS

    @property
    def afschalen_reached(self) -> bool:
        return self.afschalen_hours >= AFSCHALEN_HOURS

    @property
    def z_language_hours(self) -> int:
        # DUO counts the language and KNM hours of an earlier route along (GevolgdeUren API).
        return self.attended

    @property
    def z_language_met(self) -> bool:
        return self.z_language_hours >= Z_ROUTE_LANGUAGE_HOURS

    @property
    def z_participation_met(self) -> bool:
        return self.participation >= Z_ROUTE_PARTICIPATION_HOURS


def hour_counters(courses: Iterable[Course], months: Iterable[CourseMonth]) -> HourCounters:
    """The counters over all courses: hours attended, the afschalen threshold (600 class hours
    at a BoW provider, B1 route) with the month it was reached, and the Z-route's 800 + 800."""
    courses = {course.pk: course for course in courses}
    counters = HourCounters(
        shows_afschalen=any(c.course_type == LearningRoute.B1 for c in courses.values()),
        shows_z_route=any(c.course_type == LearningRoute.Z for c in courses.values()),
    )
    in_person = remote = 0
    for row in sorted(months, key=lambda r: (r.month, r.course_id)):
        totals = counters.per_course.setdefault(row.course_id, CourseTotals())
        totals.attended += row.hours_attended
        totals.remote += row.hours_remote
        totals.participation += row.hours_participation
        totals.absent += row.hours_absent
        counters.attended += row.hours_attended
        counters.participation += row.hours_participation
        counters.absent += row.hours_absent
        if courses[row.course_id].provider_bow:
            in_person += row.hours_attended - row.hours_remote
            remote += row.hours_remote
            counters.afschalen_hours = afschalen_hours(in_person, remote)
            if counters.afschalen_reached_in is None and counters.afschalen_reached:
                counters.afschalen_reached_in = row.month
    return counters


def client_route(courses: Iterable[Course]) -> str:
    """The route the client follows now, as its latest course says (the PIP app holds the
    decision; the course is what is being followed)."""
    latest = max(courses, key=lambda c: (c.starts_on, c.pk), default=None)
    return latest.course_type if latest else ""


def route_of_client(client_id: int) -> str:
    latest = (
        Course.objects.filter(client_id=client_id)
        .order_by("-starts_on", "-id")
        .values_list("course_type", flat=True)
        .first()
    )
    return latest or ""


# --- the PIP date ------------------------------------------------------------------------------


def first_pip_dates(client_ids: Iterable[int]) -> dict[int, date]:
    """The dagtekening of each client's first adopted PIP (the pip app's decisions), in one
    query; clients without one are left out. The one place this app asks for the PIP date."""
    from koers.pip.selectors import pip_radar  # the pip app reads this app's duty dates

    return {
        client_id: facts.first_on
        for client_id, facts in pip_radar(client_ids).items()
        if facts.first_on is not None
    }


# --- the overview page -------------------------------------------------------------------------


def trajectory(client: Client, *, today: date, first_pip_on: date | None = None) -> dict:
    """Everything the overview page shows, in a fixed number of queries."""
    duty = InburgeringDuty.objects.filter(client=client).first()
    courses = list(Course.objects.filter(client=client).order_by("starts_on", "id"))
    months = list(CourseMonth.objects.filter(course__client=client).order_by("-month", "course_id"))
    counters = hour_counters(courses, months)
    by_pk = {course.pk: course for course in courses}
    for course in courses:
        course.totals = counters.per_course.get(course.pk, CourseTotals())
    for row in months:
        row.course_label = str(by_pk[row.course_id])
    exams = list(ExamResult.objects.filter(client=client).order_by("-exam_on", "part", "-id"))
    pvt = ParticipationStatement.objects.filter(client=client).first()
    module = LabourMarketModule.objects.filter(client=client).first()
    end = term_end(duty, first_pip_on)
    route = client_route(courses)
    return {
        "duty": duty,
        "duty_status_label": (duty.get_status_display() if duty else DutyStatus.UNKNOWN.label),
        "clock": ten_week_clock(duty, client.housing_date, first_pip_on, today),
        "term_end": end,
        "term_ends_soon": end.ends_within(today),
        "term_ended": end.ended(today),
        "extensions": list(TermExtension.objects.filter(client=client)),
        "exemptions": list(Exemption.objects.filter(client=client)),
        "releases": list(Release.objects.filter(client=client)),
        "courses": courses,
        "months": months,
        "counters": counters,
        "route": route,
        "route_label": LearningRoute(route).label if route else "",
        "map_allowed": route != LearningRoute.EDUCATION,
        "meetings": list(ProgressMeeting.objects.filter(client=client).select_related("course")),
        "pvt": pvt,
        "map": module,
        "map_themes": [
            {"label": label, "done": bool(module and getattr(module, name))}
            for name, label in MAP_THEMES
        ],
        "exams": exams,
        "knm_exams": [exam for exam in exams if exam.part == ExamPart.KNM],
        "language_exams": [exam for exam in exams if exam.part != ExamPart.KNM],
        "ontzorgen": list(Ontzorgen.objects.filter(client=client)),
        "enforcement": list(EnforcementStep.objects.filter(client=client)),
        "first_pip_on": first_pip_on,
    }


def has_warning(client_id: int, *, before: date) -> bool:
    return EnforcementStep.objects.filter(
        client_id=client_id, kind=EnforcementKind.WARNING, on__lte=before
    ).exists()


def passed_parts(client_id: int) -> set[str]:
    return set(
        ExamResult.objects.filter(client_id=client_id, result=ExamResultKind.PASSED).values_list(
            "part", flat=True
        )
    )


# --- the deadline radar and the dossier card ---------------------------------------------------


@dataclass(frozen=True)
class RadarFacts:
    """What the deadline radar needs to know about one client's inburgering."""

    client_id: int
    duty_status: str
    start_signal_on: date | None
    duty_start_on: date | None
    housing_date: date | None
    route: str
    course_start_on: date | None  # the first course's start
    hours_attended: int
    afschalen_hours: int
    afschalen_reached: bool
    z_language_hours: int
    z_participation_hours: int
    term_starts_on: date | None
    term_end: TermEnd
    term_ends_within_6_months: bool
    term_ended: bool
    absence_last_month_hours: int
    first_pip_on: date | None
    today: date

    @property
    def has_duty(self) -> bool:
        return self.duty_status not in NO_DUTY_STATUSES

    @property
    def clock_start(self) -> tuple[date | None, str]:
        if self.start_signal_on:
            return self.start_signal_on, ClockStart.SIGNAL
        if self.housing_date:
            return self.housing_date, ClockStart.HOUSING
        return None, ""

    def ten_week_clock(self, first_pip_on: date | None = None) -> TenWeekClock:
        """The clock with the given PIP date (or the one radar_facts was given)."""
        duty = _DutyDates(self.duty_status, self.start_signal_on)
        return ten_week_clock(
            duty, self.housing_date, first_pip_on or self.first_pip_on, self.today
        )

    @property
    def absent_last_month(self) -> bool:
        return self.absence_last_month_hours > 0


@dataclass(frozen=True)
class _DutyDates:
    status: str
    start_signal_on: date | None


def _radar_rows(client_ids: list[int], last_month: date) -> list[tuple]:
    """One row per client: housing date, the duty's status and dates, the first course's start,
    the latest course's route, and the sums over the course months. Hand-written SQL
    (koers.core.sql): building the equivalent ORM query cost more than running it."""
    in_months, month_params = sql.ids_in("co.client_id", client_ids)
    in_clients, client_params = sql.ids_in("c.id", client_ids)
    client, duty = sql.table(Client), sql.table(InburgeringDuty)
    course, month = sql.table(Course), sql.table(CourseMonth)
    query = f"""
        SELECT c.id, c.housing_date,
               d.status, d.start_signal_on, d.duty_start_on, d.term_starts_on, d.term_ends_on,
               (SELECT MIN(f.starts_on) FROM {course} f WHERE f.client_id = c.id),
               (SELECT r.course_type FROM {course} r WHERE r.client_id = c.id
                ORDER BY r.starts_on DESC, r.id DESC LIMIT 1),
               COALESCE(m.attended, 0), COALESCE(m.participation, 0),
               COALESCE(m.bow_in_person, 0), COALESCE(m.bow_remote, 0),
               COALESCE(m.absent_last_month, 0)
        FROM {client} c
        LEFT JOIN {duty} d ON d.client_id = c.id
        LEFT JOIN (
            SELECT co.client_id,
                   SUM(cm.hours_attended) AS attended,
                   SUM(cm.hours_participation) AS participation,
                   SUM(CASE WHEN co.provider_bow THEN cm.hours_attended - cm.hours_remote
                       ELSE 0 END) AS bow_in_person,
                   SUM(CASE WHEN co.provider_bow THEN cm.hours_remote ELSE 0 END) AS bow_remote,
                   SUM(CASE WHEN cm.month = %s THEN cm.hours_absent ELSE 0 END)
                       AS absent_last_month
            FROM {month} cm JOIN {course} co ON co.id = cm.course_id
            WHERE {in_months}
            GROUP BY co.client_id
        ) m ON m.client_id = c.id
        WHERE {in_clients}
    """  # noqa: S608 - table names from the models, every value a parameter
    return sql.fetch(query, [last_month, *month_params, *client_params])


def radar_facts(
    client_ids: Iterable[int],
    today: date,
    first_pip_on: Mapping[int, date] | None = None,
) -> dict[int, RadarFacts]:
    """The radar's inburgering facts for many clients in ONE query, whatever their number: the
    10-week clock inputs, course start, hours, the 600 hours, the term end (DUO's or
    provisional) and whether it ends within 6 months, absence in the previous month.

    The caller has checked the access rule (INBURGERING readable) for these clients. Pass the
    first PIP dates (pip app) to have the clock and the provisional term end use them."""
    first_pip_on = first_pip_on or {}
    ids = list(client_ids)
    if not ids:
        return {}
    rows = _radar_rows(ids, previous_month(today))
    facts = {}
    for row in rows:
        (
            client_id,
            housing_date,
            duty_status,
            start_signal_on,
            duty_start_on,
            term_starts_on,
            term_ends_on,
            course_start_on,
            route,
            hours_attended,
            hours_participation,
            bow_in_person,
            bow_remote,
            absent_last_month,
        ) = row
        term_starts_on = sql.as_date(term_starts_on)
        pip_on = first_pip_on.get(client_id)
        end = term_end_of(term_starts_on, sql.as_date(term_ends_on), pip_on)
        counted = afschalen_hours(bow_in_person, bow_remote)
        facts[client_id] = RadarFacts(
            client_id=client_id,
            duty_status=duty_status or DutyStatus.UNKNOWN,
            start_signal_on=sql.as_date(start_signal_on),
            duty_start_on=sql.as_date(duty_start_on),
            housing_date=sql.as_date(housing_date),
            route=route or "",
            course_start_on=sql.as_date(course_start_on),
            hours_attended=hours_attended,
            afschalen_hours=counted,
            afschalen_reached=counted >= AFSCHALEN_HOURS,
            z_language_hours=hours_attended,
            z_participation_hours=hours_participation,
            term_starts_on=term_starts_on,
            term_end=end,
            term_ends_within_6_months=end.ends_within(today),
            term_ended=end.ended(today),
            absence_last_month_hours=absent_last_month,
            first_pip_on=pip_on,
            today=today,
        )
    return facts


def dossier_card(access, client: Client, *, today: date, first_pip_on: date | None = None) -> dict:
    """Context for the card `inburgering/_dossier_card.html` on the dossier's first screen: two
    queries (one when the PIP date is given). Empty (card hidden) when the INBURGERING section
    is not readable."""
    if not access.can_read(Section.INBURGERING):
        return {"inburgering_card": None}
    if first_pip_on is None:
        first_pip_on = first_pip_dates([client.pk]).get(client.pk)
    facts = radar_facts([client.pk], today, {client.pk: first_pip_on} if first_pip_on else None)
    fact = facts[client.pk]
    return {
        "inburgering_card": {
            "client": client,
            "facts": fact,
            "duty_status_label": DutyStatus(fact.duty_status).label,
            "route_label": LearningRoute(fact.route).label if fact.route else "",
            "clock": fact.ten_week_clock(),
            "afschalen_target": AFSCHALEN_HOURS,
            "can_edit": access.can_write(Section.INBURGERING),
        }
    }
