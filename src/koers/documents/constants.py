from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import Section


class DocumentType(models.TextChoices):
    """There is deliberately no type for copies of identity documents (see validation)."""

    SIGNED_PIP = "signed_pip", _("Signed PIP")
    CONSENT_FORM = "consent_form", _("Consent form")
    DIPLOMA_EVALUATION = "diploma_evaluation", _("Diploma evaluation")
    LETTER = "letter", _("Letter")
    MEDICAL_STATEMENT = "medical_statement", _("Medical statement")
    CERTIFICATE = "certificate", _("Certificate")
    OTHER = "other", _("Other")


# Besides DOCUMENTS, the section a reader needs for each type.
TYPE_SECTIONS: dict[str, Section] = {
    DocumentType.SIGNED_PIP: Section.INBURGERING,
    DocumentType.CONSENT_FORM: Section.DOCUMENTS,
    DocumentType.DIPLOMA_EVALUATION: Section.PROFILE,
    DocumentType.LETTER: Section.DOCUMENTS,
    DocumentType.MEDICAL_STATEMENT: Section.HEALTH,
    DocumentType.CERTIFICATE: Section.PROFILE,
    DocumentType.OTHER: Section.DOCUMENTS,
}

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Content type by the file's first bytes; DOCX is a ZIP holding word/document.xml.
ALLOWED_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ALLOWED_EXTENSIONS = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".docx": "docx",
}

# Words that mark a copy of an identity document (AP guidance; NRC 2024 on municipal dossiers).
IDENTITY_KEYWORDS = [
    "paspoort",
    "passport",
    "id-kaart",
    "idkaart",
    "id kaart",
    "identiteitskaart",
    "identiteitsbewijs",
    "verblijfsdocument",
    "verblijfsvergunning",
    "w-document",
    "w document",
    "wdocument",
]
