"""What happened around a household, in time: contact moments, notes and walk-in hours."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import LANGUAGES
from koers.clients.models import Client, Household
from koers.organisations.models import Municipality, Organisation

from .constants import Confidentiality, ContactKind, ContactStatus


class WalkInSession(models.Model):
    """Joint walk-in hours (spreekuur) of network partners. Visits can be counted without
    opening anyone's dossier."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="walk_in_sessions",
        verbose_name=_("host organisation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="walk_in_sessions",
        verbose_name=_("municipality"),
    )
    location = models.CharField(_("location"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    present = models.ManyToManyField(
        "accounts.Membership",
        blank=True,
        related_name="walk_in_sessions",
        verbose_name=_("network members present"),
    )
    anonymous_visits = models.PositiveIntegerField(_("visits without a dossier"), default=0)
    # The token of the last counted tap: a double tap carrying the same token counts once.
    last_visit_token = models.CharField(max_length=36, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("walk-in hours")
        verbose_name_plural = _("walk-in hours")
        indexes = [models.Index(fields=["municipality", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="walkin_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.starts_at:%Y-%m-%d %H:%M}"


class ContactMoment(models.Model):
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="contact_moments",
        verbose_name=_("household"),
    )
    clients = models.ManyToManyField(
        Client, blank=True, related_name="contact_moments", verbose_name=_("with")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=ContactKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ContactStatus.choices, default=ContactStatus.HELD
    )
    starts_at = models.DateTimeField(_("date and time"), default=timezone.now)
    others_present = models.CharField(_("others present"), max_length=200, blank=True)
    with_interpreter = models.BooleanField(_("with interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=5, choices=LANGUAGES, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    confidentiality = models.CharField(
        _("who may read this"),
        max_length=15,
        choices=Confidentiality.choices,
        default=Confidentiality.OWN_ORGANISATION,
    )
    walk_in_session = models.ForeignKey(
        WalkInSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_moments",
        verbose_name=_("walk-in hours"),
    )
    author = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The token of the form that created it: a double submit creates nothing twice.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        indexes = [
            models.Index(fields=["household", "starts_at"]),
            models.Index(fields=["household", "status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class Note(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="notes", verbose_name=_("household")
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("about"),
    )
    text = models.TextField(_("note"))
    confidentiality = models.CharField(
        _("who may read this"),
        max_length=15,
        choices=Confidentiality.choices,
        default=Confidentiality.OWN_ORGANISATION,
    )
    author = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    # Notes are never edited: a correction is a new note referring to the one it corrects.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["household", "created_at"])]

    def __str__(self) -> str:
        return f"note {self.pk}"
