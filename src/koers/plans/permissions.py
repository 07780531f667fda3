"""What a membership may do with a plan, given its ClientAccess (from the access rule in
koers.clients.permissions, which alone decides the sections)."""

from koers.clients.constants import Section

from .constants import domain_section


def reads_plan(access) -> bool:
    return access.can_read(Section.PLAN)


def writes_plan(access) -> bool:
    return access.can_read(Section.PLAN) and access.can_write(Section.PLAN)


def reads_tasks(access) -> bool:
    return access.can_read(Section.TASKS)


def goal_readable(access, life_domain: str) -> bool:
    """A goal and its life domain: PLAN, and HEALTH or JUSTICE for those domains."""
    extra = domain_section(life_domain)
    return reads_plan(access) and (not extra or access.can_read(extra))


def goal_writable(access, life_domain: str) -> bool:
    extra = domain_section(life_domain)
    return (
        writes_plan(access)
        and goal_readable(access, life_domain)
        and (not extra or access.can_write(extra))
    )


def owns_action(membership, action) -> bool:
    """The membership's own action: through its involvement in the household, or, for a partner
    organisation's professionals, the organisation's. A volunteer owns only their own."""
    involvement = action.owner_involvement
    if involvement is not None and involvement.membership_id == membership.pk:
        return True
    return (
        action.owner_organisation_id is not None
        and action.owner_organisation_id == membership.organisation_id
        and organisation_owns_for(membership)
    )


def organisation_owns_for(membership) -> bool:
    """Whether actions owned by the membership's organisation count as the membership's own:
    for the professionals of a partner organisation (not for volunteers, not in a
    municipality, whose people own actions by name)."""
    return not membership.organisation.is_municipal and not membership.is_volunteer


def can_complete_action(membership, access, action) -> bool:
    """Mark an action done: its owner with TASKS (or PLAN) write, or anyone who may write the
    goal it serves."""
    if owns_action(membership, action) and (
        access.can_write(Section.TASKS) or access.can_write(Section.PLAN)
    ):
        return reads_tasks(access) or reads_plan(access)
    return writes_plan(access) and goal_writable(access, action.goal.life_domain)
