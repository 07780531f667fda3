import re

import pytest
from playwright.sync_api import expect

from .conftest import world as _world  # noqa: F401  (the same household, for live_server tests)
from .factories import NoteFactory, WalkInSessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db, live_server, request):
    return request.getfixturevalue("world")


def test_regisseur_logs_a_home_visit_with_interpreter_adds_a_note_and_filters(
    page, sign_in_browser, assert_accessible, live_world
):
    world = live_world
    sign_in_browser(page, world.regisseur)
    page.goto(f"/tijdlijn/{world.client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tijdlijn van Familie Tesfay")
    assert_accessible(page)

    page.get_by_role("link", name="Contactmoment vastleggen").click()
    expect(page.get_by_test_id("special-category-warning")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Soort").select_option(label="Huisbezoek")
    page.get_by_label("Selam Tesfay").check()
    page.get_by_label("Met tolk").check()
    page.get_by_label("Taal van de tolk").select_option(label="Tigrinya")
    page.get_by_label("Samenvatting").fill("Kennismaking met het gezin, uitleg over de gemeente.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het contactmoment is vastgelegd.")).to_be_visible()
    entry = page.get_by_test_id("timeline-entry").first
    expect(entry).to_contain_text("Huisbezoek")
    expect(entry).to_contain_text("Tigrinya")
    expect(entry).to_contain_text("Kennismaking met het gezin")

    page.get_by_role("link", name="Notitie toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Tekst van de notitie").fill("Afspraak met school volgt via de begeleider.")
    page.get_by_label("Professionals in het netwerk").check()
    page.get_by_role("button", name="Notitie toevoegen").click()
    expect(page.get_by_test_id("timeline-entry")).to_have_count(2)

    page.get_by_text("Tijdlijn filteren").click()
    page.get_by_label("Huisbezoek").check()
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"soort=huisbezoek"))
    expect(page.get_by_test_id("timeline-entry")).to_have_count(1)
    expect(page.get_by_test_id("timeline-entry")).to_contain_text("Huisbezoek")
    assert_accessible(page)
    assert not page.console_errors


def test_partner_counts_two_anonymous_visits_at_walk_in_hours(
    page, sign_in_browser, assert_accessible, live_world
):
    world = live_world
    session = WalkInSessionFactory(
        organisation=world.gemeente, municipality=world.town, location="Buurthuis De Linge"
    )
    session.present.add(world.regisseur, world.begeleider)
    sign_in_browser(page, world.begeleider)
    page.goto("/tijdlijn/spreekuur/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spreekuur")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"\d{2}:\d{2}")).first.click()
    expect(page.get_by_test_id("anonymous-visits")).to_have_text("0 bezoeken")
    assert_accessible(page)
    button = page.get_by_role("button", name="+1 bezoek zonder dossier")
    button.click()
    expect(page.get_by_test_id("anonymous-visits")).to_have_text("1 bezoek")
    page.get_by_role("button", name="+1 bezoek zonder dossier").click()
    expect(page.get_by_test_id("anonymous-visits")).to_have_text("2 bezoeken")
    session.refresh_from_db()
    assert session.anonymous_visits == 2

    page.goto("/tijdlijn/spreekuur/nieuw/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw spreekuur")
    assert_accessible(page)
    assert not page.console_errors


def test_volunteer_reads_the_timeline_on_a_phone(
    phone_page, sign_in_browser, assert_accessible, live_world
):
    world = live_world
    NoteFactory(
        household=world.household,
        author=world.regisseur,
        confidentiality="netwerk",
        text="Zaterdag fietsles om 10 uur.",
    )
    NoteFactory(household=world.household, author=world.regisseur, text="Alleen voor de gemeente")
    sign_in_browser(phone_page, world.volunteer)
    phone_page.goto(f"/tijdlijn/{world.client.pk}/")
    expect(phone_page.get_by_test_id("timeline")).to_contain_text("Zaterdag fietsles om 10 uur.")
    expect(phone_page.get_by_test_id("timeline")).not_to_contain_text("Alleen voor de gemeente")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(phone_page)
