"""The inburgering trajectory of one client: the INBURGERING section of the dossier.

What DUO decides (the duty, the term and its extensions, vrijstelling, ontheffing, exam results)
is recorded as DUO decided it; what the municipality runs (the course it bought, the hours
attended, progress meetings, PVT, MAP, ontzorgen, enforcement) is recorded here first. Rules of
one row are database constraints as well as service checks; rules across rows live in services.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .constants import (
    MAP_MIN_PRACTICAL_HOURS,
    MAP_THEME_FIELDS,
    MAX_HOURS_PER_MONTH,
    PVT_MIN_HOURS,
    AbsenceReason,
    DutyStatus,
    EnforcementKind,
    ExamLevel,
    ExamPart,
    ExamResultKind,
    ExemptionKind,
    ExemptionReason,
    ExtensionReason,
    LearningRoute,
    LiteracyIndicator,
    NoResultReason,
    Outcome,
    ReleaseGround,
    ReleaseKind,
)

_HOURS = [MaxValueValidator(MAX_HOURS_PER_MONTH)]


class InburgeringDuty(models.Model):
    """A client's inburgering duty: one per client, the INBURGERING section.

    The dates DUO decides (term start and end) are DUO's; Koers records them as received or
    entered from DUO's letters. `start_signal_on` starts the 10-week clock to the PIP (DUO
    event SS101/SS139); without it the housing date counts.
    """

    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_duty",
        verbose_name=_("client"),
    )
    status = models.CharField(
        _("duty status"), max_length=25, choices=DutyStatus.choices, default=DutyStatus.UNKNOWN
    )
    duty_start_on = models.DateField(_("duty starts on"), null=True, blank=True)
    start_signal_on = models.DateField(
        _("start signal received on"),
        null=True,
        blank=True,
        help_text=_("DUO's signal that the 10-week period for the learning route started."),
    )
    municipality_registered_on = models.DateField(
        _("registered in the municipality on"), null=True, blank=True
    )
    term_starts_on = models.DateField(
        _("term starts on (DUO)"),
        null=True,
        blank=True,
        help_text=_("The start of the inburgering term as DUO recorded it."),
    )
    term_ends_on = models.DateField(
        _("term ends on (DUO)"),
        null=True,
        blank=True,
        help_text=_(
            "The end of the term as DUO decided it. Until it is recorded, Koers shows a "
            "provisional end three years after the term start."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("inburgering duty")
        verbose_name_plural = _("inburgering duties")
        indexes = [
            models.Index(fields=["status", "start_signal_on"], name="duty_status_signal"),
            models.Index(fields=["term_ends_on"], name="duty_term_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(term_starts_on__isnull=True)
                | Q(term_ends_on__gt=F("term_starts_on")),
                name="inburgering_term_ends_after_start",
                violation_error_message=_("The term must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.status}"


class TermExtension(models.Model):
    """An extension of the term as DUO decided it. The duty's term end moves to `new_end_on`;
    `previous_end_on` keeps the end it replaced, so the history reads back."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_extensions",
        verbose_name=_("client"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ExtensionReason.choices)
    decided_on = models.DateField(_("decided by DUO on"))
    new_end_on = models.DateField(_("new end of the term"))
    previous_end_on = models.DateField(_("previous end of the term"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "decided_on", "id"]
        verbose_name = _("term extension")
        verbose_name_plural = _("term extensions")
        indexes = [models.Index(fields=["client", "decided_on"], name="inb_extension_client")]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_end_on__isnull=True) | Q(new_end_on__gt=F("previous_end_on")),
                name="inburgering_extension_moves_end_later",
                violation_error_message=_("An extension must move the end of the term later."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.new_end_on}"


