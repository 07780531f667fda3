"""The "Done when" walk of issue 3, end to end through the pages as users click them.

Factories only set up the organisations, legal bases and people; every step of the walk goes
through the real pages in Chromium.
"""

import random
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import NetworkRole, Section
from koers.clients.models import Client
from koers.demo.names import synthetic_bsns
from koers.network.models import Consent, Involvement
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import (
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
)
from koers.timeline.models import ContactMoment

pytestmark = pytest.mark.browser

HUMANITAS_SECTIONS = (
    "BASIS",
    "CONTACT",
    "HOUSEHOLD",
    "NETWORK",
    "LANGUAGES",
    "TASKS",
    "NOTES_NETWORK",
)


def _world():
    lingebroek = MunicipalityFactory(name="Lingebroek")
    gemeente = OrganisationFactory(name="Gemeente Lingebroek", municipalities=[lingebroek])
    elsewhere = MunicipalityFactory(name="Maasdal")
    other_gemeente = OrganisationFactory(name="Gemeente Maasdal", municipalities=[elsewhere])
    vwn = OrganisationFactory(partner=True, name="VluchtelingenWerk")
    LegalBasisFactory(organisation=vwn, municipality=lingebroek, kind=LegalBasisKind.PROCESSOR)
    humanitas = OrganisationFactory(partner=True, name="Humanitas")
    sections = Section.none()
    for name in HUMANITAS_SECTIONS:
        sections |= Section[name]
    LegalBasisFactory(
        organisation=humanitas,
        municipality=lingebroek,
        kind=LegalBasisKind.CONSENT,
        sections=sections,
    )
    today = timezone.localdate()
    people = {
        "regisseur": MembershipFactory(
            regisseur=True,
            organisation=gemeente,
            user__first_name="Sanne",
            user__last_name="de Vries",
        ),
        "colleague": MembershipFactory(
            regisseur=True,
            organisation=gemeente,
            user__first_name="Joris",
            user__last_name="Smit",
        ),
        "teamleider": MembershipFactory(
            teamleider=True,
            organisation=gemeente,
            user__first_name="Anouk",
            user__last_name="Jansen",
        ),
        "outsider": MembershipFactory(
            regisseur=True,
            organisation=other_gemeente,
            user__first_name="Pieter",
            user__last_name="Maas",
        ),
        "coach": MembershipFactory(
            begeleider=True, organisation=vwn, user__first_name="Eva", user__last_name="Vos"
        ),
        "volunteer": MembershipFactory(
            vrijwilliger=True,
            organisation=humanitas,
            user__first_name="Henk",
            user__last_name="de Boer",
            vog_checked_on=today,
            confidentiality_signed_on=today,
        ),
    }
    return {"vwn": vwn, "humanitas": humanitas, **people}


