"""The "Done when" walk of issue 4, end to end through the pages as users click them.

Factories only set up the municipality, the organisations and their legal bases, the people and
one household with its network; every step of the trajectory goes through the real pages in
Chromium, with an axe scan on every page the walk reaches for the first time. Half a year is
crossed with time-machine: the live server runs in a thread of this process, so it travels too.
"""

import datetime
import re

import pytest
import time_machine
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from koers.accounts.tests.factories import MembershipFactory
from koers.clients.constants import ApplicableLaw, NetworkRole, Section, TargetGroup
from koers.clients.models import HouseholdMember
from koers.clients.tests.factories import ClientFactory, HouseholdFactory, InvolvementFactory
from koers.inburgering.models import CourseMonth, InburgeringDuty
from koers.inburgering.selectors import add_years, month_start
from koers.instruments.models import Measurement
from koers.organisations.constants import LegalBasisKind
from koers.organisations.tests.factories import (
    LegalBasisFactory,
    MunicipalityFactory,
    OrganisationFactory,
)
from koers.pip.constants import DecisionStatus, IntakeStatus
from koers.pip.models import Intake, PipDecision
from koers.plans.constants import VersionStatus
from koers.plans.models import Action, PlanVersion
from koers.work.models import Job

pytestmark = pytest.mark.browser

VOLUNTEER_SECTIONS = ("BASIS", "CONTACT", "HOUSEHOLD", "NETWORK", "LANGUAGES", "TASKS")
INTAKE_TOPICS = {
    "Zelfredzaamheid": "Doet boodschappen zelf; post en geldzaken nog met hulp.",
    "Taalniveau": "Spreekt Arabisch en wat Engels; leest en schrijft in het Latijnse schrift.",
    "Leerbaarheidstoets": "Nog niet afgenomen; de B1-route lijkt haalbaar.",
    "Opleiding en werkervaring": "Middelbare school, tien jaar timmerman in Aleppo.",
    "Gezinssituatie": "Getrouwd met Fatima; de kinderen volgen via nareis.",
    "Sociaal netwerk": "Kent een neef in Utrecht en de buren.",
    "Voor- en vroegschoolse educatie (VVE) voor jonge kinderen": "Geen jonge kinderen in huis.",
    "Lichamelijke gezondheid": "Rugklachten van het zware werk.",
    "Geestelijke gezondheid": "Slaapt slecht; de huisarts weet ervan.",
    "Perspectief op werk en participatie": "Wil weer als timmerman aan de slag.",
}
ZRM_DOMAINS = (
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
)
ZRM_LABELS = {2: "2 – Niet zelfredzaam", 4: "4 – Voldoende zelfredzaam"}
HALF_A_YEAR = datetime.timedelta(days=190)


