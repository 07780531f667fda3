import pytest
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.tests.factories import ClientFactory, HouseholdFactory

pytestmark = pytest.mark.browser


def test_regisseur_sees_the_client_list_in_dutch_and_can_switch_to_english(
    page, sign_in_browser, assert_accessible
):
    membership = MembershipFactory(regisseur=True)
    town = membership.organisation.municipalities.get()
    ClientFactory(
        household=HouseholdFactory(municipality=town), given_names="Amal", family_name="Haddad"
    )
    sign_in_browser(page, membership)
    page.goto("/clienten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cliënten")
    expect(page.get_by_role("link", name="Amal Haddad")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    assert not page.console_errors


def test_an_english_browser_still_gets_dutch_until_english_is_chosen(
    chromium, live_server, sign_in_browser
):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    try:
        sign_in_browser(page, MembershipFactory(regisseur=True))
        page.goto("/clienten/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cliënten")
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()