def _fill_member(page, index, *, kind="client", given, relation, year, **more):
    prefix = f"members-{index}-"
    page.locator(f'[name="{prefix}kind"][value="{kind}"]').check()
    page.fill(f'[name="{prefix}given_names"]', given)
    page.fill(f'[name="{prefix}family_name"]', "Al-Hassan")
    page.fill(f'[name="{prefix}birth_year"]', str(year))
    page.select_option(f'[name="{prefix}relation"]', relation)
    for name, value in more.items():
        field = page.locator(f'[name="{prefix}{name}"]')
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _register_family(page, assert_accessible, bsn):
    page.goto("/")
    page.get_by_role("link", name="Huishouden registreren").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huishouden registreren")
    assert_accessible(page)
    page.fill('[name="name"]', "Familie Al-Hassan")
    page.fill('[name="street"]', "Lingedijk")
    page.fill('[name="house_number"]', "7")
    page.fill('[name="city"]', "Lingebroek")
    for count in range(2, 6):
        page.get_by_role("button", name="+ lid toevoegen").click()
        expect(page.locator(f'[name="members-{count - 1}-family_name"]')).to_be_visible()
    year = timezone.localdate().year
    _fill_member(
        page,
        0,
        given="Mohammed",
        relation="hoofd",
        year=1986,
        birth_month="3",
        birth_day="14",
        country_of_origin="SY",
        language="ar",
        phone="0611122233",
        bsn=bsn,
        permit_date="2024-02-01",
    )
    _fill_member(page, 1, given="Fatima", relation="partner", year=1988)
    _fill_member(
        page, 2, given="Yousef", relation="kind", year=year - 19, birth_month="1", birth_day="1"
    )
    _fill_member(
        page,
        3,
        kind="member",
        given="Lina",
        relation="kind",
        year=year - 6,
        birth_month="1",
        birth_day="1",
    )
    _fill_member(
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


def _caseload_size(table, name):
    return table.get_by_role("row", name=name).get_by_role("cell").nth(1)


def test_the_walk_of_a_new_family_through_the_dossier(
    page, phone_page, sign_in_browser, assert_accessible
):
    world = _world()
    regisseur, volunteer = world["regisseur"], world["volunteer"]
    bsn = synthetic_bsns(random.Random(3), 1)[0]

    # 1. The regisseur registers a family of five and lands on the dossier.
    sign_in_browser(page, regisseur)
    _register_family(page, assert_accessible, bsn)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mohammed Al-Hassan")
    mohammed = Client.objects.get(given_names="Mohammed")
    assert Client.objects.filter(household=mohammed.household).count() == 3
    assert mohammed.household.people.count() == 5
    card = page.get_by_test_id("network-card")
    expect(card).to_contain_text("Regisseur")
    expect(card).to_contain_text("Sanne de Vries")
    expect(page.get_by_test_id("household-card")).to_contain_text("Yousef Al-Hassan (19 jaar)")
    assert_accessible(page)
    dossier_url = page.url

    # 2. The network: a VluchtelingenWerk begeleider and a Humanitas language buddy.
    page.get_by_role("link", name="Netwerk", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Netwerk van Familie Al-Hassan")
    assert_accessible(page)
    page.get_by_role("link", name="Toevoegen aan het netwerk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toevoegen aan het netwerk")
    assert_accessible(page)
    page.locator("#id_organisation").select_option(str(world["vwn"].pk))
    expect(page.locator("#id_membership option", has_text="Eva Vos")).to_have_count(1)
    page.locator("#id_membership").select_option(str(world["coach"].pk))
    page.locator("#id_role").select_option(NetworkRole.BEGELEIDER)
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.get_by_text("De betrokkenheid is toegevoegd aan het netwerk.")).to_be_visible()
    expect(page.get_by_role("cell", name="Eva Vos")).to_be_visible()

    page.get_by_role("link", name="Toevoegen aan het netwerk").click()
    page.locator("#id_organisation").select_option(str(world["humanitas"].pk))
    expect(page.locator("#id_membership option", has_text="Henk de Boer")).to_have_count(1)
    page.locator("#id_membership").select_option(str(volunteer.pk))
    page.locator("#id_role").select_option(NetworkRole.TAALMAATJE)
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.get_by_role("cell", name="Henk de Boer")).to_be_visible()
    assert_accessible(page)
    buddy = Involvement.objects.get(membership=volunteer)
    assert buddy.role == NetworkRole.TAALMAATJE
    assert Section.LANGUAGES in Section(buddy.task_sections)

    # 3. Consent for a language buddy with Humanitas, and the printable form.
    page.get_by_role("link", name="Toestemmingen van Mohammed Al-Hassan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Toestemmingen van Mohammed Al-Hassan"
    )
    assert_accessible(page)
    page.locator("#id_organisation").select_option(str(world["humanitas"].pk))
    page.locator("#id_purpose").select_option("taalmaatje")
    for name in HUMANITAS_SECTIONS:
        page.locator(f'input[name="sections"][value="{name}"]').check()
    page.locator("#id_explained_in_language").select_option("ar")
    page.get_by_label("Met een tolk").check()
    page.locator("#id_how_given").select_option("signed")
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    consent = Consent.objects.get()
    assert consent.organisation == world["humanitas"]
    assert consent.client == mohammed
    page.get_by_role("link", name=re.compile("Afdrukbaar formulier")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemmingsformulier")
    form = page.get_by_test_id("consent-form")
    expect(form).to_contain_text("Gekoppeld worden aan een taalmaatje")
    expect(form).to_contain_text("Humanitas")
    expect(form).to_contain_text("Mohammed Al-Hassan")
    assert_accessible(page)

    # 4. A home visit with an Arabic interpreter on the timeline.
    page.goto(dossier_url)
    page.get_by_role("link", name="Tijdlijn", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tijdlijn van Familie Al-Hassan")
    assert_accessible(page)
    page.get_by_role("link", name="Contactmoment vastleggen").click()
    assert_accessible(page)
    page.get_by_label("Soort").select_option(label="Huisbezoek")
    page.get_by_label("Mohammed Al-Hassan").check()
    page.get_by_label("Met tolk").check()
    page.get_by_label("Taal van de tolk").select_option(label="Arabisch")
    page.get_by_label("Samenvatting").fill("Kennismaking, uitleg over inburgering en de buurt.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het contactmoment is vastgelegd.")).to_be_visible()
    entry = page.get_by_test_id("timeline-entry").first
    expect(entry).to_contain_text("Huisbezoek")
    expect(entry).to_contain_text("Arabisch")
    expect(entry).to_contain_text("Kennismaking, uitleg over inburgering")
    assert ContactMoment.objects.get().interpreter_language == "ar"

    # 5. The caseload, and search by a spelling variant.
    page.get_by_role("link", name="Caseload", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    expect(page.get_by_test_id("caseload-row")).to_contain_text("Familie Al-Hassan")
    assert_accessible(page)
    page.get_by_role("link", name="Cliënt zoeken").click()
    page.get_by_label("Naam, BSN, V-nummer of geboortedatum").fill("Muhamad")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_test_id("search-results")).to_contain_text("Lingebroek")
    assert_accessible(page)
    page.get_by_role("link", name="Mohammed Al-Hassan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mohammed Al-Hassan")
    assert page.url == dossier_url
    assert not page.console_errors

    # 6. The volunteer, on a phone, sees exactly the volunteer sections.
    sign_in_browser(phone_page, volunteer)
    phone_page.goto("/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Mijn huishoudens")
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Mohammed Al-Hassan").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Mohammed Al-Hassan")
    today = timezone.localdate()
    age = today.year - 1986 - ((today.month, today.day) < (3, 14))
    expect(phone_page.locator("main")).to_contain_text(f"{age} jaar")
    expect(phone_page.get_by_test_id("contact-card")).to_contain_text("0611122233")
    expect(phone_page.get_by_test_id("languages-card")).to_contain_text("Arabisch")
    household = phone_page.get_by_test_id("household-card")
    expect(household).to_contain_text("Fatima Al-Hassan")
    expect(household).to_contain_text("Lina Al-Hassan (6 jaar)")
    network = phone_page.get_by_test_id("network-card")
    expect(network).to_contain_text("Regisseur")
    expect(network).to_contain_text("Sanne de Vries")
    expect(phone_page.get_by_test_id("identity-card")).to_have_count(0)
    expect(phone_page.get_by_test_id("inburgering-card")).to_have_count(0)
    text = phone_page.locator("main").inner_text()
    for secret in (bsn, bsn[-3:], "14-03-1986", "14 maart 1986", "Syrië", "2024"):
        assert secret not in text, f"the volunteer sees {secret!r}"
    wide = phone_page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, "the volunteer's dossier scrolls sideways on a phone"
    assert_accessible(phone_page)

    # 7. Another municipality's regisseur gets the same "Niet gevonden" as for no dossier.
    sign_in_browser(page, world["outsider"])
    forbidden = page.goto(dossier_url)
    assert forbidden.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    forbidden_text = page.locator("main").inner_text()
    assert "Al-Hassan" not in page.content()
    assert_accessible(page)
    missing = page.goto(f"/clienten/{Client.objects.order_by('-pk').first().pk + 1000}/")
    assert missing.status == 404
    assert page.locator("main").inner_text() == forbidden_text
    assert len(page.console_errors) == 2  # the two 404 responses, nothing else
    page.console_errors.clear()

    # 8. The team leader sees the household on Sanne's caseload, not in the queue.
    sign_in_browser(page, world["teamleider"])
    page.goto("/caseload/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team")
    expect(page.get_by_text("Elk huishouden heeft een regisseur.")).to_be_visible()
    regisseurs = page.get_by_test_id("regisseur-table")
    expect(_caseload_size(regisseurs, "Sanne de Vries")).to_have_text("1")
    expect(_caseload_size(regisseurs, "Joris Smit")).to_have_text("0")
    assert_accessible(page)
    # Reassigning a household that already has a regisseur is not offered on the team page
    # (only the queue of households without one), and a team leader cannot open the network
    # page: the regisseur hands the regie over there instead.
    sign_in_browser(page, regisseur)
    page.goto(dossier_url)
    page.get_by_role("link", name="Netwerk", exact=True).click()
    page.get_by_role("link", name="Regie overdragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regie overdragen")
    assert_accessible(page)
    page.locator("#id_membership").select_option(str(world["colleague"].pk))
    page.locator("#id_note").fill("Joris neemt het gezin over; Eva Vos kent het gezin goed.")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_text("De regie is overgedragen.")).to_be_visible()

    sign_in_browser(page, world["colleague"])
    page.goto("/caseload/")
    expect(page.get_by_test_id("caseload-row")).to_contain_text("Familie Al-Hassan")
    page.get_by_role("link", name="Mohammed Al-Hassan").click()
    expect(page.get_by_test_id("network-card")).to_contain_text("Joris Smit")
    expect(page.get_by_test_id("network-card")).not_to_contain_text("Sanne de Vries")

    sign_in_browser(page, world["teamleider"])
    page.goto("/caseload/team/")
    regisseurs = page.get_by_test_id("regisseur-table")
    expect(_caseload_size(regisseurs, "Joris Smit")).to_have_text("1")
    expect(_caseload_size(regisseurs, "Sanne de Vries")).to_have_text("0")
    assert not page.console_errors
