from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.permissions import NO_ACCESS, ClientAccess
from koers.clients.services import VersionConflict
from koers.work.models import Benefit, EducationEnrolment, Job
from koers.work.services import work_entry_create, work_entry_end, work_entry_update

from .factories import BenefitFactory, EnrolmentFactory, JobFactory, client_of

pytestmark = pytest.mark.django_db

FULL = ClientAccess(Section.all(), Section.all(), "legal_task")


@pytest.fixture
def klantmanager():
    return MembershipFactory(klantmanager=True)


@pytest.fixture
def request_(klantmanager):
    request = RequestFactory().post("/")
    request.user = klantmanager.user
    request.membership = klantmanager
    return request


def _create(request_, client, model, **values):
    return work_entry_create(
        request_,
        client=client,
        access=FULL,
        model=model,
        values=values,
        recorded_by=request_.membership,
    )


def _job(**overrides):
    values = {
        "kind": "betaald",
        "employer": "Gemeente Utrecht",
        "job_title": "Medewerker groen",
        "hours_per_week": Decimal("32"),
        "contract": "tijdelijk",
        "wage_subsidy": "lks",
        "job_coach": True,
        "start_on": date(2025, 9, 1),
    }
    values.update(overrides)
    return values


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_job_with_wage_subsidy_is_recorded_and_audited(request_, klantmanager):
    client = client_of(klantmanager)
    job = _create(request_, client, Job, **_job())
    assert job.paid and job.wage_subsidy == "lks" and job.job_coach
    assert job.recorded_by == klantmanager
    row = AuditEvent.objects.get(client_id=client.pk)
    assert row.action == Action.CREATE
    assert row.sections == Section.WORK_INCOME
    assert row.detail == f"work:job:{job.pk}"


def test_without_work_and_income_write_nothing_is_written(request_, klantmanager):
    client = client_of(klantmanager)
    read_only = ClientAccess(Section.all(), Section.all() & ~Section.WORK_INCOME, "legal_task")
    for access in (NO_ACCESS, read_only):
        with pytest.raises(PermissionDenied):
            work_entry_create(
                request_,
                client=client,
                access=access,
                model=Job,
                values=_job(),
                recorded_by=klantmanager,
            )
    assert not Job.objects.exists()
    assert not AuditEvent.objects.exists()


def test_benefit_rule_end_not_before_start(request_, klantmanager):
    client = client_of(klantmanager)
    with pytest.raises(ValidationError) as excinfo:
        _create(
            request_,
            client,
            Benefit,
            kind="bijstand",
            start_on=date(2025, 3, 1),
            end_on=date(2025, 2, 28),
            end_reason="anders",
        )
    assert "end_on" in _errors(excinfo)
    assert not Benefit.objects.exists()


def test_benefit_rule_reason_ended_is_given_with_the_end_date(request_, klantmanager):
    client = client_of(klantmanager)
    with pytest.raises(ValidationError) as excinfo:
        _create(
            request_, client, Benefit, kind="ww", start_on=date(2025, 1, 1), end_on=date(2025, 6, 1)
        )
    assert "end_reason" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        _create(
            request_,
            client,
            Benefit,
            kind="ww",
            start_on=date(2025, 1, 1),
            end_reason="werk_volledig",
        )
    assert "end_on" in _errors(excinfo)


def test_benefit_rule_same_kind_periods_do_not_overlap(request_, klantmanager):
    client = client_of(klantmanager)
    BenefitFactory(client=client, kind="bijstand", start_on=date(2024, 9, 1))
    with pytest.raises(ValidationError) as excinfo:
        _create(request_, client, Benefit, kind="bijstand", start_on=date(2025, 1, 1))
    assert "start_on" in _errors(excinfo)
    # Another kind may run at the same time (bijstand tops up WW).
    _create(request_, client, Benefit, kind="ww", start_on=date(2025, 1, 1), top_up=False)
    # After the first ended, the same kind may start again.
    first = Benefit.objects.get(client=client, kind="bijstand")
    work_entry_end(
        request_,
        client=client,
        access=FULL,
        instance=first,
        values={"end_on": date(2025, 4, 30), "end_reason": "werk_deels"},
        version=first.version,
    )
    again = _create(
        request_, client, Benefit, kind="bijstand", top_up=True, start_on=date(2025, 5, 1)
    )
    assert again.top_up


def test_job_rule_paid_work_has_a_contract(request_, klantmanager):
    client = client_of(klantmanager)
    with pytest.raises(ValidationError) as excinfo:
        _create(request_, client, Job, **_job(contract="", wage_subsidy="geen"))
    assert "contract" in _errors(excinfo)


