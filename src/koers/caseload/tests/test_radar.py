"""The deadline radar: each rule named, each signal only for readable sections, and a fixed
number of queries however many households are asked."""

from datetime import date, timedelta

import pytest

from koers.caseload.radar import Kind, aow_date, household_radar
from koers.clients.constants import Relation, Section
from koers.clients.models import HouseholdMember
from koers.clients.permissions import Basis, ClientAccess
from koers.clients.tests.factories import ClientFactory, HouseholdFactory
from koers.inburgering.tests.factories import InburgeringDutyFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
EVERYTHING = ClientAccess(Section.all(), Section.all(), Basis.LEGAL_TASK)


def _duty(**fields):
    """An inburgering duty of an adult under the Wet inburgering 2021."""
    from koers.clients.constants import ApplicableLaw

    fields.setdefault("client__birth_year", 1990)
    fields.setdefault("client__applicable_law", ApplicableLaw.WI2021)
    return InburgeringDutyFactory(**fields)


def _adult_under_wi2021(client):
    from koers.clients.constants import ApplicableLaw

    client.birth_year, client.applicable_law = 1990, ApplicableLaw.WI2021
    client.save(update_fields=["birth_year", "applicable_law"])


def _kinds(radar, household_id) -> set[str]:
    return {signal.kind for signal in radar.signals[household_id]}


def test_radar_rule_pip_ten_week_norm_at_risk_and_late():
    # Wet inburgering 2021: the PIP within 10 weeks of DUO's start signal.
    at_risk = _duty(start_signal_on=TODAY - timedelta(weeks=9)).client
    late = _duty(start_signal_on=TODAY - timedelta(weeks=11)).client
    on_time = _duty(start_signal_on=TODAY - timedelta(weeks=2)).client
    clients = [at_risk, late, on_time]
    radar = household_radar(clients, dict.fromkeys([c.pk for c in clients], EVERYTHING), TODAY)
    assert Kind.PIP_NORM in _kinds(radar, at_risk.household_id)
    assert Kind.PIP_NORM in _kinds(radar, late.household_id)
    assert Kind.PIP_NORM not in _kinds(radar, on_time.household_id)
    assert Section.INBURGERING in radar.sections


def test_radar_rule_inburgering_signals_need_the_inburgering_section():
    client = _duty(start_signal_on=TODAY - timedelta(weeks=11)).client
    klantmanager_like = ClientAccess(
        Section.all() & ~Section.INBURGERING, Section.none(), Basis.LEGAL_TASK
    )
    radar = household_radar([client], {client.pk: klantmanager_like}, TODAY)
    assert Kind.PIP_NORM not in _kinds(radar, client.household_id)
    assert Section.INBURGERING not in radar.sections


def test_radar_rule_household_member_turning_18_within_three_months():
    household = HouseholdFactory()
    parent = ClientFactory(household=household)
    HouseholdMember.objects.create(
        household=household,
        given_names="Noor",
        birth_year=TODAY.year - 18,
        birth_month=(TODAY.month % 12) + 1,
        birth_day=5,
        relation=Relation.CHILD,
    )
    HouseholdMember.objects.create(
        household=household, given_names="Sami", birth_year=TODAY.year - 10, relation=Relation.CHILD
    )
    radar = household_radar([parent], {parent.pk: EVERYTHING}, TODAY)
    turning = [s for s in radar.signals[household.pk] if s.kind == Kind.TURNING_18]
    assert [s.person for s in turning] == ["Noor"]
    without_household = ClientAccess(Section.BASIS, Section.none(), Basis.LEGAL_TASK)
    radar = household_radar([parent], {parent.pk: without_household}, TODAY)
    assert Kind.TURNING_18 not in _kinds(radar, household.pk)


def test_radar_rule_aow_age_within_six_months_is_67_and_67_and_3_months_from_2028():
    assert aow_date(1959, 5, 10) == date(2026, 5, 10)
    assert aow_date(1961, 1, 15) == date(2028, 4, 15)  # 67 in 2028: three months later
    soon = ClientFactory(birth_year=1960, birth_month=2, birth_day=1)  # 67 on 2027-02-01
    later = ClientFactory(birth_year=1961, birth_month=1, birth_day=1)
    radar = household_radar([soon, later], {soon.pk: EVERYTHING, later.pk: EVERYTHING}, TODAY)
    assert Kind.AOW_AGE in _kinds(radar, soon.household_id)
    assert Kind.AOW_AGE not in _kinds(radar, later.household_id)


