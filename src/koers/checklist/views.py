"""The household's first-phase checklist (through one of its clients, for the access rule) and
the functional administrator's template pages (beheer)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers.accounts.constants import Role
from koers.accounts.decorators import membership_required, role_required
from koers.audit.constants import Action
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import client_access, client_accesses, clients_visible_to
from koers.clients.permissions import get_client_for as _get_client_for
from koers.core.forms_views import add_validation_errors
from koers.organisations.pages import crumbs, form_page, page_context

from . import services
from .constants import TaskStatus
from .forms import (
    StartForm,
    TaskForm,
    TemplateCreateForm,
    TemplateForm,
    TemplateTaskForm,
)
from .models import ChecklistTask, ChecklistTemplate, TemplateTask
from .permissions import checklist_view
from .selectors import household_checklist, owner_label, templates_for_admin

# --- a household's checklist -------------------------------------------------------------------


def _checklist_client(request, client_pk):
    """The client the page is opened through, its access and the checklist view; 404 unless
    PLAN (the whole checklist) or TASKS (one's own tasks) may be read."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = _get_client_for(membership, client_pk)
    access = client_access(membership, client)
    view = checklist_view(membership, access, client.household_id)
    if not view.visible:
        raise Http404
    return client, access, view


def _audited_members(request, client, access, view) -> dict:
    """The opening client and every member of the household this user may read the checklist
    of: the checklist is the household's, so each of them was read."""
    members = list(clients_visible_to(request.membership).filter(household_id=client.household_id))
    accesses = {client.pk: access}
    for pk, member_access in client_accesses(request.membership, members).items():
        if member_access.can_read(view.sections):
            accesses[pk] = member_access
    return accesses


def _crumbs(client, label=None):
    trail = [
        {"label": _("Clients"), "url": reverse("clients:list")},
        {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
        {
            "label": _("First-phase checklist"),
            "url": reverse("checklist:household", args=[client.pk]) if label else "",
        },
    ]
    if label:
        trail.append({"label": label, "url": ""})
    return trail


@membership_required
def household(request, client_pk):
    client, access, view = _checklist_client(request, client_pk)
    today = timezone.localdate()
    checklist, tasks = household_checklist(client.household_id, view, today)
    audit_reads(
        request,
        _audited_members(request, client, access, view),
        action=Action.VIEW,
        sections=view.sections,
        detail="checklist:household",
    )
    return render(
        request,
        "checklist/household.html",
        {
            "client": client,
            "household": client.household,
            "checklist": checklist,
            "tasks": tasks,
            "closed_count": sum(1 for task in tasks if task.is_closed),
            "overdue_count": sum(1 for task in tasks if task.overdue),
            "own_only": not view.whole,
            "can_start": checklist is None and view.can_manage,
            "today": today,
            "breadcrumbs": _crumbs(client),
        },
    )


def _housing_date_hint(client, access):
    """The housing date to propose: the client's own (INBURGERING), where it may be read."""
    if access.can_read(Section.INBURGERING) and client.housing_date:
        return client.housing_date
    return None


@membership_required
@require_http_methods(["GET", "POST"])
def start(request, client_pk):
    client, access, view = _checklist_client(request, client_pk)
    if not view.can_manage:
        raise Http404
    template = services.template_for(client.municipality_id)
    hint = _housing_date_hint(client, access)
    form = StartForm(request.POST or None, initial={"housing_date": hint or timezone.localdate()})
    if request.method == "GET":
        audit_reads(
            request,
            {client.pk: access},
            action=Action.VIEW,
            sections=Section.PLAN | (Section.INBURGERING if hint else Section.none()),
            detail="checklist:start",
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_start(
                request,
                client=client,
                access=access,
                housing_date=form.cleaned_data["housing_date"],
                started_by=request.membership,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The checklist is started."))
            return redirect("checklist:household", client_pk=client.pk)
    title = _("Start the first-phase checklist")
    return render(
        request,
        "checklist/start.html",
        {
            "client": client,
            "form": form,
            "title": title,
            "template": template,
            "template_tasks": list(template.tasks.order_by("position", "id")),
            "submit_label": _("Start the checklist"),
            "cancel_url": reverse("checklist:household", args=[client.pk]),
            "breadcrumbs": _crumbs(client, title),
        },
    )


def _task_for(client, view, task_pk) -> ChecklistTask:
    task = get_object_or_404(
        ChecklistTask.objects.select_related(
            "checklist", "owner_involvement__organisation", "owner_involvement__membership__user"
        ).select_related("owner_organisation"),
        pk=task_pk,
        checklist__household_id=client.household_id,
    )
    if not view.can_see(task) or not view.can_update(task):
        raise Http404
    return task


def _conflict(request, client, task, current, changes, title):
    """Someone else saved first: nothing was written. Show per field what was tried and what is
    saved now (409), as the dossier's own edits do."""

    def owner(involvement, organisation) -> str:
        probe = ChecklistTask(owner_involvement=involvement, owner_organisation=organisation)
        return owner_label(probe) or _("Nobody yet")

    def day(value) -> str:
        return date_format(value) if value else "–"

    current = ChecklistTask.objects.select_related(
        "owner_organisation",
        "owner_involvement__organisation",
        "owner_involvement__membership__user",
    ).get(pk=current.pk)
    compare = [
        (
            _("Status"),
            TaskStatus(changes["status"]).label,
            current.get_status_display(),
        ),
        (_("Done on"), day(changes.get("done_on")), day(current.done_on)),
    ]
    if "due_on" in changes:
        compare.append((_("Due date"), day(changes["due_on"]), day(current.due_on)))
    if "owner_involvement" in changes:
        compare.append(
            (
                _("Owner"),
                owner(changes["owner_involvement"], changes["owner_organisation"]),
                owner(current.owner_involvement, current.owner_organisation),
            )
        )
    rows = [
        {"label": label, "tried": str(tried), "now": str(now)}
        for label, tried, now in compare
        if str(tried) != str(now)
    ]
    return render(
        request,
        "clients/conflict.html",
        {
            "client": client,
            "rows": rows,
            "heading": title,
            "back_url": reverse("checklist:task", args=[client.pk, task.pk]),
            "breadcrumbs": _crumbs(client, title),
        },
        status=409,
    )


def _update(request, client, access, view, task, form_changes, version, title):
    """Save through the service; returns a response, or None with the errors on the form."""
    try:
        services.checklist_task_update(
            request,
            client=client,
            access=access,
            view=view,
            task=task,
            changes=form_changes,
            version=version,
            membership=request.membership,
        )
    except services.VersionConflict as conflict:
        return _conflict(request, client, task, conflict.current, form_changes, title)
    messages.success(request, _("Saved."))
    return redirect("checklist:household", client_pk=client.pk)


@membership_required
@require_http_methods(["GET", "POST"])
def task_edit(request, client_pk, task_pk):
    client, access, view = _checklist_client(request, client_pk)
    task = _task_for(client, view, task_pk)
    involvements, organisations = (
        services.owner_options(client.household_id) if view.can_manage else ([], [])
    )
    form = TaskForm(
        request.POST or None,
        task=task,
        manage=view.can_manage,
        involvements=involvements,
        organisations=organisations,
    )
    title = task.title
    if request.method == "POST" and form.is_valid():
        try:
            response = _update(
                request,
                client,
                access,
                view,
                task,
                form.changes(),
                form.cleaned_data["version"],
                title,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return response
    if request.method == "GET":
        audit_reads(
            request,
            {client.pk: access},
            action=Action.VIEW,
            sections=view.sections,
            detail="checklist:task",
        )
    return render(
        request,
        "checklist/task_form.html",
        {
            "client": client,
            "task": task,
            "form": form,
            "title": title,
            "cancel_url": reverse("checklist:household", args=[client.pk]),
            "breadcrumbs": _crumbs(client, title),
        },
    )


@membership_required
@require_POST
def task_done(request, client_pk, task_pk):
    """The one-click "done" of the checklist page: today, by the acting user."""
    client, access, view = _checklist_client(request, client_pk)
    task = _task_for(client, view, task_pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None
    try:
        return _update(
            request,
            client,
            access,
            view,
            task,
            {"status": TaskStatus.DONE, "done_on": None},
            version,
            task.title,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("checklist:household", client_pk=client.pk)


# --- templates (the functional administrator) --------------------------------------------------

admin_required = role_required(Role.FUNCTIONAL_ADMIN)
TASK_ADD_TOKENS = "checklist_task_add_tokens"


def _admin_crumbs(*items):
    return crumbs((_("Checklist templates"), reverse("checklist:templates")), *items)


@admin_required
def template_list(request):
    services.default_template()  # seeded again if it went missing
    return render(
        request,
        "checklist/template_list.html",
        page_context(crumbs((_("Checklist templates"), None)), templates=templates_for_admin()),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    title = _("New checklist template")
    back = reverse("checklist:templates")
    return form_page(
        request,
        TemplateCreateForm(request.POST or None),
        save=lambda form: services.template_create(
            request,
            municipality=form.cleaned_data["municipality"],
            name=form.cleaned_data["name"],
            copy_from=services.default_template() if form.cleaned_data["copy_default"] else None,
        ),
        success_message=_("The template was added."),
        success_url=lambda template: reverse("checklist:template", args=[template.pk]),
        context=lambda: page_context(
            _admin_crumbs((title, None)),
            title=title,
            intro=_("A municipality's own first-phase checklist. Running checklists keep theirs."),
            cancel_url=back,
        ),
    )


@admin_required
def template_detail(request, pk):
    template = get_object_or_404(ChecklistTemplate.objects.select_related("municipality"), pk=pk)
    tasks = list(template.tasks.order_by("position", "id"))
    return render(
        request,
        "checklist/template_detail.html",
        page_context(
            _admin_crumbs((template.name, None)),
            template=template,
            tasks=tasks,
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    back = reverse("checklist:template", args=[pk])
    title = _("Rename template")
    return form_page(
        request,
        TemplateForm(request.POST or None, instance=template),
        save=lambda form: services.template_update(
            request,
            template=template,
            name=form.cleaned_data["name"],
            version=form.cleaned_data["version"],
        ),
        reload=lambda: TemplateForm(instance=ChecklistTemplate.objects.get(pk=pk)),
        success_message=_("The changes were saved."),
        success_url=back,
        context=lambda: page_context(
            _admin_crumbs((template.name, back), (title, None)), title=title, cancel_url=back
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def template_delete(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk, is_default=False)
    if request.method == "POST":
        services.template_delete(request, template=template)
        messages.success(request, _("The template was deleted."))
        return redirect("checklist:templates")
    title = _("Delete template")
    return render(
        request,
        "checklist/template_delete.html",
        page_context(
            _admin_crumbs((template.name, reverse("checklist:template", args=[pk])), (title, None)),
            template=template,
            title=title,
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def template_task_add(request, pk):
    template = get_object_or_404(ChecklistTemplate, pk=pk)
    back = reverse("checklist:template", args=[pk])
    title = _("Add a task")

    def save(form):
        # A double submit of the same form adds the task once.
        done = request.session.get(TASK_ADD_TOKENS, [])
        token = form.cleaned_data.get("token") or ""
        if token and token in done:
            return None
        task = services.template_task_add(request, template=template, values=form.values())
        if token:
            request.session[TASK_ADD_TOKENS] = [*done, token][-20:]
        return task

    return form_page(
        request,
        TemplateTaskForm(request.POST or None),
        save=save,
        success_message=_("The task was added."),
        success_url=back,
        context=lambda: page_context(
            _admin_crumbs((template.name, back), (title, None)), title=title, cancel_url=back
        ),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def template_task_edit(request, pk, task_pk):
    task = get_object_or_404(
        TemplateTask.objects.select_related("template"), pk=task_pk, template_id=pk
    )
    back = reverse("checklist:template", args=[pk])
    return form_page(
        request,
        TemplateTaskForm(request.POST or None, instance=task),
        save=lambda form: services.template_task_update(
            request, task=task, values=form.values(), version=form.cleaned_data["version"]
        ),
        reload=lambda: TemplateTaskForm(instance=TemplateTask.objects.get(pk=task_pk)),
        success_message=_("The changes were saved."),
        success_url=back,
        context=lambda: page_context(
            _admin_crumbs((task.template.name, back), (task.title, None)),
            title=task.title,
            cancel_url=back,
        ),
    )


@admin_required
@require_POST
def template_task_move(request, pk, task_pk, direction):
    if direction not in ("omhoog", "omlaag"):
        raise Http404
    task = get_object_or_404(TemplateTask, pk=task_pk, template_id=pk)
    services.template_task_move(request, task=task, up=direction == "omhoog")
    return redirect("checklist:template", pk=pk)


@admin_required
@require_POST
def template_task_remove(request, pk, task_pk):
    task = TemplateTask.objects.filter(pk=task_pk, template_id=pk).first()
    if task is not None:  # removed already: a double submit does nothing twice
        services.template_task_remove(request, task=task)
        messages.success(request, _("The task was removed."))
    return redirect("checklist:template", pk=pk)
