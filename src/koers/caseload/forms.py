from django import forms
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import ClientStatus

from .selectors import Signal

SORT_CHOICES = [
    ("name", _("Name")),
    ("contact", _("Days since last contact")),
    ("appointment", _("Next appointment")),
]

SIGNAL_LABELS = {
    Signal.NO_CONTACT: _("No recent contact"),
    Signal.NO_REGISSEUR: _("No regisseur"),
    Signal.CONSENT_ENDING: _("Consent ends soon"),
    Signal.ACCESS_ENDING: _("Moved out, access ends soon"),
}


class CaseloadFilterForm(forms.Form):
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(ClientStatus.choices), required=False
    )
    # An id; the choices are the caseload's own area teams (set by the view after the query).
    area_team = forms.IntegerField(label=_("Area team"), required=False, widget=forms.Select)
    signal = forms.ChoiceField(
        label=_("Signal"),
        choices=[("", _("All"))] + list(SIGNAL_LABELS.items()),
        required=False,
    )

    def set_area_teams(self, area_teams) -> None:
        self.fields["area_team"].widget.choices = [("", _("All"))] + [
            (team.pk, team.name) for team in area_teams
        ]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, BSN, V-number or date of birth"),
        max_length=100,
        required=False,
        help_text=_("A date of birth as dd-mm-jjjj (00 for an unknown part) or a year."),
    )


class AssignForm(forms.Form):
    households = forms.ModelMultipleChoiceField(
        label=_("Households"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one household.")},
    )
    regisseur = forms.ModelChoiceField(
        label=_("Regisseur"),
        queryset=None,
        empty_label=_("Choose a regisseur"),
        error_messages={"required": _("Choose a regisseur.")},
    )
    note = forms.CharField(label=_("Note for the handover"), max_length=300, required=False)

    def __init__(self, *args, households, regisseurs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = households
        self.fields["regisseur"].queryset = regisseurs
        self.fields["regisseur"].label_from_instance = lambda m: m.user.display_name
