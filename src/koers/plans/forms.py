import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.models import HouseholdMember

from .constants import (
    TARGET_SCORES,
    ActionStatus,
    GoalStatus,
    LifeDomain,
    Priority,
    ReviewOutcome,
)
from .permissions import goal_writable
from .selectors import SHOW_CLOSED, SHOW_OPEN

FIRST_REVIEW_DAYS = 91  # about three months: a common rhythm for reviewing a plan
SCORE_LABELS = {
    1: _("1 – acute problems"),
    2: _("2 – not self-reliant"),
    3: _("3 – limited self-reliance"),
    4: _("4 – sufficiently self-reliant"),
    5: _("5 – fully self-reliant"),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class TokenField(forms.UUIDField):
    """A hidden token per form: a second submit of the same form does nothing twice."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(initial=uuid.uuid4, **kwargs)


class HelpQuestionForm(forms.Form):
    help_question = forms.CharField(
        label=_("Help question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "In the client's own words: what do they want help with? Do not write health "
            "details here."
        ),
        error_messages={"required": _("Write down the help question.")},
    )


class HelpQuestionEditForm(HelpQuestionForm):
    version = VersionField()


class EstablishForm(forms.Form):
    established_on = forms.DateField(
        label=_("Established on"),
        widget=DateInput,
        initial=timezone.localdate,
        help_text=_("The day the plan was agreed with the client."),
    )
    review_due_on = forms.DateField(
        label=_("Review no later than"),
        widget=DateInput,
        initial=lambda: timezone.localdate() + timedelta(days=FIRST_REVIEW_DAYS),
    )
    version = VersionField()


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("Date of the review"), widget=DateInput, initial=timezone.localdate
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What came out of the review"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write health details here."),
    )
    next_review_on = forms.DateField(
        label=_("Next review no later than"),
        widget=DateInput,
        required=False,
        help_text=_("Needed when the plan continues."),
    )
    version = VersionField()
    form_token = TokenField()

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ReviewOutcome.CONTINUE and not data.get("next_review_on"):
            self.add_error("next_review_on", _("Set the date of the next review."))
        return data


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class GoalForm(forms.Form):
    """A goal. `content` False (an established plan): only its status can change."""

    life_domain = forms.ChoiceField(label=_("Life domain"))
    description = forms.CharField(
        label=_("Goal"),
        max_length=300,
        help_text=_("What the client wants to reach, in plain words."),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.MEDIUM,
        widget=forms.RadioSelect,
    )
    target_score = forms.TypedChoiceField(
        label=_("Target score"),
        choices=[(score, SCORE_LABELS[score]) for score, _label in TARGET_SCORES],
        coerce=int,
        help_text=_("The self-reliance to reach in this life domain (as in the ZRM)."),
    )
    members = MemberChoiceField(
        label=_("Concerns"),
        queryset=HouseholdMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the goal is the whole household's."),
    )

    def __init__(self, *args, household, access, content=True, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["life_domain"].choices = [
            (value, label)
            for value, label in LifeDomain.choices
            if goal_writable(access, value) or (goal is not None and value == goal.life_domain)
        ]
        self.fields["members"].queryset = (
            HouseholdMember.objects.filter(household=household)
            .select_related("client")
            .order_by("id")
        )
        if goal is not None:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), choices=GoalStatus.choices, widget=forms.RadioSelect
            )
            self.fields["version"] = VersionField()
        else:
            self.fields["form_token"] = TokenField()
        if not content:
            for name in ("life_domain", "description", "priority", "target_score", "members"):
                self.fields[name].disabled = True


class ActionForm(forms.Form):
    """A task. `content` False (an established plan): only the dates and status can change."""

    description = forms.CharField(
        label=_("What is to be done"),
        max_length=300,
        help_text=_(
            "What is to be done, readable for whoever does it. A volunteer sees this text "
            "without the goal."
        ),
    )
    owner = forms.ChoiceField(label=_("Who does it"))
    due_on = forms.DateField(label=_("Due date"), widget=DateInput, required=False)
    review_on = forms.DateField(
        label=_("Review date"),
        widget=DateInput,
        required=False,
        help_text=_("When to check how the action is going."),
    )

    def __init__(self, *args, owners, content=True, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Choose…")), *owners]
        if action is not None:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), choices=ActionStatus.choices, widget=forms.RadioSelect
            )
            self.fields["version"] = VersionField()
        else:
            self.fields["form_token"] = TokenField()
        if not content:
            self.fields["description"].disabled = True
            self.fields["owner"].disabled = True


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Short note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what was arranged. No health details."),
    )
    version = VersionField()


class PlanVersionForm(forms.Form):
    """The plan's version a button was shown with (start a revision)."""

    version = VersionField()


class MyActionsForm(forms.Form):
    """Which of "Mijn acties" to show (`?toon=gesloten` for the closed ones) and which page
    (`?pagina=2`). A value that does not parse falls back to the first page of open actions."""

    toon = forms.ChoiceField(
        choices=[(SHOW_OPEN, _("Open actions")), (SHOW_CLOSED, _("Closed actions"))],
        required=False,
    )
    pagina = forms.IntegerField(min_value=1, required=False)

    def choice(self) -> tuple[str, int]:
        """(show, page)."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("toon") or SHOW_OPEN, data.get("pagina") or 1
