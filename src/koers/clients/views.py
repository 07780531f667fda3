import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.caseload.radar import household_radar
from koers.checklist.selectors import checklist_card
from koers.inburgering.selectors import dossier_card as inburgering_dossier_card
from koers.instruments.selectors import dossier_summary, readable_sections
from koers.network.selectors import network_card
from koers.pip.selectors import pip_card
from koers.plans.selectors import plan_card
from koers.work.selectors import work_card

from .constants import Section
from .forms import (
    BreakGlassForm,
    ClientLanguageForm,
    HouseholdMemberForm,
    HouseholdRegisterForm,
    MemberForm,
    MemberFormSet,
    StatusForm,
    form_values,
    section_form_class,
)
from .models import Client, Household, HouseholdMember
from .permissions import (
    break_glass_candidates,
    can_break_glass,
    client_access,
    client_accesses,
    clients_visible_to,
    get_client_for,
)
from .selectors import (
    age_of,
    client_languages,
    client_page,
    dossier_cards,
    household_people,
    mask,
    possible_duplicates,
    registration_places,
)
from .services import (
    MemberError,
    VersionConflict,
    break_glass_open,
    client_language_add,
    client_language_remove,
    client_status_change,
    client_update,
    household_member_add,
    household_member_update,
    household_register,
    household_update,
)


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
    cards = dossier_cards(membership, access, network_visible=card["network_visible"])
    today = timezone.localdate()
    # Members link to their dossier only where this user may open it.
    people = household_people(client, membership) if cards.household else []
    for person in people:
        source = person.client or person
        person.age = age_of(source.birth_year, source.birth_month, source.birth_day, today)
    plan = plan_card(membership, access, client, today=today)
    # The deadline radar for this person and their household; volunteers see their tasks only.
    radar = None
    if not membership.is_volunteer:
        # The plan card counted the household's open and overdue actions already.
        counts = None
        if plan.visible and not plan.tasks_only:
            counts = (
                {client.household_id: (plan.open_count, plan.overdue_count)} if plan.plan else {}
            )
        radar = household_radar([client], {client.pk: access}, today, action_counts=counts)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=cards.sections | plan.sections | (radar.sections if radar else Section.none()),
        detail="clients:detail",
    )
    can_write = access.can_write
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "access": access,
            "cards": cards,
            "age": client.age_on(today),
            "people": people,
            "languages": client_languages(client) if cards.languages else [],
            "bsn_masked": mask(client.bsn) if cards.identity else "",
            "v_number_masked": mask(client.v_number) if cards.identity else "",
            # Volunteers edit nothing from the dossier page (their tasks live elsewhere).
            "can_edit": {
                "basis": cards.full_basis and can_write(Section.BASIS),
                "profile": cards.profile and can_write(Section.PROFILE),
                "contact": cards.sub_pages and cards.contact and can_write(Section.CONTACT),
                "languages": cards.sub_pages and cards.languages and can_write(Section.LANGUAGES),
                "identity": cards.identity and can_write(Section.IDENTITY),
                "inburgering": cards.inburgering and can_write(Section.INBURGERING),
                "household": cards.sub_pages
                and cards.household_details
                and can_write(Section.HOUSEHOLD),
            },
            "sub_pages": _sub_pages(client, access) if cards.sub_pages else [],
            "plan_card": plan,
            "trajectory": bool(access.read & TRAJECTORY_SECTIONS),
            "radar_signals": radar.signals[client.household_id] if radar else None,
            **card,
            "via_break_glass": access.basis == "break_glass",
            "breadcrumbs": [
                {"label": _("Clients"), "url": reverse("clients:list")},
                {"label": client.full_name, "url": ""},
            ],
        },
    )


# The trajectory cards (measurements, intake and PIP, inburgering, work, checklist) of the
# dossier: a second request, fetched by htmx as soon as the first screen is shown, so the first
# screen (who does what, the radar, the plan) stays one fast page (docs/performance.md).
TRAJECTORY_SECTIONS = (
    Section.MEASUREMENTS | Section.INBURGERING | Section.WORK_INCOME | Section.PLAN | Section.TASKS
)