def test_radar_reads_each_source_once_for_one_or_many_households(django_assert_num_queries):
    few = [InburgeringDutyFactory(start_signal_on=TODAY).client]
    many = [InburgeringDutyFactory(start_signal_on=TODAY).client for _ in range(6)]
    # plans (open actions, review due), checklist, inburgering (PIP dates, facts), household
    # members, the instruments' measurement dates.
    from koers.caseload import radar as module

    expected = 7
    for clients in (few, many):
        with django_assert_num_queries(expected):
            module.household_radar(
                clients, dict.fromkeys([c.pk for c in clients], EVERYTHING), TODAY
            )


def test_the_dossier_shows_the_radar_with_the_pip_norm(signed_in, regisseur, make_household):
    from django.urls import reverse

    household = make_household(regisseur=regisseur)
    client = household.members.get()
    _adult_under_wi2021(client)
    InburgeringDutyFactory(client=client, start_signal_on=date.today() - timedelta(weeks=11))
    response = signed_in(regisseur).get(reverse("clients:detail", args=[client.pk]))
    assert 'data-testid="radar-card"' in response.text
    assert "PIP-norm 10 weken" in response.text


def test_the_caseload_lists_radar_signals_with_the_person_they_concern(
    signed_in, regisseur, make_household
):
    from django.urls import reverse

    household = make_household(regisseur=regisseur, names=[("Amal", "Haddad")])
    client = household.members.get()
    _adult_under_wi2021(client)
    InburgeringDutyFactory(client=client, start_signal_on=date.today() - timedelta(weeks=11))
    response = signed_in(regisseur).get(reverse("caseload:home"))
    assert "PIP-norm 10 weken (Amal)" in response.text


def test_radar_rule_pip_norm_only_for_adults_under_the_wet_inburgering_2021():
    # Wet inburgering 2021: the duty (and the PIP's 10-week norm) is for newcomers of 18 and
    # older; a child and someone under the 2013 law get no PIP-norm signal.
    from koers.clients.constants import ApplicableLaw

    signal = TODAY - timedelta(weeks=11)
    adult = InburgeringDutyFactory(
        start_signal_on=signal, client__birth_year=1990, client__applicable_law=ApplicableLaw.WI2021
    ).client
    child = InburgeringDutyFactory(
        start_signal_on=signal, client__birth_year=2015, client__applicable_law=ApplicableLaw.WI2021
    ).client
    old_law = InburgeringDutyFactory(
        start_signal_on=signal, client__birth_year=1990, client__applicable_law=ApplicableLaw.WI2013
    ).client
    clients = [adult, child, old_law]
    radar = household_radar(clients, dict.fromkeys([c.pk for c in clients], EVERYTHING), TODAY)
    assert Kind.PIP_NORM in _kinds(radar, adult.household_id)
    assert Kind.PIP_NORM not in _kinds(radar, child.household_id)
    assert Kind.PIP_NORM not in _kinds(radar, old_law.household_id)


def test_radar_rule_600_hours_on_the_b1_route_until_afschalen_is_decided():
    """Wet inburgering 2021: at 600 counted hours on the B1 route the municipality may lower
    the level to A2 (afschalen); once an afschalen decision is adopted the signal is gone."""
    from koers.inburgering.tests.factories import CourseFactory, CourseMonthFactory
    from koers.pip.constants import DecisionReason
    from koers.pip.tests.factories import DecisionFactory

    duty = _duty()
    client = duty.client
    course = CourseFactory(client=client, starts_on=date(2025, 1, 6))
    for month in range(1, 13):
        CourseMonthFactory(course=course, month=date(2025, month, 1), hours_attended=50)
    DecisionFactory(client=client, final=True)
    radar = household_radar([client], {client.pk: EVERYTHING}, TODAY)
    assert Kind.HOURS_600 in _kinds(radar, client.household_id)

    DecisionFactory(
        client=client,
        final=True,
        reason=DecisionReason.AFSCHALEN,
        level="A2",
        dagtekening=date(2026, 1, 10),
    )
    radar = household_radar([client], {client.pk: EVERYTHING}, TODAY)
    assert Kind.HOURS_600 not in _kinds(radar, client.household_id)
