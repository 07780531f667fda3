from dataclasses import dataclass

from koers.accounts.models import Membership

from .services import DEMO_LOGINS, DEMO_PASSWORD


@dataclass(frozen=True)
class DemoLoginRow:
    username: str
    password: str
    role: str
    organisation: str
    hint: str


def demo_login_rows() -> list[DemoLoginRow]:
    """The demo accounts in print order, one row per membership (`duo` has two)."""
    order = {login.username: position for position, login in enumerate(DEMO_LOGINS)}
    hints = {login.username: login.hint for login in DEMO_LOGINS}
    memberships = sorted(
        Membership.objects.filter(user__username__in=order).select_related("user", "organisation"),
        key=lambda m: (order[m.user.username], m.organisation.name, m.role),
    )
    return [
        DemoLoginRow(
            username=m.user.username,
            password=DEMO_PASSWORD,
            role=str(m.get_role_display()),
            organisation=m.organisation.name,
            hint=str(hints[m.user.username]),
        )
        for m in memberships
    ]