class Exemption(models.Model):
    """A vrijstelling as DUO decided it (Vrijstelling API: geheel or tijdelijk)."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_exemptions",
        verbose_name=_("client"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ExemptionKind.choices)
    outcome = models.CharField(
        _("DUO's decision"), max_length=10, choices=Outcome.choices, default=Outcome.GRANTED
    )
    decided_on = models.DateField(_("decided on"))
    reason = models.CharField(_("reason"), max_length=3, choices=ExemptionReason.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "decided_on", "id"]
        verbose_name = _("exemption (vrijstelling)")
        verbose_name_plural = _("exemptions (vrijstellingen)")
        indexes = [models.Index(fields=["client", "decided_on"], name="inb_exemption_client")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ExemptionKind.TEMPORARY)
                | (Q(starts_on__isnull=True) & Q(ends_on__isnull=True)),
                name="inburgering_exemption_period_only_temporary",
                violation_error_message=_("Only a temporary exemption has a period."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="inburgering_exemption_period_order",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_on})"


class Release(models.Model):
    """An ontheffing as DUO decided it (Ontheffing API: geheel or gedeeltelijk)."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_releases",
        verbose_name=_("client"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=ReleaseKind.choices)
    outcome = models.CharField(
        _("DUO's decision"), max_length=10, choices=Outcome.choices, default=Outcome.GRANTED
    )
    decided_on = models.DateField(_("decided on"))
    ground = models.CharField(_("ground"), max_length=3, choices=ReleaseGround.choices)
    exam_part = models.CharField(_("exam part"), max_length=3, choices=ExamPart.choices, blank=True)
    participation_hours_capacity = models.PositiveSmallIntegerField(
        _("participation hours the client can manage (Z-route)"),
        null=True,
        blank=True,
        help_text=_("DUO's maximum hours of participation activities within five years; 0 = none."),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "decided_on", "id"]
        verbose_name = _("release (ontheffing)")
        verbose_name_plural = _("releases (ontheffingen)")
        indexes = [models.Index(fields=["client", "decided_on"], name="inb_release_client")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ReleaseKind.PARTIAL) | Q(exam_part=""),
                name="inburgering_release_part_only_partial",
                violation_error_message=_("Only a partial release names an exam part."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_on})"


