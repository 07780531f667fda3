from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from koers.clients.permissions import Basis
from koers.organisations.models import Organisation

from .constants import Action
from .selectors import FILTER_BASES, ReviewStatus

# An export may cover at most this many days, and at most this many rows.
EXPORT_MAX_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class AuditLogFilterForm(forms.Form):
    """The privacy officer's filters on the log. Bound to the query string (GET)."""

    user = forms.CharField(label=_("Username"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("All organisations"),
    )
    membership = forms.IntegerField(
        label=_("Membership number"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Enter the membership number as digits.")},
    )
    client = forms.IntegerField(
        label=_("Client number"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Enter the client number as digits.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date, for example 31-12-2025.")},
    )
    date_to = forms.DateField(
        label=_("To (inclusive)"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date, for example 31-12-2025.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *Action.choices],
    )
    basis = forms.ChoiceField(
        label=_("Basis"),
        required=False,
        choices=[("", _("All bases")), *((key, Basis.LABELS[key]) for key in FILTER_BASES)],
    )

    def clean_user(self):
        username = self.cleaned_data["user"].strip()
        self.cleaned_data["user_ids"] = None
        if username:
            # The (user_id, at) index serves the filter; the username only finds the id.
            ids = list(
                get_user_model()
                .objects.filter(username__iexact=username)
                .values_list("id", flat=True)
            )
            if not ids:
                raise forms.ValidationError(_("There is no user with this username."))
            self.cleaned_data["user_ids"] = ids
        return username

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    @property
    def filters(self) -> dict:
        return self.cleaned_data

    def export_problem(self) -> str | None:
        """Why this filter cannot be exported, or None. Call after is_valid()."""
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if not start or not end:
            return _("Choose a period (from and to) to export; at most %(days)s days.") % {
                "days": EXPORT_MAX_DAYS
            }
        if (end - start).days + 1 > EXPORT_MAX_DAYS:
            return _("An export covers at most %(days)s days. Choose a shorter period.") % {
                "days": EXPORT_MAX_DAYS
            }
        return None

    def summary(self) -> str:
        """The filters used, for the export's own audit row: no names or numbers of people."""
        data = self.cleaned_data
        parts = []
        if data.get("date_from") or data.get("date_to"):
            parts.append(f"period={data.get('date_from') or ''}..{data.get('date_to') or ''}")
        for key in ("action", "basis"):
            if data.get(key):
                parts.append(f"{key}={data[key]}")
        if data.get("organisation"):
            parts.append(f"organisation={data['organisation'].pk}")
        # Who and which client were filtered on identifies people: only say that they were.
        for key in ("user", "membership", "client"):
            if data.get(key):
                parts.append(key)
        return "audit_export " + " ".join(parts)


class BreakGlassFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All, unreviewed first")),
            (ReviewStatus.UNREVIEWED, _("Not yet reviewed")),
            (ReviewStatus.REVIEWED, _("Reviewed")),
        ],
    )


class BreakGlassReviewForm(forms.Form):
    remark = forms.CharField(
        label=_("Remark"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "Your assessment of this emergency access, for example whether the reason was "
            "sufficient. Do not write special-category details here."
        ),
        error_messages={"required": _("Write a remark with your review.")},
    )
