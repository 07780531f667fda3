import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action as AuditAction
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.permissions import client_access
from koers.clients.services import VersionConflict
from koers.clients.tests.factories import ClientFactory
from koers.network.services import involvement_end
from koers.plans import selectors, services
from koers.plans.constants import (
    ActionStatus,
    GoalStatus,
    LifeDomain,
    Priority,
    ReviewOutcome,
    VersionStatus,
)
from koers.plans.models import Action, Goal, Plan, PlanVersion

from .factories import ActionFactory, GoalFactory, PlanFactory
from .helpers import (
    accesses,
    add_action,
    add_goal,
    establish,
    start_plan,
    volunteer_owner,
    vwn_owner,
)

pytestmark = pytest.mark.django_db


# --- rules in the database -------------------------------------------------------------------


def test_plan_rule_one_plan_per_household(world):
    plan = start_plan(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            household=world.household, help_question="x", created_by=world.regisseur
        )
    again, created = services.plan_create(
        None,
        household=world.household,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        help_question="Nog een keer",
    )
    assert again == plan and created is False
    assert Plan.objects.count() == 1


def test_plan_rule_one_concept_version_at_a_time():
    plan = PlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(
            plan=plan, number=2, status=VersionStatus.CONCEPT, created_by=plan.created_by
        )


