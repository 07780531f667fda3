"""A klantmanager records work with wage subsidy, a benefit that ends because of work, and an
education enrolment, in Chromium; every page passes the axe scan."""

import pytest
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.work.models import Benefit, EducationEnrolment, Job

from .factories import client_of

pytestmark = pytest.mark.browser


def test_klantmanager_records_a_job_with_wage_subsidy_and_sees_it_on_the_overview(
    page, sign_in_browser, assert_accessible
):
    klantmanager = MembershipFactory(klantmanager=True)
    client = client_of(klantmanager, given_names="Yonas", family_name="Tesfay")
    sign_in_browser(page, klantmanager)
    page.goto(f"/werk/{client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Werk, inkomen en opleiding: Yonas Tesfay"
    )
    expect(page.get_by_text("Nog geen werk vastgelegd.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Werk toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werk toevoegen")
    assert_accessible(page)
    page.get_by_label("Soort werk").select_option(label="Betaald werk")
    page.get_by_label("Werkgever of organisatie").fill("Groenbedrijf De Linde")
    page.get_by_label("Functie").fill("Hovenier")
    page.get_by_label("Uren per week").fill("28")
    page.get_by_label("Contract (optioneel)").select_option(label="Tijdelijk")
    page.get_by_label("Loonsubsidie").select_option(label="Loonkostensubsidie")
    page.get_by_label("Jobcoach").check()
    page.get_by_label("Startdatum").fill("2025-09-01")
    page.get_by_role("button", name="Opslaan").click()
    jobs = page.get_by_test_id("jobs")
    expect(jobs).to_contain_text("Hovenier")
    expect(jobs).to_contain_text("Groenbedrijf De Linde")
    expect(jobs).to_contain_text("Loonkostensubsidie")
    expect(jobs).to_contain_text("Jobcoach")
    expect(jobs).to_contain_text("28")
    assert_accessible(page)

    # Volunteer work with a wage subsidy is refused next to the field.
    page.get_by_role("link", name="Werk toevoegen").click()
    page.get_by_label("Soort werk").select_option(label="Vrijwilligerswerk")
    page.get_by_label("Werkgever of organisatie").fill("Voedselbank")
    page.get_by_label("Functie").fill("Vrijwilliger")
    page.get_by_label("Uren per week").fill("4")
    page.get_by_label("Loonsubsidie").select_option(label="Loondispensatie")
    page.get_by_label("Startdatum").fill("2025-10-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Loonsubsidie hoort alleen bij betaald werk.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Loonsubsidie").select_option(label="Geen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("jobs")).to_contain_text("Voedselbank")

    page.get_by_role("link", name="Uitkering toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Soort uitkering").select_option(label="Bijstand (Participatiewet)")
    page.get_by_label("Startdatum").fill("2024-11-01")
    page.get_by_role("button", name="Opslaan").click()
    benefits = page.get_by_test_id("benefits")
    expect(benefits).to_contain_text("Bijstand (Participatiewet)")
    expect(benefits).to_contain_text("loopt")

    benefits.get_by_role("link", name="Beëindigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uitkering beëindigen")
    assert_accessible(page)
    page.get_by_label("Einddatum").fill("2025-08-31")
    page.get_by_label("Reden beëindiging").select_option(label="Werk: gedeeltelijk, met aanvulling")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("benefits")).to_contain_text("Werk: gedeeltelijk, met aanvulling")

    page.get_by_role("link", name="Inschrijving opleiding toevoegen").click()
    assert_accessible(page)
    page.get_by_label("School", exact=True).fill("ROC Midden Nederland")
    page.get_by_label("Niveau").select_option(label="MBO niveau 2")
    page.get_by_label("Startdatum").fill("2025-08-25")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("enrolments")).to_contain_text("ROC Midden Nederland")

    page.get_by_test_id("jobs").get_by_role("link", name="Wijzigen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werk wijzigen")
    assert_accessible(page)

    job = Job.objects.get(client=client, kind="betaald")
    assert (job.wage_subsidy, job.job_coach, job.contract) == ("lks", True, "tijdelijk")
    benefit = Benefit.objects.get(client=client)
    assert benefit.end_reason == "werk_deels"
    assert EducationEnrolment.objects.filter(client=client, level="mbo2").exists()
    assert not page.console_errors
