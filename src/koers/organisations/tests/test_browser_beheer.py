"""The functional administrator at work in a real browser, with an axe scan on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from koers.accounts.models import Membership, User
from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import Section
from koers.organisations.models import LegalBasis
from koers.organisations.tests.factories import (
    AreaTeamFactory,
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Rivier-kade-Zonnebloem-42"


def csp_errors(page) -> list[str]:
    return [message for message in page.console_errors if "Content Security Policy" in message]


@pytest.fixture
def world():
    town = MunicipalityFactory(name="Lingewaard", code="GM1705")
    AreaTeamFactory(municipality=town, name="Bemmel")
    vluchtelingenwerk = OrganisationFactory(name="VluchtelingenWerk Oost", partner=True)
    admin = MembershipFactory(
        functional_admin=True,
        organisation=OrganisationFactory(name="Gemeente Lingewaard", municipalities=[town]),
    )
    colleague = MembershipFactory(
        regisseur=True,
        organisation=admin.organisation,
        user__first_name="Sanne",
        user__last_name="Visser",
        user__username="svisser",
    )
    TOTPDevice.objects.create(user=colleague.user, name="telefoon", confirmed=True)
    return {"town": town, "partner": vluchtelingenwerk, "admin": admin, "colleague": colleague}


def test_admin_records_a_legal_basis_creates_a_user_and_resets_two_factor(
    page, sign_in_browser, assert_accessible, world
):
    sign_in_browser(page, world["admin"])
    page.goto("/beheer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beheer")
    assert_accessible(page)

    # A legal basis for VluchtelingenWerk in Lingewaard, three sections.
    page.get_by_role("link", name="Grondslagen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grondslagen")
    assert_accessible(page)
    page.get_by_role("link", name="Grondslag toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe grondslag")
    assert_accessible(page)
    page.get_by_label("Organisatie", exact=True).select_option(label="VluchtelingenWerk Oost")
    page.get_by_label("Gemeente", exact=True).select_option(label="Lingewaard")
    page.get_by_label("Verwerker voor de gemeente (verwerkersovereenkomst)").check()
    for label in ("Basisgegevens", "Contactgegevens", "Talen"):
        page.get_by_role("checkbox", name=label, exact=True).check()
    page.get_by_label("Kenmerk overeenkomst").fill("VWN-2025-014")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "VluchtelingenWerk Oost in Lingewaard"
    )
    expect(page.get_by_role("status").first).to_contain_text("De grondslag is vastgelegd.")
    expect(page.locator("[data-status]")).to_have_text("Van kracht")
    expect(page.get_by_test_id("basis-sections").get_by_role("listitem")).to_have_text(
        ["Basisgegevens", "Contactgegevens", "Talen"]
    )
    assert_accessible(page)
    basis = LegalBasis.objects.get(agreement_reference="VWN-2025-014")
    assert basis.organisation == world["partner"]
    assert basis.sections == Section.BASIS | Section.CONTACT | Section.LANGUAGES
    assert basis.is_in_force()

    # A new user with a membership at VluchtelingenWerk.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Gebruikers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebruikers")
    assert_accessible(page)
    page.get_by_role("link", name="Gebruiker toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe gebruiker")
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill("ahaddad")
    page.get_by_label("Voornaam").fill("Amira")
    page.get_by_label("Achternaam").fill("Haddad")
    page.get_by_label("E-mailadres").fill("a.haddad@example.org")
    page.get_by_label("Eerste wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Eerste wachtwoord nogmaals").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Haddad")
    assert_accessible(page)
    page.get_by_role("link", name="Lidmaatschap toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw lidmaatschap")
    assert_accessible(page)
    page.get_by_label("Organisatie", exact=True).select_option(label="VluchtelingenWerk Oost")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Amira Haddad bij VluchtelingenWerk Oost")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rol", exact=True).select_option(label="Maatschappelijk begeleider")
    page.get_by_label("Functietitel").fill("Casusregisseur")
    page.get_by_role("checkbox", name="Lingewaard", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Haddad")
    row = page.get_by_test_id("membership-row")
    expect(row).to_contain_text("VluchtelingenWerk Oost")
    expect(row).to_contain_text("Maatschappelijk begeleider")
    expect(row).to_contain_text("Lopend")
    assert_accessible(page)
    user = User.objects.get(username="ahaddad")
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert list(membership.municipalities.all()) == [world["town"]]

    # Reset a colleague's two-factor authentication, after confirming.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Gebruikers").click()
    page.get_by_label("Zoek op naam of gebruikersnaam").fill("Visser")
    page.get_by_role("button", name="Zoeken").click()
    assert_accessible(page)
    page.get_by_role("link", name="Sanne Visser").click()
    expect(page.get_by_test_id("two-factor-status")).to_have_text("Ingesteld")
    page.get_by_role("link", name="Tweestapsverificatie herstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie herstellen")
    assert_accessible(page)
    page.get_by_role("button", name="Tweestapsverificatie herstellen").click()
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("Niet ingesteld")
    assert not TOTPDevice.objects.filter(user=world["colleague"].user).exists()
    assert not csp_errors(page)


def test_every_other_administration_page_is_accessible(
    page, sign_in_browser, assert_accessible, world
):
    town, partner = world["town"], world["partner"]
    basis = LegalBasisFactory(organisation=partner, municipality=town)
    future = LegalBasisFactory(
        organisation=partner,
        municipality=town,
        start_date=timezone.localdate() + timedelta(days=30),
    )
    team = town.area_teams.get()
    colleague = world["colleague"]
    sign_in_browser(page, world["admin"])
    pages = {
        "/beheer/gemeenten/": "Gemeenten",
        "/beheer/gemeenten/nieuw/": "Nieuwe gemeente",
        f"/beheer/gemeenten/{town.pk}/": "Lingewaard",
        "/beheer/regios/": "Regio's",
        "/beheer/regios/nieuw/": "Nieuwe regio",
        "/beheer/gebiedsteams/": "Gebiedsteams",
        "/beheer/gebiedsteams/nieuw/": "Nieuw gebiedsteam",
        f"/beheer/gebiedsteams/{team.pk}/": "Bemmel",
        "/beheer/organisaties/": "Organisaties",
        "/beheer/organisaties/nieuw/": "Nieuwe organisatie",
        f"/beheer/organisaties/{partner.pk}/": "VluchtelingenWerk Oost",
        f"/beheer/grondslagen/{basis.pk}/wijzigen/": "Grondslag wijzigen",
        f"/beheer/grondslagen/{basis.pk}/beeindigen/": "Grondslag beëindigen",
        f"/beheer/grondslagen/{future.pk}/verwijderen/": "Grondslag verwijderen",
        (
            f"/beheer/gebruikers/{colleague.user.pk}/lidmaatschappen/{colleague.pk}/beeindigen/"
        ): "Lidmaatschap beëindigen",
    }
    for url, heading in pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(heading))
        assert_accessible(page)

    # A form with errors next to its fields, and the warning after a concurrent change.
    page.goto("/beheer/gemeenten/nieuw/")
    page.get_by_label("CBS-gemeentecode").fill("1705")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Gebruik de CBS-code: GM gevolgd door 4 cijfers.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/beheer/grondslagen/{basis.pk}/wijzigen/")
    LegalBasis.objects.filter(pk=basis.pk).update(note="Intussen aangepast")
    page.get_by_label("Toelichting").fill("Mijn aanpassing")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("stale-alert")).to_contain_text(
        "Iemand anders heeft dit intussen gewijzigd."
    )
    expect(page.get_by_label("Toelichting")).to_have_value("Intussen aangepast")
    assert_accessible(page)
    basis.refresh_from_db()
    assert basis.note == "Intussen aangepast"
    assert not csp_errors(page)


def test_legal_bases_work_on_a_phone(phone_page, sign_in_browser, assert_accessible, world):
    LegalBasisFactory(organisation=world["partner"], municipality=world["town"])
    sign_in_browser(phone_page, world["admin"])
    phone_page.goto("/beheer/grondslagen/")
    expect(phone_page.get_by_test_id("legal-basis-row")).to_contain_text("Van kracht")
    assert_accessible(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
