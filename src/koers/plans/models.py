"""The household plan (plan van aanpak): one per household, in versions, with goals per life
domain and actions with an owner from the household's network."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.models import Client, Household, HouseholdMember
from koers.network.models import Involvement
from koers.organisations.models import Organisation

from .constants import (
    CLOSED_ACTION_STATUSES,
    CURRENT_STATUSES,
    OPEN_ACTION_STATUSES,
    OWNER_CLIENT,
    OWNER_INVOLVEMENT,
    OWNER_ORGANISATION,
    ActionStatus,
    GoalStatus,
    LifeDomain,
    Priority,
    ReviewOutcome,
    VersionStatus,
)


class Plan(models.Model):
    """The household's plan. Its content (help question, goals, actions) is edited live while a
    concept version is open; establishing a version freezes a copy of it in that version."""

    household = models.OneToOneField(
        Household,
        on_delete=models.CASCADE,
        related_name="plan",
        verbose_name=_("household"),
    )
    help_question = models.TextField(
        _("help question"),
        max_length=2000,
        help_text=_("In the client's own words: what do they want help with?"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Goes up with every change to the plan's content or versions: a form loaded before a
    # change cannot establish, review or revise what it did not show.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("household plan")
        verbose_name_plural = _("household plans")

    def __str__(self) -> str:
        return f"plan {self.pk} of household {self.household_id}"


class PlanVersion(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=15, choices=VersionStatus.choices, default=VersionStatus.CONCEPT
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("established by"),
    )
    # The next planned review of this version while it is in force.
    review_due_on = models.DateField(_("review no later than"), null=True, blank=True)
    # The plan as it was established (help question, goals, actions): see services.snapshot.
    content = models.JSONField(_("content"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        indexes = [
            # The radar's "review due": current versions by review date.
            models.Index(
                fields=["review_due_on"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="planversion_review_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status=VersionStatus.CONCEPT),
                name="planversion_one_concept",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="planversion_one_current",
            ),
            # A concept has no establishment; every other status has date, person and content.
            models.CheckConstraint(
                condition=Q(
                    status=VersionStatus.CONCEPT,
                    established_on__isnull=True,
                    established_by__isnull=True,
                    content__isnull=True,
                )
                | (
                    ~Q(status=VersionStatus.CONCEPT)
                    & Q(
                        established_on__isnull=False,
                        established_by__isnull=False,
                        content__isnull=False,
                    )
                ),
                name="planversion_established_iff_not_concept",
            ),
            models.CheckConstraint(
                condition=Q(review_due_on__isnull=True)
                | Q(review_due_on__gt=models.F("established_on")),
                name="planversion_review_after_establishment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    def review_overdue(self, today: date) -> bool:
        return (
            self.status in CURRENT_STATUSES
            and self.review_due_on is not None
            and self.review_due_on < today
        )


class PlanReview(models.Model):
    """A review (evaluatie) of the version in force: its outcome and the next review date."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("version")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField(_("review note"), max_length=2000, blank=True)
    next_review_on = models.DateField(_("next review no later than"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["version", "reviewed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=ReviewOutcome.CONTINUE) | Q(next_review_on__isnull=False),
                name="planreview_continue_needs_next_date",
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(next_review_on__gt=models.F("reviewed_on")),
                name="planreview_next_after_review",
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of {self.version}"


class Goal(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    life_domain = models.CharField(_("life domain"), max_length=30, choices=LifeDomain.choices)
    description = models.CharField(
        _("goal"),
        max_length=300,
        help_text=_("What the client wants to reach, in plain words."),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    target_score = models.PositiveSmallIntegerField(
        _("target score"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The self-reliance to reach in this life domain, from 1 (acute) to 5."),
    )
    members = models.ManyToManyField(
        HouseholdMember,
        blank=True,
        related_name="+",
        verbose_name=_("concerns"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [models.Index(fields=["plan", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_score__gte=1, target_score__lte=5),
                name="goal_target_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status=GoalStatus.OPEN, closed_on__isnull=True)
                | (~Q(status=GoalStatus.OPEN) & Q(closed_on__isnull=False)),
                name="goal_closed_on_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.OPEN


class Action(models.Model):
    """A step towards a goal, owned by one person or organisation of the household's network, or
    by the client themself."""

    # The goal's plan, copied so counts per household need no join through the goal.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("goal")
    )
    description = models.CharField(
        _("what is to be done"),
        max_length=300,
        help_text=_("What is to be done, readable for whoever does it."),
    )
    owner_involvement = models.ForeignKey(
        Involvement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (person in the network)"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (organisation)"),
    )
    owner_client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (the client)"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    done_note = models.CharField(_("note on completion"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        indexes = [
            models.Index(fields=["plan", "status", "due_on"]),
            models.Index(fields=["owner_organisation", "status", "due_on"]),
            models.Index(fields=["owner_involvement", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    owner_involvement__isnull=False,
                    owner_organisation__isnull=True,
                    owner_client__isnull=True,
                )
                | Q(
                    owner_involvement__isnull=True,
                    owner_organisation__isnull=False,
                    owner_client__isnull=True,
                )
                | Q(
                    owner_involvement__isnull=True,
                    owner_organisation__isnull=True,
                    owner_client__isnull=False,
                ),
                name="action_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_ACTION_STATUSES, closed_on__isnull=True)
                | Q(status__in=CLOSED_ACTION_STATUSES, closed_on__isnull=False),
                name="action_closed_on_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Open or under way, and the due date has passed."""
        return self.is_open and self.due_on is not None and self.due_on < today

    @property
    def owner_key(self) -> str:
        if self.owner_involvement_id:
            return f"{OWNER_INVOLVEMENT}:{self.owner_involvement_id}"
        if self.owner_organisation_id:
            return f"{OWNER_ORGANISATION}:{self.owner_organisation_id}"
        return f"{OWNER_CLIENT}:{self.owner_client_id}"
