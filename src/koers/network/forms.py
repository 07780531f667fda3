from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import LANGUAGES, VOLUNTEER_MAX_SECTIONS, NetworkRole
from koers.organisations.forms import SectionsFormField
from koers.organisations.models import Organisation

from .constants import ConsentPurpose
from .models import Consent


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        title = f" ({obj.title})" if obj.title else ""
        return f"{obj.user.display_name}{title} – {obj.get_role_display()}"


class InvolvementForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        label=_("Organisation"),
    )
    membership = PersonChoiceField(
        queryset=None,
        required=False,
        label=_("Person in Koers"),
        help_text=_("Someone of the chosen organisation who works in Koers."),
    )
    person_name = forms.CharField(
        max_length=150,
        required=False,
        label=_("Or a contact person outside Koers"),
    )
    role = forms.ChoiceField(choices=NetworkRole.choices, label=_("Role"))
    start_date = forms.DateField(label=_("Since"), widget=DateInput, initial=timezone.localdate)
    phone = forms.CharField(max_length=30, required=False, label=_("Phone"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))
    task_sections = SectionsFormField(
        allowed=VOLUNTEER_MAX_SECTIONS,
        required=False,
        initial=VOLUNTEER_MAX_SECTIONS,
        label=_("Task profile (volunteers only)"),
        help_text=_("What the volunteer may see for this task."),
    )

    def __init__(self, *args, people=None, refresh_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = people
        self.fields["organisation"].widget.attrs.update(
            {
                "hx-post": refresh_url,
                "hx-trigger": "change",
                "hx-target": "#person-choices",
                "hx-select": "#person-choices",
                "hx-swap": "outerHTML",
                "hx-vals": '{"refresh": "1"}',
            }
        )

    def clean(self):
        data = super().clean()
        if data.get("membership") and data.get("person_name"):
            self.add_error(
                "person_name",
                _("Choose a person in Koers or fill in a contact person, not both."),
            )
        return data


class EndInvolvementForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput, initial=timezone.localdate)


class HandoverForm(forms.Form):
    membership = PersonChoiceField(queryset=None, label=_("New regisseur"))
    note = forms.CharField(
        max_length=300,
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the new regisseur needs to know. No health details in free text."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = candidates


class WarmHandoverForm(forms.Form):
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput, initial=timezone.localdate
    )
    coa_location = forms.CharField(max_length=150, label=_("COA location"))
    coa_contact = forms.CharField(max_length=150, required=False, label=_("COA contact person"))
    basis = forms.CharField(
        max_length=200,
        label=_("Basis for the transfer"),
        help_text=_("E.g. the municipality's legal task under the Wet inburgering 2021."),
    )
    sections = SectionsFormField(label=_("Filed under"))
    summary = forms.CharField(
        required=False,
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("No health details in free text: file them under the section."),
    )


class RelocationForm(forms.Form):
    to_municipality_name = forms.CharField(max_length=100, label=_("New municipality"))
    moved_on = forms.DateField(label=_("Moved on"), widget=DateInput)
    access_ends_on = forms.DateField(
        required=False,
        label=_("Access of this municipality ends on"),
        widget=DateInput,
        help_text=_("Leave empty for 30 days after the move."),
    )
    note = forms.CharField(
        required=False, label=_("Handover note"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        moved_on, ends_on = data.get("moved_on"), data.get("access_ends_on")
        if moved_on and ends_on and ends_on < moved_on:
            self.add_error("access_ends_on", _("Access cannot end before the date of the move."))
        return data


class ConsentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        label=_("Organisation"),
    )
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices, label=_("Purpose"))
    sections = SectionsFormField(label=_("What may be shared"))
    text_version = forms.CharField(max_length=30, label=_("Consent text version"), initial="2026-1")
    explained_in_language = forms.ChoiceField(choices=LANGUAGES, label=_("Explained in language"))
    with_interpreter = forms.BooleanField(required=False, label=_("With an interpreter"))
    how_given = forms.ChoiceField(choices=Consent.HowGiven.choices, label=_("How given"))
    given_on = forms.DateField(label=_("Given on"), widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(required=False, label=_("Ends on"), widget=DateInput)

    def clean(self):
        data = super().clean()
        given_on, ends_on = data.get("given_on"), data.get("ends_on")
        if given_on and ends_on and ends_on < given_on:
            self.add_error("ends_on", _("The end date cannot be before the date given."))
        return data


class DelegationForm(forms.Form):
    from_membership = PersonChoiceField(queryset=None, label=_("Stand in for"))
    to_membership = PersonChoiceField(queryset=None, label=_("Stand-in"))
    start_date = forms.DateField(label=_("From"), widget=DateInput, initial=timezone.localdate)
    end_date = forms.DateField(label=_("Until and including"), widget=DateInput)
    reason = forms.CharField(max_length=200, required=False, label=_("Reason"))

    def __init__(self, *args, sources=None, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_membership"].queryset = sources
        self.fields["to_membership"].queryset = colleagues

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data
