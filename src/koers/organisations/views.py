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
    add_validation_errors,
)
from .models import AreaTeam, LegalBasis, Municipality, Organisation, Region

admin_required = role_required(Role.FUNCTIONAL_ADMIN)


def crumbs(*items) -> list[dict]:
    """Breadcrumbs from the administration index down; the last item is the current page."""
    trail = [{"label": _("Administration"), "url": reverse("organisations:index")}]
    for label, url in items:
        trail.append({"label": label, "url": url})
    trail[-1] = {"label": trail[-1]["label"], "url": None}
    return trail


def page_context(breadcrumbs, **context) -> dict:
    return {"breadcrumbs": breadcrumbs, "active_nav": "beheer", **context}


def save_form(request, form, save):
    """Run `save()` for a valid form; return (object, response_status). Validation errors from
    the service land on the form; a stale edit gives 409 and a fresh form (see edit views)."""
    try:
        return save(), None
    except ValidationError as error:
        add_validation_errors(form, error)
        return None, 200
    except services.StaleStateError:
        return None, 409


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
    ]
    return render(
        request,
        "organisations/index.html",
        {
            "areas": areas,
            "breadcrumbs": [{"label": _("Administration"), "url": None}],
            "active_nav": "beheer",
        },
    )


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
    form = MunicipalityForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        municipality, status = save_form(
            request, form, lambda: services.municipality_create(request, **form.changes())
        )
        if municipality is not None:
            messages.success(
                request, _("Municipality %(name)s was added.") % {"name": municipality.name}
            )
            return redirect("organisations:municipality_list")
    title = _("New municipality")
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            _municipality_crumbs(title),
            form=form,
            title=title,
            cancel_url=reverse("organisations:municipality_list"),
        ),
        status=status,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def municipality_edit(request, pk):
    municipality = get_object_or_404(Municipality, pk=pk)
    form = MunicipalityForm(request.POST or None, instance=municipality)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = save_form(
            request,
            form,
            lambda: services.municipality_update(
                request,
                municipality=municipality,
                loaded_state=form.cleaned_data["loaded_state"],
                **form.changes(),
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:municipality_list")
        if status == 409:
            form = MunicipalityForm(instance=Municipality.objects.get(pk=pk))
    area_teams = municipality.area_teams.order_by("name")[: selectors.PAGE_SIZE]
    return render(
        request,
        "organisations/municipality_edit.html",
        page_context(
            _municipality_crumbs(municipality.name),
            form=form,
            title=municipality.name,
            municipality=municipality,
            area_teams=area_teams,
            stale=status == 409,
            cancel_url=reverse("organisations:municipality_list"),
        ),
        status=status,
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
    form = RegionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        region, status = save_form(
            request, form, lambda: services.region_create(request, **form.changes())
        )
        if region is not None:
            messages.success(request, _("Region %(name)s was added.") % {"name": region.name})
            return redirect("organisations:region_list")
    title = _("New region")
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            _region_crumbs(title),
            form=form,
            title=title,
            cancel_url=reverse("organisations:region_list"),
        ),
        status=status,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def region_edit(request, pk):
    region = get_object_or_404(Region, pk=pk)
    form = RegionForm(request.POST or None, instance=region)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = save_form(
            request,
            form,
            lambda: services.region_update(
                request,
                region=region,
                loaded_state=form.cleaned_data["loaded_state"],
                **form.changes(),
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:region_list")
        if status == 409:
            form = RegionForm(instance=Region.objects.get(pk=pk))
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            _region_crumbs(region.name),
            form=form,
            title=region.name,
            stale=status == 409,
            cancel_url=reverse("organisations:region_list"),
        ),
        status=status,
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


@admin_required
@require_http_methods(["GET", "POST"])
def area_team_create(request):
    initial = {}
    if request.GET.get("municipality", "").isdigit():
        initial["municipality"] = request.GET["municipality"]
    form = AreaTeamForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        area_team, status = save_form(
            request, form, lambda: services.area_team_create(request, **form.changes())
        )
        if area_team is not None:
            messages.success(request, _("Area team %(name)s was added.") % {"name": area_team.name})
            return redirect(
                reverse("organisations:area_team_list")
                + f"?municipality={area_team.municipality_id}"
            )
    title = _("New area team")
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            _area_team_crumbs(title),
            form=form,
            title=title,
            cancel_url=reverse("organisations:area_team_list"),
        ),
        status=status,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def area_team_edit(request, pk):
    area_team = get_object_or_404(AreaTeam.objects.select_related("municipality"), pk=pk)
    form = AreaTeamForm(request.POST or None, instance=area_team)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = save_form(
            request,
            form,
            lambda: services.area_team_update(
                request,
                area_team=area_team,
                loaded_state=form.cleaned_data["loaded_state"],
                **form.changes(),
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(
                reverse("organisations:area_team_list")
                + f"?municipality={area_team.municipality_id}"
            )
        if status == 409:
            form = AreaTeamForm(instance=AreaTeam.objects.get(pk=pk))
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            _area_team_crumbs(area_team.name),
            form=form,
            title=area_team.name,
            subtitle=_("Area team of %(municipality)s")
            % {"municipality": area_team.municipality.name},
            stale=status == 409,
            cancel_url=reverse("organisations:area_team_list"),
        ),
        status=status,
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
    form = OrganisationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        organisation, status = save_form(
            request, form, lambda: services.organisation_create(request, **form.changes())
        )
        if organisation is not None:
            messages.success(
                request, _("Organisation %(name)s was added.") % {"name": organisation.name}
            )
            return redirect("organisations:organisation_edit", pk=organisation.pk)
    title = _("New organisation")
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            _organisation_crumbs(title),
            form=form,
            title=title,
            cancel_url=reverse("organisations:organisation_list"),
        ),
        status=status,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = save_form(
            request,
            form,
            lambda: services.organisation_update(
                request,
                organisation=organisation,
                loaded_state=form.cleaned_data["loaded_state"],
                **form.changes(),
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:organisation_list")
        if status == 409:
            form = OrganisationForm(instance=Organisation.objects.get(pk=pk))
    return render(
        request,
        "organisations/organisation_edit.html",
        page_context(
            _organisation_crumbs(organisation.name),
            form=form,
            title=organisation.name,
            organisation=organisation,
            legal_bases=selectors.organisation_legal_bases(organisation),
            can_have_legal_bases=not organisation.is_municipal,
            stale=status == 409,
            cancel_url=reverse("organisations:organisation_list"),
        ),
        status=status,
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


@admin_required
@require_http_methods(["GET", "POST"])
def legal_basis_create(request):
    initial = {
        key: request.GET[key]
        for key in ("organisation", "municipality")
        if request.GET.get(key, "").isdigit()
    }
    form = LegalBasisForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        basis, status = save_form(
            request, form, lambda: services.legal_basis_create(request, **form.changes())
        )
        if basis is not None:
            messages.success(request, _("The legal basis was recorded."))
            return redirect("organisations:legal_basis_detail", pk=basis.pk)
    title = _("New legal basis")
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            _legal_basis_crumbs(title),
            form=form,
            title=title,
            cancel_url=reverse("organisations:legal_basis_list"),
        ),
        status=status,
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
    form = LegalBasisForm(request.POST or None, instance=basis)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = save_form(
            request,
            form,
            lambda: services.legal_basis_update(
                request,
                legal_basis=basis,
                loaded_state=form.cleaned_data["loaded_state"],
                **form.changes(),
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:legal_basis_detail", pk=pk)
        if status == 409:
            form = LegalBasisForm(instance=_get_basis(pk))
    title = _basis_title(basis)
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            crumbs(
                (_("Legal bases"), reverse("organisations:legal_basis_list")),
                (title, reverse("organisations:legal_basis_detail", args=[pk])),
                (_("Change"), None),
            ),
            form=form,
            title=_("Change legal basis"),
            subtitle=title,
            stale=status == 409,
            cancel_url=reverse("organisations:legal_basis_detail", args=[pk]),
        ),
        status=status,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def legal_basis_end(request, pk):
    basis = _get_basis(pk)
    form = LegalBasisEndForm(request.POST or None, instance=basis)
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = save_form(
            request,
            form,
            lambda: services.legal_basis_end(
                request,
                legal_basis=basis,
                loaded_state=form.cleaned_data["loaded_state"],
                end_date=form.cleaned_data["end_date"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The end date of the legal basis was recorded."))
            return redirect("organisations:legal_basis_detail", pk=pk)
        if status == 409:
            form = LegalBasisEndForm(instance=_get_basis(pk))
    title = _basis_title(basis)
    return render(
        request,
        "organisations/form_page.html",
        page_context(
            crumbs(
                (_("Legal bases"), reverse("organisations:legal_basis_list")),
                (title, reverse("organisations:legal_basis_detail", args=[pk])),
                (_("End"), None),
            ),
            form=form,
            title=_("End legal basis"),
            subtitle=title,
            intro=_(
                "From the day after the end date, the organisation no longer sees this "
                "municipality's clients on this basis. The basis stays on record."
            ),
            submit_label=_("End legal basis"),
            stale=status == 409,
            cancel_url=reverse("organisations:legal_basis_detail", args=[pk]),
        ),
        status=status,
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
    title = _basis_title(basis)
    return render(
        request,
        "organisations/legal_basis_delete.html",
        page_context(
            crumbs(
                (_("Legal bases"), reverse("organisations:legal_basis_list")),
                (title, reverse("organisations:legal_basis_detail", args=[pk])),
                (_("Delete"), None),
            ),
            basis=basis,
            title=title,
            error=error,
        ),
        status=409 if error and request.method == "POST" else 200,
    )
