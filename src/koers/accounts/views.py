import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import LoginForm, MembershipChoiceForm, TokenForm
from .services import (
    membership_activate,
    membership_after_login,
    membership_choices,
    totp_enrolment_confirm,
    totp_enrolment_start,
)

SESSION_ENROL_DEVICE = "koers_enrol_device"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        membership_after_login(self.request)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_mode"] = settings.DEMO_MODE
        context["require_2fa"] = settings.KOERS_REQUIRE_2FA
        return context


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if request.user.is_verified():
        return redirect("core:home")
    if not user_has_device(request.user):
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(request.GET.get("next") or "core:home")
        form.add_error("token", _("This code is not correct or has expired. Try the next one."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Set up an authenticator app: scan the QR code, confirm with a first code, keep the backup
    codes. A user who already has a device must verify first; resetting is the administrator's."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect("accounts:otp_verify")
    device = None
    device_id = request.session.get(SESSION_ENROL_DEVICE)
    if device_id:
        device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    if device is None:
        device = totp_enrolment_start(user=request.user)
        request.session[SESSION_ENROL_DEVICE] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_enrolment_confirm(device=device, token=form.cleaned_data["token"])
        if codes is not None:
            del request.session[SESSION_ENROL_DEVICE]
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes})
        form.add_error("token", _("This code is not correct. Check the time on your phone."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    return render(
        request,
        "accounts/otp_enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": _base32(device)},
    )


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def choose_membership(request):
    memberships = membership_choices(request.user)
    if not memberships:
        return render(request, "accounts/no_membership.html", status=403)
    form = MembershipChoiceForm(
        request.POST or None,
        memberships=memberships,
        initial={"membership": request.membership.pk if request.membership else None},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in memberships if m.pk == form.cleaned_data["membership"])
        membership_activate(request, membership=chosen)
        messages.success(
            request,
            _("You now act as %(role)s at %(organisation)s.")
            % {"role": chosen.get_role_display(), "organisation": chosen.organisation.name},
        )
        return redirect("core:home")
    return render(request, "accounts/choose_membership.html", {"form": form})


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]
