"""Writes of the first-phase checklist and its templates: validated before anything is
written, audited in the same transaction; an edit saves only over the version it was loaded
with."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action
from koers.audit.services import audit_change, audit_event
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Client, Household
from koers.clients.services import VersionConflict
from koers.network.models import Involvement
from koers.organisations.services import StaleStateError

from .constants import (
    CLOSED_STATUSES,
    DEFAULT_TASKS,
    DEFAULT_TEMPLATE_NAME,
)
from .models import Checklist, ChecklistTask, ChecklistTemplate, TemplateTask
from .permissions import ChecklistView

__all__ = ["StaleStateError", "VersionConflict"]


# --- templates ---------------------------------------------------------------------------------


def default_template() -> ChecklistTemplate:
    """The default template, seeded from DEFAULT_TASKS when it is missing (migration 0002 seeds
    it; a transactional test's flush removes it). No audit row: nobody changed anything."""
    template = ChecklistTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            template = ChecklistTemplate.objects.create(is_default=True, name=DEFAULT_TEMPLATE_NAME)
            TemplateTask.objects.bulk_create(
                TemplateTask(
                    template=template,
                    position=position,
                    title=title,
                    description=description,
                    default_owner_role=role,
                    due_within_days=days,
                    extra_section=extra,
                )
                for position, (title, description, role, days, extra) in enumerate(DEFAULT_TASKS, 1)
            )
    except IntegrityError:  # seeded at the same moment by another request
        template = ChecklistTemplate.objects.get(is_default=True)
    return template


def template_for(municipality_id: int) -> ChecklistTemplate:
    """The municipality's own template, else the default."""
    own = ChecklistTemplate.objects.filter(municipality_id=municipality_id).first()
    return own if own is not None else default_template()


def _admin_label(instance) -> str:
    return f"checklist:{instance._meta.model_name}:{instance.pk}"


def _lock_template(pk: int) -> None:
    """Serialise changes to one template's task order (without the default ordering's join,
    which FOR UPDATE cannot lock)."""
    list(ChecklistTemplate.objects.select_for_update().filter(pk=pk).order_by().values_list("pk"))


def _locked_version(model, pk, version: int):
    """The row locked for the update; StaleStateError when it changed since it was loaded."""
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != version:
        raise StaleStateError
    return current


@transaction.atomic
def template_create(request, *, municipality, name: str, copy_from=None) -> ChecklistTemplate:
    """A municipality's own template, starting from a copy of `copy_from`'s tasks (usually
    the default) or empty."""
    if ChecklistTemplate.objects.filter(municipality=municipality).exists():
        raise ValidationError(
            {"municipality": _("This municipality has a checklist template already.")}
        )
    template = ChecklistTemplate(municipality=municipality, name=name.strip())
    template.full_clean()
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:  # created at the same moment by someone else
        raise ValidationError(
            {"municipality": _("This municipality has a checklist template already.")}
        ) from error
    if copy_from is not None:
        TemplateTask.objects.bulk_create(
            TemplateTask(
                template=template,
                position=task.position,
                title=task.title,
                description=task.description,
                default_owner_role=task.default_owner_role,
                due_within_days=task.due_within_days,
                extra_section=task.extra_section,
            )
            for task in copy_from.tasks.order_by("position", "id")
        )
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{_admin_label(template)} created")
    return template


@transaction.atomic
def template_update(request, *, template: ChecklistTemplate, name: str, version: int):
    current = _locked_version(ChecklistTemplate, template.pk, version)
    current.name = name.strip()
    current.full_clean()
    current.version += 1
    current.save()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{_admin_label(current)} changed")
    return current


@transaction.atomic
def template_delete(request, *, template: ChecklistTemplate) -> None:
    """A municipality's template goes; the municipality falls back on the default. Running
    checklists keep their tasks. The default template itself stays."""
    if template.is_default:
        raise ValidationError(_("The default template cannot be deleted."))
    label = _admin_label(template)
    ChecklistTemplate.objects.filter(pk=template.pk).delete()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{label} deleted")


TEMPLATE_TASK_FIELDS = (
    "title",
    "description",
    "default_owner_role",
    "due_within_days",
    "extra_section",
)


@transaction.atomic
def template_task_add(request, *, template: ChecklistTemplate, values: dict) -> TemplateTask:
    """A task at the end of the template."""
    _lock_template(template.pk)
    last = template.tasks.order_by("-position").values_list("position", flat=True).first()
    task = TemplateTask(template=template, position=(last or 0) + 1)
    for name in TEMPLATE_TASK_FIELDS:
        if name in values:
            setattr(task, name, values[name])
    task.full_clean()
    task.save()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{_admin_label(task)} created")
    return task


@transaction.atomic
def template_task_update(request, *, task: TemplateTask, values: dict, version: int):
    current = _locked_version(TemplateTask, task.pk, version)
    for name in TEMPLATE_TASK_FIELDS:
        if name in values:
            setattr(current, name, values[name])
    current.full_clean()
    current.version += 1
    current.save()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{_admin_label(current)} changed")
    return current


@transaction.atomic
def template_task_remove(request, *, task: TemplateTask) -> None:
    label = _admin_label(task)
    TemplateTask.objects.filter(pk=task.pk).delete()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{label} deleted")


@transaction.atomic
def template_task_move(request, *, task: TemplateTask, up: bool) -> None:
    """Swap the task with its neighbour; positions are renumbered 1..n on the way."""
    _lock_template(task.template_id)
    tasks = list(
        TemplateTask.objects.filter(template_id=task.template_id).order_by("position", "id")
    )
    index = next((i for i, t in enumerate(tasks) if t.pk == task.pk), None)
    if index is None:
        return
    other = index - 1 if up else index + 1
    if not 0 <= other < len(tasks):
        return
    tasks[index], tasks[other] = tasks[other], tasks[index]
    for position, item in enumerate(tasks, 1):
        item.position = position
    TemplateTask.objects.bulk_update(tasks, ["position"])
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"{_admin_label(task)} moved")


