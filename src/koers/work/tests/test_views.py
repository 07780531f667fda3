from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.tests.factories import ClientFactory
from koers.work.models import Benefit, Job

from .factories import BenefitFactory, EnrolmentFactory, JobFactory, client_of, involved_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def klantmanager():
    return MembershipFactory(klantmanager=True)


def _job_post(**overrides):
    data = {
        "kind": "betaald",
        "employer": "Groenbedrijf Utrecht",
        "job_title": "Hovenier",
        "hours_per_week": "32",
        "contract": "tijdelijk",
        "wage_subsidy": "lks",
        "job_coach": "on",
        "start_on": "2025-09-01",
        "end_on": "",
        "end_reason": "",
    }
    data.update(overrides)
    return data


def test_the_overview_shows_benefits_work_and_education_and_is_audited(signed_in, klantmanager):
    client = client_of(klantmanager)
    BenefitFactory(client=client, top_up=True)
    JobFactory(client=client, with_subsidy=True, job_title="Lasser")
    EnrolmentFactory(client=client, school="ROC Utrecht")
    response = signed_in(klantmanager).get(reverse("work:client", args=[client.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lasser" in page and "ROC Utrecht" in page
    assert response.context["can_edit"]
    row = AuditEvent.objects.get(client_id=client.pk, action=Action.VIEW)
    assert row.sections == Section.BASIS | Section.WORK_INCOME
    assert row.detail == "work:client"


def test_a_client_outside_the_scope_gives_404_and_nothing_is_written(signed_in, klantmanager):
    elsewhere = ClientFactory()
    browser = signed_in(klantmanager)
    assert browser.get(reverse("work:client", args=[elsewhere.pk])).status_code == 404
    url = reverse("work:add", args=[elsewhere.pk, "werk"])
    assert browser.post(url, _job_post()).status_code == 404
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(client_id=elsewhere.pk).exists()


def test_a_begeleider_without_work_and_income_gets_404(signed_in, klantmanager):
    client = client_of(klantmanager)
    job = JobFactory(client=client)
    begeleider = involved_partner(client)
    browser = signed_in(begeleider)
    # The begeleider sees the client (the dossier opens) but not this section.
    assert browser.get(reverse("clients:detail", args=[client.pk])).status_code == 200
    assert browser.get(reverse("work:client", args=[client.pk])).status_code == 404
    assert browser.get(reverse("work:edit", args=[client.pk, "werk", job.pk])).status_code == 404


def test_a_volunteer_gets_404(signed_in, klantmanager):
    client = client_of(klantmanager)
    volunteer = involved_partner(client, volunteer=True)
    browser = signed_in(volunteer)
    assert browser.get(reverse("work:client", args=[client.pk])).status_code == 404
    assert browser.get(reverse("work:add", args=[client.pk, "uitkering"])).status_code == 404


def test_an_unknown_kind_gives_404(signed_in, klantmanager):
    client = client_of(klantmanager)
    url = reverse("work:add", args=[client.pk, "hobby"])
    assert signed_in(klantmanager).get(url).status_code == 404


def test_a_job_with_wage_subsidy_is_added_once_even_when_submitted_twice(signed_in, klantmanager):
    client = client_of(klantmanager)
    browser = signed_in(klantmanager)
    url = reverse("work:add", args=[client.pk, "werk"])
    form = browser.get(url).context["form"]
    data = _job_post(token=form["token"].initial)
    for _ in range(2):
        response = browser.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == reverse("work:client", args=[client.pk])
    job = Job.objects.get(client=client)
    assert (job.wage_subsidy, job.job_coach, job.hours_per_week) == ("lks", True, Decimal("32"))
    assert AuditEvent.objects.filter(client_id=client.pk, action=Action.CREATE).count() == 1


def test_a_broken_rule_shows_next_to_the_field_in_dutch(signed_in, klantmanager):
    client = client_of(klantmanager)
    url = reverse("work:add", args=[client.pk, "werk"])
    response = signed_in(klantmanager).post(
        url, _job_post(kind="vrijwilligerswerk", contract="", token="t1")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["wage_subsidy"]
    assert "Loonsubsidie hoort alleen bij betaald werk." in response.content.decode()
    assert not Job.objects.exists()


def test_editing_over_someone_elses_change_shows_the_conflict(signed_in, klantmanager):
    client = client_of(klantmanager)
    job = JobFactory(client=client, hours_per_week=Decimal("24"))
    browser = signed_in(klantmanager)
    url = reverse("work:edit", args=[client.pk, "werk", job.pk])
    loaded = browser.get(url).context["form"]["version"].initial
    Job.objects.filter(pk=job.pk).update(hours_per_week=Decimal("28"), version=2)
    data = _job_post(
        kind="betaald",
        employer=job.employer,
        job_title=job.job_title,
        hours_per_week="36",
        contract=job.contract,
        wage_subsidy="geen",
        job_coach="",
        start_on=job.start_on.isoformat(),
        version=loaded,
    )
    response = browser.post(url, data)
    assert response.status_code == 409
    rows = {row["label"]: row for row in response.context["rows"]}
    assert rows["Uren per week"]["tried"] == "36"
    assert rows["Uren per week"]["now"] == "28.0"
    job.refresh_from_db()
    assert job.hours_per_week == Decimal("28")


def test_ending_a_benefit_because_of_work(signed_in, klantmanager):
    client = client_of(klantmanager)
    benefit = BenefitFactory(client=client)
    browser = signed_in(klantmanager)
    url = reverse("work:end", args=[client.pk, "uitkering", benefit.pk])
    response = browser.get(url)
    assert response.status_code == 200
    response = browser.post(url, {"end_on": "", "end_reason": "", "version": "1"})
    assert set(response.context["form"].errors) == {"end_on", "end_reason"}
    response = browser.post(
        url, {"end_on": "2025-10-31", "end_reason": "werk_volledig", "version": "1"}
    )
    assert response.status_code == 302
    benefit.refresh_from_db()
    assert (benefit.end_on, benefit.end_reason) == (date(2025, 10, 31), "werk_volledig")
    assert AuditEvent.objects.filter(client_id=client.pk, action=Action.UPDATE).count() == 1


def test_an_enrolment_ends_with_a_result_not_ongoing(signed_in, klantmanager):
    client = client_of(klantmanager)
    enrolment = EnrolmentFactory(client=client)
    url = reverse("work:end", args=[client.pk, "opleiding", enrolment.pk])
    form = signed_in(klantmanager).get(url).context["form"]
    assert "lopend" not in dict(form.fields["result"].choices)


def test_the_overview_costs_the_same_queries_for_one_and_many_rows(signed_in, klantmanager):
    client = client_of(klantmanager)
    browser = signed_in(klantmanager)
    counts = []
    for rows in (1, 8):
        for _ in range(rows if not counts else rows - 1):
            BenefitFactory(
                client=client,
                kind="anders",
                start_on=date(2020, 1, 1 + Benefit.objects.count()),
                end_on=date(2020, 1, 1 + Benefit.objects.count()),
                end_reason="anders",
            )
            JobFactory(client=client)
            EnrolmentFactory(client=client)
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("work:client", args=[client.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Job.objects.filter(client=client).count() == 8
