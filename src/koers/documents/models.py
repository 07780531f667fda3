from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Membership
from koers.clients.constants import Section
from koers.clients.models import Client

from .constants import TYPE_SECTIONS, DocumentType
from .storage import private_storage


def document_path(instance, filename: str) -> str:
    # The stored name never carries the original name (which may hold personal data).
    import uuid

    return f"{instance.client_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="documents", verbose_name=_("client")
    )
    type = models.CharField(_("type"), max_length=20, choices=DocumentType.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=document_path, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    # The same file twice in one dossier is a double submit, never a need.
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["client", "-uploaded_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["client", "type", "-uploaded_at"])]
        constraints = [
            models.UniqueConstraint(fields=["client", "sha256"], name="documents_unique_file")
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def section(self) -> Section:
        return TYPE_SECTIONS[self.type]