# --- a household's checklist -------------------------------------------------------------------


def _audit_household(request, *, household_id, access, action, sections, detail) -> None:
    """A change of the household's checklist is a change for every client of the household."""
    for client_id in Client.objects.filter(household_id=household_id).values_list("pk", flat=True):
        audit_change(
            request,
            client_id=client_id,
            access=access,
            action=action,
            sections=sections,
            detail=detail,
        )


def _default_owners(household_id: int, on: date) -> dict[str, Involvement]:
    """Per network role, who gets the tasks of that role: the current regisseur, else the
    longest-standing active involvement with that role."""
    owners: dict[str, Involvement] = {}
    involvements = (
        Involvement.objects.active(on)
        .filter(household_id=household_id)
        .order_by("start_date", "id")
    )
    for involvement in involvements:
        if involvement.role == NetworkRole.REGISSEUR and involvement.end_date is None:
            owners[involvement.role] = involvement
        owners.setdefault(involvement.role, involvement)
    return owners


@transaction.atomic
def checklist_start(
    request, *, client: Client, access, housing_date: date, started_by
) -> Checklist:
    """Start the household's checklist from its municipality's template as it is now: the
    tasks are copied, so later template changes never rewrite it. Each task goes to whoever
    has the template task's role in the network, and is due `due_within_days` after the
    housing date. A household has one checklist: starting it again changes nothing."""
    if not (access.can_read(Section.PLAN) and access.can_write(Section.PLAN)):
        raise PermissionDenied
    household = Household.objects.select_for_update().get(pk=client.household_id)
    existing = Checklist.objects.filter(household=household).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    if housing_date > today + timedelta(days=365):
        raise ValidationError({"housing_date": _("The housing date is too far in the future.")})
    template = template_for(household.municipality_id)
    checklist = Checklist(
        household=household,
        template=template,
        template_name=template.name,
        housing_date=housing_date,
        started_on=today,
        started_by=started_by,
    )
    checklist.full_clean()
    checklist.save()
    owners = _default_owners(household.pk, today)
    ChecklistTask.objects.bulk_create(
        ChecklistTask(
            checklist=checklist,
            position=position,
            title=task.title,
            description=task.description,
            extra_section=task.extra_section,
            owner_involvement=owners.get(task.default_owner_role),
            due_on=housing_date + timedelta(days=task.due_within_days),
        )
        for position, task in enumerate(template.tasks.order_by("position", "id"), 1)
    )
    _audit_household(
        request,
        household_id=household.pk,
        access=access,
        action=Action.CREATE,
        sections=Section.PLAN,
        detail=f"checklist:{checklist.pk} started",
    )
    return checklist


