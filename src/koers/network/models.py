"""Who does what around a household, and the consents that allow optional processing."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, NetworkRole
from koers.clients.fields import SectionsField
from koers.clients.models import Client, Household
from koers.organisations.models import Organisation


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
    # Someone outside Koers (a GP, a teacher, a COA casemanager) or how to reach the member.
    person_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
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
        indexes = [
            models.Index(fields=["client", "organisation"]),
            # The caseload's "consent ends soon" signal: the few running consents by end date.
            models.Index(
                fields=["ends_on"],
                condition=models.Q(withdrawn_on__isnull=True, ends_on__isnull=False),
                name="consent_running_ends_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} – {self.organisation}"


class DelegationQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on, end_date__gte=on)


class Delegation(models.Model):
    """A stand-in (waarnemer) takes over a colleague's caseload for a set period."""

    from_membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("on behalf of"),
    )
    to_membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("stand-in"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        indexes = [models.Index(fields=["to_membership", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="delegation_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(from_membership=models.F("to_membership")),
                name="delegation_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_membership} for {self.from_membership}"


class WarmHandover(models.Model):
    """What came from COA at the warm handover into the municipality, and on which basis."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="warm_handovers",
        verbose_name=_("household"),
    )
    received_on = models.DateField(_("received on"))
    coa_location = models.CharField(_("COA location"), max_length=150)
    coa_contact = models.CharField(_("COA contact person"), max_length=150, blank=True)
    basis = models.CharField(
        _("basis for the transfer"),
        max_length=200,
        help_text=_("E.g. the municipality's legal task under the Wet inburgering 2021."),
    )
    # Which sections the received information was filed under (no free-text health details).
    sections = SectionsField(_("what was received"))
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("warm handover from COA")
        verbose_name_plural = _("warm handovers from COA")

    def __str__(self) -> str:
        return f"{self.coa_location} → {self.household}"
