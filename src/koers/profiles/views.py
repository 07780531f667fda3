from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from koers.accounts.constants import Role
from koers.accounts.decorators import membership_required, role_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import get_client_with_section
from koers.clients.selectors import dossier_breadcrumbs
from koers.core.forms_views import add_validation_errors
from koers.organisations.services import StaleStateError

from .forms import (
    AvailabilityForm,
    CertificateForm,
    DirectionForm,
    DirectionPreferenceForm,
    EducationForm,
    LanguageLevelForm,
    WorkExperienceForm,
)
from .models import (
    Availability,
    Certificate,
    DirectionPreference,
    Education,
    ProfessionalDirection,
    WorkExperience,
)
from .selectors import client_profile, directions_for_admin
from .services import (
    direction_create,
    direction_preference_remove,
    direction_update,
    language_level_record,
    profile_entry_delete,
    profile_entry_save,
)

# The profile parts edited with one generic add/edit page: URL word -> model, form, titles.
ENTRY_KINDS = {
    "opleiding": (
        Education,
        EducationForm,
        gettext_lazy("Add education"),
        gettext_lazy("Edit education"),
    ),
    "werkervaring": (
        WorkExperience,
        WorkExperienceForm,
        gettext_lazy("Add work experience"),
        gettext_lazy("Edit work experience"),
    ),
    "voorkeur": (
        DirectionPreference,
        DirectionPreferenceForm,
        gettext_lazy("Add preferred direction"),
        gettext_lazy("Edit preferred direction"),
    ),
    "certificaat": (
        Certificate,
        CertificateForm,
        gettext_lazy("Add certificate"),
        gettext_lazy("Edit certificate"),
    ),
}

# The parts that may be deleted (language levels are history and stay): URL word -> title.
DELETE_TITLES = {
    "opleiding": gettext_lazy("Delete education"),
    "werkervaring": gettext_lazy("Delete work experience"),
    "certificaat": gettext_lazy("Delete certificate"),
}


def _profile_client(request, client_pk, *, write=False):
    return get_client_with_section(request.membership, client_pk, Section.PROFILE, write=write)


def _breadcrumbs(client, label=None):
    return dossier_breadcrumbs(client, _("Profile"), "profiles:client", label)


@membership_required
def client_profile_page(request, client_pk):
    client, access = _profile_client(request, client_pk)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | Section.PROFILE,
        detail="profiles:client",
    )
    return render(
        request,
        "profiles/client_profile.html",
        {
            "client": client,
            "can_edit": access.can_write(Section.PROFILE),
            **client_profile(client),
            "breadcrumbs": _breadcrumbs(client),
        },
    )