def owner_options(household_id: int, on: date | None = None):
    """Who may own a task: the involvements active in the household's network, and their
    organisations. Two queries at most; returns (involvements, organisations)."""
    involvements = list(
        Involvement.objects.active(on or timezone.localdate())
        .filter(household_id=household_id)
        .select_related("organisation", "membership__user")
        .order_by("organisation__name", "role", "id")
    )
    organisations = {i.organisation_id: i.organisation for i in involvements}
    return involvements, sorted(organisations.values(), key=lambda o: o.name)


def _check_owner(task: ChecklistTask, changes: dict, household_id: int) -> None:
    """A new owner comes from the household's active network; the current one may stay."""
    involvement = changes.get("owner_involvement")
    organisation = changes.get("owner_organisation")
    if involvement is not None and involvement.pk == task.owner_involvement_id:
        return
    if organisation is not None and organisation.pk == task.owner_organisation_id:
        return
    if involvement is None and organisation is None:
        return
    involvements, organisations = owner_options(household_id)
    if involvement is not None and involvement.pk not in {i.pk for i in involvements}:
        raise ValidationError({"owner": _("Choose someone who is in the household's network.")})
    if organisation is not None and organisation.pk not in {o.pk for o in organisations}:
        raise ValidationError(
            {"owner": _("Choose an organisation that is in the household's network.")}
        )


TASK_FIELDS_FULL = ("status", "done_on", "owner_involvement", "owner_organisation", "due_on")
TASK_FIELDS_OWN = ("status", "done_on")


def _same(task: ChecklistTask, changes: dict) -> bool:
    for name, value in changes.items():
        current = getattr(task, f"{name}_id") if name.startswith("owner_") else getattr(task, name)
        wanted = value.pk if name.startswith("owner_") and value is not None else value
        if current != wanted:
            return False
    return True


@transaction.atomic
def checklist_task_update(
    request,
    *,
    client: Client,
    access,
    view: ChecklistView,
    task: ChecklistTask,
    changes: dict,
    version: int,
    membership,
) -> ChecklistTask:
    """Change a task's status (with its done date), owner or due date.

    Who may read and write the PLAN section changes anything; a volunteer (TASKS) changes only
    the status of a task they own. Closing a task (done, not applicable) records the date
    (today unless given) and who closed it; reopening clears both. A stale version raises
    VersionConflict; the same values submitted twice change nothing."""
    if task.checklist.household_id != client.household_id or not view.can_see(task):
        raise PermissionDenied
    allowed = TASK_FIELDS_FULL if view.can_manage else TASK_FIELDS_OWN
    if not view.can_update(task) or set(changes) - set(allowed):
        raise PermissionDenied
    current = ChecklistTask.objects.select_for_update().get(pk=task.pk)
    status = changes.get("status", current.status)
    if status in CLOSED_STATUSES:
        if not changes.get("done_on"):
            changes["done_on"] = current.done_on or timezone.localdate()
    else:
        changes["done_on"] = None
    if current.version != version:
        if _same(current, changes):
            return current
        raise VersionConflict(current)
    if changes["done_on"] and changes["done_on"] > timezone.localdate():
        raise ValidationError({"done_on": _("The done date cannot be in the future.")})
    if "owner_involvement" in changes or "owner_organisation" in changes:
        changes.setdefault("owner_involvement", None)
        changes.setdefault("owner_organisation", None)
        _check_owner(current, changes, client.household_id)
    old_status = current.status
    for name, value in changes.items():
        setattr(current, name, value)
    # Who closed the task: whoever closed it, or changed done into not applicable (or back).
    if not current.is_closed:
        current.done_by = None
    elif current.status != old_status or current.done_by_id is None:
        current.done_by = membership
    current.full_clean(exclude=["checklist"])
    fields = {name: getattr(current, name) for name in changes}
    fields["done_by"] = current.done_by
    updated = ChecklistTask.objects.filter(pk=current.pk, version=version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise VersionConflict(ChecklistTask.objects.get(pk=current.pk))
    _audit_household(
        request,
        household_id=client.household_id,
        access=access,
        action=Action.UPDATE,
        sections=Section.PLAN if view.can_manage else Section.TASKS,
        detail=f"checklist_task:{current.pk}",
    )
    return ChecklistTask.objects.get(pk=current.pk)
