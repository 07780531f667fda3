"""Reads of the household plan. Every list runs in a fixed number of queries whatever its length.

For other apps:
- `plan_in_force(household)`: the version the PIP adopts (the latest established one).
- `open_action_counts(household_ids, today)` and `review_due(household_ids, today)`: the
  caseload's and the radar's inputs, one query each.
- `plan_card(membership, access, client)`: the dossier card (template plans/_dossier_card.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from koers.accounts.constants import ROLE_READ_SECTIONS
from koers.clients.constants import Section
from koers.clients.models import Client, HouseholdMember
from koers.clients.permissions import ACCESS_FIELDS, client_accesses, clients_visible_to
from koers.core import sql
from koers.network.models import Involvement
from koers.network.selectors import household_network

from .constants import (
    CLOSED_ACTION_STATUSES,
    CURRENT_STATUSES,
    OPEN_ACTION_STATUSES,
    OWNER_CLIENT,
    OWNER_INVOLVEMENT,
    OWNER_ORGANISATION,
    ActionStatus,
    GoalStatus,
    LifeDomain,
    Priority,
    VersionStatus,
    domain_section,
)
from .models import Action, Goal, Plan, PlanReview, PlanVersion
from .permissions import (
    can_complete_action,
    goal_readable,
    goal_writable,
    organisation_owns_for,
    reads_plan,
    reads_tasks,
    writes_plan,
)

MY_ACTIONS_LIMIT = 100  # open tasks of one household on the volunteer's page, soonest due first
RECENTLY_CLOSED_DAYS = 30
RECENTLY_CLOSED_LIMIT = 20
# "Mijn acties": a page of open actions (soonest due first) or of closed ones (`?toon=gesloten`,
# most recently closed first). Bounded paging, as the caseload: nobody pages past 1,000 actions.
MY_ACTIONS_PAGE_SIZE = 25
MY_ACTIONS_MAX_PAGES = 40
SHOW_OPEN = "open"
SHOW_CLOSED = "gesloten"
CARD_TASKS_LIMIT = 5
VERSIONS_LIMIT = 100

ACTION_RELATED = (
    "owner_involvement__organisation",
    "owner_involvement__membership__user",
    "owner_organisation",
    "owner_client",
)
_PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


# --- owners ----------------------------------------------------------------------------------


def owner_label(action: Action) -> str:
    """Who does it, as the plan shows it (load the owner with ACTION_RELATED)."""
    involvement = action.owner_involvement
    if involvement is not None:
        user = involvement.membership.user if involvement.membership_id else None
        person = user.display_name if user else involvement.person_name
        return (
            f"{person} ({involvement.organisation.name})"
            if person
            else (involvement.organisation.name)
        )
    if action.owner_organisation_id:
        return action.owner_organisation.name
    if action.owner_client_id:
        return _("%(name)s (the client)") % {"name": action.owner_client.full_name}
    return "–"


def owner_choices(household, *, clients, today: date | None = None, current: Action | None = None):
    """Grouped choices for an action's owner: the people of the household's current network,
    the organisations involved now, and the household's clients the user may see. The current
    owner of an action stays choosable (marked) when they are no longer involved."""
    network = household_network(household.pk, on=today or timezone.localdate())
    people = [
        (
            f"{OWNER_INVOLVEMENT}:{i.pk}",
            f"{i.person_label} – {i.get_role_display()} ({i.organisation.name})",
        )
        for i in network
        if i.person_label
    ]
    organisations: dict[int, str] = {}
    for involvement in network:
        organisations.setdefault(involvement.organisation_id, involvement.organisation.name)
    groups = [
        (_("People in the network"), people),
        (
            _("Organisations involved"),
            [
                (f"{OWNER_ORGANISATION}:{pk}", name)
                for pk, name in sorted(organisations.items(), key=lambda item: item[1])
            ],
        ),
        (
            _("The client themself"),
            [
                (f"{OWNER_CLIENT}:{c.pk}", _("%(name)s (the client)") % {"name": c.full_name})
                for c in clients
            ],
        ),
    ]
    groups = [(label, options) for label, options in groups if options]
    if current is not None:
        known = {key for _label, options in groups for key, _text in options}
        if current.owner_key not in known:
            label = _("%(owner)s – no longer involved") % {"owner": owner_label(current)}
            groups.insert(0, (_("Current owner"), [(current.owner_key, label)]))
    return groups


# --- the plan --------------------------------------------------------------------------------


def plan_of(household_id: int) -> Plan | None:
    return Plan.objects.filter(household_id=household_id).first()


def plan_in_force(household) -> PlanVersion | None:
    """The version the plan is carried out on and the PIP adopts: the latest established one
    (a version being revised stays in force until its successor is established). Accepts a
    household or its id."""
    household_id = getattr(household, "pk", household)
    return (
        PlanVersion.objects.filter(plan__household_id=household_id, established_on__isnull=False)
        .select_related("plan", "established_by__user")
        .order_by("-number")
        .first()
    )


def open_action_counts(household_ids, today: date) -> dict[int, tuple[int, int]]:
    """Per household with a plan: (open tasks, of which overdue), in one query. Open means open
    or under way; overdue also that the due date is before `today`. Households without a plan
    are absent (show a dash). Hand-written SQL (koers.core.sql): every caseload page asks."""
    ids = list(household_ids)
    if not ids:
        return {}
    statuses = sql.placeholders(OPEN_ACTION_STATUSES)
    households, household_params = sql.ids_in("p.household_id", ids)
    query = f"""
        SELECT p.household_id,
               COUNT(a.id),
               COUNT(CASE WHEN a.due_on < %s THEN a.id END)
        FROM {sql.table(Plan)} p
        LEFT JOIN {sql.table(Action)} a ON a.plan_id = p.id AND a.status IN ({statuses})
        WHERE {households}
        GROUP BY p.household_id
    """  # noqa: S608 - table names from the models, every value a parameter
    rows = sql.fetch(query, [today, *OPEN_ACTION_STATUSES, *household_params])
    return {household_id: (n_open, n_overdue) for household_id, n_open, n_overdue in rows}


def review_due(household_ids, today: date) -> dict[int, date]:
    """Households whose plan in force should have been reviewed before `today` (its review date
    has passed and it is not being revised), with that date; one query."""
    ids = list(household_ids)
    if not ids:
        return {}
    households, household_params = sql.ids_in("p.household_id", ids)
    query = f"""
        SELECT p.household_id, v.review_due_on
        FROM {sql.table(PlanVersion)} v JOIN {sql.table(Plan)} p ON p.id = v.plan_id
        WHERE {households}
          AND v.status IN ({sql.placeholders(CURRENT_STATUSES)}) AND v.review_due_on < %s
    """  # noqa: S608 - table names from the models, every value a parameter
    rows = sql.fetch(query, [*household_params, *CURRENT_STATUSES, today])
    return {household_id: sql.as_date(due_on) for household_id, due_on in rows}


def _goal_members() -> Prefetch:
    return Prefetch(
        "members",
        queryset=HouseholdMember.objects.select_related("client").order_by("id"),
    )


def _sorted_goals(goals: list[Goal]) -> list[Goal]:
    return sorted(goals, key=lambda g: (not g.is_open, _PRIORITY_ORDER.get(g.priority, 9), g.pk))


def _action_order():
    return (F("due_on").asc(nulls_last=True), "id")


@dataclass
class PlanPage:
    plan: Plan
    versions: list[PlanVersion]
    latest: PlanVersion
    concept: PlanVersion | None
    in_force: PlanVersion | None
    current: PlanVersion | None
    goals: list[Goal]
    sections: Section
    review_overdue: bool
    open_count: int = 0
    overdue_count: int = 0


def plan_page(plan: Plan, access, *, today: date) -> PlanPage:
    """The plan as a reader of PLAN sees it: its versions, and the goals they may read (a goal
    in a health or justice domain only with that section) with their tasks, each marked
    overdue or with an owner no longer involved."""
    versions = list(
        plan.versions.select_related("established_by__user", "created_by__user").order_by(
            "-number"
        )[:VERSIONS_LIMIT]
    )
    goals = [
        goal
        for goal in plan.goals.prefetch_related(_goal_members()).order_by("id")
        if goal_readable(access, goal.life_domain)
    ]
    shown = {goal.pk: goal for goal in goals}
    involvement_active = Involvement.objects.active(today).filter(pk=OuterRef("owner_involvement"))
    organisation_active = Involvement.objects.active(today).filter(
        household_id=plan.household_id, organisation_id=OuterRef("owner_organisation")
    )
    actions = (
        Action.objects.filter(plan=plan, goal_id__in=list(shown))
        .select_related(*ACTION_RELATED)
        .annotate(
            involvement_active=Exists(involvement_active),
            organisation_active=Exists(organisation_active),
        )
        .order_by(*_action_order())
    )
    sections = Section.PLAN
    for goal in goals:
        goal.shown_actions = []
        goal.member_names = [member.full_name for member in goal.members.all()]
        goal.can_edit = goal_writable(access, goal.life_domain)
        sections |= domain_section(goal.life_domain)
    open_count = overdue_count = 0
    for action in actions:
        action.owner_text = owner_label(action)
        action.overdue = action.is_overdue(today)
        action.owner_gone = action.is_open and (
            (action.owner_involvement_id is not None and not action.involvement_active)
            or (action.owner_organisation_id is not None and not action.organisation_active)
        )
        open_count += action.is_open
        overdue_count += action.overdue
        action.goal = shown[action.goal_id]  # already loaded: no query per action
        action.goal.shown_actions.append(action)
    concept = next((v for v in versions if v.status == VersionStatus.CONCEPT), None)
    current = next((v for v in versions if v.status in CURRENT_STATUSES), None)
    in_force = next((v for v in versions if v.established_on is not None), None)
    return PlanPage(
        plan=plan,
        versions=versions,
        latest=versions[0],
        concept=concept,
        in_force=in_force,
        current=current,
        goals=_sorted_goals(goals),
        sections=sections,
        review_overdue=current is not None and current.review_overdue(today),
        open_count=open_count,
        overdue_count=overdue_count,
    )


def _owned_by(membership) -> Q:
    mine = Q(owner_involvement__membership=membership)
    if organisation_owns_for(membership):
        mine |= Q(owner_organisation_id=membership.organisation_id)
    return mine


def own_actions(membership, household_id: int, *, today: date) -> list[Action]:
    """The membership's own tasks in one household, open ones first (soonest due first), then
    those closed in the last weeks. No goal or life domain is loaded."""
    since = date.fromordinal(today.toordinal() - RECENTLY_CLOSED_DAYS)
    actions = list(
        Action.objects.filter(_owned_by(membership), plan__household_id=household_id)
        .filter(
            Q(status__in=OPEN_ACTION_STATUSES)
            | Q(status__in=CLOSED_ACTION_STATUSES, closed_on__gte=since)
        )
        .select_related("owner_involvement")
        .order_by(*_action_order())[: MY_ACTIONS_LIMIT + RECENTLY_CLOSED_LIMIT]
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    return sorted(actions, key=lambda a: not a.is_open)


# --- "Mijn acties" -----------------------------------------------------------------------------


@dataclass
class MyActionRow:
    action: Action
    household_name: str
    client_pk: int  # the household member whose pages the links go through
    overdue: bool
    can_complete: bool
    goal: Goal | None = None  # only where the user may read the goal and its life domain
    domain_label: str = ""


@dataclass
class MyActions:
    open_rows: list[MyActionRow]
    closed_rows: list[MyActionRow]
    tasks_only: bool  # the volunteer's version: task, household, due date and status
    truncated: bool  # there are more actions than the last page shows
    show: str = SHOW_OPEN
    page: int = 1
    has_next: bool = False
    # The open list is empty: `closed_rows` are the ones closed recently, not a page of them.
    recently_closed: bool = False
    # For the audit: (accesses, sections) per group of clients read.
    audit_groups: list[tuple[dict, Section]] = field(default_factory=list)


def my_actions(membership, *, today: date, show: str = SHOW_OPEN, page: int = 1) -> MyActions:
    """One page of the tasks the membership owns (or, for a partner organisation's
    professionals, their organisation owns) in the households it may see: the open ones
    soonest due first, or with `show` SHOW_CLOSED the closed ones, most recently closed first.
    With no open task left, the first page shows the ones closed recently instead. A row
    shows the goal and its life domain only to who may read them. The same number of queries
    however many tasks there are."""
    visible = clients_visible_to(membership)
    base = (
        Action.objects.filter(_owned_by(membership))
        .filter(plan__household_id__in=visible.values("household_id"))
        .select_related("plan__household", "goal", "owner_involvement")
    )
    show = SHOW_CLOSED if show == SHOW_CLOSED else SHOW_OPEN
    page = max(1, min(page, MY_ACTIONS_MAX_PAGES))
    if show == SHOW_CLOSED:
        listed = base.filter(status__in=CLOSED_ACTION_STATUSES).order_by("-closed_on", "-id")
    else:
        listed = base.filter(status__in=OPEN_ACTION_STATUSES).order_by(*_action_order())
    start = (page - 1) * MY_ACTIONS_PAGE_SIZE
    actions = list(listed[start : start + MY_ACTIONS_PAGE_SIZE + 1])
    more = len(actions) > MY_ACTIONS_PAGE_SIZE
    actions = actions[:MY_ACTIONS_PAGE_SIZE]
    recently_closed = False
    if show == SHOW_OPEN and page == 1 and not actions:
        since = date.fromordinal(today.toordinal() - RECENTLY_CLOSED_DAYS)
        actions = list(
            base.filter(status__in=CLOSED_ACTION_STATUSES, closed_on__gte=since).order_by(
                "-closed_on", "-id"
            )[:RECENTLY_CLOSED_LIMIT]
        )
        recently_closed = bool(actions)
    open_actions = [action for action in actions if action.is_open]
    closed_actions = [action for action in actions if not action.is_open]
    household_ids = {a.plan.household_id for a in open_actions + closed_actions}
    clients = list(
        visible.filter(household_id__in=household_ids)
        .only(*ACCESS_FIELDS)
        .order_by("household_id", "id")
    )
    accesses = client_accesses(membership, clients)
    per_household: dict[int, list[Client]] = {}
    for client in clients:
        per_household.setdefault(client.household_id, []).append(client)

    tasks_only = Section.PLAN not in ROLE_READ_SECTIONS[membership.role]
    read_sections: dict[int, Section] = {}

    def row_for(action: Action) -> MyActionRow | None:
        members = per_household.get(action.plan.household_id, [])
        domain = action.goal.life_domain
        full = (
            None
            if tasks_only
            else next((c for c in members if goal_readable(accesses[c.pk], domain)), None)
        )
        if full is not None:
            chosen, shown = full, Section.PLAN | domain_section(domain)
        else:
            chosen = next((c for c in members if reads_tasks(accesses[c.pk])), None)
            if chosen is None:
                return None
            shown = Section.TASKS
        for client in members:
            if accesses[client.pk].read & shown:
                read_sections[client.pk] = read_sections.get(client.pk, Section.none()) | shown
        return MyActionRow(
            action=action,
            household_name=action.plan.household.name,
            client_pk=chosen.pk,
            overdue=action.is_overdue(today),
            can_complete=action.is_open
            and can_complete_action(membership, accesses[chosen.pk], action),
            goal=action.goal if full is not None else None,
            domain_label=LifeDomain(domain).label if full is not None else "",
        )

    open_rows = [row for row in map(row_for, open_actions) if row is not None]
    closed_rows = [row for row in map(row_for, closed_actions) if row is not None]
    groups: dict[Section, dict] = {}
    for client_id, sections in read_sections.items():
        groups.setdefault(sections, {})[client_id] = accesses[client_id]
    return MyActions(
        open_rows=open_rows,
        closed_rows=closed_rows,
        tasks_only=tasks_only,
        truncated=more and page == MY_ACTIONS_MAX_PAGES,
        show=show,
        page=page,
        has_next=more and page < MY_ACTIONS_MAX_PAGES,
        recently_closed=recently_closed,
        audit_groups=[(group, sections) for sections, group in groups.items()],
    )


# --- the frozen content and the history --------------------------------------------------------


def snapshot(plan_id: int) -> dict:
    """The plan's content as it stands: what establishing a version freezes, and what the
    history compares. Plain values (ids, codes, ISO dates) and the owner as shown then."""
    plan = Plan.objects.get(pk=plan_id)
    goals = list(Goal.objects.filter(plan_id=plan_id).order_by("id"))
    members: dict[int, list[int]] = {}
    for goal_id, member_id in Goal.members.through.objects.filter(
        goal__plan_id=plan_id
    ).values_list("goal_id", "householdmember_id"):
        members.setdefault(goal_id, []).append(member_id)
    actions = list(
        Action.objects.filter(plan_id=plan_id).select_related(*ACTION_RELATED).order_by("id")
    )
    return {
        "help_question": plan.help_question,
        "goals": [
            {
                "id": goal.pk,
                "life_domain": goal.life_domain,
                "description": goal.description,
                "priority": goal.priority,
                "target_score": goal.target_score,
                "members": sorted(members.get(goal.pk, [])),
                "status": goal.status,
            }
            for goal in goals
        ],
        "actions": [
            {
                "id": action.pk,
                "goal": action.goal_id,
                "description": action.description,
                "owner": action.owner_key,
                "owner_label": owner_label(action),
                "due_on": action.due_on.isoformat() if action.due_on else None,
                "review_on": action.review_on.isoformat() if action.review_on else None,
                "status": action.status,
            }
            for action in actions
        ],
    }


@dataclass
class Change:
    label: str  # e.g. "Goal added"
    text: str  # the goal or task
    context: str = ""  # the life domain of a goal, the goal of a task
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, after)
    kind: str = ""  # added, changed, closed, reopened


GOAL_FIELDS = ("life_domain", "description", "priority", "target_score", "members", "status")
ACTION_FIELDS = ("description", "owner", "due_on", "review_on", "status")


def _show(name: str, value, item: dict, names: dict[int, str]) -> str:
    if value in (None, "", []):
        return "–"
    if name == "life_domain":
        return str(_label(LifeDomain, value))
    if name == "priority":
        return str(_label(Priority, value))
    if name == "status":
        return str(_label(GoalStatus if "life_domain" in item else ActionStatus, value))
    if name == "members":
        return ", ".join(names.get(pk, "?") for pk in value)
    if name == "owner":
        return item.get("owner_label", "")
    if name in ("due_on", "review_on"):
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _field_label(model, name: str) -> str:
    if name == "owner":
        return _("Owner")
    return capfirst(model._meta.get_field(name).verbose_name)


def _closing(before: str, after: str, closed: tuple) -> str:
    if before not in closed and after in closed:
        return "closed"
    if before in closed and after not in closed:
        return "reopened"
    return "changed"


def _kind_label(subject: str, kind: str) -> str:
    labels = {
        ("goal", "added"): _("Goal added"),
        ("goal", "changed"): _("Goal changed"),
        ("goal", "closed"): _("Goal closed"),
        ("goal", "reopened"): _("Goal reopened"),
        ("action", "added"): _("Action added"),
        ("action", "changed"): _("Action changed"),
        ("action", "closed"): _("Action closed"),
        ("action", "reopened"): _("Action reopened"),
    }
    return labels[(subject, kind)]


def _added_goal(goal: dict, names: dict[int, str]) -> list[tuple[str, str, str]]:
    details = [
        (_field_label(Goal, name), "", _show(name, goal[name], goal, names))
        for name in ("priority", "target_score")
    ]
    if goal["members"]:
        details.append(
            (_field_label(Goal, "members"), "", _show("members", goal["members"], goal, names))
        )
    return details


def _added_action(action: dict, names: dict[int, str]) -> list[tuple[str, str, str]]:
    details = [(_("Owner"), "", action.get("owner_label", ""))]
    if action.get("due_on"):
        details.append(
            (_field_label(Action, "due_on"), "", _show("due_on", action["due_on"], action, names))
        )
    return details


def _field_changes(model, names_of_fields, old: dict, new: dict, names: dict[int, str]):
    return [
        (
            _field_label(model, name),
            _show(name, old.get(name), old, names),
            _show(name, new.get(name), new, names),
        )
        for name in names_of_fields
        if old.get(name) != new.get(name)
    ]


def changes_between(
    before: dict | None, after: dict, access, names: dict[int, str]
) -> list[Change]:
    """What changed from one version's content to the next: the help question, goals and
    actions added, changed (field by field), closed or reopened. Goals the reader may not read
    (a health or justice domain without that section) and their actions are left out."""
    before = before or {"help_question": "", "goals": [], "actions": []}
    result: list[Change] = []
    if before.get("help_question", "") != after.get("help_question", ""):
        result.append(
            Change(
                label=_("Help question changed") if before["help_question"] else _("Help question"),
                text=after.get("help_question", ""),
                kind="changed" if before["help_question"] else "added",
            )
        )
    old_goals = {g["id"]: g for g in before.get("goals", [])}
    new_goals = {g["id"]: g for g in after.get("goals", [])}
    all_goals = {**old_goals, **new_goals}
    readable = {pk for pk, goal in all_goals.items() if goal_readable(access, goal["life_domain"])}
    goal_closed = (GoalStatus.REACHED, GoalStatus.STOPPED)
    for pk, goal in new_goals.items():
        if pk not in readable:
            continue
        old = old_goals.get(pk)
        domain = str(_label(LifeDomain, goal["life_domain"]))
        if old is None:
            kind, details = "added", _added_goal(goal, names)
        else:
            kind = _closing(old["status"], goal["status"], goal_closed)
            details = _field_changes(Goal, GOAL_FIELDS, old, goal, names)
        if details:
            result.append(
                Change(_kind_label("goal", kind), goal["description"], domain, details, kind)
            )
    old_actions = {a["id"]: a for a in before.get("actions", [])}
    for action in after.get("actions", []):
        if action["goal"] not in readable:
            continue
        goal_text = all_goals[action["goal"]]["description"]
        old = old_actions.get(action["id"])
        if old is None:
            kind, details = "added", _added_action(action, names)
        else:
            kind = _closing(old["status"], action["status"], CLOSED_ACTION_STATUSES)
            details = _field_changes(Action, ACTION_FIELDS, old, action, names)
        if details:
            result.append(
                Change(_kind_label("action", kind), action["description"], goal_text, details, kind)
            )
    return result


@dataclass
class HistoryEntry:
    version: PlanVersion
    reviews: list[PlanReview]
    changes: list[Change]
    compared_with: int | None  # the version number compared with (None: the first)
    live: bool  # a concept: compared as it stands now


def version_history(plan: Plan, access) -> list[HistoryEntry]:
    """Every version, newest first, with its reviews and what changed against the version it
    was based on (a concept as it stands now)."""
    versions = list(
        plan.versions.select_related("established_by__user", "created_by__user")
        .prefetch_related(
            Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewed_by__user"))
        )
        .order_by("number")[:VERSIONS_LIMIT]
    )
    by_pk = {v.pk: v for v in versions}
    names = {
        member.pk: member.full_name
        for member in HouseholdMember.objects.filter(household_id=plan.household_id)
        .select_related("client")
        .order_by("id")
    }
    live = None
    entries = []
    for version in versions:
        if version.content is not None:
            content = version.content
        else:
            live = live if live is not None else snapshot(plan.pk)
            content = live
        base = by_pk.get(version.based_on_id)
        entries.append(
            HistoryEntry(
                version=version,
                reviews=list(version.reviews.all()),
                changes=changes_between(base.content if base else None, content, access, names),
                compared_with=base.number if base else None,
                live=version.content is None,
            )
        )
    return list(reversed(entries))


# --- the dossier card ------------------------------------------------------------------------


@dataclass
class PlanCard:
    """What plans/_dossier_card.html shows; `sections` is exactly what it shows (for the
    dossier page's audit row)."""

    visible: bool = False
    tasks_only: bool = False
    client_pk: int | None = None
    plan: Plan | None = None
    latest: PlanVersion | None = None
    in_force: PlanVersion | None = None
    open_count: int = 0
    overdue_count: int = 0
    review_overdue: bool = False
    can_create: bool = False
    tasks: list[Action] = field(default_factory=list)
    sections: Section = Section.none()


def plan_card(membership, access, client, *, today: date | None = None) -> PlanCard:
    """The plan card of the dossier's first screen. A reader of PLAN sees the plan's state
    (version, established, review due, open and overdue tasks, the help question); a reader of
    TASKS only (a volunteer) sees their own open tasks in the household; others nothing.
    A few queries, whatever the plan's size."""
    today = today or timezone.localdate()
    if reads_plan(access):
        # The versions with their plan first: two queries whether or not there is a plan.
        versions = list(
            PlanVersion.objects.filter(plan__household_id=client.household_id)
            .select_related("plan", "established_by__user")
            .order_by("-number")
        )
        plan = versions[0].plan if versions else plan_of(client.household_id)
        if plan is None:
            return PlanCard(
                visible=True,
                client_pk=client.pk,
                can_create=writes_plan(access),
                sections=Section.PLAN,
            )
        current = next((v for v in versions if v.status in CURRENT_STATUSES), None)
        counts = open_action_counts([client.household_id], today).get(client.household_id, (0, 0))
        return PlanCard(
            visible=True,
            client_pk=client.pk,
            plan=plan,
            latest=versions[0] if versions else None,
            in_force=next((v for v in versions if v.established_on is not None), None),
            open_count=counts[0],
            overdue_count=counts[1],
            review_overdue=current is not None and current.review_overdue(today),
            sections=Section.PLAN,
        )
    if reads_tasks(access):
        tasks = [a for a in own_actions(membership, client.household_id, today=today) if a.is_open]
        return PlanCard(
            visible=True,
            tasks_only=True,
            client_pk=client.pk,
            tasks=tasks[:CARD_TASKS_LIMIT],
            sections=Section.TASKS,
        )
    return PlanCard()


def household_accesses(membership, client, access, *, section: Section = Section.PLAN) -> dict:
    """The opening client's access first, then every other member of the household the user
    may read `section` of: the plan is the household's, so a read or change of it is recorded
    for each of them."""
    members = list(
        clients_visible_to(membership)
        .filter(household_id=client.household_id)
        .exclude(pk=client.pk)
        .only(*ACCESS_FIELDS)
    )
    accesses = {client.pk: access}
    accesses.update(
        {pk: a for pk, a in client_accesses(membership, members).items() if a.can_read(section)}
    )
    return accesses
