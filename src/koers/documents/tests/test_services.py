import gc
import io
import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.permissions import client_access
from koers.documents.constants import MAX_UPLOAD_BYTES, DocumentType
from koers.documents.models import Document
from koers.documents.services import (
    check_upload,
    document_orphans_sweep,
    document_upload,
    mentions_identity_document,
)
from koers.profiles.tests.factories import client_of

from .factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    membership = MembershipFactory(klantmanager=True)
    request = RequestFactory().post("/")
    request.user = membership.user
    request.membership = membership
    client = client_of(membership)
    return request, client, client_access(membership, client)


def _upload(actor, name, content, *, document_type=DocumentType.LETTER, description=""):
    request, client, access = actor
    return document_upload(
        request,
        client=client,
        access=access,
        uploaded_by=request.membership,
        document_type=document_type,
        uploaded_file=SimpleUploadedFile(name, content),
        description=description,
    )


@pytest.mark.parametrize(
    "text",
    [
        "paspoort.pdf",
        "Scan_Passport.jpg",
        "id-kaart voorkant.png",
        "ID kaart.png",
        "identiteitskaart.pdf",
        "kopie identiteitsbewijs.pdf",
        "verblijfsdocument.pdf",
        "Verblijfsvergunning 2024.pdf",
        "W-document.pdf",
        "w_document.pdf",
    ],
)
def test_identity_document_names_are_recognised(text):
    assert mentions_identity_document(text)


@pytest.mark.parametrize("text", ["new document.pdf", "diploma-evaluatie.pdf", "brief UWV.docx"])
def test_ordinary_names_are_not_identity_documents(text):
    assert not mentions_identity_document(text)


