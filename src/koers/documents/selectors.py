from koers.clients.constants import Section

from .constants import TYPE_SECTIONS, DocumentType
from .models import Document

# Lists are bounded; a dossier with more documents shows the latest ones.
LIST_LIMIT = 100


def readable_types(access) -> list[str]:
    """The document types this access may see: DOCUMENTS plus the type's own section."""
    if not access.can_read(Section.DOCUMENTS):
        return []
    return [kind for kind in DocumentType if access.can_read(TYPE_SECTIONS[kind])]


def writable_types(access) -> list[str]:
    if not access.can_write(Section.DOCUMENTS):
        return []
    return [kind for kind in DocumentType if access.can_write(TYPE_SECTIONS[kind])]


def documents_for(client, access) -> list[Document]:
    """The client's documents this access may see, newest first, in one query."""
    return list(
        Document.objects.filter(client=client, type__in=readable_types(access))
        .select_related("uploaded_by__user", "uploaded_by__organisation")
        .order_by("-uploaded_at", "-id")[:LIST_LIMIT]
    )


def document_for(client, access, pk) -> Document | None:
    """One document, only when its type is readable: otherwise None (the view answers 404)."""
    return Document.objects.filter(client=client, pk=pk, type__in=readable_types(access)).first()
