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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import client_access, get_client_for
from koers.clients.selectors import dossier_breadcrumbs
from koers.core.forms_views import save_form

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
#
# Each page below is made by one of three makers, so every one of them takes the same steps:
# the client through the access rule with the section writable (404 otherwise), the form, the
# save through the service, the overview with "Saved." or the conflict page (409), the form
# again with the service's errors, and the read audited on a GET.


def _conflict_for(request, client, form, fields, title):
    return lambda conflict: _conflict(
        request,
        client=client,
        rows=_conflict_rows(form, conflict.current, fields),
        heading=title,
    )


def _saved(request, client):
    return lambda _result: _done(request, client, _("Saved."))


def _part_page(model, form_class, service, *, fields, title, view, template=None, absent=None):
    """The page of a part the client has one row of (duty, term, PVT, MAP): the form on that
    row, or on a new one (version 0); `service(request, client=, access=, changes=, version=)`
    saves it. `absent(client)` true: the part does not apply to this client (404)."""

    @membership_required
    @require_http_methods(["GET", "POST"])
    def page(request, client_pk):
        client, access = _client_for(request, client_pk, write=True)
        if absent is not None and absent(client):
            raise Http404
        row = model.objects.filter(client=client).first() or model(client=client)
        form = form_class(request.POST or None, instance=row)
        response = save_form(
            request,
            form,
            lambda: service(
                request,
                client=client,
                access=access,
                changes=form.changes(),
                version=form.cleaned_data.get("version"),
            ),
            done=_saved(request, client),
            conflict=_conflict_for(request, client, form, fields, title),
        )
        if response is not None:
            return response
        _audit_form_view(request, client, access, view)
        return _render_form(
            request, client, form, title=title, **({"template": template} if template else {})
        )

    return page


duty_edit = _part_page(
    InburgeringDuty,
    DutyForm,
    duty_update,
    fields=DUTY_FIELDS,
    title=gettext_lazy("Inburgering duty"),
    view="duty",
)
term_edit = _part_page(
    InburgeringDuty,
    TermForm,
    duty_update,
    fields=TERM_FIELDS,
    title=gettext_lazy("Inburgering term"),
    view="term",
)
pvt_edit = _part_page(
    ParticipationStatement,
    PvtForm,
    pvt_save,
    fields=PVT_FIELDS,
    title=gettext_lazy("Participation statement (PVT)"),
    view="pvt",
)
map_edit = _part_page(
    LabourMarketModule,
    MapForm,
    map_save,
    fields=MAP_FIELDS,
    title=gettext_lazy("Labour market module (MAP)"),
    view="map",
    template="inburgering/map_form.html",
    # The onderwijsroute has no MAP; the service refuses it as well.
    absent=lambda client: route_of_client(client.pk) == LearningRoute.EDUCATION,
)


def _row_page(model, form_class, service, *, name, fields, add_title, edit_title, view):
    """The page that adds a row of the client (form token) or, with `<name>_pk` in the URL,
    changes one (versioned): `service(request, client=, access=, <name>=row or None, values=,
    version=, form_token=)` saves it."""

    @membership_required
    @require_http_methods(["GET", "POST"])
    def page(request, client_pk, **kwargs):
        client, access = _client_for(request, client_pk, write=True)
        row = model(client=client)
        if kwargs.get(f"{name}_pk") is not None:
            row = get_object_or_404(model, pk=kwargs[f"{name}_pk"], client=client)
        title = edit_title if row.pk else add_title
        form = form_class(request.POST or None, instance=row)
        response = save_form(
            request,
            form,
            lambda: service(
                request,
                client=client,
                access=access,
                **{name: row if row.pk else None},
                values=form.changes(),
                version=form.cleaned_data.get("version"),
                form_token=form.cleaned_data.get("form_token"),
            ),
            done=_saved(request, client),
            conflict=_conflict_for(request, client, form, fields, title),
        )
        if response is not None:
            return response
        _audit_form_view(request, client, access, view)
        return _render_form(request, client, form, title=title)

    return page


course_edit = _row_page(
    Course,
    CourseForm,
    course_save,
    name="course",
    fields=COURSE_FIELDS,
    add_title=gettext_lazy("Add a course"),
    edit_title=gettext_lazy("Edit course"),
    view="course",
)
ontzorgen_edit = _row_page(
    Ontzorgen,
    OntzorgenForm,
    ontzorgen_save,
    name="period",
    fields=ONTZORGEN_FIELDS,
    add_title=gettext_lazy("Add an ontzorgen period"),
    edit_title=gettext_lazy("Edit ontzorgen"),
    view="ontzorgen",
)


# --- records that are only added: extension, exemption, release, meeting, exam, enforcement --


def _record_page(form_class, service, *, title, view, intro="", done=None, by_client=False):
    """The page that adds a record: `service(request, client=, access=, **cleaned data)`
    records it (a form token makes a double submit record it once). `done(record)` is the
    message after it (default "Saved."); `by_client` gives the form the client."""

    @membership_required
    @require_http_methods(["GET", "POST"])
    def page(request, client_pk):
        client, access = _client_for(request, client_pk, write=True)
        form = form_class(request.POST or None, **({"client": client} if by_client else {}))
        response = save_form(
            request,
            form,
            lambda: service(request, client=client, access=access, **form.cleaned_data),
            done=lambda result: _done(request, client, done(result) if done else _("Saved.")),
        )
        if response is not None:
            return response
        _audit_form_view(request, client, access, view)
        return _render_form(request, client, form, title=title, intro=intro)

    return page


def _exam_done(exam) -> str:
    if exam.result == ExamResultKind.PASSED and exam.part != ExamPart.KNM:
        return _("The exam result is recorded and the language level is added to the profile.")
    return _("The exam result is recorded.")


def _exam_result_record(request, **values):
    return exam_result_record(request, recorded_by=request.membership, **values)


extension_add = _record_page(
    ExtensionForm,
    term_extension_record,
    title=gettext_lazy("Record a term extension"),
    intro=gettext_lazy("As DUO decided it: the term then ends on the new date."),
    view="extension",
)
exemption_add = _record_page(
    ExemptionForm,
    exemption_record,
    title=gettext_lazy("Record an exemption (vrijstelling)"),
    intro=gettext_lazy("As DUO decided it. A granted exemption changes the duty status."),
    view="exemption",
)
release_add = _record_page(
    ReleaseForm,
    release_record,
    title=gettext_lazy("Record a release (ontheffing)"),
    intro=gettext_lazy("As DUO decided it. A granted full release changes the duty status."),
    view="release",
)
meeting_add = _record_page(
    MeetingForm,
    progress_meeting_record,
    title=gettext_lazy("Record a progress meeting"),
    view="meeting",
    by_client=True,
)
exam_add = _record_page(
    ExamForm,
    _exam_result_record,
    title=gettext_lazy("Record an exam result"),
    intro=gettext_lazy(
        "As DUO reports it. A passed language part is added to the language levels in the profile."
    ),
    view="exam",
    done=_exam_done,
)
enforcement_add = _record_page(
    EnforcementForm,
    enforcement_record,
    title=gettext_lazy("Record an enforcement step"),
    intro=gettext_lazy("First a warning; after it, the municipal fine for not cooperating."),
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
