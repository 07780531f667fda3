"""Work, income and education of one client: the overview, and add, edit and end forms.

Everything here is the WORK_INCOME section: who may not read it gets 404 (not allowed looks
like not found), who may read but not write it sees the overview without the buttons."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import get_client_with_section
from koers.clients.selectors import dossier_breadcrumbs
from koers.core.forms_views import add_validation_errors, save_form, saved

from .forms import (
    BenefitEndForm,
    BenefitForm,
    EnrolmentEndForm,
    EnrolmentForm,
    JobEndForm,
    JobForm,
)
from .models import Benefit, EducationEnrolment, Job
from .selectors import client_work
from .services import work_entry_create, work_entry_end, work_entry_update

# URL word -> model, form, end form, titles (add, edit, end).
KINDS = {
    "uitkering": (
        Benefit,
        BenefitForm,
        BenefitEndForm,
        gettext_lazy("Add a benefit"),
        gettext_lazy("Edit benefit"),
        gettext_lazy("End benefit"),
    ),
    "werk": (
        Job,
        JobForm,
        JobEndForm,
        gettext_lazy("Add work"),
        gettext_lazy("Edit work"),
        gettext_lazy("End work"),
    ),
    "opleiding": (
        EducationEnrolment,
        EnrolmentForm,
        EnrolmentEndForm,
        gettext_lazy("Add an education enrolment"),
        gettext_lazy("Edit education enrolment"),
        gettext_lazy("End education enrolment"),
    ),
}

CREATE_TOKENS = "work_create_tokens"


def _work_client(request, client_pk, *, write=False):
    return get_client_with_section(request.membership, client_pk, Section.WORK_INCOME, write=write)


def _breadcrumbs(client, label=None):
    return dossier_breadcrumbs(client, _("Work, income and education"), "work:client", label)


@membership_required
def client_overview(request, client_pk):
    client, access = _work_client(request, client_pk)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | Section.WORK_INCOME,
        detail="work:client",
    )
    return render(
        request,
        "work/client_work.html",
        {
            "client": client,
            "can_edit": access.can_write(Section.WORK_INCOME),
            **client_work(client),
            "breadcrumbs": _breadcrumbs(client),
        },
    )


def _form_page(request, client, form, *, title, status=200):
    return render(
        request,
        "work/form_page.html",
        {
            "client": client,
            "form": form,
            "title": title,
            "cancel_url": reverse("work:client", args=[client.pk]),
            "breadcrumbs": _breadcrumbs(client, title),
        },
        status=status,
    )


def _display(field, value) -> str:
    if value in (None, ""):
        return "–"
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return str(value)


def _conflict(request, client, form, current, fields, title):
    """Someone else saved first: nothing was written; show what was tried and what is saved
    (409), as the dossier's own edits do."""
    rows = []
    for name in fields:
        tried, now = form.cleaned_data.get(name), getattr(current, name)
        if (tried or None) != (now or None):
            field = form.fields[name]
            rows.append(
                {"label": field.label, "tried": _display(field, tried), "now": _display(field, now)}
            )
    return render(
        request,
        "clients/conflict.html",
        {
            "client": client,
            "rows": rows,
            "heading": title,
            "back_url": request.path,
            "breadcrumbs": _breadcrumbs(client, title),
        },
        status=409,
    )


@membership_required
@require_http_methods(["GET", "POST"])
def entry_add(request, client_pk, kind):
    if kind not in KINDS:
        raise Http404
    model, form_class, _end_form, title, _edit, _end = KINDS[kind]
    client, access = _work_client(request, client_pk, write=True)
    form = form_class(request.POST or None, instance=model(client=client))
    if request.method == "POST":
        done = request.session.get(CREATE_TOKENS, [])
        token = request.POST.get("token", "")
        if token and token in done:
            # The same form submitted again: it was recorded the first time.
            return redirect("work:client", client_pk=client.pk)
        if form.is_valid():
            try:
                work_entry_create(
                    request,
                    client=client,
                    access=access,
                    model=model,
                    values=form.values(),
                    recorded_by=request.membership,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                if token:
                    request.session[CREATE_TOKENS] = [*done, token][-20:]
                messages.success(request, _("Saved."))
                return redirect("work:client", client_pk=client.pk)
    return _form_page(request, client, form, title=title)


def _entry_page(request, client_pk, kind, entry_pk, *, end: bool):
    """Change a row (`end`: end it) over the version the form was loaded with: on success back
    to the overview; on a stale version the conflict page (409); on a rule the form with the
    errors next to the fields."""
    if kind not in KINDS:
        raise Http404
    model, form_class, end_form_class, _add, edit_title, end_title = KINDS[kind]
    client, access = _work_client(request, client_pk, write=True)
    entry = get_object_or_404(model, pk=entry_pk, client=client)
    title = end_title if end else edit_title
    form = (end_form_class if end else form_class)(request.POST or None, instance=entry)
    service = work_entry_end if end else work_entry_update
    response = save_form(
        request,
        form,
        lambda: service(
            request,
            client=client,
            access=access,
            instance=entry,
            **{"values" if end else "changes": form.values()},
            version=form.cleaned_data["version"],
        ),
        done=lambda _entry: saved(request, _("Saved."), "work:client", client_pk=client.pk),
        conflict=lambda conflict: _conflict(
            request, client, form, conflict.current, list(form.values()), title
        ),
    )
    if response is not None:
        return response
    if request.method == "GET":
        audit_reads(
            request,
            {client.pk: access},
            action=Action.VIEW,
            sections=Section.WORK_INCOME,
            detail="work:end" if end else "work:edit",
        )
    return _form_page(request, client, form, title=f"{title}: {entry}" if end else title)


@membership_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, client_pk, kind, entry_pk):
    return _entry_page(request, client_pk, kind, entry_pk, end=False)


@membership_required
@require_http_methods(["GET", "POST"])
def entry_end(request, client_pk, kind, entry_pk):
    return _entry_page(request, client_pk, kind, entry_pk, end=True)
