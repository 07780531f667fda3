import uuid

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    HEALTH_TOPICS,
    INBURGERING_TOPICS,
    INTENSITY_MAX,
    INTENSITY_MIN,
    TOPIC_GUIDANCE,
    IntakeStatus,
    IntakeTopic,
)
from .letters import LETTER_FIELDS
from .models import DecisionAppeal, Intake, LearnabilityTest, PipDecision, PipLetterTemplate
from .selectors import plan_versions_of
from .services import APPEAL_FIELDS, DECISION_FIELDS, INTAKE_FIELDS, LBT_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _ServiceValidated(forms.ModelForm):
    """The service validates the model against the rules and the row it writes; the form
    checks only the input. Edits carry the version they were loaded with; new rows a one-time
    token (a double submit creates one row)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["form_token"]
            if not self.is_bound:
                self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            if not self.is_bound:
                self.fields["form_token"].initial = uuid.uuid4()

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }


class TopicField(forms.CharField):
    """A topic of the intake: needed to complete the intake (so not marked optional), but a
    draft may leave it empty; the service checks completeness on completion."""

    def validate(self, value):
        pass


class DraftChoiceField(forms.TypedChoiceField):
    """A choice needed to complete the intake that a draft may leave empty."""

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


def topic_field(topic) -> str:
    return f"topic_{topic}"


# The intake's steps: each a fieldset of the long form.
INTAKE_STEPS = [
    (
        "dagelijks",
        _("Daily life and family"),
        [
            IntakeTopic.SELF_RELIANCE,
            IntakeTopic.FAMILY,
            IntakeTopic.SOCIAL_NETWORK,
            IntakeTopic.EARLY_EDUCATION,
        ],
    ),
    (
        "taal",
        _("Language and learning"),
        [IntakeTopic.LANGUAGE, IntakeTopic.LBT, IntakeTopic.EDUCATION_WORK],
    ),
    ("gezondheid", _("Health"), list(HEALTH_TOPICS)),
    ("perspectief", _("Work and participation"), [IntakeTopic.PROSPECTS]),
]


class IntakeForm(_ServiceValidated):
    """The brede intake on one page: a fieldset per step, a text per Divosa topic and the
    proposed route. The health topics are fields only for who may write HEALTH."""

    class Meta:
        model = Intake
        fields = list(INTAKE_FIELDS)
        widgets = {"started_on": DateInput(), "conclusion": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "proposed_level": _(
                "Only where DUO allows: no A2 in the education route or in a first PIP, no B1 "
                "in the Z-route."
            ),
        }

    # A draft may be saved half-filled: no browser "required" state (it shows every empty
    # topic as invalid); what completing needs is checked by the service.
    use_required_attribute = False

    def __init__(self, *args, answers=None, health_answers=None, health=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.health = health
        route = self.fields["proposed_route"]
        self.fields["proposed_route"] = DraftChoiceField(
            label=route.label,
            choices=route.choices,
            help_text=_("Needed to complete the intake; pre-fills the PIP decision."),
            initial=route.initial,
        )
        self.fields["started_on"].initial = timezone.localdate()
        topics = list(INBURGERING_TOPICS) + (list(HEALTH_TOPICS) if health else [])
        stored = {**(answers or {}), **(health_answers or {})}
        for topic in topics:
            self.fields[topic_field(topic)] = TopicField(
                label=IntakeTopic(topic).label,
                help_text=TOPIC_GUIDANCE[topic],
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=stored.get(topic, ""),
            )

    def answers(self) -> dict[str, str]:
        return {t: self.cleaned_data[topic_field(t)] for t in INBURGERING_TOPICS}

    def health_answers(self) -> dict[str, str] | None:
        if not self.health:
            return None
        return {t: self.cleaned_data[topic_field(t)] for t in HEALTH_TOPICS}


class LbtForm(_ServiceValidated):
    class Meta:
        model = LearnabilityTest
        fields = list(LBT_FIELDS)
        widgets = {
            "registered_on": DateInput(),
            "taken_on": DateInput(),
            "exempted_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "supervisor_name": _("Certified by Bureau ICE and registered at DUO."),
            "outcome": _("As DUO sends it: B1 route feasible, not feasible, or unknown."),
            "score": _("As DUO sends it, e.g. 30,00 (out of 40)."),
            "cut_off": _(
                "Leave empty for the cut-off that applied on the test date: 28 from 12 April "
                "2023, 31 before."
            ),
            "taken_on": _("The date of the result at DUO (datumAfname)."),
            "exemption": _(
                "From 2023 the municipality exempts people with a visual or auditory "
                "impairment from the test."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("score", "cut_off"):
            self.fields[name].localize = True
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields[name].widget.is_localized = True
        if not self.instance.pk and not self.is_bound:
            self.fields["registered_on"].initial = timezone.localdate()


class DecisionForm(_ServiceValidated):
    class Meta:
        model = PipDecision
        fields = list(DECISION_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("preconditions", "support", "pvt_content", "map_content", "monitoring")
        }
        help_texts = {
            "level": _(
                "DUO's level: no A2 in the education route, no B1 in the Z-route, and A2 in "
                "the B1 route only after afschalen."
            ),
            "estimated_intensity_hours": _(
                "DUO: the estimated hours for the B1 route (course and KNM), for asylum "
                "permit holders only."
            ),
            "education_target_level": _("Koers only: not sent to DUO."),
            "map_content": _("Not in the education route."),
            "preconditions": _("Such as childcare, transport, the timing of the course."),
        }

    def __init__(self, *args, client, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons
        if len(reasons) == 1:
            self.fields["reason"].initial = reasons[0][0]
        hours = self.fields["estimated_intensity_hours"]
        hours.widget.attrs.update({"min": INTENSITY_MIN, "max": INTENSITY_MAX})
        hours.validators += [MinValueValidator(INTENSITY_MIN), MaxValueValidator(INTENSITY_MAX)]
        intake = self.fields["intake"]
        intake.queryset = Intake.objects.filter(
            client=client, status=IntakeStatus.COMPLETED
        ).order_by("-completed_on", "-id")
        intake.label_from_instance = lambda i: (
            _("Brede intake completed on %(date)s") % {"date": i.completed_on.strftime("%d-%m-%Y")}
        )
        intake.empty_label = _("No intake")
        plan = self.fields["plan_version"]
        plan.queryset = plan_versions_of(client.household_id)
        plan.label_from_instance = lambda v: (
            _("Version %(number)s, established on %(date)s")
            % {
                "number": v.number,
                "date": v.established_on.strftime("%d-%m-%Y"),
            }
        )
        plan.empty_label = _("No plan yet")
        plan.help_text = _("The established household plan this PIP adopts.")


class FinaliseForm(forms.Form):
    dagtekening = forms.DateField(
        label=_("Date of the decision (dagtekening)"),
        widget=DateInput(),
        help_text=_("The date the decision is signed. DUO starts the term from the PIP."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dagtekening"].initial = timezone.localdate()


class StepDateForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.fields["on"].initial = timezone.localdate()


class AppealForm(_ServiceValidated):
    class Meta:
        model = DecisionAppeal
        fields = list(APPEAL_FIELDS)
        widgets = {
            "received_on": DateInput(),
            "decided_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An appeal is one per kind: the token is not needed, the unique constraint guards.
        self.fields.pop("form_token", None)


class LetterTemplateForm(_ServiceValidated):
    class Meta:
        model = PipLetterTemplate
        fields = list(LETTER_FIELDS)
        widgets = {
            "letterhead": forms.Textarea(attrs={"rows": 4}),
            "intro": forms.Textarea(attrs={"rows": 6}),
            "objection_clause": forms.Textarea(attrs={"rows": 6}),
            "contact_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("form_token", None)
