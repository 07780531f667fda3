"""The brede intake, the leerbaarheidstoets (LBT) and the PIP decision (beschikking).

Sections: everything here is the INBURGERING section, except the health answers of the intake
(`IntakeHealthAnswer`), which are the HEALTH section and live in their own table so that no
query for the intake's other answers ever reads them.

Single-row rules are CheckConstraints (named after the rule); rules that need other rows (an
earlier PIP, the duty's dates, the client's target group) are enforced in services.py.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.inburgering.constants import LearningRoute, LiteracyIndicator, PipLevel
from koers.profiles.constants import CefrLevel

from .constants import (
    FINAL_STATUSES,
    HEALTH_TOPICS,
    INBURGERING_TOPICS,
    INTENSITY_MAX,
    INTENSITY_MIN,
    AppealKind,
    AppealOutcome,
    DecisionReason,
    DecisionStatus,
    EducationTargetLevel,
    IntakeStatus,
    IntakeTopic,
    LbtExemption,
    LbtOutcome,
)

# Route and level combinations DUO refuses: no A2 in the onderwijsroute, no B1 in the Z-route.
_LEVEL_FITS_ROUTE = ~Q(learning_route=LearningRoute.EDUCATION, level=PipLevel.A2) & ~Q(
    learning_route=LearningRoute.Z, level=PipLevel.B1
)
_PROPOSAL_FITS_ROUTE = ~Q(proposed_route=LearningRoute.EDUCATION, proposed_level=PipLevel.A2) & ~Q(
    proposed_route=LearningRoute.Z, proposed_level=PipLevel.B1
)


class Intake(models.Model):
    """A brede intake of one client: answers per Divosa topic and a proposed learning route
    that pre-fills the PIP. A completed intake is not changed; a new one may be started."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="intakes", verbose_name=_("client")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.CONCEPT
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    conducted_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("conducted by"),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    dutch_level_estimate = models.CharField(
        _("estimated Dutch level"), max_length=3, choices=CefrLevel.choices, blank=True
    )
    proposed_route = models.CharField(
        _("proposed learning route"), max_length=1, choices=LearningRoute.choices, blank=True
    )
    proposed_level = models.CharField(
        _("proposed level"), max_length=2, choices=PipLevel.choices, blank=True
    )
    proposed_literacy = models.CharField(
        _("proposed literacy indicator"),
        max_length=3,
        choices=LiteracyIndicator.choices,
        blank=True,
    )
    conclusion = models.TextField(_("conclusion and motivation"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The token of the form that started it: a double submit starts one intake.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("brede intake")
        verbose_name_plural = _("brede intakes")
        indexes = [models.Index(fields=["client", "status"], name="pip_intake_client_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status=IntakeStatus.CONCEPT),
                name="pip_intake_one_draft_per_client",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=IntakeStatus.CONCEPT)
                    & Q(completed_on__isnull=True)
                    & Q(completed_by__isnull=True)
                )
                | (
                    Q(status=IntakeStatus.COMPLETED)
                    & Q(completed_on__isnull=False)
                    & Q(completed_by__isnull=False)
                    & ~Q(proposed_route="")
                ),
                name="pip_intake_completed_with_date_by_and_route",
            ),
            models.CheckConstraint(
                condition=_PROPOSAL_FITS_ROUTE, name="pip_intake_proposed_level_fits_route"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="pip_intake_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"intake {self.pk} of client {self.client_id}"

    @property
    def is_concept(self) -> bool:
        return self.status == IntakeStatus.CONCEPT


class _Answer(models.Model):
    topic = models.CharField(_("topic"), max_length=30, choices=IntakeTopic.choices)
    answer = models.TextField(_("answer"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.intake_id}:{self.topic}"


class IntakeAnswer(_Answer):
    """The answer on one INBURGERING topic of an intake."""

    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="answers", verbose_name=_("intake")
    )

    class Meta:
        verbose_name = _("intake answer")
        verbose_name_plural = _("intake answers")
        constraints = [
            models.UniqueConstraint(fields=["intake", "topic"], name="pip_answer_one_per_topic"),
            models.CheckConstraint(
                condition=Q(topic__in=[str(t) for t in INBURGERING_TOPICS]),
                name="pip_answer_topic_is_inburgering",
            ),
        ]


class IntakeHealthAnswer(_Answer):
    """The answer on a health topic of an intake: the HEALTH section (AVG art. 9)."""

    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="health_answers", verbose_name=_("intake")
    )

    class Meta:
        verbose_name = _("intake health answer")
        verbose_name_plural = _("intake health answers")
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "topic"], name="pip_health_answer_one_per_topic"
            ),
            models.CheckConstraint(
                condition=Q(topic__in=[str(t) for t in HEALTH_TOPICS]),
                name="pip_health_answer_topic_is_health",
            ),
        ]


