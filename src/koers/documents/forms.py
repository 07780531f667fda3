from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import DocumentType


class DocumentUploadForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, JPEG, PNG or Word (DOCX), at most 10 MB. No copies of identity documents."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DocumentType.choices)
        self.fields["type"].choices = [("", "---------")] + [(t, labels[t]) for t in types]
