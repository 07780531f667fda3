"""A regisseur records a ZRM and a ladder measurement in Chromium, measures again half a year
later, corrects a measurement and sees the progress chart; every page passes the axe scan."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.instruments.models import Measurement

from .factories import LADDER, PG, ZRM, client_of, klantmanager_beside, measure, scores_for

pytestmark = pytest.mark.browser

DOMAINS = [
    "financien",
    "werk-opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke-relaties",
    "geestelijke-gezondheid",
    "lichamelijke-gezondheid",
    "middelengebruik",
    "basale-adl",
    "instrumentele-adl",
    "sociaal-netwerk",
    "maatschappelijke-participatie",
    "justitie",
]
LABELS = {
    1: "1 – Acute problematiek",
    2: "2 – Niet zelfredzaam",
    3: "3 – Beperkt zelfredzaam",
    4: "4 – Voldoende zelfredzaam",
    5: "5 – Volledig zelfredzaam",
}


def fill_zrm(page, day, level):
    page.get_by_label("Datum van de meting").fill(day.isoformat())
    for code in DOMAINS:
        page.get_by_test_id(f"item-{code}").get_by_label(LABELS[level], exact=True).check()


def test_regisseur_records_zrm_and_ladder_and_sees_the_progress_chart(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur, given_names="Yonas", family_name="Tesfay")
    today = timezone.localdate()
    sign_in_browser(page, regisseur)

    page.goto(f"/metingen/{client.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Metingen: Yonas Tesfay")
    assert_accessible(page)

    # The first ZRM, half a year ago; one domain forgotten at first.
    page.get_by_role("link", name="Nieuwe meting Zelfredzaamheid-Matrix").click()
    expect(page.get_by_test_id("guidance")).to_contain_text("Begin bij 5")
    assert_accessible(page)
    page.get_by_label("Datum van de meting").fill((today - timedelta(days=190)).isoformat())
    for code in DOMAINS[:-1]:
        page.get_by_test_id(f"item-{code}").get_by_label(LABELS[2], exact=True).check()
    page.get_by_test_id("item-financien").get_by_label("Toelichting bij financiën").fill(
        "Schulden bij de energieleverancier"
    )
    page.get_by_label("Nederlandse taal: spreken").select_option(label="Beperkt")
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_test_id("item-justitie")).to_contain_text("elk onderdeel")
    assert_accessible(page)
    page.get_by_test_id("item-justitie").get_by_label(LABELS[4], exact=True).check()
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_test_id("score-financien")).to_contain_text("Niet zelfredzaam")
    expect(page.get_by_test_id("score-financien")).to_contain_text("energieleverancier")
    expect(page.get_by_test_id("factors")).to_contain_text("Beperkt")
    assert_accessible(page)

    # The ladder, then half a year later both again.
    page.goto(f"/metingen/{client.pk}/nieuw/{LADDER}/")
    assert_accessible(page)
    page.get_by_label("Datum van de meting").fill((today - timedelta(days=190)).isoformat())
    page.get_by_role("group", name="Trede").get_by_label(
        "2 – Sociale contacten buitenshuis"
    ).check()
    page.get_by_role("group", name="Groeipotentieel").get_by_label("4 – Onbetaald werk").check()
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_test_id("score-trede")).to_contain_text("Sociale contacten buitenshuis")

    page.goto(f"/metingen/{client.pk}/nieuw/{ZRM}/")
    fill_zrm(page, today, 4)
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_test_id("score-financien")).to_contain_text("Voldoende zelfredzaam")
    page.goto(f"/metingen/{client.pk}/nieuw/{LADDER}/")
    page.get_by_role("group", name="Trede").get_by_label(
        "3 – Deelname aan georganiseerde activiteiten"
    ).check()
    page.get_by_role("group", name="Groeipotentieel").get_by_label(
        "5 – Betaald werk met ondersteuning"
    ).check()
    page.get_by_role("button", name="Meting opslaan").click()

    # Correct the latest ladder measurement.
    page.get_by_role("link", name="Deze meting corrigeren").click()
    assert_accessible(page)
    page.get_by_role("group", name="Trede").get_by_label("4 – Onbetaald werk").check()
    page.get_by_label("Reden van de correctie").fill("Vrijwilligerswerk bij de voedselbank gemist")
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_test_id("corrects")).to_contain_text("voedselbank")
    page.get_by_test_id("corrects").get_by_role("link").click()
    expect(page.get_by_test_id("corrected-alert")).to_contain_text("voedselbank")
    assert_accessible(page)

    page.goto(f"/metingen/{client.pk}/")
    expect(page.get_by_test_id("instrument-participatieladder")).to_contain_text("Onbetaald werk")
    expect(page.get_by_test_id("history").get_by_role("row")).to_have_count(6)
    assert_accessible(page)

    page.get_by_role("link", name="Voortgang in de tijd").click()
    zrm_chart = page.get_by_test_id("chart-zrm").get_by_role("img")
    expect(zrm_chart).to_be_visible()
    expect(zrm_chart).to_have_attribute(
        "aria-label",
        "Zelfredzaamheid-Matrix: score per onderdeel bij 2 metingen. "
        "De tabel hieronder geeft dezelfde gegevens.",
    )
    expect(page.get_by_test_id("chart-participatieladder").get_by_role("img")).to_be_visible()
    expect(page.get_by_test_id("first-latest-financien")).to_contain_text("+2")
    expect(page.get_by_test_id("table-participatieladder")).to_contain_text("Onbetaald werk")
    assert_accessible(page)
    assert not page.console_errors  # the inline SVG breaks no Content-Security-Policy rule
    assert Measurement.objects.filter(client=client).count() == 5


def test_klantmanager_sees_the_chart_without_health_and_a_stale_correction_conflicts(
    page, sign_in_browser, assert_accessible
):
    regisseur = MembershipFactory(regisseur=True)
    client = client_of(regisseur)
    today = timezone.localdate()
    measure(regisseur, client, ZRM, 2, on=today - timedelta(days=100))
    measurement = measure(regisseur, client, LADDER, on=today - timedelta(days=100))
    klantmanager = klantmanager_beside(regisseur)
    sign_in_browser(page, klantmanager)
    page.goto(f"/metingen/{client.pk}/voortgang/")
    expect(page.get_by_test_id("progress-zrm")).to_contain_text("Financiën")
    expect(page.get_by_test_id("progress-zrm")).not_to_contain_text("Geestelijke gezondheid")
    assert_accessible(page)

    page.goto(f"/metingen/{client.pk}/meting/{measurement.pk}/corrigeren/")
    page.get_by_role("group", name="Trede").get_by_label(
        "2 – Sociale contacten buitenshuis"
    ).check()
    page.get_by_label("Reden van de correctie").fill("Verkeerd ingevuld")
    # Meanwhile the regisseur corrects the same measurement.
    from koers.clients.permissions import client_access
    from koers.instruments.services import measurement_correct

    from .factories import request_for

    measurement_correct(
        request_for(regisseur),
        client=client,
        access=client_access(regisseur, client),
        assessor=regisseur,
        measurement=measurement,
        measured_on=measurement.measured_on,
        scores=scores_for(LADDER, 5),
        reason="Betaald werk sinds maart",
    )
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iemand anders corrigeerde eerst")
    expect(page.get_by_test_id("conflict-table")).to_contain_text("Betaald werk met ondersteuning")
    assert_accessible(page)


def test_functional_admin_switches_on_positieve_gezondheid(
    page, sign_in_browser, assert_accessible
):
    admin = MembershipFactory(functional_admin=True)
    sign_in_browser(page, admin)
    page.goto("/metingen/instellingen/")
    assert_accessible(page)
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_test_id("settings")).to_contain_text("Aan")
    assert PG