def test_plan_rule_one_version_in_force_and_not_revised_at_a_time():
    plan = PlanFactory()
    today = timezone.localdate()
    PlanVersion.objects.filter(plan=plan).update(
        status=VersionStatus.ESTABLISHED,
        established_on=today,
        established_by=plan.created_by,
        content={},
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(
            plan=plan,
            number=2,
            status=VersionStatus.REVIEWED,
            created_by=plan.created_by,
            established_on=today,
            established_by=plan.created_by,
            content={},
        )


def test_plan_rule_established_version_has_date_person_and_content():
    plan = PlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(plan=plan).update(status=VersionStatus.ESTABLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(plan=plan).update(established_on=timezone.localdate())


def test_plan_rule_target_score_between_1_and_5(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(target_score=6)
    plan = start_plan(world)
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            None,
            plan=plan,
            accesses=accesses(world.regisseur, world.amal),
            life_domain=LifeDomain.HOUSING,
            description="Een eigen woning",
            priority=Priority.LOW,
            target_score=0,
        )
    assert "target_score" in error.value.message_dict


def test_plan_rule_action_has_exactly_one_owner(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(owner_client=ClientFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(owner_organisation=None)


def test_plan_rule_action_closed_on_set_exactly_when_closed():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(status=ActionStatus.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(closed_on=timezone.localdate())


# --- owners ----------------------------------------------------------------------------------


def test_plan_rule_action_owner_is_from_the_households_current_network(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    # A person of the network, an organisation involved, a client of the household: fine.
    assert add_action(world, goal, volunteer_owner(world)).owner_involvement.membership == (
        world.volunteer
    )
    assert add_action(world, goal, vwn_owner(world)).owner_organisation == world.vwn
    assert add_action(world, goal, f"client:{world.amal.pk}").owner_client == world.amal
    # Someone else's network, an organisation not involved, a client elsewhere: refused.
    elsewhere = ClientFactory(municipality=world.town)
    other = MembershipFactory(begeleider=True)
    from koers.clients.tests.factories import InvolvementFactory

    foreign = InvolvementFactory(household=elsewhere.household, membership=other)
    for owner in (
        f"involvement:{foreign.pk}",
        f"organisation:{other.organisation.pk}",
        f"client:{elsewhere.pk}",
        "nobody",
    ):
        with pytest.raises(ValidationError) as error:
            add_action(world, goal, owner)
        assert "owner" in error.value.message_dict
    # An involvement that has ended is no longer choosable.
    involvement_end(
        None,
        involvement=world.coach_involvement,
        end_date=timezone.localdate() - timedelta(days=1),
        access=client_access(world.regisseur, world.amal),
    )
    with pytest.raises(ValidationError):
        add_action(world, goal, f"involvement:{world.coach_involvement.pk}")


def test_owner_choices_offer_people_organisations_and_clients(world):
    choices = selectors.owner_choices(world.household, clients=[world.amal])
    keys = {key for _group, options in choices for key, _label in options}
    assert f"involvement:{world.volunteer_involvement.pk}" in keys
    assert f"organisation:{world.vwn.pk}" in keys
    assert f"client:{world.amal.pk}" in keys
    labels = [label for _group, options in choices for _key, label in options]
    assert any("Henk de Boer" in label for label in labels)


# --- versions --------------------------------------------------------------------------------


def test_plan_starts_with_a_concept_version_and_is_audited(world):
    plan = start_plan(world)
    version = plan.versions.get()
    assert (version.number, version.status) == (1, VersionStatus.CONCEPT)
    row = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert row.client_id == world.amal.pk and row.sections == Section.PLAN
    assert selectors.plan_in_force(world.household) is None


def test_plan_rule_establish_needs_a_help_question_and_an_open_goal(world):
    plan = start_plan(world)
    with pytest.raises(ValidationError) as error:
        establish(world, plan)
    assert "minstens één open doel" in str(error.value)
    Plan.objects.filter(pk=plan.pk).update(help_question="  ")
    add_goal(world, plan)
    with pytest.raises(ValidationError) as error:
        establish(world, plan)
    assert "Schrijf de hulpvraag op" in str(error.value)


def test_plan_rule_establishment_date_not_in_future_nor_before_previous_version(world):
    plan = start_plan(world)
    add_goal(world, plan)
    with pytest.raises(ValidationError) as error:
        establish(world, plan, on=timezone.localdate() + timedelta(days=1))
    assert "established_on" in error.value.message_dict
    first = establish(world, plan, on=timezone.localdate() - timedelta(days=10))
    plan.refresh_from_db()
    services.plan_revise(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        version=plan.version,
    )
    with pytest.raises(ValidationError) as error:
        establish(world, plan, on=first.established_on - timedelta(days=1))
    assert "established_on" in error.value.message_dict


def test_plan_rule_review_date_after_establishment(world):
    plan = start_plan(world)
    add_goal(world, plan)
    with pytest.raises(ValidationError) as error:
        establish(world, plan, review_in_days=0)
    assert "review_due_on" in error.value.message_dict


def test_establishing_freezes_the_content_and_is_the_plan_in_force(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    action = add_action(world, goal, volunteer_owner(world))
    version = establish(world, plan)
    assert version.status == VersionStatus.ESTABLISHED
    assert version.established_by == world.regisseur
    assert selectors.plan_in_force(world.household) == version
    assert selectors.plan_in_force(world.household.pk) == version
    # Carrying out the plan does not change the frozen content.
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.DONE, closed_on=timezone.localdate()
    )
    version.refresh_from_db()
    assert version.content["actions"][0]["status"] == ActionStatus.OPEN
    assert version.content["actions"][0]["owner_label"].startswith("Henk de Boer")
    assert version.content["goals"][0]["life_domain"] == LifeDomain.WORK_EDUCATION


def test_plan_rule_content_changes_only_in_a_concept(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    action = add_action(world, goal, vwn_owner(world))
    establish(world, plan)
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        add_goal(world, plan, description="Nog een doel")
    with pytest.raises(ValidationError):
        add_action(world, goal, vwn_owner(world))
    with pytest.raises(ValidationError):
        services.plan_update(
            None,
            plan=plan,
            accesses=accesses(world.regisseur, world.amal),
            help_question="Anders",
            version=plan.version,
        )
    action.refresh_from_db()
    with pytest.raises(ValidationError):
        services.action_update(
            None,
            action=action,
            accesses=accesses(world.regisseur, world.amal),
            membership=world.regisseur,
            changes={"description": "Iets anders"},
            version=action.version,
        )
    # Carrying it out: a later due date and a status are fine.
    later = timezone.localdate() + timedelta(days=40)
    updated = services.action_update(
        None,
        action=action,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        changes={"due_on": later, "status": ActionStatus.IN_PROGRESS},
        version=action.version,
    )
    assert (updated.due_on, updated.status) == (later, ActionStatus.IN_PROGRESS)


def test_revise_starts_a_concept_based_on_the_version_in_force_which_stays_in_force(world):
    plan = start_plan(world)
    add_goal(world, plan)
    first = establish(world, plan)
    plan.refresh_from_db()
    draft = services.plan_revise(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        version=plan.version,
    )
    first.refresh_from_db()
    assert (draft.number, draft.status, draft.based_on) == (2, VersionStatus.CONCEPT, first)
    assert first.status == VersionStatus.REVISED
    assert selectors.plan_in_force(world.household) == first
    # A second start (a double submit) returns the same draft.
    again = services.plan_revise(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        version=plan.version,
    )
    assert again == draft
    second = establish(world, plan)
    assert selectors.plan_in_force(world.household) == second
    first.refresh_from_db()
    assert first.status == VersionStatus.REVISED


def _review(world, plan, outcome, *, next_review_on=None, token=None):
    plan.refresh_from_db()
    return services.plan_review(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        reviewed_on=timezone.localdate(),
        outcome=outcome,
        note="Goed gesprek",
        next_review_on=next_review_on,
        version=plan.version,
        form_token=token,
    )


def test_review_outcomes_continue_revise_and_complete(world):
    today = timezone.localdate()
    plan = start_plan(world)
    add_goal(world, plan)
    version = establish(world, plan, on=today - timedelta(days=100))
    with pytest.raises(ValidationError) as error:
        _review(world, plan, ReviewOutcome.CONTINUE)
    assert "next_review_on" in error.value.message_dict
    token = uuid.uuid4()
    review = _review(
        world, plan, ReviewOutcome.CONTINUE, next_review_on=today + timedelta(days=90), token=token
    )
    assert _review(world, plan, ReviewOutcome.CONTINUE, token=token) == review  # double submit
    version.refresh_from_db()
    assert version.status == VersionStatus.REVIEWED
    assert version.review_due_on == today + timedelta(days=90)
    _review(world, plan, ReviewOutcome.COMPLETE)
    version.refresh_from_db()
    assert version.review_due_on is None and version.status == VersionStatus.REVIEWED
    _review(world, plan, ReviewOutcome.REVISE)
    version.refresh_from_db()
    assert version.status == VersionStatus.REVISED
    assert plan.versions.get(status=VersionStatus.CONCEPT).based_on == version
    assert version.reviews.count() == 3


# --- goals and actions -----------------------------------------------------------------------


def test_plan_rule_goal_closes_only_without_open_actions(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    action = add_action(world, goal, vwn_owner(world))
    with pytest.raises(ValidationError) as error:
        services.goal_update(
            None,
            goal=goal,
            accesses=accesses(world.regisseur, world.amal),
            changes={"status": GoalStatus.REACHED},
            version=goal.version,
        )
    assert "status" in error.value.message_dict
    services.action_update(
        None,
        action=action,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        changes={"status": ActionStatus.DONE},
        version=action.version,
    )
    closed = services.goal_update(
        None,
        goal=goal,
        accesses=accesses(world.regisseur, world.amal),
        changes={"status": GoalStatus.REACHED},
        version=goal.version,
    )
    assert closed.status == GoalStatus.REACHED and closed.closed_on == timezone.localdate()


def test_plan_rule_goal_concerns_only_members_of_the_household(world):
    plan = start_plan(world)
    from koers.clients.models import HouseholdMember

    stranger = HouseholdMember.objects.create(
        household=ClientFactory().household, given_names="X", relation="kind"
    )
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            None,
            plan=plan,
            accesses=accesses(world.regisseur, world.amal),
            life_domain=LifeDomain.HOUSING,
            description="Woning",
            priority=Priority.LOW,
            target_score=3,
            members=[stranger],
        )
    assert "members" in error.value.message_dict


def test_plan_rule_health_goal_needs_the_health_section(world):
    plan = start_plan(world)
    klantmanager = MembershipFactory(klantmanager=True, organisation=world.regisseur.organisation)
    with pytest.raises(PermissionDenied):
        services.goal_create(
            None,
            plan=plan,
            accesses=accesses(klantmanager, world.amal),
            life_domain=LifeDomain.MENTAL_HEALTH,
            description="Behandeling bij de GGZ",
            priority=Priority.HIGH,
            target_score=3,
        )
    health = add_goal(
        world, plan, life_domain=LifeDomain.MENTAL_HEALTH, description="Behandeling bij de GGZ"
    )
    work = add_goal(world, plan)
    page = selectors.plan_page(
        plan, client_access(klantmanager, world.amal), today=timezone.localdate()
    )
    assert [g.pk for g in page.goals] == [work.pk]
    assert Section.HEALTH not in page.sections
    full = selectors.plan_page(
        plan, client_access(world.regisseur, world.amal), today=timezone.localdate()
    )
    assert {g.pk for g in full.goals} == {work.pk, health.pk}
    assert Section.HEALTH in full.sections
    assert AuditEvent.objects.filter(detail=f"plans:goal:{health.pk}").get().sections == (
        Section.PLAN | Section.HEALTH
    )


def test_plan_rule_establish_needs_every_goal_readable(world):
    plan = start_plan(world)
    add_goal(world, plan, life_domain=LifeDomain.PHYSICAL_HEALTH, description="Huisarts")
    klantmanager = MembershipFactory(klantmanager=True, organisation=world.regisseur.organisation)
    plan.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.plan_establish(
            None,
            plan=plan,
            accesses=accesses(klantmanager, world.amal),
            membership=klantmanager,
            established_on=timezone.localdate(),
            review_due_on=timezone.localdate() + timedelta(days=30),
            version=plan.version,
        )


def test_goal_double_submit_creates_one_goal(world):
    plan = start_plan(world)
    token = uuid.uuid4()
    kwargs = {
        "plan": plan,
        "accesses": accesses(world.regisseur, world.amal),
        "life_domain": LifeDomain.FINANCES,
        "description": "Schulden op een rij",
        "priority": Priority.HIGH,
        "target_score": 3,
        "form_token": token,
    }
    first = services.goal_create(None, **kwargs)
    assert services.goal_create(None, **kwargs) == first
    assert Goal.objects.count() == 1


def test_stale_goal_update_is_a_conflict_but_a_repeat_is_not(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    loaded = goal.version
    services.goal_update(
        None,
        goal=goal,
        accesses=accesses(world.regisseur, world.amal),
        changes={"description": "Een baan van 32 uur"},
        version=loaded,
    )
    # The same change again with the old version (a double submit): nothing happens.
    same = services.goal_update(
        None,
        goal=goal,
        accesses=accesses(world.regisseur, world.amal),
        changes={"description": "Een baan van 32 uur"},
        version=loaded,
    )
    assert same.version == loaded + 1
    with pytest.raises(VersionConflict) as conflict:
        services.goal_update(
            None,
            goal=goal,
            accesses=accesses(world.regisseur, world.amal),
            changes={"description": "Een opleiding"},
            version=loaded,
        )
    assert conflict.value.current.description == "Een baan van 32 uur"


def test_a_stale_establishment_is_a_conflict(world):
    plan = start_plan(world)
    add_goal(world, plan)
    plan.refresh_from_db()
    loaded = plan.version
    add_goal(world, plan, description="Een tweede doel")
    with pytest.raises(VersionConflict):
        services.plan_establish(
            None,
            plan=plan,
            accesses=accesses(world.regisseur, world.amal),
            membership=world.regisseur,
            established_on=timezone.localdate(),
            review_due_on=timezone.localdate() + timedelta(days=30),
            version=loaded,
        )
    assert plan.versions.get().status == VersionStatus.CONCEPT


def test_establish_twice_with_the_same_form_establishes_once(world):
    plan = start_plan(world)
    add_goal(world, plan)
    plan.refresh_from_db()
    kwargs = {
        "plan": plan,
        "accesses": accesses(world.regisseur, world.amal),
        "membership": world.regisseur,
        "established_on": timezone.localdate(),
        "review_due_on": timezone.localdate() + timedelta(days=30),
        "version": plan.version,
    }
    first = services.plan_establish(None, **kwargs)
    assert services.plan_establish(None, **kwargs) == first
    assert plan.versions.count() == 1


# --- the volunteer's action ------------------------------------------------------------------


def test_volunteer_marks_their_own_action_done_audited_as_tasks(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    mine = add_action(world, goal, volunteer_owner(world))
    theirs = add_action(world, goal, vwn_owner(world))
    volunteer_access = accesses(world.volunteer, world.amal)
    assert not next(iter(volunteer_access.values())).can_read(Section.PLAN)
    with pytest.raises(PermissionDenied):
        services.action_complete(
            None,
            action=theirs,
            accesses=volunteer_access,
            membership=world.volunteer,
            note="",
            version=theirs.version,
        )
    done = services.action_complete(
        None,
        action=mine,
        accesses=volunteer_access,
        membership=world.volunteer,
        note="Samen naar de bibliotheek geweest.",
        version=mine.version,
    )
    assert done.status == ActionStatus.DONE and done.closed_by == world.volunteer
    assert done.closed_on == timezone.localdate()
    # The same form again: nothing twice.
    again = services.action_complete(
        None,
        action=mine,
        accesses=volunteer_access,
        membership=world.volunteer,
        note="Samen naar de bibliotheek geweest.",
        version=mine.version,
    )
    assert again.version == done.version
    row = AuditEvent.objects.get(detail=f"plans:action_done:{mine.pk}")
    assert row.sections == Section.TASKS


def test_open_and_overdue_counts_in_one_query(world, django_assert_num_queries):
    today = timezone.localdate()
    plan = start_plan(world)
    goal = add_goal(world, plan)
    add_action(world, goal, vwn_owner(world), due_in_days=-2)
    add_action(world, goal, vwn_owner(world), due_in_days=5)
    done = add_action(world, goal, vwn_owner(world), due_in_days=-5)
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.DONE, closed_on=today)
    other = make_other_plan()
    with django_assert_num_queries(1):
        counts = selectors.open_action_counts([world.household.pk, other, 999999], today)
    assert counts == {world.household.pk: (2, 1), other: (0, 0)}


def make_other_plan():
    return PlanFactory().household_id


def test_review_due_in_one_query(world, django_assert_num_queries):
    today = timezone.localdate()
    plan = start_plan(world)
    add_goal(world, plan)
    establish(world, plan, on=today - timedelta(days=100), review_in_days=90)
    on_time = PlanFactory()
    PlanVersion.objects.filter(plan=on_time).update(
        status=VersionStatus.ESTABLISHED,
        established_on=today,
        established_by=on_time.created_by,
        review_due_on=today + timedelta(days=10),
        content={},
    )
    with django_assert_num_queries(1):
        due = selectors.review_due([world.household.pk, on_time.household_id], today)
    assert due == {world.household.pk: today - timedelta(days=10)}
    # A revision under way: the review is being done, no signal.
    plan.refresh_from_db()
    services.plan_revise(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        version=plan.version,
    )
    assert selectors.review_due([world.household.pk], today) == {}


def test_history_shows_what_was_added_changed_and_closed(world):
    plan = start_plan(world)
    goal = add_goal(world, plan)
    kept = add_action(world, goal, vwn_owner(world), description="Cv opstellen")
    closed = add_action(world, goal, volunteer_owner(world), description="Bibliotheekpas halen")
    establish(world, plan)
    regisseur = accesses(world.regisseur, world.amal)
    services.action_complete(
        None,
        action=Action.objects.select_related("owner_involvement", "goal").get(pk=closed.pk),
        accesses=regisseur,
        membership=world.regisseur,
        note="",
        version=closed.version,
    )
    plan.refresh_from_db()
    services.plan_revise(
        None, plan=plan, accesses=regisseur, membership=world.regisseur, version=plan.version
    )
    kept.refresh_from_db()
    services.action_update(
        None,
        action=kept,
        accesses=regisseur,
        membership=world.regisseur,
        changes={"description": "Cv opstellen en versturen"},
        version=kept.version,
    )
    add_goal(world, plan, life_domain=LifeDomain.SOCIAL_NETWORK, description="Een sportclub")
    add_goal(world, plan, life_domain=LifeDomain.JUSTICE, description="Boete afbetalen")
    history = selectors.version_history(plan, client_access(world.regisseur, world.amal))
    assert [entry.version.number for entry in history] == [2, 1]
    draft, first = history
    assert draft.live and draft.compared_with == 1
    kinds = {(change.kind, change.text) for change in draft.changes}
    assert ("added", "Een sportclub") in kinds
    assert ("added", "Boete afbetalen") in kinds
    assert ("closed", "Bibliotheekpas halen") in kinds
    assert ("changed", "Cv opstellen en versturen") in kinds
    assert {change.kind for change in first.changes} == {"added"}
    # The coach's organisation has no JUSTICE: that goal is left out of the history.
    coach_view = selectors.version_history(plan, client_access(world.coach, world.amal))
    assert all(change.text != "Boete afbetalen" for change in coach_view[0].changes)
