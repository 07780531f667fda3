"""Uploading documents: every check runs before a byte is stored."""

import hashlib
import logging
import os
import re
import time
import zipfile
from datetime import timedelta
from pathlib import Path, PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change
from koers.clients.constants import Section

from .constants import ALLOWED_CONTENT_TYPES, ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES, TYPE_SECTIONS
from .models import Document
from .storage import delete_file_on_rollback

logger = logging.getLogger(__name__)

# A file without a Document row is an orphan once it is this old: no upload takes this long.
ORPHAN_AGE = timedelta(hours=1)
_SWEEP_BATCH = 500

# Copies of identity documents do not belong in a shared dossier (Autoriteit Persoonsgegevens;
# NRC 2024 on copies of passports in municipal files): no type exists for them, and a file name or
# description that names one is refused.
_IDENTITY_PATTERN = re.compile(
    r"\b(paspoort|passport|id[- ]?kaart|identiteitskaart|identiteitsbewijs|"
    r"verblijfsdocument|verblijfsvergunning|w[- ]?document)"
)


def mentions_identity_document(*texts: str) -> bool:
    folded = " ".join(re.sub(r"[_.\s]+", " ", text.lower()) for text in texts if text)
    return bool(_IDENTITY_PATTERN.search(folded))


def identity_refusal_message() -> str:
    return _(
        "Copies of identity documents (passport, ID card, residence document, W-document) may "
        "not be stored in the dossier. The Autoriteit Persoonsgegevens advises against keeping "
        "them: a shared dossier is not the place for them. Record only what you checked, e.g. "
        "in a note."
    )


def detect_kind(head: bytes, file) -> str | None:
    """The file's real format by its first bytes; DOCX is a ZIP holding word/document.xml."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            file.seek(0)
    return None


def check_upload(uploaded_file, *, description: str = "") -> dict:
    """Validate an upload; returns the content type and hash to store. Raises ValidationError
    with the message next to the field it concerns."""
    name = PurePath(uploaded_file.name or "").name
    if mentions_identity_document(name, description):
        field = "file" if mentions_identity_document(name) else "description"
        raise ValidationError({field: identity_refusal_message()})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than 10 MB. Make it smaller or split it.")}
        )
    extension_kind = ALLOWED_EXTENSIONS.get(PurePath(name).suffix.lower())
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    kind = detect_kind(head, uploaded_file)
    if extension_kind is None or kind is None or kind != extension_kind:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, JPEG, PNG and Word (DOCX) files can be uploaded, and the file "
                    "must really be of the type its name says."
                )
            }
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return {
        "name": name[:200],
        "content_type": ALLOWED_CONTENT_TYPES[kind],
        "sha256": digest.hexdigest(),
    }


def can_write_type(access, document_type: str) -> bool:
    return access.can_write(Section.DOCUMENTS) and access.can_write(TYPE_SECTIONS[document_type])


@transaction.atomic
def document_upload(
    request, *, client, access, uploaded_by, document_type: str, uploaded_file, description=""
) -> Document:
    if not can_write_type(access, document_type):
        raise PermissionError
    checked = check_upload(uploaded_file, description=description)
    if Document.objects.filter(client=client, sha256=checked["sha256"]).exists():
        raise ValidationError({"file": _("This file is already in the dossier.")})
    document = Document(
        client=client,
        type=document_type,
        original_name=checked["name"],
        content_type=checked["content_type"],
        size=uploaded_file.size,
        sha256=checked["sha256"],
        description=description,
        uploaded_by=uploaded_by,
    )
    document.full_clean(exclude=["file"])
    try:
        document.file.save(checked["name"], uploaded_file, save=False)
        # Should a caller's transaction roll back after this returns, the file goes with it.
        delete_file_on_rollback(document.file.storage, document.file.name)
        document.save()
        audit_change(
            request,
            client_id=client.pk,
            access=access,
            action=Action.CREATE,
            sections=Section.DOCUMENTS | TYPE_SECTIONS[document_type],
            detail=f"documents:{document.pk}",
        )
    except Exception:
        # Nothing half-saved: the row rolls back with the transaction, the file goes here.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def document_orphans_sweep(
    *, older_than: timedelta = ORPHAN_AGE, dry_run: bool = False, now: float | None = None
) -> list[str]:
    """Delete files in the documents storage that no Document row points to and that are older
    than `older_than` (left behind by a crash before the rollback cleanup could run). Returns
    the storage names of the orphans found. Symbolic links are neither followed nor deleted."""
    storage = Document._meta.get_field("file").storage
    root = Path(storage.location)
    if not root.is_dir():
        return []
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    candidates = []
    for directory, _dirs, files in os.walk(root):
        for filename in files:
            path = Path(directory) / filename
            try:
                if path.is_symlink() or path.lstat().st_mtime >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            candidates.append(path.relative_to(root).as_posix())
    orphans = []
    for start in range(0, len(candidates), _SWEEP_BATCH):
        batch = candidates[start : start + _SWEEP_BATCH]
        known = set(Document.objects.filter(file__in=batch).values_list("file", flat=True))
        orphans.extend(name for name in batch if name not in known)
    if not dry_run:
        for name in orphans:
            storage.delete(name)
    logger.info("Document orphans swept", extra={"orphans": len(orphans), "dry_run": dry_run})
    return orphans
