"""Reads of the first-phase checklist. The household pages pass a ChecklistView (permissions.py)
built from the access rule; stuck_households() is the caseload's signal and reads no task text."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from koers.core import sql

from .constants import OPEN_STATUSES
from .models import Checklist, ChecklistTask, ChecklistTemplate
from .permissions import ChecklistView, checklist_view


@dataclass(frozen=True)
class Stuck:
    """A household's checklist is stuck: tasks past their due date and not done."""

    overdue: int
    oldest_due_on: date


def stuck_households(household_ids: Iterable[int], today: date | None = None) -> dict[int, Stuck]:
    """Per household whose checklist is stuck (only those): how many tasks are past their due
    date and still open or in progress, and the oldest due date. One query, hand-written
    (koers.core.sql): every caseload page asks."""
    today = today or timezone.localdate()
    ids = list(household_ids)
    if not ids:
        return {}
    households, household_params = sql.ids_in("c.household_id", ids)
    query = f"""
        SELECT c.household_id, COUNT(t.id), MIN(t.due_on)
        FROM {sql.table(ChecklistTask)} t JOIN {sql.table(Checklist)} c ON c.id = t.checklist_id
        WHERE {households}
          AND t.status IN ({sql.placeholders(OPEN_STATUSES)}) AND t.due_on < %s
        GROUP BY c.household_id
    """  # noqa: S608 - table names from the models, every value a parameter
    rows = sql.fetch(query, [*household_params, *OPEN_STATUSES, today])
    return {
        household_id: Stuck(overdue, sql.as_date(oldest)) for household_id, overdue, oldest in rows
    }


def owner_label(task: ChecklistTask) -> str:
    involvement = task.owner_involvement
    if involvement is not None:
        person = ""
        if involvement.membership_id:
            person = involvement.membership.user.display_name
        person = person or involvement.person_name
        label = f"{involvement.get_role_display()}: {involvement.organisation.name}"
        return f"{label} ({person})" if person else label
    if task.owner_organisation is not None:
        return task.owner_organisation.name
    return ""


def household_checklist(household_id: int, view: ChecklistView, today: date | None = None):
    """The household's checklist and the tasks this view may see, in order, each with
    owner_text, overdue, editable and own (for the template). Two queries; (None, []) when the
    checklist has not started."""
    today = today or timezone.localdate()
    checklist = (
        Checklist.objects.filter(household_id=household_id)
        .select_related("started_by__user", "started_by__organisation")
        .first()
    )
    if checklist is None:
        return None, []
    tasks = (
        ChecklistTask.objects.filter(checklist=checklist)
        .select_related(
            "owner_organisation",
            "owner_involvement__organisation",
            "owner_involvement__membership__user",
            "done_by__user",
            "done_by__organisation",
        )
        .order_by("position", "id")
    )
    visible = []
    for task in tasks:
        if not view.can_see(task):
            continue
        task.owner_text = owner_label(task)
        task.overdue = task.status in OPEN_STATUSES and task.due_on < today
        task.editable = view.can_update(task)
        task.own = view.owns(task)
        visible.append(task)
    return checklist, visible


@dataclass(frozen=True)
class ChecklistSummary:
    started: bool
    total: int = 0
    closed: int = 0
    overdue: int = 0


def checklist_card(membership, access, client, today: date | None = None) -> dict:
    """Context for the dossier card (template checklist/_dossier_card.html): progress of the
    household's checklist as far as this membership may see it. Empty when neither PLAN nor
    TASKS is readable; three queries otherwise."""
    view = checklist_view(membership, access, client.household_id)
    if not view.visible:
        return {"checklist_visible": False}
    today = today or timezone.localdate()
    checklist_id = (
        Checklist.objects.filter(household_id=client.household_id)
        .values_list("pk", flat=True)
        .first()
    )
    tasks = []
    if checklist_id is not None:
        tasks = list(
            ChecklistTask.objects.filter(checklist_id=checklist_id).only(
                "status", "due_on", "extra_section", "owner_involvement_id"
            )
        )
    seen = [task for task in tasks if view.can_see(task)]
    summary = ChecklistSummary(
        started=checklist_id is not None,
        total=len(seen),
        closed=sum(1 for task in seen if task.is_closed),
        overdue=sum(1 for task in seen if task.status in OPEN_STATUSES and task.due_on < today),
    )
    return {
        "checklist_visible": True,
        "checklist_summary": summary,
        "checklist_own_only": not view.whole,
        "checklist_client_pk": client.pk,
    }


def templates_for_admin() -> list[ChecklistTemplate]:
    """Every template with its number of tasks, the default first. One query."""
    return list(
        ChecklistTemplate.objects.select_related("municipality")
        .annotate(task_count=Count("tasks"))
        .order_by("-is_default", "municipality__name", "id")
    )
