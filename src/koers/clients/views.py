from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.network.selectors import network_card

from .constants import Section
from .forms import BreakGlassForm
from .permissions import (
    break_glass_candidates,
    can_break_glass,
    client_access,
    client_accesses,
    clients_visible_to,
    get_client_for,
)
from .selectors import client_page
from .services import break_glass_open


@membership_required
def client_list(request):
    membership = request.membership
    after = None
    if request.GET.get("na"):
        try:
            after = get_client_for(membership, request.GET["na"])
        except Http404:
            after = None
    clients, has_next = client_page(membership, after=after)
    accesses = client_accesses(membership, clients)
    audit_reads(
        request, accesses, action=Action.LIST, sections=Section.BASIS, detail="clients:list"
    )
    context = {
        "clients": clients,
        "next_cursor": clients[-1].pk if has_next and clients else None,
        "links_to_dossier": membership.opens_dossiers,
    }
    template = "clients/client_list.html#rows" if request.htmx else "clients/client_list.html"
    return render(request, template, context)


@membership_required
def client_detail(request, pk):
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, pk)
    access = client_access(membership, client)
    card = network_card(access, client)
    shown = Section.BASIS | (Section.NETWORK if card["network_visible"] else Section.none())
    audit_reads(
        request, {client.pk: access}, action=Action.VIEW, sections=shown, detail="clients:detail"
    )
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "access": access,
            "readable_sections": access.read.labels(),
            **card,
            "via_break_glass": access.basis == "break_glass",
            "breadcrumbs": [
                {"label": _("Clients"), "url": reverse("clients:list")},
                {"label": client.full_name, "url": ""},
            ],
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def break_glass(request):
    membership = request.membership
    if not can_break_glass(membership):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["client_number"]
        if clients_visible_to(membership).filter(pk=number).exists():
            return redirect("clients:detail", pk=number)
        client = break_glass_candidates(membership).filter(pk=number).first()
        if client is None:
            form.add_error(
                "client_number",
                _("There is no client with this number in your organisation's municipalities."),
            )
        else:
            break_glass_open(
                request, membership=membership, client=client, reason=form.cleaned_data["reason"]
            )
            messages.warning(
                request,
                _("Emergency access is recorded and will be reviewed by the privacy officer."),
            )
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/break_glass.html", {"form": form})