@membership_required
def client_trajectory(request, pk):
    """The dossier's trajectory cards: a fragment for htmx, or a page of its own without
    JavaScript. Each card is shown only when its section may be read; audited as a VIEW of the
    sections shown."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, pk)
    access = client_access(membership, client)
    if not access.read & TRAJECTORY_SECTIONS:
        raise Http404
    today = timezone.localdate()
    sections = Section.none()
    measurements = dossier_summary(membership, client, access)
    if measurements is not None:
        sections |= readable_sections(access) & (Section.MEASUREMENTS | Section.HEALTH)
    pip = pip_card(access, client)
    inburgering = inburgering_dossier_card(access, client, today=today)
    if pip["pip_visible"] or inburgering["inburgering_card"]:
        sections |= Section.INBURGERING
    work = work_card(access, client, today)
    if work["work_visible"]:
        sections |= Section.WORK_INCOME
    checklist = checklist_card(membership, access, client, today)
    if checklist["checklist_visible"]:
        sections |= access.read & (Section.PLAN | Section.TASKS)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=sections,
        detail="clients:trajectory",
    )
    context = {
        "client": client,
        "measurements_card": measurements,
        **pip,
        **inburgering,
        **work,
        **checklist,
    }
    if request.htmx:
        return render(request, "clients/_trajectory_cards.html", context)
    context["breadcrumbs"] = [
        {"label": _("Clients"), "url": reverse("clients:list")},
        {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
        {"label": _("Trajectory"), "url": ""},
    ]
    return render(request, "clients/client_trajectory.html", context)


def _sub_pages(client, access) -> list[dict]:
    """Links to the other parts of the dossier, only those whose section the user may read."""
    notes = Section.NOTES_NETWORK | Section.NOTES_PROFESSIONALS | Section.NOTES_OWN_ORGANISATION
    pages = [
        (Section.NETWORK, _("Network"), "network:household"),
        (Section.NETWORK, _("Consent"), "network:consents"),
        (Section.PLAN, _("Plan"), "plans:detail"),
        (Section.MEASUREMENTS, _("Measurements"), "instruments:client"),
        (Section.INBURGERING, _("Brede intake and PIP"), "pip:client"),
        (Section.INBURGERING, _("Inburgering"), "inburgering:overview"),
        (Section.WORK_INCOME, _("Work, income and education"), "work:client"),
        (Section.PLAN | Section.TASKS, _("First-phase checklist"), "checklist:household"),
        (notes, _("Timeline"), "timeline:household"),
        (Section.PROFILE, _("Profile"), "profiles:client"),
        (Section.DOCUMENTS, _("Documents"), "documents:client"),
    ]
    return [
        {"label": label, "url": reverse(url_name, args=[client.pk])}
        for section, label, url_name in pages
        if access.read & section
    ]


@membership_required
def client_identity(request, pk):
    """The full BSN and V-number, on request: its own read, with its own audit row."""
    membership = request.membership
    if not membership.opens_dossiers or membership.is_volunteer:
        raise Http404
    client = get_client_for(membership, pk)
    access = client_access(membership, client)
    if not access.can_read(Section.IDENTITY):
        raise Http404
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.IDENTITY,
        detail="clients:identity",
    )
    template = "clients/_identity.html" if request.htmx else "clients/identity.html"
    return render(request, template, {"client": client, "revealed": True})


# --- editing per section -------------------------------------------------------------------------

EDIT_SECTIONS = {
    # slug: (section, fields, heading)
    "basis": (
        Section.BASIS,
        ("given_names", "family_name", "birth_day", "birth_month", "birth_year", "gender"),
        gettext_lazy("Basic details"),
    ),
    "herkomst": (Section.PROFILE, ("country_of_origin",), gettext_lazy("Origin")),
    "contact": (Section.CONTACT, ("phone", "email"), gettext_lazy("Contact details")),
    "talen": (
        Section.LANGUAGES,
        ("literacy", "interpreter_needed", "interpreter_language"),
        gettext_lazy("Languages"),
    ),
    "identiteit": (Section.IDENTITY, ("bsn", "v_number"), gettext_lazy("Identity numbers")),
    "inburgering": (
        Section.INBURGERING,
        ("applicable_law", "target_group", "permit_date", "koppeling_date", "housing_date"),
        gettext_lazy("Inburgering"),
    ),
}
HOUSEHOLD_NAME_FIELD = "name"
HOUSEHOLD_EDIT_FIELDS = ("street", "house_number", "postcode", "city")


def _sections_of_household_fields(fields) -> Section:
    sections = Section.CONTACT if set(fields) & set(HOUSEHOLD_EDIT_FIELDS) else Section.none()
    if HOUSEHOLD_NAME_FIELD in fields:
        sections |= Section.HOUSEHOLD
    return sections


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


def _save_versioned(request, *, save, client, form, fields, heading, success_message):
    """Run a versioned save: on success a message and back to the dossier; on a stale version
    the conflict page (409) with both values; on a rule the form shows the errors (None)."""
    try:
        save()
    except VersionConflict as conflict:
        return _conflict(
            request,
            client=client,
            form=form,
            current=conflict.current,
            fields=fields,
            heading=heading,
        )
    except ValidationError as error:
        _add_errors(form, error)
        return None
    messages.success(request, success_message)
    return redirect("clients:detail", pk=client.pk)


def _conflict(request, *, client, form, current, fields, heading):
    rows = []
    for name in fields:
        tried = form.cleaned_data.get(name)
        now = getattr(current, name)
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
            "heading": heading,
            "back_url": request.path,
            "breadcrumbs": [
                {"label": _("Clients"), "url": reverse("clients:list")},
                {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
                {"label": heading, "url": ""},
            ],
        },
        status=409,
    )


def _editable_client(request, pk, section):
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, pk)
    access = client_access(membership, client)
    if not (access.can_read(section) and access.can_write(section)):
        raise Http404
    return client, access


@membership_required
@require_http_methods(["GET", "POST"])
def client_edit(request, pk, slug):
    if slug not in EDIT_SECTIONS:
        raise Http404
    section, fields, heading = EDIT_SECTIONS[slug]
    client, access = _editable_client(request, pk, section)
    form_class = section_form_class(Client, fields)
    form = form_class(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in fields}
        for name in ("bsn", "v_number"):
            if name in changes:
                changes[name] = (changes[name] or "").replace(" ", "") or None
        response = _save_versioned(
            request,
            save=lambda: client_update(
                request,
                client=client,
                access=access,
                changes=changes,
                version=form.cleaned_data["version"],
            ),
            client=client,
            form=form,
            fields=fields,
            heading=heading,
            success_message=_("Saved."),
        )
        if response is not None:
            return response
    if request.method == "GET":
        audit_reads(
            request, {client.pk: access}, action=Action.VIEW, sections=section, detail="edit"
        )
    return _edit_page(request, client, form, heading)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _edit_page(request, client, form, heading):
    return render(
        request,
        "clients/section_edit.html",
        {
            "client": client,
            "form": form,
            "heading": heading,
            "breadcrumbs": [
                {"label": _("Clients"), "url": reverse("clients:list")},
                {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
                {"label": heading, "url": ""},
            ],
        },
    )


def _editable_household(request, pk):
    """The client the household page is opened through, its access and the household fields it
    may change: the name (HOUSEHOLD) and the address (CONTACT); 404 when it may change neither."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, pk)
    access = client_access(membership, client)
    fields = []
    if access.can_read(Section.HOUSEHOLD) and access.can_write(Section.HOUSEHOLD):
        fields.append(HOUSEHOLD_NAME_FIELD)
    if access.can_read(Section.CONTACT) and access.can_write(Section.CONTACT):
        fields.extend(HOUSEHOLD_EDIT_FIELDS)
    if not fields:
        raise Http404
    return client, access, tuple(fields)


