from django.forms.renderers import TemplatesSetting


class KoersFormRenderer(TemplatesSetting):
    """Forms render as NL Design System form fields: label, description, error next to the field."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
