from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import NetworkRole
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.network.models import Involvement

from .factories import ContactMomentFactory

pytestmark = pytest.mark.browser


def _household(town, name, given, family, regisseur=None, contact_days_ago=None):
    household = HouseholdFactory(municipality=town, name=name)
    ClientFactory(household=household, given_names=given, family_name=family)
    if regisseur is not None:
        InvolvementFactory(
            household=household,
            organisation=regisseur.organisation,
            membership=regisseur,
            role=NetworkRole.REGISSEUR,
        )
    if contact_days_ago is not None:
        ContactMomentFactory(
            household=household,
            author=regisseur,
            starts_at=timezone.now() - timedelta(days=contact_days_ago),
        )
    return household


def test_regisseur_sorts_the_caseload_searches_a_variant_and_opens_the_dossier(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True)
    town = regisseur.organisation.municipalities.get()
    _household(town, "Gezin Al-Hassan", "Mohammed", "Al-Hassan", regisseur, contact_days_ago=3)
    _household(town, "Gezin Tesfay", "Yohannes", "Tesfay", regisseur, contact_days_ago=60)
    sign_in_browser(page, regisseur)
    page.goto("/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    assert_accessible(page)
    page.get_by_label("Sorteren op").select_option("contact")
    page.get_by_role("button", name="Toepassen").click()
    rows = page.get_by_test_id("caseload-row")
    expect(rows.first).to_contain_text("Gezin Tesfay")
    expect(rows.first).to_contain_text("Geen recent contact")
    expect(rows.nth(1)).to_contain_text("Gezin Al-Hassan")
    assert_accessible(page)

    page.get_by_role("link", name="Cliënt zoeken").click()
    page.get_by_label("Naam, BSN, V-nummer of geboortedatum").fill("Muhamad Alhasan")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_test_id("search-results")).to_contain_text(town.name)
    assert_accessible(page)
    page.get_by_role("link", name="Mohammed Al-Hassan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mohammed Al-Hassan")
    assert not page.console_errors


def test_team_leader_assigns_two_new_households_and_reassigns_one(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True, user__first_name="Ria", user__last_name="Bakker")
    town = regisseur.organisation.municipalities.get()
    teamleider = MembershipFactory(teamleider=True, organisation=regisseur.organisation)
    successor = MembershipFactory(
        regisseur=True,
        organisation=regisseur.organisation,
        user__first_name="Sam",
        user__last_name="de Vries",
    )
    first = _household(town, "Gezin Haddad", "Amal", "Haddad")
    second = _household(town, "Gezin Noor", "Fatima", "Noor")
    sign_in_browser(page, teamleider)
    page.goto("/caseload/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team")
    expect(page.get_by_test_id("queue-table")).to_contain_text("Amal Haddad")
    assert page.get_by_test_id("queue-table").locator("a").count() == 0
    assert_accessible(page)
    page.get_by_label("Gezin Haddad").check()
    page.get_by_label("Gezin Noor").check()
    page.get_by_label("Regisseur").select_option(label="Ria Bakker")
    page.get_by_role("button", name="Geselecteerde huishoudens toewijzen").click()
    expect(page.get_by_text("2 huishouden(s) toegewezen aan Ria Bakker.")).to_be_visible()
    expect(page.get_by_text("Elk huishouden heeft een regisseur.")).to_be_visible()
    expect(page.get_by_test_id("regisseur-table")).to_contain_text("2")
    assert_accessible(page)
    assigned = Involvement.objects.filter(role=NetworkRole.REGISSEUR, membership=regisseur)
    assert set(assigned.values_list("household_id", flat=True)) == {first.pk, second.pk}

    # Reassign one of Ria's households to Sam: listed per regisseur, names only.
    ria = page.get_by_test_id("regisseur-caseload").filter(has_text="Ria Bakker (2 huishoudens)")
    expect(ria).to_contain_text("Amal Haddad")
    assert ria.locator("a").count() == 0
    ria.get_by_label("Gezin Haddad").check()
    page.get_by_label("Regisseur").select_option(label="Sam de Vries")
    page.get_by_role("button", name="Geselecteerde huishoudens toewijzen").click()
    expect(page.get_by_text("1 huishouden(s) toegewezen aan Sam de Vries.")).to_be_visible()
    sams = page.get_by_test_id("regisseur-caseload").filter(has_text="Sam de Vries (1 huishouden)")
    expect(sams).to_contain_text("Gezin Haddad")
    ria = page.get_by_test_id("regisseur-caseload").filter(has_text="Ria Bakker (1 huishouden)")
    expect(ria).to_contain_text("Gezin Noor")
    expect(ria).not_to_contain_text("Gezin Haddad")
    assert_accessible(page)
    current = Involvement.objects.get(household=first, role=NetworkRole.REGISSEUR, end_date=None)
    assert current.membership == successor


def test_caseload_works_on_a_phone(phone_page, sign_in_browser, assert_accessible):
    regisseur = MembershipFactory(regisseur=True)
    town = regisseur.organisation.municipalities.get()
    _household(town, "Gezin Haddad", "Amal", "Haddad", regisseur, contact_days_ago=2)
    sign_in_browser(phone_page, regisseur)
    phone_page.goto("/caseload/")
    expect(phone_page.get_by_role("link", name="Amal Haddad")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(phone_page)
