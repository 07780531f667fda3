import html

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers.accounts.constants import Role
from koers.accounts.decorators import membership_required, role_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section

from .forms import SIGNAL_LABELS, AssignForm, CaseloadFilterForm, SearchForm
from .selectors import (
    MAX_PAGES,
    CaseloadFilters,
    Signal,
    assignable_households,
    caseload_page,
    client_search,
    has_caseload,
    regisseur_choices,
    status_labels,
    team_caseloads,
    team_queue,
    team_regisseurs,
)
from .services import households_assign
from .team_radar import team_radar

# What the caseload shows: names, status, area team and contact *dates* (no content of a
# contact moment) are BASIS; the signals "no regisseur" and "consent ends soon" come from the
# household's network and consents, so NETWORK is recorded as well.
CASELOAD_SECTIONS = Section.BASIS | Section.NETWORK


@membership_required
def home(request):
    """The caseload of a regisseur, klantmanager or begeleider.

    Audited as one LIST read per listed client with BASIS | NETWORK: contact dates count as
    BASIS (they reveal no content), the signals as NETWORK; with PLAN as well when the open
    and overdue actions of the plan are shown.
    """
    membership = request.membership
    if membership.role == Role.TEAMLEIDER:
        return redirect("caseload:team")
    if not has_caseload(membership):
        raise PermissionDenied
    try:
        page_number = int(request.GET.get("pagina", "1"))
    except ValueError:
        page_number = 1
    filter_form = CaseloadFilterForm(request.GET or None)
    filters = CaseloadFilters(page=page_number)
    if filter_form.is_bound and filter_form.is_valid():
        data = filter_form.cleaned_data
        filters.sort = data["sort"] or "name"
        filters.status = data["status"]
        filters.signal = data["signal"]
        filters.area_team = data["area_team"]
    page = caseload_page(membership, filters)
    filter_form.set_area_teams(page.area_teams)
    audit_reads(
        request,
        page.accesses,
        action=Action.LIST,
        sections=CASELOAD_SECTIONS | page.plan_sections,
        detail="caseload:home",
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    # Labels translated once per page, not once per row and signal. A regisseur's own
    # households always have a regisseur: that signal is for the other roles.
    labels = {key: str(label) for key, label in SIGNAL_LABELS.items()}
    if membership.role == Role.REGISSEUR:
        labels.pop(Signal.NO_REGISSEUR)
    for row in page.rows:
        row.signal_labels = [labels[signal] for signal in row.signals if signal in labels]
        row.signal_labels += [
            f"{signal.label} ({signal.person})" if signal.person else signal.label
            for signal in row.radar
        ]
    rows_html = _caseload_rows_html(page.rows, links=membership.opens_dossiers)
    context = {
        "page": page,
        "filters_html": _filter_bar_html(filter_form),
        "query_string": query.urlencode(),
        "rows_html": rows_html,
        "sort": filters.sort,
    }
    return render(request, "caseload/home.html", context)


_FILTER_FIELD = (
    '<div class="utrecht-form-field utrecht-form-field--select">'
    '<div class="utrecht-form-field__label">'
    '<label class="utrecht-form-label" for="id_{name}">{label}</label></div>'
    '<div class="utrecht-form-field__input">'
    '<select name="{name}" class="utrecht-select utrecht-select--html-select" id="id_{name}">'
    "{options}</select></div></div>"
)


def _filter_bar_html(form: CaseloadFilterForm) -> str:
    """The caseload's four filter selects, written with format_html like the rows: rendered
    through the form templates they were a quarter of the page's template time."""
    parts = []
    for name in ("sort", "status", "area_team", "signal"):
        field = form[name]
        current = "" if field.value() is None else str(field.value())
        choices = field.field.widget.choices if name == "area_team" else field.field.choices
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if str(value) == current else "", label)
                for value, label in choices
            ),
        )
        parts.append(format_html(_FILTER_FIELD, name=name, label=field.label, options=options))
    return mark_safe("".join(parts))  # noqa: S308 - every part went through format_html


