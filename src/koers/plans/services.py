"""Writes to the household plan. Every function runs in one transaction with its audit rows;
rules raise ValidationError (shown next to the field), a missing right PermissionDenied, and
a save on a stale version VersionConflict (the 409 page).

`accesses` maps client ids to their ClientAccess: the first is the client the page was opened
through (its access decides), the others are the household's members the user may read,
audited alongside because the plan is the whole household's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.constants import Action as AuditAction
from koers.audit.services import audit_change
from koers.clients.constants import Section
from koers.clients.models import Client, HouseholdMember
from koers.clients.services import VersionConflict
from koers.network.models import Involvement

from .constants import (
    CLOSED_ACTION_STATUSES,
    CURRENT_STATUSES,
    OPEN_ACTION_STATUSES,
    OWNER_CLIENT,
    OWNER_INVOLVEMENT,
    OWNER_ORGANISATION,
    ActionStatus,
    GoalStatus,
    ReviewOutcome,
    VersionStatus,
    domain_section,
)
from .models import Action, Goal, Plan, PlanReview, PlanVersion
from .permissions import can_complete_action, goal_readable, goal_writable, writes_plan
from .selectors import snapshot

__all__ = [
    "VersionConflict",
    "action_complete",
    "action_create",
    "action_update",
    "goal_create",
    "goal_update",
    "plan_create",
    "plan_establish",
    "plan_review",
    "plan_revise",
    "plan_update",
]

# What a goal says; changing it is changing the plan (a concept must be open). Its members too.
GOAL_CONTENT_FIELDS = ("life_domain", "description", "priority", "target_score")


# --- helpers ---------------------------------------------------------------------------------


def _first(accesses: dict):
    return next(iter(accesses.values()))


def _audit(request, accesses: dict, *, action: str, sections: Section, detail: str) -> None:
    for client_id, access in accesses.items():
        audit_change(
            request,
            client_id=client_id,
            access=access,
            action=action,
            sections=sections,
            detail=detail,
        )


def _changed(request, accesses: dict, plan_id: int, *, action: str, sections, detail: str) -> None:
    """A change to the plan's content: the plan moves to its next version (a form loaded
    before it is stale now) and the change is audited in the same transaction."""
    _bump(plan_id)
    _audit(request, accesses, action=action, sections=sections, detail=detail)


def _lock_plan(plan: Plan) -> Plan:
    """The plan row, locked for the rest of the transaction: writes to one plan run one at a
    time (a no-op on SQLite, which serialises writers anyway)."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _bump(plan_id: int) -> None:
    Plan.objects.filter(pk=plan_id).update(version=F("version") + 1)


def _concept(plan_id: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan_id=plan_id, status=VersionStatus.CONCEPT).first()


def _current(plan_id: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan_id=plan_id, status__in=CURRENT_STATUSES).first()


def _require_concept(plan_id: int) -> PlanVersion:
    concept = _concept(plan_id)
    if concept is None:
        raise ValidationError(
            _(
                "The plan is established. Start a revision to change its help question, goals "
                "or actions."
            )
        )
    return concept


def _require_every_goal_readable(plan_id: int, access) -> Section:
    """Establishing, reviewing or revising vouches for the whole plan: whoever does it must be
    able to read every goal. Returns the sections the plan's goals touch."""
    sections = Section.PLAN
    for domain in set(Goal.objects.filter(plan_id=plan_id).values_list("life_domain", flat=True)):
        if not goal_readable(access, domain):
            raise PermissionDenied
        sections |= domain_section(domain)
    return sections


def _existing(model, form_token: uuid.UUID | None):
    if form_token is None:
        return None
    return model.objects.filter(form_token=form_token).first()


def _not_in_future(value: date | None, field: str, today: date) -> dict:
    if value is not None and value > today:
        return {field: _("This date cannot be in the future.")}
    return {}


# --- the plan --------------------------------------------------------------------------------


