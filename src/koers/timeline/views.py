from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import client_access, client_accesses, clients_visible_to
from koers.clients.permissions import get_client_for as _get_client_for

from . import selectors, services
from .constants import ContactStatus
from .forms import (
    ContactMomentForm,
    NoteForm,
    TimelineFilterForm,
    WalkInSessionForm,
    WalkInVisitForm,
)
from .models import ContactMoment


def _household(request, client_pk):
    """The addressed client, its access and the visible members of its household; 404 when the
    membership may not open this timeline at all."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = _get_client_for(membership, client_pk)
    access = client_access(membership, client)
    if not selectors.can_open_timeline(membership, access):
        raise Http404
    members = list(
        clients_visible_to(membership)
        .filter(household_id=client.household_id)
        .order_by("given_names", "family_name", "id")
    )
    return client, access, members


def _crumbs(client, *tail):
    return [
        {"label": _("Clients"), "url": reverse("clients:list")},
        {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
        *tail,
    ]


@membership_required
def household(request, client_pk):
    membership = request.membership
    client, access, members = _household(request, client_pk)
    authors, organisations = selectors.timeline_filter_choices(client.household_id)
    filters = TimelineFilterForm(request.GET or None, authors=authors, organisations=organisations)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    accesses = client_accesses(membership, members)
    entries, next_cursor = selectors.timeline_page(
        membership,
        access,
        client.household_id,
        accesses=accesses,
        kinds=chosen.get("soort") or [],
        organisation_id=chosen.get("organisatie"),
        author_id=chosen.get("auteur"),
        cursor=request.GET.get("na"),
    )
    for entry in entries:
        entry.editable = entry.kind == "contact" and services.can_edit_contact(
            membership, access, entry.obj
        )
    # One row per member shown, with the sections shown about that member.
    for client_id, sections in selectors.timeline_read_sections(entries, accesses).items():
        audit_reads(
            request,
            {client_id: accesses[client_id]},
            action=Action.VIEW,
            sections=sections,
            detail="timeline:household",
        )
    query = request.GET.copy()
    query.pop("na", None)
    if next_cursor:
        query["na"] = next_cursor
    can_write = bool(selectors.writable_levels(access))
    context = {
        "client": client,
        "members": members,
        "entries": entries,
        "filters": filters,
        "next_query": query.urlencode() if next_cursor else "",
        "can_add": can_write,
        "breadcrumbs": _crumbs(client, {"label": _("Timeline"), "url": ""}),
    }
    if request.htmx and request.GET.get("na"):
        return render(request, "timeline/household.html#entries", context)
    return render(request, "timeline/household.html", context)


def _writable(access):
    levels = selectors.writable_levels(access)
    if not levels:
        raise Http404
    return levels


@membership_required
@require_http_methods(["GET", "POST"])
def contact_create(request, client_pk):
    membership = request.membership
    client, access, members = _household(request, client_pk)
    levels = _writable(access)
    member_qs = clients_visible_to(membership).filter(household_id=client.household_id)
    form = ContactMomentForm(
        request.POST or None,
        members=member_qs,
        levels=levels,
        walk_ins=selectors.walk_ins_for_contact(membership, client.household),
        initial={"clients": [client.pk]},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.contact_moment_create(
            request,
            membership=membership,
            access=access,
            client=client,
            clients=data.pop("clients"),
            form_token=data.pop("form_token"),
            **data,
        )
        messages.success(request, _("The contact moment has been recorded."))
        return redirect("timeline:household", client_pk=client.pk)
    return render(
        request,
        "timeline/contact_form.html",
        {
            "form": form,
            "client": client,
            "title": _("Record a contact moment"),
            "breadcrumbs": _crumbs(
                client,
                {"label": _("Timeline"), "url": reverse("timeline:household", args=[client.pk])},
                {"label": _("Record a contact moment"), "url": ""},
            ),
        },
    )


def _editable_contact(request, client, access, pk) -> ContactMoment:
    contact = get_object_or_404(ContactMoment, pk=pk, household_id=client.household_id)
    if not services.can_edit_contact(request.membership, access, contact):
        raise Http404
    return contact


@membership_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, client_pk, pk):
    membership = request.membership
    client, access, members = _household(request, client_pk)
    levels = _writable(access)
    contact = _editable_contact(request, client, access, pk)
    member_qs = clients_visible_to(membership).filter(household_id=client.household_id)
    form = ContactMomentForm(
        request.POST or None,
        instance=contact,
        members=member_qs,
        levels=levels,
        walk_ins=selectors.walk_ins_for_contact(membership, client.household),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # Members this membership cannot see stay linked as they were.
        hidden = [c for c in contact.clients.all() if c.pk not in {m.pk for m in members}]
        services.contact_moment_update(
            request,
            membership=membership,
            access=access,
            client=client,
            contact=contact,
            clients=[*data.pop("clients"), *hidden],
            **data,
        )
        messages.success(request, _("The contact moment has been changed."))
        return redirect("timeline:household", client_pk=client.pk)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | selectors.CONFIDENTIALITY_SECTIONS[contact.confidentiality],
        detail="timeline:contact_edit",
    )
    return render(
        request,
        "timeline/contact_form.html",
        {
            "form": form,
            "client": client,
            "contact": contact,
            "title": _("Change a contact moment"),
            "breadcrumbs": _crumbs(
                client,
                {"label": _("Timeline"), "url": reverse("timeline:household", args=[client.pk])},
                {"label": _("Change a contact moment"), "url": ""},
            ),
        },
    )


@membership_required
@require_POST
def contact_status(request, client_pk, pk):
    membership = request.membership
    client, access, _members = _household(request, client_pk)
    contact = _editable_contact(request, client, access, pk)
    status = request.POST.get("status")
    if status not in (ContactStatus.HELD, ContactStatus.NO_SHOW, ContactStatus.CANCELLED):
        raise Http404
    try:
        services.contact_moment_set_status(
            request,
            membership=membership,
            access=access,
            client=client,
            contact=contact,
            status=status,
        )
    except ValidationError:
        messages.info(request, _("This appointment was already marked."))
    else:
        messages.success(request, _("The appointment has been marked."))
    return redirect("timeline:household", client_pk=client.pk)


@membership_required
@require_http_methods(["GET", "POST"])
def note_create(request, client_pk):
    membership = request.membership
    client, access, members = _household(request, client_pk)
    levels = _writable(access)
    corrects = None
    accesses = {}
    if request.GET.get("corrigeert") or request.POST.get("corrigeert"):
        accesses = client_accesses(membership, members)
        corrects = selectors.readable_note(
            membership,
            access,
            client.household_id,
            request.GET.get("corrigeert") or request.POST.get("corrigeert"),
            accesses=accesses,
        )
        if corrects is None:
            raise Http404
    member_qs = clients_visible_to(membership).filter(household_id=client.household_id)
    form = NoteForm(request.POST or None, members=member_qs, levels=levels)
    if request.method == "POST" and form.is_valid():
        services.note_create(
            request,
            membership=membership,
            access=access,
            client=client,
            about=form.cleaned_data["client"],
            text=form.cleaned_data["text"],
            confidentiality=form.cleaned_data["confidentiality"],
            corrects=corrects,
            form_token=form.cleaned_data["form_token"],
        )
        messages.success(request, _("The note has been added."))
        return redirect("timeline:household", client_pk=client.pk)
    if corrects is not None:
        read = {client.pk: access}
        if corrects.client_id is not None:  # the note shown is about this member
            read[corrects.client_id] = accesses[corrects.client_id]
        audit_reads(
            request,
            read,
            action=Action.VIEW,
            sections=Section.BASIS | selectors.CONFIDENTIALITY_SECTIONS[corrects.confidentiality],
            detail="timeline:note_correct",
        )
    title = _("Correct a note") if corrects else _("Add a note")
    return render(
        request,
        "timeline/note_form.html",
        {
            "form": form,
            "client": client,
            "corrects": corrects,
            "title": title,
            "breadcrumbs": _crumbs(
                client,
                {"label": _("Timeline"), "url": reverse("timeline:household", args=[client.pk])},
                {"label": title, "url": ""},
            ),
        },
    )


# --- walk-in hours ------------------------------------------------------------------------


def _walk_in_member(request):
    if not selectors.sees_walk_ins(request.membership):
        raise PermissionDenied


def _walk_in_crumbs(*tail):
    return [{"label": _("Walk-in hours"), "url": reverse("timeline:walkin_list")}, *tail]


@membership_required
def walkin_list(request):
    _walk_in_member(request)
    return render(
        request,
        "timeline/walkin_list.html",
        {
            "sessions": selectors.walk_in_sessions(request.membership),
            "breadcrumbs": [{"label": _("Walk-in hours"), "url": ""}],
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def walkin_create(request):
    _walk_in_member(request)
    membership = request.membership
    municipality_ids = selectors.walk_in_municipality_ids(membership)
    form = WalkInSessionForm(
        request.POST or None,
        municipalities=selectors.walk_in_municipalities(membership),
        members=selectors.network_members_for(municipality_ids),
    )
    if request.method == "POST" and form.is_valid():
        session = services.walk_in_create(membership=membership, **form.cleaned_data)
        messages.success(request, _("The walk-in hours have been scheduled."))
        return redirect("timeline:walkin_detail", pk=session.pk)
    return render(
        request,
        "timeline/walkin_form.html",
        {
            "form": form,
            "breadcrumbs": _walk_in_crumbs({"label": _("New walk-in hours"), "url": ""}),
        },
    )


def _walkin_context(request, session):
    return {
        "session": session,
        "present": session.present.select_related("user", "organisation").order_by(
            "organisation__name", "user__last_name"
        ),
        "is_open": selectors.walk_in_open(session),
        "visit_form": WalkInVisitForm(),
        "breadcrumbs": _walk_in_crumbs({"label": str(session.location), "url": ""}),
    }


@membership_required
def walkin_detail(request, pk):
    _walk_in_member(request)
    session = selectors.get_walk_in_for(request.membership, pk)
    return render(request, "timeline/walkin_detail.html", _walkin_context(request, session))


@membership_required
@require_POST
def walkin_visit(request, pk):
    _walk_in_member(request)
    session = selectors.get_walk_in_for(request.membership, pk)
    form = WalkInVisitForm(request.POST)
    counted = form.is_valid() and services.walk_in_count_visit(
        session=session, token=form.cleaned_data["token"]
    )
    if request.htmx:
        session.refresh_from_db(fields=["anonymous_visits"])
        context = _walkin_context(request, session)
        context["just_counted"] = counted
        return render(request, "timeline/walkin_detail.html#counter", context)
    if counted:
        messages.success(request, _("The visit has been counted."))
    return redirect("timeline:walkin_detail", pk=session.pk)