# The caseload and the search results are the longest lists a user opens many times a day. Their
# rows are written here with str.format, every value escaped, instead of a template loop: the
# template engine's per-cell cost was most of these pages' time (docs/performance.md).
_CASELOAD_ROW = (
    '<tr class="utrecht-table__row" data-testid="caseload-row">'
    '<td class="utrecht-table__cell" data-label="{l_household}">{household}</td>'
    '<td class="utrecht-table__cell" data-label="{l_clients}">{clients}</td>'
    '<td class="utrecht-table__cell" data-label="{l_status}">{statuses}</td>'
    '<td class="utrecht-table__cell" data-label="{l_area_team}">{area_team}</td>'
    '<td class="utrecht-table__cell" data-label="{l_days}" data-testid="days-since-contact">'
    "{days}</td>"
    '<td class="utrecht-table__cell" data-label="{l_next}">{next}</td>'
    '<td class="utrecht-table__cell" data-label="{l_actions}">{actions}</td>'
    '<td class="utrecht-table__cell" data-label="{l_signals}">{signals}</td>'
    "</tr>"
)


def _row_template(template: str, labels: dict[str, str]) -> str:
    """The row template with its (constant) column labels filled in and escaped once per page,
    leaving the per-row placeholders for str.format."""
    for key, label in labels.items():
        escaped = html.escape(str(label)).replace("{", "{{").replace("}", "}}")
        template = template.replace("{" + key + "}", escaped)
    return template


