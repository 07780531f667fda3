import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.accounts.tests.factories import MembershipFactory
from koers.audit.constants import Action
from koers.audit.models import AuditEvent
from koers.clients.constants import Section
from koers.clients.tests.factories import ClientFactory
from koers.inburgering.constants import LearningRoute, LiteracyIndicator, PipLevel
from koers.pip.constants import (
    INBURGERING_TOPICS,
    DecisionReason,
    DecisionStatus,
    IntakeStatus,
    IntakeTopic,
)
from koers.pip.letters import decision_letter_html
from koers.pip.models import (
    Intake,
    IntakeHealthAnswer,
    LearnabilityTest,
    PipDecision,
    PipLetterTemplate,
)
from koers.profiles.tests.factories import assigned_volunteer

from .factories import (
    AppealFactory,
    DecisionFactory,
    DutyFactory,
    IntakeFactory,
    LbtFactory,
    client_of,
    established_plan_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regisseur():
    return MembershipFactory(regisseur=True)


@pytest.fixture
def client_(regisseur):
    client = client_of(regisseur, given_names="Amal", family_name="Haddad")
    DutyFactory(client=client)
    return client


def _urls(client, decision):
    pk = client.pk
    return [
        reverse("pip:client", args=[pk]),
        reverse("pip:intake_new", args=[pk]),
        reverse("pip:lbt_new", args=[pk]),
        reverse("pip:decision_new", args=[pk]),
        reverse("pip:decision", args=[pk, decision.pk]),
        reverse("pip:letter", args=[pk, decision.pk]),
    ]


def test_regisseur_sees_the_overview_and_the_read_is_audited(signed_in, regisseur, client_):
    IntakeFactory(client=client_, completed=True)
    LbtFactory(client=client_, feasible=True)
    DecisionFactory(client=client_, final=True)
    response = signed_in(regisseur).get(reverse("pip:client", args=[client_.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Amal Haddad" in page
    assert response.context["decision_in_force"] is not None
    row = AuditEvent.objects.get(client_id=client_.pk, action=Action.VIEW)
    assert row.sections == Section.BASIS | Section.INBURGERING
    assert row.detail == "pip:overview"


def test_a_client_outside_the_scope_gives_404_everywhere(signed_in, regisseur):
    elsewhere = ClientFactory()
    decision = DecisionFactory(client=elsewhere)
    browser = signed_in(regisseur)
    for url in _urls(elsewhere, decision):
        assert browser.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(client_id=elsewhere.pk).exists()


def test_volunteer_gets_404_on_the_pip_pages(signed_in, client_):
    volunteer = assigned_volunteer(client_)
    decision = DecisionFactory(client=client_)
    browser = signed_in(volunteer)
    for url in _urls(client_, decision):
        assert browser.get(url).status_code == 404, url


def test_klantmanager_without_health_never_sees_the_health_answers(signed_in, regisseur, client_):
    klantmanager = MembershipFactory(klantmanager=True, organisation=regisseur.organisation)
    intake = IntakeFactory(client=client_)
    IntakeHealthAnswer.objects.create(
        intake=intake, topic=IntakeTopic.MENTAL_HEALTH, answer="Geheime gezondheidstekst"
    )
    browser = signed_in(klantmanager)
    url = reverse("pip:intake", args=[client_.pk, intake.pk])
    response = browser.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Geheime gezondheidstekst" not in page
    assert 'data-testid="step-gezondheid"' not in page
    assert "topic_psychische_gezondheid" not in response.context["form"].fields
    row = AuditEvent.objects.get(client_id=client_.pk, action=Action.VIEW)
    assert not row.sections & Section.HEALTH
    # A save by the klantmanager leaves the health answers alone.
    data = {"version": intake.version, "started_on": "2025-02-03", "save": "1"}
    data["topic_gezin"] = "Gezin met twee kinderen"
    assert browser.post(url, data).status_code == 302
    assert IntakeHealthAnswer.objects.get().answer == "Geheime gezondheidstekst"


def test_regisseur_sees_and_writes_the_health_answers(signed_in, regisseur, client_):
    intake = IntakeFactory(client=client_)
    IntakeHealthAnswer.objects.create(
        intake=intake, topic=IntakeTopic.MENTAL_HEALTH, answer="Slaapt slecht"
    )
    browser = signed_in(regisseur)
    response = browser.get(reverse("pip:intake", args=[client_.pk, intake.pk]))
    assert "Slaapt slecht" in response.content.decode()
    row = AuditEvent.objects.get(client_id=client_.pk, action=Action.VIEW)
    assert row.sections & Section.HEALTH


def _intake_post(**extra):
    data = {
        "started_on": "2025-02-03",
        "proposed_route": "B",
        "proposed_level": "B1",
        "proposed_literacy": "NVT",
        "dutch_level_estimate": "A1",
        "conclusion": "B1-route haalbaar",
        "topic_lichamelijke_gezondheid": "Gezond",
        "topic_psychische_gezondheid": "Stabiel",
    }
    for topic in INBURGERING_TOPICS:
        data[f"topic_{topic}"] = f"Antwoord {topic}"
    data.update(extra)
    return data


def test_regisseur_starts_saves_and_completes_an_intake(signed_in, regisseur, client_):
    browser = signed_in(regisseur)
    response = browser.get(reverse("pip:intake_new", args=[client_.pk]))
    token = response.context["form"]["form_token"].initial
    data = _intake_post(form_token=token, save="1")
    response = browser.post(reverse("pip:intake_new", args=[client_.pk]), data)
    assert response.status_code == 302
    # The same form again: nothing twice.
    browser.post(reverse("pip:intake_new", args=[client_.pk]), data)
    intake = Intake.objects.get()
    assert IntakeHealthAnswer.objects.filter(intake=intake).count() == 2
    url = reverse("pip:intake", args=[client_.pk, intake.pk])
    response = browser.post(url, _intake_post(version=intake.version, complete="1"))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.COMPLETED
    # A completed intake is shown read only, and a POST changes nothing.
    response = browser.get(url)
    assert response.templates[0].name == "pip/intake_detail.html"
    response = browser.post(url, _intake_post(version=intake.version, complete="1"))
    assert response.status_code == 302  # a double submit of "complete" lands on the overview
    assert Intake.objects.get().version == intake.version


def test_intake_incomplete_shows_the_errors_next_to_the_topics(signed_in, regisseur, client_):
    intake = IntakeFactory(client=client_)
    url = reverse("pip:intake", args=[client_.pk, intake.pk])
    data = _intake_post(version=intake.version, complete="1", topic_gezin="", proposed_route="")
    response = signed_in(regisseur).post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "topic_gezin" in errors
    assert "proposed_route" in errors
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CONCEPT


def test_stale_intake_save_shows_both_values_409(signed_in, regisseur, client_):
    intake = IntakeFactory(client=client_, conclusion="Eerste versie")
    url = reverse("pip:intake", args=[client_.pk, intake.pk])
    browser = signed_in(regisseur)
    browser.post(url, _intake_post(version=intake.version, conclusion="Collega"))
    response = browser.post(url, _intake_post(version=intake.version, conclusion="Ik"))
    assert response.status_code == 409
    labels = [row["label"] for row in response.context["rows"]]
    assert any("onclusion" in str(label) or "onclusie" in str(label) for label in labels)
    intake.refresh_from_db()
    assert intake.conclusion == "Collega"


def test_lbt_registration_then_result(signed_in, regisseur, client_):
    browser = signed_in(regisseur)
    response = browser.get(reverse("pip:lbt_new", args=[client_.pk]))
    token = response.context["form"]["form_token"].initial
    response = browser.post(
        reverse("pip:lbt_new", args=[client_.pk]),
        {"registered_on": "2025-02-01", "supervisor_name": "T. Jansen", "form_token": token},
    )
    assert response.status_code == 302
    test = LearnabilityTest.objects.get()
    response = browser.post(
        reverse("pip:lbt", args=[client_.pk, test.pk]),
        {
            "registered_on": "2025-02-01",
            "supervisor_name": "T. Jansen",
            "outcome": "haalbaar",
            "score": "30,50",
            "taken_on": "2025-02-05",
            "version": test.version,
        },
    )
    assert response.status_code == 302
    test.refresh_from_db()
    assert str(test.score) == "30.50"
    assert str(test.cut_off) == "28.00"


def test_new_decision_is_prefilled_from_the_completed_intake(signed_in, regisseur, client_):
    intake = IntakeFactory(
        client=client_,
        completed=True,
        proposed_route=LearningRoute.Z,
        proposed_level="",
        proposed_literacy=LiteracyIndicator.ILLITERATE,
    )
    response = signed_in(regisseur).get(reverse("pip:decision_new", args=[client_.pk]))
    form = response.context["form"]
    assert form.initial["learning_route"] == LearningRoute.Z
    assert form.initial["literacy"] == LiteracyIndicator.ILLITERATE
    assert form.initial["intake"] == intake.pk
    assert form.initial["plan_version"] is None
    version = established_plan_version(client_.household, regisseur)
    response = signed_in(regisseur).get(reverse("pip:decision_new", args=[client_.pk]))
    assert response.context["form"].initial["plan_version"] == version.pk
    assert [value for value, _ in form.fields["reason"].choices] == ["eerste", "verhuizing"]


def test_decision_rule_error_shows_next_to_the_field(signed_in, regisseur, client_):
    browser = signed_in(regisseur)
    response = browser.get(reverse("pip:decision_new", args=[client_.pk]))
    token = response.context["form"]["form_token"].initial
    response = browser.post(
        reverse("pip:decision_new", args=[client_.pk]),
        {"reason": "eerste", "learning_route": "O", "level": "A2", "form_token": token},
    )
    assert response.status_code == 200
    assert "level" in response.context["form"].errors
    assert not PipDecision.objects.exists()


def test_decision_created_adopted_handed_out_and_objected(signed_in, regisseur, client_):
    browser = signed_in(regisseur)
    response = browser.get(reverse("pip:decision_new", args=[client_.pk]))
    token = response.context["form"]["form_token"].initial
    response = browser.post(
        reverse("pip:decision_new", args=[client_.pk]),
        {
            "reason": "eerste",
            "learning_route": "B",
            "level": "B1",
            "estimated_intensity_hours": "1200",
            "literacy": "NVT",
            "support": "Maandelijks voortgangsgesprek",
            "form_token": token,
        },
    )
    decision = PipDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pip:decision", args=[client_.pk, decision.pk])
    adopt = reverse("pip:decision_adopt", args=[client_.pk, decision.pk])
    response = browser.post(adopt, {"dagtekening": "2025-01-01", "version": decision.version})
    assert "dagtekening" in response.context["form"].errors  # before the duty start
    browser.post(adopt, {"dagtekening": "2025-03-01", "version": decision.version})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL
    # An adopted decision has no edit page any more.
    response = browser.get(reverse("pip:decision_edit", args=[client_.pk, decision.pk]))
    assert response.status_code == 302
    step = reverse("pip:decision_step", args=[client_.pk, decision.pk, "uitgereikt"])
    browser.post(step, {"on": "2025-03-03", "version": decision.version})
    decision.refresh_from_db()
    assert (decision.status, decision.handed_out_on) == (
        DecisionStatus.HANDED_OUT,
        datetime.date(2025, 3, 3),
    )
    response = browser.post(
        reverse("pip:appeal", args=[client_.pk, decision.pk, "bezwaar"]),
        {"received_on": "2025-04-01"},
    )
    assert response.status_code == 302
    response = browser.post(
        reverse("pip:appeal", args=[client_.pk, decision.pk, "bezwaar"]),
        {"received_on": "2025-04-01"},
    )
    assert response.status_code == 302  # the same form twice: one objection
    assert decision.appeals.get().received_on == datetime.date(2025, 4, 1)
    page = browser.get(reverse("pip:decision", args=[client_.pk, decision.pk])).content.decode()
    assert "Maandelijks voortgangsgesprek" in page


def test_a_partner_regisseur_prepares_but_does_not_adopt(signed_in, client_):
    from koers.clients.tests.factories import InvolvementFactory
    from koers.organisations.constants import LegalBasisKind
    from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory

    partner = OrganisationFactory(partner=True)
    LegalBasisFactory(
        organisation=partner, municipality=client_.municipality, kind=LegalBasisKind.PROCESSOR
    )
    InvolvementFactory(household=client_.household, organisation=partner)
    casusregisseur = MembershipFactory(regisseur=True, organisation=partner)
    decision = DecisionFactory(client=client_)
    browser = signed_in(casusregisseur)
    page = browser.get(reverse("pip:decision", args=[client_.pk, decision.pk]))
    assert page.status_code == 200
    assert page.context["can_adopt"] is False
    adopt = reverse("pip:decision_adopt", args=[client_.pk, decision.pk])
    assert browser.get(adopt).status_code == 404
    assert browser.post(adopt, {"dagtekening": "2025-03-01", "version": 1}).status_code == 404


def test_letter_is_a_pdf_and_audited_as_an_export(signed_in, regisseur, client_):
    decision = DecisionFactory(client=client_, final=True, support="Taalcoach")
    response = signed_in(regisseur).get(reverse("pip:letter", args=[client_.pk, decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    row = AuditEvent.objects.get(client_id=client_.pk, action=Action.EXPORT)
    assert row.sections == Section.BASIS | Section.INBURGERING | Section.CONTACT
    assert row.detail == f"pip:letter:{decision.pk}"


def test_letter_html_has_the_name_the_decision_and_the_objection_clause(client_):
    client_.household.street, client_.household.city = "Dorpsstraat", "Ons Dorp"
    decision = DecisionFactory(
        client=client_,
        final=True,
        level=PipLevel.B1,
        estimated_intensity_hours=1200,
        pvt_content="12 uur PVT bij VluchtelingenWerk",
        letter={},
    )
    html = decision_letter_html(decision, address={"street": "Dorpsstraat 1", "place": "Dorp"})
    assert "Amal Haddad" in html
    assert "Dorpsstraat 1" in html
    assert "12 uur PVT bij VluchtelingenWerk" in html
    assert "binnen zes weken" in html
    assert "B1-route" in html
    assert "CONCEPT" not in html
    assert "CONCEPT" in decision_letter_html(DecisionFactory(client=ClientFactory()), address=None)


def test_letter_uses_the_municipality_template(client_):
    PipLetterTemplate.objects.create(
        municipality=client_.municipality,
        letterhead="Gemeente Voorbeeld\nPostbus 1",
        intro="Geachte heer, mevrouw,",
        signatory_name="J. de Wethouder",
        signatory_title="wethouder inburgering",
        objection_clause="U kunt binnen zes weken bezwaar maken bij het college.",
    )
    html = decision_letter_html(DecisionFactory(client=client_), address=None)
    assert "J. de Wethouder" in html
    assert "Postbus 1" in html


def test_overview_runs_the_same_queries_for_one_and_many_decisions(signed_in, regisseur, client_):
    browser = signed_in(regisseur)
    counts = []
    for extra in (1, 6):
        PipDecision.objects.all().delete()
        Intake.objects.all().delete()
        LearnabilityTest.objects.all().delete()
        previous = None
        for number in range(extra):
            previous = DecisionFactory(
                client=client_,
                final=True,
                supersedes=previous,
                dagtekening=datetime.date(2025, 3, 1) + datetime.timedelta(days=number),
            )
            AppealFactory(decision=previous)
            IntakeFactory(client=client_, completed=True)
            LbtFactory(client=client_, feasible=True)
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("pip:client", args=[client_.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_functional_admin_edits_the_letter_template(signed_in, regisseur, client_):
    admin = MembershipFactory(functional_admin=True, organisation=regisseur.organisation)
    browser = signed_in(admin)
    assert browser.get(reverse("pip:letter_templates")).status_code == 200
    url = reverse("pip:letter_template_edit", args=[client_.municipality.pk])
    response = browser.get(url)
    assert "zes weken" in response.context["form"].initial["objection_clause"]
    data = dict(response.context["form"].initial)
    data["signatory_name"] = "M. Burgemeester"
    assert browser.post(url, data).status_code == 302
    template = PipLetterTemplate.objects.get()
    assert template.signatory_name == "M. Burgemeester"
    data["signatory_name"] = "Later"
    data["version"] = template.version
    assert browser.post(url, data).status_code == 302
    assert PipLetterTemplate.objects.get().signatory_name == "Later"
    assert signed_in(regisseur).get(url).status_code == 403
    other = MembershipFactory(functional_admin=True)
    assert signed_in(other).get(url).status_code == 404


def test_change_decision_offers_the_change_reasons(signed_in, regisseur, client_):
    DecisionFactory(client=client_, final=True)
    response = signed_in(regisseur).get(
        reverse("pip:decision_new", args=[client_.pk]) + "?reden=afschalen"
    )
    form = response.context["form"]
    assert "eerste" not in [value for value, _ in form.fields["reason"].choices]
    assert form.initial["reason"] == DecisionReason.AFSCHALEN
    assert form.initial["learning_route"] == LearningRoute.B1
