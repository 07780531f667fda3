from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.tests.factories import ClientFactory
from koers.documents.constants import DocumentType
from koers.documents.models import Document
from koers.profiles.tests.factories import assigned_volunteer, client_of

from .factories import PDF_BYTES, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


def test_regisseur_uploads_a_diploma_evaluation_and_sees_it_listed(signed_in, regisseur):
    client = client_of(regisseur)
    browser = signed_in(regisseur)
    url = reverse("documents:client", args=[client.pk])
    response = browser.post(
        url,
        {
            "type": DocumentType.DIPLOMA_EVALUATION,
            "file": SimpleUploadedFile("waardering.pdf", PDF_BYTES),
            "description": "IDW-waardering",
        },
    )
    assert response.status_code == 302
    response = browser.get(url)
    assert "waardering.pdf" in response.content.decode()
    assert "Diplomawaardering" in response.content.decode()


def test_download_streams_the_file_as_an_attachment_and_is_audited(signed_in, regisseur):
    client = client_of(regisseur)
    document = DocumentFactory(
        client=client, type=DocumentType.MEDICAL_STATEMENT, original_name="verklaring.pdf"
    )
    response = signed_in(regisseur).get(
        reverse("documents:download", args=[client.pk, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="verklaring.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AuditEvent.objects.get(client_id=client.pk, action=Action.VIEW)
    assert event.sections == Section.DOCUMENTS | Section.HEALTH
    assert event.detail == f"documents:download:{document.pk}"


def test_klantmanager_cannot_see_a_medical_statement(signed_in):
    klantmanager = MembershipFactory(klantmanager=True)
    client = client_of(klantmanager)
    medical = DocumentFactory(
        client=client, type=DocumentType.MEDICAL_STATEMENT, original_name="medisch.pdf"
    )
    DocumentFactory(client=client, type=DocumentType.LETTER, original_name="brief-uwv.pdf")
    browser = signed_in(klantmanager)
    response = browser.get(reverse("documents:client", args=[client.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "brief-uwv.pdf" in content
    assert "medisch.pdf" not in content
    assert DocumentType.MEDICAL_STATEMENT.value not in [
        value for value, _ in response.context["form"].fields["type"].choices
    ]
    download = reverse("documents:download", args=[client.pk, medical.pk])
    assert browser.get(download).status_code == 404
    listed = AuditEvent.objects.get(client_id=client.pk, detail="documents:list")
    assert Section.HEALTH not in listed.sections


def test_a_client_outside_the_scope_gives_404(signed_in, regisseur):
    elsewhere = ClientFactory()
    document = DocumentFactory(client=elsewhere)
    browser = signed_in(regisseur)
    assert browser.get(reverse("documents:client", args=[elsewhere.pk])).status_code == 404
    url = reverse("documents:download", args=[elsewhere.pk, document.pk])
    assert browser.get(url).status_code == 404
    # A document of another client through a visible client's URL: 404 as well.
    own = client_of(regisseur)
    assert browser.get(reverse("documents:download", args=[own.pk, document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(client_id=elsewhere.pk).exists()


def test_volunteer_gets_404_on_documents_and_download(signed_in, regisseur):
    client = client_of(regisseur)
    document = DocumentFactory(client=client)
    browser = signed_in(assigned_volunteer(client))
    assert browser.get(reverse("documents:client", args=[client.pk])).status_code == 404
    url = reverse("documents:download", args=[client.pk, document.pk])
    assert browser.get(url).status_code == 404


def test_an_identity_document_is_refused_with_a_dutch_message(signed_in, regisseur):
    client = client_of(regisseur)
    response = signed_in(regisseur).post(
        reverse("documents:client", args=[client.pk]),
        {"type": DocumentType.OTHER, "file": SimpleUploadedFile("paspoort.pdf", PDF_BYTES)},
    )
    assert response.status_code == 200
    assert "Kopieën van identiteitsbewijzen" in response.content.decode()
    assert "Autoriteit Persoonsgegevens" in response.content.decode()
    assert not Document.objects.exists()


def test_a_fake_pdf_is_refused_next_to_the_file_field(signed_in, regisseur):
    client = client_of(regisseur)
    response = signed_in(regisseur).post(
        reverse("documents:client", args=[client.pk]),
        {"type": DocumentType.LETTER, "file": SimpleUploadedFile("brief.pdf", b"MZ\x90\x00")},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert "Alleen PDF-, JPEG-, PNG- en Word-bestanden" in response.content.decode()
    assert not Document.objects.exists()


def test_documents_are_never_under_static_or_media(_private_storage_in_tmp):
    location = Path(Document._meta.get_field("file").storage.location)
    assert location == _private_storage_in_tmp
    for public in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        if public:
            assert not location.is_relative_to(Path(public).resolve())


def test_documents_list_queries_do_not_grow_with_rows(signed_in, regisseur):
    small, large = client_of(regisseur), client_of(regisseur)
    DocumentFactory(client=small)
    for _ in range(20):
        DocumentFactory(client=large, uploaded_by=MembershipFactory(klantmanager=True))
    browser = signed_in(regisseur)
    counts = []
    for client in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("documents:client", args=[client.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
