from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koers.accounts.constants import Role
from koers.clients.permissions import can_break_glass


def _navigation(membership) -> list[dict]:
    if membership is None:
        return []
    role = membership.role
    items = []
    if role in (Role.REGISSEUR, Role.KLANTMANAGER, Role.BEGELEIDER):
        items.append({"label": _("Caseload"), "url": reverse("caseload:home"), "name": "caseload"})
    if role == Role.TEAMLEIDER:
        items.append({"label": _("Team"), "url": reverse("caseload:team"), "name": "team"})
    if membership.opens_dossiers and role != Role.VRIJWILLIGER:
        items.append({"label": _("Search"), "url": reverse("caseload:search"), "name": "search"})
    if role in (Role.REGISSEUR, Role.KLANTMANAGER) and membership.organisation.is_municipal:
        items.append(
            {
                "label": _("Register a household"),
                "url": reverse("clients:register"),
                "name": "register",
            }
        )
    if membership.opens_dossiers or role == Role.TEAMLEIDER:
        label = _("My households") if role == Role.VRIJWILLIGER else _("Clients")
        items.append({"label": label, "url": reverse("clients:list"), "name": "clients"})
    if membership.opens_dossiers:
        items.append(
            {"label": _("My actions"), "url": reverse("plans:my_actions"), "name": "my_actions"}
        )
    if role in (Role.REGISSEUR, Role.KLANTMANAGER, Role.BEGELEIDER, Role.TEAMLEIDER):
        items.append(
            {"label": _("Walk-in hours"), "url": reverse("timeline:walkin_list"), "name": "walkin"}
        )
    if role in (
        Role.REGISSEUR,
        Role.KLANTMANAGER,
        Role.BEGELEIDER,
        Role.COORDINATOR,
        Role.TEAMLEIDER,
    ):
        items.append(
            {"label": _("Stand-ins"), "url": reverse("network:delegations"), "name": "delegations"}
        )
    if can_break_glass(membership):
        items.append(
            {
                "label": _("Emergency access"),
                "url": reverse("clients:break_glass"),
                "name": "break_glass",
            }
        )
    if role == Role.PRIVACY_OFFICER:
        items += [
            {"label": _("Audit log"), "url": reverse("audit:log"), "name": "audit"},
            {
                "label": _("Break-the-glass review"),
                "url": reverse("audit:break_glass_list"),
                "name": "break_glass_review",
            },
        ]
    if role == Role.FUNCTIONAL_ADMIN:
        items.append(
            {"label": _("Administration"), "url": reverse("organisations:index"), "name": "beheer"}
        )
    return items


def _can_switch(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    membership = getattr(request, "membership", None)
    if membership is not None and hasattr(membership, "other_memberships"):
        return membership.other_memberships > 0  # counted by MembershipMiddleware
    from koers.accounts.models import Membership

    return Membership.objects.current().filter(user=user).count() > 1


def shell(request):
    membership = getattr(request, "membership", None)
    return {
        "can_switch_membership": _can_switch(request),
        "demo_mode": settings.DEMO_MODE,
        "acting_membership": membership,
        "navigation": _navigation(membership),
    }
