"""A klantmanager fills in a client's profile in Chromium.

The professional directions are reference data seeded by a migration. A transactional test
(live_server) ends with a flush that empties every table, seeded rows included; the autouse
fixture in this package's conftest re-seeds them (services.directions_seed) before each
transactional test. The last test proves it: it runs after the browser tests (pytest-django
orders transactional tests after the others, file order within them)."""

import pytest
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.profiles.models import Certificate, LanguageLevel, ProfessionalDirection

from .factories import client_of

pytestmark = pytest.mark.browser


def test_klantmanager_records_the_profile_of_a_client(page, sign_in_browser, assert_accessible):
    klantmanager = MembershipFactory(klantmanager=True)
    client = client_of(klantmanager, given_names="Yonas", family_name="Tesfay")
    sign_in_browser(page, klantmanager)
    page.goto(f"/profiel/{client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Profiel: Yonas Tesfay")
    expect(page.get_by_text("Nog geen opleiding vastgelegd.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Opleiding toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opleiding toevoegen")
    assert_accessible(page)
    page.get_by_label("Niveau").select_option(label="MBO niveau 2")
    page.get_by_label("Land").select_option("ER")
    page.get_by_label("Studierichting").fill("Elektrotechniek")
    page.get_by_label("Afgerond").check()
    page.get_by_label("Diploma gewaardeerd (IDW/Nuffic)").select_option(label="In behandeling")
    page.get_by_label("Jaar").fill("2016")
    page.get_by_role("button", name="Opslaan").click()
    education = page.get_by_test_id("education")
    expect(education).to_contain_text("MBO niveau 2")
    expect(education).to_contain_text("Elektrotechniek")

    page.get_by_role("link", name="Werkervaring toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Beroep", exact=True).fill("Installateur")
    page.get_by_label("Beroepsrichting").select_option(label="Techniek")
    page.get_by_label("Jaren ervaring").fill("6")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("work-experience")).to_contain_text("Installateur")
    expect(page.get_by_test_id("work-experience")).to_contain_text("Techniek")

    for level, source, day in (("A2", "Intake", "2025-01-10"), ("B1", "Examen", "2025-06-01")):
        page.get_by_role("link", name="Taalniveau vastleggen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Taalniveau vastleggen")
        assert_accessible(page)
        page.get_by_label("Vaardigheid").select_option(label="Spreken")
        page.get_by_label("Niveau").select_option(label=level)
        page.get_by_label("Bron").select_option(label=source)
        page.get_by_label("Beoordeeld op").fill(day)
        page.get_by_role("button", name="Opslaan").click()
    speaking = page.get_by_test_id("level-speaking")
    expect(speaking).to_contain_text("B1")
    expect(speaking).to_contain_text("examen")
    history = page.get_by_test_id("history-speaking")
    expect(history.get_by_role("listitem")).to_have_count(2)
    expect(history).to_contain_text("A2 (intake")
    expect(page.get_by_test_id("level-reading")).to_contain_text("Nog niet beoordeeld")

    page.get_by_role("link", name="Certificaat toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Soort").select_option(label="Rijbewijs")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Vink ten minste één rijbewijscategorie aan.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("B", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("certificates")).to_contain_text("Rijbewijs (categorieën B)")
    assert_accessible(page)

    page.get_by_role("link", name="Verwijderen Installateur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkervaring verwijderen")
    expect(page.get_by_test_id("entry-to-delete")).to_contain_text("Installateur")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_text("Verwijderd uit het profiel.")).to_be_visible()
    expect(page.get_by_test_id("work-experience")).to_contain_text(
        "Nog geen werkervaring vastgelegd."
    )

    assert LanguageLevel.objects.filter(client=client).count() == 2
    assert Certificate.objects.get(client=client).cat_b
    assert not client.work_experiences.exists()
    assert not page.console_errors


def test_functional_admin_adds_and_deactivates_a_direction(
    page, sign_in_browser, assert_accessible
):
    sign_in_browser(page, MembershipFactory(functional_admin=True))
    page.goto("/profiel/richtingen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beroepsrichtingen")
    assert_accessible(page)
    page.get_by_label("Naam").fill("Maritiem")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_role("link", name="Wijzigen Maritiem").click()
    assert_accessible(page)
    page.get_by_label("Actief").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    row = page.get_by_role("row").filter(has_text="Maritiem")
    expect(row).to_contain_text("Inactief")


def test_seeded_directions_survive_the_flush_after_a_browser_test(transactional_db):
    # Runs after the browser tests above, whose teardown flushed every table.
    assert ProfessionalDirection.objects.filter(name="Techniek", active=True).exists()
    assert ProfessionalDirection.objects.count() >= 25
    assert not ProfessionalDirection.objects.filter(name="Maritiem").exists()