@transaction.atomic
def plan_create(request, *, household, accesses: dict, membership, help_question: str):
    """Start the household's plan with its first concept version. A household has one plan: a
    second start (a double submit, or a colleague at the same time) returns the existing plan
    and False."""
    if not writes_plan(_first(accesses)):
        raise PermissionDenied
    help_question = (help_question or "").strip()
    if not help_question:
        raise ValidationError({"help_question": _("Write down the help question.")})
    existing = Plan.objects.filter(household=household).first()
    if existing is not None:
        return existing, False
    plan = Plan(household=household, help_question=help_question, created_by=membership)
    plan.full_clean(exclude=["household"], validate_unique=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        return Plan.objects.get(household=household), False
    PlanVersion.objects.create(
        plan=plan, number=1, status=VersionStatus.CONCEPT, created_by=membership
    )
    _audit(
        request,
        accesses,
        action=AuditAction.CREATE,
        sections=Section.PLAN,
        detail=f"plans:plan:{plan.pk}",
    )
    return plan, True


def _versioned_update(model, pk: int, version: int, changes: dict, *, compare: Iterable[str]):
    """Update a row only if it still has `version`. When it has moved on but already holds the
    values in `compare` (a double submit), nothing is written and (row, False) returned; any
    other difference raises VersionConflict with the row as it is now."""
    updated = model.objects.filter(pk=pk, version=version).update(
        **changes, version=F("version") + 1
    )
    current = model.objects.get(pk=pk)
    if updated:
        return current, True
    if all(getattr(current, name) == changes[name] for name in compare):
        return current, False
    raise VersionConflict(current)


@transaction.atomic
def plan_update(request, *, plan: Plan, accesses: dict, help_question: str, version: int) -> Plan:
    """Change the help question, while a concept version is open."""
    if not writes_plan(_first(accesses)):
        raise PermissionDenied
    help_question = (help_question or "").strip()
    if not help_question:
        raise ValidationError({"help_question": _("Write down the help question.")})
    _lock_plan(plan)
    _require_concept(plan.pk)
    changes = {"help_question": help_question}
    current, written = _versioned_update(Plan, plan.pk, version, changes, compare=changes)
    if written:
        _audit(
            request,
            accesses,
            action=AuditAction.UPDATE,
            sections=Section.PLAN,
            detail=f"plans:help_question:{plan.pk}",
        )
    return current


@transaction.atomic
def plan_establish(
    request,
    *,
    plan: Plan,
    accesses: dict,
    membership,
    established_on: date,
    review_due_on: date,
    version: int,
) -> PlanVersion:
    """Establish (vaststellen) the open concept: on a date, by the acting membership, with the
    date of the first review. The plan's content is frozen in the version; the previous version
    was set to "revised" when this concept was started, and stays in force until now."""
    access = _first(accesses)
    if not writes_plan(access):
        raise PermissionDenied
    row = _lock_plan(plan)
    concept = _concept(plan.pk)
    if row.version != version:
        latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        if (
            concept is None
            and latest is not None
            and latest.established_by_id == membership.pk
            and latest.established_on == established_on
        ):
            return latest  # a double submit: established already
        raise VersionConflict(row)
    if concept is None:
        raise ValidationError(_("There is no draft to establish."))
    sections = _require_every_goal_readable(plan.pk, access)
    today = timezone.localdate()
    errors: dict = {}
    if not row.help_question.strip():
        errors[None] = _("Write down the help question before the plan is established.")
    if not Goal.objects.filter(plan=plan, status=GoalStatus.OPEN).exists():
        errors[None] = _("A plan needs at least one open goal before it is established.")
    errors.update(_not_in_future(established_on, "established_on", today))
    previous = (
        PlanVersion.objects.filter(plan=plan, established_on__isnull=False)
        .order_by("-number")
        .first()
    )
    if previous is not None and established_on < previous.established_on:
        errors["established_on"] = _(
            "This date cannot be before the establishment of version %(number)s (%(date)s)."
        ) % {"number": previous.number, "date": previous.established_on.strftime("%d-%m-%Y")}
    if review_due_on is None:
        errors["review_due_on"] = _("Set a date for the review.")
    elif review_due_on <= established_on:
        errors["review_due_on"] = _("The review comes after the date of establishment.")
    if errors:
        raise ValidationError({field or "__all__": message for field, message in errors.items()})
    PlanVersion.objects.filter(pk=concept.pk, status=VersionStatus.CONCEPT).update(
        status=VersionStatus.ESTABLISHED,
        established_on=established_on,
        established_by=membership,
        review_due_on=review_due_on,
        content=snapshot(plan.pk),
    )
    _changed(
        request,
        accesses,
        plan.pk,
        action=AuditAction.UPDATE,
        sections=sections,
        detail=f"plans:establish:{plan.pk}:v{concept.number}",
    )
    return PlanVersion.objects.get(pk=concept.pk)


def _start_revision(plan_id: int, current: PlanVersion, membership) -> PlanVersion:
    PlanVersion.objects.filter(pk=current.pk).update(
        status=VersionStatus.REVISED, review_due_on=None
    )
    number = PlanVersion.objects.filter(plan_id=plan_id).aggregate(n=Max("number"))["n"] or 0
    return PlanVersion.objects.create(
        plan_id=plan_id,
        number=number + 1,
        status=VersionStatus.CONCEPT,
        based_on=current,
        created_by=membership,
    )


@transaction.atomic
def plan_revise(request, *, plan: Plan, accesses: dict, membership, version: int) -> PlanVersion:
    """Start a revision: a new concept version based on the version in force, which becomes
    "revised" and stays in force until the new one is established. A second start returns the
    open concept."""
    access = _first(accesses)
    if not writes_plan(access):
        raise PermissionDenied
    row = _lock_plan(plan)
    concept = _concept(plan.pk)
    if concept is not None:
        return concept  # a revision is open already (a double submit does nothing twice)
    if row.version != version:
        raise VersionConflict(row)
    current = _current(plan.pk)
    if current is None:
        raise ValidationError(_("There is no established plan to revise."))
    sections = _require_every_goal_readable(plan.pk, access)
    new = _start_revision(plan.pk, current, membership)
    _changed(
        request,
        accesses,
        plan.pk,
        action=AuditAction.UPDATE,
        sections=sections,
        detail=f"plans:revise:{plan.pk}:v{new.number}",
    )
    return new


@transaction.atomic
def plan_review(
    request,
    *,
    plan: Plan,
    accesses: dict,
    membership,
    reviewed_on: date,
    outcome: str,
    note: str = "",
    next_review_on: date | None = None,
    version: int,
    form_token: uuid.UUID | None = None,
) -> PlanReview:
    """Review (evalueren) the version in force: the plan continues (with the next review date),
    is revised (a new concept is started at once) or is completed (no further review)."""
    existing = _existing(PlanReview, form_token)
    if existing is not None:
        return existing
    access = _first(accesses)
    if not writes_plan(access):
        raise PermissionDenied
    row = _lock_plan(plan)
    if row.version != version:
        raise VersionConflict(row)
    current = _current(plan.pk)
    if current is None:
        raise ValidationError(_("Only an established plan that is not being revised is reviewed."))
    sections = _require_every_goal_readable(plan.pk, access)
    today = timezone.localdate()
    errors = _not_in_future(reviewed_on, "reviewed_on", today)
    if reviewed_on < current.established_on:
        errors["reviewed_on"] = _("The review cannot be before the plan was established.")
    if outcome == ReviewOutcome.CONTINUE:
        if next_review_on is None:
            errors["next_review_on"] = _("Set the date of the next review.")
        elif next_review_on <= reviewed_on:
            errors["next_review_on"] = _("The next review comes after this one.")
    else:
        next_review_on = None
    if errors:
        raise ValidationError(errors)
    review = PlanReview(
        version=current,
        reviewed_on=reviewed_on,
        outcome=outcome,
        note=(note or "").strip(),
        next_review_on=next_review_on,
        reviewed_by=membership,
        form_token=form_token,
    )
    review.full_clean(exclude=["version", "reviewed_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        existing = _existing(PlanReview, form_token)
        if existing is None:
            raise
        return existing
    PlanVersion.objects.filter(pk=current.pk).update(
        status=VersionStatus.REVIEWED, review_due_on=next_review_on
    )
    if outcome == ReviewOutcome.REVISE:
        _start_revision(plan.pk, current, membership)
    _changed(
        request,
        accesses,
        plan.pk,
        action=AuditAction.UPDATE,
        sections=sections,
        detail=f"plans:review:{plan.pk}:v{current.number}:{outcome}",
    )
    return review


# --- goals -----------------------------------------------------------------------------------


def _check_members(plan: Plan, members) -> list[HouseholdMember]:
    members = list(members or [])
    if any(member.household_id != plan.household_id for member in members):
        raise ValidationError({"members": _("Choose people of this household.")})
    return members


@transaction.atomic
def goal_create(
    request,
    *,
    plan: Plan,
    accesses: dict,
    life_domain: str,
    description: str,
    priority: str,
    target_score: int,
    members=(),
    form_token: uuid.UUID | None = None,
) -> Goal:
    """Add a goal to the open concept. A second submit of the same form returns the first."""
    existing = _existing(Goal, form_token)
    if existing is not None:
        return existing
    if not goal_writable(_first(accesses), life_domain):
        raise PermissionDenied
    _lock_plan(plan)
    _require_concept(plan.pk)
    members = _check_members(plan, members)
    goal = Goal(
        plan=plan,
        life_domain=life_domain,
        description=(description or "").strip(),
        priority=priority,
        target_score=target_score,
        form_token=form_token,
    )
    goal.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            goal.save()
    except IntegrityError:
        existing = _existing(Goal, form_token)
        if existing is None:
            raise
        return existing
    goal.members.set(members)
    _changed(
        request,
        accesses,
        plan.pk,
        action=AuditAction.CREATE,
        sections=Section.PLAN | domain_section(life_domain),
        detail=f"plans:goal:{goal.pk}",
    )
    return goal


@transaction.atomic
def goal_update(request, *, goal: Goal, accesses: dict, changes: dict, version: int) -> Goal:
    """Change a goal. Its content (life domain, wording, priority, target score, who it
    concerns) only while a concept is open; its status (reached, stopped, open again) at any
    time. A goal closes only when none of its tasks is still open."""
    access = _first(accesses)
    current = Goal.objects.get(pk=goal.pk)
    new_domain = changes.get("life_domain", current.life_domain)
    if not (goal_writable(access, current.life_domain) and goal_writable(access, new_domain)):
        raise PermissionDenied
    _lock_plan(goal.plan)
    fields = {name: changes[name] for name in GOAL_CONTENT_FIELDS if name in changes}
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    content_changed = any(getattr(current, name) != value for name, value in fields.items())
    members = changes.get("members")
    members_changed = members is not None and {m.pk for m in members} != set(
        current.members.values_list("pk", flat=True)
    )
    if content_changed or members_changed:
        _require_concept(current.plan_id)
    if members_changed:
        _check_members(goal.plan, members)
    status = changes.get("status", current.status)
    if status != current.status:
        fields["status"] = status
        if status == GoalStatus.OPEN:
            fields["closed_on"] = None
        else:
            if Action.objects.filter(goal=goal, status__in=OPEN_ACTION_STATUSES).exists():
                raise ValidationError(
                    {"status": _("Mark the goal's open actions done or dropped first.")}
                )
            fields["closed_on"] = timezone.localdate()
    if not (content_changed or members_changed or "status" in fields):
        return current  # nothing to change (also: a second submit of a saved form)
    candidate = Goal.objects.get(pk=goal.pk)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    compare = [name for name in fields if name != "closed_on"]
    updated, written = _versioned_update(Goal, goal.pk, version, fields, compare=compare)
    if members_changed:
        if not written:
            raise VersionConflict(updated)
        updated.members.set(members)
    if written:
        _changed(
            request,
            accesses,
            goal.plan_id,
            action=AuditAction.UPDATE,
            sections=(
                Section.PLAN | domain_section(current.life_domain) | domain_section(new_domain)
            ),
            detail=f"plans:goal:{goal.pk}",
        )
    return updated


# --- actions ---------------------------------------------------------------------------------


def resolve_owner(household, key: str, *, today: date | None = None) -> dict:
    """The owner fields for "<kind>:<id>": a person of the household's current network, an
    organisation involved with it now, or one of the household's clients."""
    today = today or timezone.localdate()
    kind, _sep, raw = (key or "").partition(":")
    owner = {"owner_involvement": None, "owner_organisation": None, "owner_client": None}
    if raw.isdigit():
        pk = int(raw)
        network = Involvement.objects.active(today).filter(household=household)
        if kind == OWNER_INVOLVEMENT:
            involvement = (
                network.filter(pk=pk)
                .exclude(membership__isnull=True, person_name="")
                .select_related("organisation", "membership__user")
                .first()
            )
            if involvement is not None:
                owner["owner_involvement"] = involvement
                return owner
        elif kind == OWNER_ORGANISATION:
            involved = network.filter(organisation_id=pk).select_related("organisation").first()
            if involved is not None:
                owner["owner_organisation"] = involved.organisation
                return owner
        elif kind == OWNER_CLIENT:
            client = Client.objects.filter(household=household, pk=pk).first()
            if client is not None:
                owner["owner_client"] = client
                return owner
    raise ValidationError(
        {"owner": _("Choose a person or organisation that is in the household's network now.")}
    )


def _check_action_dates(due_on, review_on) -> None:
    if due_on and review_on and review_on > due_on:
        raise ValidationError({"review_on": _("Review an action no later than its due date.")})


@transaction.atomic
def action_create(
    request,
    *,
    goal: Goal,
    accesses: dict,
    description: str,
    owner: str,
    due_on: date | None = None,
    review_on: date | None = None,
    form_token: uuid.UUID | None = None,
) -> Action:
    """Add a task to an open goal of the open concept, with its owner from the network."""
    existing = _existing(Action, form_token)
    if existing is not None:
        return existing
    if not goal_writable(_first(accesses), goal.life_domain):
        raise PermissionDenied
    plan = goal.plan
    _lock_plan(plan)
    _require_concept(plan.pk)
    if not Goal.objects.filter(pk=goal.pk, status=GoalStatus.OPEN).exists():
        raise ValidationError(_("This goal is closed: reopen it to add an action."))
    _check_action_dates(due_on, review_on)
    action = Action(
        plan=plan,
        goal=goal,
        description=(description or "").strip(),
        due_on=due_on,
        review_on=review_on,
        form_token=form_token,
        **resolve_owner(plan.household, owner),
    )
    action.full_clean(
        exclude=["plan", "goal", "owner_involvement", "owner_organisation", "owner_client"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError:
        existing = _existing(Action, form_token)
        if existing is None:
            raise
        return existing
    _changed(
        request,
        accesses,
        plan.pk,
        action=AuditAction.CREATE,
        sections=Section.PLAN | domain_section(goal.life_domain),
        detail=f"plans:action:{action.pk}",
    )
    return action


def _status_fields(current: Action, status: str, membership) -> dict:
    if status == current.status:
        return {}
    if status in CLOSED_ACTION_STATUSES:
        closed_on = current.closed_on if current.status in CLOSED_ACTION_STATUSES else None
        return {
            "status": status,
            "closed_on": closed_on or timezone.localdate(),
            "closed_by": membership,
        }
    return {"status": status, "closed_on": None, "closed_by": None, "done_note": ""}


@transaction.atomic
def action_update(
    request, *, action: Action, accesses: dict, membership, changes: dict, version: int
) -> Action:
    """Change a task. What it is and who owns it only while a concept is open; its due date,
    review date and status at any time (that is carrying out the plan, not changing it)."""
    goal = action.goal
    if not goal_writable(_first(accesses), goal.life_domain):
        raise PermissionDenied
    plan = goal.plan
    _lock_plan(plan)
    current = Action.objects.select_related(
        "owner_involvement__organisation",
        "owner_involvement__membership__user",
        "owner_organisation",
        "owner_client",
    ).get(pk=action.pk)
    fields: dict = {}
    if "description" in changes:
        description = (changes["description"] or "").strip()
        if description != current.description:
            fields["description"] = description
    if "owner" in changes and changes["owner"] != current.owner_key:
        fields.update(resolve_owner(plan.household, changes["owner"]))
    if fields:
        _require_concept(plan.pk)
    for name in ("due_on", "review_on"):
        if name in changes and changes[name] != getattr(current, name):
            fields[name] = changes[name]
    if "status" in changes:
        reopening = (
            changes["status"] in OPEN_ACTION_STATUSES and current.status not in OPEN_ACTION_STATUSES
        )
        if reopening and not Goal.objects.filter(pk=goal.pk, status=GoalStatus.OPEN).exists():
            raise ValidationError({"status": _("This goal is closed: reopen it first.")})
        fields.update(_status_fields(current, changes["status"], membership))
    if not fields:
        return current  # nothing to change (also: a second submit of a saved form)
    _check_action_dates(
        fields.get("due_on", current.due_on), fields.get("review_on", current.review_on)
    )
    if "description" in fields:
        candidate = Action(description=fields["description"], plan=plan, goal=goal)
        candidate.full_clean(
            exclude=[
                "plan",
                "goal",
                "owner_involvement",
                "owner_organisation",
                "owner_client",
                "closed_by",
            ],
            validate_unique=False,
            validate_constraints=False,
        )
    compare = [name for name in fields if name not in ("closed_on", "closed_by")]
    updated, written = _versioned_update(Action, action.pk, version, fields, compare=compare)
    if written:
        _changed(
            request,
            accesses,
            plan.pk,
            action=AuditAction.UPDATE,
            sections=Section.PLAN | domain_section(goal.life_domain),
            detail=f"plans:action:{action.pk}:" + ",".join(sorted(fields))[:150],
        )
    return updated


@transaction.atomic
def action_complete(
    request, *, action: Action, accesses: dict, membership, note: str = "", version: int
) -> Action:
    """The owner (a volunteer too) marks their task done, with a short note. Audited as TASKS
    when the user cannot read the plan (the volunteer's view), as PLAN otherwise."""
    access = _first(accesses)
    if not can_complete_action(membership, access, action):
        raise PermissionDenied
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    current = Action.objects.get(pk=action.pk)
    if current.version != version and current.status == ActionStatus.DONE:
        if current.done_note == note:
            return current  # a double submit: done already
        raise VersionConflict(current)
    if current.status not in OPEN_ACTION_STATUSES:
        raise ValidationError(_("This action is closed already."))
    fields = {**_status_fields(current, ActionStatus.DONE, membership), "done_note": note}
    updated, written = _versioned_update(
        Action, action.pk, version, fields, compare=("status", "done_note")
    )
    if written:
        sections = (
            Section.PLAN | domain_section(action.goal.life_domain)
            if goal_readable(access, action.goal.life_domain)
            else Section.TASKS
        )
        _changed(
            request,
            accesses,
            action.plan_id,
            action=AuditAction.UPDATE,
            sections=sections,
            detail=f"plans:action_done:{action.pk}",
        )
    return updated
