"""Forms of the inburgering trajectory. They check the input; the rules are the services'."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    MAP_THEMES,
    AbsenceReason,
    EnforcementKind,
    ExamLevel,
    ExamPart,
    ExamResultKind,
    ExemptionKind,
    ExemptionReason,
    ExtensionReason,
    NoResultReason,
    Outcome,
    ReleaseGround,
    ReleaseKind,
)
from .models import (
    Course,
    CourseMonth,
    InburgeringDuty,
    LabourMarketModule,
    Ontzorgen,
    ParticipationStatement,
)
from .services import (
    COURSE_FIELDS,
    DUTY_FIELDS,
    MAP_FIELDS,
    MONTH_FIELDS,
    ONTZORGEN_FIELDS,
    PVT_FIELDS,
    TERM_FIELDS,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_widgets(model, names) -> dict:
    return {
        name: DateInput()
        for name in names
        if model._meta.get_field(name).get_internal_type() == "DateField"
    }


class VersionedForm(forms.ModelForm):
    """A part's fields plus the version the form was loaded with (0: no row yet)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    def _post_clean(self):
        # The service validates the whole row, with its client, before it writes.
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class FormTokenForm(forms.Form):
    """A token per rendered form: a double submit adds nothing twice."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class DutyForm(VersionedForm):
    class Meta:
        model = InburgeringDuty
        fields = DUTY_FIELDS
        widgets = _date_widgets(InburgeringDuty, DUTY_FIELDS)


class TermForm(VersionedForm):
    class Meta:
        model = InburgeringDuty
        fields = TERM_FIELDS
        widgets = _date_widgets(InburgeringDuty, TERM_FIELDS)


class ExtensionForm(FormTokenForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=ExtensionReason.choices)
    decided_on = forms.DateField(label=_("Decided by DUO on"), widget=DateInput())
    new_end_on = forms.DateField(label=_("New end of the term"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ExemptionForm(FormTokenForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExemptionKind.choices)
    outcome = forms.ChoiceField(
        label=_("DUO's decision"), choices=Outcome.choices, initial=Outcome.GRANTED
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=ExemptionReason.choices)
    starts_on = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("Temporary exemption only."),
    )
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("Temporary exemption only."),
    )


class ReleaseForm(FormTokenForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReleaseKind.choices)
    outcome = forms.ChoiceField(
        label=_("DUO's decision"), choices=Outcome.choices, initial=Outcome.GRANTED
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    ground = forms.ChoiceField(label=_("Ground"), choices=ReleaseGround.choices)
    exam_part = forms.ChoiceField(
        label=_("Exam part"),
        choices=[("", "–"), *ExamPart.choices],
        required=False,
        help_text=_("Partial release only."),
    )
    participation_hours_capacity = forms.IntegerField(
        label=_("Participation hours the client can manage (Z-route)"),
        required=False,
        min_value=0,
        max_value=9999,
        help_text=_("Partial release only: DUO's maximum within five years; 0 = none."),
    )


class CourseForm(VersionedForm):
    class Meta:
        model = Course
        fields = COURSE_FIELDS
        widgets = _date_widgets(Course, COURSE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
            self.fields["form_token"] = forms.UUIDField(
                widget=forms.HiddenInput, initial=uuid.uuid4
            )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in COURSE_FIELDS}


class MonthChoiceForm(forms.Form):
    """Which month's hours to show (GET)."""

    maand = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class MonthHoursForm(forms.ModelForm):
    """One course's hours in one month: a row of the month's table (prefix per course)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = CourseMonth
        fields = MONTH_FIELDS

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        for name in ("hours_attended", "hours_remote", "hours_participation", "hours_absent"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["absence_reason"].choices = [("", "–"), *AbsenceReason.choices]
        if course.course_type != "Z":
            del self.fields["hours_participation"]

    def _post_clean(self):
        pass

    def entry(self) -> dict:
        values = {name: self.cleaned_data.get(name) for name in MONTH_FIELDS}
        values["hours_participation"] = values["hours_participation"] or 0
        for name in ("hours_attended", "hours_remote", "hours_absent"):
            values[name] = values[name] or 0
        values["absence_reason"] = values["absence_reason"] or ""
        return {"course": self.course, "version": self.cleaned_data["version"], **values}


class MeetingForm(FormTokenForm):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Agreements and progress. No health details or other special data here."),
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(client=client).order_by("-starts_on")
        self.fields["held_on"].initial = timezone.localdate()


class YesNoSelect(forms.NullBooleanSelect):
    """Empty, yes or no: empty until the question applies."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "–"), ("true", _("Yes")), ("false", _("No"))]


class PvtForm(VersionedForm):
    blameworthy = forms.NullBooleanField(
        label=_("Blameworthy (verwijtbaar)"),
        required=False,
        widget=YesNoSelect(),
        help_text=_("Only when signed after the end of the term."),
    )

    class Meta:
        model = ParticipationStatement
        fields = PVT_FIELDS
        widgets = {
            "signed_on": DateInput(),
            "activities": forms.Textarea(attrs={"rows": 3}),
        }


class MapForm(VersionedForm):
    class Meta:
        model = LabourMarketModule
        fields = MAP_FIELDS
        widgets = {"final_meeting_on": DateInput()}

    def themes(self):
        return [self[name] for name, _label in MAP_THEMES]


class ExamForm(forms.Form):
    part = forms.ChoiceField(label=_("Exam part"), choices=ExamPart.choices)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", "–"), *ExamLevel.choices],
        required=False,
        help_text=_("Not for the KNM exam."),
    )
    result = forms.ChoiceField(label=_("Result"), choices=ExamResultKind.choices)
    no_result_reason = forms.ChoiceField(
        label=_("Reason for no result"),
        choices=[("", "–"), *NoResultReason.choices],
        required=False,
    )
    exam_on = forms.DateField(label=_("Exam date"), widget=DateInput())


class OntzorgenForm(VersionedForm):
    class Meta:
        model = Ontzorgen
        fields = ONTZORGEN_FIELDS
        widgets = _date_widgets(Ontzorgen, ONTZORGEN_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
            self.fields["form_token"] = forms.UUIDField(
                widget=forms.HiddenInput, initial=uuid.uuid4
            )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in ONTZORGEN_FIELDS}


class EnforcementForm(FormTokenForm):
    kind = forms.ChoiceField(label=_("Step"), choices=EnforcementKind.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(label=_("What the client did not cooperate with"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=0,
        help_text=_("Fine only."),
    )
    decision_reference = forms.CharField(
        label=_("Decision (reference)"),
        max_length=100,
        required=False,
        help_text=_("Fine only: the reference of the fine decision."),
    )
