"""The functional administrator's pages (beheer): municipalities, regions, area teams,
organisations and legal bases. Users and memberships live in accounts (same guard)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers.accounts.constants import Role
from koers.accounts.decorators import role_required

from . import selectors, services
from .forms import (
    AreaTeamFilterForm,
    AreaTeamForm,
    LegalBasisEndForm,
    LegalBasisFilterForm,
    LegalBasisForm,
    MunicipalityForm,
    OrganisationForm,
    RegionForm,
)
from .models import AreaTeam, LegalBasis, Municipality, Organisation, Region
from .pages import crumbs, form_page, page_context

admin_required = role_required(Role.FUNCTIONAL_ADMIN)


def _changes(form) -> dict:
    """An edit form's changes with the state they were made from (see services.lock_unchanged)."""
    return {"loaded_state": form.cleaned_data["loaded_state"], **form.changes()}


@admin_required
def index(request):
    counts = selectors.admin_counts()
    areas = [
        {
            "label": _("Municipalities"),
            "url": reverse("organisations:municipality_list"),
            "count": counts.municipalities,
            "description": _("CBS code, name, what volunteers may see at most"),
        },
        {
            "label": _("Regions"),
            "url": reverse("organisations:region_list"),
            "count": counts.regions,
            "description": _("Municipalities served together by one team"),
        },
        {
            "label": _("Area teams"),
            "url": reverse("organisations:area_team_list"),
            "count": counts.area_teams,
            "description": _("Subdivisions of a municipality"),
        },
        {
            "label": _("Organisations"),
            "url": reverse("organisations:organisation_list"),
            "count": counts.organisations,
            "description": _("Municipal organisations and partners"),
        },
        {
            "label": _("Legal bases"),
            "url": reverse("organisations:legal_basis_list"),
            "count": counts.legal_bases_in_force,
            "count_label": _("in force"),
            "description": _("On what ground a partner processes a municipality's clients"),
        },
        {
            "label": _("Users"),
            "url": reverse("accounts:user_list"),
            "count": counts.users,
            "count_label": _("active"),
            "description": _("Accounts, memberships and two-factor authentication"),
        },
        {
            "label": _("First-phase checklists"),
            "url": reverse("checklist:templates"),
            "count": counts.checklist_templates,
            "description": _("The tasks every new household starts with, per municipality"),
        },
        {
            "label": _("PIP letter templates"),
            "url": reverse("pip:letter_templates"),
            "count": counts.municipalities,
            "count_label": _("municipalities"),
            "description": _("Letterhead, signatory and objection clause of the PIP letter"),
        },
        {
            "label": _("Optional instruments"),
            "url": reverse("instruments:settings"),
            "count": counts.municipalities,
            "count_label": _("municipalities"),
            "description": _("Which municipalities use Positieve Gezondheid"),
        },
    ]
    return render(request, "organisations/index.html", page_context(crumbs(), areas=areas))


# --- Municipalities --------------------------------------------------------------------------


@admin_required
def municipality_list(request):
    page = selectors.municipality_page(request.GET.get("page"))
    return render(
        request,
        "organisations/municipality_list.html",
        page_context(crumbs((_("Municipalities"), None)), page=page),
    )


def _municipality_crumbs(title):
    return crumbs((_("Municipalities"), reverse("organisations:municipality_list")), (title, None))


