"""The deadline radar: what needs attention in a household, read for many households at once.

Each signal belongs to the section its facts come from, and is raised only for a client (or a
household) whose section the acting user may read: the radar never tells more than the dossier
would. Every source is read in one query for all households asked, so the caseload, the dossier
and the team view pay the same number of queries for one household as for a page of them.

The rules, with where they come from (see docs/architecture.md, "The deadline radar"):

- action overdue, plan review due, first-phase checklist stuck (PLAN);
- latest measurement older than six months (MEASUREMENTS; the ZRM and ladder are meant to be
  rescored every three to six months);
- the PIP 10-week norm at risk or passed; the course not started within three months of the
  PIP; the 18-month window for a route switch closing (within two months); 600 hours reached
  (afschalen possible, until an afschalen decision is adopted); the term ending within six
  months; absence last month (INBURGERING);
- a household member turning 18 within three months: their own duty and dossier start
  (HOUSEHOLD);
- AOW age within six months: the inburgering duty ends there (BASIS; DUO signals it as SS128).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from koers.clients.constants import ApplicableLaw, Section
from koers.clients.models import Client, HouseholdMember
from koers.core import sql
from koers.inburgering.constants import ClockStatus, LearningRoute
from koers.inburgering.selectors import add_months, radar_facts

COURSE_START_MONTHS = 3  # the course starts within three months of the PIP
ROUTE_SWITCH_MONTHS = 18  # a route switch only within 18 months of the term start
ROUTE_SWITCH_WARNING_MONTHS = 2
MEASUREMENT_MAX_AGE_MONTHS = 6
ADULT_AGE = 18
ADULT_WARNING_MONTHS = 3
AOW_WARNING_MONTHS = 6


class Kind:
    ACTION_OVERDUE = "action_overdue"
    REVIEW_DUE = "review_due"
    CHECKLIST_STUCK = "checklist_stuck"
    MEASUREMENT_OLD = "measurement_old"
    PIP_NORM = "pip_norm"
    COURSE_NOT_STARTED = "course_not_started"
    ROUTE_SWITCH_CLOSING = "route_switch_closing"
    HOURS_600 = "hours_600"
    TERM_ENDING = "term_ending"
    ABSENCE = "absence"
    TURNING_18 = "turning_18"
    AOW_AGE = "aow_age"


LABELS = {
    Kind.ACTION_OVERDUE: _("Action overdue"),
    Kind.REVIEW_DUE: _("Plan review due"),
    Kind.CHECKLIST_STUCK: _("Checklist stuck"),
    Kind.MEASUREMENT_OLD: _("Measurement older than 6 months"),
    Kind.PIP_NORM: _("PIP 10-week norm"),
    Kind.COURSE_NOT_STARTED: _("Course not started"),
    Kind.ROUTE_SWITCH_CLOSING: _("Route switch window closing"),
    Kind.HOURS_600: _("600 hours reached"),
    Kind.TERM_ENDING: _("Term ends within 6 months"),
    Kind.ABSENCE: _("Absent last month"),
    Kind.TURNING_18: _("Turns 18"),
    Kind.AOW_AGE: _("AOW age within 6 months"),
}


@dataclass(frozen=True)
class Signal:
    kind: str
    section: Section
    person: str = ""  # whom it concerns, when not the household as a whole
    on: date | None = None  # the date it is about (deadline, due date, birthday)
    count: int | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


@dataclass
class Radar:
    """Signals per household, and the sections they were read from (for the audit)."""

    signals: dict[int, list[Signal]]
    sections: Section


def aow_date(year: int, month: int, day: int) -> date:
    """The date someone reaches the AOW age: 67, and 67 years and 3 months for those who reach
    67 in 2028 or later (Algemene Ouderdomswet, AOW-leeftijd as set for 2028)."""
    at_67 = _birthday(year + 67, month, day)
    return add_months(at_67, 3) if at_67.year >= 2028 else at_67


def _birthday(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, 3, 1)


def household_radar(
    clients: Iterable[Client],
    accesses: Mapping[int, object],
    today: date,
    *,
    action_counts: Mapping[int, tuple[int, int]] | None = None,
) -> Radar:
    """Signals per household for the given clients (each with its access). Clients must carry
    household_id, given_names, applicable_law and the birth parts. `action_counts` are the open
    and overdue actions per household when the caller read them already
    (plans.open_action_counts)."""
    clients = list(clients)
    by_household: dict[int, list[Client]] = {}
    for client in clients:
        by_household.setdefault(client.household_id, []).append(client)
    signals: dict[int, list[Signal]] = {household_id: [] for household_id in by_household}
    sections = Section.none()

    def readable(client, section):
        return accesses[client.pk].can_read(section)

    plan_households = [
        household_id
        for household_id, members in by_household.items()
        if any(readable(c, Section.PLAN) for c in members)
    ]
    if plan_households:
        sections |= Section.PLAN
        _plan_signals(plan_households, today, signals, action_counts)

    measured = [c for c in clients if readable(c, Section.MEASUREMENTS)]
    if measured:
        sections |= Section.MEASUREMENTS
        _measurement_signals(measured, today, signals)

    integrating = [c for c in clients if readable(c, Section.INBURGERING)]
    if integrating:
        sections |= Section.INBURGERING
        _inburgering_signals(integrating, today, signals)

    household_readers = [
        household_id
        for household_id, members in by_household.items()
        if any(readable(c, Section.HOUSEHOLD) for c in members)
    ]
    if household_readers:
        sections |= Section.HOUSEHOLD
        _turning_18(household_readers, today, signals)

    with_basis = [c for c in clients if readable(c, Section.BASIS)]
    if with_basis:
        sections |= Section.BASIS
        _aow_age(with_basis, today, signals)

    for household_signals in signals.values():
        household_signals.sort(key=lambda s: (s.on or date.max, s.kind))
    return Radar(signals=signals, sections=sections)


def _plan_signals(household_ids: list[int], today: date, signals, action_counts) -> None:
    from koers.checklist.selectors import stuck_households
    from koers.plans.selectors import open_action_counts, review_due

    if action_counts is None:
        action_counts = open_action_counts(household_ids, today)
    for household_id, (_open, overdue) in action_counts.items():
        if household_id not in signals:
            continue
        if overdue:
            signals[household_id].append(Signal(Kind.ACTION_OVERDUE, Section.PLAN, count=overdue))
    for household_id, due_on in review_due(household_ids, today).items():
        signals[household_id].append(Signal(Kind.REVIEW_DUE, Section.PLAN, on=due_on))
    for household_id, stuck in stuck_households(household_ids, today).items():
        signals[household_id].append(
            Signal(Kind.CHECKLIST_STUCK, Section.PLAN, on=stuck.oldest_due_on, count=stuck.overdue)
        )


def _measurement_signals(clients: list[Client], today: date, signals) -> None:
    from koers.instruments.selectors import latest_measurement_dates

    limit = add_months(today, -MEASUREMENT_MAX_AGE_MONTHS)
    latest = latest_measurement_dates([c.pk for c in clients])
    for client in clients:
        measured_on = latest.get(client.pk)
        if measured_on is not None and measured_on < limit:
            signals[client.household_id].append(
                Signal(
                    Kind.MEASUREMENT_OLD,
                    Section.MEASUREMENTS,
                    person=client.given_names,
                    on=measured_on,
                )
            )


def _inburgering_signals(clients: list[Client], today: date, signals) -> None:
    from koers.pip.selectors import pip_radar

    ids = [c.pk for c in clients]
    decisions = pip_radar(ids)
    pips = {pk: d.first_on for pk, d in decisions.items() if d.first_on is not None}
    facts = radar_facts(ids, today, pips)
    for client in clients:
        fact = facts.get(client.pk)
        if fact is None:
            continue
        person = client.given_names
        add = signals[client.household_id].append
        clock = fact.ten_week_clock()
        # The PIP norm is the Wet inburgering 2021's, for adults: a child has no duty yet.
        adult = (client.age_on(today) or 0) >= ADULT_AGE
        in_scope = client.applicable_law == ApplicableLaw.WI2021 and adult
        if in_scope and clock.status in (ClockStatus.AT_RISK, ClockStatus.LATE):
            add(Signal(Kind.PIP_NORM, Section.INBURGERING, person=person, on=clock.deadline))
        pip_on = pips.get(client.pk)
        if pip_on and fact.has_duty:
            course_due = add_months(pip_on, COURSE_START_MONTHS)
            started = fact.course_start_on is not None and fact.course_start_on <= today
            if not started and today >= add_months(course_due, -1):
                add(
                    Signal(
                        Kind.COURSE_NOT_STARTED, Section.INBURGERING, person=person, on=course_due
                    )
                )
            switch_from = fact.term_starts_on or pip_on
            closes = add_months(switch_from, ROUTE_SWITCH_MONTHS)
            if today <= closes <= add_months(today, ROUTE_SWITCH_WARNING_MONTHS):
                add(
                    Signal(Kind.ROUTE_SWITCH_CLOSING, Section.INBURGERING, person=person, on=closes)
                )
        # 600 hours on the B1 route: afschalen is possible, until it has been decided.
        scaled_down = client.pk in decisions and decisions[client.pk].scaled_down
        if (
            fact.afschalen_reached
            and fact.route == LearningRoute.B1
            and fact.has_duty
            and not scaled_down
        ):
            add(Signal(Kind.HOURS_600, Section.INBURGERING, person=person))
        if fact.term_ends_within_6_months and fact.has_duty:
            add(
                Signal(
                    Kind.TERM_ENDING, Section.INBURGERING, person=person, on=fact.term_end.ends_on
                )
            )
        if fact.absent_last_month:
            add(
                Signal(
                    Kind.ABSENCE,
                    Section.INBURGERING,
                    person=person,
                    count=fact.absence_last_month_hours,
                )
            )


def _turning_18(household_ids: list[int], today: date, signals) -> None:
    """Household members (with or without a dossier) who turn 18 within three months; a
    partly unknown birth date counts from its first possible day."""
    horizon = add_months(today, ADULT_WARNING_MONTHS)
    # Of a member with a dossier, the dossier's name and birth date count.
    households, household_params = sql.ids_in("m.household_id", household_ids)
    source = "CASE WHEN m.client_id IS NULL THEN m.{0} ELSE c.{0} END"
    query = f"""
        SELECT m.household_id, {source.format("given_names")}, {source.format("birth_year")},
               {source.format("birth_month")}, {source.format("birth_day")}
        FROM {sql.table(HouseholdMember)} m LEFT JOIN {sql.table(Client)} c ON c.id = m.client_id
        WHERE {households} AND {source.format("birth_year")} BETWEEN %s AND %s
    """  # noqa: S608 - table names from the models, every value a parameter
    rows = sql.fetch(
        query,
        [*household_params, today.year - ADULT_AGE, horizon.year - ADULT_AGE],
    )
    for household_id, given_names, year, month, day in rows:
        birthday = _birthday(year + ADULT_AGE, month or 1, day or 1)
        if today < birthday <= horizon:
            signals[household_id].append(
                Signal(Kind.TURNING_18, Section.HOUSEHOLD, person=given_names, on=birthday)
            )


def _aow_age(clients: list[Client], today: date, signals) -> None:
    horizon = add_months(today, AOW_WARNING_MONTHS)
    for client in clients:
        if not client.birth_year or client.birth_year > today.year - 66:
            continue
        reached = aow_date(client.birth_year, client.birth_month or 1, client.birth_day or 1)
        if today < reached <= horizon:
            signals[client.household_id].append(
                Signal(Kind.AOW_AGE, Section.BASIS, person=client.given_names, on=reached)
            )
