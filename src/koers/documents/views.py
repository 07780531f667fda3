from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import client_access, get_client_for

from .constants import TYPE_SECTIONS
from .forms import DocumentUploadForm
from .selectors import LIST_LIMIT, document_for, documents_for, writable_types
from .services import document_upload


def _documents_client(request, client_pk):
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, client_pk)
    access = client_access(membership, client)
    if not access.can_read(Section.DOCUMENTS):
        raise Http404
    return client, access


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@membership_required
@require_http_methods(["GET", "POST"])
def client_documents(request, client_pk):
    client, access = _documents_client(request, client_pk)
    types = writable_types(access)
    form = None
    if types:
        form = DocumentUploadForm(request.POST or None, request.FILES or None, types=types)
        if request.method == "POST" and form.is_valid():
            try:
                document_upload(
                    request,
                    client=client,
                    access=access,
                    uploaded_by=request.membership,
                    document_type=form.cleaned_data["type"],
                    uploaded_file=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("documents:client", client_pk=client.pk)
    elif request.method == "POST":
        raise Http404
    documents = documents_for(client, access)
    shown = Section.DOCUMENTS
    for document in documents:
        shown |= TYPE_SECTIONS[document.type]
    audit_reads(
        request, {client.pk: access}, action=Action.VIEW, sections=shown, detail="documents:list"
    )
    return render(
        request,
        "documents/client_documents.html",
        {
            "client": client,
            "documents": documents,
            "capped": len(documents) >= LIST_LIMIT,
            "limit": LIST_LIMIT,
            "form": form,
            "breadcrumbs": [
                {"label": _("Clients"), "url": reverse("clients:list")},
                {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
                {"label": _("Documents"), "url": ""},
            ],
        },
    )


@membership_required
@require_GET
def download(request, client_pk, pk):
    client, access = _documents_client(request, client_pk)
    document = document_for(client, access, pk)
    if document is None:
        raise Http404
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.DOCUMENTS | TYPE_SECTIONS[document.type],
        detail=f"documents:download:{document.pk}",
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