def _long_date(day):
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def _world():
    """Gemeente Lingebroek with its regisseur; VluchtelingenWerk (processor) with a begeleider
    and Humanitas (covenant, volunteer sections) with a volunteer, both in the network of the
    Al-Hassan household."""
    today = timezone.localdate()
    since = today - datetime.timedelta(days=30)
    lingebroek = MunicipalityFactory(name="Lingebroek")
    gemeente = OrganisationFactory(name="Gemeente Lingebroek", municipalities=[lingebroek])
    vwn = OrganisationFactory(partner=True, name="VluchtelingenWerk")
    LegalBasisFactory(organisation=vwn, municipality=lingebroek, kind=LegalBasisKind.PROCESSOR)
    humanitas = OrganisationFactory(partner=True, name="Humanitas")
    sections = Section.none()
    for name in VOLUNTEER_SECTIONS:
        sections |= Section[name]
    LegalBasisFactory(
        organisation=humanitas,
        municipality=lingebroek,
        kind=LegalBasisKind.COVENANT,
        sections=sections,
    )
    regisseur = MembershipFactory(
        regisseur=True, organisation=gemeente, user__first_name="Sanne", user__last_name="de Vries"
    )
    coach = MembershipFactory(
        begeleider=True, organisation=vwn, user__first_name="Eva", user__last_name="Vos"
    )
    volunteer = MembershipFactory(
        vrijwilliger=True,
        organisation=humanitas,
        user__first_name="Henk",
        user__last_name="de Boer",
        vog_checked_on=today,
        confidentiality_signed_on=today,
    )
    household = HouseholdFactory(municipality=lingebroek, name="Familie Al-Hassan")
    mohammed = ClientFactory(
        household=household,
        given_names="Mohammed",
        family_name="Al-Hassan",
        birth_year=1986,
        birth_month=3,
        birth_day=14,
        applicable_law=ApplicableLaw.WI2021,
        target_group=TargetGroup.ASIEL,
        housing_date=today - datetime.timedelta(days=64),
    )
    fatima = ClientFactory(
        household=household, given_names="Fatima", family_name="Al-Hassan", birth_year=1988
    )
    HouseholdMember.objects.create(household=household, client=mohammed, relation="hoofd")
    HouseholdMember.objects.create(household=household, client=fatima, relation="partner")
    for organisation, membership, role in (
        (gemeente, regisseur, NetworkRole.REGISSEUR),
        (vwn, coach, NetworkRole.BEGELEIDER),
    ):
        InvolvementFactory(
            household=household,
            organisation=organisation,
            membership=membership,
            role=role,
            start_date=since,
        )
    buddy = InvolvementFactory(
        household=household,
        organisation=humanitas,
        membership=volunteer,
        role=NetworkRole.VRIJWILLIGER,
        start_date=since,
    )
    return {
        "regisseur": regisseur,
        "volunteer": volunteer,
        "vwn": vwn,
        "buddy": buddy,
        "mohammed": mohammed,
    }


def _open_part(page, dossier_url, name):
    """From the dossier, one of its parts through the dossier's own links."""
    page.goto(dossier_url)
    parts = page.get_by_role("navigation", name="Onderdelen van het dossier")
    parts.get_by_role("link", name=name, exact=True).click()


def _record_zrm(page, day, level):
    page.get_by_role("link", name="Nieuwe meting Zelfredzaamheid-Matrix").click()
    page.get_by_label("Datum van de meting").fill(day.isoformat())
    for code in ZRM_DOMAINS:
        page.get_by_test_id(f"item-{code}").get_by_label(ZRM_LABELS[level], exact=True).check()
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_test_id("score-financien")).to_contain_text(ZRM_LABELS[level][4:])


def _record_ladder(page, day, rung, potential):
    page.get_by_role("link", name="Nieuwe meting Participatieladder").click()
    page.get_by_label("Datum van de meting").fill(day.isoformat())
    page.get_by_role("group", name="Trede").get_by_label(rung).check()
    page.get_by_role("group", name="Groeipotentieel").get_by_label(potential).check()
    page.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_test_id("score-trede")).to_contain_text(rung[4:])


