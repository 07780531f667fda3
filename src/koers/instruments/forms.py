import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ItemKind
from .services import ScoreInput, field_name

# More levels than this are offered as a list to choose from instead of radio buttons.
MAX_RADIO_LEVELS = 6


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _choice_label(level, *, numbered: bool = True) -> str:
    """ "4 – Voldoende zelfredzaam", with the anchor text where a licence holder loaded it. A
    weighting factor's answers are words: their numbers mean nothing to the reader."""
    label = level.display_label
    plain = not numbered or label == str(level.value)
    text = label if plain else f"{level.value} – {label}"
    return f"{text}: {level.anchor}" if level.anchor else text


class MeasurementForm(forms.Form):
    """The guided form of one instrument version: every item with its levels (and anchor texts
    where loaded), a short note per item, the flag per item where the instrument has one, the
    weighting factors; for a correction its reason. A token per rendered form: a double submit
    records once."""

    measured_on = forms.DateField(label=_("Date of the measurement"), widget=DateInput())
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, version, items, initial_scores=None, correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.version, self.items = version, items
        self.fields["measured_on"].initial = timezone.localdate()
        flag_label = version.display_flag_label
        for item in items:
            levels = list(item.levels.all())
            if version.levels_descending and item.kind != ItemKind.FACTOR:
                levels.reverse()
            numbered = item.kind != ItemKind.FACTOR
            choices = [(level.value, _choice_label(level, numbered=numbered)) for level in levels]
            as_list = item.kind == ItemKind.FACTOR or len(levels) > MAX_RADIO_LEVELS
            required_message = _("Score %(item)s: every item of this instrument is required.") % {
                "item": item.display_name
            }
            self.fields[field_name("score", item)] = forms.TypedChoiceField(
                label=item.display_name,
                choices=([("", _("Choose…"))] if as_list else []) + choices,
                coerce=int,
                empty_value=None,
                required=item.required,
                widget=forms.Select if as_list else forms.RadioSelect,
                error_messages={"required": required_message},
            )
            if item.kind == ItemKind.FACTOR:
                continue
            self.fields[field_name("note", item)] = forms.CharField(
                label=_("Note on %(item)s") % {"item": item.display_name.lower()},
                max_length=300,
                required=False,
            )
            if flag_label and item.kind == ItemKind.SCORE:
                self.fields[field_name("flag", item)] = forms.BooleanField(
                    label=f"{flag_label}: {item.display_name.lower()}", required=False
                )
        if correcting:
            self.fields["correction_reason"] = forms.CharField(
                label=_("Reason for the correction"),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("The measurement you correct stays in the history, with this reason."),
                error_messages={"required": _("Say why the measurement is corrected.")},
            )
        for item in items:
            score = (initial_scores or {}).get(item.code)
            if score is None:
                continue
            self.fields[field_name("score", item)].initial = score.value
            if field_name("note", item) in self.fields:
                self.fields[field_name("note", item)].initial = score.note
            if field_name("flag", item) in self.fields:
                self.fields[field_name("flag", item)].initial = score.flag

    def _group(self, item) -> dict:
        return {
            "item": item,
            "score": self[field_name("score", item)],
            "note": self[field_name("note", item)]
            if field_name("note", item) in self.fields
            else None,
            "flag": self[field_name("flag", item)]
            if field_name("flag", item) in self.fields
            else None,
        }

    def item_groups(self) -> list[dict]:
        return [self._group(item) for item in self.items if item.kind != ItemKind.FACTOR]

    def factor_fields(self) -> list:
        return [
            self[field_name("score", item)] for item in self.items if item.kind == ItemKind.FACTOR
        ]

    def scores(self) -> dict[str, ScoreInput]:
        data = self.cleaned_data
        return {
            item.code: ScoreInput(
                value=data.get(field_name("score", item)),
                note=data.get(field_name("note", item)) or "",
                flag=bool(data.get(field_name("flag", item))),
            )
            for item in self.items
        }


class InstrumentSettingForm(forms.Form):
    municipality = forms.IntegerField()
    instrument = forms.SlugField()
    enabled = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")
