import pytest
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.models import ClientLanguage, HouseholdMember
from koers.clients.tests.factories import ClientFactory, HouseholdFactory

pytestmark = pytest.mark.browser


def test_regisseur_adds_a_language_and_a_child_from_the_dossier(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True)
    household = HouseholdFactory(
        municipality=regisseur.organisation.municipalities.get(), name="Familie Tesfay"
    )
    client = ClientFactory(household=household, given_names="Selam", family_name="Tesfay")
    HouseholdMember.objects.create(household=household, client=client, relation="hoofd")
    sign_in_browser(page, regisseur)
    page.goto(f"/clienten/{client.pk}/")

    page.get_by_role("link", name="Talen wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Talen: Selam Tesfay")
    assert_accessible(page)
    page.select_option("select#id_language", "ti")
    page.select_option('[name="script"]', "ethi")
    page.check('[name="is_mother_tongue"]')
    page.get_by_role("button", name="Taal toevoegen").click()
    expect(page.get_by_test_id("language-list")).to_contain_text("moedertaal")
    page.select_option("select#id_language", "ti")
    page.get_by_role("button", name="Taal toevoegen").click()
    expect(page.locator("#id_language_error")).to_contain_text("Deze taal staat al op de lijst")
    assert_accessible(page)
    assert ClientLanguage.objects.filter(client=client).count() == 1

    page.goto(f"/clienten/{client.pk}/")
    page.get_by_role("link", name="Gezinslid toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gezinslid toevoegen")
    assert_accessible(page)
    page.fill('[name="given_names"]', "Lina")
    page.fill('[name="family_name"]', "Tesfay")
    page.fill('[name="birth_year"]', "2022")
    page.select_option('[name="relation"]', "kind")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("household-card")).to_contain_text("Lina Tesfay")
    assert HouseholdMember.objects.filter(household=household, client=None).count() == 1

    page.get_by_role("link", name="Naam huishouden wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Naam en adres van het huishouden: Selam Tesfay"
    )
    assert_accessible(page)
    page.get_by_label("Naam huishouden").fill("Familie Tesfay-Haile")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("household-card")).to_contain_text("Familie Tesfay-Haile")
    household.refresh_from_db()
    assert household.name == "Familie Tesfay-Haile"
    assert not page.console_errors
