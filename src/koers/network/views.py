from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import LANGUAGES, NetworkRole, Section
from koers.clients.permissions import client_access, client_accesses, clients_visible_to
from koers.clients.permissions import get_client_for as _get_client_for

from . import selectors, services
from .constants import CONSENT_FORM_LANGUAGES, purpose_label
from .forms import (
    ConsentForm,
    DelegationForm,
    EndInvolvementForm,
    HandoverForm,
    InvolvementForm,
    RelocationForm,
    WarmHandoverForm,
)
from .models import Consent, Delegation, Involvement


def _client(request, client_pk, *, read=Section.NETWORK, write=None):
    """The client through the access rule; 404 unless the section may be read (and written)."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = _get_client_for(membership, client_pk)
    access = client_access(membership, client)
    if not access.can_read(read) or (write is not None and not access.can_write(write)):
        raise Http404
    return client, access


def _household_members(request, client):
    """The household's members this user may see, with their accesses."""
    members = list(
        clients_visible_to(request.membership)
        .filter(household_id=client.household_id)
        .order_by("family_name", "given_names", "id")
    )
    return members, client_accesses(request.membership, members)


def _crumbs(client, label):
    return [
        {"label": _("Clients"), "url": reverse("clients:list")},
        {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
        {"label": _("Network"), "url": reverse("network:household", args=[client.pk])},
        {"label": label, "url": ""},
    ]


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@membership_required
def household(request, client_pk):
    client, access = _client(request, client_pk)
    members, accesses = _household_members(request, client)
    accesses = {pk: a for pk, a in accesses.items() if a.can_read(Section.NETWORK)}
    network = selectors.household_network(client.household_id)
    ended = selectors.ended_involvements(client.household_id)
    can_write = access.can_write(Section.NETWORK)
    audit_reads(
        request, accesses, action=Action.VIEW, sections=Section.NETWORK, detail="network:household"
    )
    return render(
        request,
        "network/household.html",
        {
            "client": client,
            "household": client.household,
            "members": [m for m in members if m.pk in accesses],
            "network": network,
            "ended": ended,
            "has_regisseur": any(i.role == NetworkRole.REGISSEUR for i in network),
            "handovers": selectors.warm_handovers(client.household_id),
            "can_write": can_write,
            "can_relocate": access.can_write(Section.BASIS)
            and request.membership.organisation.is_municipal,
            "breadcrumbs": [
                {"label": _("Clients"), "url": reverse("clients:list")},
                {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
                {"label": _("Network"), "url": ""},
            ],
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def involvement_add(request, client_pk):
    client, access = _client(request, client_pk, write=Section.NETWORK)
    refresh = request.method == "POST" and request.POST.get("refresh")
    data = request.POST if request.method == "POST" else None
    organisation_id = (data or request.GET).get("organisation") or None
    if organisation_id and not str(organisation_id).isdigit():
        organisation_id = None
    form_kwargs = {
        "people": selectors.person_choices(organisation_id),
        "refresh_url": request.path,
    }
    if refresh:
        # Only the person choices change: show the form again with what was typed, unsaved.
        form = InvolvementForm(initial=data.dict(), **form_kwargs)
    else:
        form = InvolvementForm(data, **form_kwargs)
    if data is not None and not refresh and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.involvement_add(
                request,
                household=client.household,
                organisation=cleaned["organisation"],
                membership=cleaned["membership"],
                person_name=cleaned["person_name"],
                role=cleaned["role"],
                start_date=cleaned["start_date"],
                phone=cleaned["phone"],
                email=cleaned["email"],
                note=cleaned["note"],
                task_sections=cleaned["task_sections"],
                access=access,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The involvement is added to the network."))
            return redirect("network:household", client_pk=client.pk)
    context = {
        "client": client,
        "form": form,
        "breadcrumbs": _crumbs(client, _("Add to the network")),
    }
    template = "network/involvement_form.html"
    if request.htmx and refresh:
        template += "#person-choices"
    return render(request, template, context)


@membership_required
@require_http_methods(["GET", "POST"])
def involvement_end(request, client_pk, pk):
    client, access = _client(request, client_pk, write=Section.NETWORK)
    involvement = get_object_or_404(
        Involvement.objects.select_related("organisation", "membership__user"),
        pk=pk,
        household_id=client.household_id,
    )
    form = EndInvolvementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_end(
                request,
                involvement=involvement,
                end_date=form.cleaned_data["end_date"],
                access=access,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The involvement is ended."))
            return redirect("network:household", client_pk=client.pk)
    return render(
        request,
        "network/involvement_end.html",
        {
            "client": client,
            "involvement": selectors._with_contact(involvement),
            "form": form,
            "breadcrumbs": _crumbs(client, _("End an involvement")),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def handover(request, client_pk):
    client, access = _client(request, client_pk, write=Section.NETWORK)
    household = client.household
    form = HandoverForm(request.POST or None, candidates=selectors.regisseur_candidates(household))
    if request.method == "POST" and form.is_valid():
        try:
            services.regisseur_assign(
                request,
                household=household,
                membership=form.cleaned_data["membership"],
                note=form.cleaned_data["note"],
                access=access,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The regie is handed over."))
            return redirect("network:household", client_pk=client.pk)
    current = next(
        (i for i in selectors.household_network(household.pk) if i.role == NetworkRole.REGISSEUR),
        None,
    )
    return render(
        request,
        "network/handover.html",
        {
            "client": client,
            "form": form,
            "current": current,
            "breadcrumbs": _crumbs(client, _("Hand over the regie")),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def warm_handover(request, client_pk):
    client, access = _client(request, client_pk, write=Section.NETWORK)
    form = WarmHandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.warm_handover_record(
                request,
                household=client.household,
                recorded_by=request.membership,
                access=access,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The warm handover from COA is recorded."))
            return redirect("network:household", client_pk=client.pk)
    return render(
        request,
        "network/form_page.html",
        {
            "client": client,
            "form": form,
            "title": _("Warm handover from COA"),
            "intro": _("Record what came from COA at the warm handover, and on which basis."),
            "submit": _("Save"),
            "breadcrumbs": _crumbs(client, _("Warm handover from COA")),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def relocation(request, client_pk):
    client, access = _client(request, client_pk, read=Section.BASIS, write=Section.BASIS)
    if not request.membership.organisation.is_municipal:
        raise Http404
    form = RelocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_record(
                request,
                client=client,
                recorded_by=request.membership,
                access=access,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The move out is recorded."))
            return redirect("network:household", client_pk=client.pk)
    return render(
        request,
        "network/form_page.html",
        {
            "client": client,
            "form": form,
            "title": _("Move out to another municipality"),
            "intro": _(
                "The status of %(name)s becomes “moved”. After the date set below, this "
                "municipality no longer has access to the dossier."
            )
            % {"name": client.full_name},
            "submit": _("Record the move out"),
            "breadcrumbs": _crumbs(client, _("Move out")),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def consents(request, client_pk):
    client, access = _client(request, client_pk)
    can_write = access.can_write(Section.NETWORK)
    form = ConsentForm(request.POST or None) if can_write else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.consent_record(
                    request,
                    client=client,
                    recorded_by=request.membership,
                    access=access,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The consent is recorded."))
                return redirect("network:consents", client_pk=client.pk)
    current, ended = selectors.client_consents(client.pk)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.NETWORK,
        detail="network:consents",
    )
    return render(
        request,
        "network/consents.html",
        {
            "client": client,
            "current": current,
            "ended": ended,
            "form": form,
            "can_write": can_write,
            "breadcrumbs": _crumbs(client, _("Consent")),
        },
    )


@membership_required
@require_POST
def consent_withdraw(request, client_pk, pk):
    client, access = _client(request, client_pk, write=Section.NETWORK)
    consent = get_object_or_404(Consent, pk=pk, client_id=client.pk)
    services.consent_withdraw(request, consent=consent, access=access)
    messages.success(request, _("The consent is withdrawn, effective today."))
    return redirect("network:consents", client_pk=client.pk)


@membership_required
def consent_print(request, client_pk, pk):
    client, access = _client(request, client_pk)
    consent = get_object_or_404(
        Consent.objects.select_related("organisation", "recorded_by__user"),
        pk=pk,
        client_id=client.pk,
    )
    shipped, spoken = selectors.consent_form_language(client.pk)
    chosen = request.GET.get("taal")
    language = chosen if chosen in CONSENT_FORM_LANGUAGES else (shipped or "nl")
    language_names = dict(LANGUAGES)
    needs_translation = bool(spoken) and not shipped
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | Section.NETWORK,
        detail=f"network:consent_print:{consent.pk}",
    )
    with translation.override(language):
        form_text = {
            "purpose": purpose_label(consent.purpose),
            "sections": selectors.section_plain_words(consent.sections),
            "how_given": consent.get_how_given_display(),
        }
    return render(
        request,
        "network/consent_print.html",
        {
            "client": client,
            "consent": consent,
            "form_language": language,
            "form_text": form_text,
            "needs_translation": needs_translation,
            "client_language_name": language_names.get(spoken, spoken),
            "other_languages": [code for code in CONSENT_FORM_LANGUAGES if code != language],
            "breadcrumbs": _crumbs(client, _("Consent form")),
        },
    )


# --- delegation (waarnemer) ----------------------------------------------------------------


def _delegation_member(request):
    if not selectors.can_manage_delegations(request.membership):
        raise Http404
    return request.membership


@membership_required
def delegations(request):
    membership = _delegation_member(request)
    rows = selectors.visible_delegations(membership)
    today = timezone.localdate()
    for row in rows:
        row.can_end = selectors.can_end_delegation(membership, row)
        row.is_current = row.start_date <= today
    return render(
        request,
        "network/delegations.html",
        {
            "delegations": rows,
            "breadcrumbs": [{"label": _("Stand-ins"), "url": ""}],
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def delegation_create(request):
    membership = _delegation_member(request)
    form = DelegationForm(
        request.POST or None,
        sources=selectors.delegation_sources(membership),
        colleagues=selectors.delegation_colleagues(membership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_create(request, created_by=membership, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The stand-in is recorded."))
            return redirect("network:delegations")
    return render(
        request,
        "network/delegation_form.html",
        {
            "form": form,
            "breadcrumbs": [
                {"label": _("Stand-ins"), "url": reverse("network:delegations")},
                {"label": _("Record a stand-in"), "url": ""},
            ],
        },
    )


@membership_required
@require_POST
def delegation_end(request, pk):
    membership = _delegation_member(request)
    delegation = get_object_or_404(Delegation.objects.select_related("from_membership"), pk=pk)
    if not selectors.can_end_delegation(membership, delegation):
        raise Http404
    services.delegation_end(request, delegation=delegation)
    messages.success(request, _("The stand-in is ended."))
    return redirect("network:delegations")