def _caseload_rows_html(rows, *, links: bool) -> str:
    """The caseload's table rows. One reverse() for the page: a dossier's URL is this prefix
    followed by "<pk>/". Every value is escaped with html.escape (what django's escape does)."""
    prefix = html.escape(reverse("clients:detail", args=[0]).removesuffix("0/"))
    template = _row_template(
        _CASELOAD_ROW,
        {
            "l_household": _("Household"),
            "l_clients": _("Clients"),
            "l_status": _("Status"),
            "l_area_team": _("Area team"),
            "l_days": _("Days since last contact"),
            "l_next": _("Next appointment"),
            "l_actions": _("Open / overdue actions"),
            "l_signals": _("Signals"),
        },
    )
    no_contact = html.escape(_("no contact yet"))
    escape = html.escape
    lines = []
    for row in rows:
        if links:
            clients = ", ".join(
                f'<a class="utrecht-link" href="{prefix}{int(client.pk)}/">'
                f"{escape(client.full_name)}</a>"
                for client in row.clients
            )
        else:
            clients = ", ".join(escape(client.full_name) for client in row.clients)
        next_appointment = row.next_appointment
        area_team = row.household.area_team
        lines.append(
            template.format(
                household=escape(row.household.name),
                clients=clients,
                statuses=escape(", ".join(row.statuses)),
                area_team=escape(area_team.name) if area_team else "–",
                days=no_contact if row.days_since_contact is None else int(row.days_since_contact),
                next=(
                    timezone.localtime(next_appointment).strftime("%d-%m-%Y %H:%M")
                    if next_appointment
                    else "–"
                ),
                actions=(
                    "—"
                    if row.open_actions is None
                    else f"{int(row.open_actions)} / {int(row.overdue_actions)}"
                ),
                signals=", ".join(
                    f'<span class="koers-signal">{escape(label)}</span>'
                    for label in row.signal_labels
                ),
            )
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value went through html.escape


_SEARCH_ROW = (
    '<tr class="utrecht-table__row">'
    '<td class="utrecht-table__cell" data-label="{l_name}">'
    '<a class="utrecht-link" href="{prefix}{pk}/">{name}</a></td>'
    '<td class="utrecht-table__cell" data-label="{l_year}">{year}</td>'
    '<td class="utrecht-table__cell" data-label="{l_municipality}">{municipality}</td>'
    '<td class="utrecht-table__cell" data-label="{l_status}">{status}</td>'
    "</tr>"
)


def _search_rows_html(clients) -> str:
    prefix = html.escape(reverse("clients:detail", args=[0]).removesuffix("0/"))
    statuses = status_labels()
    template = _row_template(
        _SEARCH_ROW,
        {
            "l_name": _("Name"),
            "l_year": _("Year of birth"),
            "l_municipality": _("Municipality"),
            "l_status": _("Status"),
            "prefix": prefix,
        },
    )
    escape = html.escape
    return mark_safe(  # noqa: S308 - every value went through html.escape
        "\n".join(
            template.format(
                pk=int(client.pk),
                name=escape(client.full_name),
                year=int(client.birth_year) if client.birth_year else "–",
                municipality=escape(client.municipality.name),
                status=escape(statuses.get(client.status, client.status)),
            )
            for client in clients
        )
    )


@role_required(Role.TEAMLEIDER)
@require_http_methods(["GET", "POST"])
def team(request):
    """The team leader's queue (households without a regisseur), the households per regisseur,
    and assigning or reassigning one or many of them at once: names only, no links into
    dossiers. `?regisseur=<id>&pagina=<n>` lists one regisseur's households page by page."""
    membership = request.membership
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        households=assignable_households(membership),
        regisseurs=regisseur_choices(membership),
    )
    if request.method == "POST" and form.is_valid():
        households = list(form.cleaned_data["households"])
        regisseur = form.cleaned_data["regisseur"]
        count = households_assign(
            request, households=households, membership=regisseur, note=form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("%(count)s household(s) assigned to %(name)s.")
            % {"count": count, "name": regisseur.user.display_name},
        )
        return redirect("caseload:team")
    queue, accesses = team_queue(membership)
    regisseurs = team_regisseurs(membership)
    only = _int_param(request.GET, "regisseur")
    page = max(1, min(_int_param(request.GET, "pagina") or 1, MAX_PAGES))
    caseloads, caseload_accesses = team_caseloads(membership, regisseurs, only=only, page=page)
    for accesses_shown in (accesses, caseload_accesses):
        audit_reads(
            request,
            accesses_shown,
            action=Action.LIST,
            sections=Section.BASIS,
            detail="caseload:team",
        )
    # Counts only, for every regisseur whatever `?regisseur=` lists; derived from client data,
    # so each client read is audited with the sections the radar read.
    radar = team_radar(membership, regisseurs, timezone.localdate())
    if radar.sections:
        audit_reads(
            request,
            radar.accesses,
            action=Action.LIST,
            sections=radar.sections,
            detail="caseload:team-radar",
        )
    selected = {str(pk) for pk in request.POST.getlist("households")}
    return render(
        request,
        "caseload/team.html",
        {
            "queue": queue,
            "regisseurs": regisseurs,
            "radar": radar,
            "caseloads": caseloads,
            "only_regisseur": bool(caseloads) and only is not None,
            "page": page,
            "form": form,
            "selected": selected,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _int_param(data, name: str) -> int | None:
    try:
        return int(data.get(name, ""))
    except ValueError:
        return None


@membership_required
def search(request):
    """Search by name, BSN, V-number or date of birth. Audited as SEARCH with BASIS for every
    client shown (name, birth year, municipality and status are all BASIS)."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        result = client_search(membership, form.cleaned_data["q"])
        audit_reads(
            request,
            result.accesses,
            action=Action.SEARCH,
            sections=Section.BASIS,
            detail=f"caseload:search:{result.kind}",
        )
        rows_html = _search_rows_html(result.clients)
    else:
        rows_html = ""
    breadcrumbs = []
    if has_caseload(membership):
        breadcrumbs = [
            {"label": _("Caseload"), "url": reverse("caseload:home")},
            {"label": _("Search"), "url": ""},
        ]
    return render(
        request,
        "caseload/search.html",
        {
            "form": form,
            "result": result,
            "breadcrumbs": breadcrumbs,
            "rows_html": rows_html,
        },
    )
