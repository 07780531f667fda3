from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .constants import (
    COUNTRIES,
    LANGUAGES,
    ApplicableLaw,
    ClientStatus,
    Gender,
    Literacy,
    Relation,
    Script,
    TargetGroup,
)
from .models import Client, ClientLanguage, Household, HouseholdMember


class BreakGlassForm(forms.Form):
    client_number = forms.IntegerField(
        label=_("Client number"),
        min_value=1,
        error_messages={"invalid": _("Enter the client number as digits.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=20,
        max_length=1000,
        help_text=_(
            "Why you need this dossier now. The privacy officer reads every reason. "
            "Do not write health or other special-category details here."
        ),
        error_messages={"min_length": _("Describe the reason in at least 20 characters.")},
    )


# --- registering a household -------------------------------------------------------------------

YEAR_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class HouseholdRegisterForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["name", "municipality", "area_team", "street", "house_number", "postcode", "city"]

    def __init__(self, *args, municipalities, area_teams, area_team_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = None
        self.fields["area_team"].queryset = area_teams
        self.fields["area_team"].required = area_team_required
        self.fields["name"].help_text = _("Usually the family name, e.g. Family Haddad.")

    def clean(self):
        cleaned = super().clean()
        municipality, team = cleaned.get("municipality"), cleaned.get("area_team")
        if municipality and team and team.municipality_id != municipality.pk:
            self.add_error("area_team", _("This area team belongs to another municipality."))
        return cleaned


class MemberForm(forms.Form):
    """One person in the household: a client with a dossier, or a member without one."""

    CLIENT, MEMBER = "client", "member"

    kind = forms.ChoiceField(
        label=_("Dossier"),
        choices=[
            (CLIENT, _("Client (gets a dossier)")),
            (MEMBER, _("Household member without a dossier (young child, family abroad)")),
        ],
        initial=CLIENT,
        widget=forms.RadioSelect,
    )
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        help_text=_("A person with a single name: write it here."),
        error_messages={"required": _("Fill in the family name (or the single name).")},
    )
    birth_day = forms.IntegerField(
        label=_("Day of birth"), min_value=1, max_value=31, required=False
    )
    birth_month = forms.IntegerField(
        label=_("Month of birth"), min_value=1, max_value=12, required=False
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), min_value=1900, max_value=2100, required=False
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    school_or_childcare = forms.CharField(
        label=_("School or childcare"), max_length=150, required=False
    )
    country_of_origin = forms.ChoiceField(
        label=_("Country of origin"), choices=[("", "–"), *COUNTRIES], required=False
    )
    language = forms.ChoiceField(
        label=_("Mother tongue"), choices=[("", "–"), *LANGUAGES], required=False
    )
    dialect = forms.CharField(label=_("Dialect"), max_length=100, required=False)
    script = forms.ChoiceField(
        label=_("Script"), choices=[("", "–"), *Script.choices], required=False
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    literacy = forms.ChoiceField(
        label=_("Literacy in own language"), choices=Literacy.choices, initial=Literacy.UNKNOWN
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter language"), choices=[("", "–"), *LANGUAGES], required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    bsn = forms.CharField(label=_("BSN"), max_length=12, required=False)
    v_number = forms.CharField(label=_("V-number"), max_length=10, required=False)
    applicable_law = forms.ChoiceField(
        label=_("Applicable law"), choices=[("", "–"), *ApplicableLaw.choices], required=False
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", "–"), *TargetGroup.choices], required=False
    )
    permit_date = forms.DateField(
        label=_("Residence permit date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    koppeling_date = forms.DateField(
        label=_("Date linked to the municipality"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    housing_date = forms.DateField(
        label=_("Housing date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    CLIENT_ONLY = (
        "gender",
        "country_of_origin",
        "language",
        "dialect",
        "script",
        "other_languages",
        "literacy",
        "interpreter_needed",
        "interpreter_language",
        "phone",
        "email",
        "bsn",
        "v_number",
        "applicable_law",
        "target_group",
        "permit_date",
        "koppeling_date",
        "housing_date",
    )
    IDENTITY_FIELDS = ("bsn", "v_number")

    def __init__(self, *args, identity_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not identity_allowed:
            for name in self.IDENTITY_FIELDS:
                del self.fields[name]

    @property
    def is_client(self) -> bool:
        return self.cleaned_data.get("kind") == self.CLIENT

    def clean_bsn(self):
        return "".join(ch for ch in self.cleaned_data["bsn"] if ch.isdigit()) or None

    def clean_v_number(self):
        return self.cleaned_data["v_number"].strip() or None

    def clean(self):
        cleaned = super().clean()
        year, month, day = (cleaned.get(f"birth_{p}") for p in ("year", "month", "day"))
        if month and not year:
            self.add_error("birth_year", _("A known month needs a known year."))
        if day and not month:
            self.add_error("birth_month", _("A known day needs a known month."))
        if cleaned.get("kind") == self.CLIENT:
            # The model's own rules (the BSN's eleven test, an existing date) next to the field.
            probe = Client(
                family_name=cleaned.get("family_name") or "-",
                birth_year=year,
                birth_month=month,
                birth_day=day,
                bsn=cleaned.get("bsn"),
            )
            try:
                probe.clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    if field in self.fields and field not in self.errors:
                        self.add_error(field, messages)
        else:
            for name in self.CLIENT_ONLY:
                if name in cleaned:
                    cleaned[name] = (
                        self.fields[name].to_python(None) if name != "other_languages" else []
                    )
            cleaned["bsn"] = cleaned["v_number"] = None
        return cleaned


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args, identity_allowed=True, **kwargs):
        self.identity_allowed = identity_allowed
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "identity_allowed": self.identity_allowed}

    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for form in self.forms:
            bsn = form.cleaned_data.get("bsn") if form.has_changed() else None
            if bsn and bsn in seen:
                form.add_error("bsn", _("This BSN is filled in twice in this household."))
            seen[bsn] = True
        if not any(form.has_changed() and form.is_client for form in self.forms):
            raise ValidationError(_("At least one member must be a client with a dossier."))

    def filled_forms(self):
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=0, min_num=1, validate_min=True, max_num=20
)


def form_values(form) -> dict:
    """What a bound form holds as initial values for an unbound copy (adding a row without JS)."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


class ConfirmDuplicatesForm(forms.Form):
    confirm_duplicates = forms.BooleanField(
        label=_("I checked the possible duplicates: this is a different person."), required=False
    )


# --- editing one section ---------------------------------------------------------------------


class VersionedForm(forms.ModelForm):
    """A section's fields plus the version the form was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        # The model is validated by the service against the row it will update.
        pass


def section_form_class(model, field_names):
    widgets = {
        name: forms.DateInput(attrs={"type": "date"})
        for name in ("permit_date", "koppeling_date", "housing_date", "status_date")
        if name in field_names
    }
    meta = type("Meta", (), {"model": model, "fields": list(field_names), "widgets": widgets})
    return type(f"{model.__name__}SectionForm", (VersionedForm,), {"Meta": meta})


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ClientStatus.choices)
    status_reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Give the reason for the status change.")},
    )
    status_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- the languages list and the household's members ------------------------------------------


class ClientLanguageForm(forms.ModelForm):
    class Meta:
        model = ClientLanguage
        fields = ["language", "dialect", "script", "is_mother_tongue"]

    def _post_clean(self):
        # The service checks the row (and the one-language-once rule) against the database.
        pass


class HouseholdMemberForm(forms.ModelForm):
    """A household member. The names and date of birth only for a member without a dossier, the
    family reunification only for who may write the ASYLUM section, the version only on edit."""

    birth_day = forms.IntegerField(
        label=_("Day of birth"), min_value=1, max_value=31, required=False
    )
    birth_month = forms.IntegerField(
        label=_("Month of birth"), min_value=1, max_value=12, required=False
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), min_value=1900, max_value=2100, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = HouseholdMember
        fields = [
            "given_names",
            "family_name",
            "birth_day",
            "birth_month",
            "birth_year",
            "relation",
            "school_or_childcare",
            "reunification_status",
        ]

    PERSON_FIELDS = ("given_names", "family_name", "birth_day", "birth_month", "birth_year")

    def __init__(self, *args, person=True, reunification=False, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person:
            self.fields["family_name"].required = True
            self.fields["family_name"].error_messages["required"] = _(
                "Fill in the family name (or the single name)."
            )
        else:
            for name in self.PERSON_FIELDS:
                del self.fields[name]
        if not reunification:
            del self.fields["reunification_status"]
        if version is None:
            del self.fields["version"]
        elif not self.is_bound:
            self.fields["version"].initial = version

    @property
    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}

    def _post_clean(self):
        pass
