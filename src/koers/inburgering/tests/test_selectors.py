from datetime import date, timedelta

import pytest

from koers.clients.constants import Section
from koers.clients.permissions import ClientAccess
from koers.clients.tests.factories import ClientFactory
from koers.inburgering.constants import ClockStart, ClockStatus, DutyStatus
from koers.inburgering.models import InburgeringDuty
from koers.inburgering.selectors import (
    add_years,
    afschalen_hours,
    dossier_card,
    hour_counters,
    radar_facts,
    ten_week_clock,
    term_end,
    trajectory,
)

from .factories import CourseFactory, CourseMonthFactory, InburgeringDutyFactory

TODAY = date(2025, 6, 16)


def duty(**fields):
    return InburgeringDuty(status=fields.pop("status", DutyStatus.DUTY), **fields)


# --- the 10-week clock -------------------------------------------------------------------------


def test_rule_ten_week_clock_starts_at_duo_start_signal():
    clock = ten_week_clock(duty(start_signal_on=date(2025, 5, 1)), date(2025, 4, 1), None, TODAY)
    assert clock.start_on == date(2025, 5, 1)
    assert clock.start_source == ClockStart.SIGNAL
    assert clock.deadline == date(2025, 7, 10)
    assert clock.days_left == 24
    assert clock.status == ClockStatus.ON_TIME


def test_rule_ten_week_clock_falls_back_to_housing_date():
    for the_duty in (duty(), None):
        clock = ten_week_clock(the_duty, date(2025, 4, 14), None, TODAY)
        assert clock.start_source == ClockStart.HOUSING
        assert clock.deadline == date(2025, 6, 23)


def test_rule_ten_week_clock_at_risk_in_the_last_two_weeks():
    signal = TODAY - timedelta(weeks=10) + timedelta(days=14)
    assert ten_week_clock(duty(start_signal_on=signal), None, None, TODAY).status == (
        ClockStatus.AT_RISK
    )
    one_more_day = signal + timedelta(days=1)
    assert ten_week_clock(duty(start_signal_on=one_more_day), None, None, TODAY).status == (
        ClockStatus.ON_TIME
    )


def test_rule_ten_week_clock_late_after_ten_weeks_without_pip():
    signal = TODAY - timedelta(weeks=10) - timedelta(days=3)
    clock = ten_week_clock(duty(start_signal_on=signal), None, None, TODAY)
    assert clock.status == ClockStatus.LATE
    assert clock.days_late == 3
    on_the_deadline = ten_week_clock(
        duty(start_signal_on=TODAY - timedelta(weeks=10)), None, None, TODAY
    )
    assert on_the_deadline.status == ClockStatus.AT_RISK


def test_rule_ten_week_clock_met_by_the_first_pip():
    signal = date(2025, 1, 6)
    in_time = ten_week_clock(duty(start_signal_on=signal), None, date(2025, 3, 10), TODAY)
    assert in_time.status == ClockStatus.MET
    assert in_time.met_on_time is True
    late = ten_week_clock(duty(start_signal_on=signal), None, date(2025, 4, 1), TODAY)
    assert late.status == ClockStatus.MET
    assert late.met_on_time is False


def test_ten_week_clock_without_start_or_without_duty():
    assert ten_week_clock(duty(), None, None, TODAY).status == ClockStatus.UNKNOWN
    exempt = duty(status=DutyStatus.EXEMPT, start_signal_on=date(2024, 1, 1))
    assert ten_week_clock(exempt, None, None, TODAY).status == ClockStatus.NOT_APPLICABLE


# --- the term ----------------------------------------------------------------------------------


def test_rule_term_end_voorlopig_until_duo_date():
    provisional = term_end(duty(term_starts_on=date(2025, 3, 1)))
    assert provisional.ends_on == date(2028, 3, 1)
    assert provisional.provisional is True
    from_pip = term_end(duty(), first_pip_on=date(2025, 2, 10))
    assert (from_pip.ends_on, from_pip.provisional) == (date(2028, 2, 10), True)
    decided = term_end(duty(term_starts_on=date(2025, 3, 1), term_ends_on=date(2028, 6, 1)))
    assert (decided.ends_on, decided.provisional) == (date(2028, 6, 1), False)
    assert term_end(duty()).ends_on is None


