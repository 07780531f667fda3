from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.fields import SectionsField

from .constants import Action


class AuditEvent(models.Model):
    """One row per (request, client): who, in which membership, on which basis, which sections.

    Append-only: there is no edit or delete path in the application, and database triggers
    refuse UPDATE and DELETE (see migration 0002). Identifiers are kept as plain numbers with a
    readable copy of the names, because the log outlives users, memberships and erased dossiers.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    request_id = models.UUIDField(_("request id"), null=True, blank=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    membership_id = models.BigIntegerField(_("membership id"), null=True, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    basis = models.CharField(_("basis"), max_length=20, blank=True)
    basis_id = models.BigIntegerField(_("basis id"), null=True, blank=True)
    client_id = models.BigIntegerField(_("client id"), null=True, blank=True)
    sections = SectionsField(_("sections"), default=0)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["client_id", "at"], name="audit_client_at"),
            models.Index(fields=["user_id", "at"], name="audit_user_at"),
            models.Index(fields=["at", "id"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} client {self.client_id}"


class PurgePermit(models.Model):
    """Lets the purge command, and only it, delete rows older than `purge_before`.

    The row exists only inside the purge transaction, so no other connection ever sees it.
    """

    purge_before = models.DateTimeField()

    class Meta:
        verbose_name = _("purge permit")

    def __str__(self) -> str:
        return f"purge before {self.purge_before:%Y-%m-%d}"
