"""Pages of the inburgering trajectory: the overview per client and a form per part. Every
page is per client and needs the INBURGERING section (read; write for the forms): otherwise
404, the same as a client that does not exist."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import client_access, get_client_for
from koers.clients.selectors import dossier_breadcrumbs

from .constants import ExamPart, ExamResultKind, LearningRoute
from .forms import (
    CourseForm,
    DutyForm,
    EnforcementForm,
    ExamForm,
    ExemptionForm,
    ExtensionForm,
    MapForm,
    MeetingForm,
    MonthChoiceForm,
    MonthHoursForm,
    OntzorgenForm,
    PvtForm,
    ReleaseForm,
    TermForm,
    add_validation_errors,
)
from .models import (
    Course,
    CourseMonth,
    InburgeringDuty,
    LabourMarketModule,
    Ontzorgen,
    ParticipationStatement,
)
from .selectors import add_months, first_pip_dates, month_start, route_of_client, trajectory
from .services import (
    COURSE_FIELDS,
    DUTY_FIELDS,
    MAP_FIELDS,
    MONTH_FIELDS,
    ONTZORGEN_FIELDS,
    PVT_FIELDS,
    TERM_FIELDS,
    MonthConflict,
    VersionConflict,
    course_month_save,
    course_save,
    courses_in_month,
    duty_update,
    enforcement_record,
    exam_result_record,
    exemption_record,
    map_save,
    ontzorgen_save,
    progress_meeting_record,
    pvt_save,
    release_record,
    term_extension_record,
)

SECTION = Section.INBURGERING


def _client_for(request, client_pk, *, write=False):
    """The client and the access, or 404 when the inburgering section may not be read (or,
    for a form, changed)."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, client_pk)
    access = client_access(membership, client)
    if not access.can_read(SECTION) or (write and not access.can_write(SECTION)):
        raise Http404
    return client, access


def _breadcrumbs(client, label=None):
    return dossier_breadcrumbs(client, _("Inburgering trajectory"), "inburgering:overview", label)


def _audit_form_view(request, client, access, view: str) -> None:
    if request.method == "GET":
        audit_reads(
            request,
            {client.pk: access},
            action=Action.VIEW,
            sections=SECTION,
            detail=f"inburgering:{view}",
        )


def _render_form(request, client, form, *, title, intro="", template="inburgering/form_page.html"):
    return render(
        request,
        template,
        {
            "client": client,
            "form": form,
            "title": title,
            "intro": intro,
            "cancel_url": reverse("inburgering:overview", args=[client.pk]),
            "breadcrumbs": _breadcrumbs(client, title),
        },
    )


def _done(request, client, message):
    messages.success(request, message)
    return redirect("inburgering:overview", client_pk=client.pk)


def _display(field, value) -> str:
    if value in (None, ""):
        return "–"
    choices = getattr(field, "choices", None)
    if choices and not isinstance(value, bool):
        return str(dict(choices).get(value, value))
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _conflict(request, *, client, rows, heading):
    """Someone else saved first: nothing was written; both values side by side (409)."""
    return render(
        request,
        "clients/conflict.html",
        {
            "client": client,
            "rows": rows,
            "heading": heading,
            "back_url": request.get_full_path(),
            "breadcrumbs": _breadcrumbs(client, heading),
        },
        status=409,
    )


def _conflict_rows(form, current, fields, prefix="") -> list[dict]:
    rows = []
    for name in fields:
        if name not in form.fields:
            continue
        tried = form.cleaned_data.get(name)
        now = getattr(current, name, None)
        if (tried if tried is not None else "") != (now if now is not None else ""):
            field = form.fields[name]
            rows.append(
                {
                    "label": f"{prefix}{field.label}",
                    "tried": _display(field, tried),
                    "now": _display(field, now),
                }
            )
    return rows


# --- the overview --------------------------------------------------------------------------------