class LearnabilityTest(models.Model):
    """A leerbaarheidstoets: the registration, then the result as DUO sends it (all four
    fields together), or an exemption for a visual or auditory impairment."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="learnability_tests",
        verbose_name=_("client"),
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    supervisor_name = models.CharField(
        _("test supervisor (toetsbegeleider)"), max_length=150, blank=True
    )
    exam_number = models.CharField(_("DUO exam number"), max_length=12, blank=True)
    outcome = models.CharField(_("result"), max_length=15, choices=LbtOutcome.choices, blank=True)
    score = models.DecimalField(
        _("achieved score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cut_off = models.DecimalField(
        _("cut-off score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    taken_on = models.DateField(_("test date"), null=True, blank=True)
    exemption = models.CharField(
        _("exemption"), max_length=10, choices=LbtExemption.choices, blank=True
    )
    exempted_on = models.DateField(_("exempted on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("learnability test")
        verbose_name_plural = _("learnability tests")
        indexes = [models.Index(fields=["client", "created_at"], name="pip_lbt_client_created")]
        constraints = [
            # DUO's Resultaat: resultaat, behaaldeScore, benodigdeScore and datumAfname together.
            models.CheckConstraint(
                condition=(
                    Q(outcome="")
                    & Q(score__isnull=True)
                    & Q(cut_off__isnull=True)
                    & Q(taken_on__isnull=True)
                )
                | (
                    ~Q(outcome="")
                    & Q(score__isnull=False)
                    & Q(cut_off__isnull=False)
                    & Q(taken_on__isnull=False)
                ),
                name="pip_lbt_result_complete",
            ),
            models.CheckConstraint(
                condition=(Q(exemption="") & Q(exempted_on__isnull=True))
                | (~Q(exemption="") & Q(exempted_on__isnull=False) & Q(outcome="")),
                name="pip_lbt_exemption_without_result",
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=False) | ~Q(exemption=""),
                name="pip_lbt_registered_or_exempt",
            ),
            models.CheckConstraint(
                condition=(Q(score__isnull=True) | Q(score__gte=0))
                & (Q(cut_off__isnull=True) | Q(cut_off__gte=0)),
                name="pip_lbt_scores_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"LBT {self.pk} of client {self.client_id}"

    @property
    def has_result(self) -> bool:
        return bool(self.outcome)


class PipDecision(models.Model):
    """The PIP as a beschikking of one person (Wet inburgering 2021, art. 15).

    Concept -> vastgesteld (dagtekening) -> uitgereikt -> gemeld aan DUO. A decision that is
    vastgesteld is never edited: a change is a new decision that supersedes it.
    """

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="pip_decisions",
        verbose_name=_("client"),
    )
    # The municipality that decides (and whose letter template is used).
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=DecisionReason.choices, default=DecisionReason.FIRST
    )
    status = models.CharField(
        _("status"), max_length=15, choices=DecisionStatus.choices, default=DecisionStatus.CONCEPT
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    intake = models.ForeignKey(
        Intake,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("based on intake"),
    )
    # The household plan this PIP adopts: an established version (the PLAN section; the PIP
    # shows only which version, the plan's content stays on the plan's own pages).
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopts the plan"),
    )
    # DUO's PIP fields
    learning_route = models.CharField(
        _("learning route"), max_length=1, choices=LearningRoute.choices
    )
    level = models.CharField(_("level"), max_length=2, choices=PipLevel.choices, blank=True)
    estimated_intensity_hours = models.PositiveSmallIntegerField(
        _("estimated intensity of the B1 route (hours)"), null=True, blank=True
    )
    may_finish_current_study = models.BooleanField(
        _("may finish the current study first"), default=False
    )
    literacy = models.CharField(
        _("literacy education"), max_length=3, choices=LiteracyIndicator.choices, blank=True
    )
    # Koers only, never sent to DUO
    education_target_level = models.CharField(
        _("target level in the education route"),
        max_length=2,
        choices=EducationTargetLevel.choices,
        blank=True,
    )
    preconditions = models.TextField(_("preconditions (such as childcare)"), blank=True)
    support = models.TextField(_("guidance and support by the municipality"), blank=True)
    pvt_content = models.TextField(
        _("participation statement (PVT): content and intensity"), blank=True
    )
    map_content = models.TextField(
        _("labour market and participation (MAP): content and intensity"), blank=True
    )
    monitoring = models.TextField(_("how progress is monitored"), blank=True)
    # Status dates
    dagtekening = models.DateField(_("date of the decision (dagtekening)"), null=True, blank=True)
    handed_out_on = models.DateField(_("handed out on"), null=True, blank=True)
    reported_on = models.DateField(_("reported to DUO on"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    finalised_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    finalised_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    # The letter template's texts as they were on adoption: the letter of an adopted decision
    # reads the same however the template changes later.
    letter = models.JSONField(_("letter texts"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("PIP decision")
        verbose_name_plural = _("PIP decisions")
        indexes = [
            models.Index(fields=["client", "status"], name="pip_decision_client_status"),
            models.Index(fields=["client", "dagtekening"], name="pip_decision_client_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status=DecisionStatus.CONCEPT),
                name="pip_decision_one_draft_per_client",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=DecisionStatus.CONCEPT)
                    & Q(dagtekening__isnull=True)
                    & Q(finalised_at__isnull=True)
                )
                | (
                    Q(status__in=[str(s) for s in FINAL_STATUSES])
                    & Q(dagtekening__isnull=False)
                    & Q(finalised_at__isnull=False)
                ),
                name="pip_rule_final_decision_has_dagtekening",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=[DecisionStatus.HANDED_OUT, DecisionStatus.REPORTED])
                    & Q(handed_out_on__isnull=False)
                    & Q(handed_out_on__gte=F("dagtekening"))
                )
                | (
                    ~Q(status__in=[DecisionStatus.HANDED_OUT, DecisionStatus.REPORTED])
                    & Q(handed_out_on__isnull=True)
                ),
                name="pip_rule_handed_out_after_dagtekening",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=DecisionStatus.REPORTED)
                    & Q(reported_on__isnull=False)
                    & Q(reported_on__gte=F("dagtekening"))
                )
                | (~Q(status=DecisionStatus.REPORTED) & Q(reported_on__isnull=True)),
                name="pip_rule_reported_after_dagtekening",
            ),
            models.CheckConstraint(condition=_LEVEL_FITS_ROUTE, name="pip_rule_level_fits_route"),
            models.CheckConstraint(
                condition=Q(estimated_intensity_hours__isnull=True)
                | (
                    Q(learning_route=LearningRoute.B1)
                    & Q(estimated_intensity_hours__gte=INTENSITY_MIN)
                    & Q(estimated_intensity_hours__lte=INTENSITY_MAX)
                ),
                name="pip_rule_intensity_only_b1_route",
            ),
            models.CheckConstraint(
                condition=Q(education_target_level="") | Q(learning_route=LearningRoute.EDUCATION),
                name="pip_education_target_level_only_education_route",
            ),
            models.CheckConstraint(
                condition=Q(map_content="") | ~Q(learning_route=LearningRoute.EDUCATION),
                name="pip_rule_no_map_in_education_route",
            ),
        ]

    def __str__(self) -> str:
        return f"PIP {self.pk} of client {self.client_id} ({self.status})"

    @property
    def is_concept(self) -> bool:
        return self.status == DecisionStatus.CONCEPT

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class DecisionAppeal(models.Model):
    """An objection (bezwaar) or appeal (beroep) against a PIP decision, with its outcome."""

    decision = models.ForeignKey(
        PipDecision, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("decision")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AppealKind.choices)
    received_on = models.DateField(_("received on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AppealOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("objection or appeal")
        verbose_name_plural = _("objections and appeals")
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="pip_appeal_one_per_kind"),
            models.CheckConstraint(
                condition=(Q(decided_on__isnull=True) & Q(outcome=""))
                | (
                    Q(decided_on__isnull=False)
                    & Q(decided_on__gte=F("received_on"))
                    & ~Q(outcome="")
                ),
                name="pip_appeal_decided_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on PIP {self.decision_id}"


class PipLetterTemplate(models.Model):
    """A municipality's texts for the PIP letter. Without one, the default (constants in
    letters.py) is used."""

    municipality = models.OneToOneField(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        related_name="pip_letter_template",
        verbose_name=_("municipality"),
    )
    letterhead = models.TextField(
        _("letterhead"), help_text=_("Name, department and postal address, one per line.")
    )
    intro = models.TextField(_("opening text"))
    signatory_name = models.CharField(_("signed by (name)"), max_length=150)
    signatory_title = models.CharField(_("signed by (function)"), max_length=200)
    objection_clause = models.TextField(
        _("objection clause"),
        help_text=_("How and within which term the client can object (six weeks)."),
    )
    contact_text = models.TextField(_("questions and contact"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("PIP letter template")
        verbose_name_plural = _("PIP letter templates")

    def __str__(self) -> str:
        return f"PIP letter of {self.municipality_id}"
