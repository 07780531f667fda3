"""The PIP letter: the municipality's template texts (or the shipped default) and the PDF.

The letter is a legal document for the client and is always written in Dutch, whatever
language the user reads Koers in. An adopted decision keeps the texts of the template as they
were on adoption (PipDecision.letter); a draft uses the template as it is now.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import PipDecision, PipLetterTemplate

LETTER_FIELDS = (
    "letterhead",
    "intro",
    "signatory_name",
    "signatory_title",
    "objection_clause",
    "contact_text",
)


def default_letter_texts(municipality) -> dict[str, str]:
    """The shipped default: a plain letter a municipality can use as it is and adapt."""
    name = municipality.name
    with translation.override("nl"):
        return {
            "letterhead": _("Municipality of %(name)s\nInburgering team") % {"name": name},
            "intro": _(
                "Dear Sir or Madam,\n\nYou must integrate (inburgeren) under the Civic "
                "Integration Act 2021 (Wet inburgering 2021). In the brede intake we talked "
                "about your situation, your wishes and your possibilities. In this letter you "
                "read our decision on your Personal Plan for Integration and Participation "
                "(PIP): the learning route you will follow and the support the municipality "
                "gives you."
            ),
            "signatory_name": _("The Mayor and Aldermen of %(name)s") % {"name": name},
            "signatory_title": _("on their behalf, the inburgering team"),
            "objection_clause": _(
                "Do you disagree with this decision? Then you can object (bezwaar maken) "
                "within six weeks after the day this decision was sent or handed to you. Send "
                "your letter of objection to the Mayor and Aldermen of %(name)s. Write in it "
                "your name and address, the date, which decision you object to and why, and "
                "sign it. If the matter is urgent, you can also ask the preliminary relief "
                "judge of the court for a provisional measure (voorlopige voorziening)."
            )
            % {"name": name},
            "contact_text": _(
                "Do you have questions about this letter? Contact your regisseur at the "
                "municipality."
            ),
        }


def letter_texts_for(municipality) -> dict[str, str]:
    """The municipality's template texts, or the default when it has none."""
    template = PipLetterTemplate.objects.filter(municipality=municipality).first()
    if template is None:
        return default_letter_texts(municipality)
    return {name: getattr(template, name) for name in LETTER_FIELDS}


def decision_letter_texts(decision: PipDecision) -> dict[str, str]:
    if decision.is_final and decision.letter:
        return {name: decision.letter.get(name, "") for name in LETTER_FIELDS}
    return letter_texts_for(decision.municipality)


def decision_letter_html(decision: PipDecision, *, address: dict | None) -> str:
    """The HTML the PDF is made from. `address` only when the reader may see the CONTACT
    section (otherwise the letter carries the name only)."""
    with translation.override("nl"):
        return render_to_string(
            "pip/letter.html",
            {
                "decision": decision,
                "client": decision.client,
                "texts": decision_letter_texts(decision),
                "address": address,
                "superseded": decision.supersedes,
            },
        )


def decision_letter_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