@membership_required
def overview(request, client_pk):
    client, access = _client_for(request, client_pk)
    today = timezone.localdate()
    first_pip_on = first_pip_dates([client.pk]).get(client.pk)
    audit_reads(
        request,
        {client.pk: access},
        action=Action.VIEW,
        sections=Section.BASIS | SECTION,
        detail="inburgering:overview",
    )
    return render(
        request,
        "inburgering/overview.html",
        {
            "client": client,
            "today": today,
            "can_edit": access.can_write(SECTION),
            "breadcrumbs": _breadcrumbs(client),
            **trajectory(client, today=today, first_pip_on=first_pip_on),
        },
    )


# --- versioned parts: duty, term, PVT, MAP, course, ontzorgen ------------------------------------


def _versioned_edit(request, client, access, *, form, fields, save, title, view, template=None):
    """GET shows the form; a valid POST saves through `save(changes, version)`: on success back
    to the overview, on a stale version the conflict page, on a rule the errors in the form."""
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            save(changes, form.cleaned_data.get("version"))
        except VersionConflict as conflict:
            return _conflict(
                request,
                client=client,
                rows=_conflict_rows(form, conflict.current, fields),
                heading=title,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _done(request, client, _("Saved."))
    _audit_form_view(request, client, access, view)
    return _render_form(
        request, client, form, title=title, **({"template": template} if template else {})
    )


@membership_required
@require_http_methods(["GET", "POST"])
def duty_edit(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    duty = InburgeringDuty.objects.filter(client=client).first() or InburgeringDuty(client=client)
    form = DutyForm(request.POST or None, instance=duty)
    return _versioned_edit(
        request,
        client,
        access,
        form=form,
        fields=DUTY_FIELDS,
        save=lambda changes, version: duty_update(
            request, client=client, access=access, changes=changes, version=version
        ),
        title=_("Inburgering duty"),
        view="duty",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def term_edit(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    duty = InburgeringDuty.objects.filter(client=client).first() or InburgeringDuty(client=client)
    form = TermForm(request.POST or None, instance=duty)
    return _versioned_edit(
        request,
        client,
        access,
        form=form,
        fields=TERM_FIELDS,
        save=lambda changes, version: duty_update(
            request, client=client, access=access, changes=changes, version=version
        ),
        title=_("Inburgering term"),
        view="term",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def pvt_edit(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    pvt = ParticipationStatement.objects.filter(client=client).first() or ParticipationStatement(
        client=client
    )
    form = PvtForm(request.POST or None, instance=pvt)
    return _versioned_edit(
        request,
        client,
        access,
        form=form,
        fields=PVT_FIELDS,
        save=lambda changes, version: pvt_save(
            request, client=client, access=access, changes=changes, version=version
        ),
        title=_("Participation statement (PVT)"),
        view="pvt",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def map_edit(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    if route_of_client(client.pk) == LearningRoute.EDUCATION:
        raise Http404  # the onderwijsroute has no MAP; the service refuses it as well
    module = LabourMarketModule.objects.filter(client=client).first() or LabourMarketModule(
        client=client
    )
    form = MapForm(request.POST or None, instance=module)
    return _versioned_edit(
        request,
        client,
        access,
        form=form,
        fields=MAP_FIELDS,
        save=lambda changes, version: map_save(
            request, client=client, access=access, changes=changes, version=version
        ),
        title=_("Labour market module (MAP)"),
        view="map",
        template="inburgering/map_form.html",
    )


def _row_edit(request, client, access, *, form, instance, fields, save, title, view):
    """Add a row (form token) or change one (versioned)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(
                instance if instance.pk else None,
                form.changes(),
                form.cleaned_data.get("version"),
                form.cleaned_data.get("form_token"),
            )
        except VersionConflict as conflict:
            return _conflict(
                request,
                client=client,
                rows=_conflict_rows(form, conflict.current, fields),
                heading=title,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _done(request, client, _("Saved."))
    _audit_form_view(request, client, access, view)
    return _render_form(request, client, form, title=title)


@membership_required
@require_http_methods(["GET", "POST"])
def course_edit(request, client_pk, course_pk=None):
    client, access = _client_for(request, client_pk, write=True)
    course = Course(client=client)
    if course_pk is not None:
        course = get_object_or_404(Course, pk=course_pk, client=client)
    form = CourseForm(request.POST or None, instance=course)
    return _row_edit(
        request,
        client,
        access,
        form=form,
        instance=course,
        fields=COURSE_FIELDS,
        save=lambda row, changes, version, token: course_save(
            request,
            client=client,
            access=access,
            course=row,
            values=changes,
            version=version,
            form_token=token,
        ),
        title=_("Edit course") if course.pk else _("Add a course"),
        view="course",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def ontzorgen_edit(request, client_pk, period_pk=None):
    client, access = _client_for(request, client_pk, write=True)
    period = Ontzorgen(client=client)
    if period_pk is not None:
        period = get_object_or_404(Ontzorgen, pk=period_pk, client=client)
    form = OntzorgenForm(request.POST or None, instance=period)
    return _row_edit(
        request,
        client,
        access,
        form=form,
        instance=period,
        fields=ONTZORGEN_FIELDS,
        save=lambda row, changes, version, token: ontzorgen_save(
            request,
            client=client,
            access=access,
            period=row,
            values=changes,
            version=version,
            form_token=token,
        ),
        title=_("Edit ontzorgen") if period.pk else _("Add an ontzorgen period"),
        view="ontzorgen",
    )


# --- records that are only added: extension, exemption, release, meeting, exam, enforcement --


def _record(request, client, access, *, form, record, title, view, intro="", done=None):
    if request.method == "POST" and form.is_valid():
        try:
            result = record(dict(form.cleaned_data))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _done(request, client, done(result) if done else _("Saved."))
    _audit_form_view(request, client, access, view)
    return _render_form(request, client, form, title=title, intro=intro)


@membership_required
@require_http_methods(["GET", "POST"])
def extension_add(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    return _record(
        request,
        client,
        access,
        form=ExtensionForm(request.POST or None),
        record=lambda data: term_extension_record(request, client=client, access=access, **data),
        title=_("Record a term extension"),
        intro=_("As DUO decided it: the term then ends on the new date."),
        view="extension",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def exemption_add(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    return _record(
        request,
        client,
        access,
        form=ExemptionForm(request.POST or None),
        record=lambda data: exemption_record(request, client=client, access=access, **data),
        title=_("Record an exemption (vrijstelling)"),
        intro=_("As DUO decided it. A granted exemption changes the duty status."),
        view="exemption",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def release_add(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    return _record(
        request,
        client,
        access,
        form=ReleaseForm(request.POST or None),
        record=lambda data: release_record(request, client=client, access=access, **data),
        title=_("Record a release (ontheffing)"),
        intro=_("As DUO decided it. A granted full release changes the duty status."),
        view="release",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    return _record(
        request,
        client,
        access,
        form=MeetingForm(request.POST or None, client=client),
        record=lambda data: progress_meeting_record(request, client=client, access=access, **data),
        title=_("Record a progress meeting"),
        view="meeting",
    )


def _exam_done(exam) -> str:
    if exam.result == ExamResultKind.PASSED and exam.part != ExamPart.KNM:
        return _("The exam result is recorded and the language level is added to the profile.")
    return _("The exam result is recorded.")


@membership_required
@require_http_methods(["GET", "POST"])
def exam_add(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    return _record(
        request,
        client,
        access,
        form=ExamForm(request.POST or None),
        record=lambda data: exam_result_record(
            request, client=client, access=access, recorded_by=request.membership, **data
        ),
        title=_("Record an exam result"),
        intro=_(
            "As DUO reports it. A passed language part is added to the language levels in the "
            "profile."
        ),
        view="exam",
        done=_exam_done,
    )


@membership_required
@require_http_methods(["GET", "POST"])
def enforcement_add(request, client_pk):
    client, access = _client_for(request, client_pk, write=True)
    return _record(
        request,
        client,
        access,
        form=EnforcementForm(request.POST or None),
        record=lambda data: enforcement_record(request, client=client, access=access, **data),
        title=_("Record an enforcement step"),
        intro=_("First a warning; after it, the municipal fine for not cooperating."),
        view="enforcement",
    )


# --- the hours of one month ----------------------------------------------------------------------


def _chosen_month(request, today: date) -> tuple[date, MonthChoiceForm]:
    chooser = MonthChoiceForm(request.GET if "maand" in request.GET else None)
    if chooser.is_bound and chooser.is_valid():
        return month_start(chooser.cleaned_data["maand"]), chooser
    month = add_months(month_start(today), -1)
    return month, MonthChoiceForm(initial={"maand": month})


@membership_required
@require_http_methods(["GET", "POST"])
def month_hours(request, client_pk):
    """One month's hours for each course that runs in it: a small table form."""
    client, access = _client_for(request, client_pk, write=True)
    today = timezone.localdate()
    month, chooser = _chosen_month(request, today)
    courses = courses_in_month(client, month)
    stored = {
        row.course_id: row for row in CourseMonth.objects.filter(course__in=courses, month=month)
    }
    data = request.POST if request.method == "POST" else None
    forms = [
        MonthHoursForm(
            data,
            course=course,
            instance=stored.get(course.pk) or CourseMonth(course=course, month=month),
            prefix=f"course-{course.pk}",
        )
        for course in courses
    ]
    title = _("Course hours of a month")
    errors = []
    if request.method == "POST" and courses and all(form.is_valid() for form in forms):
        try:
            course_month_save(
                request,
                client=client,
                access=access,
                month=month,
                entries=[form.entry() for form in forms],
            )
        except MonthConflict as conflict:
            return _month_conflict(request, client, forms, conflict, title)
        except ValidationError as error:
            errors = _month_errors(forms, error)
        else:
            return _done(
                request,
                client,
                _("The hours of %(month)s are saved.") % {"month": _month_name(month)},
            )
    _audit_form_view(request, client, access, "hours")
    return render(
        request,
        "inburgering/month_hours.html",
        {
            "client": client,
            "chooser": chooser,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "month_in_future": month > month_start(today),
            "previous_month": f"{add_months(month, -1):%Y-%m}",
            "next_month": f"{add_months(month, 1):%Y-%m}",
            "rows": list(zip(courses, forms, strict=True)),
            "has_z_course": any(course.course_type == LearningRoute.Z for course in courses),
            "errors": errors,
            "title": title,
            "cancel_url": reverse("inburgering:overview", args=[client.pk]),
            "breadcrumbs": _breadcrumbs(client, title),
        },
    )


def _month_name(month: date) -> str:
    return date_format(month, "F Y")


def _month_errors(forms, error) -> list:
    """Errors keyed "course-<pk>-<field>" go next to that course's field; the rest above."""
    by_prefix = {form.prefix: form for form in forms}
    general = []
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    for key, messages_ in error.error_dict.items():
        prefix, _sep, name = key.rpartition("-")
        form = by_prefix.get(prefix)
        if form is not None and name in form.fields:
            form.add_error(name, messages_)
        else:
            general.extend(m for e in messages_ for m in e.messages)
    return general


def _month_conflict(request, client, forms, conflict, title):
    now = {row.course_id: row for row in conflict.rows}
    rows = []
    for form in forms:
        if form.course.pk in now or form.cleaned_data.get("version"):
            current = now.get(form.course.pk) or CourseMonth()
            rows += _conflict_rows(form, current, MONTH_FIELDS, prefix=f"{form.course}: ")
    return _conflict(request, client=client, rows=rows, heading=title)