def test_the_walk_of_a_trajectory_from_intake_to_progress(
    page, phone_page, sign_in_browser, assert_accessible
):
    world = _world()
    regisseur, volunteer, mohammed = world["regisseur"], world["volunteer"], world["mohammed"]
    today = timezone.localdate()
    signal_on = today - datetime.timedelta(days=60)
    deadline = signal_on + datetime.timedelta(weeks=10)

    sign_in_browser(page, regisseur)
    page.goto(f"/clienten/{mohammed.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mohammed Al-Hassan")
    assert_accessible(page)
    dossier_url = page.url

    # 0. DUO's start signal came two months ago: the 10-week clock runs out in ten days.
    _open_part(page, dossier_url, "Inburgering")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inburgeringstraject: Mohammed Al-Hassan"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Plicht wijzigen").click()
    assert_accessible(page)
    page.get_by_label("Status inburgeringsplicht").select_option(label="Inburgeringsplichtig")
    page.get_by_label("Plicht gaat in op").fill(signal_on.isoformat())
    page.get_by_label("Startsignaal ontvangen op").fill(signal_on.isoformat())
    page.get_by_label("Ingeschreven in de gemeente op").fill(mohammed.housing_date.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("duty-status")).to_have_text("Inburgeringsplichtig")
    expect(page.get_by_test_id("clock-status")).to_have_text("Dreigt te laat")
    expect(page.get_by_test_id("clock-deadline")).to_have_text(_long_date(deadline))
    page.goto(dossier_url)
    radar = page.get_by_test_id("radar-card")
    expect(radar).to_contain_text("PIP-norm 10 weken · Mohammed")
    expect(radar).to_contain_text(_long_date(deadline))
    assert_accessible(page)

    # 1. The brede intake, health topics included for the regisseur.
    _open_part(page, dossier_url, "Brede intake en PIP")
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake en PIP: Mohammed Al-Hassan")
    assert_accessible(page)
    pip_url = page.url
    page.get_by_role("link", name="Brede intake starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brede intake")
    assert_accessible(page)
    for label, text in INTAKE_TOPICS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Voorgestelde leerroute").select_option(label="B1-route")
    page.get_by_label("Voorgesteld niveau").select_option("B1")
    page.get_by_label("Voorgestelde indicator alfabetisering").select_option("NVT")
    page.get_by_label("Conclusie en onderbouwing").fill("B1-route, naast werk als timmerman.")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("De intake is opgeslagen als concept.")).to_be_visible()
    page.get_by_role("button", name="Opslaan en intake afronden").click()
    expect(page.get_by_text("De intake is afgerond.")).to_be_visible()
    expect(page.get_by_test_id("intakes")).to_contain_text("Afgerond")
    intake = Intake.objects.get(client=mohammed)
    assert intake.status == IntakeStatus.COMPLETED
    assert intake.health_answers.count() == 2

    # 2. The first ZRM and participation ladder measurements.
    _open_part(page, dossier_url, "Metingen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Metingen: Mohammed Al-Hassan")
    assert_accessible(page)
    measurements_url = page.url
    _record_zrm(page, today, 2)
    assert_accessible(page)
    page.goto(measurements_url)
    _record_ladder(page, today, "2 – Sociale contacten buitenshuis", "4 – Onbetaald werk")
    page.goto(measurements_url)
    expect(page.get_by_test_id("history").get_by_role("row")).to_have_count(3)

    # 3. The household plan: a goal, an action for VluchtelingenWerk and one for the volunteer.
    _open_part(page, dossier_url, "Plan")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Plan van aanpak van Familie Al-Hassan"
    )
    assert_accessible(page)
    page.get_by_label("Hulpvraag").fill("Ik wil weer als timmerman werken en Nederlands leren.")
    page.get_by_role("button", name="Plan starten").click()
    expect(page.get_by_text("Het plan is gestart als concept.")).to_be_visible()
    page.get_by_role("link", name="Doel toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Doel toevoegen")
    assert_accessible(page)
    page.get_by_label("Leefgebied").select_option(label="Werk & opleiding")
    page.get_by_label("Doel", exact=True).fill("Een baan als timmerman")
    page.get_by_label("Hoog").check()
    page.get_by_label("Mohammed Al-Hassan").check()
    page.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_text("Het doel is toegevoegd.")).to_be_visible()
    due = (today + datetime.timedelta(days=21)).isoformat()
    for text, owner in (
        ("Sollicitatiebrief schrijven met de jobcoach", f"organisation:{world['vwn'].pk}"),
        ("Samen naar de bibliotheek voor een taalcafé", f"involvement:{world['buddy'].pk}"),
    ):
        page.get_by_role("link", name=re.compile("^Actie toevoegen")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Actie toevoegen")
        assert_accessible(page)
        page.get_by_label("Wat moet er gebeuren").fill(text)
        page.locator("#id_owner").select_option(owner)
        page.locator("#id_due_on").fill(due)
        page.get_by_role("button", name="Actie toevoegen").click()
        expect(page.get_by_text("De actie is toegevoegd.")).to_be_visible()
    rows = page.get_by_test_id("action-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Sollicitatiebrief")).to_contain_text("VluchtelingenWerk")
    expect(rows.filter(has_text="taalcafé")).to_contain_text("Henk de Boer")
    page.get_by_role("link", name="Plan vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan vaststellen")
    assert_accessible(page)
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("Versie 1 van het plan is vastgesteld.")).to_be_visible()
    assert_accessible(page)
    plan_version = PlanVersion.objects.get(plan__household=mohammed.household)
    assert plan_version.status == VersionStatus.ESTABLISHED

    # 4. The PIP from the intake, adopting the plan, by DUO's rules; then its letter.
    page.goto(pip_url)
    page.get_by_role("link", name="PIP-beschikking opstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe PIP-beschikking")
    assert_accessible(page)
    expect(page.get_by_label("Leerroute", exact=True)).to_have_value("B")
    expect(page.get_by_label("Niveau (optioneel)", exact=True)).to_have_value("B1")
    adopts = page.get_by_label("Neemt het plan over (optioneel)")
    expect(adopts).to_have_value(str(plan_version.pk))
    expect(adopts.locator("option:checked")).to_have_text(
        f"Versie 1, vastgesteld op {today:%d-%m-%Y}"
    )
    page.get_by_label("Geschatte intensiteit B1-route (uren)").fill("1200")
    page.get_by_label("Begeleiding en ondersteuning door de gemeente").fill(
        "Maandelijks voortgangsgesprek met de regisseur."
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het conceptbesluit is opgeslagen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Vaststellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PIP-beschikking vaststellen")
    assert_accessible(page)
    expect(page.get_by_label("Dagtekening van het besluit")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("De PIP-beschikking is vastgesteld.")).to_be_visible()
    expect(page.get_by_test_id("decision-status")).to_contain_text("Vastgesteld")
    assert_accessible(page)
    decision = PipDecision.objects.get(client=mohammed)
    assert decision.status == DecisionStatus.FINAL
    assert (decision.dagtekening, decision.plan_version, decision.intake) == (
        today,
        plan_version,
        intake,
    )
    letter = page.get_by_role("link", name="Brief downloaden (pdf)")
    response = page.request.get(letter.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    page.get_by_role("link", name="Vastleggen als uitgereikt").click()
    assert_accessible(page)
    page.get_by_label("Uitgereikt op").fill(today.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("decision-status")).to_contain_text("Uitgereikt")

    # 5. The clocks: the 10-week norm met by the PIP, the term provisional from the PIP.
    _open_part(page, dossier_url, "Inburgering")
    expect(page.get_by_test_id("clock-status")).to_have_text("PIP vastgesteld")
    expect(page.get_by_test_id("clock")).to_contain_text(f"PIP van {_long_date(today)}")
    expect(page.get_by_test_id("term-end")).to_have_text(
        f"{_long_date(add_years(today, 3))} (voorlopig)"
    )
    assert_accessible(page)

    # 6. The course and this month's hours.
    page.get_by_role("link", name="Cursus toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cursus toevoegen")
    assert_accessible(page)
    page.get_by_label("Aanbieder", exact=True).fill("Taalschool Lingebroek")
    page.get_by_label("Aanbieder heeft het keurmerk van Blik op Werk").check()
    page.get_by_label("Soort cursus").select_option(label="B1-route")
    page.get_by_label("Startdatum").fill(month_start(today).isoformat())
    page.get_by_label("Ingekochte uren").fill("800")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("courses")).to_contain_text("Taalschool Lingebroek")
    page.get_by_role("link", name="Uren van een maand vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cursusuren van een maand")
    page.get_by_label("Maand", exact=True).fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="Toon maand").click()
    assert_accessible(page)
    page.get_by_label("Gevolgde lesuren: Taalschool Lingebroek").fill("36")
    page.get_by_role("button", name="Uren opslaan").click()
    expect(page.get_by_test_id("hours-total")).to_have_text("36")
    expect(page.get_by_test_id("afschalen")).to_contain_text("36 van 600")
    assert CourseMonth.objects.get(course__client=mohammed).month == month_start(today)

    # 7. A job with wage subsidy.
    _open_part(page, dossier_url, "Werk, inkomen en opleiding")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Werk, inkomen en opleiding: Mohammed Al-Hassan"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Werk toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werk toevoegen")
    assert_accessible(page)
    page.get_by_label("Soort werk").select_option(label="Betaald werk")
    page.get_by_label("Werkgever of organisatie").fill("Bouwbedrijf Van Linge")
    page.get_by_label("Functie").fill("Timmerman")
    page.get_by_label("Uren per week").fill("24")
    page.get_by_label("Contract (optioneel)").select_option(label="Tijdelijk")
    page.get_by_label("Loonsubsidie").select_option(label="Loonkostensubsidie")
    page.get_by_label("Jobcoach").check()
    page.get_by_label("Startdatum").fill(today.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    jobs = page.get_by_test_id("jobs")
    expect(jobs).to_contain_text("Timmerman")
    expect(jobs).to_contain_text("Loonkostensubsidie")
    assert Job.objects.get(client=mohammed).wage_subsidy == "lks"
    assert not page.console_errors

    # 8. Half a year later: the radar asks for a new measurement; then the progress chart.
    with time_machine.travel(timezone.now() + HALF_A_YEAR, tick=True):
        later = timezone.localdate()
        sign_in_browser(page, regisseur)  # the session of half a year ago has expired
        page.goto(dossier_url)
        expect(page.get_by_test_id("radar-card")).to_contain_text(
            "Meting ouder dan 6 maanden · Mohammed"
        )
        _open_part(page, dossier_url, "Metingen")
        _record_zrm(page, later, 4)
        page.goto(measurements_url)
        _record_ladder(page, later, "4 – Onbetaald werk", "5 – Betaald werk met ondersteuning")
        page.goto(measurements_url)
        page.get_by_role("link", name="Voortgang in de tijd").click()
        zrm_chart = page.get_by_test_id("chart-zrm").get_by_role("img")
        expect(zrm_chart).to_be_visible()
        expect(zrm_chart).to_have_attribute(
            "aria-label", re.compile("^Zelfredzaamheid-Matrix: score per onderdeel bij 2 metingen")
        )
        assert zrm_chart.evaluate("element => element.tagName.toLowerCase()") == "svg"
        ladder_chart = page.get_by_test_id("chart-participatieladder").get_by_role("img")
        expect(ladder_chart).to_be_visible()
        expect(ladder_chart).to_have_attribute("aria-label", re.compile("bij 2 metingen"))
        expect(page.get_by_test_id("first-latest-financien")).to_contain_text("+2")
        table = page.get_by_test_id("table-participatieladder")
        expect(table).to_contain_text(f"{today:%d-%m-%Y}")
        expect(table).to_contain_text(f"{later:%d-%m-%Y}")
        assert_accessible(page)
        page.goto(dossier_url)
        expect(page.get_by_test_id("radar-card")).not_to_contain_text("Meting ouder dan")
        assert not page.console_errors
    assert Measurement.objects.filter(client=mohammed).count() == 4
    assert InburgeringDuty.objects.get(client=mohammed).start_signal_on == signal_on

    # 9. The volunteer, on a phone, sees only their own action: no VluchtelingenWerk action,
    # no goal, no life domain.
    sign_in_browser(phone_page, volunteer)
    phone_page.goto("/")
    phone_page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
        "link", name="Mijn acties"
    ).click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Mijn acties")
    cards = phone_page.get_by_test_id("my-action")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Samen naar de bibliotheek voor een taalcafé")
    expect(cards).to_contain_text("Familie Al-Hassan")
    main = phone_page.locator("main")
    for hidden in ("Sollicitatiebrief", "VluchtelingenWerk", "Werk & opleiding", "timmerman"):
        expect(main).not_to_contain_text(hidden)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone_page)
    assert Action.objects.filter(plan__household=mohammed.household).count() == 2
    assert not phone_page.console_errors