class Course(models.Model):
    """The inburgeringsaanbod: the course the municipality bought for the client at a provider.
    One client can have several (a route switch, a move)."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_courses",
        verbose_name=_("client"),
    )
    provider_name = models.CharField(_("provider"), max_length=128)
    provider_number = models.CharField(
        _("DUO institution number"),
        max_length=10,
        blank=True,
        help_text=_("DUO's instellingsnummer of the provider, ten characters."),
    )
    provider_bow = models.BooleanField(
        _("provider holds the Blik op Werk quality mark"),
        default=False,
        help_text=_("Only hours at a provider with the BoW quality mark count towards afschalen."),
    )
    course_type = models.CharField(_("course type"), max_length=1, choices=LearningRoute.choices)
    literacy = models.CharField(
        _("literacy education"),
        max_length=3,
        choices=LiteracyIndicator.choices,
        default=LiteracyIndicator.NOT_APPLICABLE,
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    hours_bought = models.PositiveSmallIntegerField(
        _("hours bought"), null=True, blank=True, validators=[MaxValueValidator(9999)]
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "starts_on", "id"]
        verbose_name = _("course (inburgeringsaanbod)")
        verbose_name_plural = _("courses (inburgeringsaanbod)")
        indexes = [models.Index(fields=["client", "starts_on"], name="inb_course_client_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="inburgering_course_ends_after_start",
                violation_error_message=_("The course cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_name} ({self.get_course_type_display()})"


class CourseMonth(models.Model):
    """The hours of one course in one month, as the provider reports them: one row per course
    per month. `month` is the first day of the month."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="months", verbose_name=_("course")
    )
    month = models.DateField(_("month"))
    hours_attended = models.PositiveSmallIntegerField(
        _("class hours attended"), default=0, validators=_HOURS
    )
    hours_remote = models.PositiveSmallIntegerField(
        _("of which remote"),
        default=0,
        validators=_HOURS,
        help_text=_("Remote hours count towards afschalen for at most half of the hours."),
    )
    hours_participation = models.PositiveSmallIntegerField(
        _("participation hours (Z-route)"), default=0, validators=_HOURS
    )
    hours_absent = models.PositiveSmallIntegerField(_("hours absent"), default=0, validators=_HOURS)
    absence_reason = models.CharField(
        _("reason for absence"), max_length=15, choices=AbsenceReason.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["course", "month"]
        verbose_name = _("course hours of a month")
        verbose_name_plural = _("course hours per month")
        indexes = [models.Index(fields=["month"], name="inb_month_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "month"], name="inburgering_one_row_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="inburgering_month_is_first_day",
                violation_error_message=_("A month is stored as its first day."),
            ),
            models.CheckConstraint(
                condition=Q(hours_remote__lte=F("hours_attended")),
                name="inburgering_remote_within_attended",
                violation_error_message=_("Remote hours are part of the hours attended."),
            ),
            models.CheckConstraint(
                condition=Q(hours_absent=0) | ~Q(absence_reason=""),
                name="inburgering_absence_has_reason",
                violation_error_message=_("Give the reason for the absence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.month:%Y-%m}"


class ProgressMeeting(models.Model):
    """A progress meeting (voortgangsgesprek) about the trajectory."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_meetings",
        verbose_name=_("client"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("course"),
    )
    held_on = models.DateField(_("date"))
    summary = models.TextField(
        _("summary"),
        max_length=2000,
        help_text=_("Agreements and progress. No health details or other special data here."),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "-held_on", "-id"]
        verbose_name = _("progress meeting")
        verbose_name_plural = _("progress meetings")
        indexes = [models.Index(fields=["client", "-held_on"], name="inb_meeting_client")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.held_on}"


class ParticipationStatement(models.Model):
    """The PVT (participatieverklaringstraject): at least 12 hours, signing included. DUO gets
    the signing date, and "verwijtbaar" when it was signed after the term ended."""

    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_pvt",
        verbose_name=_("client"),
    )
    provider = models.CharField(_("given by"), max_length=128, blank=True)
    hours = models.PositiveSmallIntegerField(
        _("hours"), default=0, validators=[MaxValueValidator(999)]
    )
    activities = models.TextField(
        _("activities"),
        max_length=2000,
        blank=True,
        help_text=_("The workshops and at least one activity or excursion."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    blameworthy = models.BooleanField(
        _("blameworthy (verwijtbaar)"),
        null=True,
        blank=True,
        help_text=_("Only when signed after the end of the term."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("participation statement (PVT)")
        verbose_name_plural = _("participation statements (PVT)")
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(hours__gte=PVT_MIN_HOURS),
                name="inburgering_pvt_signed_after_12_hours",
                violation_error_message=_("The PVT takes at least 12 hours, signing included."),
            ),
            models.CheckConstraint(
                condition=Q(blameworthy__isnull=True) | Q(signed_on__isnull=False),
                name="inburgering_pvt_blameworthy_needs_signing",
                violation_error_message=_("Blameworthy applies only to a signed PVT."),
            ),
        ]

    def __str__(self) -> str:
        return f"PVT {self.client_id}"


class LabourMarketModule(models.Model):
    """The MAP (module arbeidsmarkt en participatie): B1 and Z routes only. At least 40 hours
    practical part and the eight themes, closed by a final meeting whose date goes to DUO."""

    client = models.OneToOneField(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_map",
        verbose_name=_("client"),
    )
    placement = models.CharField(
        _("where the practical part takes place"), max_length=150, blank=True
    )
    practical_hours = models.PositiveSmallIntegerField(
        _("hours practical part"), default=0, validators=[MaxValueValidator(9999)]
    )
    theme_career_orientation = models.BooleanField(_("Career orientation"), default=False)
    theme_work_competences = models.BooleanField(_("Work competences"), default=False)
    theme_realistic_job_picture = models.BooleanField(
        _("A realistic picture of the job"), default=False
    )
    theme_job_prospects = models.BooleanField(_("Job prospects"), default=False)
    theme_vocational_skills = models.BooleanField(_("Gaining vocational skills"), default=False)
    theme_networking = models.BooleanField(_("Networking"), default=False)
    theme_finding_work = models.BooleanField(_("Finding work"), default=False)
    theme_work_culture = models.BooleanField(_("Work culture in the Netherlands"), default=False)
    final_meeting_on = models.DateField(_("final meeting on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("labour market module (MAP)")
        verbose_name_plural = _("labour market modules (MAP)")
        constraints = [
            models.CheckConstraint(
                condition=Q(final_meeting_on__isnull=True)
                | Q(
                    practical_hours__gte=MAP_MIN_PRACTICAL_HOURS,
                    **dict.fromkeys(MAP_THEME_FIELDS, True),
                ),
                name="inburgering_map_final_meeting_when_complete",
                violation_error_message=_(
                    "The final meeting closes the MAP: first 40 hours practical part and all "
                    "eight themes."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"MAP {self.client_id}"

    @property
    def themes_done(self) -> int:
        return sum(bool(getattr(self, name)) for name in MAP_THEME_FIELDS)


class ExamResult(models.Model):
    """One exam part's result as DUO reports it (Examen API). A passed language part becomes a
    language level in the profile (source: exam)."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_exams",
        verbose_name=_("client"),
    )
    part = models.CharField(_("exam part"), max_length=3, choices=ExamPart.choices)
    level = models.CharField(_("level"), max_length=2, choices=ExamLevel.choices, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=ExamResultKind.choices)
    no_result_reason = models.CharField(
        _("reason for no result"), max_length=20, choices=NoResultReason.choices, blank=True
    )
    exam_on = models.DateField(_("exam date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "-exam_on", "part", "-id"]
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        indexes = [models.Index(fields=["client", "-exam_on"], name="inb_exam_client")]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "part", "exam_on"], name="inburgering_one_result_per_part_day"
            ),
            models.CheckConstraint(
                condition=(Q(part=ExamPart.KNM) & Q(level=""))
                | (~Q(part=ExamPart.KNM) & ~Q(level="")),
                name="inburgering_exam_level_for_language_parts",
                violation_error_message=_("A language part has a level; the KNM exam has none."),
            ),
            models.CheckConstraint(
                condition=(Q(result=ExamResultKind.NONE) & ~Q(no_result_reason=""))
                | (~Q(result=ExamResultKind.NONE) & Q(no_result_reason="")),
                name="inburgering_exam_reason_only_without_result",
                violation_error_message=_("A reason is given only when there is no result."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part} {self.level} {self.result} ({self.exam_on})"


class Ontzorgen(models.Model):
    """A period in which the municipality pays fixed costs out of the benefit (ontzorgen)."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_ontzorgen",
        verbose_name=_("client"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    pays_rent = models.BooleanField(_("rent"), default=False)
    pays_energy_water = models.BooleanField(_("energy and water"), default=False)
    pays_health_insurance = models.BooleanField(_("health insurance"), default=False)
    pays_other = models.BooleanField(_("other"), default=False)
    other_description = models.CharField(_("other, namely"), max_length=150, blank=True)
    financial_training = models.BooleanField(
        _("training in financial self-reliance"), default=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["client", "-starts_on", "-id"]
        verbose_name = _("ontzorgen period")
        verbose_name_plural = _("ontzorgen periods")
        indexes = [models.Index(fields=["client", "starts_on"], name="inb_ontzorgen_client")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="inburgering_ontzorgen_period_order",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(pays_other=False) | ~Q(other_description=""),
                name="inburgering_ontzorgen_other_named",
                violation_error_message=_("Say what else is paid."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.starts_on}"

    @property
    def paid_items(self) -> list[str]:
        items = [
            (self.pays_rent, _("rent")),
            (self.pays_energy_water, _("energy and water")),
            (self.pays_health_insurance, _("health insurance")),
            (self.pays_other, self.other_description),
        ]
        return [str(label) for paid, label in items if paid]


class EnforcementStep(models.Model):
    """Enforcement of the duty to cooperate: a warning first, then the municipal fine."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="inburgering_enforcement",
        verbose_name=_("client"),
    )
    kind = models.CharField(_("step"), max_length=15, choices=EnforcementKind.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("what the client did not cooperate with"), max_length=200)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    decision_reference = models.CharField(_("decision (reference)"), max_length=100, blank=True)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "on", "id"]
        verbose_name = _("enforcement step")
        verbose_name_plural = _("enforcement steps")
        indexes = [models.Index(fields=["client", "on"], name="inb_enforcement_client")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EnforcementKind.WARNING) & Q(amount__isnull=True))
                | (Q(kind=EnforcementKind.FINE) & Q(amount__isnull=False) & Q(amount__gt=0)),
                name="inburgering_fine_has_amount_warning_none",
                violation_error_message=_("A fine has an amount; a warning has none."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.on})"
