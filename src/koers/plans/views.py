"""The household plan's pages. Every page is reached through a client of the household
(`/plan/<client_pk>/...`) and the access rule: PLAN shows the plan, TASKS alone (a volunteer)
only one's own tasks, anything else is "not found"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers.accounts.decorators import membership_required
from koers.audit.constants import Action as AuditAction
from koers.audit.services import audit_reads
from koers.clients.constants import Section
from koers.clients.permissions import client_access, clients_visible_to, get_client_for
from koers.core.forms_views import add_validation_errors, save_form, saved

from . import selectors, services
from .constants import LifeDomain, VersionStatus, domain_section
from .forms import (
    ActionForm,
    CompleteForm,
    EstablishForm,
    GoalForm,
    HelpQuestionEditForm,
    HelpQuestionForm,
    MyActionsForm,
    PlanVersionForm,
    ReviewForm,
)
from .models import Action, Goal
from .permissions import (
    can_complete_action,
    goal_readable,
    goal_writable,
    reads_plan,
    reads_tasks,
    writes_plan,
)
from .services import VersionConflict

BACK_TO_MY_ACTIONS = "mijn"


# --- helpers ---------------------------------------------------------------------------------


def _client(request, client_pk):
    """The client through the access rule; 404 unless PLAN or TASKS may be read."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    client = get_client_for(membership, client_pk)
    access = client_access(membership, client)
    if not (reads_plan(access) or reads_tasks(access)):
        raise Http404
    return client, access


def _plan_client(request, client_pk, *, write=False):
    """Client, access and the household's plan for a reader (writer) of PLAN; 404 otherwise,
    also when the household has no plan yet."""
    client, access = _client(request, client_pk)
    if not (writes_plan(access) if write else reads_plan(access)):
        raise Http404
    plan = selectors.plan_of(client.household_id)
    if plan is None:
        raise Http404
    return client, access, plan


def _crumbs(client, label=None):
    crumbs = [
        {"label": _("Clients"), "url": reverse("clients:list")},
        {"label": client.full_name, "url": reverse("clients:detail", args=[client.pk])},
        {"label": _("Plan"), "url": reverse("plans:detail", args=[client.pk])},
    ]
    if label:
        crumbs.append({"label": label, "url": ""})
    return crumbs


