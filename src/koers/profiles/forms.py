from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Availability,
    Certificate,
    DirectionPreference,
    Education,
    LanguageLevel,
    ProfessionalDirection,
    WorkExperience,
)
from .services import EDITABLE_FIELDS, profile_state


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ProfileEntryForm(forms.ModelForm):
    """Edits carry the entry's state as loaded, so a save over someone else's change is
    refused (services.profile_entry_save)."""

    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["loaded_state"]
        else:
            self.fields["loaded_state"].initial = profile_state(self.instance)

    def _post_clean(self):
        # The service validates the whole row (with its client) before saving.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class EducationForm(ProfileEntryForm):
    class Meta:
        model = Education
        fields = EDITABLE_FIELDS[Education]


class WorkExperienceForm(ProfileEntryForm):
    class Meta:
        model = WorkExperience
        fields = EDITABLE_FIELDS[WorkExperience]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_active_directions(self, required=False)


class DirectionPreferenceForm(ProfileEntryForm):
    class Meta:
        model = DirectionPreference
        fields = EDITABLE_FIELDS[DirectionPreference]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_active_directions(self, required=True)


def _offer_active_directions(form, *, required: bool) -> None:
    """Only active directions are offered; an entry keeps the one it already has."""
    current = form.instance.direction_id if form.instance.pk else None
    queryset = ProfessionalDirection.objects.filter(active=True)
    if current:
        queryset = ProfessionalDirection.objects.filter(pk=current) | queryset
    form.fields["direction"].queryset = queryset.order_by("name")
    form.fields["direction"].required = required


class CertificateForm(ProfileEntryForm):
    class Meta:
        model = Certificate
        fields = EDITABLE_FIELDS[Certificate]
        widgets = {"obtained_on": DateInput(), "valid_until": DateInput()}
        help_texts = {"cat_am": _("Driving licence categories: tick those the client holds.")}


class AvailabilityForm(ProfileEntryForm):
    class Meta:
        model = Availability
        fields = EDITABLE_FIELDS[Availability]
        widgets = {"childcare_constraints": forms.Textarea(attrs={"rows": 3})}


class LanguageLevelForm(forms.ModelForm):
    class Meta:
        model = LanguageLevel
        fields = ["skill", "level", "source", "assessed_on"]
        widgets = {"assessed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The assessment date cannot be in the future."))
        return value

    def _post_clean(self):
        pass


class DirectionForm(forms.ModelForm):
    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProfessionalDirection
        fields = ["name", "active"]
        help_texts = {
            "active": _("An inactive direction is no longer offered; existing choices remain.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["loaded_state"]
            del self.fields["active"]
        else:
            self.fields["loaded_state"].initial = profile_state(self.instance)

    def _post_clean(self):
        pass