@membership_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    """The household's name (HOUSEHOLD) and address (CONTACT), reached through one of its
    clients; each part only for who may change that section."""
    client, access, fields = _editable_household(request, pk)
    household = client.household
    if HOUSEHOLD_NAME_FIELD not in fields:
        heading = gettext_lazy("Address")
    elif len(fields) == 1:
        heading = gettext_lazy("Household name")
    else:
        heading = gettext_lazy("Household name and address")
    form_class = section_form_class(Household, fields)
    form = form_class(request.POST or None, instance=household)
    members = list(clients_visible_to(request.membership).filter(household=household))
    accesses = {client.pk: access}
    accesses.update(
        {k: v for k, v in client_accesses(request.membership, members).items() if v.read}
    )
    if request.method == "POST" and form.is_valid():
        # Only what changed, so the audit names the sections really changed; a stale version
        # is still refused by the service, whatever changed.
        changes = {name: form.cleaned_data[name] for name in fields if name in form.changed_data}
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("clients:detail", pk=client.pk)
        response = _save_versioned(
            request,
            save=lambda: household_update(
                request,
                household=household,
                accesses=accesses,
                changes=changes,
                version=form.cleaned_data["version"],
            ),
            client=client,
            form=form,
            fields=fields,
            heading=heading,
            success_message=_("Saved."),
        )
        if response is not None:
            return response
    if request.method == "GET":
        audit_reads(
            request,
            {client.pk: access},
            action=Action.VIEW,
            sections=_sections_of_household_fields(fields),
            detail="edit",
        )
    return _edit_page(request, client, form, heading)


