from django import forms
from django.utils.translation import gettext_lazy as _


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