def test_job_rule_unpaid_work_has_no_contract(request_, klantmanager):
    client = client_of(klantmanager)
    with pytest.raises(ValidationError) as excinfo:
        _create(request_, client, Job, **_job(kind="vrijwilligerswerk", wage_subsidy="geen"))
    assert "contract" in _errors(excinfo)
    placement = _create(
        request_, client, Job, **_job(kind="stage", contract="proefplaatsing", wage_subsidy="geen")
    )
    assert not placement.paid


def test_job_rule_wage_subsidy_only_with_paid_work(request_, klantmanager):
    client = client_of(klantmanager)
    with pytest.raises(ValidationError) as excinfo:
        _create(request_, client, Job, **_job(kind="vrijwilligerswerk", contract=""))
    assert "wage_subsidy" in _errors(excinfo)


def test_job_rule_no_wage_subsidy_for_the_self_employed(request_, klantmanager):
    client = client_of(klantmanager)
    with pytest.raises(ValidationError) as excinfo:
        _create(
            request_, client, Job, **_job(contract="zelfstandig", wage_subsidy="loondispensatie")
        )
    assert "wage_subsidy" in _errors(excinfo)


def test_job_rule_hours_per_week_at_most_60(request_, klantmanager):
    client = client_of(klantmanager)
    with pytest.raises(ValidationError) as excinfo:
        _create(request_, client, Job, **_job(hours_per_week=Decimal("61")))
    assert "hours_per_week" in _errors(excinfo)


def test_enrolment_rule_an_ended_enrolment_has_a_result(request_, klantmanager):
    client = client_of(klantmanager)
    enrolment = EnrolmentFactory(client=client)
    with pytest.raises(ValidationError) as excinfo:
        work_entry_update(
            request_,
            client=client,
            access=FULL,
            instance=enrolment,
            changes={"end_on": date(2026, 7, 1)},
            version=enrolment.version,
        )
    assert "result" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        work_entry_update(
            request_,
            client=client,
            access=FULL,
            instance=enrolment,
            changes={"result": "diploma"},
            version=enrolment.version,
        )
    assert "end_on" in _errors(excinfo)
    ended = work_entry_end(
        request_,
        client=client,
        access=FULL,
        instance=enrolment,
        values={"end_on": date(2026, 7, 1), "result": "diploma"},
        version=enrolment.version,
    )
    assert (ended.result, ended.version) == ("diploma", 2)


def test_a_stale_version_is_refused_and_nothing_is_written(request_, klantmanager):
    client = client_of(klantmanager)
    job = JobFactory(client=client, hours_per_week=Decimal("24"))
    work_entry_update(
        request_,
        client=client,
        access=FULL,
        instance=job,
        changes={"hours_per_week": Decimal("28")},
        version=1,
    )
    with pytest.raises(VersionConflict) as excinfo:
        work_entry_update(
            request_,
            client=client,
            access=FULL,
            instance=job,
            changes={"hours_per_week": Decimal("32")},
            version=1,
        )
    assert excinfo.value.current.hours_per_week == Decimal("28")
    job.refresh_from_db()
    assert (job.hours_per_week, job.version) == (Decimal("28"), 2)
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1


def test_the_same_edit_submitted_twice_changes_nothing_the_second_time(request_, klantmanager):
    client = client_of(klantmanager)
    job = JobFactory(client=client)
    for _ in range(2):
        work_entry_end(
            request_,
            client=client,
            access=FULL,
            instance=job,
            values={"end_on": date(2025, 12, 31), "end_reason": "einde_contract"},
            version=1,
        )
    job.refresh_from_db()
    assert (job.end_reason, job.version) == ("einde_contract", 2)
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1


def test_ending_needs_an_end_date(request_, klantmanager):
    client = client_of(klantmanager)
    job = JobFactory(client=client)
    with pytest.raises(ValidationError):
        work_entry_end(
            request_,
            client=client,
            access=FULL,
            instance=job,
            values={"end_on": None, "end_reason": "ontslag"},
            version=1,
        )


def test_a_row_of_another_client_cannot_be_changed(request_, klantmanager):
    client = client_of(klantmanager)
    other = BenefitFactory()
    with pytest.raises(PermissionDenied):
        work_entry_update(
            request_,
            client=client,
            access=FULL,
            instance=other,
            changes={"top_up": True},
            version=1,
        )
    other.refresh_from_db()
    assert not other.top_up
    assert not EducationEnrolment.objects.exists()
