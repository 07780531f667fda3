from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.audit.constants import Action
from koers.audit.services import audit_event
from koers.organisations.selectors import municipalities_of_organisation
from koers.organisations.services import lock_unchanged

from .constants import Role
from .middleware import SESSION_MEMBERSHIP
from .models import Membership, User


def membership_choices(user):
    return list(Membership.objects.current().filter(user=user).select_related("organisation"))


def membership_activate(request, *, membership: Membership) -> None:
    """Act in this membership from now on; the audit log records it with every read."""
    if membership.user_id != request.user.pk:
        raise PermissionError("not the user's membership")
    request.session[SESSION_MEMBERSHIP] = membership.pk
    request.session.cycle_key()
    request.membership = membership


def membership_after_login(request) -> None:
    """A user with exactly one membership acts in it without choosing."""
    memberships = membership_choices(request.user)
    if len(memberships) == 1:
        request.session[SESSION_MEMBERSHIP] = memberships[0].pk


BACKUP_CODE_COUNT = 10


@transaction.atomic
def totp_enrolment_start(*, user) -> TOTPDevice:
    """A fresh, unconfirmed TOTP device; earlier unconfirmed attempts are dropped."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a first code; returns new backup codes, or None if the code is
    wrong. Confirming replaces any earlier devices of the user."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user=device.user)


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_reset(*, user) -> None:
    """Functional administrator: the user enrols again at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- Functional administrator: users and memberships (beheer) --------------------------------

# The stored values an end-membership form was loaded with (see organisations.services).
MEMBERSHIP_STATE_FIELDS = [
    "role",
    "title",
    "municipalities",
    "area_teams",
    "start_date",
    "end_date",
    "is_active",
    "vog_checked_on",
    "confidentiality_signed_on",
]


def user_search(query: str = "") -> QuerySet:
    """Users by name or username, with their memberships and whether 2FA is set up."""
    users = User.objects.annotate(
        has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                "organisation__name", "role"
            ),
        )
    )
    for word in query.split()[:5]:
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return users.order_by("last_name", "first_name", "username")


def user_memberships(user) -> list[Membership]:
    """A user's memberships, each with `is_current` and `can_end` set for the page."""
    memberships = list(
        user.memberships.select_related("organisation")
        .prefetch_related("municipalities", "area_teams__municipality")
        .order_by("-is_active", "organisation__name", "role")[:100]
    )
    today = timezone.localdate()
    for membership in memberships:
        running = membership.end_date is None or membership.end_date >= today
        membership.is_current = membership.is_active and membership.start_date <= today and running
        membership.can_end = running
    return memberships


def user_has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def user_create(
    request, *, username: str, first_name: str, last_name: str, email: str, password: str
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"user:{user.pk} created")
    return user


@transaction.atomic
def user_set_active(request, *, user: User, is_active: bool) -> User:
    """Deactivate (the user can no longer sign in; sessions end) or reactivate an account."""
    if not is_active and user.pk == request.user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    current = User.objects.select_for_update().get(pk=user.pk)
    if current.is_active == is_active:
        return current
    current.is_active = is_active
    current.save(update_fields=["is_active"])
    verb = "reactivated" if is_active else "deactivated"
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"user:{current.pk} {verb}")
    return current


@transaction.atomic
def user_two_factor_reset(request, *, user: User) -> None:
    """The user sets up two-factor authentication again at the next sign-in."""
    two_factor_reset(user=user)
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"user:{user.pk} 2fa_reset")


def _check_membership(membership: Membership, many: dict) -> None:
    errors = {}
    municipalities = list(many.get("municipalities") or [])
    area_teams = list(many.get("area_teams") or [])
    allowed = set(municipalities_of_organisation(membership.organisation))
    if any(municipality not in allowed for municipality in municipalities):
        errors["municipalities"] = _("Choose only municipalities where the organisation works.")
    elif municipalities:
        outside = [team for team in area_teams if team.municipality not in municipalities]
        if outside:
            errors["area_teams"] = _(
                "These area teams are not in the municipalities chosen above: %(teams)s"
            ) % {"teams": ", ".join(team.name for team in outside)}
    if membership.role != Role.VRIJWILLIGER:
        for name in ("vog_checked_on", "confidentiality_signed_on"):
            if getattr(membership, name):
                errors[name] = _("Only for volunteers: leave this empty for other roles.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def membership_create(
    request,
    *,
    user: User,
    organisation,
    role: str,
    title: str = "",
    municipalities=(),
    area_teams=(),
    start_date=None,
    vog_checked_on=None,
    confidentiality_signed_on=None,
) -> Membership:
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        title=title,
        start_date=start_date or timezone.localdate(),
        vog_checked_on=vog_checked_on,
        confidentiality_signed_on=confidentiality_signed_on,
    )
    _check_membership(membership, {"municipalities": municipalities, "area_teams": area_teams})
    membership.full_clean()
    membership.save()
    membership.municipalities.set(municipalities)
    membership.area_teams.set(area_teams)
    audit_event(
        request,
        action=Action.ADMIN_CHANGE,
        detail=f"membership:{membership.pk} created for user:{user.pk}",
    )
    return membership


@transaction.atomic
def membership_end(request, *, membership: Membership, loaded_state: str, end_date) -> Membership:
    """Ending is setting the last day; the membership stays on record (the audit log names it)."""
    current = lock_unchanged(membership, loaded_state, MEMBERSHIP_STATE_FIELDS)
    current.end_date = end_date
    current.full_clean()
    current.save(update_fields=["end_date"])
    audit_event(request, action=Action.ADMIN_CHANGE, detail=f"membership:{current.pk} ended")
    return current
