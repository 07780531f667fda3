"""Every role signs in, lands on the page where its work starts, and sees only its navigation."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.constants import Role
from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import NetworkRole, Section
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.organisations.tests.factories import LegalBasisFactory, OrganisationFactory

pytestmark = pytest.mark.browser

# role -> (heading of the home page, navigation labels expected, labels that must be absent)
HOMES = {
    Role.REGISSEUR: (
        "Mijn caseload",
        ["Caseload", "Zoeken", "Cliënten", "Noodtoegang"],
        ["Auditlog", "Beheer", "Team"],
    ),
    Role.KLANTMANAGER: (
        "Mijn caseload",
        ["Caseload", "Zoeken", "Cliënten", "Noodtoegang"],
        ["Auditlog", "Beheer"],
    ),
    Role.TEAMLEIDER: (
        "Team",
        ["Team", "Cliënten", "Spreekuur"],
        ["Noodtoegang", "Auditlog", "Beheer", "Zoeken"],
    ),
    Role.PRIVACY_OFFICER: (
        "Auditlog",
        ["Auditlog", "Beoordeling noodtoegang"],
        ["Cliënten", "Beheer"],
    ),
    Role.FUNCTIONAL_ADMIN: ("Beheer", ["Beheer"], ["Cliënten", "Auditlog"]),
    Role.BEGELEIDER: (
        "Mijn caseload",
        ["Caseload", "Zoeken", "Spreekuur"],
        ["Noodtoegang", "Auditlog", "Beheer"],
    ),
    Role.COORDINATOR: ("Cliënten", ["Cliënten"], ["Noodtoegang", "Auditlog", "Beheer"]),
    Role.VRIJWILLIGER: (
        "Mijn huishoudens",
        ["Mijn huishoudens"],
        ["Noodtoegang", "Auditlog", "Beheer"],
    ),
}


def membership_for(role):
    if role in (Role.BEGELEIDER, Role.COORDINATOR, Role.VRIJWILLIGER):
        partner = OrganisationFactory(partner=True, name="VluchtelingenWerk Test")
        return MembershipFactory(
            role=role,
            organisation=partner,
            vog_checked_on=timezone.localdate(),
            confidentiality_signed_on=timezone.localdate(),
        )
    return MembershipFactory(role=role)


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_home_with_its_navigation(
    role, page, sign_in_browser, assert_accessible
):
    heading, present, absent = HOMES[role]
    sign_in_browser(page, membership_for(role))
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    for label in present:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in absent:
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)
    expect(page.get_by_test_id("acting-membership")).to_be_visible()
    assert_accessible(page)
    assert not page.console_errors


def test_volunteer_on_a_phone_sees_only_the_assigned_household(
    phone_page, sign_in_browser, assert_accessible
):
    volunteer = membership_for(Role.VRIJWILLIGER)
    assigned = ClientFactory(given_names="Yohannes", family_name="Tesfay")
    other = ClientFactory(
        given_names="Amina",
        family_name="Warsame",
        household=HouseholdFactory(municipality=assigned.municipality),
    )
    LegalBasisFactory(
        organisation=volunteer.organisation,
        municipality=assigned.municipality,
        kind="convenant",
        sections=Section.all() & ~Section.IDENTITY,
    )
    InvolvementFactory(
        household=assigned.household,
        organisation=volunteer.organisation,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
    )
    sign_in_browser(phone_page, volunteer)
    phone_page.goto("/")
    expect(phone_page.get_by_role("link", name="Yohannes Tesfay")).to_be_visible()
    expect(phone_page.get_by_text("Amina Warsame")).to_have_count(0)
    phone_page.get_by_role("link", name="Yohannes Tesfay").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Yohannes Tesfay")
    main = phone_page.locator("main")
    for hidden in ("BSN", "V-nummer", "Gezondheid", "Inburgering", "Land van herkomst"):
        expect(main).not_to_contain_text(hidden)
    assert_accessible(phone_page)
    # Nothing on the page is wider than the phone's screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert other.pk  # the other household exists, and stayed invisible


def test_not_found_and_not_allowed_look_the_same(page, sign_in_browser, assert_accessible):
    regisseur = MembershipFactory(regisseur=True)
    elsewhere = ClientFactory()
    sign_in_browser(page, regisseur)
    page.goto(f"/clienten/{elsewhere.pk}/")
    forbidden_text = page.locator("main").inner_text()
    page.goto("/clienten/987654321/")
    missing_text = page.locator("main").inner_text()
    assert forbidden_text == missing_text
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    assert_accessible(page)


def test_break_glass_walk(page, sign_in_browser, assert_accessible):
    from koers.organisations.tests.factories import AreaTeamFactory

    org = OrganisationFactory(name="Gemeente Lingebroek")
    town = org.municipalities.get()
    regisseur = MembershipFactory(regisseur=True, organisation=org)
    regisseur.area_teams.add(AreaTeamFactory(municipality=town, name="Noord"))
    outside = ClientFactory(
        household=HouseholdFactory(municipality=town), given_names="Olena", family_name="Kovalenko"
    )
    sign_in_browser(page, regisseur)
    page.goto(f"/clienten/{outside.pk}/")
    page.get_by_role("link", name="Noodtoegang aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Noodtoegang")
    assert_accessible(page)
    page.get_by_label("Cliëntnummer").fill(str(outside.pk))
    page.get_by_label("Reden").fill("kort")
    page.get_by_role("button", name="Dossier openen").click()
    expect(page.get_by_text("Beschrijf de reden in minstens 20 tekens.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reden").fill("Collega afwezig, PIP-termijn verloopt morgen")
    page.get_by_role("button", name="Dossier openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olena Kovalenko")
    expect(page.get_by_text("U bekijkt dit dossier via noodtoegang.")).to_be_visible()
    assert_accessible(page)


def test_functional_admin_gets_no_access_page_on_client_pages(
    page, sign_in_browser, assert_accessible
):
    sign_in_browser(page, MembershipFactory(functional_admin=True))
    page.goto("/privacy/auditlog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    assert_accessible(page)
