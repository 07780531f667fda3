import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koers.accounts.constants import Role
from koers.accounts.decorators import role_required
from koers.clients.services import break_glass_review

from .constants import Action
from .forms import AuditLogFilterForm, BreakGlassFilterForm, BreakGlassReviewForm
from .selectors import (
    audit_log_exceeds,
    audit_log_page,
    audit_log_queryset,
    break_glass_page,
    break_glass_queryset,
    decode_cursor,
    grant_activity,
    log_row,
)
from .services import audit_event

CURSOR = "na"
# An export may hold at most this many rows.
EXPORT_MAX_ROWS = 1_000_000
# Characters a spreadsheet reads as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _query_without_cursor(request) -> str:
    query = request.GET.copy()
    query.pop(CURSOR, None)
    return query.urlencode()


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def log(request):
    form = AuditLogFilterForm(request.GET or None)
    filters_valid = form.is_valid() if form.is_bound else True
    rows, next_cursor = [], None
    if filters_valid:
        filters = form.filters if form.is_bound else {}
        events, next_cursor = audit_log_page(filters, after=decode_cursor(request.GET.get(CURSOR)))
        rows = [log_row(event) for event in events]
    query = _query_without_cursor(request)
    context = {
        "form": form,
        "filters_valid": filters_valid,
        "rows": rows,
        "next_query": f"{query}&{CURSOR}={next_cursor}" if query else f"{CURSOR}={next_cursor}",
        "has_next": next_cursor is not None,
        "export_url": f"{reverse('audit:export')}?{query}",
        "active_nav": "audit",
    }
    template = "audit/log.html#rows" if request.htmx and filters_valid else "audit/log.html"
    return render(request, template, context)


class _Echo:
    """A file-like object for csv.writer that hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _csv_lines(header: list[str], rows, language: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte order mark, so Excel reads the file as UTF-8
    yield writer.writerow(header)
    for event in rows:
        # The body streams after the view returned: keep the labels in the request's language.
        with translation.override(language):
            row = log_row(event)
        yield writer.writerow(
            _safe_cell(cell)
            for cell in (
                row.at.strftime("%Y-%m-%d %H:%M:%S"),
                row.username,
                row.organisation,
                row.membership_id,
                row.role,
                row.action,
                row.basis,
                row.client_id,
                "; ".join(row.sections),
                row.request_id,
                row.detail,
            )
        )


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def export(request):
    """The filtered log as CSV, streamed. The export is itself logged (with the filters used,
    not the people filtered on) and bounded in period and rows."""
    form = AuditLogFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    problem = form.export_problem()
    if problem is None and audit_log_exceeds(form.filters, EXPORT_MAX_ROWS):
        problem = _(
            "This selection holds more than %(rows)s rows. Narrow the filters or the period."
        ) % {"rows": f"{EXPORT_MAX_ROWS:,}".replace(",", ".")}
    if problem is not None:
        messages.error(request, problem)
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    event = audit_event(
        request,
        action=Action.AUDIT_EXPORT,
        detail=form.summary(),
        client_id=form.filters.get("client"),
    )
    # The export shows the log as it was when it was asked for, without its own row.
    rows = audit_log_queryset(form.filters).filter(at__lt=event.at).iterator(chunk_size=2000)
    header = [
        _("Time"),
        _("User"),
        _("Organisation"),
        _("Membership number"),
        _("Role"),
        _("Action"),
        _("Basis"),
        _("Client number"),
        _("Sections"),
        _("Request id"),
        _("Detail"),
    ]
    start, end = form.filters["date_from"], form.filters["date_to"]
    response = StreamingHttpResponse(
        _csv_lines(header, rows, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="auditlog-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response


@role_required(Role.PRIVACY_OFFICER)
@require_GET
def break_glass_list(request):
    form = BreakGlassFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    grants, next_cursor = break_glass_page(
        request.membership, status=status, after=request.GET.get(CURSOR)
    )
    query = _query_without_cursor(request)
    context = {
        "form": form,
        "grants": grants,
        "now": timezone.now(),
        "has_next": next_cursor is not None,
        "next_query": f"{query}&{CURSOR}={next_cursor}" if query else f"{CURSOR}={next_cursor}",
        "active_nav": "break_glass_review",
    }
    template = "audit/break_glass_list.html#rows" if request.htmx else "audit/break_glass_list.html"
    return render(request, template, context)


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def break_glass_detail(request, pk):
    grant = get_object_or_404(break_glass_queryset(request.membership), pk=pk)
    form = BreakGlassReviewForm(request.POST or None)
    can_review = grant.reviewed_at is None and grant.membership.user_id != request.user.pk
    if request.method == "POST" and form.is_valid():
        try:
            break_glass_review(
                request, grant=grant, reviewer=request.user, remark=form.cleaned_data["remark"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("audit:break_glass_detail", pk=grant.pk)
        else:
            messages.success(request, _("The emergency access is marked as reviewed."))
            return redirect("audit:break_glass_list")
    activity, more_activity = grant_activity(grant)
    list_url = reverse("audit:break_glass_list")
    context = {
        "grant": grant,
        "form": form,
        "can_review": can_review,
        "own_grant": grant.membership.user_id == request.user.pk,
        "now": timezone.now(),
        "activity": [log_row(event) for event in activity],
        "more_activity": more_activity,
        "log_url": (
            f"{reverse('audit:log')}?client={grant.client_id}&basis=break_glass"
            f"&date_from={timezone.localtime(grant.created_at):%Y-%m-%d}"
            f"&date_to={timezone.localtime(grant.expires_at):%Y-%m-%d}"
        ),
        "active_nav": "break_glass_review",
        "breadcrumbs": [
            {"label": _("Break-the-glass review"), "url": list_url},
            {"label": _("Emergency access %(number)s") % {"number": grant.pk}, "url": ""},
        ],
    }
    return render(request, "audit/break_glass_detail.html", context)
