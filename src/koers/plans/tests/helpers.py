from datetime import timedelta

from django.utils import timezone

from koers.clients.permissions import client_access
from koers.plans import services
from koers.plans.constants import LifeDomain, Priority


def accesses(membership, client):
    return {client.pk: client_access(membership, client)}


def start_plan(world, help_question="Ik wil werk en mijn kinderen naar school."):
    plan, _ = services.plan_create(
        None,
        household=world.household,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        help_question=help_question,
    )
    return plan


def add_goal(world, plan, *, life_domain=LifeDomain.WORK_EDUCATION, description="Een baan"):
    return services.goal_create(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        life_domain=life_domain,
        description=description,
        priority=Priority.HIGH,
        target_score=4,
    )


def add_action(world, goal, owner, *, description="Cv opstellen", due_in_days=14):
    return services.action_create(
        None,
        goal=goal,
        accesses=accesses(world.regisseur, world.amal),
        description=description,
        owner=owner,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
    )


def establish(world, plan, *, on=None, review_in_days=90):
    plan.refresh_from_db()
    on = on or timezone.localdate()
    return services.plan_establish(
        None,
        plan=plan,
        accesses=accesses(world.regisseur, world.amal),
        membership=world.regisseur,
        established_on=on,
        review_due_on=on + timedelta(days=review_in_days),
        version=plan.version,
    )


def volunteer_owner(world):
    return f"involvement:{world.volunteer_involvement.pk}"


def vwn_owner(world):
    return f"organisation:{world.vwn.pk}"
