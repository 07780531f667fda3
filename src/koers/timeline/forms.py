import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.clients.models import Client

from .constants import Confidentiality, ContactKind, ContactStatus
from .models import ContactMoment, Note, WalkInSession
from .selectors import NOTE_FILTER

SPECIAL_CATEGORY_WARNING = _(
    "Do not write special categories of personal data here: health, religion, ethnicity or "
    "criminal records. Record only what the network needs to know."
)
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class FormTokenMixin(forms.Form):
    """A token per rendered form: a double submit creates nothing twice."""

    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def _confidentiality_choices(levels):
    return [(value, label) for value, label in Confidentiality.choices if value in levels]


def _default_level(levels):
    if Confidentiality.OWN_ORGANISATION in levels:
        return Confidentiality.OWN_ORGANISATION
    return levels[0] if levels else None


class ContactMomentForm(FormTokenMixin, forms.ModelForm):
    clients = forms.ModelMultipleChoiceField(
        label=_("Household members present"),
        queryset=Client.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ContactMoment
        fields = [
            "starts_at",
            "kind",
            "status",
            "clients",
            "others_present",
            "with_interpreter",
            "interpreter_language",
            "summary",
            "confidentiality",
            "walk_in_session",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "confidentiality": forms.RadioSelect,
        }
        help_texts = {
            "status": _("A planned contact moment is an appointment."),
            "others_present": _("For example: the landlord, a teacher, the GP's assistant."),
            "summary": SPECIAL_CATEGORY_WARNING,
        }

    def __init__(self, *args, members, levels, walk_ins, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = members
        self.fields["clients"].label_from_instance = lambda c: c.full_name
        self.fields["confidentiality"].choices = _confidentiality_choices(levels)
        if not self.instance.pk:
            self.fields["confidentiality"].initial = _default_level(levels)
            self.fields["starts_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["walk_in_session"].queryset = walk_ins
        self.fields["walk_in_session"].required = False
        self.fields["interpreter_language"].label = _("Language of the interpreter")
        if self.instance.pk:
            del self.fields["form_token"]

    def clean(self):
        data = super().clean()
        if data.get("with_interpreter") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Choose the language the interpreter used."))
        if not data.get("with_interpreter"):
            data["interpreter_language"] = ""
        starts_at, status = data.get("starts_at"), data.get("status")
        missed_or_held = status in (ContactStatus.HELD, ContactStatus.NO_SHOW)
        if starts_at and missed_or_held and starts_at > timezone.now() + timedelta(minutes=5):
            self.add_error(
                "starts_at",
                _(
                    "A contact that was held or missed cannot lie in the future. "
                    'Choose "Planned" for an appointment.'
                ),
            )
        session = data.get("walk_in_session")
        if session and data.get("kind") != ContactKind.WALK_IN:
            self.add_error("kind", _('A contact at walk-in hours has the kind "Walk-in hours".'))
        return data


class NoteForm(FormTokenMixin, forms.ModelForm):
    class Meta:
        model = Note
        fields = ["client", "text", "confidentiality"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "confidentiality": forms.RadioSelect,
        }
        help_texts = {"text": SPECIAL_CATEGORY_WARNING}
        labels = {"text": _("Text of the note"), "client": _("About")}

    def __init__(self, *args, members, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = members
        self.fields["client"].label_from_instance = lambda c: c.full_name
        self.fields["client"].empty_label = _("The whole household")
        self.fields["confidentiality"].choices = _confidentiality_choices(levels)
        self.fields["confidentiality"].initial = _default_level(levels)


class TimelineFilterForm(forms.Form):
    soort = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=[*ContactKind.choices, (NOTE_FILTER, _("Notes"))],
        widget=forms.CheckboxSelectMultiple,
    )
    organisatie = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    auteur = forms.TypedChoiceField(label=_("Author"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, authors, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["organisatie"].choices = everyone + list(organisations)
        self.fields["auteur"].choices = everyone + list(authors)


class WalkInSessionForm(forms.ModelForm):
    class Meta:
        model = WalkInSession
        fields = ["municipality", "location", "starts_at", "ends_at", "present"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "present": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipalities, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["present"].queryset = members
        self.fields["present"].label_from_instance = lambda m: (
            f"{m.user.display_name} – {m.organisation.name}"
        )
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        municipality = data.get("municipality")
        present = data.get("present")
        if municipality and present:
            from .selectors import network_members_for

            allowed = set(network_members_for([municipality.pk]).values_list("pk", flat=True))
            if any(m.pk not in allowed for m in present):
                self.add_error(
                    "present",
                    _("Choose only people of organisations working in this municipality."),
                )
        return data

    def _post_clean(self):
        # The organisation is set by the service; validate the rest there.
        pass


class WalkInVisitForm(forms.Form):
    token = forms.CharField(
        max_length=36, widget=forms.HiddenInput, initial=lambda: str(uuid.uuid4())
    )