def test_term_ends_within_six_months():
    end = term_end(duty(term_ends_on=date(2025, 12, 1)))
    assert end.ends_within(TODAY)
    assert not end.ends_within(date(2025, 5, 31))
    assert end.ended(date(2025, 12, 1))
    assert not end.ends_within(date(2025, 12, 2))


def test_three_years_from_29_february():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


# --- the counters --------------------------------------------------------------------------------


def _month(course, month, **hours):
    return CourseMonthFactory.build(course=course, course_id=course.pk, month=month, **hours)


@pytest.mark.django_db
def test_rule_afschalen_needs_600_hours_at_bow_provider():
    bow = CourseFactory(provider_bow=True)
    other = CourseFactory(client=bow.client, provider_bow=False, provider_name="Zonder keurmerk")
    months = [_month(other, date(2024, 1, 1), hours_attended=300)]
    months += [_month(bow, date(2024, m, 1), hours_attended=100) for m in range(2, 8)]
    counters = hour_counters([bow, other], months)
    assert counters.attended == 900
    assert counters.afschalen_hours == 600
    assert counters.afschalen_reached
    assert counters.afschalen_reached_in == date(2024, 7, 1)
    counters = hour_counters([bow, other], months[:-1])
    assert counters.afschalen_hours == 500
    assert not counters.afschalen_reached
    assert counters.afschalen_reached_in is None


@pytest.mark.django_db
def test_rule_afschalen_counts_remote_hours_for_at_most_half():
    assert afschalen_hours(250, 400) == 500
    assert afschalen_hours(300, 300) == 600
    bow = CourseFactory(provider_bow=True)
    months = [
        _month(bow, date(2024, m, 1), hours_attended=100, hours_remote=60) for m in range(1, 8)
    ]
    counters = hour_counters([bow], months)
    # 700 hours, 420 of them remote: only 280 remote count next to 280 in person.
    assert counters.attended == 700
    assert counters.afschalen_hours == 560
    assert not counters.afschalen_reached


@pytest.mark.django_db
def test_rule_z_route_needs_800_language_and_800_participation_hours():
    course = CourseFactory(z_route=True)
    months = [
        _month(course, date(2024, m, 1), hours_attended=100, hours_participation=70)
        for m in range(1, 9)
    ]
    counters = hour_counters([course], months)
    assert counters.shows_z_route and not counters.shows_afschalen
    assert counters.z_language_hours == 800
    assert counters.z_language_met
    assert counters.participation == 560
    assert not counters.z_participation_met


# --- the radar and the card ----------------------------------------------------------------------


@pytest.mark.django_db
def test_radar_facts_for_a_client_with_a_trajectory():
    client = ClientFactory(housing_date=date(2025, 1, 6))
    InburgeringDutyFactory(
        client=client, start_signal_on=date(2025, 2, 3), term_starts_on=date(2025, 4, 1)
    )
    course = CourseFactory(client=client, starts_on=date(2025, 5, 5))
    CourseMonthFactory(
        course=course,
        month=date(2025, 5, 1),
        hours_attended=60,
        hours_absent=4,
        absence_reason="ziek",
    )
    CourseMonthFactory(course=course, month=date(2025, 4, 1), hours_attended=0, hours_absent=0)
    facts = radar_facts([client.pk], TODAY)[client.pk]
    assert facts.start_signal_on == date(2025, 2, 3)
    assert facts.housing_date == date(2025, 1, 6)
    assert facts.clock_start == (date(2025, 2, 3), ClockStart.SIGNAL)
    assert facts.ten_week_clock().status == ClockStatus.LATE
    assert facts.ten_week_clock(date(2025, 3, 20)).status == ClockStatus.MET
    assert facts.course_start_on == date(2025, 5, 5)
    assert facts.route == "B"
    assert facts.hours_attended == 60
    assert not facts.afschalen_reached
    assert facts.term_end.ends_on == date(2028, 4, 1)
    assert facts.term_end.provisional
    assert not facts.term_ends_within_6_months
    assert facts.absence_last_month_hours == 4
    assert facts.absent_last_month


