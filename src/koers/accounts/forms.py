from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from koers.organisations.forms import DateInput, StateGuardedForm
from koers.organisations.models import AreaTeam, Municipality, Organisation

from .models import Membership, User
from .services import MEMBERSHIP_STATE_FIELDS


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is not correct."),
        "inactive": _("This account is not active."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class MembershipChoiceForm(forms.Form):
    membership = forms.TypedChoiceField(label=_("Act as"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (m.pk, f"{m.get_role_display()} – {m.organisation.name}") for m in memberships
        ]


# --- Functional administrator: users and memberships (beheer) --------------------------------


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or username"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


# Django 5.2's minimum-length message has no Dutch text in Django's own catalogue yet; marking
# the identical msgid here puts it in Koers's catalogue, which Django consults first.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)


class UserCreateForm(UserCreationForm):
    """A new account with an initial password the administrator types twice; Django's password
    validators apply. The user sets up two-factor authentication at the first sign-in."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["password1"].label = _("Initial password")
        self.fields["password2"].label = _("Initial password again")


class MembershipOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        label=_("Organisation"),
        empty_label=None,
    )


class MembershipForm(forms.ModelForm):
    """A membership in one organisation, chosen before: municipalities and area teams are
    limited to where that organisation works."""

    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Municipalities served"),
        help_text=_("Leave empty to serve all of the organisation's municipalities."),
    )
    area_teams = forms.ModelMultipleChoiceField(
        queryset=AreaTeam.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Area teams"),
        help_text=_("Leave empty to serve the whole of the municipalities."),
    )

    class Meta:
        model = Membership
        fields = [
            "role",
            "title",
            "municipalities",
            "area_teams",
            "start_date",
            "vog_checked_on",
            "confidentiality_signed_on",
        ]
        widgets = {
            "start_date": DateInput,
            "vog_checked_on": DateInput,
            "confidentiality_signed_on": DateInput,
        }
        help_texts = {
            "vog_checked_on": _("Volunteers only. Access starts once both dates are recorded."),
            "confidentiality_signed_on": _("Volunteers only."),
        }

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities
        self.fields["area_teams"].queryset = (
            AreaTeam.objects.filter(municipality__in=municipalities)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MembershipEndForm(StateGuardedForm):
    state_fields = MEMBERSHIP_STATE_FIELDS

    class Meta:
        model = Membership
        fields = ["end_date"]
        widgets = {"end_date": DateInput}
        help_texts = {"end_date": _("The last day of the membership.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        if not self.instance.end_date:
            self.initial["end_date"] = timezone.localdate()
