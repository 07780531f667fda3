import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import EnrolmentResult
from .models import Benefit, EducationEnrolment, Job
from .services import EDITABLE_FIELDS, END_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class WorkEntryForm(forms.ModelForm):
    """A new row carries a one-time token (a double submit records it once); an edit carries
    the version it was loaded with (a save over someone else's change is refused)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
            self.fields["token"].initial = uuid.uuid4().hex
        else:
            del self.fields["token"]
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        # The service validates the whole row (with its client) before saving.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class BenefitForm(WorkEntryForm):
    class Meta:
        model = Benefit
        fields = EDITABLE_FIELDS[Benefit]
        widgets = {"start_on": DateInput(), "end_on": DateInput()}
        help_texts = {"end_on": _("Leave empty while the benefit runs.")}


class JobForm(WorkEntryForm):
    class Meta:
        model = Job
        fields = EDITABLE_FIELDS[Job]
        widgets = {
            "start_on": DateInput(),
            "end_on": DateInput(),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        }
        help_texts = {
            "end_on": _("Leave empty while the work runs."),
            "wage_subsidy": _("Only with paid work for an employer."),
        }


class EnrolmentForm(WorkEntryForm):
    class Meta:
        model = EducationEnrolment
        fields = EDITABLE_FIELDS[EducationEnrolment]
        widgets = {"start_on": DateInput(), "end_on": DateInput()}
        help_texts = {
            "end_on": _("Leave empty while the enrolment runs."),
            "programme": _("E.g. Helpende zorg en welzijn."),
        }


class EndForm(forms.ModelForm):
    """End a running period: the end date and why (or, for education, the result)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_on"].required = True
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        for name in self._meta.fields:
            if name != "end_on":
                self.fields[name].required = True
        if "result" in self.fields:
            self.fields["result"].choices = [
                choice
                for choice in self.fields["result"].choices
                if choice[0] != EnrolmentResult.ONGOING
            ]

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


def end_form_class(model):
    meta = type("Meta", (), {"model": model, "fields": END_FIELDS[model], "widgets": {}})
    meta.widgets = {"end_on": DateInput()}
    return type(f"{model.__name__}EndForm", (EndForm,), {"Meta": meta})


BenefitEndForm = end_form_class(Benefit)
JobEndForm = end_form_class(Job)
EnrolmentEndForm = end_form_class(EducationEnrolment)
