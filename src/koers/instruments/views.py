from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers.accounts.constants import Role
from koers.accounts.decorators import membership_required, role_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import client_access, get_client_for
from koers.clients.selectors import dossier_breadcrumbs
from koers.clients.services import VersionConflict
from koers.core.forms_views import add_validation_errors
from koers.profiles.selectors import current_language_levels

from . import charts
from .forms import InstrumentSettingForm, MeasurementForm
from .models import Instrument, ScaleLevel
from .selectors import (
    chart_label,
    client_overview,
    client_progress,
    current_measurement,
    instrument_settings,
    measurement_detail,
    measurement_for,
    readable_sections,
)
from .services import (
    can_record,
    current_version,
    instrument_enabled_for,
    instrument_setting_set,
    measurement_correct,
    measurement_record,
    sections_of,
)


def _measurements_client(request, client_pk):
    """The client and access, or 404 when the reader may not see measurements at all."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, client_pk)
    access = client_access(membership, client)
    if not readable_sections(access):
        raise Http404
    return client, access


def _breadcrumbs(client, *labels):
    return dossier_breadcrumbs(client, _("Measurements"), "instruments:client", *labels)


@membership_required
def client_page(request, client_pk):
    client, access = _measurements_client(request, client_pk)
    overview = client_overview(client, access)
    sections = Section.BASIS | Section.MEASUREMENTS
    for row in overview["instruments"]:
        sections |= Section(row["instrument"].section)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=sections,
        detail="instruments:client",
    )
    return render(
        request,
        "instruments/client.html",
        {"client": client, **overview, "breadcrumbs": _breadcrumbs(client)},
    )


def _items_of(version):
    return list(version.items.prefetch_related("levels").order_by("order"))


def _form_page(request, client, form, *, title, instrument, cancel_url, status=200):
    return render(
        request,
        "instruments/record.html",
        {
            "client": client,
            "form": form,
            "title": title,
            "instrument": instrument,
            "version": form.version,
            "cancel_url": cancel_url,
            "breadcrumbs": _breadcrumbs(client, title),
        },
        status=status,
    )


@membership_required
@require_http_methods(["GET", "POST"])
def record(request, client_pk, instrument_code):
    client, access = _measurements_client(request, client_pk)
    instrument = get_object_or_404(Instrument, code=instrument_code)
    version = current_version(instrument)
    if version is None or not instrument_enabled_for(client, instrument):
        raise Http404
    items = _items_of(version)
    if not can_record(access, version, items):
        raise Http404
    form = MeasurementForm(request.POST or None, version=version, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            measurement = measurement_record(
                request,
                client=client,
                access=access,
                assessor=request.membership,
                version=version,
                measured_on=form.cleaned_data["measured_on"],
                scores=form.scores(),
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The measurement is saved."))
            return redirect("instruments:detail", client_pk=client.pk, pk=measurement.pk)
    title = _("New measurement: %(instrument)s") % {"instrument": instrument.display_name}
    return _form_page(
        request,
        client,
        form,
        title=title,
        instrument=instrument,
        cancel_url=reverse("instruments:client", args=[client.pk]),
    )


@membership_required
def detail(request, client_pk, pk):
    client, access = _measurements_client(request, client_pk)
    measurement = measurement_for(client, access, pk)
    if measurement is None:
        raise Http404
    shown = measurement_detail(measurement, access)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | Section.MEASUREMENTS | shown["sections"],
        detail="instruments:detail",
    )
    title = f"{measurement.instrument.display_name}, {measurement.measured_on:%d-%m-%Y}"
    return render(
        request,
        "instruments/detail.html",
        {
            "client": client,
            "measurement": measurement,
            **shown,
            "can_correct": measurement.is_current and can_record(access, measurement.version),
            "title": title,
            "breadcrumbs": _breadcrumbs(client, title),
        },
    )


@membership_required
@require_http_methods(["GET", "POST"])
def correct(request, client_pk, pk):
    client, access = _measurements_client(request, client_pk)
    measurement = measurement_for(client, access, pk)
    if measurement is None:
        raise Http404
    version = measurement.version
    items = _items_of(version)
    if not can_record(access, version, items):
        raise Http404
    if not measurement.is_current and request.method == "GET":
        # Corrected already: correct the measurement that replaced it instead.
        latest = current_measurement(measurement)
        return redirect("instruments:correct", client_pk=client.pk, pk=latest.pk)
    initial_scores = {score.item.code: score for score in measurement.scores.select_related("item")}
    form = MeasurementForm(
        request.POST or None,
        version=version,
        items=items,
        initial_scores=initial_scores,
        correcting=True,
        initial={"measured_on": measurement.measured_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = measurement_correct(
                request,
                client=client,
                access=access,
                assessor=request.membership,
                measurement=measurement,
                measured_on=form.cleaned_data["measured_on"],
                scores=form.scores(),
                reason=form.cleaned_data["correction_reason"],
                form_token=form.cleaned_data["form_token"],
            )
        except VersionConflict as conflict:
            return _conflict(request, client, access, form, items, conflict.current)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("The correction is saved; the earlier measurement stays in the history.")
            )
            return redirect("instruments:detail", client_pk=client.pk, pk=correction.pk)
    if request.method == "GET":
        audit_reads(
            request,
            {client.pk: access},
            action=Action.VIEW,
            sections=Section.BASIS
            | Section.MEASUREMENTS
            | measurement_detail(measurement, access)["sections"],
            detail="instruments:correct",
        )
    title = _("Correct measurement: %(instrument)s, %(date)s") % {
        "instrument": measurement.instrument.display_name,
        "date": f"{measurement.measured_on:%d-%m-%Y}",
    }
    return _form_page(
        request,
        client,
        form,
        title=title,
        instrument=measurement.instrument,
        cancel_url=reverse("instruments:detail", args=[client.pk, measurement.pk]),
    )


def _conflict(request, client, access, form, items, current):
    """Someone corrected the measurement first: nothing was saved; show both values (all items:
    the reader may write, so read, every section of the instrument)."""
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | Section.MEASUREMENTS | sections_of(items),
        detail="instruments:conflict",
    )
    tried = form.scores()
    saved = {score.item_id: score for score in current.scores.all()}
    labels = {
        (level.item_id, level.value): level.display_label
        for level in ScaleLevel.objects.filter(item__in=items)
    }

    def shown(item, value):
        if value is None:
            return "–"
        return f"{value} {labels.get((item.pk, value), '')}".strip()

    rows = [
        {
            "label": _("Date of the measurement"),
            "tried": f"{form.cleaned_data['measured_on']:%d-%m-%Y}",
            "now": f"{current.measured_on:%d-%m-%Y}",
        }
    ]
    for item in items:
        now = saved.get(item.pk)
        tried_value = tried[item.code].value
        now_value = now.value if now else None
        if tried_value != now_value:
            rows.append(
                {
                    "label": item.display_name,
                    "tried": shown(item, tried_value),
                    "now": shown(item, now_value),
                }
            )
    return render(
        request,
        "instruments/conflict.html",
        {
            "client": client,
            "rows": rows,
            "current": current,
            "breadcrumbs": _breadcrumbs(client, _("Someone else corrected first")),
        },
        status=409,
    )


@membership_required
def progress(request, client_pk):
    client, access = _measurements_client(request, client_pk)
    data = client_progress(client, access)
    svgs = charts.render_many(
        [
            (row["chart_data"], chart_label(row["instrument"], row["chart_data"]))
            for row in data["instruments"]
        ]
    )
    for row, svg in zip(data["instruments"], svgs, strict=True):
        row["svg"] = svg
    sections = Section.BASIS | Section.MEASUREMENTS | data["sections"]
    language_levels = None
    if access.can_read(Section.PROFILE):
        language_levels = current_language_levels([client.pk]).get(client.pk, {})
        sections |= Section.PROFILE
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=sections,
        detail="instruments:progress",
    )
    return render(
        request,
        "instruments/progress.html",
        {
            "client": client,
            **data,
            "language_levels": _language_rows(language_levels),
            "breadcrumbs": _breadcrumbs(client, _("Progress")),
        },
    )


def _language_rows(levels):
    if levels is None:
        return None
    from koers.profiles.constants import LanguageSkill

    return [{"label": label, "level": levels.get(skill)} for skill, label in LanguageSkill.choices]


# --- The functional administrator's switch for optional instruments ----------------------------


@role_required(Role.FUNCTIONAL_ADMIN)
@require_http_methods(["GET", "POST"])
def settings_page(request):
    municipalities = request.membership.organisation.municipalities.order_by("name")
    if request.method == "POST":
        form = InstrumentSettingForm(request.POST)
        if form.is_valid():
            municipality = get_object_or_404(municipalities, pk=form.cleaned_data["municipality"])
            instrument = get_object_or_404(
                Instrument, code=form.cleaned_data["instrument"], optional=True
            )
            instrument_setting_set(
                request,
                municipality=municipality,
                instrument=instrument,
                enabled=form.cleaned_data["enabled"],
            )
            messages.success(request, _("Saved."))
        return redirect("instruments:settings")
    return render(
        request,
        "instruments/settings.html",
        {
            "rows": instrument_settings(municipalities),
            "breadcrumbs": [{"label": _("Optional instruments"), "url": ""}],
        },
    )
