"""A regisseur follows a client's inburgering in Chromium: adds the course, logs the hours of two
months and sees the counter, records an exam result and finds the language level in the
profile; every page of the trajectory passes the axe scan."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import TargetGroup
from koers.inburgering.models import CourseMonth, ExamResult, LabourMarketModule
from koers.inburgering.selectors import add_months, month_start

from .factories import client_of

pytestmark = pytest.mark.browser


def test_regisseur_logs_course_hours_and_an_exam_result(page, sign_in_browser, assert_accessible):
    regisseur = MembershipFactory(regisseur=True)
    today = timezone.localdate()
    first_month = add_months(month_start(today), -2)
    second_month = add_months(first_month, 1)
    client = client_of(
        regisseur,
        given_names="Yonas",
        family_name="Tesfay",
        target_group=TargetGroup.ASIEL,
        housing_date=add_months(first_month, -2),
    )
    sign_in_browser(page, regisseur)
    page.goto(f"/inburgering/{client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inburgeringstraject: Yonas Tesfay")
    expect(page.get_by_test_id("clock-status")).to_have_text("Te laat")
    assert_accessible(page)

    page.get_by_role("link", name="Cursus toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cursus toevoegen")
    assert_accessible(page)
    page.get_by_label("Aanbieder", exact=True).fill("Taalschool Noord")
    page.get_by_label("Aanbieder heeft het keurmerk van Blik op Werk").check()
    page.get_by_label("Soort cursus").select_option(label="B1-route")
    page.get_by_label("Startdatum").fill(first_month.replace(day=3).isoformat())
    page.get_by_label("Ingekochte uren").fill("800")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("courses")).to_contain_text("Taalschool Noord")

    for month, hours in ((first_month, "40"), (second_month, "44")):
        page.get_by_role("link", name="Uren van een maand vastleggen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cursusuren van een maand")
        page.get_by_label("Maand", exact=True).fill(f"{month:%Y-%m}")
        page.get_by_role("button", name="Toon maand").click()
        assert_accessible(page)
        page.get_by_label("Gevolgde lesuren: Taalschool Noord").fill(hours)
        page.get_by_role("button", name="Uren opslaan").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Inburgeringstraject")
    expect(page.get_by_test_id("hours-total")).to_have_text("84")
    expect(page.get_by_test_id("afschalen")).to_contain_text("84 van 600")
    expect(page.get_by_test_id("afschalen")).to_contain_text("nog niet bereikt")
    expect(page.get_by_test_id("months").get_by_role("row")).to_have_count(3)
    assert CourseMonth.objects.filter(course__client=client).count() == 2

    # An absence without a reason is refused next to the field.
    page.get_by_role("link", name="Uren van een maand vastleggen").click()
    page.get_by_label("Maand", exact=True).fill(f"{second_month:%Y-%m}")
    page.get_by_role("button", name="Toon maand").click()
    page.get_by_label("Uren afwezig: Taalschool Noord").fill("4")
    page.get_by_role("button", name="Uren opslaan").click()
    expect(page.get_by_text("Geef de reden van de afwezigheid.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reden van afwezigheid: Taalschool Noord").select_option(label="Ziekte")
    page.get_by_role("button", name="Uren opslaan").click()
    expect(page.get_by_test_id("months")).to_contain_text("4 (ziekte)")

    page.get_by_role("link", name="Examenresultaat vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Examenresultaat vastleggen")
    assert_accessible(page)
    page.get_by_label("Examenonderdeel").select_option(label="Spreken")
    page.get_by_label("Niveau").select_option("B1")
    page.get_by_label("Resultaat", exact=True).select_option(label="Geslaagd")
    page.get_by_label("Examendatum").fill(today.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("het taalniveau is aan het profiel toegevoegd")).to_be_visible()
    expect(page.get_by_test_id("exams")).to_contain_text("Spreken")
    assert ExamResult.objects.filter(client=client).count() == 1

    page.goto(f"/profiel/{client.pk}/")
    speaking = page.get_by_test_id("level-speaking")
    expect(speaking).to_contain_text("B1")
    expect(speaking).to_contain_text("examen")


def test_every_form_of_the_trajectory_passes_axe(page, sign_in_browser, assert_accessible):
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur, target_group=TargetGroup.ASIEL, housing_date=date(2025, 1, 6))
    sign_in_browser(page, regisseur)
    overview = f"/inburgering/{client.pk}/"
    page.goto(overview)

    page.get_by_role("link", name="Plicht wijzigen").click()
    assert_accessible(page)
    page.get_by_label("Status inburgeringsplicht").select_option(label="Inburgeringsplichtig")
    page.get_by_label("Startsignaal ontvangen op").fill("2025-02-03")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("duty-status")).to_have_text("Inburgeringsplichtig")

    page.get_by_role("link", name="Termijn wijzigen").click()
    assert_accessible(page)
    page.get_by_label("Termijn begint op (DUO)").fill("2025-04-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("term-end")).to_contain_text("1 april 2028 (voorlopig)")

    page.get_by_role("link", name="Verlenging van de termijn vastleggen").click()
    assert_accessible(page)
    page.get_by_label("Reden").select_option(label="Ziekte")
    page.get_by_label("Besloten door DUO op").fill("2025-05-01")
    page.get_by_label("Nieuwe einddatum van de termijn").fill("2028-10-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("term-end")).to_have_text("1 oktober 2028")

    for link in (
        "Vrijstelling vastleggen",
        "Ontheffing vastleggen",
        "Voortgangsgesprek vastleggen",
        "Handhavingsstap vastleggen",
        "Periode van ontzorgen toevoegen",
    ):
        page.goto(overview)
        page.get_by_role("link", name=link).click()
        assert_accessible(page)

    page.goto(overview)
    page.get_by_role("link", name="PVT wijzigen").click()
    assert_accessible(page)
    page.get_by_label("Uren", exact=True).fill("12")
    page.get_by_label("Ondertekend op").fill("2025-05-20")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("pvt")).to_contain_text("20 mei 2025")

    page.get_by_role("link", name="MAP wijzigen").click()
    assert_accessible(page)
    page.get_by_label("Uren praktijkdeel").fill("40")
    page.get_by_label("Eindgesprek op").fill("2025-05-28")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het eindgesprek sluit de MAP af").first).to_be_visible()
    assert_accessible(page)
    themes = page.get_by_test_id("map-themes")
    for checkbox in themes.get_by_role("checkbox").all():
        checkbox.check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("map")).to_contain_text("8 van 8")
    assert LabourMarketModule.objects.get(client=client).final_meeting_on == date(2025, 5, 28)
