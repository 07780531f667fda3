from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import SESSION_MEMBERSHIP
from .models import Membership


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