def _display(field, value) -> str:
    if value in (None, "", []):
        return "–"
    if hasattr(value, "all") or isinstance(value, list | tuple | set):
        items = list(value.all() if hasattr(value, "all") else value)
        return ", ".join(str(getattr(item, "full_name", item)) for item in items) or "–"
    choices = getattr(field, "choices", None)
    if choices:
        flat = {}
        for key, label in choices:
            if isinstance(label, list | tuple):
                flat.update({str(k): v for k, v in label})
            else:
                flat[str(key)] = label
        return str(flat.get(str(value), value))
    if hasattr(value, "strftime"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _conflict(
    request, *, client, heading, form=None, current: dict | None = None, message="", back_url=""
):
    """The 409 page: someone else saved first; nothing of this user's was written. With a
    form, its values next to the saved ones."""
    rows = []
    for name, now in (current or {}).items():
        field = form.fields[name]
        tried = form.cleaned_data.get(name)
        if _display(field, tried) != _display(field, now):
            rows.append(
                {"label": field.label, "tried": _display(field, tried), "now": _display(field, now)}
            )
    return render(
        request,
        "plans/conflict.html",
        {
            "client": client,
            "heading": heading,
            "rows": rows,
            "message": message,
            "show_table": form is not None,
            "back_url": back_url or request.get_full_path(),
            "breadcrumbs": _crumbs(client, heading),
        },
        status=409,
    )


def _plan_changed_conflict(request, client, heading, back_url=""):
    return _conflict(
        request,
        client=client,
        heading=heading,
        back_url=back_url,
        message=_(
            "Someone changed the plan while you had this page open. Nothing of yours was "
            "saved. Look at the plan as it is now and try again if it is still needed."
        ),
    )


def _audit_view(request, accesses, sections, detail):
    audit_reads(request, accesses, action=AuditAction.VIEW, sections=sections, detail=detail)


# --- the plan --------------------------------------------------------------------------------


@membership_required
def plan_detail(request, client_pk):
    client, access = _client(request, client_pk)
    membership = request.membership
    today = timezone.localdate()
    if not reads_plan(access):
        return _own_tasks(request, client, access, today)
    accesses = selectors.household_accesses(membership, client, access)
    plan = selectors.plan_of(client.household_id)
    context = {
        "client": client,
        "household": client.household,
        "can_write": writes_plan(access),
        "today": today,
        "breadcrumbs": _crumbs(client)[:-1] + [{"label": _("Plan"), "url": ""}],
    }
    if plan is None:
        _audit_view(request, accesses, Section.PLAN, "plans:detail")
        context["form"] = HelpQuestionForm() if context["can_write"] else None
        return render(request, "plans/plan_detail.html", context)
    page = selectors.plan_page(plan, access, today=today)
    for goal in page.goals:
        for action in goal.shown_actions:
            action.can_complete = action.is_open and can_complete_action(membership, access, action)
    _audit_view(request, accesses, page.sections, "plans:detail")
    context.update(
        {
            "plan": plan,
            "page": page,
            "is_concept": page.concept is not None,
            "revise_form": PlanVersionForm(initial={"version": plan.version}),
        }
    )
    return render(request, "plans/plan_detail.html", context)


def _own_tasks(request, client, access, today):
    """A reader of TASKS only (a volunteer): their own tasks in this household, without the
    goal or its life domain."""
    membership = request.membership
    actions = selectors.own_actions(membership, client.household_id, today=today)
    for action in actions:
        action.can_complete = action.is_open and can_complete_action(membership, access, action)
    accesses = selectors.household_accesses(membership, client, access, section=Section.TASKS)
    _audit_view(request, accesses, Section.TASKS, "plans:own_tasks")
    return render(
        request,
        "plans/own_tasks.html",
        {
            "client": client,
            "household": client.household,
            "actions": actions,
            "breadcrumbs": [
                {"label": _("My actions"), "url": reverse("plans:my_actions")},
                {"label": client.household.name, "url": ""},
            ],
        },
    )


@membership_required
@require_POST
def plan_create(request, client_pk):
    client, access = _client(request, client_pk)
    if not writes_plan(access):
        raise Http404
    form = HelpQuestionForm(request.POST)
    if form.is_valid():
        try:
            _plan, created = services.plan_create(
                request,
                household=client.household,
                accesses=selectors.household_accesses(request.membership, client, access),
                membership=request.membership,
                help_question=form.cleaned_data["help_question"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            if created:
                messages.success(request, _("The plan is started as a draft."))
            else:
                messages.info(request, _("This household has a plan already."))
            return redirect("plans:detail", client_pk=client.pk)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "client": client,
            "household": client.household,
            "can_write": True,
            "form": form,
            "breadcrumbs": _crumbs(client)[:-1] + [{"label": _("Plan"), "url": ""}],
        },
    )


def _form_page(request, client, form, *, title, submit, intro="", cancel_url=None):
    return render(
        request,
        "plans/form_page.html",
        {
            "client": client,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "cancel_url": cancel_url or reverse("plans:detail", args=[client.pk]),
            "breadcrumbs": _crumbs(client, title),
        },
    )


def _plan_form(
    request,
    client,
    access,
    form,
    *,
    heading,
    submit,
    save,
    done,
    conflict=None,
    audit=None,
    intro="",
):
    """A form page of the plan: `save()` through the service, then back to the plan with the
    message `done(result)`; on a stale version `conflict(error)` (the 409 page); on a rule the
    form again with the errors. A GET is audited as a read of `audit` (sections, detail) where
    the form shows what is saved."""
    response = save_form(
        request,
        form,
        save,
        done=lambda result: saved(request, done(result), "plans:detail", client_pk=client.pk),
        conflict=conflict,
    )
    if response is not None:
        return response
    if audit is not None and request.method == "GET":
        _audit_view(request, {client.pk: access}, *audit)
    return _form_page(request, client, form, title=heading, submit=submit, intro=intro)


def _stale(request, client, form, heading, now):
    """The 409 page with the form's values next to `now(row)`, the row as it is now."""
    return lambda conflict: _conflict(
        request, client=client, heading=heading, form=form, current=now(conflict.current)
    )


def _plan_changed(request, client, heading):
    return lambda _conflict: _plan_changed_conflict(request, client, heading)


def _saved_message(_result):
    return _("Saved.")


@membership_required
@require_http_methods(["GET", "POST"])
def help_question_edit(request, client_pk):
    client, access, plan = _plan_client(request, client_pk, write=True)
    heading = _("Help question")
    form = HelpQuestionEditForm(
        request.POST or None,
        initial={"help_question": plan.help_question, "version": plan.version},
    )
    return _plan_form(
        request,
        client,
        access,
        form,
        heading=heading,
        submit=_("Save"),
        save=lambda: services.plan_update(
            request,
            plan=plan,
            accesses=selectors.household_accesses(request.membership, client, access),
            help_question=form.cleaned_data["help_question"],
            version=form.cleaned_data["version"],
        ),
        done=_saved_message,
        conflict=_stale(
            request, client, form, heading, lambda now: {"help_question": now.help_question}
        ),
        audit=(Section.PLAN, "plans:help_question"),
    )


def _whole_plan_page(
    request,
    client_pk,
    form_class,
    service,
    *,
    fields,
    heading,
    submit,
    refusal,
    done,
    detail,
    **page,
):
    """A form on the whole plan (establish, review): saved over the plan's version, so any
    change to the plan in between gets the 409 page. It vouches for every goal: a user who may
    not read them all gets `refusal` above the form."""
    client, access, plan = _plan_client(request, client_pk, write=True)
    form = form_class(request.POST or None, initial={"version": plan.version})

    def save():
        data = form.cleaned_data
        try:
            return service(
                request,
                plan=plan,
                accesses=selectors.household_accesses(request.membership, client, access),
                membership=request.membership,
                version=data["version"],
                **{name: data[name] for name in fields},
            )
        except PermissionDenied:
            raise ValidationError(refusal) from None

    return _plan_form(
        request,
        client,
        access,
        form,
        heading=heading,
        submit=submit,
        save=save,
        done=done,
        conflict=_plan_changed(request, client, heading),
        audit=(Section.PLAN, detail),
        **page,
    )


@membership_required
@require_http_methods(["GET", "POST"])
def plan_establish(request, client_pk):
    return _whole_plan_page(
        request,
        client_pk,
        EstablishForm,
        services.plan_establish,
        fields=("established_on", "review_due_on"),
        heading=_("Establish the plan"),
        submit=_("Establish"),
        intro=_(
            "Establishing freezes the help question, the goals and the actions as they are now "
            "in this version. Later changes need a revision. The actions can still be carried "
            "out and closed."
        ),
        refusal=_(
            "The plan has goals in a life domain you may not read: someone who may "
            "read them establishes it."
        ),
        done=lambda version: (
            _("Version %(number)s of the plan is established.") % {"number": version.number}
        ),
        detail="plans:establish",
    )


@membership_required
@require_http_methods(["GET", "POST"])
def plan_review(request, client_pk):
    return _whole_plan_page(
        request,
        client_pk,
        ReviewForm,
        services.plan_review,
        fields=("reviewed_on", "outcome", "note", "next_review_on", "form_token"),
        heading=_("Review the plan"),
        submit=_("Record the review"),
        refusal=_(
            "The plan has goals in a life domain you may not read: someone who may "
            "read them reviews it."
        ),
        done=lambda _review: _("The review is recorded."),
        detail="plans:review",
    )


@membership_required
@require_POST
def plan_revise(request, client_pk):
    client, access, plan = _plan_client(request, client_pk, write=True)
    heading = _("Revise the plan")
    form = PlanVersionForm(request.POST)
    if not form.is_valid():
        return redirect("plans:detail", client_pk=client.pk)
    try:
        version = services.plan_revise(
            request,
            plan=plan,
            accesses=selectors.household_accesses(request.membership, client, access),
            membership=request.membership,
            version=form.cleaned_data["version"],
        )
    except VersionConflict:
        return _plan_changed_conflict(
            request, client, heading, back_url=reverse("plans:detail", args=[client.pk])
        )
    except PermissionDenied:
        messages.error(
            request,
            _(
                "The plan has goals in a life domain you may not read: someone who may read "
                "them revises it."
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(number)s is started as a draft, based on the plan in force.")
            % {"number": version.number},
        )
    return redirect("plans:detail", client_pk=client.pk)


@membership_required
def plan_history(request, client_pk):
    client, access, plan = _plan_client(request, client_pk)
    entries = selectors.version_history(plan, access)
    sections = Section.PLAN
    for domain in {g.life_domain for g in Goal.objects.filter(plan=plan).only("life_domain")}:
        if goal_readable(access, domain):
            sections |= domain_section(domain)
    _audit_view(
        request,
        selectors.household_accesses(request.membership, client, access),
        sections,
        "plans:history",
    )
    return render(
        request,
        "plans/history.html",
        {
            "client": client,
            "household": client.household,
            "entries": entries,
            "breadcrumbs": _crumbs(client, _("History")),
        },
    )


# --- goals -----------------------------------------------------------------------------------


@membership_required
@require_http_methods(["GET", "POST"])
def goal_create(request, client_pk):
    client, access, plan = _plan_client(request, client_pk, write=True)
    heading = _("Add a goal")
    form = GoalForm(request.POST or None, household=client.household, access=access)

    def add():
        data = form.cleaned_data
        return services.goal_create(
            request,
            plan=plan,
            accesses=selectors.household_accesses(request.membership, client, access),
            life_domain=data["life_domain"],
            description=data["description"],
            priority=data["priority"],
            target_score=data["target_score"],
            members=data["members"],
            form_token=data["form_token"],
        )

    return _plan_form(
        request,
        client,
        access,
        form,
        heading=heading,
        submit=_("Add the goal"),
        save=add,
        done=lambda _goal: _("The goal is added."),
    )


@membership_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, client_pk, pk):
    client, access, plan = _plan_client(request, client_pk, write=True)
    goal = get_object_or_404(Goal, pk=pk, plan=plan)
    if not goal_writable(access, goal.life_domain):
        raise Http404
    heading = _("Change a goal")
    content = plan.versions.filter(status=VersionStatus.CONCEPT).exists()
    form = GoalForm(
        request.POST or None,
        initial={**_goal_values(goal), "version": goal.version},
        household=client.household,
        access=access,
        content=content,
        goal=goal,
    )

    def save():
        data = form.cleaned_data
        changes = {"status": data["status"]}
        if content:
            changes.update(
                {
                    name: data[name]
                    for name in ("life_domain", "description", "priority", "target_score")
                }
            )
            changes["members"] = list(data["members"])
        return services.goal_update(
            request,
            goal=goal,
            accesses=selectors.household_accesses(request.membership, client, access),
            changes=changes,
            version=data["version"],
        )

    return _plan_form(
        request,
        client,
        access,
        form,
        heading=heading,
        submit=_("Save"),
        intro=""
        if content
        else _(
            "The plan is established: only the goal's status can change. Start a revision "
            "to change what the goal says."
        ),
        save=save,
        done=_saved_message,
        conflict=_stale(request, client, form, heading, _goal_values),
        audit=(Section.PLAN | domain_section(goal.life_domain), "plans:goal_edit"),
    )


def _goal_values(goal) -> dict:
    """What the goal form shows of a goal, in the form's order."""
    return {
        "life_domain": goal.life_domain,
        "description": goal.description,
        "priority": goal.priority,
        "target_score": goal.target_score,
        "members": list(goal.members.all()),
        "status": goal.status,
    }


# --- actions ---------------------------------------------------------------------------------


def _visible_members(request, client):
    return list(
        clients_visible_to(request.membership)
        .filter(household_id=client.household_id)
        .order_by("family_name", "given_names", "id")
    )


@membership_required
@require_http_methods(["GET", "POST"])
def action_create(request, client_pk, goal_pk):
    client, access, plan = _plan_client(request, client_pk, write=True)
    goal = get_object_or_404(Goal, pk=goal_pk, plan=plan)
    if not goal_writable(access, goal.life_domain):
        raise Http404
    heading = _("Add an action")
    owners = selectors.owner_choices(client.household, clients=_visible_members(request, client))
    form = ActionForm(request.POST or None, owners=owners)

    def add():
        data = form.cleaned_data
        return services.action_create(
            request,
            goal=goal,
            accesses=selectors.household_accesses(request.membership, client, access),
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            review_on=data["review_on"],
            form_token=data["form_token"],
        )

    return _plan_form(
        request,
        client,
        access,
        form,
        heading=heading,
        submit=_("Add the action"),
        intro=_("For the goal: %(goal)s (%(domain)s)")
        % {"goal": goal.description, "domain": LifeDomain(goal.life_domain).label},
        save=add,
        done=lambda _action: _("The action is added."),
        audit=(Section.PLAN | domain_section(goal.life_domain), "plans:action_create"),
    )


def _action(plan, pk):
    return get_object_or_404(
        Action.objects.select_related("goal", *selectors.ACTION_RELATED), pk=pk, plan=plan
    )


@membership_required
@require_http_methods(["GET", "POST"])
def action_edit(request, client_pk, pk):
    client, access, plan = _plan_client(request, client_pk, write=True)
    action = _action(plan, pk)
    if not goal_writable(access, action.goal.life_domain):
        raise Http404
    heading = _("Change an action")
    content = plan.versions.filter(status=VersionStatus.CONCEPT).exists()
    owners = selectors.owner_choices(
        client.household, clients=_visible_members(request, client), current=action
    )
    form = ActionForm(
        request.POST or None,
        owners=owners,
        content=content,
        action=action,
        initial={**_action_values(action), "version": action.version},
    )

    def save():
        data = form.cleaned_data
        changes = {name: data[name] for name in ("due_on", "review_on", "status")}
        if content:
            changes.update({"description": data["description"], "owner": data["owner"]})
        return services.action_update(
            request,
            action=action,
            accesses=selectors.household_accesses(request.membership, client, access),
            membership=request.membership,
            changes=changes,
            version=data["version"],
        )

    return _plan_form(
        request,
        client,
        access,
        form,
        heading=heading,
        submit=_("Save"),
        intro=""
        if content
        else _(
            "The plan is established: the dates and the status can change, what the action is "
            "and who does it only in a revision."
        ),
        save=save,
        done=_saved_message,
        conflict=_stale(request, client, form, heading, _action_values),
        audit=(Section.PLAN | domain_section(action.goal.life_domain), "plans:action_edit"),
    )


def _action_values(action) -> dict:
    """What the action form shows of an action, in the form's order."""
    return {
        "description": action.description,
        "owner": action.owner_key,
        "due_on": action.due_on,
        "review_on": action.review_on,
        "status": action.status,
    }


@membership_required
@require_http_methods(["GET", "POST"])
def action_complete(request, client_pk, pk):
    """The owner marks their task done with a short note: the one thing a volunteer changes.
    The page shows the task text only."""
    client, access = _client(request, client_pk)
    plan = selectors.plan_of(client.household_id)
    if plan is None:
        raise Http404
    membership = request.membership
    action = _action(plan, pk)
    if not can_complete_action(membership, access, action):
        raise Http404
    back_to_mine = request.GET.get("terug") == BACK_TO_MY_ACTIONS
    back_url = (
        reverse("plans:my_actions") if back_to_mine else reverse("plans:detail", args=[client.pk])
    )
    heading = _("Mark the action done")
    full = goal_readable(access, action.goal.life_domain)
    sections = Section.PLAN | domain_section(action.goal.life_domain) if full else Section.TASKS
    form = CompleteForm(request.POST or None, initial={"version": action.version})
    response = save_form(
        request,
        form,
        lambda: services.action_complete(
            request,
            action=action,
            accesses=selectors.household_accesses(
                membership, client, access, section=Section.PLAN if full else Section.TASKS
            ),
            membership=membership,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        ),
        done=lambda _done: saved(request, _("The action is marked done. Thank you."), back_url),
        conflict=lambda conflict: _conflict(
            request,
            client=client,
            heading=heading,
            form=form,
            current={"note": conflict.current.done_note},
            message=_(
                "Someone changed this action while you had this page open. Nothing of yours "
                "was saved."
            ),
        ),
    )
    if response is not None:
        return response
    if request.method == "GET":
        _audit_view(request, {client.pk: access}, sections, "plans:action_complete")
    return render(
        request,
        "plans/action_complete.html",
        {
            "client": client,
            "household": client.household,
            "action": action,
            "form": form,
            "heading": heading,
            "back_url": back_url,
            "breadcrumbs": [
                {"label": _("My actions"), "url": reverse("plans:my_actions")},
                {"label": heading, "url": ""},
            ]
            if back_to_mine or not full
            else _crumbs(client, heading),
        },
    )


# --- "Mijn acties" -----------------------------------------------------------------------------


@membership_required
def my_actions(request):
    """The user's own actions, a page at a time: the open ones (soonest due first) or, with
    `?toon=gesloten`, the closed ones; `?pagina=` pages. Audited as a read of the rows shown."""
    membership = request.membership
    if not membership.opens_dossiers:
        raise Http404
    today = timezone.localdate()
    show, page = MyActionsForm(request.GET).choice()
    result = selectors.my_actions(membership, today=today, show=show, page=page)
    for accesses, sections in result.audit_groups:
        _audit_view(request, accesses, sections, "plans:my_actions")
    return render(
        request,
        "plans/my_actions.html",
        {
            "result": result,
            "today": today,
            "back": BACK_TO_MY_ACTIONS,
            "closed": selectors.SHOW_CLOSED,
            # What the page links keep of the query string: the choice of open or closed.
            "page_query": f"toon={result.show}&" if result.show == selectors.SHOW_CLOSED else "",
            "breadcrumbs": [{"label": _("My actions"), "url": ""}],
        },
    )
