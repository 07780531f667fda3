"""The work rules as database constraints: a write that skips the service is refused too."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from koers.work.models import Benefit, EducationEnrolment, Job

from .factories import BenefitFactory, EnrolmentFactory, JobFactory

pytestmark = pytest.mark.django_db


def _refused(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_benefit_rule_end_not_before_start_in_the_database():
    benefit = BenefitFactory(start_on=date(2025, 1, 1))
    _refused(Benefit.objects.filter(pk=benefit.pk), end_on=date(2024, 12, 31), end_reason="anders")


def test_benefit_rule_end_date_and_reason_go_together_in_the_database():
    benefit = BenefitFactory()
    _refused(Benefit.objects.filter(pk=benefit.pk), end_on=date(2025, 6, 30))
    _refused(Benefit.objects.filter(pk=benefit.pk), end_reason="werk_volledig")


def test_job_rule_wage_subsidy_only_with_paid_employment_in_the_database():
    volunteer = JobFactory(volunteer=True)
    _refused(Job.objects.filter(pk=volunteer.pk), wage_subsidy="lks")
    self_employed = JobFactory(contract="zelfstandig")
    _refused(Job.objects.filter(pk=self_employed.pk), wage_subsidy="loondispensatie")


def test_job_rule_paid_work_has_a_contract_in_the_database():
    job = JobFactory()
    _refused(Job.objects.filter(pk=job.pk), contract="")


def test_job_rule_hours_per_week_between_0_and_60_in_the_database():
    job = JobFactory()
    _refused(Job.objects.filter(pk=job.pk), hours_per_week=61)


def test_enrolment_rule_ongoing_means_no_end_date_in_the_database():
    enrolment = EnrolmentFactory()
    _refused(EducationEnrolment.objects.filter(pk=enrolment.pk), end_on=date(2026, 7, 1))
    _refused(EducationEnrolment.objects.filter(pk=enrolment.pk), result="diploma")
