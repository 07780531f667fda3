from django.urls import reverse

from .constants import Role

HOME_URL_NAMES = {
    Role.REGISSEUR: "caseload:home",
    Role.KLANTMANAGER: "caseload:home",
    Role.BEGELEIDER: "caseload:home",
    Role.COORDINATOR: "clients:list",
    Role.VRIJWILLIGER: "clients:list",
    Role.TEAMLEIDER: "caseload:team",
    Role.PRIVACY_OFFICER: "audit:log",
    Role.FUNCTIONAL_ADMIN: "organisations:index",
}


def home_url_for(membership) -> str:
    return reverse(HOME_URL_NAMES[membership.role])
