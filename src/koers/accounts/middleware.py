import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp import user_has_device

from .models import Membership

SESSION_MEMBERSHIP = "koers_membership_id"
SESSION_LAST_SEEN = "koers_last_seen"
# Write the activity timestamp at most this often: no database write on every request.
TOUCH_INTERVAL_SECONDS = 60

OPEN_PATHS = ("/healthz", "/readyz", "/static/", "/i18n/")


class IdleTimeoutMiddleware:
    """Signs a user out after KOERS_SESSION_IDLE_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.koers_idle_signed_out = False
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > settings.KOERS_SESSION_IDLE_MINUTES * 60:
                logout(request)
                # The message and redirect wait for process_view: MessageMiddleware comes later.
                request.koers_idle_signed_out = True
            elif SESSION_LAST_SEEN not in request.session or (
                now - last_seen >= TOUCH_INTERVAL_SECONDS
            ):
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.koers_idle_signed_out:
            return None
        messages.info(request, _("You were signed out after a period of inactivity."))
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(reverse(settings.LOGIN_URL))
        if request.method == "GET":
            return redirect_to_login(request.get_full_path())
        return redirect(settings.LOGIN_URL)


def _membership_for(request):
    if not request.user.is_authenticated:
        return None
    if settings.KOERS_REQUIRE_2FA and not request.user.is_verified():
        return None  # nobody acts in a role before the second step
    membership_id = request.session.get(SESSION_MEMBERSHIP)
    if membership_id is None:
        return None
    # All the user's current memberships in one query (a user holds one or a few): the chosen
    # one, and whether there are others for the shell's "switch role" link.
    memberships = list(
        Membership.objects.current().select_related("organisation").filter(user=request.user)
    )
    for membership in memberships:
        if membership.pk == membership_id:
            membership.user = request.user
            membership.other_memberships = len(memberships) - 1
            return membership
    return None


class MembershipMiddleware:
    """request.membership: the membership the user acts in now (None until chosen)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = _membership_for(request)
        return self.get_response(request)


class RequireVerifiedMiddleware:
    """With KOERS_REQUIRE_2FA, a signed-in user reaches nothing but the second step until the
    session is verified with a one-time code."""

    ALLOWED_URL_NAMES = {"otp_verify", "otp_enrol", "logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.KOERS_REQUIRE_2FA
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            allowed = {reverse(f"accounts:{name}") for name in self.ALLOWED_URL_NAMES}
            if request.path not in allowed:
                if not user_has_device(request.user):
                    return redirect("accounts:otp_enrol")
                target = reverse("accounts:otp_verify")
                if request.method == "GET" and request.get_full_path() != "/":
                    # After the code, the user continues where they were going.
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)
