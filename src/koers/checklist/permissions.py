"""What of a household's checklist a membership sees and may change, on top of the access rule
(koers.clients.permissions decides the sections; this narrows them to tasks).

- Who may read PLAN sees the whole checklist; who may also write PLAN starts it, changes owners
  and due dates and any task's status.
- Who may read TASKS but not PLAN (a volunteer, a coordinator) sees only the tasks they own
  through their own involvement in the household's network, and changes only their status
  (with TASKS write).
- A task with an extra section (a bijstand application: WORK_INCOME; a nareis application:
  ASYLUM) shows only to who may also read that section, owner or not.
"""

from dataclasses import dataclass

from koers.clients.constants import Section
from koers.network.models import Involvement


@dataclass(frozen=True)
class ChecklistView:
    access: object  # koers.clients.permissions.ClientAccess
    own_involvement_ids: frozenset[int]

    @property
    def whole(self) -> bool:
        return self.access.can_read(Section.PLAN)

    @property
    def visible(self) -> bool:
        return self.whole or self.access.can_read(Section.TASKS)

    @property
    def can_manage(self) -> bool:
        return self.whole and self.access.can_write(Section.PLAN)

    @property
    def sections(self) -> Section:
        """What the page shows, for the audit."""
        return Section.PLAN if self.whole else Section.TASKS

    def owns(self, task) -> bool:
        return task.owner_involvement_id in self.own_involvement_ids

    def can_see(self, task) -> bool:
        extra = task.extra_section_flag
        if extra is not None and not self.access.can_read(extra):
            return False
        return self.whole or (self.visible and self.owns(task))

    def can_update(self, task) -> bool:
        if not self.can_see(task):
            return False
        return self.can_manage or (self.owns(task) and self.access.can_write(Section.TASKS))


def checklist_view(membership, access, household_id: int) -> ChecklistView:
    """One query: the membership's own involvements in the household."""
    own = frozenset(
        Involvement.objects.filter(household_id=household_id, membership=membership).values_list(
            "pk", flat=True
        )
    )
    return ChecklistView(access=access, own_involvement_ids=own)
