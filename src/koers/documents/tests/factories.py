import hashlib
import io
import zipfile

import factory
from django.core.files.base import ContentFile

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.tests.factories import ClientFactory
from koers.documents.constants import DocumentType
from koers.documents.models import Document

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    client = factory.SubFactory(ClientFactory)
    type = DocumentType.LETTER
    original_name = factory.Sequence(lambda n: f"brief-{n}.pdf")
    content_type = "application/pdf"
    file = factory.LazyAttribute(lambda d: ContentFile(PDF_BYTES + d.original_name.encode(), "x"))
    size = factory.LazyAttribute(lambda d: d.file.size)
    sha256 = factory.LazyAttribute(lambda d: hashlib.sha256(d.original_name.encode()).hexdigest())
    uploaded_by = factory.SubFactory(MembershipFactory, klantmanager=True)
