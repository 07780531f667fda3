"""A regisseur runs a brede intake, registers the learnability test, makes the PIP decision
from the intake, adopts it and downloads the letter, in Chromium, with an axe scan per page."""

import datetime

import pytest
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.pip.constants import DecisionStatus, IntakeStatus
from koers.pip.letters import decision_letter_html
from koers.pip.models import Intake, PipDecision

from .factories import DutyFactory, client_of

pytestmark = pytest.mark.browser

TOPICS = {
    "Zelfredzaamheid": "Regelt boodschappen zelf, post en geldzaken nog niet.",
    "Gezinssituatie": "Getrouwd, twee kinderen van 3 en 7 jaar.",
    "Sociaal netwerk": "Contact met buren en de moskee.",
    "Voor- en vroegschoolse educatie (VVE) voor jonge kinderen": "Dochter gaat naar de peuterzaal.",
    "Taalniveau": "Spreekt Arabisch en wat Engels; kan lezen en schrijven.",
    "Leerbaarheidstoets": "Afgenomen op 5 februari, B1-route haalbaar.",
    "Opleiding en werkervaring": "Middelbare school afgerond, 8 jaar kapper.",
    "Lichamelijke gezondheid": "Geen bijzonderheden.",
    "Geestelijke gezondheid": "Slaapt slecht sinds de vlucht; huisarts is betrokken.",
    "Perspectief op werk en participatie": "Wil weer als kapper werken.",
}


