from datetime import date
from decimal import Decimal

import pytest

from koers.clients.constants import Section
from koers.clients.permissions import NO_ACCESS, ClientAccess
from koers.clients.tests.factories import ClientFactory
from koers.work.selectors import benefit_outflow, work_card, work_status

from .factories import BenefitFactory, EnrolmentFactory, JobFactory

pytestmark = pytest.mark.django_db

ON = date(2025, 10, 1)


def test_work_status_says_what_runs_on_the_date():
    client = ClientFactory()
    BenefitFactory(client=client, kind="bijstand", top_up=True, start_on=date(2025, 1, 1))
    BenefitFactory(  # ended the day before
        client=client,
        kind="ww",
        start_on=date(2024, 1, 1),
        end_on=date(2025, 9, 30),
        end_reason="anders",
    )
    JobFactory(client=client, hours_per_week=Decimal("20"), with_subsidy=True)
    JobFactory(client=client, volunteer=True, hours_per_week=Decimal("4"))
    JobFactory(client=client, start_on=date(2025, 11, 1))  # not started yet
    EnrolmentFactory(client=client, start_on=date(2025, 8, 25))
    status = work_status([client.pk], ON)[client.pk]
    assert [(b.kind, b.top_up) for b in status.benefits] == [("bijstand", True)]
    assert status.on_benefit and status.has_top_up
    assert status.paid_work and status.unpaid_work
    assert status.paid_hours == Decimal("20")
    assert [job.wage_subsidy for job in status.jobs if job.paid] == ["lks"]
    assert status.in_education and status.enrolments[0].level == "mbo2"


def test_an_end_date_is_the_last_day_the_period_runs():
    client = ClientFactory()
    BenefitFactory(client=client, end_on=ON, end_reason="verhuisd")
    assert work_status([client.pk], ON)[client.pk].on_benefit
    assert not work_status([client.pk], date(2025, 10, 2))[client.pk].on_benefit


def test_work_status_answers_for_every_client_asked_even_without_rows():
    client = ClientFactory()
    status = work_status([client.pk], ON)[client.pk]
    assert status.is_empty and not status.on_benefit and status.paid_hours == 0
    assert work_status([], ON) == {}


@pytest.mark.parametrize("clients", [1, 12])
def test_work_status_takes_one_query_per_kind(clients, django_assert_num_queries):
    ids = []
    for _ in range(clients):
        client = ClientFactory()
        BenefitFactory(client=client)
        JobFactory(client=client)
        EnrolmentFactory(client=client)
        ids.append(client.pk)
    with django_assert_num_queries(3):
        result = work_status(ids, ON)
    assert all(result[pk].on_benefit and result[pk].paid_work for pk in ids)


def test_the_dossier_card_needs_the_work_and_income_section(django_assert_num_queries):
    client = ClientFactory()
    BenefitFactory(client=client)
    assert work_card(NO_ACCESS, client, ON) == {"work_visible": False}
    without = ClientAccess(Section.all() & ~Section.WORK_INCOME, Section.none(), "legal_task")
    assert work_card(without, client, ON) == {"work_visible": False}
    full = ClientAccess(Section.all(), Section.all(), "legal_task")
    with django_assert_num_queries(3):
        card = work_card(full, client, ON)
    assert card["work_visible"] and card["work_status"].on_benefit
    assert card["work_client_pk"] == client.pk


def test_benefit_outflow_counts_ended_benefits_per_reason(django_assert_num_queries):
    clients = [ClientFactory() for _ in range(4)]
    BenefitFactory(client=clients[0], end_on=date(2025, 3, 1), end_reason="werk_volledig")
    BenefitFactory(client=clients[1], end_on=date(2025, 4, 1), end_reason="werk_deels")
    BenefitFactory(client=clients[2], end_on=date(2025, 5, 1), end_reason="verhuisd")
    BenefitFactory(
        client=clients[3],
        start_on=date(2024, 1, 1),
        end_on=date(2024, 5, 1),
        end_reason="werk_volledig",
    )
    BenefitFactory(client=clients[3], kind="ww", start_on=date(2025, 1, 1))  # still running
    with django_assert_num_queries(1):
        outflow = benefit_outflow([c.pk for c in clients], date(2025, 1, 1), date(2025, 12, 31))
    assert outflow["werk_volledig"] == 1
    assert outflow["werk_deels"] == 1
    assert outflow["verhuisd"] == 1
    assert outflow["opleiding"] == 0
    assert outflow["to_work"] == 2


def test_the_dossier_card_template_shows_what_runs():
    from django.template.loader import render_to_string
    from django.utils import translation

    client = ClientFactory()
    BenefitFactory(client=client, top_up=True, start_on=date(2025, 1, 1))
    JobFactory(client=client, hours_per_week=Decimal("24"))
    full = ClientAccess(Section.all(), Section.all(), "legal_task")
    with translation.override("nl"):
        html = render_to_string("work/_dossier_card.html", work_card(full, client, ON))
        hidden = render_to_string("work/_dossier_card.html", work_card(NO_ACCESS, client, ON))
    assert "Bijstand (Participatiewet) (aanvulling)" in html
    assert "Betaald werk, 24 uur per week" in html
    assert "Geen lopende" in html  # no education
    assert f"/werk/{client.pk}/" in html
    assert hidden.strip() == ""
