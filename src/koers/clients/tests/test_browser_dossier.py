import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Client, ClientLanguage, HouseholdMember
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.organisations.tests.factories import LegalBasisFactory

pytestmark = pytest.mark.browser


def fill_member(page, index, *, kind="client", given, family="Haddad", relation, year, **more):
    prefix = f"members-{index}-"
    page.locator(f'[name="{prefix}kind"][value="{kind}"]').check()
    page.fill(f'[name="{prefix}given_names"]', given)
    page.fill(f'[name="{prefix}family_name"]', family)
    page.fill(f'[name="{prefix}birth_year"]', str(year))
    page.select_option(f'[name="{prefix}relation"]', relation)
    for name, value in more.items():
        page.fill(f'[name="{prefix}{name}"]', value)


def test_regisseur_registers_a_family_of_five_and_sees_the_dossier(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(
        regisseur=True, user__first_name="Sanne", user__last_name="de Vries"
    )
    sign_in_browser(page, regisseur)
    page.goto("/clienten/nieuw/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Huishouden registreren")
    assert_accessible(page)
    page.fill('[name="name"]', "Familie Haddad")
    page.fill('[name="street"]', "Dorpsstraat")
    page.fill('[name="house_number"]', "12")
    page.fill('[name="city"]', "Ede")
    for count in range(2, 6):
        page.get_by_role("button", name="+ lid toevoegen").click()
        expect(page.locator(f'[name="members-{count - 1}-family_name"]')).to_be_visible()
    year = timezone.localdate().year
    fill_member(page, 0, given="Amal", relation="hoofd", year=1985, bsn="123456789")
    fill_member(page, 1, given="Omar", relation="partner", year=1983, phone="0612345678")
    fill_member(
        page, 2, given="Yousef", relation="kind", year=year - 19, birth_month="1", birth_day="1"
    )
    fill_member(page, 3, kind="member", given="Lina", relation="kind", year=year - 6)
    fill_member(
        page,
        4,
        kind="member",
        given="Sami",
        relation="kind",
        year=year - 2,
        birth_month="1",
        birth_day="1",
    )
    page.get_by_role("button", name="Huishouden registreren").click()

    error = page.locator("#id_members-0-bsn_error")
    expect(error).to_contain_text("Dit is geen geldig BSN")
    assert not Client.objects.exists()
    assert_accessible(page)
    page.fill('[name="members-0-bsn"]', "111222333")
    page.get_by_role("button", name="Huishouden registreren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Amal Haddad")
    assert Client.objects.count() == 3
    assert HouseholdMember.objects.count() == 5
    card = page.get_by_test_id("network-card")
    expect(card).to_contain_text("Regisseur")
    expect(card).to_contain_text("Sanne de Vries")
    household = page.get_by_test_id("household-card")
    expect(household).to_contain_text("Yousef Haddad (19 jaar)")
    expect(household).to_contain_text("Sami Haddad (2 jaar)")
    expect(page.get_by_test_id("identity-card")).to_contain_text("******333")
    assert_accessible(page)
    page.get_by_role("link", name="Toon de volledige nummers").click()
    expect(page.get_by_test_id("identity-revealed")).to_contain_text("111222333")
    assert not page.console_errors


def test_volunteer_sees_the_volunteer_view_on_a_phone(
    phone_page, sign_in_browser, assert_accessible
):
    town = HouseholdFactory().municipality
    town.volunteer_sections = Section.all()
    town.save()
    household = HouseholdFactory(municipality=town, name="Familie Tesfay")
    client = ClientFactory(
        household=household,
        given_names="Selam",
        family_name="Tesfay",
        birth_year=1995,
        birth_month=7,
        birth_day=21,
        country_of_origin="ER",
        phone="0687654321",
        email="selam.tesfay@example.org",
        bsn="111222333",
        v_number="8123456789",
        applicable_law="wi2021",
        permit_date=timezone.localdate().replace(year=2024, month=2, day=1),
    )
    HouseholdMember.objects.create(household=household, client=client, relation="hoofd")
    HouseholdMember.objects.create(
        household=household,
        given_names="Hagos",
        family_name="Tesfay",
        birth_year=1990,
        relation="partner",
        reunification_status="aangevraagd",
    )
    ClientLanguage.objects.create(client=client, language="ti", is_mother_tongue=True)
    volunteer = MembershipFactory(vrijwilliger=True)
    LegalBasisFactory(
        organisation=volunteer.organisation,
        municipality=town,
        kind="convenant",
        sections=Section.all(),
    )
    InvolvementFactory(
        household=household,
        organisation=volunteer.organisation,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
    )
    regisseur = MembershipFactory(regisseur=True, user__first_name="Noor", user__last_name="Bakker")
    InvolvementFactory(
        household=household,
        organisation=regisseur.organisation,
        membership=regisseur,
        role=NetworkRole.REGISSEUR,
    )
    sign_in_browser(phone_page, volunteer)
    phone_page.goto(f"/clienten/{client.pk}/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Selam Tesfay")
    expect(phone_page.get_by_test_id("contact-card")).to_contain_text("0687654321")
    expect(phone_page.get_by_test_id("languages-card")).to_contain_text("Tigrinya")
    expect(phone_page.get_by_test_id("household-card")).to_contain_text("Hagos Tesfay")
    expect(phone_page.get_by_test_id("network-card")).to_contain_text("Regisseur")
    expect(phone_page.get_by_test_id("network-card")).to_contain_text("Noor Bakker")
    text = phone_page.locator("main").inner_text()
    for secret in ("111222333", "8123456789", "21-07-1995", "Eritrea", "Aangevraagd", "2024"):
        assert secret not in text
    wide = phone_page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, "the volunteer view scrolls sideways on a phone"
    assert_accessible(phone_page)