@pytest.mark.django_db
def test_radar_facts_for_a_client_without_any_inburgering_data():
    client = ClientFactory()
    facts = radar_facts([client.pk], TODAY)[client.pk]
    assert facts.duty_status == DutyStatus.UNKNOWN
    assert facts.has_duty
    assert facts.hours_attended == 0
    assert facts.course_start_on is None
    assert facts.term_end.ends_on is None
    assert facts.ten_week_clock().status == ClockStatus.UNKNOWN


@pytest.mark.django_db
def test_radar_facts_take_the_pip_date_for_clock_and_provisional_term_end():
    client = ClientFactory(housing_date=date(2025, 1, 6))
    facts = radar_facts([client.pk], TODAY, {client.pk: date(2025, 3, 1)})[client.pk]
    assert facts.ten_week_clock().status == ClockStatus.MET
    assert facts.term_end.ends_on == date(2028, 3, 1)


@pytest.mark.django_db
def test_radar_facts_with_600_hours_and_term_ending_soon():
    client = ClientFactory()
    InburgeringDutyFactory(client=client, term_ends_on=date(2025, 11, 30))
    course = CourseFactory(client=client)
    for m in range(1, 7):
        CourseMonthFactory(course=course, month=date(2024, m, 1), hours_attended=100)
    facts = radar_facts([client.pk], TODAY)[client.pk]
    assert facts.afschalen_reached
    assert facts.afschalen_hours == 600
    assert facts.term_ends_within_6_months
    assert not facts.term_end.provisional
    assert facts.absence_last_month_hours == 0


@pytest.mark.django_db
def test_radar_facts_run_one_query_for_one_and_for_many_clients(django_assert_num_queries):
    clients = [ClientFactory() for _ in range(6)]
    for client in clients:
        InburgeringDutyFactory(client=client, start_signal_on=date(2025, 5, 1))
        course = CourseFactory(client=client)
        CourseMonthFactory(course=course, month=date(2025, 5, 1))
    with django_assert_num_queries(1):
        one = radar_facts([clients[0].pk], TODAY)
    with django_assert_num_queries(1):
        many = radar_facts([c.pk for c in clients], TODAY)
    assert len(one) == 1
    assert len(many) == 6
    assert {f.hours_attended for f in many.values()} == {40}


@pytest.mark.django_db
def test_dossier_card_hidden_without_the_inburgering_section(django_assert_num_queries):
    client = ClientFactory()
    no_access = ClientAccess(Section.BASIS, Section.none(), "legal_task")
    with django_assert_num_queries(0):
        assert dossier_card(no_access, client, today=TODAY) == {"inburgering_card": None}
    access = ClientAccess(Section.all(), Section.all(), "legal_task")
    with django_assert_num_queries(2):  # the facts, and the first PIP's date
        card = dossier_card(access, client, today=TODAY)["inburgering_card"]
    assert card["facts"].client_id == client.pk
    assert card["can_edit"]


@pytest.mark.django_db
def test_trajectory_overview_runs_a_fixed_number_of_queries(django_assert_num_queries):
    small = ClientFactory()
    CourseMonthFactory(course=CourseFactory(client=small))
    big = ClientFactory()
    for _ in range(3):
        course = CourseFactory(client=big)
        for m in range(1, 6):
            CourseMonthFactory(course=course, month=date(2024, m, 1))
    with django_assert_num_queries(12):
        trajectory(small, today=TODAY)
    with django_assert_num_queries(12):
        result = trajectory(big, today=TODAY)
    assert result["counters"].attended == 600


def test_the_ten_week_clock_reads_the_first_adopted_pip_from_the_pip_app(db):
    # Wet inburgering 2021: the PIP within 10 weeks of the start signal. A draft decision does
    # not stop the clock; the first adopted decision does, with its dagtekening.
    import datetime

    from koers.inburgering.selectors import first_pip_dates
    from koers.pip.tests.factories import DecisionFactory

    adopted = DecisionFactory(final=True)
    draft_only = DecisionFactory()
    DecisionFactory(client=adopted.client)  # a later draft changes nothing
    assert first_pip_dates([adopted.client_id, draft_only.client_id]) == {
        adopted.client_id: datetime.date(2025, 3, 1)
    }