def test_an_identity_document_upload_is_refused_and_nothing_stored(actor, _private_storage_in_tmp):
    with pytest.raises(ValidationError) as error:
        _upload(actor, "paspoort.pdf", PDF_BYTES)
    assert "Autoriteit Persoonsgegevens" in error.value.error_dict["file"][0].messages[0]
    with pytest.raises(ValidationError) as error:
        _upload(actor, "scan.pdf", PDF_BYTES, description="kopie verblijfsvergunning")
    assert "description" in error.value.error_dict
    assert not Document.objects.exists()
    assert not _private_storage_in_tmp.exists() or not any(_private_storage_in_tmp.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("evaluatie.pdf", PDF_BYTES, "application/pdf"),
        ("foto.jpg", JPEG_BYTES, "image/jpeg"),
        ("foto.png", PNG_BYTES, "image/png"),
        (
            "brief.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_formats_are_recognised_by_their_first_bytes(name, content, content_type):
    assert check_upload(SimpleUploadedFile(name, content))["content_type"] == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evaluatie.pdf", b"MZ\x90\x00 this is a program"),  # an executable named .pdf
        ("foto.png", PDF_BYTES),  # a PDF named .png
        ("brief.docx", b"PK\x03\x04 not really a zip"),
        ("script.html", b"<html><script>alert(1)</script>"),
        ("archief.zip", docx_bytes()),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(actor, name, content):
    with pytest.raises(ValidationError) as error:
        _upload(actor, name, content)
    assert "file" in error.value.error_dict
    assert not Document.objects.exists()


def test_a_file_over_10_mb_is_refused(actor, _private_storage_in_tmp):
    with pytest.raises(ValidationError) as error:
        _upload(actor, "groot.pdf", PDF_BYTES + b"0" * MAX_UPLOAD_BYTES)
    assert "10 MB" in error.value.error_dict["file"][0].messages[0]
    assert not Document.objects.exists()
    assert not _private_storage_in_tmp.exists() or not any(_private_storage_in_tmp.rglob("*"))


def test_a_valid_upload_is_stored_privately_and_audited(actor, _private_storage_in_tmp):
    request, client, access = actor
    document = _upload(
        actor, "diploma.pdf", PDF_BYTES, document_type=DocumentType.DIPLOMA_EVALUATION
    )
    assert document.original_name == "diploma.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    stored = _private_storage_in_tmp / document.file.name
    assert stored.read_bytes() == PDF_BYTES
    assert "diploma" not in document.file.name  # the stored name carries no personal data
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018 - there is no public URL
    event = AuditEvent.objects.get(client_id=client.pk, action=Action.CREATE)
    assert event.sections == Section.DOCUMENTS | Section.PROFILE


def test_the_same_file_twice_is_stored_once(actor):
    _upload(actor, "brief.pdf", PDF_BYTES)
    with pytest.raises(ValidationError):
        _upload(actor, "brief.pdf", PDF_BYTES)
    assert Document.objects.count() == 1


def test_klantmanager_cannot_upload_a_medical_statement(actor):
    with pytest.raises(PermissionError):
        _upload(actor, "verklaring.pdf", PDF_BYTES, document_type=DocumentType.MEDICAL_STATEMENT)
    assert not Document.objects.exists()


# --- a stored file follows its transaction ---------------------------------------------------


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_transaction_rolled_back_after_the_upload_leaves_no_file(
    transactional_db, actor, _private_storage_in_tmp
):
    with pytest.raises(RuntimeError), transaction.atomic():
        document = _upload(actor, "brief.pdf", PDF_BYTES)
        stored = _private_storage_in_tmp / document.file.name
        assert stored.read_bytes() == PDF_BYTES
        raise RuntimeError("a later step of the same transaction fails")
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()
    assert _files(_private_storage_in_tmp) == []


def test_a_rolled_back_savepoint_takes_its_file_and_the_rest_commits(
    transactional_db, actor, _private_storage_in_tmp
):
    with transaction.atomic():
        kept = _upload(actor, "brief.pdf", PDF_BYTES)
        with pytest.raises(RuntimeError), transaction.atomic():
            _upload(actor, "foto.png", PNG_BYTES)
            raise RuntimeError
    assert list(Document.objects.values_list("pk", flat=True)) == [kept.pk]
    assert _files(_private_storage_in_tmp) == [_private_storage_in_tmp / kept.file.name]


def test_a_committed_upload_keeps_its_file(transactional_db, actor, _private_storage_in_tmp):
    with transaction.atomic():
        document = _upload(actor, "brief.pdf", PDF_BYTES)
    gc.collect()
    assert (_private_storage_in_tmp / document.file.name).read_bytes() == PDF_BYTES


def test_a_failing_commit_hook_does_not_take_the_committed_file(
    transactional_db, actor, _private_storage_in_tmp
):
    def fails():
        raise RuntimeError("another commit hook fails")

    # Django skips the hooks after one that raises; the row committed all the same.
    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(fails)
        document = _upload(actor, "brief.pdf", PDF_BYTES)
    gc.collect()
    assert Document.objects.filter(pk=document.pk).exists()
    assert (_private_storage_in_tmp / document.file.name).exists()
    with transaction.atomic():  # a clean commit resets Django's state after the failed hook
        pass


def _age(path, hours):
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))


def test_the_sweep_deletes_only_old_files_without_a_document(actor, _private_storage_in_tmp):
    document = _upload(actor, "brief.pdf", PDF_BYTES)
    kept = _private_storage_in_tmp / document.file.name
    old_orphan = _private_storage_in_tmp / "99" / "0123456789abcdef"
    new_orphan = _private_storage_in_tmp / "99" / "fedcba9876543210"
    for path in (old_orphan, new_orphan):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF_BYTES)
    elsewhere = _private_storage_in_tmp.parent / "elders.pdf"
    elsewhere.write_bytes(PDF_BYTES)
    link = _private_storage_in_tmp / "99" / "link"
    link.symlink_to(elsewhere)
    for path in (kept, old_orphan, elsewhere):
        _age(path, 2)

    assert document_orphans_sweep(dry_run=True) == ["99/0123456789abcdef"]
    assert old_orphan.exists()
    out = io.StringIO()
    call_command("sweep_orphan_documents", stdout=out)
    assert "Removed 1 orphan document files." in out.getvalue()
    assert not old_orphan.exists()
    assert kept.exists() and new_orphan.exists() and link.is_symlink() and elsewhere.exists()
    _age(new_orphan, 2)
    assert document_orphans_sweep() == ["99/fedcba9876543210"]


def test_the_sweep_never_takes_an_upload_in_progress():
    with pytest.raises(CommandError):
        call_command("sweep_orphan_documents", "--minutes", "5")
