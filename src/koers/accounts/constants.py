from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import VOLUNTEER_MAX_SECTIONS, Section


class Role(models.TextChoices):
    REGISSEUR = "regisseur", _("Regisseur")
    KLANTMANAGER = "klantmanager", _("Klantmanager / participation coach")
    BEGELEIDER = "begeleider", _("Maatschappelijk begeleider")
    COORDINATOR = "coordinator", _("Volunteer coordinator")
    VRIJWILLIGER = "vrijwilliger", _("Volunteer")
    TEAMLEIDER = "teamleider", _("Team leader")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer (FG)")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")


_NOTES = Section.NOTES_NETWORK | Section.NOTES_PROFESSIONALS | Section.NOTES_OWN_ORGANISATION

# What each role needs to read, before the organisation's basis, the client's consent and the
# municipality's limits narrow it further. product.md: a WerkBedrijf klantmanager needs no
# health or justice; a team leader sees names for assignment and no dossier content; the privacy
# officer and the functional administrator see no dossier content at all.
ROLE_READ_SECTIONS: dict[str, Section] = {
    Role.REGISSEUR: Section.all(),
    Role.KLANTMANAGER: Section.all() & ~(Section.HEALTH | Section.JUSTICE | Section.ASYLUM),
    Role.BEGELEIDER: Section.all() & ~(Section.JUSTICE | Section.WORK_INCOME),
    # A coordinator sees what their volunteers may see, plus their organisation's own notes.
    Role.COORDINATOR: VOLUNTEER_MAX_SECTIONS | Section.NOTES_OWN_ORGANISATION,
    Role.VRIJWILLIGER: VOLUNTEER_MAX_SECTIONS,
    Role.TEAMLEIDER: Section.BASIS,
    Role.PRIVACY_OFFICER: Section.none(),
    Role.FUNCTIONAL_ADMIN: Section.none(),
}

ROLE_WRITE_SECTIONS: dict[str, Section] = {
    Role.REGISSEUR: Section.all(),
    Role.KLANTMANAGER: ROLE_READ_SECTIONS[Role.KLANTMANAGER],
    Role.BEGELEIDER: ROLE_READ_SECTIONS[Role.BEGELEIDER],
    Role.COORDINATOR: Section.NETWORK
    | Section.TASKS
    | Section.NOTES_NETWORK
    | Section.NOTES_OWN_ORGANISATION,
    Role.VRIJWILLIGER: Section.TASKS | Section.NOTES_NETWORK,
    Role.TEAMLEIDER: Section.none(),
    Role.PRIVACY_OFFICER: Section.none(),
    Role.FUNCTIONAL_ADMIN: Section.none(),
}

# Roles that open a client's dossier. A team leader lists names to assign work, nothing more.
DOSSIER_ROLES = {
    Role.REGISSEUR,
    Role.KLANTMANAGER,
    Role.BEGELEIDER,
    Role.COORDINATOR,
    Role.VRIJWILLIGER,
}

# Roles that may only hold a membership of a municipal organisation.
MUNICIPAL_ONLY_ROLES = {Role.TEAMLEIDER, Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN}
