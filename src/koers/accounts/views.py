import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.organisations import selectors as organisation_selectors
from koers.organisations.pages import crumbs, form_page, page_context

from . import services
from .constants import Role
from .decorators import role_required
from .forms import (
    LoginForm,
    MembershipChoiceForm,
    MembershipEndForm,
    MembershipForm,
    MembershipOrganisationForm,
    TokenForm,
    UserCreateForm,
    UserSearchForm,
)
from .models import Membership, User
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
        device, throttled = _verify_code(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request) or "core:home")
        if throttled:
            form.add_error(
                "token", _("Too many wrong codes in a row. Wait a moment and try again.")
            )
        else:
            form.add_error("token", _("This code is not correct or has expired. Try the next one."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@transaction.atomic
def _verify_code(user, token: str):
    """(device, throttled): the code checked against the one kind of device it can come from.

    Six digits come from the authenticator app; anything else is a backup code. Not django-otp's
    match_token, which tries every device: each right app code would count as a failure on the
    backup codes, whose waiting time doubles per failure and never resets until one is used."""
    if token.isdigit() and len(token) == 6:
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
        token = token.lower()
    devices = list(devices.select_for_update())
    if _throttled(devices):
        return None, True
    return next((device for device in devices if device.verify_token(token)), None), False


def _throttled(devices) -> bool:
    """django-otp waits longer after every wrong code; while it waits, no code is checked, so
    the user must hear that, not that a right code is wrong."""
    return any(not device.verify_is_allowed()[0] for device in devices)


def _safe_next(request) -> str | None:
    """The `next` address, only if it stays on this site (no open redirect)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


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
    if request.method == "POST" and form.is_valid() and _throttled([device]):
        form.add_error("token", _("Too many wrong codes in a row. Wait a moment and try again."))
    elif request.method == "POST" and form.is_valid():
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


# --- Functional administrator: users and memberships (beheer) --------------------------------

_admin_required = role_required(Role.FUNCTIONAL_ADMIN)


def _user_crumbs(*items) -> list[dict]:
    """Administration > Users > ...; the last item is the current page."""
    return crumbs((_("Users"), reverse("accounts:user_list")), *items)


def _user_step_crumbs(user: User, step: str) -> list[dict]:
    """Administration > Users > the user > a step (new membership, end membership, ...)."""
    return _user_crumbs(
        (user.display_name, reverse("accounts:user_detail", args=[user.pk])), (step, None)
    )


def _get_user(pk) -> User:
    return get_object_or_404(User, pk=pk)


@_admin_required
def user_list(request):
    search = UserSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(services.user_search(query), organisation_selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/beheer/user_list.html",
        page_context(_user_crumbs(), page=page, search=search, query=query),
    )


@_admin_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    title = _("New user")
    return form_page(
        request,
        UserCreateForm(request.POST or None),
        save=lambda form: services.user_create(
            request,
            username=form.cleaned_data["username"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        ),
        success_message=lambda user: (
            _(
                "Account %(username)s was created. Add a membership, so the user can work "
                "in Koers. At the first sign-in the user sets up two-factor authentication."
            )
            % {"username": user.username}
        ),
        success_url=lambda user: reverse("accounts:user_detail", args=[user.pk]),
        context=lambda: page_context(
            _user_crumbs((title, None)), title=title, cancel_url=reverse("accounts:user_list")
        ),
    )


@_admin_required
def user_detail(request, pk):
    user = _get_user(pk)
    memberships = services.user_memberships(user)
    return render(
        request,
        "accounts/beheer/user_detail.html",
        page_context(
            _user_crumbs((user.display_name, None)),
            shown_user=user,
            memberships=memberships,
            has_two_factor=services.user_has_two_factor(user),
            is_self=user.pk == request.user.pk,
        ),
    )


@_admin_required
@require_POST
def user_deactivate(request, pk):
    user = _get_user(pk)
    try:
        services.user_set_active(request, user=user, is_active=False)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The account was deactivated. The user can no longer sign in."))
    return redirect("accounts:user_detail", pk=pk)


@_admin_required
@require_POST
def user_reactivate(request, pk):
    user = _get_user(pk)
    services.user_set_active(request, user=user, is_active=True)
    messages.success(request, _("The account was reactivated."))
    return redirect("accounts:user_detail", pk=pk)


@_admin_required
@require_http_methods(["GET", "POST"])
def user_two_factor_reset(request, pk):
    user = _get_user(pk)
    if request.method == "POST":
        services.user_two_factor_reset(request, user=user)
        messages.success(
            request,
            _(
                "Two-factor authentication of %(name)s was reset. At the next sign-in the user "
                "sets it up again."
            )
            % {"name": user.display_name},
        )
        return redirect("accounts:user_detail", pk=pk)
    return render(
        request,
        "accounts/beheer/two_factor_reset.html",
        page_context(
            _user_step_crumbs(user, _("Reset two-factor authentication")), shown_user=user
        ),
    )


@_admin_required
@require_http_methods(["GET", "POST"])
def membership_create(request, pk):
    user = _get_user(pk)
    chooser = MembershipOrganisationForm(request.GET or None)
    breadcrumbs = _user_step_crumbs(user, _("New membership"))
    if not chooser.is_valid():
        return render(
            request,
            "accounts/beheer/membership_organisation.html",
            page_context(breadcrumbs, shown_user=user, chooser=chooser),
        )
    organisation = chooser.cleaned_data["organisation"]
    back = reverse("accounts:user_detail", args=[pk])
    return form_page(
        request,
        MembershipForm(
            request.POST or None,
            instance=Membership(user=user, organisation=organisation),
            municipalities=organisation_selectors.municipalities_of_organisation(organisation),
        ),
        save=lambda form: services.membership_create(
            request, user=user, organisation=organisation, **form.values()
        ),
        success_message=_("The membership was added."),
        success_url=back,
        context=lambda: page_context(
            breadcrumbs,
            title=_("New membership"),
            subtitle=_("%(name)s at %(organisation)s")
            % {"name": user.display_name, "organisation": organisation.name},
            cancel_url=back,
        ),
    )


@_admin_required
@require_http_methods(["GET", "POST"])
def membership_end(request, pk, membership_pk):
    user = _get_user(pk)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=membership_pk, user=user
    )
    back = reverse("accounts:user_detail", args=[pk])
    return form_page(
        request,
        MembershipEndForm(request.POST or None, instance=membership),
        save=lambda form: services.membership_end(
            request,
            membership=membership,
            loaded_state=form.cleaned_data["loaded_state"],
            end_date=form.cleaned_data["end_date"],
        ),
        reload=lambda: MembershipEndForm(instance=Membership.objects.get(pk=membership_pk)),
        success_message=_("The end date of the membership was recorded."),
        success_url=back,
        context=lambda: page_context(
            _user_step_crumbs(user, _("End membership")),
            title=_("End membership"),
            subtitle=str(membership),
            submit_label=_("End membership"),
            cancel_url=back,
        ),
    )