@admin_required
@require_http_methods(["GET", "POST"])
def municipality_create(request):
    title = _("New municipality")
    back = reverse("organisations:municipality_list")
    return form_page(
        request,
        MunicipalityForm(request.POST or None),
        save=lambda form: services.municipality_create(request, **form.changes()),
        success_message=lambda town: _("Municipality %(name)s was added.") % {"name": town.name},
        success_url=back,
        context=lambda: page_context(_municipality_crumbs(title), title=title, cancel_url=back),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def municipality_edit(request, pk):
    municipality = get_object_or_404(Municipality, pk=pk)
    back = reverse("organisations:municipality_list")
    return form_page(
        request,
        MunicipalityForm(request.POST or None, instance=municipality),
        save=lambda form: services.municipality_update(
            request, municipality=municipality, **_changes(form)
        ),
        reload=lambda: MunicipalityForm(instance=Municipality.objects.get(pk=pk)),
        success_message=_("The changes were saved."),
        success_url=back,
        template="organisations/municipality_edit.html",
        context=lambda: page_context(
            _municipality_crumbs(municipality.name),
            title=municipality.name,
            municipality=municipality,
            area_teams=municipality.area_teams.order_by("name")[: selectors.PAGE_SIZE],
            cancel_url=back,
        ),
    )


# --- Regions ---------------------------------------------------------------------------------


@admin_required
def region_list(request):
    page = selectors.region_page(request.GET.get("page"))
    return render(
        request,
        "organisations/region_list.html",
        page_context(crumbs((_("Regions"), None)), page=page),
    )


def _region_crumbs(title):
    return crumbs((_("Regions"), reverse("organisations:region_list")), (title, None))


@admin_required
@require_http_methods(["GET", "POST"])
def region_create(request):
    title = _("New region")
    back = reverse("organisations:region_list")
    return form_page(
        request,
        RegionForm(request.POST or None),
        save=lambda form: services.region_create(request, **form.changes()),
        success_message=lambda region: _("Region %(name)s was added.") % {"name": region.name},
        success_url=back,
        context=lambda: page_context(_region_crumbs(title), title=title, cancel_url=back),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def region_edit(request, pk):
    region = get_object_or_404(Region, pk=pk)
    back = reverse("organisations:region_list")
    return form_page(
        request,
        RegionForm(request.POST or None, instance=region),
        save=lambda form: services.region_update(request, region=region, **_changes(form)),
        reload=lambda: RegionForm(instance=Region.objects.get(pk=pk)),
        success_message=_("The changes were saved."),
        success_url=back,
        context=lambda: page_context(
            _region_crumbs(region.name), title=region.name, cancel_url=back
        ),
    )


# --- Area teams ------------------------------------------------------------------------------


@admin_required
def area_team_list(request):
    filters = AreaTeamFilterForm(request.GET or None)
    municipality = filters.cleaned_data["municipality"] if filters.is_valid() else None
    page = selectors.area_team_page(request.GET.get("page"), municipality=municipality)
    create_url = reverse("organisations:area_team_create")
    if municipality is not None:
        create_url += f"?municipality={municipality.pk}"
    return render(
        request,
        "organisations/area_team_list.html",
        page_context(
            crumbs((_("Area teams"), None)),
            page=page,
            filters=filters,
            municipality=municipality,
            create_url=create_url,
        ),
    )


def _area_team_crumbs(title):
    return crumbs((_("Area teams"), reverse("organisations:area_team_list")), (title, None))


def _area_teams_of(team: AreaTeam) -> str:
    """The area team list, filtered on the team's municipality."""
    return reverse("organisations:area_team_list") + f"?municipality={team.municipality_id}"


@admin_required
@require_http_methods(["GET", "POST"])
def area_team_create(request):
    initial = {}
    if request.GET.get("municipality", "").isdigit():
        initial["municipality"] = request.GET["municipality"]
    title = _("New area team")
    return form_page(
        request,
        AreaTeamForm(request.POST or None, initial=initial),
        save=lambda form: services.area_team_create(request, **form.changes()),
        success_message=lambda team: _("Area team %(name)s was added.") % {"name": team.name},
        success_url=_area_teams_of,
        context=lambda: page_context(
            _area_team_crumbs(title),
            title=title,
            cancel_url=reverse("organisations:area_team_list"),
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def area_team_edit(request, pk):
    area_team = get_object_or_404(AreaTeam.objects.select_related("municipality"), pk=pk)
    return form_page(
        request,
        AreaTeamForm(request.POST or None, instance=area_team),
        save=lambda form: services.area_team_update(request, area_team=area_team, **_changes(form)),
        reload=lambda: AreaTeamForm(instance=AreaTeam.objects.get(pk=pk)),
        success_message=_("The changes were saved."),
        success_url=_area_teams_of,
        context=lambda: page_context(
            _area_team_crumbs(area_team.name),
            title=area_team.name,
            subtitle=_("Area team of %(municipality)s")
            % {"municipality": area_team.municipality.name},
            cancel_url=reverse("organisations:area_team_list"),
        ),
    )


# --- Organisations ---------------------------------------------------------------------------


@admin_required
def organisation_list(request):
    page = selectors.organisation_page(request.GET.get("page"))
    return render(
        request,
        "organisations/organisation_list.html",
        page_context(crumbs((_("Organisations"), None)), page=page),
    )


def _organisation_crumbs(title):
    return crumbs((_("Organisations"), reverse("organisations:organisation_list")), (title, None))


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    title = _("New organisation")
    return form_page(
        request,
        OrganisationForm(request.POST or None),
        save=lambda form: services.organisation_create(request, **form.changes()),
        success_message=lambda organisation: (
            _("Organisation %(name)s was added.") % {"name": organisation.name}
        ),
        success_url=lambda organisation: reverse(
            "organisations:organisation_edit", args=[organisation.pk]
        ),
        context=lambda: page_context(
            _organisation_crumbs(title),
            title=title,
            cancel_url=reverse("organisations:organisation_list"),
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    back = reverse("organisations:organisation_list")
    return form_page(
        request,
        OrganisationForm(request.POST or None, instance=organisation),
        save=lambda form: services.organisation_update(
            request, organisation=organisation, **_changes(form)
        ),
        reload=lambda: OrganisationForm(instance=Organisation.objects.get(pk=pk)),
        success_message=_("The changes were saved."),
        success_url=back,
        template="organisations/organisation_edit.html",
        context=lambda: page_context(
            _organisation_crumbs(organisation.name),
            title=organisation.name,
            organisation=organisation,
            legal_bases=selectors.organisation_legal_bases(organisation),
            can_have_legal_bases=not organisation.is_municipal,
            cancel_url=back,
        ),
    )


# --- Legal bases -----------------------------------------------------------------------------


@admin_required
def legal_basis_list(request):
    filters = LegalBasisFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = selectors.legal_basis_page(
        request.GET.get("page"),
        organisation=chosen.get("organisation"),
        municipality=chosen.get("municipality"),
    )
    create_url = reverse("organisations:legal_basis_create")
    if chosen.get("organisation"):
        create_url += f"?organisation={chosen['organisation'].pk}"
    return render(
        request,
        "organisations/legal_basis_list.html",
        page_context(
            crumbs((_("Legal bases"), None)),
            page=page,
            filters=filters,
            filtered=bool(chosen.get("organisation") or chosen.get("municipality")),
            create_url=create_url,
        ),
    )


def _legal_basis_crumbs(title):
    return crumbs((_("Legal bases"), reverse("organisations:legal_basis_list")), (title, None))


def _basis_step_crumbs(basis: LegalBasis, step: str):
    """Legal bases > the basis > a step on it (change, end, delete)."""
    return crumbs(
        (_("Legal bases"), reverse("organisations:legal_basis_list")),
        (_basis_title(basis), reverse("organisations:legal_basis_detail", args=[basis.pk])),
        (step, None),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def legal_basis_create(request):
    initial = {
        key: request.GET[key]
        for key in ("organisation", "municipality")
        if request.GET.get(key, "").isdigit()
    }
    title = _("New legal basis")
    return form_page(
        request,
        LegalBasisForm(request.POST or None, initial=initial),
        save=lambda form: services.legal_basis_create(request, **form.changes()),
        success_message=_("The legal basis was recorded."),
        success_url=lambda basis: reverse("organisations:legal_basis_detail", args=[basis.pk]),
        context=lambda: page_context(
            _legal_basis_crumbs(title),
            title=title,
            cancel_url=reverse("organisations:legal_basis_list"),
        ),
    )


def _basis_title(basis: LegalBasis) -> str:
    return _("%(organisation)s in %(municipality)s") % {
        "organisation": basis.organisation.name,
        "municipality": basis.municipality.name,
    }


def _get_basis(pk) -> LegalBasis:
    return get_object_or_404(
        LegalBasis.objects.select_related("organisation", "municipality"), pk=pk
    )


@admin_required
def legal_basis_detail(request, pk):
    basis = selectors.with_status([_get_basis(pk)])[0]
    return render(
        request,
        "organisations/legal_basis_detail.html",
        page_context(
            _legal_basis_crumbs(_basis_title(basis)),
            basis=basis,
            title=_basis_title(basis),
            sections=basis.sections.labels(),
            can_end=basis.status != selectors.BasisStatus.ENDED,
            can_delete=not services.legal_basis_was_in_force(basis),
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def legal_basis_edit(request, pk):
    basis = _get_basis(pk)
    back = reverse("organisations:legal_basis_detail", args=[pk])
    return form_page(
        request,
        LegalBasisForm(request.POST or None, instance=basis),
        save=lambda form: services.legal_basis_update(request, legal_basis=basis, **_changes(form)),
        reload=lambda: LegalBasisForm(instance=_get_basis(pk)),
        success_message=_("The changes were saved."),
        success_url=back,
        context=lambda: page_context(
            _basis_step_crumbs(basis, _("Change")),
            title=_("Change legal basis"),
            subtitle=_basis_title(basis),
            cancel_url=back,
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def legal_basis_end(request, pk):
    basis = _get_basis(pk)
    back = reverse("organisations:legal_basis_detail", args=[pk])
    return form_page(
        request,
        LegalBasisEndForm(request.POST or None, instance=basis),
        save=lambda form: services.legal_basis_end(
            request,
            legal_basis=basis,
            loaded_state=form.cleaned_data["loaded_state"],
            end_date=form.cleaned_data["end_date"],
        ),
        reload=lambda: LegalBasisEndForm(instance=_get_basis(pk)),
        success_message=_("The end date of the legal basis was recorded."),
        success_url=back,
        context=lambda: page_context(
            _basis_step_crumbs(basis, _("End")),
            title=_("End legal basis"),
            subtitle=_basis_title(basis),
            intro=_(
                "From the day after the end date, the organisation no longer sees this "
                "municipality's clients on this basis. The basis stays on record."
            ),
            submit_label=_("End legal basis"),
            cancel_url=back,
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def legal_basis_delete(request, pk):
    basis = _get_basis(pk)
    error = None
    if request.method == "POST":
        try:
            services.legal_basis_delete(request, legal_basis=basis)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The legal basis was deleted."))
            return redirect("organisations:legal_basis_list")
    elif services.legal_basis_was_in_force(basis):
        error = _("This legal basis has been in force and cannot be deleted. Set an end date.")
    return render(
        request,
        "organisations/legal_basis_delete.html",
        page_context(
            _basis_step_crumbs(basis, _("Delete")),
            basis=basis,
            title=_basis_title(basis),
            error=error,
        ),
        status=409 if error and request.method == "POST" else 200,
    )