def _render_form(request, client, form, *, title, stale=False):
    return render(
        request,
        "profiles/form_page.html",
        {
            "client": client,
            "form": form,
            "title": title,
            "stale": stale,
            "cancel_url": reverse("profiles:client", args=[client.pk]),
            "breadcrumbs": _breadcrumbs(client, title),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, client_pk, kind, entry_pk=None):
    if kind not in ENTRY_KINDS:
        raise Http404
    model, form_class, add_title, edit_title = ENTRY_KINDS[kind]
    client, access = _profile_client(request, client_pk, write=True)
    instance = model(client=client)
    if entry_pk is not None:
        instance = get_object_or_404(model, pk=entry_pk, client=client)
    title = edit_title if entry_pk is not None else add_title
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            profile_entry_save(
                request,
                client=client,
                access=access,
                instance=instance,
                values=form.values(),
                loaded_state=form.cleaned_data.get("loaded_state"),
            )
        except StaleStateError:
            current = get_object_or_404(model, pk=instance.pk, client=client)
            return _render_form(
                request, client, form_class(instance=current), title=title, stale=True
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("profiles:client", client_pk=client.pk)
    audit_reads(request, {client.pk: access}, action=Action.VIEW, sections=Section.PROFILE)
    return _render_form(request, client, form, title=title)


def _describe(entry) -> str:
    """What the confirmation page names, so the right entry is deleted."""
    if isinstance(entry, Education):
        parts = [entry.get_level_display(), entry.field, entry.year]
    elif isinstance(entry, WorkExperience):
        parts = [entry.occupation, entry.get_country_display()]
    else:
        parts = [entry.display_name]
    return " · ".join(str(part) for part in parts if part)


@membership_required
@require_http_methods(["GET", "POST"])
def entry_delete(request, client_pk, kind, entry_pk):
    """GET asks to confirm; only a POST deletes."""
    if kind not in DELETE_TITLES:
        raise Http404
    model = ENTRY_KINDS[kind][0]
    client, access = _profile_client(request, client_pk, write=True)
    entry = get_object_or_404(model, pk=entry_pk, client=client)
    if request.method == "POST":
        try:
            profile_entry_delete(request, client=client, access=access, instance=entry)
        except model.DoesNotExist:  # deleted by someone else in the meantime
            raise Http404 from None
        messages.success(request, _("Deleted from the profile."))
        return redirect("profiles:client", client_pk=client.pk)
    audit_reads(request, {client.pk: access}, action=Action.VIEW, sections=Section.PROFILE)
    title = DELETE_TITLES[kind]
    return render(
        request,
        "profiles/entry_delete.html",
        {
            "client": client,
            "entry": _describe(entry),
            "title": title,
            "cancel_url": reverse("profiles:client", args=[client.pk]),
            "breadcrumbs": _breadcrumbs(client, title),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def availability_edit(request, client_pk):
    client, access = _profile_client(request, client_pk, write=True)
    instance = Availability.objects.filter(client=client).first() or Availability(client=client)
    title = _("Availability")
    form = AvailabilityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            profile_entry_save(
                request,
                client=client,
                access=access,
                instance=instance,
                values=form.values(),
                loaded_state=form.cleaned_data.get("loaded_state"),
            )
        except StaleStateError:
            current = Availability.objects.get(pk=instance.pk)
            return _render_form(
                request, client, AvailabilityForm(instance=current), title=title, stale=True
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("profiles:client", client_pk=client.pk)
    audit_reads(request, {client.pk: access}, action=Action.VIEW, sections=Section.PROFILE)
    return _render_form(request, client, form, title=title)


@membership_required
@require_http_methods(["GET", "POST"])
def language_level_add(request, client_pk):
    client, access = _profile_client(request, client_pk, write=True)
    form = LanguageLevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            language_level_record(
                request,
                client=client,
                access=access,
                recorded_by=request.membership,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("profiles:client", client_pk=client.pk)
    return _render_form(request, client, form, title=_("Record a language level"))


@membership_required
@require_POST
def preference_remove(request, client_pk, entry_pk):
    client, access = _profile_client(request, client_pk, write=True)
    preference = get_object_or_404(DirectionPreference, pk=entry_pk, client=client)
    direction_preference_remove(request, client=client, access=access, preference=preference)
    return redirect("profiles:client", client_pk=client.pk)


# --- The functional administrator's list of directions -----------------------------------------


@role_required(Role.FUNCTIONAL_ADMIN)
@require_http_methods(["GET", "POST"])
def direction_list(request):
    form = DirectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            direction_create(request, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("profiles:directions")
    return render(
        request,
        "profiles/direction_list.html",
        {
            "directions": directions_for_admin(),
            "form": form,
            "breadcrumbs": [{"label": _("Professional directions"), "url": ""}],
        },
    )


@role_required(Role.FUNCTIONAL_ADMIN)
@require_http_methods(["GET", "POST"])
def direction_edit(request, pk):
    direction = get_object_or_404(ProfessionalDirection, pk=pk)
    form = DirectionForm(request.POST or None, instance=direction)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            direction_update(
                request,
                direction=direction,
                name=form.cleaned_data["name"],
                active=form.cleaned_data["active"],
                loaded_state=form.cleaned_data["loaded_state"],
            )
        except StaleStateError:
            stale = True
            form = DirectionForm(instance=ProfessionalDirection.objects.get(pk=pk))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("profiles:directions")
    title = _("Edit direction")
    return render(
        request,
        "profiles/direction_edit.html",
        {
            "form": form,
            "title": title,
            "stale": stale,
            "cancel_url": reverse("profiles:directions"),
            "breadcrumbs": [
                {"label": _("Professional directions"), "url": reverse("profiles:directions")},
                {"label": direction.name, "url": ""},
            ],
        },
    )
