from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import AreaTeam, Municipality, Organisation

from .constants import VOLUNTEER_MAX_SECTIONS, ClientStatus, NetworkRole
from .fields import SectionsField


class Household(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("municipality"),
    )
    area_team = models.ForeignKey(
        AreaTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("area team"),
    )
    name = models.CharField(_("household name"), max_length=150)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["municipality", "area_team"])]

    def __str__(self) -> str:
        return self.name


class Client(models.Model):
    """A person in a household. The full dossier grows on this in later issues."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    # Copied from the household so the access rule is one indexed predicate on this table.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("municipality"),
    )
    area_team = models.ForeignKey(
        AreaTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("area team"),
    )
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    family_name = models.CharField(
        _("family name"), max_length=150, help_text=_("A single name goes here.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClientStatus.choices, default=ClientStatus.AANGEMELD
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["municipality", "area_team"]),
            models.Index(fields=["area_team"]),
            models.Index(fields=["household"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)


class InvolvementQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Involvement(models.Model):
    """An organisation, and possibly one of its people, in a household's network."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="involvements",
        verbose_name=_("household"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="involvements",
        verbose_name=_("organisation"),
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=NetworkRole.choices)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Volunteers: what the coordinator's task profile lets them see, and when access was renewed.
    task_sections = SectionsField(_("task profile"), default=int(VOLUNTEER_MAX_SECTIONS))
    renewed_on = models.DateField(_("renewed on"), null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        indexes = [
            models.Index(fields=["household", "organisation"]),
            models.Index(fields=["membership", "household"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(role="regisseur", end_date__isnull=True),
                name="involvement_one_active_regisseur",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="involvement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.organisation}"

    def volunteer_access_until(self):
        """A volunteer's access ends with the assignment or a year after (re)start."""
        days = settings.KOERS_VOLUNTEER_ACCESS_DAYS
        limit = (self.renewed_on or self.start_date) + timedelta(days=days)
        return min(limit, self.end_date) if self.end_date else limit


class ConsentQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on, withdrawn_on__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )


class Consent(models.Model):
    """A client's consent for optional processing by an organisation (e.g. a language buddy)."""

    class HowGiven(models.TextChoices):
        SIGNED = "signed", _("Signed form")
        ORAL = "oral", _("Orally, recorded by the professional")

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="consents", verbose_name=_("client")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("organisation"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    sections = SectionsField(_("sections"))
    text_version = models.CharField(_("consent text version"), max_length=30)
    explained_in_language = models.CharField(_("explained in language"), max_length=50)
    with_interpreter = models.BooleanField(_("with interpreter"), default=False)
    how_given = models.CharField(_("how given"), max_length=10, choices=HowGiven.choices)
    given_on = models.DateField(_("given on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["client", "organisation"])]

    def __str__(self) -> str:
        return f"{self.purpose} – {self.organisation}"


class BreakGlassQuerySet(models.QuerySet):
    def active(self, at=None):
        return self.filter(expires_at__gt=at or timezone.now())


class BreakGlassAccess(models.Model):
    """Access outside one's own scope, with a stated reason, reviewed by the privacy officer."""

    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="break_glass_accesses",
        verbose_name=_("membership"),
    )
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_remark = models.TextField(_("review remark"), blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        indexes = [
            models.Index(fields=["membership", "expires_at"]),
            models.Index(fields=["reviewed_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"break-the-glass {self.pk} on client {self.client_id}"
