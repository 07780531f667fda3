import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.organisations.models import Municipality

from .constants import TaskStatus
from .models import ChecklistTemplate, TemplateTask
from .services import TEMPLATE_TASK_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- a household's checklist -------------------------------------------------------------------


class StartForm(forms.Form):
    housing_date = forms.DateField(
        label=_("Housing date"),
        widget=DateInput(),
        help_text=_("The due dates of the tasks count from this date."),
    )


class TaskForm(forms.Form):
    """A task's status and done date; with `manage`, also its owner and due date."""

    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DateInput(),
        help_text=_("For a done or not applicable task; today when left empty."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, task, manage: bool, involvements=(), organisations=(), **kwargs):
        initial = {
            "status": task.status,
            "done_on": task.done_on,
            "version": task.version,
        }
        self.manage = manage
        if manage:
            initial["due_on"] = task.due_on
            initial["owner"] = _owner_value(task)
        super().__init__(*args, initial=initial, **kwargs)
        if manage:
            self.fields["owner"] = forms.ChoiceField(
                label=_("Owner"),
                required=False,
                choices=_owner_choices(task, involvements, organisations),
                help_text=_("Someone in the household's network, or an organisation."),
            )
            self.fields["due_on"] = forms.DateField(label=_("Due date"), widget=DateInput())
            # The version last, after the visible fields.
            self.fields["version"] = self.fields.pop("version")
        self._involvements = {str(i.pk): i for i in involvements}
        self._organisations = {str(o.pk): o for o in organisations}
        if task.owner_involvement_id:
            self._involvements.setdefault(str(task.owner_involvement_id), task.owner_involvement)
        if task.owner_organisation_id:
            self._organisations.setdefault(str(task.owner_organisation_id), task.owner_organisation)

    def clean_done_on(self):
        value = self.cleaned_data.get("done_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The done date cannot be in the future."))
        return value

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {"status": data["status"], "done_on": data.get("done_on")}
        if self.manage:
            changes["due_on"] = data["due_on"]
            kind, _sep, pk = (data.get("owner") or "").partition(":")
            changes["owner_involvement"] = self._involvements.get(pk) if kind == "inv" else None
            changes["owner_organisation"] = self._organisations.get(pk) if kind == "org" else None
        return changes


def _owner_value(task) -> str:
    if task.owner_involvement_id:
        return f"inv:{task.owner_involvement_id}"
    if task.owner_organisation_id:
        return f"org:{task.owner_organisation_id}"
    return ""


def _involvement_label(involvement) -> str:
    person = involvement.membership.user.display_name if involvement.membership_id else ""
    person = person or involvement.person_name
    label = f"{involvement.get_role_display()}: {involvement.organisation.name}"
    return f"{label} ({person})" if person else label


def _owner_choices(task, involvements, organisations) -> list:
    people = [(f"inv:{i.pk}", _involvement_label(i)) for i in involvements]
    orgs = [(f"org:{o.pk}", o.name) for o in organisations]
    # An owner who has left the network stays selectable for this task.
    current = _owner_value(task)
    if current.startswith("inv:") and current not in dict(people):
        people.append((current, _involvement_label(task.owner_involvement)))
    if current.startswith("org:") and current not in dict(orgs):
        orgs.append((current, task.owner_organisation.name))
    choices = [("", _("Nobody yet"))]
    if people:
        choices.append((_("In the network"), people))
    if orgs:
        choices.append((_("Organisation"), orgs))
    return choices


# --- templates (the functional administrator) --------------------------------------------------


class TemplateCreateForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        help_text=_("Municipalities without a template of their own use the default."),
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    copy_default = forms.BooleanField(
        label=_("Start with the tasks of the default template"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            checklist_template__isnull=True
        ).order_by("name")


class TemplateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ChecklistTemplate
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        pass


class TemplateTaskForm(forms.ModelForm):
    """A new task carries a one-time token (a double submit adds it once); an edit carries the
    version it was loaded with."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TemplateTask
        fields = TEMPLATE_TASK_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
            self.fields["token"].initial = uuid.uuid4().hex
        else:
            del self.fields["token"]
            self.fields["version"].required = True
            if not self.is_bound:
                self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in TEMPLATE_TASK_FIELDS}
