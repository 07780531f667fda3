"""Forms of the functional administrator's pages, and SectionsFormField for every app."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.constants import SECTION_LABELS, VOLUNTEER_MAX_SECTIONS, Section

from .constants import LegalBasisKind, OrganisationKind
from .models import AreaTeam, LegalBasis, Municipality, Organisation, Region
from .services import EDITABLE_FIELDS, state_token


class SectionsFormField(forms.MultipleChoiceField):
    """A checkbox per dossier section, cleaned to a Section bitmask.

    `allowed` limits the checkboxes to those sections (default: every section). Each checkbox's
    value is the section's name (BASIS, CONTACT, ...), its label the section's translated label.
    Initial values may be a Section, an int bitmask, or a list of names.
    """

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, allowed: Section | None = None, **kwargs):
        self.allowed = Section.all() if allowed is None else Section(allowed)
        kwargs.setdefault(
            "choices",
            [(member.name, SECTION_LABELS[member]) for member in self.allowed.members()],
        )
        super().__init__(**kwargs)

    @staticmethod
    def names(value) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, (list, tuple, set, frozenset)):
            return [str(item) for item in value]
        return [member.name for member in Section(int(value)).members()]

    def prepare_value(self, value):
        return self.names(value)

    def to_bitmask(self, names) -> Section:
        value = Section.none()
        for name in names:
            value |= Section[name]
        return value

    def clean(self, value) -> Section:
        names = super().clean(value)
        return self.to_bitmask(names)

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        valid = {choice for choice, _label in self.choices}
        initial_names = {name for name in self.names(initial) if name in valid}
        data_names = {name for name in self.names(data) if name in valid}
        return initial_names != data_names


class StateGuardedForm(forms.ModelForm):
    """Carries the object's state as loaded, so a save over someone else's change is refused.

    The services compare `loaded_state` with the stored object's state inside the transaction
    that writes (see services.state_token)."""

    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False)
    # The fields whose stored values make up the state; default: the model's EDITABLE_FIELDS.
    state_fields: list[str] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["loaded_state"]
            return
        fields = self.state_fields or EDITABLE_FIELDS[type(self.instance)]
        self.fields["loaded_state"].initial = state_token(self.instance, fields)
        # Fields that only creation sets (the parent of an area team, the parties to a basis)
        # are not editable afterwards.
        for name in self._meta.fields:
            if name not in fields and name in self.fields:
                del self.fields[name]

    def changes(self) -> dict:
        """The cleaned values of the model fields in this form."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MunicipalityForm(StateGuardedForm):
    volunteer_sections = SectionsFormField(
        allowed=VOLUNTEER_MAX_SECTIONS,
        required=False,
        label=_("Sections volunteers may see at most"),
        help_text=_("A coordinator's task profile can narrow this, never widen it."),
    )

    class Meta:
        model = Municipality
        fields = EDITABLE_FIELDS[Municipality]
        help_texts = {"code": _("GM followed by 4 digits, e.g. GM0344.")}


class RegionForm(StateGuardedForm):
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Municipalities"),
    )

    class Meta:
        model = Region
        fields = EDITABLE_FIELDS[Region]


class AreaTeamForm(StateGuardedForm):
    class Meta:
        model = AreaTeam
        fields = ["municipality", *EDITABLE_FIELDS[AreaTeam]]


class OrganisationForm(StateGuardedForm):
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Municipalities served on their legal task"),
        help_text=_("Only for municipal organisations. Partners work on a legal basis instead."),
    )

    class Meta:
        model = Organisation
        fields = EDITABLE_FIELDS[Organisation]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrganisationKind.choices  # no empty radio button


class LegalBasisForm(StateGuardedForm):
    sections = SectionsFormField(
        label=_("Sections"),
        help_text=_("The parts of the dossier this basis allows the organisation to process."),
        error_messages={"required": _("Choose at least one section.")},
    )

    class Meta:
        model = LegalBasis
        fields = ["organisation", "municipality", *EDITABLE_FIELDS[LegalBasis]]
        widgets = {
            "kind": forms.RadioSelect,
            "start_date": DateInput,
            "end_date": DateInput,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "agreement_reference": _("The number or name of the agreement, e.g. VWN-2025-014."),
            "end_date": _("Leave empty while the agreement runs. The last day it is in force."),
            "note": _("Do not write personal data here."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = LegalBasisKind.choices  # no empty radio button
        if self.instance.pk is None:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                kind=OrganisationKind.PARTNER
            ).order_by("name")
            self.fields["organisation"].label = _("Organisation")
            self.fields["municipality"].label = _("Municipality")
            self.initial["start_date"] = self.initial.get("start_date") or timezone.localdate()


class LegalBasisEndForm(StateGuardedForm):
    class Meta:
        model = LegalBasis
        fields = ["end_date"]
        widgets = {"end_date": DateInput}
        help_texts = {"end_date": _("The last day the basis is in force.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        if not self.instance.end_date:
            self.initial["end_date"] = timezone.localdate()


class LegalBasisFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name"),
        required=False,
        label=_("Organisation"),
        empty_label=_("All organisations"),
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.order_by("name"),
        required=False,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )


class AreaTeamFilterForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.order_by("name"),
        required=False,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
