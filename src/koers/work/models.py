"""Work, income and education of a client: the WORK_INCOME section.

Periods (start, end) with typed, indexed columns, because the dashboards count outflow from
benefit (a benefit that ended because of work, full or partial with a top-up) and participation
(paid work, volunteer work, internships, education) on them. An end date is the last day of the
period; a period runs on a date when it started on or before it and has not ended before it.

Every row carries a `version`: an edit saves only over the version it was loaded with
(services._save_versioned)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.clients.models import Client

from .constants import (
    MAX_HOURS_PER_WEEK,
    BenefitEndReason,
    BenefitKind,
    Contract,
    EnrolmentLevel,
    EnrolmentResult,
    JobEndReason,
    JobKind,
    WageSubsidy,
)


class PeriodQuerySet(models.QuerySet):
    def running(self, on):
        """Periods that run on `on`: started on or before it, not ended before it."""
        return self.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gte=on))


class Period(models.Model):
    """What benefits, jobs and enrolments share. Subclasses add `client` (each with its own
    related name) and, where a period ends for a reason, `end_reason`."""

    # The field that says why the period ended ("" when the subclass has none).
    END_REASON_FIELD = "end_reason"

    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end date cannot be before the start date.")
        reason_field = self.END_REASON_FIELD
        if reason_field:
            reason = getattr(self, reason_field)
            if self.end_on and not reason:
                errors[reason_field] = _("Give the reason it ended.")
            if reason and not self.end_on:
                errors["end_on"] = _("Give the end date with the reason it ended.")
        if errors:
            raise ValidationError(errors)

    def is_running(self, on) -> bool:
        return self.start_on <= on and (self.end_on is None or self.end_on >= on)


def _period_constraints(prefix: str, *, with_reason: bool = True) -> list:
    constraints = [
        models.CheckConstraint(
            condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
            name=f"{prefix}_end_not_before_start",
            violation_error_message=_("The end date cannot be before the start date."),
        )
    ]
    if with_reason:
        constraints.append(
            # An ended period says why; a running one has no reason yet.
            models.CheckConstraint(
                condition=Q(end_on__isnull=True, end_reason="")
                | (Q(end_on__isnull=False) & ~Q(end_reason="")),
                name=f"{prefix}_reason_with_end",
                violation_error_message=_("An end date and the reason it ended go together."),
            )
        )
    return constraints


class Benefit(Period):
    """A benefit (uitkering) the client receives."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("client")
    )
    kind = models.CharField(_("kind of benefit"), max_length=10, choices=BenefitKind.choices)
    top_up = models.BooleanField(
        _("top-up (aanvulling)"),
        default=False,
        help_text=_("The benefit tops up an income from work."),
    )
    end_reason = models.CharField(
        _("reason ended"), max_length=15, choices=BenefitEndReason.choices, blank=True
    )

    class Meta:
        ordering = ["client", "-start_on", "-id"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        indexes = [
            models.Index(fields=["client", "start_on"], name="work_benefit_client_start"),
            # Outflow from benefit: ended benefits by reason and end date.
            models.Index(
                fields=["end_reason", "end_on"],
                condition=Q(end_on__isnull=False),
                name="work_benefit_outflow",
            ),
            models.Index(fields=["kind", "end_on"], name="work_benefit_kind_end"),
        ]
        constraints = _period_constraints("work_benefit")

    def __str__(self) -> str:
        return self.get_kind_display()


class Job(Period):
    """Work: paid, volunteer work or an internship."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("client")
    )
    kind = models.CharField(_("kind of work"), max_length=20, choices=JobKind.choices)
    employer = models.CharField(_("employer or organisation"), max_length=150)
    job_title = models.CharField(_("function"), max_length=150)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    contract = models.CharField(
        _("contract"),
        max_length=15,
        choices=Contract.choices,
        blank=True,
        help_text=_("Required for paid work."),
    )
    wage_subsidy = models.CharField(
        _("wage subsidy"), max_length=20, choices=WageSubsidy.choices, default=WageSubsidy.NONE
    )
    job_coach = models.BooleanField(_("job coach"), default=False)
    end_reason = models.CharField(
        _("reason ended"), max_length=15, choices=JobEndReason.choices, blank=True
    )

    class Meta:
        ordering = ["client", "-start_on", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            models.Index(fields=["client", "start_on"], name="work_job_client_start"),
            models.Index(fields=["kind", "end_on"], name="work_job_kind_end"),
            models.Index(
                fields=["wage_subsidy"],
                condition=~Q(wage_subsidy="geen"),
                name="work_job_with_subsidy",
            ),
        ]
        constraints = [
            *_period_constraints("work_job"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=MAX_HOURS_PER_WEEK),
                name="work_job_hours_in_range",
            ),
            # Wage subsidy and wage dispensation lower an employer's wage costs: only for paid
            # work with an employer (not for the self-employed, not for unpaid work).
            models.CheckConstraint(
                condition=Q(wage_subsidy="geen") | (Q(kind="betaald") & ~Q(contract="zelfstandig")),
                name="work_job_subsidy_only_paid_employment",
                violation_error_message=_(
                    "A wage subsidy only goes with paid work for an employer."
                ),
            ),
            # Paid work has a contract; unpaid work has none.
            models.CheckConstraint(
                condition=(Q(kind="betaald") & ~Q(contract=""))
                | (~Q(kind="betaald") & Q(contract__in=["", "proefplaatsing"])),
                name="work_job_contract_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} – {self.employer}"

    @property
    def paid(self) -> bool:
        return self.kind == JobKind.PAID

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.kind == JobKind.PAID and not self.contract:
            errors.setdefault("contract", []).append(_("Choose the contract of the paid work."))
        if (
            self.kind != JobKind.PAID
            and self.contract
            and self.contract != Contract.TRIAL_PLACEMENT
        ):
            errors.setdefault("contract", []).append(
                _("Unpaid work has no contract (a trial placement excepted).")
            )
        if self.wage_subsidy and self.wage_subsidy != WageSubsidy.NONE:
            if self.kind != JobKind.PAID:
                errors.setdefault("wage_subsidy", []).append(
                    _("A wage subsidy only goes with paid work.")
                )
            elif self.contract == Contract.SELF_EMPLOYED:
                errors.setdefault("wage_subsidy", []).append(
                    _("A self-employed person has no employer to receive a wage subsidy.")
                )
        if errors:
            raise ValidationError(errors)


class EducationEnrolment(Period):
    """An enrolment in education in the Netherlands (the profile holds education abroad)."""

    END_REASON_FIELD = ""

    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="education_enrolments",
        verbose_name=_("client"),
    )
    school = models.CharField(_("school"), max_length=150)
    level = models.CharField(_("level"), max_length=15, choices=EnrolmentLevel.choices)
    programme = models.CharField(_("programme"), max_length=150, blank=True)
    result = models.CharField(
        _("result"),
        max_length=15,
        choices=EnrolmentResult.choices,
        default=EnrolmentResult.ONGOING,
    )

    class Meta:
        ordering = ["client", "-start_on", "-id"]
        verbose_name = _("education enrolment")
        verbose_name_plural = _("education enrolments")
        indexes = [
            models.Index(fields=["client", "start_on"], name="work_enrolment_client_start"),
            models.Index(fields=["level", "result"], name="work_enrolment_level_result"),
        ]
        constraints = [
            *_period_constraints("work_enrolment", with_reason=False),
            # "Ongoing" is the result of an enrolment without an end; an ended one has a result.
            models.CheckConstraint(
                condition=Q(end_on__isnull=True, result="lopend")
                | (Q(end_on__isnull=False) & ~Q(result="lopend")),
                name="work_enrolment_result_with_end",
                violation_error_message=_("An ended enrolment has a result other than ongoing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} – {self.school}"

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.end_on and self.result == EnrolmentResult.ONGOING:
            errors.setdefault("result", []).append(
                _("Give the result of the ended enrolment: diploma, certificate or stopped.")
            )
        if not self.end_on and self.result and self.result != EnrolmentResult.ONGOING:
            errors.setdefault("end_on", []).append(_("Give the end date with the result."))
        if errors:
            raise ValidationError(errors)