@membership_required
@require_http_methods(["GET", "POST"])
def client_status(request, pk):
    client, access = _editable_client(request, pk, Section.BASIS)
    heading = gettext_lazy("Change status")
    form = StatusForm(
        request.POST or None,
        initial={
            "status": client.status,
            "status_date": timezone.localdate(),
            "version": client.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _save_versioned(
            request,
            save=lambda: client_status_change(
                request,
                client=client,
                access=access,
                status=data["status"],
                reason=data["status_reason"],
                on=data["status_date"],
                version=data["version"],
            ),
            client=client,
            form=form,
            fields=("status", "status_reason", "status_date"),
            heading=heading,
            success_message=_("The status is changed."),
        )
        if response is not None:
            return response
    return _edit_page(request, client, form, heading)


# --- registering a household -------------------------------------------------------------------

REGISTER_TOKENS = "clients_register_tokens"


def _member_data(form) -> dict:
    data = dict(form.cleaned_data)
    languages = []
    if data.get("language"):
        languages.append((data["language"], data.get("dialect"), data.get("script"), True))
    for code in data.get("other_languages") or []:
        if code != data.get("language"):
            languages.append((code, "", "", False))
    data["languages"] = languages
    return data


@membership_required
@require_http_methods(["GET", "POST"])
def client_register(request):
    membership = request.membership
    places = registration_places(membership)
    if not places.allowed:
        raise Http404
    identity_allowed = Section.IDENTITY in places.write
    form_kwargs = {
        "municipalities": places.municipalities,
        "area_teams": places.area_teams,
        "area_team_required": places.area_team_required,
    }
    token = request.POST.get("token") or uuid.uuid4().hex
    done = request.session.get(REGISTER_TOKENS, {})
    if request.method == "POST" and token in done:
        # A second submit of the same form: the household exists already.
        return redirect("clients:detail", pk=done[token])
    duplicates = []
    if request.method == "POST":
        household_form = HouseholdRegisterForm(request.POST, **form_kwargs)
        formset = MemberFormSet(request.POST, prefix="members", identity_allowed=identity_allowed)
        if "add_member" in request.POST:
            household_form = HouseholdRegisterForm(
                initial=form_values(household_form), **form_kwargs
            )
            rows = [form_values(form) for form in formset.forms if form.has_changed()]
            formset = MemberFormSet(
                initial=rows or None, prefix="members", identity_allowed=identity_allowed
            )
            formset.extra = 1 if rows else 0
        elif household_form.is_valid() and formset.is_valid():
            filled = formset.filled_forms()
            members = [_member_data(form) for form in filled]
            people = [m for m in members if m["kind"] == MemberForm.CLIENT]
            duplicates = possible_duplicates(membership, people)
            if duplicates and not request.POST.get("confirm_duplicates"):
                found = {c.pk: c for _, matches in duplicates for c in matches}
                audit_reads(
                    request,
                    client_accesses(membership, found.values()),
                    action=Action.SEARCH,
                    sections=Section.BASIS,
                    detail="clients:register duplicates",
                )
            else:
                try:
                    household, clients = household_register(
                        request,
                        membership=membership,
                        household=household_form.cleaned_data,
                        members=members,
                        write=places.write,
                    )
                except MemberError as error:
                    _add_errors(filled[error.index], error)
                except ValidationError as error:
                    _add_errors(household_form, error)
                else:
                    done[token] = clients[0].pk
                    request.session[REGISTER_TOKENS] = dict(list(done.items())[-20:])
                    messages.success(request, _("The household is registered."))
                    return redirect("clients:detail", pk=clients[0].pk)
    else:
        household_form = HouseholdRegisterForm(
            initial={"municipality": places.municipalities.first()}, **form_kwargs
        )
        formset = MemberFormSet(prefix="members", identity_allowed=identity_allowed)
    context = {
        "household_form": household_form,
        "formset": formset,
        "token": token,
        "duplicates": duplicates,
        "breadcrumbs": [
            {"label": _("Clients"), "url": reverse("clients:list")},
            {"label": _("Register a household"), "url": ""},
        ],
    }
    if request.htmx and "add_member" in request.POST:
        return render(request, "clients/register.html#members", context)
    return render(request, "clients/register.html", context)


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


# --- the languages list and the household's members ------------------------------------------


def _client_breadcrumbs(client, heading) -> list[dict]:
    return [
        {"label": _("Clients"), "url": reverse("clients:list")},
        {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
        {"label": heading, "url": ""},
    ]


@membership_required
@require_http_methods(["GET", "POST"])
def client_languages_edit(request, pk):
    """The client's languages: the list with a remove button per language, and a form to add one."""
    client, access = _editable_client(request, pk, Section.LANGUAGES)
    heading = _("Languages")
    form = ClientLanguageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client_language_add(request, client=client, access=access, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The language is added."))
            return redirect("clients:languages", pk=client.pk)
    if request.method == "GET":
        audit_reads(
            request,
            {client.pk: access},
            action=Action.VIEW,
            sections=Section.LANGUAGES,
            detail="clients:languages",
        )
    return render(
        request,
        "clients/languages_edit.html",
        {
            "client": client,
            "form": form,
            "heading": heading,
            "languages": client_languages(client),
            "breadcrumbs": _client_breadcrumbs(client, heading),
        },
    )


@membership_required
@require_POST
def client_language_delete(request, pk, language_pk):
    client, access = _editable_client(request, pk, Section.LANGUAGES)
    if client_language_remove(request, client=client, access=access, language_id=language_pk):
        messages.success(request, _("The language is removed."))
    return redirect("clients:languages", pk=client.pk)


def _household_accesses(request, client, access) -> dict:
    """The opening client's access first, then every member the user may read (for the audit)."""
    members = list(clients_visible_to(request.membership).filter(household_id=client.household_id))
    accesses = {client.pk: access}
    accesses.update(
        {k: v for k, v in client_accesses(request.membership, members).items() if v.read}
    )
    return accesses


def _may_write_reunification(access) -> bool:
    return access.can_read(Section.ASYLUM) and access.can_write(Section.ASYLUM)


def _member_page(request, client, form, heading, token=None):
    return render(
        request,
        "clients/member_form.html",
        {
            "client": client,
            "form": form,
            "heading": heading,
            "token": token,
            "breadcrumbs": _client_breadcrumbs(client, heading),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def household_member_edit(request, pk, member_pk):
    client, access = _editable_client(request, pk, Section.HOUSEHOLD)
    member = get_object_or_404(
        HouseholdMember.objects.select_related("client"),
        pk=member_pk,
        household_id=client.household_id,
    )
    reunification = _may_write_reunification(access)
    heading = _("Household member %(name)s") % {"name": member.full_name}
    form = HouseholdMemberForm(
        request.POST or None,
        instance=member,
        person=not member.client_id,
        reunification=reunification,
        version=client.household.version,
    )
    accesses = _household_accesses(request, client, access)
    if request.method == "POST" and form.is_valid():
        changes = form.changes
        response = _save_versioned(
            request,
            save=lambda: household_member_update(
                request,
                member=member,
                accesses=accesses,
                changes=changes,
                version=form.cleaned_data["version"],
            ),
            client=client,
            form=form,
            fields=list(changes),
            heading=heading,
            success_message=_("Saved."),
        )
        if response is not None:
            return response
    if request.method == "GET":
        shown = {client.pk: access}
        if member.client_id in accesses:
            shown[member.client_id] = accesses[member.client_id]
        audit_reads(
            request,
            shown,
            action=Action.VIEW,
            sections=Section.HOUSEHOLD | (Section.ASYLUM if reunification else Section.none()),
            detail="clients:member_edit",
        )
    return _member_page(request, client, form, heading)


MEMBER_ADD_TOKENS = "clients_member_add_tokens"


@membership_required
@require_http_methods(["GET", "POST"])
def household_member_create(request, pk):
    """A member without a dossier (a young child, family abroad) joins an existing household."""
    client, access = _editable_client(request, pk, Section.HOUSEHOLD)
    heading = _("Add a household member")
    token = request.POST.get("token") or uuid.uuid4().hex
    done = request.session.get(MEMBER_ADD_TOKENS, [])
    if request.method == "POST" and token in done:
        return redirect("clients:detail", pk=client.pk)  # a second submit of the same form
    form = HouseholdMemberForm(request.POST or None, reunification=_may_write_reunification(access))
    if request.method == "POST" and form.is_valid():
        try:
            household_member_add(
                request,
                household=client.household,
                accesses=_household_accesses(request, client, access),
                values=form.changes,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session[MEMBER_ADD_TOKENS] = [*done, token][-20:]
            messages.success(request, _("The household member is added."))
            return redirect("clients:detail", pk=client.pk)
    return _member_page(request, client, form, heading, token=token)