def test_regisseur_runs_the_intake_and_issues_the_pip_with_its_letter(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur, given_names="Rania", family_name="Al-Haddad")
    DutyFactory(client=client)
    sign_in_browser(page, regisseur)

    page.goto(f"/pip/{client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake en PIP: Rania Al-Haddad")
    assert_accessible(page)

    # The learnability test: registration and result as DUO sends it.
    page.get_by_role("link", name="Leerbaarheidstoets aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leerbaarheidstoets aanmelden")
    assert_accessible(page)
    page.get_by_label("Aangemeld op").fill("2025-02-01")
    page.get_by_label("Toetsbegeleider").fill("T. Jansen")
    page.get_by_label("Resultaat").select_option(label="B1-route haalbaar")
    page.get_by_label("Behaalde score").fill("26,00")
    page.get_by_label("Toetsdatum").fill("2025-02-05")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Met een score onder de grenswaarde is de B1-route niet haalbaar.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Behaalde score").fill("31,50")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("lbts")).to_contain_text("B1-route haalbaar")
    expect(page.get_by_test_id("lbts")).to_contain_text("grenswaarde 28,00")

    # The brede intake: one long form with a fieldset per step.
    page.get_by_role("link", name="Brede intake starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brede intake")
    assert_accessible(page)
    expect(page.get_by_test_id("intake-lbt")).to_contain_text("B1-route haalbaar")
    for label, text in list(TOPICS.items())[:4]:
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("De intake is opgeslagen als concept.")).to_be_visible()
    assert_accessible(page)
    for label, text in TOPICS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Opslaan en intake afronden").click()
    expect(page.get_by_text("Stel een leerroute voor om de intake af te ronden.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Voorgestelde leerroute").select_option(label="B1-route")
    page.get_by_label("Voorgesteld niveau").select_option("B1")
    page.get_by_label("Voorgestelde indicator alfabetisering").select_option("NVT")
    page.get_by_label("Conclusie en onderbouwing").fill("B1-route met duaal traject als kapper.")
    page.get_by_role("button", name="Opslaan en intake afronden").click()
    expect(page.get_by_text("De intake is afgerond.")).to_be_visible()
    expect(page.get_by_test_id("intakes")).to_contain_text("Afgerond")
    intake = Intake.objects.get()
    assert intake.status == IntakeStatus.COMPLETED
    assert intake.health_answers.count() == 2

    # The completed intake reads back, health included for the regisseur.
    page.get_by_test_id("intakes").get_by_role("link").first.click()
    expect(page.get_by_test_id("intake-answers")).to_contain_text("huisarts is betrokken")
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar intake en PIP").click()

    # The PIP decision, pre-filled from the intake.
    page.get_by_role("link", name="PIP-beschikking opstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe PIP-beschikking")
    assert_accessible(page)
    expect(page.get_by_label("Leerroute", exact=True)).to_have_value("B")
    expect(page.get_by_label("Niveau (optioneel)", exact=True)).to_have_value("B1")
    expect(page.get_by_label("Alfabetiseringsonderwijs")).to_have_value("NVT")
    page.get_by_label("Geschatte intensiteit B1-route (uren)").fill("1200")
    page.get_by_label("Randvoorwaarden (zoals kinderopvang)").fill(
        "Kinderopvang voor de jongste op lesdagen."
    )
    page.get_by_label("Begeleiding en ondersteuning door de gemeente").fill(
        "Maandelijks voortgangsgesprek met de regisseur."
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het conceptbesluit is opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("decision-status")).to_contain_text("Concept")
    assert_accessible(page)

    page.get_by_role("link", name="Concept wijzigen").click()
    assert_accessible(page)
    page.get_by_label("Participatieverklaringstraject (PVT): invulling en intensiteit").fill(
        "12 uur bij VluchtelingenWerk, met een excursie."
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("decision-content")).to_contain_text("12 uur bij VluchtelingenWerk")

    # Adopt: a dagtekening before the duty start is refused next to the field.
    page.get_by_role("link", name="Vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PIP-beschikking vaststellen")
    assert_accessible(page)
    page.get_by_label("Dagtekening van het besluit").fill("2025-01-02")
    page.get_by_role("button", name="Vaststellen").click()
    expect(
        page.get_by_text("De datum kan niet vóór het begin van de inburgeringsplicht")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Dagtekening van het besluit").fill("2025-03-03")
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("De PIP-beschikking is vastgesteld.")).to_be_visible()
    expect(page.get_by_test_id("decision-status")).to_contain_text("Vastgesteld")
    expect(page.get_by_role("link", name="Concept wijzigen")).to_have_count(0)
    assert_accessible(page)

    # The letter: a PDF from the municipality's (default) template. WeasyPrint's first letter in
    # a process loads the fonts, which on a fresh, busy CI machine took more than the default 10 s.
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Brief downloaden (pdf)").click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    decision = PipDecision.objects.get()
    assert decision.status == DecisionStatus.FINAL
    assert decision.dagtekening == datetime.date(2025, 3, 3)
    html = decision_letter_html(decision, address=None)
    assert "Rania Al-Haddad" in html
    assert "binnen zes weken" in html
    assert "bezwaar maken" in html

    # Handed out, then an objection recorded.
    page.get_by_role("link", name="Vastleggen als uitgereikt").click()
    assert_accessible(page)
    page.get_by_label("Uitgereikt op").fill("2025-03-04")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("decision-status")).to_contain_text("Uitgereikt")
    page.get_by_role("link", name="Bezwaar vastleggen").click()
    assert_accessible(page)
    page.get_by_label("Ontvangen op").fill("2025-04-10")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("appeal-bezwaar")).to_contain_text("10 april 2025")
    assert_accessible(page)
    page.get_by_role("link", name="Vastleggen als gemeld aan DUO").click()
    assert_accessible(page)
    page.get_by_label("Gemeld aan DUO op").fill("2025-03-05")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("decision-status")).to_contain_text("Gemeld aan DUO")

    # A change is a new decision; a draft of it can be discarded.
    page.get_by_role("link", name="Nieuw besluit nemen (wijziging)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe PIP-beschikking (wijziging)")
    page.get_by_label("Reden").select_option(label="Andere wijziging van het PIP")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Na vaststelling vervangt dit besluit het besluit van")).to_be_visible()
    page.get_by_role("link", name="Concept weggooien").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, weggooien").click()
    expect(page.get_by_text("Het conceptbesluit is weggegooid.")).to_be_visible()
    expect(page.get_by_test_id("decisions")).to_contain_text("van kracht")
    assert_accessible(page)
    assert PipDecision.objects.count() == 1
    assert not page.console_errors


def test_functional_admin_sets_the_municipal_letter(page, sign_in_browser, assert_accessible):
    regisseur = MembershipFactory(regisseur=True)
    admin = MembershipFactory(functional_admin=True, organisation=regisseur.organisation)
    town = regisseur.organisation.municipalities.get()
    sign_in_browser(page, admin)
    page.goto("/pip/briefsjablonen/")
    assert_accessible(page)
    page.get_by_role("link", name=town.name).click()
    assert_accessible(page)
    expect(page.get_by_label("Bezwaarclausule")).to_contain_text("binnen zes weken")
    page.get_by_label("Ondertekend door (naam)").fill("drs. A. de Wethouder")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("listitem").filter(has_text=town.name)).to_contain_text("eigen teksten")
    assert_accessible(page)
